#!/usr/bin/env python3
"""The pretraining curve of an LM folder as Markdown, from its `pretraining.json`.

Usage: pretrain_table.py [DIR]   (default models/lm)
Prints the data sizes, the run's length and speed, and one row per held-out evaluation.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models", "lm")
    with open(os.path.join(folder, "pretraining.json"), encoding="utf-8") as f:
        log = json.load(f)
    opts = log["options"]
    tokens = log["step"] * opts["batch_size"] * opts["max_len"]
    print(f"- Data: {log['train_documents']:,} documents ({log['train_tokens']:,} subword tokens) "
          f"for training, {log['heldout_documents']:,} held out ({log['heldout_tokens']:,} tokens).")
    print(f"- Run: {log['step']:,} steps of {opts['batch_size']} × {opts['max_len']} tokens "
          f"(at most {tokens / 1e6:.1f} M tokens, {tokens / log['train_tokens']:.1f} passes), "
          f"{log['seconds']:,.0f} s ({log['seconds'] / 3600:.2f} h, {tokens / log['seconds']:,.0f} tokens/s "
          f"with the held-out evaluations), "
          f"{log['parameters']:,} parameters with the prediction head.")
    print(f"- Schedule: learning rate {opts['learning_rate']:g}, {opts['warmup_steps']} warm-up steps, "
          f"linear decay to step {opts['steps']:,}; seed {opts['seed']}"
          f"{'; from ' + opts['init'] if opts.get('init') else '; from BERT-style random weights'}.")
    print()
    print("| step | train loss (mean of the last logged steps) | held-out loss | held-out masked-token accuracy |")
    print("|---:|---:|---:|---:|")
    for point in log["curve"]:
        if point.get("heldout_loss") is None:
            continue
        print(f"| {point['step']:,} | {point['train_loss']:.2f} | {point['heldout_loss']:.2f} | "
              f"{100 * point['heldout_accuracy']:.1f} % |")


if __name__ == "__main__":
    main()
