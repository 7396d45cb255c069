//! Scoring predicted spans against gold spans: precision, recall and F1 per label, micro and
//! macro, under strict (same start, end, label) and partial (same label, overlapping) matching,
//! per document, with the most frequent errors. Library code: the CLI only renders it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::doc::{Document, Label, Span};

/// True positives, false positives and false negatives.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }
    pub fn merge(&mut self, other: &Prf) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    fn summary(&self) -> PrfSummary {
        PrfSummary {
            p: self.precision(),
            r: self.recall(),
            f1: self.f1(),
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
            support: self.support(),
        }
    }
}

/// 0/0 counts as 0, as in seqeval (a label with no predictions has precision 0).
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct PrfSummary {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub support: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Averages {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

/// Strict and partial results side by side.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Both<T> {
    pub strict: T,
    pub partial: T,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Same label, overlapping, different edges.
    Boundary,
    /// Same edges, different label.
    Label,
    /// Overlapping, different label and edges.
    LabelBoundary,
    /// A prediction that touches no gold span.
    Spurious,
    /// A gold span that no prediction touches.
    Missed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confusion {
    pub kind: ErrorKind,
    pub gold: Option<Label>,
    pub pred: Option<Label>,
    pub count: usize,
    /// A few `gold text ⇒ predicted text` examples.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentScore {
    pub id: String,
    pub gold: usize,
    pub pred: usize,
    pub strict: PrfSummary,
    pub partial: PrfSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub documents_scored: usize,
    pub micro: Both<PrfSummary>,
    #[serde(rename = "macro")]
    pub macro_: Both<Averages>,
    pub labels: BTreeMap<Label, Both<PrfSummary>>,
    pub documents: Vec<DocumentScore>,
    pub confusions: Vec<Confusion>,
}

/// Counts of one document under both matchings, per label.
#[derive(Default)]
struct Counts {
    strict: BTreeMap<Label, Prf>,
    partial: BTreeMap<Label, Prf>,
}

fn count(gold: &[Span], pred: &[Span]) -> Counts {
    let mut c = Counts::default();
    for l in Label::ALL {
        let g: Vec<&Span> = gold.iter().filter(|s| s.label == l).collect();
        let p: Vec<&Span> = pred.iter().filter(|s| s.label == l).collect();
        if g.is_empty() && p.is_empty() {
            continue;
        }
        let strict_tp = p.iter().filter(|s| g.contains(s)).count();
        c.strict.insert(
            l,
            Prf {
                tp: strict_tp,
                fp: p.len() - strict_tp,
                fn_: g.len() - strict_tp,
            },
        );
        // Partial: each gold span is matched by at most one overlapping prediction.
        let mut used = vec![false; g.len()];
        let mut partial_tp = 0;
        for ps in &p {
            // Prefer the exact match, then the first overlap.
            let pick = g
                .iter()
                .enumerate()
                .position(|(i, gs)| !used[i] && gs == ps)
                .or_else(|| {
                    g.iter()
                        .enumerate()
                        .position(|(i, gs)| !used[i] && gs.overlaps(ps))
                });
            if let Some(i) = pick {
                used[i] = true;
                partial_tp += 1;
            }
        }
        c.partial.insert(
            l,
            Prf {
                tp: partial_tp,
                fp: p.len() - partial_tp,
                fn_: g.len() - partial_tp,
            },
        );
    }
    c
}

fn total(map: &BTreeMap<Label, Prf>) -> Prf {
    let mut t = Prf::default();
    for p in map.values() {
        t.merge(p);
    }
    t
}

fn macro_average(map: &BTreeMap<Label, Prf>) -> Averages {
    let n = map.len().max(1) as f64;
    Averages {
        p: map.values().map(Prf::precision).sum::<f64>() / n,
        r: map.values().map(Prf::recall).sum::<f64>() / n,
        f1: map.values().map(Prf::f1).sum::<f64>() / n,
    }
}

/// An error class: its kind, the gold label and the predicted label involved.
type ErrorKey = (ErrorKind, Option<Label>, Option<Label>);

/// Scores predictions against gold. `pred` is looked up by document id; a gold document with
/// no prediction counts as predicting nothing. Both must be over the same texts.
pub fn evaluate(gold: &[Document], pred: &HashMap<String, Document>) -> Report {
    let mut strict: BTreeMap<Label, Prf> = BTreeMap::new();
    let mut partial: BTreeMap<Label, Prf> = BTreeMap::new();
    let mut documents = Vec::with_capacity(gold.len());
    let mut errors: HashMap<ErrorKey, (usize, Vec<String>)> = HashMap::new();
    let empty = Vec::new();
    for g in gold {
        let p = pred.get(&g.id).map_or(&empty, |d| &d.spans);
        let c = count(&g.spans, p);
        for (l, prf) in &c.strict {
            strict.entry(*l).or_default().merge(prf);
        }
        for (l, prf) in &c.partial {
            partial.entry(*l).or_default().merge(prf);
        }
        documents.push(DocumentScore {
            id: g.id.clone(),
            gold: g.spans.len(),
            pred: p.len(),
            strict: total(&c.strict).summary(),
            partial: total(&c.partial).summary(),
        });
        for (kind, gs, ps) in classify_errors(&g.spans, p) {
            let example = match (gs, ps) {
                (Some(gs), Some(ps)) => format!(
                    "{} ⇒ {}",
                    one_line(&g.text[gs.start..gs.end]),
                    one_line(&g.text[ps.start..ps.end])
                ),
                (Some(s), None) | (None, Some(s)) => one_line(&g.text[s.start..s.end]),
                (None, None) => String::new(),
            };
            let e = errors
                .entry((kind, gs.map(|s| s.label), ps.map(|s| s.label)))
                .or_default();
            e.0 += 1;
            if e.1.len() < 3 {
                e.1.push(example);
            }
        }
    }
    let mut confusions: Vec<Confusion> = errors
        .into_iter()
        .map(|((kind, gold, pred), (count, examples))| Confusion {
            kind,
            gold,
            pred,
            count,
            examples,
        })
        .collect();
    confusions.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then((a.kind, a.gold, a.pred).cmp(&(b.kind, b.gold, b.pred)))
    });
    let labels = strict
        .iter()
        .map(|(l, s)| {
            let p = partial.get(l).copied().unwrap_or_default();
            (
                *l,
                Both {
                    strict: s.summary(),
                    partial: p.summary(),
                },
            )
        })
        .collect();
    Report {
        documents_scored: gold.len(),
        micro: Both {
            strict: total(&strict).summary(),
            partial: total(&partial).summary(),
        },
        macro_: Both {
            strict: macro_average(&strict),
            partial: macro_average(&partial),
        },
        labels,
        documents,
        confusions,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every span that is not a strict match, with the span on the other side it is confused with.
fn classify_errors<'a>(
    gold: &'a [Span],
    pred: &'a [Span],
) -> Vec<(ErrorKind, Option<&'a Span>, Option<&'a Span>)> {
    let mut out = Vec::new();
    for p in pred.iter().filter(|p| !gold.contains(p)) {
        let same_edges = gold.iter().find(|g| g.start == p.start && g.end == p.end);
        let same_label = gold.iter().find(|g| g.label == p.label && g.overlaps(p));
        let any = gold.iter().find(|g| g.overlaps(p));
        let e = match (same_edges, same_label, any) {
            (Some(g), _, _) => (ErrorKind::Label, Some(g), Some(p)),
            (None, Some(g), _) => (ErrorKind::Boundary, Some(g), Some(p)),
            (None, None, Some(g)) => (ErrorKind::LabelBoundary, Some(g), Some(p)),
            (None, None, None) => (ErrorKind::Spurious, None, Some(p)),
        };
        out.push(e);
    }
    for g in gold.iter().filter(|g| !pred.iter().any(|p| p.overlaps(g))) {
        out.push((ErrorKind::Missed, Some(g), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: Label) -> Span {
        Span { start, end, label }
    }

    fn doc(id: &str, spans: Vec<Span>) -> Document {
        Document {
            id: id.into(),
            text: "x".repeat(100),
            spans,
        }
    }

    #[test]
    fn perfect_prediction_scores_one() {
        let g = vec![doc(
            "a",
            vec![span(0, 5, Label::Per), span(10, 20, Label::Org)],
        )];
        let p: HashMap<_, _> = g.iter().map(|d| (d.id.clone(), d.clone())).collect();
        let r = evaluate(&g, &p);
        assert_eq!(r.micro.strict.f1, 1.0);
        assert_eq!(r.micro.partial.f1, 1.0);
        assert!(r.confusions.is_empty());
    }

    #[test]
    fn hand_computed_strict_and_partial() {
        // gold: PER 0-5, ORG 10-20, DATE 30-35; pred: PER 0-5 (exact), ORG 12-20 (boundary),
        // DATE 40-45 (spurious). DATE 30-35 is missed.
        let g = vec![doc(
            "a",
            vec![
                span(0, 5, Label::Per),
                span(10, 20, Label::Org),
                span(30, 35, Label::Date),
            ],
        )];
        let p = doc(
            "a",
            vec![
                span(0, 5, Label::Per),
                span(12, 20, Label::Org),
                span(40, 45, Label::Date),
            ],
        );
        let r = evaluate(&g, &HashMap::from([("a".to_string(), p)]));
        // strict: tp 1, fp 2, fn 2 → P = R = F1 = 1/3
        assert_eq!(
            (r.micro.strict.tp, r.micro.strict.fp, r.micro.strict.fn_),
            (1, 2, 2)
        );
        assert!((r.micro.strict.f1 - 1.0 / 3.0).abs() < 1e-12);
        // partial: tp 2, fp 1, fn 1 → 2/3
        assert!((r.micro.partial.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.labels[&Label::Org].strict.f1, 0.0);
        assert_eq!(r.labels[&Label::Org].partial.f1, 1.0);
        // macro strict: PER 1, ORG 0, DATE 0
        assert!((r.macro_.strict.f1 - 1.0 / 3.0).abs() < 1e-12);
        let kinds: Vec<_> = r.confusions.iter().map(|c| c.kind).collect();
        assert!(kinds.contains(&ErrorKind::Boundary));
        assert!(kinds.contains(&ErrorKind::Spurious));
        assert!(kinds.contains(&ErrorKind::Missed));
    }

    #[test]
    fn missing_prediction_counts_as_nothing_predicted() {
        let g = vec![
            doc("a", vec![span(0, 5, Label::Per)]),
            doc("b", vec![span(0, 5, Label::Per)]),
        ];
        let p = HashMap::from([("a".to_string(), g[0].clone())]);
        let r = evaluate(&g, &p);
        assert_eq!((r.micro.strict.tp, r.micro.strict.fn_), (1, 1));
        assert_eq!(r.documents[1].pred, 0);
    }

    #[test]
    fn one_gold_span_matches_one_partial_prediction() {
        let g = vec![doc("a", vec![span(0, 10, Label::Org)])];
        let p = doc("a", vec![span(0, 4, Label::Org), span(5, 10, Label::Org)]);
        let r = evaluate(&g, &HashMap::from([("a".to_string(), p)]));
        assert_eq!((r.micro.partial.tp, r.micro.partial.fp), (1, 1));
    }

    #[test]
    fn label_confusion_is_named() {
        let g = vec![doc("a", vec![span(0, 10, Label::Org)])];
        let p = doc("a", vec![span(0, 10, Label::Title)]);
        let r = evaluate(&g, &HashMap::from([("a".to_string(), p)]));
        assert_eq!(r.confusions[0].kind, ErrorKind::Label);
        assert_eq!(r.confusions[0].gold, Some(Label::Org));
        assert_eq!(r.confusions[0].pred, Some(Label::Title));
    }
}
