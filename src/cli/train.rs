//! `vaner train`: fine-tune the tagger.

use std::collections::HashSet;
use std::process::ExitCode;

use anyhow::{bail, Result};

use vaner::formats::read_annotated;
use vaner::model::train::{train, Init, ModelSize, TrainOptions};
use vaner::Document;

use super::args::TrainArgs;

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    let dev = match &args.dev {
        Some(d) => read_annotated(d, None)?,
        None => Vec::new(),
    };
    // Dev documents are never trained on, even when --train names a folder that holds them.
    let dev_ids: HashSet<&str> = dev.iter().map(|d| d.id.as_str()).collect();
    let mut train_docs: Vec<Document> = Vec::new();
    for path in &args.train {
        let docs = read_annotated(path, None)?;
        train_docs.extend(
            docs.into_iter()
                .filter(|d| !dev_ids.contains(d.id.as_str())),
        );
    }
    if train_docs.is_empty() {
        bail!("no training documents found in {:?}", args.train);
    }
    let init = match (&args.init, args.random_init) {
        (Some(dir), false) => Init::Pretrained(dir.clone()),
        (None, true) => Init::Random {
            tokenizer: args.tokenizer.clone(),
            size: ModelSize {
                hidden: args.hidden,
                layers: args.layers,
                heads: args.heads,
                intermediate: args.intermediate,
            },
        },
        _ => bail!("give --init LM_FOLDER or --random-init"),
    };
    let opts = TrainOptions {
        init,
        max_len: args.max_len,
        epochs: args.epochs,
        batch_size: args.batch_size,
        learning_rate: args.learning_rate,
        patience: args.patience,
        dropout: args.dropout,
        shape_types: !args.no_shapes,
        word_tags: !args.subword_tags,
        crf: args.crf,
        encoder_layers: args.encoder_layers,
        seed: args.seed,
        resume: args.resume,
        progress: console::Term::stderr().is_term(),
        ..TrainOptions::default()
    };
    let log = train(&train_docs, &dev, &opts, &args.out)?;
    eprintln!(
        "vaner: trained on {} documents ({} windows, {} parameters); best dev strict F1 {} at epoch {}; model in {}",
        log.train_documents,
        log.train_windows,
        log.parameters,
        log.best_dev_strict_f1.map_or("-".into(), |f| format!("{f:.4}")),
        log.best_epoch.map_or("-".into(), |e| (e + 1).to_string()),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
