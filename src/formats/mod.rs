//! Reading and writing documents: the inline form, JSONL, CoNLL BIO, a table and an HTML page.

pub mod conll;
pub mod inline;
pub mod jsonl;
mod table;

use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use crate::doc::Document;

/// A document that cannot be read: where, and why. Shown to the user as `FILE:LINE: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct FormatError {
    pub origin: String,
    pub line: Option<usize>,
    pub message: String,
}

impl FormatError {
    pub fn new(origin: &str, message: impl Into<String>) -> Self {
        FormatError {
            origin: origin.to_string(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at(origin: &str, line: usize, message: impl Into<String>) -> Self {
        FormatError {
            origin: origin.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }
}

/// How an input file is annotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text, one document per file (no annotations).
    Text,
    /// `<LABEL>…</LABEL>` tags inside the text.
    Inline,
    /// One JSON object per line with `id`, `text` and optional `entities`.
    Jsonl,
    /// Token and BIO tag per line.
    Conll,
}

impl InputFormat {
    /// Guesses an annotated file's format from its name: `.jsonl`, `.conll`/`.bio`, else inline.
    pub fn of_annotated(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => InputFormat::Jsonl,
            Some("conll") | Some("bio") => InputFormat::Conll,
            _ => InputFormat::Inline,
        }
    }
}

/// Reads a file as UTF-8 text, naming the file and the byte offset of the first invalid byte.
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    read_text_with(path, false)
}

/// Like [`read_text`]; `lossy` replaces invalid UTF-8 with U+FFFD instead of failing.
pub fn read_text_with(path: &Path, lossy: bool) -> Result<String, FormatError> {
    let origin = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| FormatError::new(&origin, io_message(&e)))?;
    if lossy {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    bytes_to_text(&origin, bytes)
}

pub fn bytes_to_text(origin: &str, bytes: Vec<u8>) -> Result<String, FormatError> {
    String::from_utf8(bytes).map_err(|e| {
        FormatError::new(
            origin,
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

pub fn read_stdin() -> Result<String, FormatError> {
    read_stdin_with(false)
}

/// Like [`read_stdin`]; `lossy` replaces invalid UTF-8 with U+FFFD instead of failing.
pub fn read_stdin_with(lossy: bool) -> Result<String, FormatError> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| FormatError::new("<stdin>", io_message(&e)))?;
    if lossy {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    bytes_to_text("<stdin>", bytes)
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The files of a folder (recursively) whose names end with `suffix`, sorted by path.
pub fn files_in(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, FormatError> {
    walk(dir, suffix).into_iter().collect()
}

/// Like [`files_in`], with what could not be used in its place instead of stopping there: a
/// folder that cannot be listed, and an entry that is neither a file nor a folder (a FIFO, a
/// socket, a device: reading one could block forever). A dangling link or one that cannot
/// be followed stays a path; reading it reports why. Each folder is listed once, however
/// many links lead to it.
pub fn walk(dir: &Path, suffix: &str) -> Vec<Result<PathBuf, FormatError>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    // Folders already listed, so that a link back up the tree is not followed round.
    let mut seen = std::collections::HashSet::new();
    while let Some(d) = stack.pop() {
        if !seen.insert(fs::canonicalize(&d).unwrap_or_else(|_| d.clone())) {
            continue;
        }
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) => {
                out.push((
                    d.clone(),
                    Err(FormatError::new(&d.display().to_string(), io_message(&e))),
                ));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    out.push((
                        d.clone(),
                        Err(FormatError::new(&d.display().to_string(), io_message(&e))),
                    ));
                    continue;
                }
            };
            let meta = fs::metadata(&path);
            if meta.as_ref().is_ok_and(|m| m.is_dir()) {
                stack.push(path);
            } else if path.to_str().is_some_and(|p| p.ends_with(suffix)) {
                let item = match meta {
                    Ok(m) if !m.is_file() => Err(FormatError::new(
                        &path.display().to_string(),
                        "not a regular file",
                    )),
                    _ => Ok(path.clone()),
                };
                out.push((path, item));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, item)| item).collect()
}

/// Reads every annotated document of one path: a file in `format` (guessed from the name when
/// `None`), or a folder of `*.inline.txt` files (or of `*.jsonl` files when it has no inline ones).
pub fn read_annotated(
    path: &Path,
    format: Option<InputFormat>,
) -> Result<Vec<Document>, FormatError> {
    if path.is_dir() {
        let mut files = files_in(path, ".inline.txt")?;
        if files.is_empty() {
            files = files_in(path, ".jsonl")?;
        }
        let mut docs = Vec::new();
        for f in files {
            docs.extend(read_annotated(&f, format)?);
        }
        return Ok(docs);
    }
    let origin = path.display().to_string();
    match format.unwrap_or_else(|| InputFormat::of_annotated(path)) {
        InputFormat::Jsonl => {
            let file =
                fs::File::open(path).map_err(|e| FormatError::new(&origin, io_message(&e)))?;
            jsonl::records(origin.clone(), BufReader::new(file))
                .map(|r| r.and_then(|rec| rec.into_document(&origin, None)))
                .collect()
        }
        InputFormat::Conll => conll::parse(&origin, &read_text(path)?),
        InputFormat::Inline => {
            let id = doc_id_of(path);
            Ok(vec![inline::parse(&id, &origin, &read_text(path)?)?])
        }
        InputFormat::Text => Ok(vec![Document {
            id: origin.clone(),
            text: read_text(path)?,
            spans: Vec::new(),
        }]),
    }
}

/// The id of a document read from an inline file: its file name without `.inline.txt`/`.txt`.
pub fn doc_id_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".inline.txt")
        .or_else(|| name.strip_suffix(".txt"))
        .unwrap_or(&name)
        .to_string()
}

/// How documents are written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per document.
    Jsonl,
    /// Token and BIO tag per line.
    Conll,
    /// The text with `<LABEL>…</LABEL>` tags.
    Inline,
    /// A table for people to read.
    Table,
    /// One standalone page with entities highlighted.
    Html,
}

/// Receives documents one at a time and writes them in one format.
pub trait Sink {
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
    /// Passes what is written so far on (a reader of a stream sees each result as it comes);
    /// sinks that write one whole page at the end do nothing.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a sink writes about each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// The annotated-corpus form: text and spans (`vaner convert`).
    Annotations,
    /// What `vaner extract` reports: spans with their canonical keys and normalized values,
    /// and the relations between them (JSONL and table); the text too when asked.
    Extraction { with_text: bool },
}

/// A sink for `format`.
pub fn sink<'w>(
    format: OutputFormat,
    out: Box<dyn Write + 'w>,
    content: Content,
) -> Box<dyn Sink + 'w> {
    match format {
        OutputFormat::Jsonl => Box::new(LineSink {
            out,
            render: Box::new(move |d| match content {
                Content::Annotations => jsonl::render(d, true) + "\n",
                Content::Extraction { with_text } => jsonl::render_extraction(d, with_text) + "\n",
            }),
        }),
        OutputFormat::Conll => Box::new(LineSink {
            out,
            render: Box::new(conll::render),
        }),
        OutputFormat::Inline => Box::new(LineSink {
            out,
            render: Box::new(|d| {
                let mut s = inline::render(d);
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            }),
        }),
        OutputFormat::Table => Box::new(table::TableSink::new(
            out,
            matches!(content, Content::Extraction { .. }),
        )),
        OutputFormat::Html => Box::new(table::HtmlSink::new(out)),
    }
}

/// Writes each document as one rendered block.
struct LineSink<'w> {
    out: Box<dyn Write + 'w>,
    render: Box<dyn Fn(&Document) -> String>,
}

impl Sink for LineSink<'_> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.out.write_all((self.render)(doc).as_bytes())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
