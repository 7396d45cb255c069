//! Spans → values: what a database needs from each entity. Every entity gets a `canonical`
//! key for matching the same name across documents and spellings; dates, directives and
//! titles get a `normalized` value; each document gets the [`relations`] between its entities.
//! All of it works on any spans, gold or predicted.

pub mod date;
pub mod directive;
pub mod relations;
pub mod title;

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::doc::{Document, Label};
use crate::text::normalize;

pub use date::DateValue;
pub use directive::DirectiveValue;
pub use relations::Relation;
pub use title::TitleValue;

/// What the rest of the document says about a span: the year of its own date line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub year: Option<i32>,
}

/// The normalized value of a span, by label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Normalized {
    Date(DateValue),
    Directive(Box<DirectiveValue>),
    Title(TitleValue),
}

/// NFC, one tone-mark style, white space (line breaks too) collapsed to single spaces.
pub(crate) fn prepare(text: &str) -> String {
    normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of one span; PER and ORG have none beyond their canonical key.
pub fn normalize_span(label: Label, text: &str, ctx: &Context) -> Option<Normalized> {
    match label {
        Label::Date => Some(Normalized::Date(date::normalize(text, ctx))),
        Label::Directive => Some(Normalized::Directive(Box::new(directive::normalize(text)))),
        Label::Title => Some(Normalized::Title(title::normalize(text))),
        Label::Per | Label::Org => None,
    }
}

/// Abbreviations expanded in canonical keys of bodies and titles (whole words only; each has
/// one meaning in administrative text).
const EXPANSIONS: &[(&str, &str)] = &[
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("UBKT", "Ủy ban Kiểm tra"),
    ("BCH", "Ban Chấp hành"),
    ("BTV", "Ban Thường vụ"),
    ("BCĐ", "Ban Chỉ đạo"),
    ("TW", "Trung ương"),
    ("TP.", "thành phố"),
    ("Tp.", "thành phố"),
];

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{M}\d]+\.?|[^\s]").expect("a valid pattern"));

/// The key that matches one name across documents and spellings.
///
/// PER: the name in its normalized form, re-cased syllable by syllable when written in
/// capitals. ORG and TITLE: abbreviations expanded, then lower case, so that the header
/// `ỦY BAN NHÂN DÂN TỈNH` and `UBND tỉnh` in running text meet. DATE: the ISO value when there
/// is one; DIRECTIVE: the canonical number or name.
pub fn canonical(label: Label, text: &str, value: Option<&Normalized>) -> String {
    let s = prepare(text);
    match (label, value) {
        (Label::Date, Some(Normalized::Date(DateValue { iso: Some(iso), .. }))) => iso.clone(),
        (Label::Directive, Some(Normalized::Directive(d))) if d.canonical.is_some() => {
            d.canonical.clone().unwrap_or_default()
        }
        (Label::Per, _) if !s.chars().any(char::is_lowercase) => s
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(first) => first
                        .to_uppercase()
                        .chain(cs.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                }
            })
            .collect::<Vec<String>>()
            .join(" "),
        (Label::Per, _) => s,
        (Label::Org | Label::Title, _) => {
            let expanded: Vec<String> = WORD
                .find_iter(&s)
                .map(|m| {
                    let w = m.as_str();
                    EXPANSIONS
                        .iter()
                        .find(|(abbr, _)| *abbr == w)
                        .map_or_else(|| w.to_string(), |(_, full)| full.to_string())
                })
                .collect();
            // Rejoin without spaces before punctuation that the text had attached.
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            for (m, e) in WORD.find_iter(&s).zip(&expanded) {
                let gap = &rest[..m.start() - (s.len() - rest.len())];
                out.push_str(gap);
                out.push_str(e);
                rest = &s[m.end()..];
            }
            out.push_str(rest);
            out.to_lowercase()
        }
        (_, _) => s.to_lowercase(),
    }
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(\d{4})")
        .expect("a valid pattern")
});
static NEWS_STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,2}[/.-]\d{1,2}[/.-](\d{4})\b").expect("a valid pattern"));

/// The year of a document's own date: its place-date line (`Hà Nội, ngày 05 tháng 01 năm
/// 2020`), or else the first full date near the top (a news item's time stamp).
pub fn document_year(text: &str) -> Option<i32> {
    // Line by line: normalization never reaches across a line break, and the alignment of a
    // whole long document (some twenty bytes per byte) is not needed here.
    let normalized: String = text.split_inclusive('\n').map(normalize).collect();
    if let Some(c) = DATE_LINE.captures(&normalized) {
        return c[1].parse().ok();
    }
    let head: String = normalized.chars().take(400).collect();
    NEWS_STAMP.captures(&head).and_then(|c| c[1].parse().ok())
}

/// The values of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityValue {
    pub canonical: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<Normalized>,
}

/// Values of every span of a document (in span order) and the relations between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub entities: Vec<EntityValue>,
    pub relations: Vec<Relation>,
}

pub fn analyze(doc: &Document) -> Analysis {
    let ctx = Context {
        year: document_year(&doc.text),
    };
    let entities = doc
        .spans
        .iter()
        .map(|s| {
            let text = doc.span_text(s);
            let normalized = normalize_span(s.label, text, &ctx);
            EntityValue {
                canonical: canonical(s.label, text, normalized.as_ref()),
                normalized,
            }
        })
        .collect();
    Analysis {
        entities,
        relations: relations::find(doc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_keys_meet_across_spellings() {
        let a = canonical(Label::Org, "ỦY BAN NHÂN DÂN TỈNH", None);
        let b = canonical(Label::Org, "UBND  tỉnh", None);
        let c = canonical(Label::Org, "Uỷ ban nhân dân\ntỉnh", None);
        assert_eq!(a, "ủy ban nhân dân tỉnh");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(
            canonical(Label::Per, "NGUYỄN VĂN AN", None),
            "Nguyễn Văn An"
        );
        assert_eq!(
            canonical(Label::Per, "Nguyễn  Văn An", None),
            "Nguyễn Văn An"
        );
        assert_eq!(
            canonical(Label::Title, "Phó Bí thư Thường trực Tỉnh uỷ", None),
            "phó bí thư thường trực tỉnh ủy"
        );
        assert_eq!(
            canonical(Label::Org, "UBND TP. Hồ Chí Minh", None),
            "ủy ban nhân dân thành phố hồ chí minh"
        );
    }

    #[test]
    fn document_year_from_the_date_line() {
        let text = "TỈNH ỦY X\nSố 12-TB/TU      Huế, ngày 05 tháng 3 năm 2024\nNgày 14/3 ...";
        assert_eq!(document_year(text), Some(2024));
        assert_eq!(
            document_year("Thứ Hai, 08:15, 14/03/2016\nSáng 14/3"),
            Some(2016)
        );
        assert_eq!(document_year("no date"), None);
    }

    #[test]
    fn titles_split_into_role_and_body() {
        let t = title::normalize("Phó Bí thư Thường trực Tỉnh uỷ");
        assert_eq!(t.role, "Phó Bí thư Thường trực");
        assert_eq!(t.org.as_deref(), Some("Tỉnh ủy"));
        let t = title::normalize("Chánh Văn phòng");
        assert_eq!(t.role, "Chánh Văn phòng");
        assert_eq!(t.org, None);
        let t = title::normalize("Trưởng Ban Tuyên giáo Tỉnh ủy");
        assert_eq!(
            (t.role.as_str(), t.org.as_deref()),
            ("Trưởng ban", Some("Ban Tuyên giáo Tỉnh ủy"))
        );
        let t = title::normalize("Bộ trưởng Bộ Tài chính");
        assert_eq!(
            (t.role.as_str(), t.org.as_deref()),
            ("Bộ trưởng", Some("Bộ Tài chính"))
        );
        let t = title::normalize("Tỉnh ủy viên");
        assert_eq!((t.role.as_str(), t.org), ("Tỉnh ủy viên", None));
        let t = title::normalize("Ủy viên Ban Thường vụ Thành ủy");
        assert_eq!(
            (t.role.as_str(), t.org.as_deref()),
            ("Ủy viên", Some("Ban Thường vụ Thành ủy"))
        );
        let t = title::normalize("Trưởng Công an huyện");
        assert_eq!(
            (t.role.as_str(), t.org.as_deref()),
            ("Trưởng", Some("Công an huyện"))
        );
    }
}
