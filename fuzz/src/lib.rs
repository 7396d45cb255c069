//! Checks shared by the fuzz targets: what every reader promises about an accepted document.

use vaner::formats::FormatError;
use vaner::Document;

/// The span invariants of an accepted document (ANNOTATION.md, `Document::validate`): each
/// span non-empty, inside the text on character boundaries, in order, not overlapping the
/// one before, no white space at either edge.
pub fn assert_valid_spans(doc: &Document) {
    let mut previous_end = 0;
    for span in &doc.spans {
        assert!(span.start < span.end, "empty span {span:?}");
        let text = doc
            .text
            .get(span.start..span.end)
            .unwrap_or_else(|| panic!("span {span:?} outside the text or off a char boundary"));
        assert!(
            span.start >= previous_end,
            "span {span:?} overlaps or is out of order"
        );
        assert!(
            !text.starts_with(char::is_whitespace) && !text.ends_with(char::is_whitespace),
            "span {span:?} {text:?} has white space at an edge"
        );
        previous_end = span.end;
    }
}

/// An error that names a line names one the input has.
pub fn assert_line_in(e: &FormatError, input: &[u8]) {
    if let Some(line) = e.line {
        let lines = input.iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(
            (1..=lines).contains(&line),
            "{e} names line {line} of {lines}"
        );
    }
}
