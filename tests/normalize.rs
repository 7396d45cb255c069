//! The normalized values of DATE and DIRECTIVE spans against the written cases in
//! `tests/fixtures/normalize/*.tsv` (text, context year, expected JSON).

use vaner::values::{date, directive, Context};

struct Case {
    line: usize,
    text: String,
    year: Option<i32>,
    expected: serde_json::Value,
}

fn cases(file: &str) -> Vec<Case> {
    let path = format!(
        "{}/tests/fixtures/normalize/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let raw = std::fs::read_to_string(&path).expect("fixture file");
    raw.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{file}:{}: three columns", i + 1);
            Case {
                line: i + 1,
                text: cols[0].replace("\\n", "\n"),
                year: (!cols[1].is_empty()).then(|| cols[1].parse().expect("a year")),
                expected: serde_json::from_str(cols[2]).expect("expected JSON"),
            }
        })
        .collect()
}

fn check(file: &str, value_of: impl Fn(&Case) -> serde_json::Value) {
    let cases = cases(file);
    assert!(cases.len() >= 100, "{file}: only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let got = value_of(c);
            (got != c.expected).then(|| {
                format!(
                    "{file}:{}: {:?} → {got}, expected {}",
                    c.line, c.text, c.expected
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn dates() {
    check("dates.tsv", |c| {
        serde_json::to_value(date::normalize(&c.text, &Context { year: c.year })).unwrap()
    });
}

#[test]
fn directives() {
    check("directives.tsv", |c| {
        serde_json::to_value(directive::normalize(&c.text)).unwrap()
    });
}
