//! `vaner normalize`: the value of one span, as JSON.

use std::process::ExitCode;

use anyhow::Result;

use vaner::values::{canonical, normalize_span, Context};
use vaner::Label;

use super::args::NormalizeArgs;

pub fn run(args: NormalizeArgs) -> Result<ExitCode> {
    let label: Label = args.label.to_uppercase().parse()?;
    let ctx = Context { year: args.year };
    let json = match normalize_span(label, &args.text, &ctx) {
        Some(value) => serde_json::to_string(&value)?,
        // PER and ORG have no value beyond their key.
        None => serde_json::json!({ "canonical": canonical(label, &args.text, None) }).to_string(),
    };
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
