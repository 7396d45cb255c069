//! The tagger: text → normalized text → subword windows → BERT tag scores → constrained
//! Viterbi → spans, mapped back to byte offsets of the original text.

use std::cmp::Reverse;
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

    /// Tags several documents, results in their order. A model runs the windows of all of
    /// them through together, which keeps its batches full when documents are short.
    fn tag_all(&self, texts: &[&str]) -> Vec<Result<Vec<Span>, ModelError>> {
        texts.iter().map(|t| self.tag(t)).collect()
    }
}

/// Loads the tagger of a model folder.
pub fn load(dir: &Path) -> Result<BertTagger, ModelError> {
    BertTagger::load(dir)
}

/// Windows over a document of `n` tokens, each at most `width` long, overlapping by half.
/// Every token is scored by the window in which it sits most centrally.
pub fn windows(n: usize, width: usize) -> Vec<Range<usize>> {
    windows_with_overlap(n, width, width / 2)
}

/// How many tokens neighbouring windows share when tagging: a quarter of a window, so that
/// every token is scored with at least an eighth of a window (15 tokens) of context on each
/// side. Half a window, as in training, costs 1.5 times as many windows on long documents
/// for no measurable gain on dev (`eval/BENCH.md` has the table).
pub fn default_overlap(width: usize) -> usize {
    width / 4
}

/// Windows of at most `width` tokens, each sharing `overlap` tokens with the next (the last
/// one ends at `n` and may share more).
pub fn windows_with_overlap(n: usize, width: usize, overlap: usize) -> Vec<Range<usize>> {
    if n <= width {
        return std::iter::once(0..n).collect();
    }
    let stride = width.saturating_sub(overlap).max(1);
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
    /// Subword positions (padding included) run through the model in one batch: 8 full
    /// windows, or more rows of short ones. Larger batches were no faster on a CPU (their
    /// activations fall out of the cache) and took more memory.
    pub batch_tokens: usize,
    /// Tokens that neighbouring windows of a long document share ([`default_overlap`]).
    pub overlap: usize,
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
        let config_max_len = config.max_len;
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
            batch_tokens: 8 * config_max_len,
            overlap: default_overlap(config_max_len - 2),
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

    /// Per-token log-probabilities of each tag (tokens × tags) for each document.
    ///
    /// The windows of all documents are run together, longest first, so that a batch holds
    /// windows of about one length (little padding) and many short documents fill a batch.
    fn token_scores(&self, docs: &[&Encoded]) -> Vec<Array2<f32>> {
        let width = self.config.max_len - 2;
        let c = Tag::COUNT;
        let mut scores = Vec::with_capacity(docs.len());
        let mut owners = Vec::with_capacity(docs.len());
        let mut jobs = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            let n = doc.tokens.len();
            let wins = windows_with_overlap(n, width, self.overlap);
            owners.push(owner_window(n, &wins));
            scores.push(Array2::<f32>::zeros((n, c)));
            jobs.extend(wins.into_iter().enumerate().map(|(w, range)| Job {
                doc: d,
                window: w,
                range,
            }));
        }
        jobs.sort_by_key(|j| Reverse(j.range.len()));
        let mut inputs = BatchInputs::default();
        let mut flat = Vec::new();
        let mut rest = &jobs[..];
        while let Some(first) = rest.first() {
            let max_len = first.range.len() + 2;
            let rows = (self.batch_tokens / max_len).clamp(1, rest.len());
            let (batch, tail) = rest.split_at(rows);
            rest = tail;
            inputs.fill(self, docs, batch, max_len);
            let shape = [rows as i64, max_len as i64];
            let logp = tch::no_grad(|| {
                let ids = Tensor::from_slice(&inputs.ids).view(shape);
                let types = Tensor::from_slice(&inputs.types).view(shape);
                let mask = Tensor::from_slice(&inputs.mask).view(shape);
                self.model
                    .forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false)
                    .logits
                    .log_softmax(-1, Kind::Float)
            });
            flat.resize(rows * max_len * c, f32::NEG_INFINITY);
            logp.copy_data(&mut flat, rows * max_len * c);
            for (row, job) in batch.iter().enumerate() {
                let owner = &owners[job.doc];
                let out = &mut scores[job.doc];
                for (pos, t) in job.range.clone().enumerate() {
                    if owner[t] != job.window {
                        continue;
                    }
                    // +1: position 0 of the window is [CLS].
                    let base = (row * max_len + pos + 1) * c;
                    out.row_mut(t)
                        .iter_mut()
                        .zip(&flat[base..base + c])
                        .for_each(|(o, &v)| *o = v);
                }
            }
        }
        scores
    }

    /// Tags from the scores of one document, as spans of the original text.
    fn decode(
        &self,
        text: &str,
        aligned: &AlignedText,
        doc: &Encoded,
        scores: &Array2<f32>,
    ) -> Result<Vec<Span>, ModelError> {
        if doc.tokens.is_empty() {
            return Ok(Vec::new());
        }
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

/// One window of one document, waiting for its batch.
struct Job {
    doc: usize,
    window: usize,
    range: Range<usize>,
}

/// The model's inputs for one batch, row after row, kept between batches.
#[derive(Default)]
struct BatchInputs {
    ids: Vec<i64>,
    types: Vec<i64>,
    mask: Vec<i64>,
}

impl BatchInputs {
    /// [CLS] window [SEP], padded to `max_len`, for each job.
    fn fill(&mut self, tagger: &BertTagger, docs: &[&Encoded], batch: &[Job], max_len: usize) {
        self.ids.clear();
        self.types.clear();
        self.mask.clear();
        let special = Shape::Special as i64;
        let tok = &tagger.tokenizer;
        for job in batch {
            let doc = docs[job.doc];
            let pad = max_len - job.range.len() - 2;
            self.ids.push(tok.cls_id);
            self.ids
                .extend(doc.tokens[job.range.clone()].iter().map(|t| t.id));
            self.ids.push(tok.sep_id);
            self.ids.extend(std::iter::repeat_n(tok.pad_id, pad));
            self.types.push(special);
            self.types.extend(&doc.types[job.range.clone()]);
            self.types.push(special);
            self.types.extend(std::iter::repeat_n(special, pad));
            self.mask.extend(std::iter::repeat_n(1, max_len - pad));
            self.mask.extend(std::iter::repeat_n(0, pad));
        }
    }
}

impl Tagger for BertTagger {
    fn tag(&self, text: &str) -> Result<Vec<Span>, ModelError> {
        self.tag_all(&[text])
            .pop()
            .unwrap_or_else(|| Ok(Vec::new()))
    }

    fn tag_all(&self, texts: &[&str]) -> Vec<Result<Vec<Span>, ModelError>> {
        by_pieces(texts, |pieces| self.tag_pieces(pieces))
    }
}

/// Tags documents piece by piece ([`segments`] of at most [`SEGMENT_BYTES`]), a few pieces
/// at a time, so that what is kept per byte of text (alignments, tokens, scores) is held for
/// about [`SEGMENT_BYTES`] of it whatever the length of a document. `tag` gets pieces and
/// returns their spans relative to each piece; they come out per document.
pub fn by_pieces<F>(texts: &[&str], mut tag: F) -> Vec<Result<Vec<Span>, ModelError>>
where
    F: FnMut(&[&str]) -> Vec<Result<Vec<Span>, ModelError>>,
{
    let mut out: Vec<Result<Vec<Span>, ModelError>> =
        texts.iter().map(|_| Ok(Vec::new())).collect();
    // (document, byte offset of the piece, the piece)
    let pieces: Vec<(usize, usize, &str)> = texts
        .iter()
        .enumerate()
        .flat_map(|(d, t)| segments(t, SEGMENT_BYTES).map(move |r| (d, r.start, &t[r])))
        .collect();
    for batch in batches(pieces.iter().map(|(_, _, p)| p.len())) {
        let chunk = &pieces[batch];
        let chunk_texts: Vec<&str> = chunk.iter().map(|(_, _, p)| *p).collect();
        for ((d, offset, _), spans) in chunk.iter().zip(tag(&chunk_texts)) {
            match (&mut out[*d], spans) {
                (Ok(all), Ok(spans)) => all.extend(spans.into_iter().map(|s| Span {
                    start: s.start + offset,
                    end: s.end + offset,
                    label: s.label,
                })),
                (slot @ Ok(_), Err(e)) => *slot = Err(e),
                (Err(_), _) => {}
            }
        }
    }
    out
}

/// Consecutive pieces of the given lengths (bytes) in batches of at most [`SEGMENT_BYTES`]
/// together (a longer piece alone): what the model runs through at once.
pub fn batches(lengths: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut bytes = 0;
    for (i, len) in lengths.into_iter().enumerate() {
        match out.last_mut() {
            Some(last) if bytes + len <= SEGMENT_BYTES => {
                last.end = i + 1;
                bytes += len;
            }
            _ => {
                out.push(i..i + 1);
                bytes = len;
            }
        }
    }
    out
}

/// The longest piece of a document (bytes) the model reads in one go; longer documents are
/// cut between paragraphs or lines ([`segments`]). Windows never cross a cut, which for
/// any document under this size changes nothing.
pub const SEGMENT_BYTES: usize = 256 * 1024;

/// Byte ranges that cover `text`, each at most `max` bytes long unless one character is
/// longer, cut after the last blank line in the second half of the allowed length, else
/// after a line break, else after white space, else at a character boundary.
pub fn segments(text: &str, max: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let mut end = text.len();
        if end - start > max {
            let mut limit = start + max;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let half = start + max / 2;
            let window = &text[start..limit];
            let after =
                |i: Option<usize>, len: usize| i.map(|i| start + i + len).filter(|&e| e > half);
            end = after(window.rfind("\n\n"), 2)
                .or_else(|| after(window.rfind('\n'), 1))
                .or_else(|| {
                    window
                        .char_indices()
                        .rev()
                        .find(|(_, c)| c.is_whitespace())
                        .and_then(|(i, c)| after(Some(i), c.len_utf8()))
                })
                .unwrap_or(limit);
            if end <= start {
                // One character longer than `max`.
                end = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let r = start..end;
        start = end;
        Some(r)
    })
}

impl BertTagger {
    /// Spans of each piece, relative to the piece: its windows batched with the others'.
    fn tag_pieces(&self, pieces: &[&str]) -> Vec<Result<Vec<Span>, ModelError>> {
        let prepared: Vec<_> = pieces
            .iter()
            .map(|t| {
                let aligned = AlignedText::new(t);
                let doc = self.encode(aligned.normalized())?;
                Ok((aligned, doc))
            })
            .collect();
        let ok: Vec<&Encoded> = prepared
            .iter()
            .filter_map(|p: &Result<_, ModelError>| p.as_ref().ok().map(|(_, d)| d))
            .collect();
        let mut scores = self.token_scores(&ok).into_iter();
        pieces
            .iter()
            .zip(prepared)
            .map(|(text, p)| {
                let (aligned, doc) = p?;
                let s = scores.next().unwrap_or_default();
                self.decode(text, &aligned, &doc, &s)
            })
            .collect()
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
    fn batches_hold_up_to_a_segment_of_text_and_a_longer_piece_alone() {
        let s = SEGMENT_BYTES;
        assert_eq!(batches([]), Vec::<Range<usize>>::new());
        assert_eq!(batches([10, 20, 30]), vec![0..3]);
        assert_eq!(batches([s / 2, s / 2, 1]), vec![0..2, 2..3]);
        assert_eq!(batches([1, 2 * s, 1, 1]), vec![0..1, 1..2, 2..4]);
        assert_eq!(batches([s, s]), vec![0..1, 1..2]);
    }

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

    #[test]
    fn smaller_overlaps_still_cover_every_token_with_context() {
        for overlap in [0, 1, 4, 9] {
            for n in [0, 3, 10, 11, 25, 101] {
                let w = windows_with_overlap(n, 10, overlap);
                let owner = owner_window(n, &w);
                for t in 0..n {
                    let r = &w[owner[t]];
                    assert!(r.contains(&t));
                    // A token away from the document's edges keeps half the overlap of
                    // context on both sides.
                    if t >= overlap / 2 && t + overlap / 2 < n {
                        assert!(t - r.start >= overlap / 2 && r.end - 1 - t >= overlap / 2);
                    }
                }
                assert!(w.iter().all(|r| r.len() <= 10));
                if n > 0 {
                    assert_eq!(w.last().unwrap().end, n);
                }
            }
        }
        assert_eq!(windows_with_overlap(25, 10, 2), vec![0..10, 8..18, 15..25]);
    }

    #[test]
    fn long_texts_are_cut_between_paragraphs_lines_or_words() {
        fn cuts(t: &str, max: usize) -> Vec<&str> {
            segments(t, max).map(|r| &t[r]).collect()
        }
        assert_eq!(cuts("short", 10), ["short"]);
        assert_eq!(cuts("", 10), Vec::<&str>::new());
        assert_eq!(cuts("aaa\nbb\n\ncc dd", 10), ["aaa\nbb\n\n", "cc dd"]);
        assert_eq!(
            cuts("aaaa bb\ncc ddd eeee", 10),
            ["aaaa bb\n", "cc ddd ", "eeee"]
        );
        assert_eq!(cuts("aaaaaaaaaaaa", 5), ["aaaaa", "aaaaa", "aa"]);
        // Never inside a character, even when one is longer than the limit.
        assert_eq!(cuts("ééé", 1), ["é", "é", "é"]);
        let t = "Ủy ban nhân dân tỉnh\n".repeat(100);
        let pieces = cuts(&t, 64);
        assert_eq!(pieces.concat(), t);
        assert!(pieces.iter().all(|p| p.len() <= 64 && p.ends_with('\n')));
    }
}
