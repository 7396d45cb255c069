//! The annotated corpus in `training_data/`: it reads without error, meets the size the
//! project set itself, keeps a dev split, is consistent with itself, and copies nothing
//! from the evaluation documents or the pretraining corpus.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use vaner::doc::Inconsistency;
use vaner::formats::read_annotated;
use vaner::{Document, Label};

fn load(dir: &str) -> Vec<Document> {
    read_annotated(Path::new(dir), None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn corpus_meets_its_size_and_keeps_a_dev_split() {
    let train = load("training_data/train");
    let dev = load("training_data/dev");
    let all: Vec<&Document> = train.iter().chain(&dev).collect();
    assert!(all.len() >= 300, "{} documents", all.len());
    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    for d in &all {
        for s in &d.spans {
            *per_label.entry(s.label).or_default() += 1;
        }
    }
    let total: usize = per_label.values().sum();
    assert!(total >= 12_000, "{total} entities");
    for l in Label::ALL {
        assert!(per_label[&l] >= 1_200, "{l}: {}", per_label[&l]);
    }
    assert!(
        dev.len() * 100 >= all.len() * 15,
        "dev is {} of {}",
        dev.len(),
        all.len()
    );
    // Every genre is in the dev split, and no document is in both.
    let genre = |id: &str| {
        id.rsplit_once('-')
            .map(|(g, _)| g.to_string())
            .unwrap_or_default()
    };
    let train_genres: HashSet<String> = train.iter().map(|d| genre(&d.id)).collect();
    let dev_genres: HashSet<String> = dev.iter().map(|d| genre(&d.id)).collect();
    assert_eq!(train_genres, dev_genres);
    let train_ids: HashSet<&str> = train.iter().map(|d| d.id.as_str()).collect();
    assert!(dev.iter().all(|d| !train_ids.contains(d.id.as_str())));
}

#[test]
fn annotation_is_consistent_within_documents() {
    let mut conflicts = Vec::new();
    let mut untagged = 0;
    let mut entities = 0;
    for d in load("training_data/train")
        .iter()
        .chain(&load("training_data/dev"))
    {
        entities += d.spans.len();
        for i in d.inconsistencies() {
            match i {
                Inconsistency::Labels { .. } => conflicts.push(format!("{}: {i}", d.id)),
                // `Đảng` is an ORG on its own and untagged as a modifier (`xây dựng Đảng`).
                Inconsistency::Untagged { ref text, .. } if text == "Đảng" => {}
                Inconsistency::Untagged { .. } => {
                    eprintln!("{}: {i}", d.id);
                    untagged += 1;
                }
            }
        }
    }
    assert!(conflicts.len() <= 2, "{conflicts:#?}");
    assert!(
        untagged * 500 <= entities,
        "{untagged} untagged repeats of tagged text"
    );
}

const RUN: usize = 60;

/// Normalized text with every run of white space as one space.
fn collapse(text: &str) -> String {
    vaner::text::normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rolling hashes of every 60-character window of whitespace-collapsed, normalized text.
fn windows(text: &str) -> Vec<u64> {
    const BASE: u64 = 1_000_003;
    let collapsed = collapse(text);
    let chars: Vec<u64> = collapsed.chars().map(u64::from).collect();
    if chars.len() < RUN {
        return Vec::new();
    }
    let top = BASE.wrapping_pow(RUN as u32 - 1);
    let mut h = chars[..RUN]
        .iter()
        .fold(0u64, |h, &c| h.wrapping_mul(BASE).wrapping_add(c));
    let mut out = vec![h];
    for i in RUN..chars.len() {
        h = h
            .wrapping_sub(chars[i - RUN].wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(chars[i]);
        out.push(h);
    }
    out
}

/// No 60-character run of an evaluation document appears in the training documents or in
/// the synthetic documents `vaner synth` writes, unless it is a formula: a run that at least
/// two documents of the gazette corpus also contain (the national motto after an issuer's
/// name, `Căn cứ Luật Tổ chức chính quyền địa phương ...`, law titles).
#[test]
fn nothing_is_copied_from_the_evaluation_documents() {
    let realdocs = Path::new("../shared/realdocs/gold.jsonl");
    let corpus = Path::new("../shared/corpus/congbao.jsonl");
    if !realdocs.exists() || !corpus.exists() {
        eprintln!("skipped: ../shared/realdocs or ../shared/corpus is not here");
        return;
    }
    let evaluation: HashSet<u64> = read_annotated(realdocs, None)
        .unwrap()
        .iter()
        .flat_map(|d| windows(&d.text))
        .collect();
    // Each document with the windows it shares with the evaluation documents.
    let ours: Vec<(Document, Vec<(usize, u64)>)> = load("training_data/train")
        .into_iter()
        .chain(load("training_data/dev"))
        .chain(vaner::synth::documents(200, 7))
        .chain(vaner::synth::documents(200, 21))
        .map(|d| {
            let shared = windows(&d.text)
                .into_iter()
                .enumerate()
                .filter(|(_, h)| evaluation.contains(h))
                .collect();
            (d, shared)
        })
        .collect();
    let candidates: HashSet<u64> = ours
        .iter()
        .flat_map(|(_, w)| w.iter().map(|&(_, h)| h))
        .collect();
    let mut in_corpus: HashMap<u64, usize> = HashMap::new();
    let raw = std::fs::read_to_string(corpus).unwrap();
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let found: HashSet<u64> = windows(v["text"].as_str().unwrap_or(""))
            .into_iter()
            .filter(|h| candidates.contains(h))
            .collect();
        for h in found {
            *in_corpus.entry(h).or_default() += 1;
        }
    }
    // Each document with a copied run, and the first such passage.
    let copies: Vec<(String, String)> = ours
        .iter()
        .filter_map(|(d, w)| {
            let &(at, _) = w
                .iter()
                .find(|(_, h)| in_corpus.get(h).copied().unwrap_or(0) < 2)?;
            Some((
                d.id.clone(),
                collapse(&d.text).chars().skip(at).take(RUN).collect(),
            ))
        })
        .collect();
    assert!(
        copies.is_empty(),
        "60-character runs of evaluation documents: {copies:?}"
    );
}
