//! Relations between a document's entities, read from the shapes administrative text uses:
//! `đồng chí X - T1, T2 kiêm T3`, `T X`, signature blocks (title lines, then the name),
//! `Chỉ thị số 03-CT/TW, ngày 14/5/2011 của Bộ Chính trị`, and the header's number, issuer
//! and place-date line.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::doc::{Document, Label, Span};
use crate::eval::Prf;
use crate::text::normalize;

/// One relation; the numbers index the document's entities in span order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Relation {
    Holds { person: usize, title: usize },
    MemberOf { title: usize, org: usize },
    IssuedBy { directive: usize, org: usize },
    Dated { directive: usize, date: usize },
}

impl Relation {
    pub fn kind(&self) -> &'static str {
        match self {
            Relation::Holds { .. } => "holds",
            Relation::MemberOf { .. } => "member_of",
            Relation::IssuedBy { .. } => "issued_by",
            Relation::Dated { .. } => "dated",
        }
    }

    /// The two entities it links, in the order its name reads (person holds title).
    pub fn ends(&self) -> (usize, usize) {
        match *self {
            Relation::Holds { person, title } => (person, title),
            Relation::MemberOf { title, org } => (title, org),
            Relation::IssuedBy { directive, org } => (directive, org),
            Relation::Dated { directive, date } => (directive, date),
        }
    }
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("a valid pattern")
}

/// Between a name and the titles that follow it.
static PERSON_TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:[-–,:(]\s*)?$"));
/// Between two titles of one person.
static TITLE_JOIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:,|;|-|–|kiêm|và|,\s*kiêm|,\s*đồng thời là)?\s*(?:,?\s*(?:giữ chức(?: vụ)?|nhận nhiệm vụ|làm|được bầu(?: giữ chức| làm)?|được bổ nhiệm(?: giữ chức| làm)?)\s*)?$",
    )
});
/// Between a title and the name that follows it.
static TITLE_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[ \t]*\(?[ \t]*(?:(?:đồng chí|đ/c|ông|bà|đại tá|thượng tá|trung tá|thiếu tướng|trung tướng)[ \t]+)?$",
    )
});
/// Between a document and its date.
static DIRECTIVE_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*,?\s*(?:\(|ban hành\s+)?(?:ngày\s*)?$"));
/// Between a document (or its date) and its issuer.
static ISSUER_JOIN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*,?\s*(?:\)\s*)?(?:của|do)\s*$"));
/// Between an issuer and the document it issued.
static ORG_ISSUES: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:đã\s+)?(?:ban hành|có)\s*$"));
/// Between two columns flattened into one line.
static COLUMN_GAP: LazyLock<Regex> = LazyLock::new(|| re(r"[ \t]{3,}|\t"));
/// What may precede a title line in a signature block.
static SIGN_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:t/m|k/t|t/l|tm\.?|kt\.?|tl\.?|tuq\.?|q\.)\s*$"));
static ON_BEHALF: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:t/m|tm\.?)\s*$"));

struct View<'a> {
    doc: &'a Document,
    spans: &'a [Span],
    /// Byte offsets of the text's line breaks, so that a span's line number is a binary
    /// search rather than a count from the start (quadratic on a long document).
    line_breaks: Vec<usize>,
}

impl View<'_> {
    /// Text between the end of span `i` and the start of span `j`.
    fn gap(&self, i: usize, j: usize) -> &str {
        self.doc
            .text
            .get(self.spans[i].end..self.spans[j].start)
            .unwrap_or("")
    }
    fn label(&self, i: usize) -> Label {
        self.spans[i].label
    }
    /// Text from the start of span `i`'s column to the span. Two-column layouts (the
    /// `Nơi nhận:` list beside the signature, the header's two columns) are flattened into
    /// one line with a run of spaces between the columns.
    fn column_before(&self, i: usize) -> &str {
        let start = self.spans[i].start;
        let line_start = self.doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
        let line = &self.doc.text[line_start..start];
        match COLUMN_GAP.find_iter(line).last() {
            Some(m) => &line[m.end()..],
            None => line,
        }
    }
    /// Text from span `i` to the end of its column.
    fn column_after(&self, i: usize) -> &str {
        let end = self.spans[i].end;
        let line_end = self.doc.text[end..]
            .find('\n')
            .map_or(self.doc.text.len(), |p| end + p);
        let line = &self.doc.text[end..line_end];
        match COLUMN_GAP.find(line) {
            Some(m) if !line[..m.start()].trim().is_empty() || m.start() == 0 => &line[..m.start()],
            _ => line,
        }
    }
    /// Whether span `i` is alone in its column (up to a signature prefix before it).
    fn alone_on_line(&self, i: usize) -> bool {
        let before = self.column_before(i);
        (before.trim().is_empty() || SIGN_PREFIX.is_match(before))
            && self.column_after(i).trim().is_empty()
    }
    /// Characters from the start of span `i`'s line to the span.
    fn x(&self, i: usize) -> usize {
        let start = self.spans[i].start;
        let line_start = self.doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
        self.doc.text[line_start..start].chars().count()
    }
    fn line_of(&self, i: usize) -> usize {
        let start = self.spans[i].start;
        self.line_breaks.partition_point(|&b| b < start)
    }
}

/// The relations stated in a document, deduplicated, in order of their first entity.
pub fn find(doc: &Document) -> Vec<Relation> {
    let v = View {
        doc,
        spans: &doc.spans,
        line_breaks: doc.text.match_indices('\n').map(|(b, _)| b).collect(),
    };
    let n = doc.spans.len();
    let mut out = BTreeSet::new();
    person_titles(&v, n, &mut out);
    signatures(&v, n, &mut out);
    citations(&v, n, &mut out);
    header(&v, n, &mut out);
    let mut rels: Vec<Relation> = out.into_iter().collect();
    rels.sort_by_key(|r| (first_index(r), *r));
    rels
}

fn first_index(r: &Relation) -> usize {
    match *r {
        Relation::Holds { person, title } => person.min(title),
        Relation::MemberOf { title, org } => title.min(org),
        Relation::IssuedBy { directive, org } => directive.min(org),
        Relation::Dated { directive, date } => directive.min(date),
    }
}

/// Runs of TITLE spans joined by `,` / `kiêm` / `và`, given to the name before or after them.
fn person_titles(v: &View, n: usize, out: &mut BTreeSet<Relation>) {
    let mut i = 0;
    while i < n {
        if v.label(i) != Label::Title {
            i += 1;
            continue;
        }
        let first = i;
        let mut last = i;
        while last + 1 < n
            && v.label(last + 1) == Label::Title
            && !v.gap(last, last + 1).contains('\n')
            && TITLE_JOIN.is_match(v.gap(last, last + 1))
        {
            last += 1;
        }
        let before = (first > 0
            && v.label(first - 1) == Label::Per
            && PERSON_TITLE.is_match(v.gap(first - 1, first)))
        .then(|| first - 1);
        let after = (last + 1 < n
            && v.label(last + 1) == Label::Per
            && TITLE_PERSON.is_match(v.gap(last, last + 1)))
        .then_some(last + 1);
        if let Some(person) = before.or(after) {
            for title in first..=last {
                out.insert(Relation::Holds { person, title });
            }
        }
        i = last + 1;
    }
}

/// Signature blocks: a name alone on its line under title lines (and `T/M <ORG>`).
fn signatures(v: &View, n: usize, out: &mut BTreeSet<Relation>) {
    let issuer = header_issuer(v, n);
    for p in 0..n {
        if v.label(p) != Label::Per || !v.alone_on_line(p) || p == 0 {
            continue;
        }
        let line = v.line_of(p);
        // Title and T/M lines directly above (blank lines for the signature allowed).
        let mut titles = Vec::new();
        let mut on_behalf = None;
        let mut k = p;
        while k > 0 {
            let j = k - 1;
            if line - v.line_of(j) > 8 {
                break;
            }
            if !v.alone_on_line(j) {
                // The `Nơi nhận:` column to the left of the signature: look past it.
                if v.x(j) + 10 < v.x(p) {
                    k = j;
                    continue;
                }
                break;
            }
            match v.label(j) {
                Label::Title => titles.push(j),
                Label::Org if ON_BEHALF.is_match(v.column_before(j)) => {
                    on_behalf = Some(j);
                    break;
                }
                _ => break,
            }
            k = j;
        }
        let Some(&held) = titles.first() else {
            continue;
        };
        out.insert(Relation::Holds {
            person: p,
            title: held,
        });
        // Every title of the block is a position in the body signed for and in the issuer.
        for org in [on_behalf, issuer].into_iter().flatten() {
            for &t in &titles {
                out.insert(Relation::MemberOf { title: t, org });
            }
        }
    }
}

/// `<DIRECTIVE>, <DATE> của <ORG>`, `<DIRECTIVE> của <ORG>`, `<ORG> ban hành <DIRECTIVE>`.
fn citations(v: &View, n: usize, out: &mut BTreeSet<Relation>) {
    for d in 0..n {
        if v.label(d) != Label::Directive {
            continue;
        }
        let mut next = d + 1;
        if next < n && v.label(next) == Label::Date && DIRECTIVE_DATE.is_match(v.gap(d, next)) {
            out.insert(Relation::Dated {
                directive: d,
                date: next,
            });
            next += 1;
        }
        if next < n && v.label(next) == Label::Org && ISSUER_JOIN.is_match(v.gap(next - 1, next)) {
            out.insert(Relation::IssuedBy {
                directive: d,
                org: next,
            });
        }
        if d > 0 && v.label(d - 1) == Label::Org && ORG_ISSUES.is_match(v.gap(d - 1, d)) {
            out.insert(Relation::IssuedBy {
                directive: d,
                org: d - 1,
            });
        }
    }
}

/// The lines before the document's own number: where its issuer is named.
const HEADER_LINES: usize = 8;

/// The document's own number (`Số 84-TB/BCĐ` near the top).
fn header_number(v: &View, n: usize) -> Option<usize> {
    (0..n).find(|&i| {
        v.label(i) == Label::Directive
            && v.line_of(i) < HEADER_LINES
            && normalize(v.doc.span_text(&v.spans[i]))
                .to_lowercase()
                .starts_with("số")
    })
}

/// The issuing body in the header: the last ORG above the number (the lower line of
/// `UBND TỈNH X` / `SỞ Y TẾ` is the issuer), never the Party's name in the motto column.
fn header_issuer(v: &View, n: usize) -> Option<usize> {
    let number = header_number(v, n)?;
    let number_line = v.line_of(number);
    (0..n).rfind(|&i| {
        v.label(i) == Label::Org
            && v.line_of(i) <= number_line
            && (i < number || v.line_of(i) == number_line)
            && normalize(v.doc.span_text(&v.spans[i])).to_lowercase() != "đảng cộng sản việt nam"
    })
}

/// The header: its number issued by its issuer, dated by the place-date line.
fn header(v: &View, n: usize, out: &mut BTreeSet<Relation>) {
    let Some(number) = header_number(v, n) else {
        return;
    };
    if let Some(org) = header_issuer(v, n) {
        out.insert(Relation::IssuedBy {
            directive: number,
            org,
        });
    }
    let number_line = v.line_of(number);
    // The place-date line sits beside the number, or just above or below it.
    let date = (0..n).find(|&i| {
        v.label(i) == Label::Date
            && v.line_of(i).abs_diff(number_line) <= 3
            && v.column_before(i).trim_end().ends_with(',')
    });
    if let Some(date) = date {
        out.insert(Relation::Dated {
            directive: number,
            date,
        });
    }
}

/// A relation by the character ranges of its two entities, so that relations over different
/// entity lists (gold, predicted) can be compared.
pub type RelationKey = (&'static str, (usize, usize), (usize, usize));

pub fn keys(spans: &[Span], relations: &[Relation]) -> Vec<RelationKey> {
    relations
        .iter()
        .filter_map(|r| {
            let (a, b) = r.ends();
            let (a, b) = (spans.get(a)?, spans.get(b)?);
            Some((r.kind(), (a.start, a.end), (b.start, b.end)))
        })
        .collect()
}

/// Precision and recall of found relations against gold ones, per relation type and over
/// all (`"all"`), from (found, gold) key lists of each document.
pub fn score(docs: &[(Vec<RelationKey>, Vec<RelationKey>)]) -> BTreeMap<&'static str, Prf> {
    let mut out: BTreeMap<&'static str, Prf> = BTreeMap::new();
    for (found, gold) in docs {
        let found: BTreeSet<_> = found.iter().collect();
        let gold: BTreeSet<_> = gold.iter().collect();
        for k in &found {
            let hit = gold.contains(k);
            for name in [k.0, "all"] {
                let prf = out.entry(name).or_default();
                if hit {
                    prf.tp += 1;
                } else {
                    prf.fp += 1;
                }
            }
        }
        for k in gold.difference(&found) {
            for name in [k.0, "all"] {
                out.entry(name).or_default().fn_ += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Document;

    fn doc(inline: &str) -> Document {
        crate::formats::inline::parse("t", "t", inline).expect("valid inline text")
    }

    #[test]
    fn person_with_a_chain_of_titles() {
        let d = doc("đồng chí <PER>Lê Văn An</PER> - <TITLE>Tỉnh ủy viên</TITLE>, <TITLE>Bí thư Huyện ủy</TITLE> kiêm <TITLE>Chủ tịch HĐND huyện</TITLE> phát biểu; <TITLE>Phó Thủ tướng</TITLE> <PER>Trần Hà</PER> dự.");
        assert_eq!(
            find(&d),
            vec![
                Relation::Holds {
                    person: 0,
                    title: 1
                },
                Relation::Holds {
                    person: 0,
                    title: 2
                },
                Relation::Holds {
                    person: 0,
                    title: 3
                },
                Relation::Holds {
                    person: 5,
                    title: 4
                },
            ]
        );
    }

    #[test]
    fn citation_with_date_and_issuer() {
        let d = doc("Thực hiện <DIRECTIVE>Chỉ thị số 05-CT/TW</DIRECTIVE>, <DATE>ngày 15/5/2016</DATE> của <ORG>Bộ Chính trị</ORG>; <ORG>Tỉnh ủy</ORG> ban hành <DIRECTIVE>Kế hoạch số 12-KH/TU</DIRECTIVE>.");
        assert_eq!(
            find(&d),
            vec![
                Relation::IssuedBy {
                    directive: 0,
                    org: 2
                },
                Relation::Dated {
                    directive: 0,
                    date: 1
                },
                Relation::IssuedBy {
                    directive: 4,
                    org: 3
                },
            ]
        );
    }

    #[test]
    fn header_and_signature_block() {
        let d = doc("<ORG>HUYỆN ỦY AN LÃO</ORG>\n<DIRECTIVE>Số 12-TB/HU</DIRECTIVE>      An Lão, <DATE>ngày 05 tháng 3 năm 2024</DATE>\n\nNội dung.\n\nT/M <ORG>BAN THƯỜNG VỤ</ORG>\nKT. <TITLE>BÍ THƯ</TITLE>\n<TITLE>PHÓ BÍ THƯ</TITLE>\n\n\n<PER>Đinh Thị Mai</PER>\n");
        let r = find(&d);
        assert!(
            r.contains(&Relation::IssuedBy {
                directive: 1,
                org: 0
            }),
            "{r:?}"
        );
        assert!(
            r.contains(&Relation::Dated {
                directive: 1,
                date: 2
            }),
            "{r:?}"
        );
        // The deputy signs: she holds the lower title, not the one after KT.
        assert!(
            r.contains(&Relation::Holds {
                person: 6,
                title: 5
            }),
            "{r:?}"
        );
        assert!(
            !r.contains(&Relation::Holds {
                person: 6,
                title: 4
            }),
            "{r:?}"
        );
        assert!(
            r.contains(&Relation::MemberOf { title: 5, org: 3 }),
            "{r:?}"
        );
        assert!(
            r.contains(&Relation::MemberOf { title: 5, org: 0 }),
            "{r:?}"
        );
    }

    #[test]
    fn scores_by_type() {
        let a = ("holds", (0, 1), (2, 3));
        let b = ("dated", (4, 5), (6, 7));
        let s = score(&[(vec![a, b], vec![a])]);
        assert_eq!((s["all"].tp, s["all"].fp, s["all"].fn_), (1, 1, 0));
        assert_eq!((s["dated"].tp, s["dated"].fp), (0, 1));
    }
}
