//! `vaner tokenize` and `vaner tokenizer train`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use vaner::formats::read_stdin;
use vaner::text::{AlignedText, CharOffsets};
use vaner::tokens::subword::SubwordTokenizer;

use super::args::{FertilityArgs, TokenizeArgs, TokenizerTrainArgs};
use super::pretrain::read_corpus;

pub fn run(args: TokenizeArgs) -> Result<ExitCode> {
    let path = if args.tokenizer.is_dir() {
        args.tokenizer.join(vaner::model::TOKENIZER_FILE)
    } else {
        args.tokenizer.clone()
    };
    let tokenizer = SubwordTokenizer::load(&path)?;
    let text = match args.text.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(t) => t.to_string(),
    };
    let aligned = AlignedText::new(&text);
    let offsets = CharOffsets::new(&text);
    let mut out = BufWriter::new(io::stdout().lock());
    for t in tokenizer.encode(aligned.normalized())? {
        let Some(r) = aligned.to_original(t.range.clone()) else {
            continue;
        };
        let token = tokenizer.id_to_token(t.id).unwrap_or_default();
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            offsets.to_char(r.start).unwrap_or(0),
            offsets.to_char(r.end).unwrap_or(0),
            token,
            &text[r]
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn train(args: TokenizerTrainArgs) -> Result<ExitCode> {
    let texts = read_corpus(&args.corpus)?;
    // The trainer reads files: write the normalized text to a temporary one.
    let mut file = tempfile::NamedTempFile::new().context("creating a temporary file")?;
    {
        let mut w = BufWriter::new(file.as_file_mut());
        for (_, t) in &texts {
            writeln!(w, "{}", AlignedText::new(t).normalized())?;
        }
        w.flush()?;
    }
    let name = file.path().display().to_string();
    let tokenizer =
        SubwordTokenizer::train(&[name], args.vocab_size, console::Term::stderr().is_term())?;
    if let Some(dir) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    tokenizer.save(&args.out)?;
    eprintln!(
        "vaner: wrote {} ({} tokens, from {} documents)",
        args.out.display(),
        tokenizer.vocab_size(),
        texts.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn fertility(args: FertilityArgs) -> Result<ExitCode> {
    let tokenizer = SubwordTokenizer::load(&args.tokenizer)?;
    let texts = read_corpus(&args.texts)?;
    let (mut words, mut subwords, mut unknown) = (0usize, 0usize, 0usize);
    for (_, text) in &texts {
        let aligned = AlignedText::new(text);
        words += vaner::tokens::words(aligned.normalized()).len();
        let tokens = tokenizer.encode(aligned.normalized())?;
        unknown += tokens.iter().filter(|t| t.id == tokenizer.unk_id).count();
        subwords += tokens.len();
    }
    writeln!(
        io::stdout().lock(),
        "{}: {} documents, {} word tokens, {} subword tokens, fertility {:.3}, unknown {:.4}%",
        args.tokenizer.display(),
        texts.len(),
        words,
        subwords,
        subwords as f64 / words.max(1) as f64,
        100.0 * unknown as f64 / subwords.max(1) as f64
    )?;
    Ok(ExitCode::SUCCESS)
}
