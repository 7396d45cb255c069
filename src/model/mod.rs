//! Tokens → tags: the transformer (rust-bert BERT on libtorch), its files on disk, training.
//!
//! A model folder holds `config.json` (vaner's format version, the kind of model, the window
//! length and the BERT configuration), `labels.json` (the tag names, in output order),
//! `tokenizer.json` and `model.safetensors`.

pub mod adamw;
pub mod crf;
pub mod pretrain;
pub mod tagger;
pub mod train;

use std::fs;
use std::path::{Path, PathBuf};

use rust_bert::bert::BertConfig;
use serde::{Deserialize, Serialize};

use crate::tags::Tag;
use crate::tokens::subword::{SubwordTokenizer, TokenizerError};

/// The model-folder layout this version of vaner writes and reads.
pub const FORMAT_VERSION: u32 = 1;
pub const CONFIG_FILE: &str = "config.json";
pub const LABELS_FILE: &str = "labels.json";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const WEIGHTS_FILE: &str = "model.safetensors";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model folder {0} not found (train one with `vaner train`, or pass --model DIR)")]
    NotFound(PathBuf),
    #[error("model folder {dir} is incomplete: {file} is missing")]
    Incomplete { dir: PathBuf, file: &'static str },
    #[error("{path}: {message}")]
    BadConfig { path: PathBuf, message: String },
    #[error("{path} was written by another version of vaner (format {found}, this vaner reads {FORMAT_VERSION})")]
    OtherVersion { path: PathBuf, found: u32 },
    #[error("{path} is a {found} model; a {expected} model is needed here")]
    WrongKind {
        path: PathBuf,
        found: String,
        expected: &'static str,
    },
    #[error("{path} is for another label set ({found}); this vaner tags {expected}")]
    OtherLabels {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("{path}: the weights do not fit the configuration: {message}")]
    BadWeights { path: PathBuf, message: String },
    #[error(transparent)]
    Tokenizer(#[from] TokenizerError),
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Data(String),
}

/// What `config.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelConfig {
    pub vaner_format: u32,
    /// `token-classification` or `masked-lm`.
    pub kind: String,
    /// Subword tokens per window, [CLS] and [SEP] included.
    pub max_len: usize,
    /// BERT token types carry word shapes ([`crate::tokens::shape`]) instead of segments.
    #[serde(default)]
    pub shape_types: bool,
    /// Tags are predicted on the first subword of each word; the rest of the word follows it,
    /// so no span can end inside a word.
    #[serde(default)]
    pub word_tags: bool,
    /// A CRF layer ([`crf`]) scores tag transitions, trained with the encoder.
    #[serde(default)]
    pub crf: bool,
    pub bert: BertConfig,
}

pub const KIND_TAGGER: &str = "token-classification";
pub const KIND_LM: &str = "masked-lm";

/// The tag names in output order, as `labels.json` stores them.
pub fn tag_names() -> Vec<String> {
    (0..Tag::COUNT)
        .filter_map(Tag::from_index)
        .map(Tag::name)
        .collect()
}

/// A BERT configuration sized by the caller, with vaner's tag set as labels.
pub fn bert_config(
    vocab_size: usize,
    type_vocab_size: i64,
    hidden: i64,
    layers: i64,
    heads: i64,
    intermediate: i64,
    max_len: usize,
) -> BertConfig {
    let names = tag_names();
    let json = serde_json::json!({
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "max_position_embeddings": max_len.max(512),
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "type_vocab_size": type_vocab_size,
        "vocab_size": vocab_size,
        "id2label": names.iter().enumerate().map(|(i, n)| (i.to_string(), serde_json::Value::from(n.clone()))).collect::<serde_json::Map<_, _>>(),
        "label2id": names.iter().enumerate().map(|(i, n)| (n.clone(), serde_json::Value::from(i))).collect::<serde_json::Map<_, _>>(),
    });
    serde_json::from_value(json).expect("a complete BERT configuration")
}

fn require(dir: &Path, file: &'static str) -> Result<PathBuf, ModelError> {
    let path = dir.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(ModelError::Incomplete {
            dir: dir.to_path_buf(),
            file,
        })
    }
}

/// The checked files of a model folder of the given kind.
pub struct ModelFiles {
    pub config: ModelConfig,
    pub tokenizer: SubwordTokenizer,
    pub weights: PathBuf,
}

pub fn open_folder(dir: &Path, kind: &'static str) -> Result<ModelFiles, ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::NotFound(dir.to_path_buf()));
    }
    let config_path = require(dir, CONFIG_FILE)?;
    let tokenizer_path = require(dir, TOKENIZER_FILE)?;
    let weights = require(dir, WEIGHTS_FILE)?;
    let raw = fs::read_to_string(&config_path).map_err(|source| ModelError::Io {
        path: config_path.clone(),
        source,
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&raw).map_err(|e| ModelError::BadConfig {
            path: config_path.clone(),
            message: e.to_string(),
        })?;
    let found = value
        .get("vaner_format")
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as u32;
    if found != FORMAT_VERSION {
        return Err(ModelError::OtherVersion {
            path: config_path,
            found,
        });
    }
    let config: ModelConfig = serde_json::from_value(value).map_err(|e| ModelError::BadConfig {
        path: config_path.clone(),
        message: e.to_string(),
    })?;
    if config.kind != kind {
        return Err(ModelError::WrongKind {
            path: dir.to_path_buf(),
            found: config.kind,
            expected: kind,
        });
    }
    if config.max_len < 8 || config.max_len as i64 > config.bert.max_position_embeddings {
        return Err(ModelError::BadConfig {
            path: config_path,
            message: format!("max_len {} does not fit the model", config.max_len),
        });
    }
    if kind == KIND_TAGGER {
        let labels_path = require(dir, LABELS_FILE)?;
        let raw = fs::read_to_string(&labels_path).map_err(|source| ModelError::Io {
            path: labels_path.clone(),
            source,
        })?;
        let found: Vec<String> = serde_json::from_str(&raw).map_err(|e| ModelError::BadConfig {
            path: labels_path.clone(),
            message: e.to_string(),
        })?;
        if found != tag_names() {
            return Err(ModelError::OtherLabels {
                path: labels_path,
                found: found.join(" "),
                expected: tag_names().join(" "),
            });
        }
    }
    let tokenizer = SubwordTokenizer::load(&tokenizer_path)?;
    if tokenizer.vocab_size() as i64 > config.bert.vocab_size {
        return Err(ModelError::BadConfig {
            path: tokenizer_path,
            message: format!(
                "vocabulary of {} tokens is larger than the model's {}",
                tokenizer.vocab_size(),
                config.bert.vocab_size
            ),
        });
    }
    Ok(ModelFiles {
        config,
        tokenizer,
        weights,
    })
}

/// Writes `config.json`, `labels.json` (for a tagger) and `tokenizer.json` into `dir`.
pub fn write_folder_files(
    dir: &Path,
    config: &ModelConfig,
    tokenizer: &SubwordTokenizer,
) -> Result<(), ModelError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let json = serde_json::to_string_pretty(config).map_err(|e| ModelError::Data(e.to_string()))?;
    let config_path = dir.join(CONFIG_FILE);
    fs::write(&config_path, json + "\n").map_err(io_err(&config_path))?;
    if config.kind == KIND_TAGGER {
        let labels =
            serde_json::to_string(&tag_names()).map_err(|e| ModelError::Data(e.to_string()))?;
        let labels_path = dir.join(LABELS_FILE);
        fs::write(&labels_path, labels + "\n").map_err(io_err(&labels_path))?;
    }
    tokenizer.save(&dir.join(TOKENIZER_FILE))?;
    Ok(())
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes JSON through a temporary file, so a reader never sees half of it.
pub(crate) fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ModelError> {
    let json = serde_json::to_string_pretty(value).map_err(|e| ModelError::Data(e.to_string()))?;
    let tmp = path.with_extension("json.tmp");
    fs::write(&tmp, json + "\n").map_err(io_err(&tmp))?;
    fs::rename(&tmp, path).map_err(io_err(path))
}
