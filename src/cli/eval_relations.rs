//! `vaner eval-relations`: precision and recall of relation finding on a gold set.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Deserialize;

use vaner::formats::read_annotated;
use vaner::tagger::Tagger;
use vaner::values::relations::{self, keys, Relation, RelationKey};
use vaner::Document;

use super::args::EvalRelationsArgs;

#[derive(Deserialize)]
struct GoldLine {
    id: String,
    source: String,
    relations: Vec<Relation>,
}

const TYPES: [&str; 5] = ["holds", "member_of", "issued_by", "dated", "all"];

pub fn run(args: EvalRelationsArgs) -> Result<ExitCode> {
    let raw = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("reading {}", args.gold.display()))?;
    let tagger = match &args.model {
        Some(dir) => Some(vaner::tagger::load(dir)?),
        None => None,
    };
    let mut docs: Vec<(Vec<RelationKey>, Vec<RelationKey>)> = Vec::new();
    let mut texts: Vec<Document> = Vec::new();
    for (n, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let gold: GoldLine = serde_json::from_str(line)
            .with_context(|| format!("{}:{}", args.gold.display(), n + 1))?;
        let mut doc = read_annotated(Path::new(&gold.source), None)?
            .into_iter()
            .next()
            .with_context(|| format!("{}: no document", gold.source))?;
        doc.id = gold.id;
        let gold_keys = keys(&doc.spans, &gold.relations);
        if let Some(t) = &tagger {
            doc.spans = t
                .tag(&doc.text)
                .with_context(|| format!("tagging {}", doc.id))?;
        }
        let found = keys(&doc.spans, &relations::find(&doc));
        docs.push((found, gold_keys));
        texts.push(doc);
    }
    let scores = relations::score(&docs);
    if let Some(name) = &args.markdown_row {
        let cells: Vec<String> = TYPES
            .iter()
            .map(|t| {
                let p = scores.get(t).copied().unwrap_or_default();
                format!("{:.3} / {:.3}", p.precision(), p.recall())
            })
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} documents", docs.len());
    println!(
        "{:<10} {:>7} {:>7} {:>7} {:>7}",
        "relation", "gold", "P", "R", "F1"
    );
    for t in TYPES {
        let p = scores.get(t).copied().unwrap_or_default();
        println!(
            "{:<10} {:>7} {:>7.4} {:>7.4} {:>7.4}",
            t,
            p.support(),
            p.precision(),
            p.recall(),
            p.f1()
        );
    }
    if args.errors > 0 {
        println!("\nerrors (first {}):", args.errors);
        let text_of = |doc: &Document, r: (usize, usize)| {
            doc.text.get(r.0..r.1).unwrap_or("?").replace('\n', " ")
        };
        let mut shown = 0;
        'docs: for ((found, gold), doc) in docs.iter().zip(&texts) {
            for (what, list, other) in [("missed", gold, found), ("spurious", found, gold)] {
                for k in list.iter().filter(|k| !other.contains(k)) {
                    if shown == args.errors {
                        break 'docs;
                    }
                    println!(
                        "  {what:<8} {:<10} {}  {:?} → {:?}",
                        k.0,
                        doc.id,
                        text_of(doc, k.1),
                        text_of(doc, k.2)
                    );
                    shown += 1;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
