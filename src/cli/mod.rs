//! One module per subcommand; each parses nothing itself and calls library code.

pub mod args;
mod convert;
mod db;
mod eval;
mod eval_relations;
mod extract;
mod normalize;
mod output;
mod parallel;
mod pretrain;
mod synth;
mod tokenize;
mod train;

use std::process::ExitCode;

use anyhow::Result;

use args::{Args, Command};

pub fn run(args: Args) -> Result<ExitCode> {
    keep_freed_memory();
    if let Some(n) = args.threads {
        anyhow::ensure!(n >= 1, "--threads must be at least 1");
        tch::set_num_threads(n);
    }
    match args.command {
        Command::Extract(a) => extract::run(a, args.threads.map(|n| n as usize)),
        Command::Eval(a) => eval::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Tokenize(a) => tokenize::run(a),
        Command::Tokenizer(args::TokenizerCommand::Train(a)) => tokenize::train(a),
        Command::Tokenizer(args::TokenizerCommand::Fertility(a)) => tokenize::fertility(a),
        Command::Pretrain(a) => pretrain::run(a),
        Command::Train(a) => train::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Normalize(a) => normalize::run(a),
        Command::Db(args::DbCommand::Load(a)) => db::load(a),
        Command::Db(args::DbCommand::Schema(a)) => db::schema(a),
        Command::EvalRelations(a) => eval_relations::run(a),
    }
}

/// Keeps freed memory in the process instead of handing it back to the system at once.
/// A forward pass allocates and frees activations of several megabytes; by default glibc
/// maps and unmaps each one, and faulting the fresh pages in took a fifth of the time of
/// `vaner extract`. Peak memory stays what it was: the same blocks are reused.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // 32 MB is the largest mmap threshold glibc accepts; above it a block is mapped.
        const MMAP_THRESHOLD: libc::c_int = 32 << 20;
        const TRIM_THRESHOLD: libc::c_int = 256 << 20;
        // SAFETY: mallopt only sets allocator parameters, before any other thread starts.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        }
    }
}
