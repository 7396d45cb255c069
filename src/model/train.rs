//! Fine-tuning the tagger: BIO tags over subword windows, cross-entropy, AdamW with warm-up and
//! linear decay, gradient clipping, early stopping on dev strict micro-F1, checkpoints that a
//! later run resumes exactly (weights, optimizer moments, step; batch order and dropout are
//! derived from the seed, the epoch and the step).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use tch::{Kind, Reduction, Tensor};

use super::adamw::AdamW;
use super::tagger::{windows, BertTagger, Tagger};
use super::{
    bert_config, io_err, open_folder, write_folder_files, write_json, ModelConfig, ModelError,
    CONFIG_FILE, FORMAT_VERSION, KIND_LM, KIND_TAGGER, WEIGHTS_FILE,
};
use crate::doc::{Document, Span};
use crate::eval::evaluate;
use crate::tags::spans_to_tags;
use crate::text::AlignedText;
use crate::tokens::shape::TOKEN_TYPE_COUNT;
use crate::tokens::subword::SubwordTokenizer;

/// The size of a model trained from random weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelSize {
    pub hidden: i64,
    pub layers: i64,
    pub heads: i64,
    pub intermediate: i64,
}

/// Where the encoder's first weights come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Init {
    /// A pretrained language-model folder (`vaner pretrain`): its tokenizer, size and encoder;
    /// or a tagger folder, trained further from all its weights.
    Pretrained(PathBuf),
    /// Random weights of the given size over the given tokenizer.
    Random { tokenizer: PathBuf, size: ModelSize },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainOptions {
    pub init: Init,
    pub max_len: usize,
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub warmup_fraction: f64,
    pub weight_decay: f64,
    pub dropout: f64,
    pub max_grad_norm: f64,
    /// Stop after this many epochs without a better dev F1.
    pub patience: usize,
    /// Word shapes as token types (random init only; a pretrained encoder brings its own).
    #[serde(default)]
    pub shape_types: bool,
    /// Tags on the first subword of each word.
    #[serde(default)]
    pub word_tags: bool,
    /// A CRF layer over the tags instead of a per-token cross-entropy.
    #[serde(default)]
    pub crf: bool,
    /// Keep only the first N encoder layers of a pretrained language model: a smaller and
    /// faster tagger (an error for a tagger trained further, which keeps its own size).
    #[serde(default)]
    pub encoder_layers: Option<i64>,
    pub seed: u64,
    /// Continue from `OUT/checkpoint` when it exists.
    pub resume: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            init: Init::Pretrained(PathBuf::from("models/lm")),
            max_len: 128,
            epochs: 30,
            batch_size: 16,
            learning_rate: 3e-4,
            warmup_fraction: 0.06,
            weight_decay: 0.01,
            dropout: 0.1,
            max_grad_norm: 1.0,
            patience: 5,
            shape_types: true,
            word_tags: true,
            crf: false,
            encoder_layers: None,
            seed: 13,
            resume: false,
            progress: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub step: i64,
    pub train_loss: f64,
    pub dev_strict_f1: Option<f64>,
    pub dev_partial_f1: Option<f64>,
    pub seconds: f64,
}

/// What `training.json` records, and what a checkpoint resumes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainLog {
    pub options: TrainOptions,
    pub train_documents: usize,
    pub dev_documents: usize,
    pub train_windows: usize,
    pub parameters: i64,
    pub epochs: Vec<EpochLog>,
    pub best_epoch: Option<usize>,
    pub best_dev_strict_f1: Option<f64>,
    pub seconds: f64,
}

/// One training window: token ids and types with [CLS]/[SEP], and tag indices (-100 where
/// ignored: the special tokens, and subwords that continue a word when tags are per word).
struct Example {
    ids: Vec<i64>,
    types: Vec<i64>,
    tags: Vec<i64>,
}

fn examples(tagger: &BertTagger, docs: &[Document]) -> Result<Vec<Example>, ModelError> {
    let width = tagger.config.max_len - 2;
    let mut out = Vec::new();
    for doc in docs {
        let aligned = AlignedText::new(&doc.text);
        let encoded = tagger.encode(aligned.normalized())?;
        let tokens = &encoded.tokens;
        let spans: Vec<Span> = doc
            .spans
            .iter()
            .filter_map(|s| {
                let r = aligned.to_normalized(s.start..s.end)?;
                Some(Span {
                    start: r.start,
                    end: r.end,
                    label: s.label,
                })
            })
            .collect();
        let ranges: Vec<_> = tokens.iter().map(|t| t.range.clone()).collect();
        let tags = spans_to_tags(&ranges, &spans);
        for w in windows(tokens.len(), width) {
            let mut t = Vec::with_capacity(w.len() + 2);
            t.push(-100);
            t.extend(w.clone().map(|i| {
                if encoded.word_starts[i] {
                    tags[i].index() as i64
                } else {
                    -100
                }
            }));
            t.push(-100);
            let (ids, types) = tagger.window_inputs(&encoded, w);
            out.push(Example {
                ids,
                types,
                tags: t,
            });
        }
    }
    Ok(out)
}

/// Batches of example indices of similar length (less padding), in a seeded random order.
fn batches(examples: &[Example], batch_size: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    order.shuffle(&mut rng);
    order.sort_by_key(|&i| examples[i].ids.len());
    let mut out: Vec<Vec<usize>> = order.chunks(batch_size).map(<[usize]>::to_vec).collect();
    out.shuffle(&mut rng);
    out
}

/// Padded ids, types, attention mask and tags of a batch.
fn batch_tensors(
    examples: &[Example],
    batch: &[usize],
    pad_id: i64,
) -> (Tensor, Tensor, Tensor, Tensor) {
    let len = batch
        .iter()
        .map(|&i| examples[i].ids.len())
        .max()
        .unwrap_or(0);
    let mut ids = Vec::with_capacity(batch.len() * len);
    let mut types = Vec::with_capacity(batch.len() * len);
    let mut mask = Vec::with_capacity(batch.len() * len);
    let mut tags = Vec::with_capacity(batch.len() * len);
    for &i in batch {
        let e = &examples[i];
        let pad = len - e.ids.len();
        ids.extend(&e.ids);
        ids.extend(std::iter::repeat_n(pad_id, pad));
        types.extend(&e.types);
        types.extend(std::iter::repeat_n(0i64, pad));
        mask.extend(std::iter::repeat_n(1i64, e.ids.len()));
        mask.extend(std::iter::repeat_n(0i64, pad));
        tags.extend(&e.tags);
        tags.extend(std::iter::repeat_n(-100i64, pad));
    }
    let shape = [batch.len() as i64, len as i64];
    (
        Tensor::from_slice(&ids).view(shape),
        Tensor::from_slice(&types).view(shape),
        Tensor::from_slice(&mask).view(shape),
        Tensor::from_slice(&tags).view(shape),
    )
}

/// Linear warm-up to `peak`, then linear decay to zero at `total`.
pub fn learning_rate(step: i64, total: i64, warmup: i64, peak: f64) -> f64 {
    if step < warmup {
        peak * (step + 1) as f64 / warmup.max(1) as f64
    } else {
        peak * ((total - step) as f64 / (total - warmup).max(1) as f64).max(0.0)
    }
}

/// Strict and partial micro-F1 of `tagger` on `docs`.
pub fn dev_scores(tagger: &BertTagger, docs: &[Document]) -> Result<(f64, f64), ModelError> {
    let mut pred = HashMap::new();
    for d in docs {
        let spans = tagger.tag(&d.text)?;
        pred.insert(
            d.id.clone(),
            Document {
                id: d.id.clone(),
                text: d.text.clone(),
                spans,
            },
        );
    }
    let r = evaluate(docs, &pred);
    Ok((r.micro.strict.f1, r.micro.partial.f1))
}

/// A trained tagger to train further, if its decoding matches what `opts` asks for.
fn continued_tagger(dir: &Path, opts: &TrainOptions) -> Result<BertTagger, ModelError> {
    if opts.encoder_layers.is_some() {
        return Err(ModelError::BadConfig {
            path: dir.join(CONFIG_FILE),
            message: "a tagger trained further keeps all its encoder layers".to_string(),
        });
    }
    let tagger = BertTagger::load(dir)?;
    let c = &tagger.config;
    // A CRF may be put on a tagger that has none (its transitions start from zero); the
    // other settings shape the inputs and stay as they were.
    let adds_crf = opts.crf && !c.crf;
    if c.word_tags != opts.word_tags
        || (c.crf != opts.crf && !adds_crf)
        || c.max_len != opts.max_len
    {
        return Err(ModelError::BadConfig {
            path: dir.join(CONFIG_FILE),
            message: format!(
                "cannot continue this tagger with other settings (word tags {}, CRF {}, \
                 max length {}; asked {}, {}, {})",
                c.word_tags, c.crf, c.max_len, opts.word_tags, opts.crf, opts.max_len
            ),
        });
    }
    if !adds_crf {
        return Ok(tagger);
    }
    let files = open_folder(dir, KIND_TAGGER)?;
    let config = ModelConfig {
        crf: true,
        ..files.config
    };
    let mut with_crf = BertTagger::new(config, files.tokenizer)?;
    with_crf.vs.load_partial(&files.weights)?;
    Ok(with_crf)
}

fn build_tagger(opts: &TrainOptions) -> Result<BertTagger, ModelError> {
    match &opts.init {
        Init::Pretrained(dir) => {
            let lm = match open_folder(dir, KIND_LM) {
                // A tagger goes on from all its weights (a model adapted to new data).
                Err(ModelError::WrongKind { found, .. }) if found == KIND_TAGGER => {
                    return continued_tagger(dir, opts)
                }
                other => other?,
            };
            let mut bert = lm.config.bert.clone();
            let with_labels = bert_config(bert.vocab_size as usize, 2, 1, 1, 1, 1, opts.max_len);
            bert.id2label = with_labels.id2label;
            bert.label2id = with_labels.label2id;
            bert.hidden_dropout_prob = opts.dropout;
            if let Some(layers) = opts.encoder_layers {
                if !(1..=bert.num_hidden_layers).contains(&layers) {
                    return Err(ModelError::BadConfig {
                        path: dir.join(CONFIG_FILE),
                        message: format!(
                            "cannot keep {layers} encoder layers of a language model that has {}",
                            bert.num_hidden_layers
                        ),
                    });
                }
                // The weights of the layers above are in the file and are left unread.
                bert.num_hidden_layers = layers;
            }
            let config = ModelConfig {
                vaner_format: FORMAT_VERSION,
                kind: KIND_TAGGER.to_string(),
                max_len: opts.max_len.min(lm.config.max_len.max(opts.max_len)),
                // The token-type embeddings come with the encoder.
                shape_types: lm.config.shape_types,
                word_tags: opts.word_tags,
                crf: opts.crf,
                bert,
            };
            let mut tagger = BertTagger::new(config, lm.tokenizer)?;
            let missing = tagger.vs.load_partial(&lm.weights)?;
            if missing.iter().any(|n| n.starts_with("bert.")) {
                return Err(ModelError::BadWeights {
                    path: lm.weights,
                    message: format!("encoder weights missing: {}", missing.join(", ")),
                });
            }
            Ok(tagger)
        }
        Init::Random { tokenizer, size } => {
            let tokenizer = SubwordTokenizer::load(tokenizer)?;
            let type_vocab_size = if opts.shape_types {
                TOKEN_TYPE_COUNT
            } else {
                2
            };
            let mut bert = bert_config(
                tokenizer.vocab_size(),
                type_vocab_size,
                size.hidden,
                size.layers,
                size.heads,
                size.intermediate,
                opts.max_len,
            );
            bert.hidden_dropout_prob = opts.dropout;
            let config = ModelConfig {
                vaner_format: FORMAT_VERSION,
                kind: KIND_TAGGER.to_string(),
                max_len: opts.max_len,
                shape_types: opts.shape_types,
                word_tags: opts.word_tags,
                crf: opts.crf,
                bert,
            };
            BertTagger::new(config, tokenizer)
        }
    }
}

fn save_model(tagger: &BertTagger, dir: &Path) -> Result<(), ModelError> {
    write_folder_files(dir, &tagger.config, &tagger.tokenizer)?;
    tagger.vs.save(dir.join(WEIGHTS_FILE))?;
    Ok(())
}

/// Trains a tagger on `train`, selects the epoch with the best strict micro-F1 on `dev`, and
/// writes the model folder to `out` (plus `out/checkpoint/` while training).
pub fn train(
    train_docs: &[Document],
    dev_docs: &[Document],
    opts: &TrainOptions,
    out: &Path,
) -> Result<TrainLog, ModelError> {
    tch::manual_seed(opts.seed as i64);
    let mut tagger = build_tagger(opts)?;
    let examples = examples(&tagger, train_docs)?;
    if examples.is_empty() {
        return Err(ModelError::Data("no training text".into()));
    }
    let steps_per_epoch = examples.len().div_ceil(opts.batch_size) as i64;
    let total_steps = steps_per_epoch * opts.epochs as i64;
    let warmup = (total_steps as f64 * opts.warmup_fraction).round() as i64;
    let mut optimizer = AdamW::new(&tagger.vs, opts.weight_decay);
    let parameters: i64 = tagger
        .vs
        .variables()
        .values()
        .map(|t| t.numel() as i64)
        .sum();
    let checkpoint = out.join("checkpoint");
    let mut log = TrainLog {
        options: opts.clone(),
        train_documents: train_docs.len(),
        dev_documents: dev_docs.len(),
        train_windows: examples.len(),
        parameters,
        epochs: Vec::new(),
        best_epoch: None,
        best_dev_strict_f1: None,
        seconds: 0.0,
    };
    if opts.resume && checkpoint.join("state.json").is_file() {
        let raw = fs::read_to_string(checkpoint.join("state.json")).map_err(io_err(&checkpoint))?;
        let previous: TrainLog =
            serde_json::from_str(&raw).map_err(|e| ModelError::Data(e.to_string()))?;
        tagger.vs.load(checkpoint.join(WEIGHTS_FILE))?;
        optimizer.load(&checkpoint.join("optimizer.safetensors"))?;
        log.epochs = previous.epochs;
        log.best_epoch = previous.best_epoch;
        log.best_dev_strict_f1 = previous.best_dev_strict_f1;
        log.seconds = previous.seconds;
    }
    let bar = if opts.progress {
        ProgressBar::new(total_steps as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} steps {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_position(optimizer.step as u64);
    let first_epoch = log.epochs.len();
    let mut bad_epochs = match log.best_epoch {
        Some(b) => first_epoch.saturating_sub(b + 1),
        None => 0,
    };
    for epoch in first_epoch..opts.epochs {
        if bad_epochs >= opts.patience && !dev_docs.is_empty() {
            break;
        }
        let epoch_start = Instant::now();
        let mut loss_sum = 0.0;
        let order = batches(
            &examples,
            opts.batch_size,
            opts.seed.wrapping_add(epoch as u64),
        );
        for batch in &order {
            tch::manual_seed(opts.seed as i64 + optimizer.step);
            let (ids, types, mask, tags) = batch_tensors(&examples, batch, tagger.tokenizer.pad_id);
            let logits = tagger
                .model
                .forward_t(Some(&ids), Some(&mask), Some(&types), None, None, true)
                .logits;
            let loss = match &tagger.crf {
                Some(crf) => crf.loss(&logits, &tags),
                None => logits
                    .view([-1, crate::tags::Tag::COUNT as i64])
                    .cross_entropy_loss::<Tensor>(
                        &tags.view([-1]),
                        None,
                        Reduction::Mean,
                        -100,
                        0.0,
                    ),
            };
            optimizer.zero_grad();
            loss.backward();
            optimizer.clip_grad_norm(opts.max_grad_norm);
            let lr = learning_rate(optimizer.step, total_steps, warmup, opts.learning_rate);
            optimizer.step(lr);
            let l = loss.to_kind(Kind::Double).double_value(&[]);
            loss_sum += l;
            bar.inc(1);
            bar.set_message(format!("epoch {} loss {l:.4}", epoch + 1));
        }
        let (strict, partial) = if dev_docs.is_empty() {
            (None, None)
        } else {
            let (s, p) = dev_scores(&tagger, dev_docs)?;
            (Some(s), Some(p))
        };
        let entry = EpochLog {
            epoch: epoch + 1,
            step: optimizer.step,
            train_loss: loss_sum / order.len().max(1) as f64,
            dev_strict_f1: strict,
            dev_partial_f1: partial,
            seconds: epoch_start.elapsed().as_secs_f64(),
        };
        let line = format!(
            "epoch {:>3}  step {:>6}  loss {:.4}  dev strict F1 {}  ({:.0} s)",
            entry.epoch,
            entry.step,
            entry.train_loss,
            strict.map_or("-".to_string(), |f| format!("{f:.4}")),
            entry.seconds
        );
        bar.suspend(|| eprintln!("{line}"));
        log.epochs.push(entry);
        let improved = match (strict, log.best_dev_strict_f1) {
            (Some(s), Some(b)) => s > b,
            (Some(_), None) => true,
            (None, _) => true,
        };
        if improved {
            log.best_epoch = Some(epoch);
            log.best_dev_strict_f1 = strict;
            bad_epochs = 0;
            save_model(&tagger, out)?;
        } else {
            bad_epochs += 1;
        }
        log.seconds += epoch_start.elapsed().as_secs_f64();
        fs::create_dir_all(&checkpoint).map_err(io_err(&checkpoint))?;
        tagger.vs.save(checkpoint.join(WEIGHTS_FILE))?;
        optimizer.save(&checkpoint.join("optimizer.safetensors"))?;
        write_json(&checkpoint.join("state.json"), &log)?;
    }
    bar.finish_and_clear();
    if log.best_epoch.is_none() {
        save_model(&tagger, out)?;
    }
    write_json(&out.join("training.json"), &log)?;
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learning_rate_warms_up_then_decays() {
        assert!((learning_rate(0, 100, 10, 1.0) - 0.1).abs() < 1e-12);
        assert!((learning_rate(9, 100, 10, 1.0) - 1.0).abs() < 1e-12);
        assert!((learning_rate(55, 100, 10, 1.0) - 0.5).abs() < 1e-12);
        assert_eq!(learning_rate(100, 100, 10, 1.0), 0.0);
    }
}
