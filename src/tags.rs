//! Tokens ↔ BIO tags ↔ spans. The model predicts one tag per token; spans come back from
//! tag sequences that are checked (an `I-` tag must continue a span of its own label).

use std::ops::Range;

use crate::doc::{Label, Span};

/// A BIO tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(Label),
    I(Label),
}

impl Tag {
    /// Number of distinct tags: O plus B and I for each label.
    pub const COUNT: usize = 1 + 2 * Label::ALL.len();

    /// The tag's index in the model's output layer: O, then B-/I- per label in `Label::ALL` order.
    pub fn index(self) -> usize {
        let label_index = |l: Label| Label::ALL.iter().position(|&x| x == l).unwrap_or(0);
        match self {
            Tag::O => 0,
            Tag::B(l) => 1 + 2 * label_index(l),
            Tag::I(l) => 2 + 2 * label_index(l),
        }
    }

    pub fn from_index(i: usize) -> Option<Tag> {
        if i == 0 {
            return Some(Tag::O);
        }
        let label = *Label::ALL.get((i - 1) / 2)?;
        Some(if (i - 1).is_multiple_of(2) {
            Tag::B(label)
        } else {
            Tag::I(label)
        })
    }

    /// Whether `next` may follow `self` in a valid BIO sequence.
    pub fn may_precede(self, next: Tag) -> bool {
        match next {
            Tag::I(l) => matches!(self, Tag::B(p) | Tag::I(p) if p == l),
            _ => true,
        }
    }

    pub fn name(self) -> String {
        match self {
            Tag::O => "O".to_string(),
            Tag::B(l) => format!("B-{l}"),
            Tag::I(l) => format!("I-{l}"),
        }
    }

    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, label) = s.split_once('-')?;
        let label = label.parse().ok()?;
        match prefix {
            "B" => Some(Tag::B(label)),
            "I" => Some(Tag::I(label)),
            _ => None,
        }
    }
}

/// A tag sequence that does not describe spans.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token {token}: {tag} does not continue a span of its label")]
pub struct IllegalTag {
    pub token: usize,
    pub tag: String,
}

/// BIO tags of `tokens` for `spans`. A token belongs to the span that contains its start.
pub fn spans_to_tags(tokens: &[Range<usize>], spans: &[Span]) -> Vec<Tag> {
    let mut tags = vec![Tag::O; tokens.len()];
    let mut si = 0;
    let mut inside: Option<Span> = None;
    for (ti, tok) in tokens.iter().enumerate() {
        while si < spans.len() && spans[si].end <= tok.start {
            si += 1;
        }
        match spans.get(si) {
            Some(s) if s.start <= tok.start && tok.start < s.end => {
                tags[ti] = if inside == Some(*s) {
                    Tag::I(s.label)
                } else {
                    Tag::B(s.label)
                };
                inside = Some(*s);
            }
            _ => inside = None,
        }
    }
    tags
}

/// Spans from the tags of `tokens`; a span runs from its first token's start to its last token's end.
pub fn tags_to_spans(tokens: &[Range<usize>], tags: &[Tag]) -> Result<Vec<Span>, IllegalTag> {
    let mut spans = Vec::new();
    let mut current: Option<Span> = None;
    let mut previous = Tag::O;
    for (i, (tok, &tag)) in tokens.iter().zip(tags).enumerate() {
        if !previous.may_precede(tag) {
            return Err(IllegalTag {
                token: i,
                tag: tag.name(),
            });
        }
        match tag {
            Tag::O => spans.extend(current.take()),
            Tag::B(label) => {
                spans.extend(current.take());
                current = Some(Span {
                    start: tok.start,
                    end: tok.end,
                    label,
                });
            }
            Tag::I(_) => {
                if let Some(c) = current.as_mut() {
                    c.end = tok.end;
                }
            }
        }
        previous = tag;
    }
    spans.extend(current);
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::words;

    #[test]
    fn index_round_trips() {
        for i in 0..Tag::COUNT {
            assert_eq!(Tag::from_index(i).unwrap().index(), i);
            let t = Tag::from_index(i).unwrap();
            assert_eq!(Tag::parse(&t.name()), Some(t));
        }
        assert_eq!(Tag::from_index(Tag::COUNT), None);
    }

    #[test]
    fn spans_to_tags_and_back() {
        let text = "đồng chí Lê Văn Tám, Bí thư Tỉnh ủy";
        let toks = words(text);
        let per = Span {
            start: text.find("Lê").unwrap(),
            end: text.find(',').unwrap(),
            label: Label::Per,
        };
        let title = Span {
            start: text.find("Bí").unwrap(),
            end: text.len(),
            label: Label::Title,
        };
        let tags = spans_to_tags(&toks, &[per, title]);
        let names: Vec<_> = tags.iter().map(|t| t.name()).collect();
        assert_eq!(
            names,
            [
                "O", "O", "B-PER", "I-PER", "I-PER", "O", "B-TITLE", "I-TITLE", "I-TITLE",
                "I-TITLE"
            ]
        );
        assert_eq!(tags_to_spans(&toks, &tags).unwrap(), vec![per, title]);
    }

    #[test]
    fn adjacent_spans_of_one_label_stay_apart() {
        let toks = vec![0..1, 2..3];
        let spans = [
            Span {
                start: 0,
                end: 1,
                label: Label::Date,
            },
            Span {
                start: 2,
                end: 3,
                label: Label::Date,
            },
        ];
        let tags = spans_to_tags(&toks, &spans);
        assert_eq!(tags, [Tag::B(Label::Date), Tag::B(Label::Date)]);
        assert_eq!(tags_to_spans(&toks, &tags).unwrap(), spans);
    }

    #[test]
    fn rejects_i_without_b() {
        let toks = vec![0..1, 2..3];
        let err = tags_to_spans(&toks, &[Tag::O, Tag::I(Label::Org)]).unwrap_err();
        assert_eq!(err.token, 1);
        assert!(tags_to_spans(&toks, &[Tag::B(Label::Per), Tag::I(Label::Org)]).is_err());
    }
}

/// The best tag sequence under the model's per-token log-probabilities `scores`
/// (tokens × [`Tag::COUNT`]) among the sequences that are valid BIO: constrained Viterbi.
pub fn viterbi(scores: ndarray::ArrayView2<f32>) -> Vec<Tag> {
    viterbi_with(scores, None)
}

/// Constrained Viterbi with a CRF's learned scores added: `transitions[[from, to]]` between
/// consecutive tags and `start[to]` for the first.
pub fn viterbi_with(
    scores: ndarray::ArrayView2<f32>,
    learned: Option<(&ndarray::Array2<f32>, &ndarray::Array1<f32>)>,
) -> Vec<Tag> {
    let n = scores.nrows();
    if n == 0 {
        return Vec::new();
    }
    let transition = |k: usize, j: usize| learned.map_or(0.0, |(t, _)| t[[k, j]]);
    let tags: Vec<Tag> = (0..Tag::COUNT).filter_map(Tag::from_index).collect();
    let mut best = vec![f32::NEG_INFINITY; Tag::COUNT];
    for (j, t) in tags.iter().enumerate() {
        if Tag::O.may_precede(*t) {
            best[j] = scores[[0, j]] + learned.map_or(0.0, |(_, s)| s[j]);
        }
    }
    let mut back = vec![0u8; n * Tag::COUNT];
    for i in 1..n {
        let mut next = vec![f32::NEG_INFINITY; Tag::COUNT];
        for (j, t) in tags.iter().enumerate() {
            let mut arg = 0;
            let mut max = f32::NEG_INFINITY;
            for (k, p) in tags.iter().enumerate() {
                let via = best[k] + transition(k, j);
                if via > max && p.may_precede(*t) {
                    max = via;
                    arg = k;
                }
            }
            next[j] = max + scores[[i, j]];
            back[i * Tag::COUNT + j] = arg as u8;
        }
        best = next;
    }
    let mut j = (0..Tag::COUNT)
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut out = vec![Tag::O; n];
    for i in (0..n).rev() {
        out[i] = tags[j];
        j = back[i * Tag::COUNT + j] as usize;
    }
    out
}

#[cfg(test)]
mod viterbi_tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn repairs_an_isolated_inside_tag() {
        // Token 0 prefers O, token 1 prefers I-PER (illegal after O) but B-PER is close.
        let mut s = Array2::<f32>::from_elem((2, Tag::COUNT), -10.0);
        s[[0, Tag::O.index()]] = -0.1;
        s[[1, Tag::I(Label::Per).index()]] = -0.2;
        s[[1, Tag::B(Label::Per).index()]] = -0.5;
        assert_eq!(viterbi(s.view()), [Tag::O, Tag::B(Label::Per)]);
    }

    #[test]
    fn keeps_a_valid_argmax_path() {
        let mut s = Array2::<f32>::from_elem((3, Tag::COUNT), -10.0);
        s[[0, Tag::B(Label::Org).index()]] = 0.0;
        s[[1, Tag::I(Label::Org).index()]] = 0.0;
        s[[2, Tag::O.index()]] = 0.0;
        assert_eq!(
            viterbi(s.view()),
            [Tag::B(Label::Org), Tag::I(Label::Org), Tag::O]
        );
    }

    #[test]
    fn learned_transitions_change_the_path() {
        // Token 1 slightly prefers O, but the CRF has learned that B-ORG is followed by I-ORG.
        let mut s = Array2::<f32>::from_elem((2, Tag::COUNT), -10.0);
        s[[0, Tag::B(Label::Org).index()]] = 0.0;
        s[[1, Tag::O.index()]] = -0.1;
        s[[1, Tag::I(Label::Org).index()]] = -0.3;
        assert_eq!(viterbi(s.view()), [Tag::B(Label::Org), Tag::O]);
        let mut transitions = Array2::<f32>::zeros((Tag::COUNT, Tag::COUNT));
        transitions[[Tag::B(Label::Org).index(), Tag::I(Label::Org).index()]] = 1.0;
        let start = ndarray::Array1::<f32>::zeros(Tag::COUNT);
        assert_eq!(
            viterbi_with(s.view(), Some((&transitions, &start))),
            [Tag::B(Label::Org), Tag::I(Label::Org)]
        );
    }
}
