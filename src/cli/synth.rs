//! `vaner synth`: synthetic annotated documents.

use std::fs;
use std::process::ExitCode;

use anyhow::{Context, Result};

use vaner::formats::inline;

use super::args::SynthArgs;

pub fn run(args: SynthArgs) -> Result<ExitCode> {
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    for doc in vaner::synth::documents(args.count, args.seed) {
        let path = args.out.join(format!("{}.inline.txt", doc.id));
        fs::write(&path, inline::render(&doc))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "vaner: wrote {} documents to {}",
        args.count,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
