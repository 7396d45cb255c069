//! The JSONL form: one `{"id", "text", "entities": [{"start", "end", "label"}]}` per line,
//! offsets in characters. Predictions may leave out `text` (it is then taken from the gold).

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::doc::{Document, Label, Span};
use crate::formats::FormatError;
use crate::text::CharOffsets;
use crate::values::{analyze, EntityValue, Relation};

#[derive(Debug, Deserialize)]
struct InRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    entities: Vec<InEntity>,
}

#[derive(Debug, Deserialize)]
struct InEntity {
    start: usize,
    end: usize,
    label: String,
}

/// One parsed JSONL line, before its offsets are checked against a text.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub text: Option<String>,
    /// Character offsets as written.
    pub entities: Vec<(usize, usize, Label)>,
    pub line: usize,
}

impl Record {
    /// Turns the record into a document over `text` (its own text when it has one).
    pub fn into_document(self, source: &str, text: Option<&str>) -> Result<Document, FormatError> {
        let text = match (self.text, text) {
            (Some(t), _) => t,
            (None, Some(t)) => t.to_string(),
            (None, None) => {
                return Err(FormatError::at(source, self.line, "no \"text\" field"));
            }
        };
        let offsets = CharOffsets::new(&text);
        let mut spans = Vec::with_capacity(self.entities.len());
        for (start, end, label) in self.entities {
            let (Some(bs), Some(be)) = (offsets.to_byte(start), offsets.to_byte(end)) else {
                return Err(FormatError::at(
                    source,
                    self.line,
                    format!(
                        "{label} span {start}..{end} is outside the text ({} characters)",
                        offsets.char_len()
                    ),
                ));
            };
            spans.push(Span {
                start: bs,
                end: be,
                label,
            });
        }
        let mut doc = Document {
            id: self.id,
            text,
            spans,
        };
        doc.validate()
            .map_err(|e| FormatError::at(source, self.line, e.to_string()))?;
        Ok(doc)
    }
}

/// Parses one JSONL line (1-based `line`) into a record.
pub fn parse_line(source: &str, line: usize, s: &str) -> Result<Record, FormatError> {
    let value: serde_json::Value = serde_json::from_str(s)
        .map_err(|e| FormatError::at(source, line, format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        return Err(FormatError::at(source, line, "not a JSON object"));
    }
    let rec: InRecord = serde_json::from_value(value)
        .map_err(|e| FormatError::at(source, line, format!("invalid record: {e}")))?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => return Err(FormatError::at(source, line, "\"id\" must be a string")),
        None => format!("{source}:{line}"),
    };
    let mut entities = Vec::with_capacity(rec.entities.len());
    for e in rec.entities {
        let label: Label = e.label.parse().map_err(|err: crate::doc::UnknownLabel| {
            FormatError::at(source, line, err.to_string())
        })?;
        entities.push((e.start, e.end, label));
    }
    Ok(Record {
        id,
        text: rec.text,
        entities,
        line,
    })
}

/// Streams the records of a JSONL reader; blank lines are skipped.
pub fn records<R: BufRead>(
    source: String,
    reader: R,
) -> impl Iterator<Item = Result<Record, FormatError>> {
    records_with(source, reader, false)
}

/// Like [`records`]; `lossy` replaces invalid UTF-8 in a line with U+FFFD instead of failing.
pub fn records_with<R: BufRead>(
    source: String,
    reader: R,
    lossy: bool,
) -> impl Iterator<Item = Result<Record, FormatError>> {
    let mut lines = reader.split(b'\n').enumerate();
    std::iter::from_fn(move || loop {
        let (i, raw) = lines.next()?;
        let line = i + 1;
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => return Some(Err(FormatError::at(&source, line, e.to_string()))),
        };
        let replaced;
        let s = match std::str::from_utf8(&raw) {
            Ok(s) => s,
            Err(_) if lossy => {
                replaced = String::from_utf8_lossy(&raw).into_owned();
                replaced.as_str()
            }
            Err(e) => {
                return Some(Err(FormatError::at(
                    &source,
                    line,
                    format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
                )))
            }
        };
        let s = s.trim_end_matches('\r');
        if s.trim().is_empty() {
            continue;
        }
        return Some(parse_line(&source, line, s));
    })
}

#[derive(Serialize)]
pub struct OutEntity<'a> {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub text: &'a str,
}

/// The entities of a document with character offsets, as written to JSONL.
pub fn out_entities(doc: &Document) -> Vec<OutEntity<'_>> {
    let offsets = CharOffsets::new(&doc.text);
    doc.spans
        .iter()
        .map(|s| OutEntity {
            // Spans are on char boundaries (validated or produced through the alignment).
            start: offsets.to_char(s.start).unwrap_or(0),
            end: offsets.to_char(s.end).unwrap_or(0),
            label: s.label,
            text: doc.span_text(s),
        })
        .collect()
}

/// One JSONL line for a document; `with_text` adds the text (the annotated-corpus form).
pub fn render(doc: &Document, with_text: bool) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<&'a str>,
        entities: Vec<OutEntity<'a>>,
    }
    let out = Out {
        id: &doc.id,
        text: with_text.then_some(doc.text.as_str()),
        entities: out_entities(doc),
    };
    serde_json::to_string(&out).expect("serializing plain data cannot fail")
}

/// One JSONL line of `vaner extract`: the entities with their canonical keys and normalized
/// values, and the document's relations (indices into `entities`).
pub fn render_extraction(doc: &Document, with_text: bool) -> String {
    #[derive(Serialize)]
    struct Entity<'a> {
        #[serde(flatten)]
        span: OutEntity<'a>,
        #[serde(flatten)]
        value: EntityValue,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        id: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<&'a str>,
        entities: Vec<Entity<'a>>,
        relations: Vec<Relation>,
    }
    let analysis = analyze(doc);
    let out = Out {
        id: &doc.id,
        text: with_text.then_some(doc.text.as_str()),
        entities: out_entities(doc)
            .into_iter()
            .zip(analysis.entities)
            .map(|(span, value)| Entity { span, value })
            .collect(),
        relations: analysis.relations,
    };
    serde_json::to_string(&out).expect("serializing plain data cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_in_and_out() {
        let line = r#"{"id": "a", "text": "Ông Lê Văn Tám họp", "entities": [{"start": 4, "end": 14, "label": "PER"}]}"#;
        let doc = parse_line("f", 1, line)
            .unwrap()
            .into_document("f", None)
            .unwrap();
        assert_eq!(doc.span_text(&doc.spans[0]), "Lê Văn Tám");
        let out = render(&doc, true);
        let back = parse_line("f", 1, &out)
            .unwrap()
            .into_document("f", None)
            .unwrap();
        assert_eq!(back, doc);
        assert!(out.contains(r#""start":4,"end":14"#), "{out}");
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let input = "{\"id\":\"a\",\"text\":\"x\"}\n\n[1,2]\n";
        let got: Vec<_> = records("in.jsonl".into(), input.as_bytes()).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        let e = got[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.to_string(), "in.jsonl:3: not a JSON object");
        let e = parse_line(
            "f",
            7,
            "{\"text\":\"ab\",\"entities\":[{\"start\":0,\"end\":5,\"label\":\"PER\"}]}",
        )
        .unwrap()
        .into_document("f", None)
        .unwrap_err();
        assert!(
            e.to_string().starts_with("f:7: PER span 0..5 is outside"),
            "{e}"
        );
        let e = parse_line(
            "f",
            1,
            "{\"text\":\"ab\",\"entities\":[{\"start\":0,\"end\":1,\"label\":\"LOC\"}]}",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown label 'LOC'"));
    }
}
