//! `vaner eval`: gold against predictions (a JSONL file, or a model run on the gold texts).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use vaner::eval::{evaluate, Both, PrfSummary, Report};
use vaner::formats::{jsonl, read_annotated, FormatError};
use vaner::tagger::Tagger;
use vaner::Document;

use super::args::EvalArgs;
use super::output::Output;

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let gold = read_annotated(&args.gold, None)?;
    let by_id: HashMap<&str, &Document> = gold.iter().map(|d| (d.id.as_str(), d)).collect();
    if by_id.len() != gold.len() {
        bail!("{}: document ids are not unique", args.gold.display());
    }
    let pred = match (&args.pred, &args.model) {
        (Some(path), _) => read_predictions(path, &by_id)?,
        (None, Some(model)) => {
            let tagger = pipeline(model, args.no_rules, args.overlap)?;
            let mut pred = HashMap::new();
            for g in &gold {
                let spans = tagger
                    .tag(&g.text)
                    .with_context(|| format!("tagging {}", g.id))?;
                pred.insert(
                    g.id.clone(),
                    Document {
                        id: g.id.clone(),
                        text: g.text.clone(),
                        spans,
                    },
                );
            }
            pred
        }
        (None, None) => bail!("give --pred FILE or --model DIR"),
    };
    let report = evaluate(&gold, &pred);
    let rendered = if args.json {
        serde_json::to_string_pretty(&report).context("serializing the report")? + "\n"
    } else if let Some(name) = &args.markdown_row {
        markdown_row(name, &report)
    } else {
        render(&report, args.confusions)
    };
    let mut out = Output::open(args.output.as_deref())?;
    out.write_all(rendered.as_bytes())
        .context("writing the report")?;
    out.commit()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads predictions, checking each against the gold text of the same id.
fn read_predictions(
    path: &std::path::Path,
    gold: &HashMap<&str, &Document>,
) -> Result<HashMap<String, Document>> {
    let origin = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {origin}"))?;
    let mut pred = HashMap::new();
    for rec in jsonl::records(origin.clone(), BufReader::new(file)) {
        let rec = rec?;
        let Some(g) = gold.get(rec.id.as_str()) else {
            bail!(FormatError::at(
                &origin,
                rec.line,
                format!("document '{}' is not in the gold set", rec.id)
            ));
        };
        if rec.text.as_deref().is_some_and(|t| t != g.text) {
            bail!(FormatError::at(
                &origin,
                rec.line,
                format!("the text of '{}' differs from the gold text", rec.id)
            ));
        }
        let line = rec.line;
        let doc = rec.into_document(&origin, Some(&g.text))?;
        if pred.insert(doc.id.clone(), doc).is_some() {
            bail!(FormatError::at(&origin, line, "duplicate document id"));
        }
    }
    Ok(pred)
}

fn row(out: &mut String, name: &str, s: &Both<PrfSummary>) {
    let _ = writeln!(
        out,
        "{:<10} {:>7} {:>7.4} {:>7.4} {:>7.4}   {:>7.4} {:>7.4} {:>7.4}",
        name,
        s.strict.support,
        s.strict.p,
        s.strict.r,
        s.strict.f1,
        s.partial.p,
        s.partial.r,
        s.partial.f1
    );
}

fn render(r: &Report, confusions: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} documents", r.documents_scored);
    let _ = writeln!(
        out,
        "{:<10} {:>7} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}",
        "label", "support", "P", "R", "F1", "P~", "R~", "F1~"
    );
    for (label, s) in &r.labels {
        row(&mut out, label.as_str(), s);
    }
    row(&mut out, "micro", &r.micro);
    let _ = writeln!(
        out,
        "{:<10} {:>7} {:>7.4} {:>7.4} {:>7.4}   {:>7.4} {:>7.4} {:>7.4}",
        "macro",
        "",
        r.macro_.strict.p,
        r.macro_.strict.r,
        r.macro_.strict.f1,
        r.macro_.partial.p,
        r.macro_.partial.r,
        r.macro_.partial.f1
    );
    let _ = writeln!(
        out,
        "(P R F1: strict; P~ R~ F1~: partial, overlapping spans of one label)"
    );
    let _ = writeln!(out, "\nper document (strict):");
    let _ = writeln!(
        out,
        "  {:<32} {:>5} {:>5} {:>7} {:>7} {:>7}",
        "id", "gold", "pred", "P", "R", "F1"
    );
    for d in &r.documents {
        let _ = writeln!(
            out,
            "  {:<32} {:>5} {:>5} {:>7.4} {:>7.4} {:>7.4}",
            d.id, d.gold, d.pred, d.strict.p, d.strict.r, d.strict.f1
        );
    }
    if !r.confusions.is_empty() {
        let _ = writeln!(out, "\nmost frequent errors:");
        for c in r.confusions.iter().take(confusions) {
            let gold = c.gold.map_or("-", |l| l.as_str());
            let pred = c.pred.map_or("-", |l| l.as_str());
            let kind = serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:>5}  {:<14} gold {:<9} pred {:<9} e.g. {}",
                c.count,
                kind,
                gold,
                pred,
                c.examples.join(" | ")
            );
        }
    }
    out
}

/// `| name | P | R | F1 | partial F1 | PER | TITLE | ORG | DATE | DIRECTIVE |` (strict unless named).
fn markdown_row(name: &str, r: &Report) -> String {
    let mut row = format!(
        "| {name} | {:.4} | {:.4} | {:.4} | {:.4} |",
        r.micro.strict.p, r.micro.strict.r, r.micro.strict.f1, r.micro.partial.f1
    );
    for label in vaner::Label::ALL {
        match r.labels.get(&label) {
            Some(s) => {
                let _ = write!(row, " {:.4} |", s.strict.f1);
            }
            None => row.push_str(" - |"),
        }
    }
    row.push('\n');
    row
}

/// The model, followed by the rules unless `no_rules`; `overlap` between windows when given.
pub fn pipeline(
    model: &std::path::Path,
    no_rules: bool,
    overlap: Option<usize>,
) -> Result<Box<dyn Tagger>> {
    let mut tagger = vaner::tagger::load(model)?;
    if let Some(n) = overlap {
        let width = tagger.config().max_len - 2;
        if n >= width {
            bail!("--overlap must be smaller than the model's window ({width} tokens)");
        }
        tagger.overlap = n;
    }
    Ok(if no_rules {
        Box::new(tagger)
    } else {
        Box::new(vaner::repair::WithRules(tagger))
    })
}
