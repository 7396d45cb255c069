//! The subword vocabulary the model reads: a cased WordPiece over normalized text
//! (NFC, new tone-mark style), with a BERT pre-tokenizer that splits white space and every
//! punctuation character, so `03-CT/TW` and `30/10/2009` arrive as pieces.

use std::ops::Range;
use std::path::Path;

use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::normalizers::NormalizerWrapper;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::PostProcessorWrapper;
use tokenizers::{AddedToken, Tokenizer, TokenizerBuilder};

pub const PAD: &str = "[PAD]";
pub const UNK: &str = "[UNK]";
pub const CLS: &str = "[CLS]";
pub const SEP: &str = "[SEP]";
pub const MASK: &str = "[MASK]";
/// In this order they take ids 0..5.
pub const SPECIAL_TOKENS: [&str; 5] = [PAD, UNK, CLS, SEP, MASK];

#[derive(Debug, thiserror::Error)]
pub enum TokenizerError {
    #[error("cannot read tokenizer {path}: {message}")]
    Load { path: String, message: String },
    #[error("tokenizer {path} lacks the special token {token}")]
    MissingSpecial { path: String, token: &'static str },
    #[error("tokenizing failed: {0}")]
    Encode(String),
    #[error("training the tokenizer failed: {0}")]
    Train(String),
}

/// One subword token: its vocabulary id and its byte range in the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subword {
    pub id: i64,
    pub range: Range<usize>,
}

/// The trained vocabulary with the ids of its special tokens.
#[derive(Clone)]
pub struct SubwordTokenizer {
    inner: Tokenizer,
    pub pad_id: i64,
    pub unk_id: i64,
    pub cls_id: i64,
    pub sep_id: i64,
    pub mask_id: i64,
}

impl SubwordTokenizer {
    pub fn load(path: &Path) -> Result<Self, TokenizerError> {
        let inner = Tokenizer::from_file(path).map_err(|e| TokenizerError::Load {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_tokenizer(inner, &path.display().to_string())
    }

    fn from_tokenizer(inner: Tokenizer, origin: &str) -> Result<Self, TokenizerError> {
        let id = |token: &'static str| {
            inner
                .token_to_id(token)
                .map(i64::from)
                .ok_or(TokenizerError::MissingSpecial {
                    path: origin.to_string(),
                    token,
                })
        };
        Ok(SubwordTokenizer {
            pad_id: id(PAD)?,
            unk_id: id(UNK)?,
            cls_id: id(CLS)?,
            sep_id: id(SEP)?,
            mask_id: id(MASK)?,
            inner,
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    pub fn id_to_token(&self, id: i64) -> Option<String> {
        u32::try_from(id)
            .ok()
            .and_then(|i| self.inner.id_to_token(i))
    }

    /// Subword tokens of already-normalized text, with byte ranges into it.
    pub fn encode(&self, normalized: &str) -> Result<Vec<Subword>, TokenizerError> {
        let enc = self
            .inner
            .encode(normalized, false)
            .map_err(|e| TokenizerError::Encode(e.to_string()))?;
        Ok(enc
            .get_ids()
            .iter()
            .zip(enc.get_offsets())
            .map(|(&id, &(s, e))| Subword {
                id: i64::from(id),
                range: s..e,
            })
            .collect())
    }

    pub fn save(&self, path: &Path) -> Result<(), TokenizerError> {
        self.inner
            .save(path, false)
            .map_err(|e| TokenizerError::Train(e.to_string()))
    }

    /// Trains a WordPiece vocabulary of `vocab_size` on text files that are already normalized.
    pub fn train(
        files: &[String],
        vocab_size: usize,
        show_progress: bool,
    ) -> Result<Self, TokenizerError> {
        let specials: Vec<AddedToken> = SPECIAL_TOKENS
            .iter()
            .map(|t| AddedToken::from(*t, true))
            .collect();
        let mut trainer = WordPieceTrainer::builder()
            .vocab_size(vocab_size)
            .min_frequency(2)
            .limit_alphabet(400)
            .special_tokens(specials)
            .show_progress(show_progress)
            .build();
        let model = WordPiece::builder()
            .unk_token(UNK.to_string())
            .build()
            .map_err(|e| TokenizerError::Train(e.to_string()))?;
        let mut builder = TokenizerBuilder::<
            WordPiece,
            NormalizerWrapper,
            BertPreTokenizer,
            PostProcessorWrapper,
            WordPieceDecoder,
        >::new()
        .with_model(model)
        .with_pre_tokenizer(Some(BertPreTokenizer))
        .with_decoder(Some(WordPieceDecoder::default()))
        .build()
        .map_err(|e| TokenizerError::Train(e.to_string()))?;
        builder
            .train_from_files(&mut trainer, files.to_vec())
            .map_err(|e| TokenizerError::Train(e.to_string()))?;
        let json = builder
            .to_string(false)
            .map_err(|e| TokenizerError::Train(e.to_string()))?;
        let inner: Tokenizer = json
            .parse()
            .map_err(|e: tokenizers::Error| TokenizerError::Train(e.to_string()))?;
        Self::from_tokenizer(inner, "trained tokenizer")
    }
}
