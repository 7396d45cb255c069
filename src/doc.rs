//! Documents and their entity spans: the data every stage of the pipeline passes on.
//!
//! Spans hold **byte** offsets into the original text; character offsets exist only at the
//! I/O edges (JSONL, CoNLL), converted there through [`crate::text::CharOffsets`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The five entity labels of ANNOTATION.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "TITLE")]
    Title,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "DATE")]
    Date,
    #[serde(rename = "DIRECTIVE")]
    Directive,
}

impl Label {
    pub const ALL: [Label; 5] = [
        Label::Per,
        Label::Title,
        Label::Org,
        Label::Date,
        Label::Directive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Title => "TITLE",
            Label::Org => "ORG",
            Label::Date => "DATE",
            Label::Directive => "DIRECTIVE",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label '{0}' (expected PER, TITLE, ORG, DATE or DIRECTIVE)")]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

/// One entity: a labelled byte range of the original text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: Label,
}

impl Span {
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A document: its id, its text exactly as given, and its entities sorted by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub spans: Vec<Span>,
}

/// Why a set of spans is not a valid annotation of a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("span {start}..{end} is outside the text ({len} characters)")]
    OutOfRange {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("span {start}..{end} is empty or reversed")]
    Empty { start: usize, end: usize },
    #[error("{label} span \"{text}\" overlaps the {other} span \"{other_text}\"")]
    Overlap {
        label: Label,
        text: String,
        other: Label,
        other_text: String,
    },
    #[error("{label} span \"{text}\" starts or ends with white space")]
    WhiteSpaceEdge { label: Label, text: String },
}

impl Document {
    /// Sorts the spans and checks them against the annotation rules that need no judgement:
    /// inside the text, non-empty, on character boundaries, flat, no white space at the edges.
    pub fn validate(&mut self) -> Result<(), SpanError> {
        self.spans.sort();
        let mut previous: Option<Span> = None;
        for span in &self.spans {
            if span.start >= span.end {
                return Err(SpanError::Empty {
                    start: span.start,
                    end: span.end,
                });
            }
            let text = self
                .text
                .get(span.start..span.end)
                .ok_or(SpanError::OutOfRange {
                    start: span.start,
                    end: span.end,
                    len: self.text.len(),
                })?;
            if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                return Err(SpanError::WhiteSpaceEdge {
                    label: span.label,
                    text: text.to_string(),
                });
            }
            if let Some(p) = previous {
                if p.overlaps(span) {
                    return Err(SpanError::Overlap {
                        label: span.label,
                        text: text.to_string(),
                        other: p.label,
                        other_text: self.text[p.start..p.end].to_string(),
                    });
                }
            }
            previous = Some(*span);
        }
        Ok(())
    }

    pub fn span_text(&self, span: &Span) -> &str {
        &self.text[span.start..span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, spans: &[(usize, usize, Label)]) -> Document {
        Document {
            id: "d".into(),
            text: text.into(),
            spans: spans
                .iter()
                .map(|&(start, end, label)| Span { start, end, label })
                .collect(),
        }
    }

    #[test]
    fn labels_parse_and_print() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>().unwrap(), l);
        }
        assert!("LOC".parse::<Label>().is_err());
    }

    #[test]
    fn validate_sorts_and_accepts_flat_spans() {
        let mut d = doc(
            "Lê Văn A họp",
            &[(12, 14, Label::Date), (0, 10, Label::Per)],
        );
        // byte 14 is inside "ọ" (bytes 12..15): not a char boundary
        assert!(matches!(d.validate(), Err(SpanError::OutOfRange { .. })));
        let mut d = doc("Lê Văn A họp", &[(0, 3, Label::Per), (0, 10, Label::Per)]);
        assert!(matches!(d.validate(), Err(SpanError::Overlap { .. })));
        let mut d = doc("ab cd", &[(2, 5, Label::Org)]);
        assert!(matches!(
            d.validate(),
            Err(SpanError::WhiteSpaceEdge { .. })
        ));
        let mut d = doc("ab cd", &[(3, 5, Label::Org), (0, 2, Label::Per)]);
        d.validate().unwrap();
        assert_eq!(d.spans[0].label, Label::Per);
    }
}

/// A place where a document's annotation disagrees with itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Inconsistency {
    /// The same text is tagged with two labels in one document.
    Labels {
        text: String,
        first: Label,
        second: Label,
    },
    /// Text tagged in one place stands untagged elsewhere in the same document.
    Untagged {
        text: String,
        label: Label,
        at: usize,
    },
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Inconsistency::Labels {
                text,
                first,
                second,
            } => write!(f, "\"{text}\" is tagged both {first} and {second}"),
            Inconsistency::Untagged { text, label, at } => {
                write!(
                    f,
                    "\"{text}\" is {label} elsewhere but untagged at byte {at}"
                )
            }
        }
    }
}

impl Document {
    /// Finds annotation that disagrees with itself within this document: one text with two
    /// labels, or a tagged text that also stands untagged (as a whole word sequence, outside
    /// every span). Texts are compared after normalization, so tone-mark style does not matter.
    pub fn inconsistencies(&self) -> Vec<Inconsistency> {
        use std::collections::BTreeMap;
        let aligned = crate::text::AlignedText::new(&self.text);
        let norm = aligned.normalized();
        let mut labels: BTreeMap<String, Label> = BTreeMap::new();
        let mut out = Vec::new();
        let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
        for s in &self.spans {
            let Some(r) = aligned.to_normalized(s.start..s.end) else {
                continue;
            };
            covered.push(r.clone());
            let key = norm[r].split_whitespace().collect::<Vec<_>>().join(" ");
            match labels.get(&key) {
                Some(&l) if l != s.label => out.push(Inconsistency::Labels {
                    text: key.clone(),
                    first: l,
                    second: s.label,
                }),
                Some(_) => {}
                None => {
                    labels.insert(key, s.label);
                }
            }
        }
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        for (key, label) in &labels {
            for (at, _) in norm.match_indices(key.as_str()) {
                let end = at + key.len();
                if is_word(norm[..at].chars().next_back()) || is_word(norm[end..].chars().next()) {
                    continue;
                }
                if covered.iter().any(|c| c.start < end && at < c.end) {
                    continue;
                }
                out.push(Inconsistency::Untagged {
                    text: key.clone(),
                    label: *label,
                    at: aligned.to_original(at..end).map_or(at, |r| r.start),
                });
            }
        }
        out
    }
}
