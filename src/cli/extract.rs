//! `vaner extract`: read documents, tag them, write their entities.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use vaner::formats::{self, jsonl, read_stdin_with, read_text_with, walk, FormatError};
use vaner::Document;

use super::args::{ExtractArgs, StdinFormat};
use super::db::Loader;
use super::output::Output;
use super::parallel::Taggers;
use sha2::{Digest, Sha256};
use vaner::db::{DocumentRow, RunInfo};

/// Where one document comes from, enumerated before anything is read.
enum Source {
    TextFile(PathBuf),
    Jsonl(PathBuf),
    Stdin(StdinFormat),
    /// A folder entry that cannot be read: reported in its place (skipped with --keep-going).
    Unusable(FormatError),
}

fn sources(args: &ExtractArgs) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for input in &args.inputs {
        if input == Path::new("-") {
            out.push(Source::Stdin(args.input_format));
        } else if input.is_dir() {
            out.extend(walk(input, ".txt").into_iter().map(|f| match f {
                Ok(path) => Source::TextFile(path),
                Err(e) => Source::Unusable(e),
            }));
        } else if input.extension().is_some_and(|e| e == "jsonl") {
            out.push(Source::Jsonl(input.clone()));
        } else if input.exists() {
            out.push(Source::TextFile(input.clone()));
        } else {
            return Err(FormatError::new(
                &input.display().to_string(),
                "no such file or directory",
            )
            .into());
        }
    }
    Ok(out)
}

/// A JSONL input record as a document to tag: its text, any entities it carries dropped.
fn text_only(rec: jsonl::Record, origin: &str) -> Result<Document, FormatError> {
    let mut doc = rec.into_document(origin, None)?;
    doc.spans.clear();
    Ok(doc)
}

/// Streams the documents of every source in order; JSONL is read line by line.
fn documents(
    sources: Vec<Source>,
    lossy: bool,
) -> impl Iterator<Item = Result<Document, FormatError>> {
    sources
        .into_iter()
        .flat_map(move |source| -> Box<dyn Iterator<Item = _>> {
            match source {
                Source::TextFile(path) => {
                    Box::new(std::iter::once(read_text_with(&path, lossy).map(|text| {
                        Document {
                            id: path.display().to_string(),
                            text,
                            spans: Vec::new(),
                        }
                    })))
                }
                Source::Jsonl(path) => {
                    let origin = path.display().to_string();
                    match File::open(&path) {
                        Ok(f) => Box::new(
                            jsonl::records_with(origin.clone(), BufReader::new(f), lossy)
                                .map(move |r| r.and_then(|rec| text_only(rec, &origin))),
                        ),
                        Err(e) => Box::new(std::iter::once(Err(FormatError::new(
                            &origin,
                            e.to_string(),
                        )))),
                    }
                }
                Source::Stdin(StdinFormat::Text) => {
                    Box::new(std::iter::once(read_stdin_with(lossy).map(|text| {
                        Document {
                            id: "-".to_string(),
                            text,
                            spans: Vec::new(),
                        }
                    })))
                }
                Source::Unusable(e) => Box::new(std::iter::once(Err(e))),
                Source::Stdin(StdinFormat::Jsonl) => Box::new(
                    jsonl::records_with("<stdin>".to_string(), std::io::stdin().lock(), lossy)
                        .map(|r| r.and_then(|rec| text_only(rec, "<stdin>"))),
                ),
            }
        })
}

/// `threads`: copies of the model tagging side by side (`--threads`; all cores by default).
pub fn run(args: ExtractArgs, threads: Option<usize>) -> Result<ExitCode> {
    let sources = sources(&args)?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    let (model, no_rules, overlap) = (args.model.clone(), args.no_rules, args.overlap);
    let mut taggers = Taggers::start(threads, move || {
        super::eval::pipeline(&model, no_rules, overlap)
    })?;
    let progress = progress_bar(sources.len());
    let mut loader = match &args.db {
        Some(url) => Some(Loader::open(url, run_info(&args.model), 500, args.replace)?),
        None => None,
    };
    let mut out = Output::open(args.output.as_deref())?;
    let mut failed = 0usize;
    {
        let mut sink = formats::sink(
            args.format,
            Box::new(&mut out),
            formats::Content::Extraction {
                with_text: args.with_text,
            },
        );
        let mut docs = documents(sources, args.lossy).peekable();
        let mut group = Group::default();
        loop {
            // Two groups per thread in flight: one being tagged, one waiting for it.
            while taggers.in_flight() < 2 * threads && docs.peek().is_some() {
                taggers.send(group.take(&mut docs))?;
            }
            let Some(tagged) = taggers.next() else { break };
            for doc in tagged? {
                // With --keep-going a bad document is reported and skipped; the rest go on.
                let doc = match doc {
                    Ok(doc) => doc,
                    Err(e) if args.keep_going => {
                        progress.suspend(|| eprintln!("vaner: {e:#}"));
                        failed += 1;
                        progress.inc(1);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                sink.document(&doc).context("writing output")?;
                if let Some(l) = loader.as_mut() {
                    l.push(DocumentRow::new(&doc, Some(&doc.id)))?;
                }
                progress.inc(1);
            }
            sink.flush().context("writing output")?;
        }
        sink.finish().context("writing output")?;
    }
    progress.finish_and_clear();
    out.flush().context("writing output")?;
    out.commit()?;
    if let (Some(l), Some(url)) = (loader, &args.db) {
        let stats = l.finish()?;
        super::db::report(&stats, url);
    }
    if failed > 0 {
        eprintln!("vaner: {failed} documents failed (reported above); the rest were processed");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// How many documents are tagged together: one at first, so that the first result comes
/// out at once, then twice as many each time up to [`Group::MAX_DOCUMENTS`]; a group also
/// ends after [`Group::MAX_BYTES`] of text, so that memory stays bounded whatever the input.
#[derive(Default)]
struct Group {
    size: usize,
}

impl Group {
    const MAX_DOCUMENTS: usize = 64;
    const MAX_BYTES: usize = 1 << 20;

    fn take<I: Iterator<Item = Result<Document, FormatError>>>(
        &mut self,
        docs: &mut std::iter::Peekable<I>,
    ) -> Vec<Result<Document, FormatError>> {
        self.size = (self.size * 2).clamp(1, Self::MAX_DOCUMENTS);
        let mut out = Vec::with_capacity(self.size);
        let mut bytes = 0;
        while out.len() < self.size && bytes < Self::MAX_BYTES {
            let Some(doc) = docs.next() else { break };
            bytes += doc.as_ref().map_or(0, |d| d.text.len());
            out.push(doc);
        }
        out
    }
}

/// The model that made a run's rows: its folder, and the hash of its weights as its version.
fn run_info(model: &Path) -> RunInfo {
    let version = std::fs::read(model.join(vaner::model::WEIGHTS_FILE))
        .ok()
        .map(|bytes| format!("sha256:{:x}", Sha256::digest(&bytes)));
    RunInfo {
        model: Some(model.display().to_string()),
        model_version: version,
    }
}

/// A progress bar on a terminal; hidden when stderr is piped or redirected.
fn progress_bar(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} inputs {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
