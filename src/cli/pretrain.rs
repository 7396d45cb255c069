//! `vaner pretrain`: masked-language-model pretraining of the encoder.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use vaner::formats::{jsonl, read_annotated, FormatError, InputFormat};
use vaner::model::pretrain::{pretrain, PretrainOptions};
use vaner::model::train::ModelSize;

use super::args::PretrainArgs;

/// Reads unlabeled texts: JSONL files (their "text" field) or annotated files and folders.
pub fn read_corpus(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let mut texts = Vec::new();
    for path in paths {
        if !path.is_dir() && InputFormat::of_annotated(path) == InputFormat::Jsonl {
            let origin = path.display().to_string();
            let file = File::open(path).with_context(|| format!("cannot open {origin}"))?;
            for rec in jsonl::records(origin.clone(), BufReader::new(file)) {
                let rec = rec?;
                let text = rec
                    .text
                    .ok_or_else(|| FormatError::at(&origin, rec.line, "no \"text\" field"))?;
                texts.push((rec.id, text));
            }
        } else {
            texts.extend(
                read_annotated(path, None)?
                    .into_iter()
                    .map(|d| (d.id, d.text)),
            );
        }
    }
    Ok(texts)
}

pub fn run(args: PretrainArgs) -> Result<ExitCode> {
    let texts = read_corpus(&args.corpus)?;
    let opts = PretrainOptions {
        tokenizer: args.tokenizer,
        size: ModelSize {
            hidden: args.hidden,
            layers: args.layers,
            heads: args.heads,
            intermediate: args.intermediate,
        },
        max_len: args.max_len,
        batch_size: args.batch_size,
        steps: args.steps,
        learning_rate: args.learning_rate,
        warmup_steps: args.warmup_steps,
        weight_decay: 0.01,
        mask_probability: 0.15,
        seed: args.seed,
        heldout_every: args.heldout_every,
        checkpoint_seconds: args.checkpoint_seconds,
        log_every: args.log_every,
        eval_every: args.eval_every,
        resume: args.resume,
        init: args.init,
        progress: console::Term::stderr().is_term(),
        shape_types: !args.no_shapes,
    };
    let log = pretrain(&texts, &opts, &args.out, args.stop_after)?;
    eprintln!(
        "vaner: {} steps done of {}, {:.0} s; encoder in {}",
        log.step,
        opts.steps,
        log.seconds,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
