//! Masked-language-model pretraining of the encoder on unlabeled text (a rust-bert
//! `BertModel` with BERT's prediction head, tied to the word embeddings): whole-word masking
//! drawn afresh for every step, AdamW with warm-up and linear decay, gradient clipping,
//! held-out loss and accuracy, and checkpoints from which `--resume` continues exactly
//! (weights, optimizer moments and the step; the data order, the masks and dropout are all
//! derived from the seed and the step).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_bert::bert::{BertEmbeddings, BertModel};
use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, VarStore};
use tch::{Device, Kind, Reduction, Tensor};

use super::adamw::AdamW;
use super::train::{learning_rate, ModelSize};
use super::{
    bert_config, io_err, write_folder_files, write_json, ModelConfig, ModelError, FORMAT_VERSION,
    KIND_LM, WEIGHTS_FILE,
};
use crate::text::AlignedText;
use crate::tokens::shape::{self, TOKEN_TYPE_COUNT};
use crate::tokens::subword::SubwordTokenizer;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PretrainOptions {
    pub tokenizer: PathBuf,
    pub size: ModelSize,
    pub max_len: usize,
    pub batch_size: usize,
    /// Total optimizer steps of the run (the decay schedule ends there).
    pub steps: i64,
    pub learning_rate: f64,
    pub warmup_steps: i64,
    pub weight_decay: f64,
    pub mask_probability: f64,
    pub seed: u64,
    /// Every how many documents one is held out (never trained on) for evaluation.
    pub heldout_every: usize,
    pub checkpoint_seconds: u64,
    pub log_every: i64,
    pub eval_every: i64,
    pub resume: bool,
    /// Start from the weights of an earlier run's output folder (encoder and head) instead of
    /// random ones; the optimizer and the schedule start afresh.
    #[serde(default)]
    pub init: Option<PathBuf>,
    pub progress: bool,
    /// Word shapes as token types, as the tagger uses them (see `tokens::shape`).
    #[serde(default)]
    pub shape_types: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CurvePoint {
    pub step: i64,
    pub train_loss: f64,
    pub learning_rate: f64,
    pub tokens_per_second: f64,
    pub heldout_loss: Option<f64>,
    pub heldout_accuracy: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PretrainLog {
    pub options: PretrainOptions,
    pub train_documents: usize,
    pub heldout_documents: usize,
    pub train_tokens: usize,
    pub heldout_tokens: usize,
    pub parameters: i64,
    pub step: i64,
    pub seconds: f64,
    pub curve: Vec<CurvePoint>,
}

/// A tokenized stream cut into windows, with the word-start flags whole-word masking needs
/// and the token types (word shapes, or all 0).
struct Chunks {
    ids: Vec<Vec<i64>>,
    word_start: Vec<Vec<bool>>,
    types: Vec<Vec<i64>>,
    tokens: usize,
}

fn chunk(
    tokenizer: &SubwordTokenizer,
    texts: &[&str],
    width: usize,
    shape_types: bool,
) -> Result<Chunks, ModelError> {
    let mut ids = Vec::new();
    let mut starts = Vec::new();
    let mut types = Vec::new();
    for text in texts {
        let aligned = AlignedText::new(text);
        let normalized = aligned.normalized();
        let tokens = tokenizer.encode(normalized)?;
        starts.extend(shape::word_starts(normalized, &tokens));
        if shape_types {
            types.extend(shape::token_types(normalized, &tokens));
        } else {
            types.extend(std::iter::repeat_n(0, tokens.len()));
        }
        ids.extend(tokens.iter().map(|t| t.id));
        ids.push(tokenizer.sep_id);
        starts.push(true);
        types.push(shape::Shape::Special as i64);
    }
    let tokens = ids.len();
    let mut out = Chunks {
        ids: Vec::new(),
        word_start: Vec::new(),
        types: Vec::new(),
        tokens,
    };
    let special = shape::Shape::Special as i64;
    for ((c, s), t) in ids
        .chunks(width)
        .zip(starts.chunks(width))
        .zip(types.chunks(width))
    {
        if c.len() < 8 {
            continue;
        }
        out.ids
            .push([&[tokenizer.cls_id], c, &[tokenizer.sep_id]].concat());
        out.word_start.push([&[false], s, &[false]].concat());
        out.types.push([&[special], t, &[special]].concat());
    }
    Ok(out)
}

/// Masks whole words: each word is picked with probability `p`; a picked word's tokens become
/// [MASK] (80 %), a random token (10 %) or stay (10 %).
fn mask_batch(
    chunks: &Chunks,
    rows: &[usize],
    tokenizer: &SubwordTokenizer,
    p: f64,
    rng: &mut ChaCha8Rng,
) -> MaskedBatch {
    let len = rows.iter().map(|&r| chunks.ids[r].len()).max().unwrap_or(0);
    let vocab = tokenizer.vocab_size() as i64;
    let first_regular = crate::tokens::subword::SPECIAL_TOKENS.len() as i64;
    let mut inputs = Vec::with_capacity(rows.len() * len);
    let mut labels = Vec::with_capacity(rows.len() * len);
    let mut mask = Vec::with_capacity(rows.len() * len);
    let mut types = Vec::with_capacity(rows.len() * len);
    for &r in rows {
        let ids = &chunks.ids[r];
        let starts = &chunks.word_start[r];
        let mut picked = false;
        let mut any = false;
        let mut row_in = ids.clone();
        let mut row_lab = vec![-100i64; ids.len()];
        for i in 1..ids.len() - 1 {
            if ids[i] == tokenizer.sep_id {
                picked = false;
                continue;
            }
            if starts[i] {
                picked = rng.gen_bool(p);
            }
            if picked {
                any = true;
                row_lab[i] = ids[i];
                let roll: f64 = rng.gen();
                if roll < 0.8 {
                    row_in[i] = tokenizer.mask_id;
                } else if roll < 0.9 {
                    row_in[i] = rng.gen_range(first_regular..vocab);
                }
            }
        }
        if !any {
            // Every row scores at least one token.
            let i = rng.gen_range(1..ids.len() - 1);
            row_lab[i] = ids[i];
            row_in[i] = tokenizer.mask_id;
        }
        let pad = len - ids.len();
        inputs.extend(row_in);
        inputs.extend(std::iter::repeat_n(tokenizer.pad_id, pad));
        labels.extend(row_lab);
        labels.extend(std::iter::repeat_n(-100i64, pad));
        mask.extend(std::iter::repeat_n(1i64, ids.len()));
        mask.extend(std::iter::repeat_n(0i64, pad));
        types.extend_from_slice(&chunks.types[r]);
        types.extend(std::iter::repeat_n(shape::Shape::Special as i64, pad));
    }
    let dims = [rows.len() as i64, len as i64];
    MaskedBatch {
        inputs: Tensor::from_slice(&inputs).view(dims),
        mask: Tensor::from_slice(&mask).view(dims),
        types: Tensor::from_slice(&types).view(dims),
        labels: Tensor::from_slice(&labels).view(dims),
    }
}

/// One batch of masked windows; `labels` is -100 where a token is not scored.
struct MaskedBatch {
    inputs: Tensor,
    mask: Tensor,
    types: Tensor,
    labels: Tensor,
}

/// BERT with a masked-LM head whose output layer is the word-embedding matrix (tied, as in
/// BERT), applied only where a token is scored: the vocabulary projection is the costliest
/// layer, and 85 % of its rows would be thrown away.
struct MaskedLm {
    bert: BertModel<BertEmbeddings>,
    dense: nn::Linear,
    layer_norm: nn::LayerNorm,
    bias: Tensor,
    word_embeddings: Tensor,
}

impl MaskedLm {
    fn new(vs: &VarStore, config: &ModelConfig) -> Result<Self, ModelError> {
        let root = vs.root();
        let bert = BertModel::new_with_optional_pooler(&root / "bert", &config.bert, false);
        let head = &root / "cls" / "predictions";
        let hidden = config.bert.hidden_size;
        let dense = nn::linear(
            &head / "transform" / "dense",
            hidden,
            hidden,
            Default::default(),
        );
        let layer_norm = nn::layer_norm(
            &head / "transform" / "LayerNorm",
            vec![hidden],
            nn::LayerNormConfig {
                eps: 1e-12,
                ..Default::default()
            },
        );
        let bias = head.zeros("bias", &[config.bert.vocab_size]);
        let word_embeddings = vs
            .variables()
            .remove("bert.embeddings.word_embeddings.weight")
            .ok_or_else(|| ModelError::Data("BERT has no word embeddings".into()))?;
        Ok(MaskedLm {
            bert,
            dense,
            layer_norm,
            bias,
            word_embeddings,
        })
    }

    /// Scores [scored tokens, vocabulary] and their labels [scored tokens].
    fn scores(&self, batch: &MaskedBatch, train: bool) -> Result<(Tensor, Tensor), ModelError> {
        let hidden = self
            .bert
            .forward_t(
                Some(&batch.inputs),
                Some(&batch.mask),
                Some(&batch.types),
                None,
                None,
                None,
                None,
                train,
            )
            .map_err(|e| ModelError::Data(e.to_string()))?
            .hidden_state;
        let width = hidden.size()[2];
        let labels = batch.labels.view([-1]);
        let scored = labels.ne(-100).nonzero().squeeze_dim(1);
        let picked = hidden.view([-1, width]).index_select(0, &scored);
        let transformed = self
            .dense
            .forward(&picked)
            .gelu("none")
            .apply(&self.layer_norm);
        let scores = transformed.matmul(&self.word_embeddings.tr()) + &self.bias;
        Ok((scores, labels.index_select(0, &scored)))
    }

    /// The mean cross-entropy over the scored tokens of `batch`.
    fn loss(&self, batch: &MaskedBatch, train: bool) -> Result<Tensor, ModelError> {
        let (scores, labels) = self.scores(batch, train)?;
        Ok(scores.cross_entropy_loss::<Tensor>(&labels, None, Reduction::Mean, -100, 0.0))
    }
}

/// BERT's initialization (normal with standard deviation 0.02, zero biases, unit layer norms);
/// the libtorch defaults rust-bert leaves (unit-variance embeddings, Kaiming-uniform
/// matrices) make the tied output layer start with huge scores.
fn bert_init(vs: &VarStore) {
    // In name order: the draws from the seeded generator must not follow a hash map's order.
    let mut variables: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    variables.sort_by(|a, b| a.0.cmp(&b.0));
    tch::no_grad(|| {
        for (name, mut var) in variables {
            if name.ends_with(".bias") {
                let _ = var.zero_();
            } else if name.contains("LayerNorm") {
                let _ = var.fill_(1.0);
            } else {
                var.copy_(&(Tensor::randn_like(&var) * 0.02));
            }
        }
    });
}

/// The rows of step `step`: the chunks in a seeded order that is reshuffled every pass.
fn rows_of_step(n: usize, batch: usize, step: i64, seed: u64) -> Vec<usize> {
    let per_pass = (n / batch).max(1) as i64;
    let pass = step / per_pass;
    let at = (step % per_pass) as usize * batch;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(
        seed ^ (pass as u64).wrapping_mul(0x9e37_79b9),
    ));
    order
        .into_iter()
        .cycle()
        .skip(at)
        .take(batch.min(n))
        .collect()
}

fn step_rng(seed: u64, step: i64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed.wrapping_add((step as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)))
}

/// Loss and accuracy on masked tokens of the held-out chunks, with fixed masks.
fn heldout(
    model: &MaskedLm,
    chunks: &Chunks,
    tokenizer: &SubwordTokenizer,
    opts: &PretrainOptions,
) -> Result<(f64, f64), ModelError> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5eed);
    let rows: Vec<usize> = (0..chunks.ids.len()).collect();
    let (mut loss_sum, mut correct, mut total) = (0.0, 0i64, 0i64);
    for batch in rows.chunks(opts.batch_size) {
        let masked = mask_batch(chunks, batch, tokenizer, opts.mask_probability, &mut rng);
        let (scores, labels) = tch::no_grad(|| model.scores(&masked, false))?;
        loss_sum += scores
            .cross_entropy_loss::<Tensor>(&labels, None, Reduction::Sum, -100, 0.0)
            .double_value(&[]);
        correct += scores
            .argmax(-1, false)
            .eq_tensor(&labels)
            .sum(Kind::Int64)
            .int64_value(&[]);
        total += labels.size()[0];
    }
    let total = total.max(1) as f64;
    Ok((loss_sum / total, correct as f64 / total))
}

/// Saves the model folder: the encoder, which the tagger loads, and the prediction head
/// (`cls.*`, which the tagger ignores) so that `--init` can continue pretraining from it.
fn save_lm(
    vs: &VarStore,
    config: &ModelConfig,
    tokenizer: &SubwordTokenizer,
    dir: &Path,
) -> Result<(), ModelError> {
    write_folder_files(dir, config, tokenizer)?;
    let mut weights: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    weights.sort_by(|a, b| a.0.cmp(&b.0));
    Tensor::write_safetensors(&weights, dir.join(WEIGHTS_FILE))?;
    Ok(())
}

/// Splits texts into training and held-out ones: every `heldout_every`-th text is held out.
fn split_heldout<'t>(
    texts: &'t [(String, String)],
    opts: &PretrainOptions,
) -> (Vec<&'t str>, Vec<&'t str>) {
    let every = opts.heldout_every.max(2);
    let (heldout, train): (Vec<_>, Vec<_>) = texts
        .iter()
        .enumerate()
        .partition(|(i, _)| i % every == every - 1);
    let texts_of = |v: Vec<(usize, &'t (String, String))>| {
        v.into_iter().map(|(_, (_, t))| t.as_str()).collect()
    };
    (texts_of(train), texts_of(heldout))
}

/// The masked-LM configuration of `opts` over a vocabulary of `vocab_size`.
fn lm_config(opts: &PretrainOptions, vocab_size: usize) -> ModelConfig {
    let mut bert = bert_config(
        vocab_size,
        if opts.shape_types {
            TOKEN_TYPE_COUNT
        } else {
            2
        },
        opts.size.hidden,
        opts.size.layers,
        opts.size.heads,
        opts.size.intermediate,
        opts.max_len,
    );
    bert.id2label = None;
    bert.label2id = None;
    ModelConfig {
        vaner_format: FORMAT_VERSION,
        kind: KIND_LM.to_string(),
        max_len: opts.max_len,
        shape_types: opts.shape_types,
        word_tags: false,
        crf: false,
        bert,
    }
}

/// Pretrains on `texts` (id, text) and writes the encoder to `out`; `out/checkpoint/` holds
/// the full state while it runs. Stops at `opts.steps` or when `stop_after` steps were done
/// in this call (for tests and for runs split across sittings).
pub fn pretrain(
    texts: &[(String, String)],
    opts: &PretrainOptions,
    out: &Path,
    stop_after: Option<i64>,
) -> Result<PretrainLog, ModelError> {
    tch::manual_seed(opts.seed as i64);
    let tokenizer = SubwordTokenizer::load(&opts.tokenizer)?;
    let (train_texts, heldout_texts) = split_heldout(texts, opts);
    let width = opts.max_len - 2;
    let train_chunks = chunk(&tokenizer, &train_texts, width, opts.shape_types)?;
    let heldout_chunks = chunk(&tokenizer, &heldout_texts, width, opts.shape_types)?;
    if train_chunks.ids.is_empty() {
        return Err(ModelError::Data("not enough text to pretrain on".into()));
    }
    let config = lm_config(opts, tokenizer.vocab_size());
    let mut vs = VarStore::new(Device::Cpu);
    let model = MaskedLm::new(&vs, &config)?;
    match &opts.init {
        Some(dir) => {
            let missing = vs.load_partial(dir.join(WEIGHTS_FILE))?;
            if !missing.is_empty() {
                return Err(ModelError::BadWeights {
                    path: dir.join(WEIGHTS_FILE),
                    message: format!(
                        "{} of the masked-LM weights are missing, {} among them \
                         (is it a vaner pretrain output with the same size?)",
                        missing.len(),
                        missing[0]
                    ),
                });
            }
        }
        None => bert_init(&vs),
    }
    let mut optimizer = AdamW::new(&vs, opts.weight_decay);
    let parameters: i64 = vs.variables().values().map(|t| t.numel() as i64).sum();
    let checkpoint = out.join("checkpoint");
    let mut log = PretrainLog {
        options: opts.clone(),
        train_documents: train_texts.len(),
        heldout_documents: heldout_texts.len(),
        train_tokens: train_chunks.tokens,
        heldout_tokens: heldout_chunks.tokens,
        parameters,
        step: 0,
        seconds: 0.0,
        curve: Vec::new(),
    };
    if opts.resume && checkpoint.join("state.json").is_file() {
        let raw = fs::read_to_string(checkpoint.join("state.json")).map_err(io_err(&checkpoint))?;
        let previous: PretrainLog =
            serde_json::from_str(&raw).map_err(|e| ModelError::Data(e.to_string()))?;
        vs.load(checkpoint.join(WEIGHTS_FILE))?;
        optimizer.load(&checkpoint.join("optimizer.safetensors"))?;
        log.step = previous.step;
        log.seconds = previous.seconds;
        log.curve = previous.curve;
    }
    let bar = if opts.progress {
        ProgressBar::new(opts.steps as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} steps {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_position(log.step as u64);
    let session_start = Instant::now();
    let mut last_checkpoint = Instant::now();
    let mut window_loss = 0.0;
    let mut window_steps = 0;
    let mut window_tokens = 0usize;
    let mut window_start = Instant::now();
    let mut done_here = 0;
    let save_checkpoint =
        |vs: &VarStore, optimizer: &AdamW, log: &PretrainLog| -> Result<(), ModelError> {
            fs::create_dir_all(&checkpoint).map_err(io_err(&checkpoint))?;
            vs.save(checkpoint.join(WEIGHTS_FILE))?;
            optimizer.save(&checkpoint.join("optimizer.safetensors"))?;
            write_json(&checkpoint.join("state.json"), log)
        };
    while log.step < opts.steps && stop_after.is_none_or(|n| done_here < n) {
        let step = log.step;
        tch::manual_seed(opts.seed as i64 + step);
        let rows = rows_of_step(train_chunks.ids.len(), opts.batch_size, step, opts.seed);
        let mut rng = step_rng(opts.seed, step);
        let masked = mask_batch(
            &train_chunks,
            &rows,
            &tokenizer,
            opts.mask_probability,
            &mut rng,
        );
        let loss = model.loss(&masked, true)?;
        optimizer.zero_grad();
        loss.backward();
        optimizer.clip_grad_norm(1.0);
        let lr = learning_rate(step, opts.steps, opts.warmup_steps, opts.learning_rate);
        optimizer.step(lr);
        let l = loss.double_value(&[]);
        log.step += 1;
        done_here += 1;
        window_loss += l;
        window_steps += 1;
        window_tokens += rows
            .iter()
            .map(|&r| train_chunks.ids[r].len())
            .sum::<usize>();
        bar.inc(1);
        bar.set_message(format!("loss {l:.3}"));
        let eval_now = opts.eval_every > 0 && log.step % opts.eval_every == 0;
        if log.step % opts.log_every.max(1) == 0 || eval_now || log.step == opts.steps {
            let (hl, ha) = if (eval_now || log.step == opts.steps) && !heldout_chunks.ids.is_empty()
            {
                let (a, b) = heldout(&model, &heldout_chunks, &tokenizer, opts)?;
                (Some(a), Some(b))
            } else {
                (None, None)
            };
            let point = CurvePoint {
                step: log.step,
                train_loss: window_loss / window_steps.max(1) as f64,
                learning_rate: lr,
                tokens_per_second: window_tokens as f64
                    / window_start.elapsed().as_secs_f64().max(1e-9),
                heldout_loss: hl,
                heldout_accuracy: ha,
            };
            let line = format!(
                "step {:>7}  loss {:.4}  lr {:.2e}  {:.0} tokens/s{}",
                point.step,
                point.train_loss,
                point.learning_rate,
                point.tokens_per_second,
                match (hl, ha) {
                    (Some(a), Some(b)) => format!("  held-out loss {a:.4} accuracy {b:.4}"),
                    _ => String::new(),
                }
            );
            if opts.progress {
                bar.suspend(|| eprintln!("{line}"));
            } else {
                eprintln!("{line}");
            }
            log.curve.push(point);
            window_loss = 0.0;
            window_steps = 0;
            window_tokens = 0;
            window_start = Instant::now();
        }
        if last_checkpoint.elapsed().as_secs() >= opts.checkpoint_seconds {
            log.seconds += session_start.elapsed().as_secs_f64();
            save_checkpoint(&vs, &optimizer, &log)?;
            log.seconds -= session_start.elapsed().as_secs_f64();
            last_checkpoint = Instant::now();
        }
    }
    bar.finish_and_clear();
    log.seconds += session_start.elapsed().as_secs_f64();
    save_checkpoint(&vs, &optimizer, &log)?;
    save_lm(&vs, &config, &tokenizer, out)?;
    write_json(&out.join("pretraining.json"), &log)?;
    Ok(log)
}

/// The loss of the next step after the current state, without updating anything (tests use
/// it to check that a resumed run continues exactly).
pub fn next_step_loss(
    texts: &[(String, String)],
    opts: &PretrainOptions,
    out: &Path,
) -> Result<f64, ModelError> {
    let tokenizer = SubwordTokenizer::load(&opts.tokenizer)?;
    let (train_texts, _) = split_heldout(texts, opts);
    let chunks = chunk(&tokenizer, &train_texts, opts.max_len - 2, opts.shape_types)?;
    let checkpoint = out.join("checkpoint");
    let raw = fs::read_to_string(checkpoint.join("state.json")).map_err(io_err(&checkpoint))?;
    let state: PretrainLog =
        serde_json::from_str(&raw).map_err(|e| ModelError::Data(e.to_string()))?;
    let config = lm_config(opts, tokenizer.vocab_size());
    let mut vs = VarStore::new(Device::Cpu);
    let model = MaskedLm::new(&vs, &config)?;
    vs.load(checkpoint.join(WEIGHTS_FILE))?;
    tch::manual_seed(opts.seed as i64 + state.step);
    let rows = rows_of_step(chunks.ids.len(), opts.batch_size, state.step, opts.seed);
    let mut rng = step_rng(opts.seed, state.step);
    let masked = mask_batch(&chunks, &rows, &tokenizer, opts.mask_probability, &mut rng);
    let loss = tch::no_grad(|| model.loss(&masked, false))?;
    Ok(loss.double_value(&[]))
}
