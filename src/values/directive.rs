//! DIRECTIVE spans → document type, number, year, symbol with its type and issuer codes, and a
//! canonical key; named forms (`Nghị quyết Trung ương 4 (khóa XI)`, `Luật Đất đai năm 2013`).
//!
//! Two symbol orders exist (FORMATS.md): the Party's `NUMBER-TYPE/ISSUER` (`03-CT/TW`) and
//! the State's `NUMBER[/YEAR]/TYPE-ISSUER` (`15/2020/QĐ-UBND`), whose official letters have
//! no type code (`05/BNV-VP`: issuer, then drafting unit).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::prepare;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectiveWarning {
    #[serde(rename = "no number")]
    NoNumber,
    #[serde(rename = "not understood")]
    NotUnderstood,
}

/// The value of a DIRECTIVE span; fields the text does not give stay empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectiveValue {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plenum: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub congress: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<DirectiveWarning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum World {
    State,
    Party,
}

/// Type codes of `data/codes/type_codes.tsv`: (code, world) → document type.
struct TypeCodes {
    by_code: HashMap<(String, World), String>,
}

impl TypeCodes {
    fn parse(tsv: &str) -> Self {
        let mut by_code = HashMap::new();
        for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [code, doc_type, world] = cols[..] {
                let worlds: &[World] = match world {
                    "state" => &[World::State],
                    "party" => &[World::Party],
                    _ => &[World::State, World::Party],
                };
                for &w in worlds {
                    by_code.insert((code.to_string(), w), doc_type.to_string());
                }
            }
        }
        TypeCodes { by_code }
    }

    fn doc_type(&self, code: &str, world: World) -> Option<&str> {
        self.by_code
            .get(&(code.to_string(), world))
            .or_else(|| {
                // Codes are sometimes written in other cases (`QĐI`, `Ttr`).
                self.by_code
                    .iter()
                    .find(|((c, w), _)| *w == world && c.to_uppercase() == code.to_uppercase())
                    .map(|(_, t)| t)
            })
            .map(String::as_str)
    }
}

static TYPE_CODES: LazyLock<TypeCodes> =
    LazyLock::new(|| TypeCodes::parse(include_str!("../../data/codes/type_codes.tsv")));

/// Document types in their dictionary spelling, longest first so that `Chương trình hành
/// động` wins over `Chương trình`.
const DOC_TYPES: &[&str] = &[
    "Chương trình hành động",
    "Nghị quyết liên tịch",
    "Thông tư liên tịch",
    "Quy chế phối hợp",
    "Văn bản hợp nhất",
    "Chương trình",
    "Nghị quyết",
    "Quyết định",
    "Hướng dẫn",
    "Công điện",
    "Thông báo",
    "Thông cáo",
    "Hiến pháp",
    "Pháp lệnh",
    "Phương án",
    "Kết luận",
    "Kế hoạch",
    "Thông tri",
    "Công văn",
    "Nghị định",
    "Biên bản",
    "Giấy mời",
    "Đề cương",
    "Thông tư",
    "Quy định",
    "Chỉ thị",
    "Báo cáo",
    "Tờ trình",
    "Quy chế",
    "Bộ luật",
    "Điều lệ",
    "Dự án",
    "Đề án",
    "Luật",
];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

const CODE_CHARS: &str = r"[\p{L}\d&]";

/// `03-CT/TW`, `119- KH/TU`: number, type code, issuer code.
static PARTY_CODE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:^|[^\d\p{{L}}])(\d+[a-zA-Z]?)\s*-\s*({c}+)\s*/\s*({c}+(?:\s*-\s*{c}+)*)",
        c = CODE_CHARS
    ))
});
/// `15/2020/QĐ-UBND`, `1234/QĐ-UBND`, `05/BNV-VP`, `89/2025/UBTVQH15`, `299/TTg`.
static STATE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:^|[^\d\p{{L}}])(\d+[a-zA-Z]?)\s*/\s*(?:(\d{{4}})\s*/\s*)?(\p{{L}}{c}*(?:\s*-\s*{c}+)*)",
        c = CODE_CHARS
    ))
});
static ISSUER_TERM: LazyLock<Regex> = LazyLock::new(|| re(r"^(\p{Lu}+)(\d{1,2})$"));
static PLENUM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:hội nghị\s+)?(?:lần thứ\s+)?trung ương\s+(?:lần thứ\s+)?(\d+|[ivxlc]+)\b(?:.*?khóa\s+([ivxlc]+)\b)?",
    )
});
static CONGRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^đại hội(.*?)\b(?:lần thứ\s+)?([ivxlc]+|\d+)\b(?:\s*\(.*\))?(?:\s+của\s+.*)?$")
});
static NAME_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(.*?)(?:\s*,?\s*(?:(?:năm|ngày\s.*năm)\s+)?(\d{4}))?$"));
static SHORT_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:số\s*:?\s*)?(\d+[a-zA-Z]?)$"));

/// The value of a DIRECTIVE span.
pub fn normalize(text: &str) -> DirectiveValue {
    let s = prepare(text);
    let s = s.trim_matches(|c: char| c.is_whitespace() || ",.;:“”\"'".contains(c));
    let (doc_type, rest) = split_doc_type(s);
    let mut value = DirectiveValue {
        doc_type: doc_type.map(str::to_string),
        ..DirectiveValue::default()
    };
    if let Some(coded) = code(rest) {
        let name = rest[..coded.start].trim();
        let name = name
            .trim_end_matches(|c: char| c.is_whitespace() || c == ':')
            .trim_end_matches(|c: char| c.is_whitespace() || c == ':');
        let name = strip_word(name, "số");
        let is_law = matches!(doc_type, Some("Luật" | "Bộ luật" | "Pháp lệnh"));
        if is_law && !name.is_empty() {
            value.name = Some(name.to_string());
        }
        merge_code(&mut value, coded);
        return value;
    }
    // `Quyết định số` with the number missing.
    let rest = rest.trim();
    let rest = if rest.to_lowercase() == "số" {
        ""
    } else {
        rest
    };
    let Some(doc_type) = doc_type else {
        value.warning = Some(DirectiveWarning::NotUnderstood);
        return value;
    };
    if rest.is_empty() {
        value.warning = Some(DirectiveWarning::NoNumber);
        return value;
    }
    // A name in capitals (`LUẬT ĐẤT ĐAI`) is written back in sentence case.
    let recased;
    let rest = if rest.chars().any(char::is_lowercase) {
        rest
    } else {
        let lower = rest.to_lowercase();
        let mut cs = lower.chars();
        recased = cs
            .next()
            .map(|f| f.to_uppercase().chain(cs).collect::<String>())
            .unwrap_or_default();
        recased.as_str()
    };
    let is_law = matches!(doc_type, "Luật" | "Bộ luật" | "Hiến pháp" | "Pháp lệnh");
    let canonical_rest;
    if let Some(c) = SHORT_NUMBER.captures(rest).filter(|_| !is_law) {
        value.number = Some(c[1].to_string());
        canonical_rest = c[1].to_string();
    } else if let Some(c) = PLENUM.captures(rest) {
        value.plenum = roman_value(&c[1]);
        value.term = c.get(2).map(|m| m.as_str().to_uppercase());
        canonical_rest = match (&value.plenum, &value.term) {
            (Some(p), Some(t)) => format!("Trung ương {p} khóa {t}"),
            (Some(p), None) => format!("Trung ương {p}"),
            _ => rest.to_string(),
        };
    } else if let Some(c) = CONGRESS.captures(rest) {
        let congress = c[2].to_uppercase();
        let who = c[1].trim();
        let national = who.is_empty()
            || who.eq_ignore_ascii_case("đại biểu toàn quốc")
            || rest.contains("của Đảng")
            || rest.to_lowercase().contains("toàn quốc");
        canonical_rest = if national {
            format!("Đại hội {congress}")
        } else {
            format!("Đại hội {who} lần thứ {congress}")
        };
        value.congress = Some(congress);
    } else {
        let c = NAME_YEAR.captures(rest);
        let name = c
            .as_ref()
            .map_or(rest, |c| c.get(1).map_or(rest, |m| m.as_str()));
        let year = c
            .as_ref()
            .and_then(|c| c.get(2))
            .and_then(|m| m.as_str().parse().ok());
        value.year = year;
        let name = name.trim().trim_end_matches(',').trim();
        if !name.is_empty() {
            value.name = Some(name.to_string());
        }
        canonical_rest = match (value.name.as_deref(), year) {
            (Some(n), Some(y)) => format!("{n} {y}"),
            (Some(n), None) => n.to_string(),
            (None, Some(y)) => y.to_string(),
            (None, None) => String::new(),
        };
    }
    value.canonical = Some(format!("{doc_type} {canonical_rest}").trim().to_string());
    value
}

/// The document type the span starts with (matched without case), and the rest.
fn split_doc_type(s: &str) -> (Option<&'static str>, &str) {
    let lower = s.to_lowercase();
    for &t in DOC_TYPES {
        let tl = t.to_lowercase();
        if let Some(rest) = lower.strip_prefix(&tl) {
            let next = rest.chars().next();
            if next.is_none_or(|c| !c.is_alphanumeric()) {
                // Lower-casing keeps byte lengths of Vietnamese letters, so offsets carry over.
                let cut = s.len() - rest.len();
                if s.is_char_boundary(cut) {
                    return (Some(t), &s[cut..]);
                }
            }
        }
    }
    (None, s)
}

fn strip_word<'a>(s: &'a str, word: &str) -> &'a str {
    let t = s.trim();
    let lower = t.to_lowercase();
    if lower.ends_with(word) && t.len() >= word.len() {
        let cut = t.len() - word.len();
        if t.is_char_boundary(cut) && t[..cut].chars().next_back().is_none_or(char::is_whitespace) {
            return t[..cut].trim();
        }
    }
    t
}

/// A document code found in the text: where it starts and its parts.
struct Coded {
    start: usize,
    number: String,
    year: Option<i32>,
    symbol: String,
    world: World,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn code(s: &str) -> Option<Coded> {
    if let Some(c) = PARTY_CODE.captures(s) {
        let whole = c.get(1)?;
        return Some(Coded {
            start: whole.start(),
            number: c[1].to_string(),
            year: None,
            symbol: format!("{}/{}", squash(&c[2]), squash(&c[3])),
            world: World::Party,
        });
    }
    let c = STATE_CODE.captures(s)?;
    let whole = c.get(1)?;
    Some(Coded {
        start: whole.start(),
        number: c[1].to_string(),
        year: c.get(2).and_then(|m| m.as_str().parse().ok()),
        symbol: squash(&c[3]),
        world: World::State,
    })
}

fn merge_code(value: &mut DirectiveValue, coded: Coded) {
    value.number = Some(coded.number.clone());
    value.year = coded.year;
    value.symbol = Some(coded.symbol.clone());
    value.canonical = Some(match (coded.world, coded.year) {
        (World::Party, _) => format!("{}-{}", coded.number, coded.symbol),
        (World::State, Some(y)) => format!("{}/{y}/{}", coded.number, coded.symbol),
        (World::State, None) => format!("{}/{}", coded.number, coded.symbol),
    });
    match coded.world {
        World::Party => {
            let (type_code, issuer) = coded.symbol.split_once('/').unwrap_or(("", ""));
            value.type_code = Some(type_code.to_string());
            value.issuer_code = Some(issuer.to_string());
            if value.doc_type.is_none() {
                value.doc_type = TYPE_CODES
                    .doc_type(type_code, World::Party)
                    .map(str::to_string);
            }
        }
        World::State => {
            let parts: Vec<&str> = coded.symbol.split('-').collect();
            let type_doc = TYPE_CODES.doc_type(parts[0], World::State);
            if parts.len() >= 2 && type_doc.is_some() {
                value.type_code = Some(parts[0].to_string());
                value.issuer_code = Some(parts[1..].join("-"));
                if value.doc_type.is_none() {
                    value.doc_type = type_doc.map(str::to_string);
                }
            } else if parts.len() >= 2 {
                // An official letter: issuer, then the unit that drafted it.
                value.issuer_code = Some(parts[0].to_string());
                value.unit_code = Some(parts[1..].join("-"));
                if value.doc_type.is_none() {
                    value.doc_type = Some("Công văn".to_string());
                }
            } else if let Some(c) = ISSUER_TERM.captures(parts[0]) {
                // `QH14`, `UBTVQH15`: the National Assembly and its term.
                value.issuer_code = Some(c[1].to_string());
                value.term = c[2].parse().ok().map(roman);
            } else {
                value.issuer_code = Some(parts[0].to_string());
            }
        }
    }
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// An Arabic or Roman number; `None` for neither, or when it counts below zero (`iiiiiiiiiiix`)
/// or past `u32`.
fn roman_value(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let mut total: u32 = 0;
    let mut prev = 0;
    for c in s.to_uppercase().chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total = total.checked_add(v)?;
            prev = v;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_values() {
        assert_eq!(roman_value("xiii"), Some(13));
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("12"), Some(12));
        assert_eq!(roman_value("abc"), None);
    }

    /// More subtracted than added: this used to overflow (a panic in debug builds).
    #[test]
    fn plenum_numeral_below_zero_is_no_number() {
        assert_eq!(roman_value("iiiiiiiiiiix"), None);
        let v = normalize("Nghị quyết Trung ương iiiiiiiiiiix");
        assert_eq!(v.plenum, None);
        assert_eq!(
            v.canonical.as_deref(),
            Some("Nghị quyết Trung ương iiiiiiiiiiix")
        );
    }
}
