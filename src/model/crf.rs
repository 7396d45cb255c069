//! A linear-chain CRF over the tags of word heads, the alternative to reading each word's tag
//! on its own: learned start and transition scores, trained with the encoder by the
//! negative log-likelihood of the gold sequence, and added to the constrained Viterbi at
//! decoding. Transitions that BIO forbids are fixed at a large negative score, so the CRF
//! spends no probability on them.

use ndarray::{Array1, Array2};
use tch::{nn, Kind, Tensor};

use crate::tags::Tag;

/// What stands for minus infinity in scores (finite, so that sums stay finite).
const FORBIDDEN: f64 = -1e4;

pub struct Crf {
    /// Score of tag `j` following tag `i`, `[COUNT, COUNT]`.
    transitions: Tensor,
    /// Score of tag `j` starting a sequence, `[COUNT]`.
    start: Tensor,
}

fn tags() -> Vec<Tag> {
    (0..Tag::COUNT).filter_map(Tag::from_index).collect()
}

/// 0 where BIO allows `i → j`, [`FORBIDDEN`] where it does not.
fn transition_mask() -> Tensor {
    let tags = tags();
    let v: Vec<f32> = tags
        .iter()
        .flat_map(|a| {
            tags.iter().map(move |b| {
                if a.may_precede(*b) {
                    0.0
                } else {
                    FORBIDDEN as f32
                }
            })
        })
        .collect();
    Tensor::from_slice(&v).view([Tag::COUNT as i64, Tag::COUNT as i64])
}

fn start_mask() -> Tensor {
    let v: Vec<f32> = tags()
        .iter()
        .map(|t| {
            if Tag::O.may_precede(*t) {
                0.0
            } else {
                FORBIDDEN as f32
            }
        })
        .collect();
    Tensor::from_slice(&v)
}

impl Crf {
    /// New parameters under `path` (`crf.transitions`, `crf.start`), starting at zero.
    pub fn new(path: nn::Path) -> Self {
        let c = Tag::COUNT as i64;
        Crf {
            transitions: path.zeros("transitions", &[c, c]),
            start: path.zeros("start", &[c]),
        }
    }

    fn effective(&self) -> (Tensor, Tensor) {
        (
            &self.transitions + transition_mask(),
            &self.start + start_mask(),
        )
    }

    /// Negative log-likelihood of `tags` (`[batch, length]`, -100 where a position is not
    /// scored: special tokens, padding, subwords that continue a word) under `emissions`
    /// (`[batch, length, COUNT]`), summed over rows and divided by the scored positions.
    pub fn loss(&self, emissions: &Tensor, tags: &Tensor) -> Tensor {
        let (trans, start) = self.effective();
        let size = emissions.size();
        let (batch, length, c) = (size[0], size[1], size[2]);
        let scored = tags.ne(-100);
        let gold = tags.clamp_min(0);
        let mut alpha = Tensor::zeros([batch, c], (Kind::Float, emissions.device()));
        let mut score = Tensor::zeros([batch], (Kind::Float, emissions.device()));
        let mut begun = Tensor::zeros([batch], (Kind::Bool, emissions.device()));
        let mut previous = Tensor::zeros([batch], (Kind::Int64, emissions.device()));
        let flat_trans = trans.view([-1]);
        for t in 0..length {
            let m = scored.select(1, t);
            let e = emissions.select(1, t);
            let tag = gold.select(1, t);
            // All paths: start here, or continue from alpha.
            let first = start.unsqueeze(0) + &e;
            let next = (alpha.unsqueeze(2) + trans.unsqueeze(0)).logsumexp([1], false) + &e;
            let stepped = next.where_self(&begun.unsqueeze(1), &first);
            alpha = stepped.where_self(&m.unsqueeze(1), &alpha);
            // The gold path.
            let emit = e.gather(1, &tag.unsqueeze(1), false).squeeze_dim(1);
            let from_start = start.index_select(0, &tag);
            let from_previous = flat_trans.index_select(0, &(&previous * c + &tag));
            let gained = from_previous.where_self(&begun, &from_start) + emit;
            score = &score + gained.where_self(&m, &Tensor::zeros_like(&gained));
            previous = tag.where_self(&m, &previous);
            begun = begun.logical_or(&m);
        }
        let log_z = alpha.logsumexp([1], false);
        let per_row = (log_z - score).where_self(
            &begun,
            &Tensor::zeros([batch], (Kind::Float, emissions.device())),
        );
        let positions = scored.sum(Kind::Float).clamp_min(1.0);
        per_row.sum(Kind::Float) / positions
    }

    /// The learned scores as arrays for decoding: transitions `[from, to]` and starts.
    pub fn scores(&self) -> (Array2<f32>, Array1<f32>) {
        let c = Tag::COUNT;
        let trans: Vec<f32> = Vec::try_from(self.transitions.detach().flatten(0, -1))
            .unwrap_or_else(|_| vec![0.0; c * c]);
        let start: Vec<f32> = Vec::try_from(self.start.detach()).unwrap_or_else(|_| vec![0.0; c]);
        (
            Array2::from_shape_vec((c, c), trans).unwrap_or_else(|_| Array2::zeros((c, c))),
            Array1::from(start),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::nn::VarStore;
    use tch::Device;

    /// The loss against a brute-force sum over every tag path of a short sequence.
    #[test]
    fn loss_is_the_exact_negative_log_likelihood() {
        tch::manual_seed(3);
        let vs = VarStore::new(Device::Cpu);
        let mut crf = Crf::new(vs.root() / "crf");
        tch::no_grad(|| {
            crf.transitions
                .copy_(&(Tensor::randn([11, 11], (Kind::Float, Device::Cpu)) * 0.5));
            crf.start
                .copy_(&(Tensor::randn([11], (Kind::Float, Device::Cpu)) * 0.5));
        });
        let emissions = Tensor::randn([1, 5, 11], (Kind::Float, Device::Cpu));
        // Position 0 and 3 are not scored ([CLS], a continuing subword).
        let gold = [-100i64, 1, 2, -100, 0];
        let tags = Tensor::from_slice(&gold).view([1, 5]);
        let loss = crf.loss(&emissions, &tags).double_value(&[]);

        let (trans, start) = crf.effective();
        let at = |t: &Tensor, idx: &[i64]| t.double_value(idx);
        let positions = [1i64, 2, 4];
        let path_score = |path: &[i64]| {
            let mut s = at(&start, &[path[0]]) + at(&emissions, &[0, positions[0], path[0]]);
            for k in 1..path.len() {
                s += at(&trans, &[path[k - 1], path[k]])
                    + at(&emissions, &[0, positions[k], path[k]]);
            }
            s
        };
        let mut all = Vec::new();
        for a in 0..11 {
            for b in 0..11 {
                for c in 0..11 {
                    all.push(path_score(&[a, b, c]));
                }
            }
        }
        let max = all.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let log_z = max + all.iter().map(|s| (s - max).exp()).sum::<f64>().ln();
        let expected = (log_z - path_score(&[1, 2, 0])) / 3.0;
        assert!((loss - expected).abs() < 1e-3, "{loss} vs {expected}");
        assert!(loss > 0.0);
    }
}
