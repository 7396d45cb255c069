//! CoNLL BIO: `# id = …`, then one `token<TAB>tag` per line, a blank line between sentences
//! (lines of the text). Read back, a sentence's tokens are joined by one space and sentences
//! by a newline, so a text whose tokens were already separated that way round-trips exactly.

use std::ops::Range;

use crate::doc::{Document, Span};
use crate::formats::FormatError;
use crate::tags::{spans_to_tags, tags_to_spans, Tag};
use crate::tokens::words_split_at;

/// Writes one document. Tokens break at span edges so every span is whole tokens.
pub fn render(doc: &Document) -> String {
    let boundaries: Vec<usize> = doc.spans.iter().flat_map(|s| [s.start, s.end]).collect();
    let tokens = words_split_at(&doc.text, &boundaries);
    let tags = spans_to_tags(&tokens, &doc.spans);
    let mut out = format!("# id = {}\n", doc.id);
    let mut last_end = 0;
    for (tok, tag) in tokens.iter().zip(&tags) {
        let gap = &doc.text[last_end..tok.start];
        if last_end > 0 && gap.contains('\n') {
            out.push('\n');
        }
        out.push_str(&doc.text[tok.clone()]);
        out.push('\t');
        out.push_str(&tag.name());
        out.push('\n');
        last_end = tok.end;
    }
    out.push('\n');
    out
}

/// Reads every document of a CoNLL file. A document starts at `# id = …` (or at the top).
pub fn parse(source: &str, input: &str) -> Result<Vec<Document>, FormatError> {
    let mut docs = Vec::new();
    let mut current: Option<Builder> = None;
    for (i, raw) in input.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if let Some(id) = raw.strip_prefix("# id = ") {
            if let Some(b) = current.take() {
                docs.push(b.finish(source)?);
            }
            current = Some(Builder::new(id.trim().to_string(), line));
            continue;
        }
        if raw.starts_with("-DOCSTART-") || raw.starts_with('#') {
            continue;
        }
        let b = current.get_or_insert_with(|| Builder::new(format!("{source}:{line}"), line));
        if raw.trim().is_empty() {
            b.sentence_break = !b.text.is_empty();
            continue;
        }
        let (token, tag) = raw
            .rsplit_once(['\t', ' '])
            .ok_or_else(|| FormatError::at(source, line, "expected 'token<TAB>tag'"))?;
        let tag = Tag::parse(tag.trim())
            .ok_or_else(|| FormatError::at(source, line, format!("unknown tag '{tag}'")))?;
        if token.is_empty() {
            return Err(FormatError::at(source, line, "empty token"));
        }
        b.push(token, tag, line);
    }
    if let Some(b) = current.take() {
        docs.push(b.finish(source)?);
    }
    Ok(docs)
}

struct Builder {
    id: String,
    text: String,
    tokens: Vec<Range<usize>>,
    tags: Vec<Tag>,
    lines: Vec<usize>,
    sentence_break: bool,
    first_line: usize,
}

impl Builder {
    fn new(id: String, first_line: usize) -> Self {
        Builder {
            id,
            text: String::new(),
            tokens: Vec::new(),
            tags: Vec::new(),
            lines: Vec::new(),
            sentence_break: false,
            first_line,
        }
    }

    fn push(&mut self, token: &str, tag: Tag, line: usize) {
        if !self.text.is_empty() {
            self.text.push(if self.sentence_break { '\n' } else { ' ' });
        }
        self.sentence_break = false;
        let start = self.text.len();
        self.text.push_str(token);
        self.tokens.push(start..self.text.len());
        self.tags.push(tag);
        self.lines.push(line);
    }

    fn finish(self, source: &str) -> Result<Document, FormatError> {
        let spans: Vec<Span> = tags_to_spans(&self.tokens, &self.tags).map_err(|e| {
            let line = self.lines.get(e.token).copied().unwrap_or(self.first_line);
            FormatError::at(source, line, e.to_string())
        })?;
        let mut doc = Document {
            id: self.id,
            text: self.text,
            spans,
        };
        doc.validate()
            .map_err(|e| FormatError::at(source, self.first_line, e.to_string()))?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::inline;

    #[test]
    fn round_trips_through_inline() {
        let src = "Căn cứ <DIRECTIVE>Chỉ thị số 05 - CT / TW</DIRECTIVE> của <ORG>Bộ Chính trị</ORG> ;\n<PER>Lê Văn Tám</PER>";
        let doc = inline::parse("d1", "x", src).unwrap();
        let conll = render(&doc);
        assert!(conll.starts_with("# id = d1\nCăn\tO\n"), "{conll}");
        assert!(conll.contains("Chỉ\tB-DIRECTIVE\nthị\tI-DIRECTIVE\n"));
        let back = parse("x", &conll).unwrap();
        assert_eq!(back, vec![doc.clone()]);
        assert_eq!(inline::render(&back[0]), src);
    }

    #[test]
    fn rejects_illegal_sequences_with_line() {
        let e = parse("f.conll", "a\tO\nb\tI-PER\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse("f.conll", "a\tX-PER\n").unwrap_err();
        assert!(e.message.contains("unknown tag"));
    }
}
