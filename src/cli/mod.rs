//! One module per subcommand; each parses nothing itself and calls library code.

pub mod args;
mod convert;
mod db;
mod eval;
mod eval_relations;
mod extract;
mod normalize;
mod output;
mod pretrain;
mod synth;
mod tokenize;
mod train;

use std::process::ExitCode;

use anyhow::Result;

use args::{Args, Command};

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        anyhow::ensure!(n >= 1, "--threads must be at least 1");
        tch::set_num_threads(n);
    }
    match args.command {
        Command::Extract(a) => extract::run(a),
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
