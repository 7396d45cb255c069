//! AdamW with decoupled weight decay, written over a `VarStore` so that its moments can be
//! saved and restored exactly (tch's own optimizer does not expose its state).

use std::collections::HashMap;
use std::path::Path;

use tch::{nn::VarStore, Kind, Tensor};

pub struct AdamW {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    /// Updates applied so far.
    pub step: i64,
    names: Vec<String>,
    vars: Vec<Tensor>,
    m: Vec<Tensor>,
    v: Vec<Tensor>,
}

/// Biases and LayerNorm weights are not decayed.
fn decays(name: &str) -> bool {
    !(name.ends_with("bias") || name.contains("LayerNorm") || name.contains("layer_norm"))
}

impl AdamW {
    pub fn new(vs: &VarStore, weight_decay: f64) -> Self {
        let mut named: Vec<(String, Tensor)> = vs
            .variables()
            .into_iter()
            .filter(|(_, t)| t.requires_grad())
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let m = named.iter().map(|(_, t)| t.zeros_like()).collect();
        let v = named.iter().map(|(_, t)| t.zeros_like()).collect();
        let (names, vars) = named.into_iter().unzip();
        AdamW {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay,
            step: 0,
            names,
            vars,
            m,
            v,
        }
    }

    pub fn zero_grad(&mut self) {
        for var in &mut self.vars {
            let mut grad = var.grad();
            if grad.defined() {
                let _ = grad.zero_();
            }
        }
    }

    /// Scales the gradients so that their global L2 norm is at most `max_norm`; returns the norm.
    pub fn clip_grad_norm(&mut self, max_norm: f64) -> f64 {
        tch::no_grad(|| {
            let mut total = 0.0;
            for var in &self.vars {
                let g = var.grad();
                if g.defined() {
                    total += g.pow_tensor_scalar(2).sum(Kind::Double).double_value(&[]);
                }
            }
            let norm = total.sqrt();
            if norm > max_norm {
                let scale = max_norm / (norm + 1e-6);
                for var in &self.vars {
                    let mut g = var.grad();
                    if g.defined() {
                        let _ = g.g_mul_scalar_(scale);
                    }
                }
            }
            norm
        })
    }

    /// One update with learning rate `lr`.
    pub fn step(&mut self, lr: f64) {
        self.step += 1;
        let t = self.step as i32;
        let bias1 = 1.0 - self.beta1.powi(t);
        let bias2 = 1.0 - self.beta2.powi(t);
        tch::no_grad(|| {
            for i in 0..self.vars.len() {
                let g = self.vars[i].grad();
                if !g.defined() {
                    continue;
                }
                self.m[i] = &self.m[i] * self.beta1 + &g * (1.0 - self.beta1);
                self.v[i] = &self.v[i] * self.beta2 + (&g * &g) * (1.0 - self.beta2);
                let update = (&self.m[i] / bias1) / ((&self.v[i] / bias2).sqrt() + self.eps);
                let var = &mut self.vars[i];
                if self.weight_decay > 0.0 && decays(&self.names[i]) {
                    let _ = var.g_mul_scalar_(1.0 - lr * self.weight_decay);
                }
                let _ = var.g_sub_(&(update * lr));
            }
        });
    }

    /// Saves the moments and the step count.
    pub fn save(&self, path: &Path) -> Result<(), tch::TchError> {
        let mut named: Vec<(String, Tensor)> = Vec::with_capacity(2 * self.names.len() + 1);
        for (i, n) in self.names.iter().enumerate() {
            named.push((format!("m.{n}"), self.m[i].shallow_clone()));
            named.push((format!("v.{n}"), self.v[i].shallow_clone()));
        }
        named.push(("step".to_string(), Tensor::from_slice(&[self.step])));
        Tensor::write_safetensors(&named, path)
    }

    pub fn load(&mut self, path: &Path) -> Result<(), tch::TchError> {
        let tensors: HashMap<String, Tensor> =
            Tensor::read_safetensors(path)?.into_iter().collect();
        let get = |key: &str| {
            tensors
                .get(key)
                .map(Tensor::shallow_clone)
                .ok_or_else(|| tch::TchError::FileFormat(format!("optimizer state lacks {key}")))
        };
        for (i, n) in self.names.iter().enumerate() {
            self.m[i] = get(&format!("m.{n}"))?;
            self.v[i] = get(&format!("v.{n}"))?;
        }
        self.step = get("step")?.int64_value(&[0]);
        Ok(())
    }
}
