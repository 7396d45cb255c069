//! Command-line arguments (clap derive). Validation beyond types happens in the subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use vaner::formats::{InputFormat, OutputFormat};

#[derive(Debug, Parser)]
#[command(
    name = "vaner",
    version,
    about = "Finds people, titles, organizations, dates and document references in administrative Vietnamese"
)]
pub struct Args {
    /// Threads for the model's tensor operations (default: all cores); `extract` runs this
    /// many copies of the model side by side, one thread each.
    #[arg(long, global = true)]
    pub threads: Option<i32>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tag documents and print their entities with character offsets into the original text.
    Extract(ExtractArgs),
    /// Score predictions against hand-annotated documents.
    Eval(EvalArgs),
    /// Convert annotated documents between the inline form, JSONL and CoNLL BIO.
    Convert(ConvertArgs),
    /// Print the subword tokens of a text with their character offsets in the original.
    Tokenize(TokenizeArgs),
    /// Train the subword vocabulary.
    #[command(subcommand)]
    Tokenizer(TokenizerCommand),
    /// Pretrain the encoder as a masked language model on unlabeled text.
    Pretrain(PretrainArgs),
    /// Fine-tune the tagger on annotated documents.
    Train(TrainArgs),
    /// Write synthetic annotated documents (templates and gazetteers) for augmentation.
    Synth(SynthArgs),
    /// Load results into a database, or print its schema.
    #[command(subcommand)]
    Db(DbCommand),
    /// Score relation finding against a gold set (`eval/relations/gold.jsonl`).
    EvalRelations(EvalRelationsArgs),
    /// Print the normalized value of one span as JSON (`vaner normalize DATE "quý III/2009"`).
    Normalize(NormalizeArgs),
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Load documents (JSONL with "id", "text" and "entities": `vaner extract --with-text`
    /// output or an annotated corpus) into a database; values and relations are computed.
    Load(DbLoadArgs),
    /// Print the schema's DDL.
    Schema(DbSchemaArgs),
}

#[derive(Debug, clap::Args)]
pub struct DbLoadArgs {
    /// sqlite:PATH or postgres://user@host:port/db.
    #[arg(long)]
    pub db: String,
    /// JSONL files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Replace stored documents even when their text is unchanged.
    #[arg(long)]
    pub replace: bool,
    /// Documents per transaction.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
}

#[derive(Debug, clap::Args)]
pub struct DbSchemaArgs {
    /// Which dialect.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub kind: DbKindArg,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DbKindArg {
    Sqlite,
    Postgres,
}

#[derive(Debug, clap::Args)]
pub struct EvalRelationsArgs {
    /// Gold relations: JSONL of {"id", "source", "relations"}, sources relative to the
    /// current folder.
    #[arg(long)]
    pub gold: PathBuf,
    /// Find relations between this model's entities instead of the gold entities.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// List this many missed and spurious relations.
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
    /// Print one Markdown table row named NAME (P, R, F1 per type and over all).
    #[arg(long)]
    pub markdown_row: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NormalizeArgs {
    /// The span's label: PER, TITLE, ORG, DATE or DIRECTIVE.
    pub label: String,
    /// The span's text.
    pub text: String,
    /// The year of the document's own date, for dates written without one.
    #[arg(long)]
    pub year: Option<i32>,
}

#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// How many documents.
    #[arg(long, default_value_t = 200)]
    pub count: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder to write `synth-<seed>-<n>.inline.txt` files into.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TokenizerCommand {
    /// Train a WordPiece vocabulary on normalized text.
    Train(TokenizerTrainArgs),
    /// Measure fertility: subword tokens per syllable (word token) on some texts.
    Fertility(FertilityArgs),
}

#[derive(Debug, clap::Args)]
pub struct FertilityArgs {
    /// Texts: JSONL files with a "text" field, or annotated files and folders.
    #[arg(required = true)]
    pub texts: Vec<PathBuf>,
    #[arg(long, default_value = "models/tokenizer.json")]
    pub tokenizer: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct TokenizeArgs {
    /// The text to tokenize; `-` or nothing reads stdin.
    pub text: Option<String>,
    /// Tokenizer file, or a model folder that holds one.
    #[arg(long, default_value = "models/tokenizer.json")]
    pub tokenizer: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct TokenizerTrainArgs {
    /// Unlabeled text: JSONL files with a "text" field, or annotated files and folders.
    #[arg(long, required = true, num_args = 1..)]
    pub corpus: Vec<PathBuf>,
    /// Vocabulary size.
    #[arg(long, default_value_t = 8000)]
    pub vocab_size: usize,
    /// Where to write the tokenizer.
    #[arg(long, default_value = "models/tokenizer.json")]
    pub out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct PretrainArgs {
    /// Unlabeled text: JSONL files with a "text" field, or annotated files and folders.
    #[arg(long, required = true, num_args = 1..)]
    pub corpus: Vec<PathBuf>,
    #[arg(long, default_value = "models/tokenizer.json")]
    pub tokenizer: PathBuf,
    /// Output folder: the encoder, `pretraining.json`, and `checkpoint/` while it runs.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 256)]
    pub hidden: i64,
    #[arg(long, default_value_t = 4)]
    pub layers: i64,
    #[arg(long, default_value_t = 4)]
    pub heads: i64,
    #[arg(long, default_value_t = 1024)]
    pub intermediate: i64,
    #[arg(long, default_value_t = 128)]
    pub max_len: usize,
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Total optimizer steps.
    #[arg(long, default_value_t = 8000)]
    pub steps: i64,
    #[arg(long, default_value_t = 5e-4)]
    pub learning_rate: f64,
    #[arg(long, default_value_t = 400)]
    pub warmup_steps: i64,
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Every how many documents one is held out for evaluation.
    #[arg(long, default_value_t = 20)]
    pub heldout_every: usize,
    #[arg(long, default_value_t = 300)]
    pub checkpoint_seconds: u64,
    #[arg(long, default_value_t = 100)]
    pub log_every: i64,
    #[arg(long, default_value_t = 1000)]
    pub eval_every: i64,
    /// Stop after this many steps in this run (the schedule still ends at --steps).
    #[arg(long)]
    pub stop_after: Option<i64>,
    /// Continue from OUT/checkpoint.
    #[arg(long)]
    pub resume: bool,
    /// Start from the weights of an earlier `vaner pretrain` output folder (such as models/lm)
    /// instead of random ones; the optimizer and the learning-rate schedule start afresh.
    #[arg(long, value_name = "DIR", conflicts_with = "resume")]
    pub init: Option<PathBuf>,
    /// Token types stay plain segments instead of word shapes (the tagger then uses plain
    /// segments too).
    #[arg(long)]
    pub no_shapes: bool,
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Annotated training documents (folders of `*.inline.txt`, JSONL or CoNLL files).
    #[arg(long, required = true, num_args = 1..)]
    pub train: Vec<PathBuf>,
    /// Held-out documents for model selection; documents under this folder are never trained on.
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Pretrained language-model folder to start from, or a tagger folder to train further
    /// (adapting a model to new data).
    #[arg(long, conflicts_with = "random_init")]
    pub init: Option<PathBuf>,
    /// Start from random weights (with --tokenizer and the size flags) instead of --init.
    #[arg(long)]
    pub random_init: bool,
    /// With --init LM_FOLDER: keep only the language model's first N encoder layers (a
    /// smaller, faster tagger; eval/BENCH.md has the trade-off).
    #[arg(long, value_name = "N", requires = "init")]
    pub encoder_layers: Option<i64>,
    #[arg(long, default_value = "models/tokenizer.json")]
    pub tokenizer: PathBuf,
    #[arg(long, default_value_t = 256)]
    pub hidden: i64,
    #[arg(long, default_value_t = 4)]
    pub layers: i64,
    #[arg(long, default_value_t = 4)]
    pub heads: i64,
    #[arg(long, default_value_t = 1024)]
    pub intermediate: i64,
    /// Output model folder.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 128)]
    pub max_len: usize,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 3e-4)]
    pub learning_rate: f64,
    #[arg(long, default_value_t = 5)]
    pub patience: usize,
    /// Dropout on hidden states.
    #[arg(long, default_value_t = 0.1)]
    pub dropout: f64,
    /// Token types stay plain segments instead of word shapes (for ablations; random init).
    #[arg(long)]
    pub no_shapes: bool,
    /// Tag every subword instead of the first subword of each word (for ablations).
    #[arg(long)]
    pub subword_tags: bool,
    /// A CRF layer over the tags (learned transitions, sequence likelihood) instead of a
    /// per-token cross-entropy; decoding is constrained Viterbi either way.
    #[arg(long)]
    pub crf: bool,
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Continue from OUT/checkpoint.
    #[arg(long)]
    pub resume: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// `.txt` files, folders of `*.txt`, `.jsonl` files of {"id", "text"}, or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// How stdin is read: plain text (one document) or JSONL.
    #[arg(long, value_enum, default_value = "text")]
    pub input_format: StdinFormat,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: OutputFormat,
    /// Model folder.
    #[arg(long, default_value = "models/default")]
    pub model: PathBuf,
    /// The model's spans as they are, without the rules of `src/repair.rs`.
    #[arg(long)]
    pub no_rules: bool,
    /// Report a document that cannot be read or tagged and go on; exit code 1 at the end.
    #[arg(long)]
    pub keep_going: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Write to this file (atomically: a temporary file, renamed when complete) instead of stdout.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Put each document's text into the JSONL output (what `vaner db load` needs).
    #[arg(long)]
    pub with_text: bool,
    /// Also load the results into this database: sqlite:PATH or postgres://user@host:port/db.
    #[arg(long)]
    pub db: Option<String>,
    /// With --db: replace stored documents even when their text is unchanged.
    #[arg(long, requires = "db")]
    pub replace: bool,
    /// Subword tokens that neighbouring windows of a long document share (default: a
    /// quarter of a window); more is slower.
    #[arg(long)]
    pub overlap: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StdinFormat {
    Text,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold annotations: JSONL, an inline file, CoNLL, or a folder of `*.inline.txt`.
    #[arg(long)]
    pub gold: PathBuf,
    /// Predictions as JSONL (`vaner extract` output; `text` may be left out).
    #[arg(long, conflicts_with = "model", required_unless_present = "model")]
    pub pred: Option<PathBuf>,
    /// Tag the gold texts with this model folder (and the rules) instead of reading predictions.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// With --model: the model's spans alone, without the rules of `src/repair.rs`.
    #[arg(long, requires = "model")]
    pub no_rules: bool,
    /// With --model: subword tokens that neighbouring windows share (as in `extract`).
    #[arg(long, requires = "model")]
    pub overlap: Option<usize>,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub json: bool,
    /// How many of the most frequent confusions to show.
    #[arg(long, default_value_t = 15)]
    pub confusions: usize,
    /// Print one Markdown table row (strict P, R, F1, partial F1, per-label strict F1)
    /// named NAME, for results tables.
    #[arg(long, value_name = "NAME", conflicts_with = "json")]
    pub markdown_row: Option<String>,
    /// Write the report to this file instead of stdout.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Annotated files or folders (`*.inline.txt`, `.jsonl`, `.conll`).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format; guessed from each file name when left out.
    #[arg(long, value_enum)]
    pub from: Option<InputFormat>,
    /// Output format.
    #[arg(
        long = "format",
        visible_alias = "to",
        value_enum,
        default_value = "jsonl"
    )]
    pub format: OutputFormat,
    /// Only validate the inputs and print their counts.
    #[arg(long)]
    pub check: bool,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}
