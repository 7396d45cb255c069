//! The tagger: text → normalized text → subword windows → BERT tag scores → constrained
//! Viterbi → spans, mapped back to byte offsets of the original text.

use std::ops::Range;
use std::path::Path;

use ndarray::{Array2, Axis};
use rust_bert::bert::BertForTokenClassification;
use tch::{nn::VarStore, Device, Kind, Tensor};

use super::crf::Crf;
use super::{open_folder, ModelConfig, ModelError, KIND_TAGGER};
use crate::doc::Span;
use crate::tags::{tags_to_spans, viterbi_with, Tag};
use crate::text::AlignedText;
use crate::tokens::shape::{token_types, word_starts, Shape};
use crate::tokens::subword::{Subword, SubwordTokenizer};

/// Finds entity spans (byte offsets into `text`) in one document.
pub trait Tagger {
    fn tag(&self, text: &str) -> Result<Vec<Span>, ModelError>;
}

/// Loads the tagger of a model folder.
pub fn load(dir: &Path) -> Result<BertTagger, ModelError> {
    BertTagger::load(dir)
}

/// Windows over a document of `n` tokens, each at most `width` long, overlapping by half.
/// Every token is scored by the window in which it sits most centrally.
pub fn windows(n: usize, width: usize) -> Vec<Range<usize>> {
    if n <= width {
        return std::iter::once(0..n).collect();
    }
    let stride = (width / 2).max(1);
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        if start + width >= n {
            out.push(n - width..n);
            break;
        }
        out.push(start..start + width);
        start += stride;
    }
    out
}

/// For each token, the index of the window where it is farthest from either edge.
pub fn owner_window(n: usize, windows: &[Range<usize>]) -> Vec<usize> {
    let mut owner = vec![0; n];
    let mut best = vec![-1i64; n];
    for (wi, w) in windows.iter().enumerate() {
        for t in w.clone() {
            let margin = (t - w.start).min(w.end - 1 - t) as i64;
            if margin > best[t] {
                best[t] = margin;
                owner[t] = wi;
            }
        }
    }
    owner
}

/// A document's subwords with their token types and word starts.
pub(crate) struct Encoded {
    pub tokens: Vec<Subword>,
    pub types: Vec<i64>,
    pub word_starts: Vec<bool>,
}

impl Encoded {
    /// Indices of the tokens that start a word: the ones tags are read from.
    fn word_heads(&self) -> Vec<usize> {
        (0..self.tokens.len())
            .filter(|&i| self.word_starts[i])
            .collect()
    }

    /// The byte range of each word, from its head token to the end of its last subword.
    fn word_ranges(&self, heads: &[usize]) -> Vec<Range<usize>> {
        heads
            .iter()
            .enumerate()
            .map(|(k, &h)| {
                let last = heads.get(k + 1).map_or(self.tokens.len(), |&next| next) - 1;
                self.tokens[h].range.start..self.tokens[last].range.end
            })
            .collect()
    }
}

pub struct BertTagger {
    pub(crate) config: ModelConfig,
    pub(crate) tokenizer: SubwordTokenizer,
    pub(crate) vs: VarStore,
    pub(crate) model: BertForTokenClassification,
    /// Learned transition scores, when the model was trained with a CRF.
    pub(crate) crf: Option<Crf>,
    /// Windows run through the model together.
    pub batch_size: usize,
}

impl BertTagger {
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let files = open_folder(dir, KIND_TAGGER)?;
        let mut tagger = Self::new(files.config, files.tokenizer)?;
        tagger
            .vs
            .load(&files.weights)
            .map_err(|e| ModelError::BadWeights {
                path: files.weights.clone(),
                message: e.to_string(),
            })?;
        Ok(tagger)
    }

    /// A tagger with freshly initialized weights.
    pub fn new(config: ModelConfig, tokenizer: SubwordTokenizer) -> Result<Self, ModelError> {
        let vs = VarStore::new(Device::Cpu);
        let model = BertForTokenClassification::new(vs.root(), &config.bert)
            .map_err(|e| ModelError::Data(e.to_string()))?;
        let crf = config.crf.then(|| Crf::new(vs.root() / "crf"));
        Ok(BertTagger {
            config,
            tokenizer,
            vs,
            model,
            crf,
            batch_size: 32,
        })
    }

    pub fn tokenizer(&self) -> &SubwordTokenizer {
        &self.tokenizer
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Subword tokens of normalized text with what the model reads besides their ids.
    pub(crate) fn encode(&self, normalized: &str) -> Result<Encoded, ModelError> {
        let tokens = self.tokenizer.encode(normalized)?;
        let types = if self.config.shape_types {
            token_types(normalized, &tokens)
        } else {
            vec![0; tokens.len()]
        };
        let word_starts = if self.config.word_tags {
            word_starts(normalized, &tokens)
        } else {
            vec![true; tokens.len()]
        };
        Ok(Encoded {
            tokens,
            types,
            word_starts,
        })
    }

    /// Token ids and token types of one window, with [CLS] and [SEP] around it.
    pub(crate) fn window_inputs(&self, doc: &Encoded, w: Range<usize>) -> (Vec<i64>, Vec<i64>) {
        let mut ids = Vec::with_capacity(w.len() + 2);
        ids.push(self.tokenizer.cls_id);
        ids.extend(doc.tokens[w.clone()].iter().map(|t| t.id));
        ids.push(self.tokenizer.sep_id);
        let special = Shape::Special as i64;
        let mut types = Vec::with_capacity(w.len() + 2);
        types.push(special);
        types.extend(&doc.types[w]);
        types.push(special);
        (ids, types)
    }

    /// Per-token log-probabilities of each tag for the whole document (tokens × tags).
    fn token_scores(&self, doc: &Encoded) -> Array2<f32> {
        let n = doc.tokens.len();
        let width = self.config.max_len - 2;
        let wins = windows(n, width);
        let owner = owner_window(n, &wins);
        let mut scores = Array2::<f32>::zeros((n, Tag::COUNT));
        for (batch_index, batch) in wins.chunks(self.batch_size).enumerate() {
            let max_len = batch.iter().map(|w| w.len() + 2).max().unwrap_or(2);
            let mut ids = Vec::with_capacity(batch.len() * max_len);
            let mut types = Vec::with_capacity(batch.len() * max_len);
            let mut mask = Vec::with_capacity(batch.len() * max_len);
            for w in batch {
                let (row_ids, row_types) = self.window_inputs(doc, w.clone());
                let pad = max_len - row_ids.len();
                mask.extend(std::iter::repeat_n(1i64, row_ids.len()));
                mask.extend(std::iter::repeat_n(0i64, pad));
                ids.extend(row_ids);
                ids.extend(std::iter::repeat_n(self.tokenizer.pad_id, pad));
                types.extend(row_types);
                types.extend(std::iter::repeat_n(Shape::Special as i64, pad));
            }
            let shape = [batch.len() as i64, max_len as i64];
            let ids = Tensor::from_slice(&ids).view(shape);
            let types = Tensor::from_slice(&types).view(shape);
            let mask = Tensor::from_slice(&mask).view(shape);
            let logp = tch::no_grad(|| {
                self.model
                    .forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false)
                    .logits
                    .log_softmax(-1, Kind::Float)
            });
            let flat: Vec<f32> = Vec::try_from(logp.flatten(0, -1)).unwrap_or_default();
            let c = Tag::COUNT;
            for (bi, w) in batch.iter().enumerate() {
                let wi = batch_index * self.batch_size + bi;
                for (pos, t) in w.clone().enumerate() {
                    if owner[t] != wi {
                        continue;
                    }
                    // +1: position 0 of the window is [CLS].
                    let base = (bi * max_len + pos + 1) * c;
                    for k in 0..c {
                        scores[[t, k]] = flat.get(base + k).copied().unwrap_or(f32::NEG_INFINITY);
                    }
                }
            }
        }
        scores
    }
}

impl Tagger for BertTagger {
    fn tag(&self, text: &str) -> Result<Vec<Span>, ModelError> {
        let aligned = AlignedText::new(text);
        let doc = self.encode(aligned.normalized())?;
        if doc.tokens.is_empty() {
            return Ok(Vec::new());
        }
        let scores = self.token_scores(&doc);
        let heads = doc.word_heads();
        let learned = self.crf.as_ref().map(Crf::scores);
        let tags = viterbi_with(
            scores.select(Axis(0), &heads).view(),
            learned.as_ref().map(|(t, s)| (t, s)),
        );
        let ranges = doc.word_ranges(&heads);
        let spans = tags_to_spans(&ranges, &tags).map_err(|e| ModelError::Data(e.to_string()))?;
        Ok(spans
            .into_iter()
            .filter_map(|s| {
                let r = aligned.to_original(s.start..s.end)?;
                trim_span(text, r, s.label)
            })
            .collect())
    }
}

/// Drops white space at a span's edges (an alignment can reach into removed characters).
fn trim_span(text: &str, r: Range<usize>, label: crate::doc::Label) -> Option<Span> {
    let s = text.get(r.clone())?;
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    (start < end).then_some(Span { start, end, label })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_every_token() {
        for n in [0, 1, 5, 10, 11, 37, 100] {
            let w = windows(n, 10);
            let owner = owner_window(n, &w);
            for t in 0..n {
                assert!(w[owner[t]].contains(&t));
            }
            assert!(w.iter().all(|r| r.len() <= 10));
            if n > 0 {
                assert_eq!(w.last().unwrap().end, n);
            }
        }
    }

    #[test]
    fn tokens_are_owned_by_the_most_central_window() {
        let w = windows(20, 10); // 0..10, 5..15, 10..20
        assert_eq!(w, vec![0..10, 5..15, 10..20]);
        let owner = owner_window(20, &w);
        assert_eq!(owner[2], 0);
        assert_eq!(owner[9], 1);
        assert_eq!(owner[12], 1);
        assert_eq!(owner[17], 2);
    }
}
