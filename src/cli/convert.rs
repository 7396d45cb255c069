//! `vaner convert`: annotated documents from one form to another, or `--check` only.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use vaner::formats::{self, read_annotated};
use vaner::Label;

use super::args::ConvertArgs;
use super::output::Output;

pub fn run(args: ConvertArgs) -> Result<ExitCode> {
    let mut docs = Vec::new();
    for input in &args.inputs {
        docs.extend(read_annotated(input, args.from)?);
    }
    if args.check {
        let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
        let mut chars = 0;
        for d in &docs {
            chars += d.text.chars().count();
            for s in &d.spans {
                *per_label.entry(s.label).or_default() += 1;
            }
        }
        let total: usize = per_label.values().sum();
        let labels: Vec<String> = per_label.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "ok: {} documents, {} characters, {} entities ({})",
            docs.len(),
            chars,
            total,
            labels.join(", ")
        )?;
        // Self-disagreements are reported, not fatal: some are deliberate (`Đảng` as a body
        // and as a modifier), the rest are for the annotator to fix.
        let mut reported = 0;
        for d in &docs {
            for i in d.inconsistencies() {
                writeln!(out, "{}: {i}", d.id)?;
                reported += 1;
            }
        }
        writeln!(out, "{reported} possible inconsistencies")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = Output::open(args.output.as_deref())?;
    {
        let mut sink = formats::sink(
            args.format,
            Box::new(&mut out),
            formats::Content::Annotations,
        );
        for d in &docs {
            sink.document(d).context("writing output")?;
        }
        sink.finish().context("writing output")?;
    }
    out.flush().context("writing output")?;
    out.commit()?;
    Ok(ExitCode::SUCCESS)
}
