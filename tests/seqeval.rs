//! The scorer agrees with seqeval (strict IOB2) on the fixture made by
//! `scripts/seqeval_fixture.py`.

use std::collections::HashMap;

use vaner::eval::evaluate;
use vaner::tags::{tags_to_spans, Tag};
use vaner::{Document, Label};

fn doc(id: &str, tags: &[String]) -> Document {
    // One-character tokens separated by spaces: token i covers bytes 2i..2i+1.
    let text = "x ".repeat(tags.len());
    let tokens: Vec<_> = (0..tags.len()).map(|i| 2 * i..2 * i + 1).collect();
    let tags: Vec<Tag> = tags.iter().map(|t| Tag::parse(t).expect("a tag")).collect();
    Document {
        id: id.to_string(),
        text,
        spans: tags_to_spans(&tokens, &tags).expect("valid IOB2"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn strict_scores_match_seqeval() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/seqeval.json")).expect("fixture");
    let docs = fixture["docs"].as_array().expect("docs");
    let mut gold = Vec::new();
    let mut pred = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        let tags = |k: &str| -> Vec<String> {
            d[k].as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect()
        };
        let id = format!("d{i}");
        gold.push(doc(&id, &tags("gold")));
        pred.insert(id.clone(), doc(&id, &tags("pred")));
    }
    let report = evaluate(&gold, &pred);
    let m = &fixture["micro"];
    assert!(close(report.micro.strict.p, m["p"].as_f64().unwrap()));
    assert!(close(report.micro.strict.r, m["r"].as_f64().unwrap()));
    assert!(close(report.micro.strict.f1, m["f1"].as_f64().unwrap()));
    for label in Label::ALL {
        let expected = &fixture["labels"][label.as_str()];
        let got = &report.labels[&label].strict;
        assert!(close(got.p, expected["p"].as_f64().unwrap()), "{label} P");
        assert!(close(got.r, expected["r"].as_f64().unwrap()), "{label} R");
        assert!(
            close(got.f1, expected["f1"].as_f64().unwrap()),
            "{label} F1"
        );
        assert_eq!(
            got.support as u64,
            expected["support"].as_u64().unwrap(),
            "{label} support"
        );
    }
    let mac = &fixture["macro"];
    assert!(close(report.macro_.strict.f1, mac["f1"].as_f64().unwrap()));
}
