//! `vaner db load` and `vaner db schema`.

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use anyhow::{Context, Result};

use vaner::db::{self, DocumentRow, Kind, LoadStats, RunInfo, Store};
use vaner::formats::jsonl;

use super::args::{DbKindArg, DbLoadArgs, DbSchemaArgs};

pub fn schema(args: DbSchemaArgs) -> Result<ExitCode> {
    let kind = match args.kind {
        DbKindArg::Sqlite => Kind::Sqlite,
        DbKindArg::Postgres => Kind::Postgres,
    };
    print!("{}", db::schema(kind));
    Ok(ExitCode::SUCCESS)
}

/// Batches documents into a store: one transaction per batch, counts kept for the run.
pub struct Loader {
    store: Box<dyn Store>,
    run: RunInfo,
    run_id: i64,
    batch: Vec<DocumentRow>,
    batch_size: usize,
    replace: bool,
    pub stats: LoadStats,
}

impl Loader {
    pub fn open(url: &str, run: RunInfo, batch_size: usize, replace: bool) -> Result<Self> {
        let mut store = db::open(url)?;
        let run_id = store.begin_run(&run)?;
        Ok(Loader {
            store,
            run,
            run_id,
            batch: Vec::new(),
            batch_size: batch_size.max(1),
            replace,
            stats: LoadStats::default(),
        })
    }

    pub fn push(&mut self, row: DocumentRow) -> Result<()> {
        self.batch.push(row);
        if self.batch.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let s = self
            .store
            .load_batch(self.run_id, &self.run, &self.batch, self.replace)?;
        self.stats.add(s);
        self.batch.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<LoadStats> {
        self.flush()?;
        self.store.finish_run(self.run_id, &self.stats)?;
        Ok(self.stats)
    }
}

pub fn report(stats: &LoadStats, url: &str) {
    eprintln!(
        "vaner: {} documents into {url}: {} new, {} replaced, {} unchanged; {} entities written",
        stats.documents(),
        stats.inserted,
        stats.replaced,
        stats.unchanged,
        stats.entities
    );
}

pub fn load(args: DbLoadArgs) -> Result<ExitCode> {
    let mut loader = Loader::open(&args.db, RunInfo::default(), args.batch, args.replace)?;
    for input in &args.inputs {
        let origin = input.display().to_string();
        let file = File::open(input).with_context(|| format!("opening {origin}"))?;
        for record in jsonl::records(origin.clone(), BufReader::new(file)) {
            let doc = record?.into_document(&origin, None)?;
            loader.push(DocumentRow::new(&doc, Some(&origin)))?;
        }
    }
    let stats = loader.finish()?;
    report(&stats, &args.db);
    Ok(ExitCode::SUCCESS)
}
