//! The inline form of ANNOTATION.md: `<LABEL>text</LABEL>`; removing the tags gives the text.

use crate::doc::{Document, Label, Span};
use crate::formats::FormatError;

/// Parses one inline-annotated document. `source` names it in errors.
pub fn parse(id: &str, source: &str, inline: &str) -> Result<Document, FormatError> {
    let mut text = String::with_capacity(inline.len());
    let mut spans = Vec::new();
    let mut open: Option<(Label, usize, usize)> = None; // label, text byte start, line
    let mut rest = inline;
    let mut line = 1;
    while let Some(lt) = rest.find('<') {
        let (before, from_lt) = rest.split_at(lt);
        text.push_str(before);
        line += before.matches('\n').count();
        match parse_tag(from_lt) {
            Some((closing, label, tag_len)) => {
                if closing {
                    match open.take() {
                        Some((open_label, start, _)) if open_label == label => {
                            spans.push(Span {
                                start,
                                end: text.len(),
                                label,
                            });
                        }
                        Some((open_label, _, _)) => {
                            return Err(FormatError::at(
                                source,
                                line,
                                format!("</{label}> closes <{open_label}>"),
                            ))
                        }
                        None => {
                            return Err(FormatError::at(
                                source,
                                line,
                                format!("</{label}> without an opening tag"),
                            ))
                        }
                    }
                } else {
                    if let Some((open_label, _, _)) = open {
                        return Err(FormatError::at(
                            source,
                            line,
                            format!("<{label}> inside <{open_label}>: spans must be flat"),
                        ));
                    }
                    open = Some((label, text.len(), line));
                }
                rest = &from_lt[tag_len..];
            }
            None => {
                text.push('<');
                rest = &from_lt[1..];
            }
        }
    }
    text.push_str(rest);
    if let Some((label, _, open_line)) = open {
        return Err(FormatError::at(
            source,
            open_line,
            format!("<{label}> is never closed"),
        ));
    }
    let mut doc = Document {
        id: id.to_string(),
        text,
        spans,
    };
    if let Err(e) = doc.validate() {
        return Err(FormatError::new(source, e.to_string()));
    }
    Ok(doc)
}

/// Recognizes `<LABEL>` or `</LABEL>` at the start of `s`: (closing, label, length in bytes).
fn parse_tag(s: &str) -> Option<(bool, Label, usize)> {
    let inner = s.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner.find('>')?;
    let label: Label = inner[..name_end].parse().ok()?;
    let len = 1 + usize::from(closing) + name_end + 1;
    Some((closing, label, len))
}

/// Writes a document in the inline form.
pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text.len() + doc.spans.len() * 16);
    let mut at = 0;
    for span in &doc.spans {
        out.push_str(&doc.text[at..span.start]);
        out.push('<');
        out.push_str(span.label.as_str());
        out.push('>');
        out.push_str(&doc.text[span.start..span.end]);
        out.push_str("</");
        out.push_str(span.label.as_str());
        out.push('>');
        at = span.end;
    }
    out.push_str(&doc.text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_into_spans() {
        let d = parse(
            "x",
            "x",
            "đồng chí <PER>Nguyễn Văn An</PER> - <TITLE>Bí thư Huyện ủy</TITLE>",
        )
        .unwrap();
        assert_eq!(d.text, "đồng chí Nguyễn Văn An - Bí thư Huyện ủy");
        assert_eq!(d.spans.len(), 2);
        assert_eq!(d.span_text(&d.spans[0]), "Nguyễn Văn An");
        assert_eq!(d.spans[1].label, Label::Title);
        assert_eq!(d.span_text(&d.spans[1]), "Bí thư Huyện ủy");
    }

    #[test]
    fn other_angle_brackets_are_text() {
        let d = parse("x", "x", "a < b <LOC>c</LOC> <ORG>UBND</ORG>").unwrap();
        assert_eq!(d.text, "a < b <LOC>c</LOC> UBND");
        assert_eq!(d.spans.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("x", "f.txt", "a\nb <PER>c <ORG>d</ORG></PER>").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("flat"), "{e}");
        let e = parse("x", "f.txt", "a\n\n<PER>c").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse("x", "f.txt", "<PER>c</ORG>").unwrap_err();
        assert!(e.message.contains("closes"));
        let e = parse("x", "f.txt", "<PER> c</PER>").unwrap_err();
        assert!(e.message.contains("white space"), "{e}");
    }

    #[test]
    fn render_round_trips() {
        let src = "Số <DIRECTIVE>84-TB/BCĐ</DIRECTIVE>\r\n<DATE>ngày 3/4/2017</DATE> của <ORG>Ban Thường vụ\nĐảng ủy</ORG>.";
        let d = parse("x", "x", src).unwrap();
        assert_eq!(render(&d), src);
    }
}
