#!/usr/bin/env python3
"""End-to-end speed and memory of `vaner extract`, as a Markdown section for eval/BENCH.md.

Runs the real binary as a user would (a new process per run, JSONL on stdout) over
  - the plain texts of ../shared/realdocs (*.txt, not *.inline.txt; read, never copied),
  - a synthetic archive (`vaner synth`, made plain JSONL here, in a temporary folder), and
  - one long document: the first fifth of the archive joined by blank lines, one .txt file,
each with --threads 1 and --threads 2, and reports documents, characters, words (syllables)
and subword tokens per second end to end (process start to exit), the time from process
start to the first JSONL line on stdout, and the peak resident memory (wait4's ru_maxrss).

Counts: characters are Unicode scalar values of the text as given; words are runs of
letters, digits and combining marks (one Vietnamese syllable each; punctuation left out);
subword tokens come from `vaner tokenizer fertility` with the model's own tokenizer.

A last table sets smaller taggers (`--smaller`; by default every tagger under models/ with
fewer encoder layers than --model) beside it: dev F1 and the archive's words per second.

Usage: bench_extract.py [--quick] [--vaner PATH] [--model DIR] [--smaller DIR...] [--repeat N] [--docs N]
Prints the section on stdout; progress on stderr.
"""

import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REALDOCS = os.path.join(ROOT, "..", "shared", "realdocs")
SEED = 8


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def is_word_char(c):
    return unicodedata.category(c)[0] in "LNM"


def syllables(text):
    """Runs of word characters, as vaner's `tokens::words` finds them (punctuation left out)."""
    n, inside = 0, False
    for c in text:
        w = is_word_char(c)
        if w and not inside:
            n += 1
        inside = w
    return n


def subword_tokens(vaner, model, jsonl):
    out = subprocess.run(
        [vaner, "tokenizer", "fertility", jsonl, "--tokenizer", os.path.join(model, "tokenizer.json")],
        check=True, capture_output=True, text=True,
    ).stdout
    m = re.search(r"(\d+) subword tokens", out)
    if not m:
        sys.exit(f"bench: cannot read the fertility line: {out!r}")
    return int(m.group(1))


def write_jsonl(path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, text in docs:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")


def corpus_stats(vaner, model, docs, tmp, name):
    """Documents, characters, syllables and subword tokens of a list of (id, text)."""
    path = os.path.join(tmp, f"{name}.count.jsonl")
    write_jsonl(path, docs)
    return {
        "documents": len(docs),
        "characters": sum(len(t) for _, t in docs),
        "words": sum(syllables(t) for _, t in docs),
        "tokens": subword_tokens(vaner, model, path),
    }


def realdocs_corpus(limit):
    files = sorted(f for f in glob.glob(os.path.join(REALDOCS, "*.txt")) if not f.endswith(".inline.txt"))
    if limit:
        files = files[:limit]
    if not files:
        sys.exit(f"bench: no plain texts in {REALDOCS}")
    docs = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            docs.append((f, fh.read()))
    return files, docs


def synthetic_corpus(vaner, count, tmp):
    """`vaner synth` documents as plain {"id", "text"} JSONL (the tags removed)."""
    folder = os.path.join(tmp, "synth")
    subprocess.run([vaner, "synth", "--count", str(count), "--seed", str(SEED), "--out", folder],
                   check=True, capture_output=True)
    annotated = os.path.join(tmp, "synth.annotated.jsonl")
    subprocess.run([vaner, "convert", folder, "--format", "jsonl", "-o", annotated], check=True)
    docs = []
    with open(annotated, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            docs.append((rec["id"], rec["text"]))
    path = os.path.join(tmp, "synth.jsonl")
    write_jsonl(path, docs)
    return path, docs


def run_once(cmd):
    """Wall seconds to the first stdout line and to exit, and peak RSS in MB, of one process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = None
    lines = 0
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        if first is None and b"\n" in chunk:
            first = time.monotonic() - start
        lines += chunk.count(b"\n")
    _, status, usage = os.wait4(proc.pid, 0)
    total = time.monotonic() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited with {proc.returncode}: {err}")
    return {"first": first or total, "total": total, "rss_mb": usage.ru_maxrss / 1024, "lines": lines}


def measure(vaner, model, threads, inputs, expected, repeat):
    cmd = [vaner, "--threads", str(threads), "extract", "--model", model, *inputs]
    runs = []
    for _ in range(repeat):
        r = run_once(cmd)
        if r["lines"] != expected:
            sys.exit(f"bench: expected {expected} output lines, got {r['lines']}")
        runs.append(r)
    return {
        "total": statistics.median(r["total"] for r in runs),
        "first": statistics.median(r["first"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
    }


def dev_f1(vaner, model, overlap):
    """Strict and partial micro-F1 on training_data/dev with this overlap (model and rules)."""
    out = subprocess.run(
        [vaner, "--threads", "1", "eval", "--gold", os.path.join(ROOT, "training_data", "dev"),
         "--model", model, "--overlap", str(overlap), "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    micro = json.loads(out)["micro"]
    return micro["strict"]["f1"], micro["partial"]["f1"]


def model_size(model):
    """Encoder layers and parameters (from the safetensors header) of a model folder."""
    with open(os.path.join(model, "config.json"), encoding="utf-8") as f:
        layers = json.load(f)["bert"]["num_hidden_layers"]
    with open(os.path.join(model, "model.safetensors"), "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    params = 0
    for name, info in header.items():
        if name != "__metadata__":
            n = 1
            for d in info["shape"]:
                n *= d
            params += n
    return layers, params


def default_overlap(model):
    with open(os.path.join(model, "config.json"), encoding="utf-8") as f:
        width = json.load(f)["max_len"] - 2
    return width, width // 4  # as `tagger::default_overlap`


def machine():
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kb = int(f.readline().split()[1])
    return f"{os.cpu_count()} cores, {cpu}, {mem_kb / 1024 / 1024:.0f} GiB"


def fmt(x):
    return f"{x:,.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10 realdocs, 200 synthetic documents, two overlaps, one run each")
    ap.add_argument("--vaner", default=os.path.join(ROOT, "target", "debug", "vaner"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "default"))
    ap.add_argument("--smaller", nargs="*", help="smaller tagger folders to set beside --model "
                    "(default: every tagger under models/ with fewer encoder layers)")
    ap.add_argument("--repeat", type=int, help="runs per measurement (median time; default 3, quick 1)")
    ap.add_argument("--docs", type=int, help="synthetic documents (default 10,000, quick 200)")
    args = ap.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    count = args.docs or (200 if args.quick else 10000)
    vaner, model = os.path.abspath(args.vaner), os.path.abspath(args.model)
    if args.smaller is None:
        taggers = glob.glob(os.path.join(ROOT, "models", "*", "labels.json")) + glob.glob(
            os.path.join(ROOT, "models", "ablation", "*", "labels.json"))
        layers = {os.path.dirname(t): model_size(os.path.dirname(t))[0] for t in taggers}
        smaller = sorted((d for d, n in layers.items() if n < model_size(model)[0]),
                         key=lambda d: -layers[d])
    else:
        smaller = args.smaller
    smaller = [os.path.abspath(d) for d in smaller]

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="vaner-bench-") as tmp:
        files, real = realdocs_corpus(10 if args.quick else 0)
        log(f"synthesizing {count} documents")
        synth_path, synth = synthetic_corpus(vaner, count, tmp)
        long_doc = [("long", "\n\n".join(text for _, text in synth[: max(1, count // 5)]))]
        long_path = os.path.join(tmp, "long.txt")
        with open(long_path, "w", encoding="utf-8") as f:
            f.write(long_doc[0][1])
        corpora = [
            (f"realdocs ({len(files)} plain texts)", files, corpus_stats(vaner, model, real, tmp, "real")),
            (f"synthetic archive (`vaner synth --count {count} --seed {SEED}`, one JSONL)", [synth_path],
             corpus_stats(vaner, model, synth, tmp, "synth")),
            (f"one long document (the archive's first {max(1, count // 5):,} documents joined, "
             f"{len(long_doc[0][1].encode('utf-8')) / 1e6:.1f} MB, one .txt)", [long_path],
             corpus_stats(vaner, model, long_doc, tmp, "long")),
        ]
        width, default = default_overlap(model)
        overlaps = sorted({width // 2, default} if args.quick else {width // 2, default, 16, 0}, reverse=True)
        overlap_rows = []
        for overlap in overlaps:
            log(f"overlap {overlap}: dev F1 and realdocs speed")
            cmd_overlap = ["--overlap", str(overlap)]
            strict, partial = dev_f1(vaner, model, overlap)
            m = measure(vaner, model, 1, files + cmd_overlap, corpora[0][2]["documents"], repeat)
            overlap_rows.append((overlap, strict, partial, corpora[0][2]["words"] / m["total"]))
        rows = []
        for name, inputs, stats in corpora:
            for threads in (1, 2):
                log(f"{name}, --threads {threads}")
                m = measure(vaner, model, threads, inputs, stats["documents"], repeat)
                rows.append((name, threads, stats, m))
        archive_words = corpora[1][2]["words"]
        size_rows = []
        for m_dir in [model, *smaller]:
            strict, _ = dev_f1(vaner, m_dir, default_overlap(m_dir)[1])
            rates = []
            for threads in (1, 2):
                if m_dir == model:
                    t = next(m["total"] for n, th, _, m in rows if n == corpora[1][0] and th == threads)
                else:
                    log(f"{os.path.relpath(m_dir, ROOT)} on the archive, --threads {threads}")
                    t = measure(vaner, m_dir, threads, [synth_path], corpora[1][2]["documents"], repeat)["total"]
                rates.append(archive_words / t)
            size_rows.append((os.path.relpath(m_dir, ROOT), *model_size(m_dir), strict, *rates))

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    print("## Extraction, end to end (`scripts/bench_extract.py`)")
    print()
    print(f"Run on {time.strftime('%Y-%m-%d', time.gmtime())} with vaner {commit}"
          f"{' (with uncommitted changes)' if dirty else ''}{', --quick' if args.quick else ''}.")
    print(f"Machine: {machine()}; load average {load_before:.2f} before and "
          f"{os.getloadavg()[0]:.2f} after (other processes share the cores when it is above 0).")
    print()
    print(f"`vaner --threads N extract --model models/default INPUT... > pipe`, a new process per run")
    print(f"({'median of ' + str(repeat) + ' runs' if repeat > 1 else 'one run'}; binary "
          f"`{os.path.relpath(vaner, ROOT)}`). Rates are over the whole run, process start to exit,")
    print("model load included; *first output* is process start to the first JSONL line on stdout;")
    print("*peak RSS* is the process's maximum resident set (`wait4`). Words are syllables (runs")
    print("of letters and digits), tokens the model's subword tokens.")
    print()
    print("| corpus | docs | characters | words | tokens |")
    print("|---|---|---|---|---|")
    for name, _, stats in corpora:
        print(f"| {name} | {fmt(stats['documents'])} | {fmt(stats['characters'])} | "
              f"{fmt(stats['words'])} | {fmt(stats['tokens'])} |")
    print()
    print("| corpus | threads | seconds | docs/s | chars/s | words/s | tokens/s | first output | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, threads, stats, m in rows:
        t = m["total"]
        print(f"| {name.split(' (')[0]} | {threads} | {t:.2f} | {stats['documents'] / t:,.1f} | "
              f"{fmt(stats['characters'] / t)} | {fmt(stats['words'] / t)} | {fmt(stats['tokens'] / t)} | "
              f"{m['first']:.2f} s | {m['rss_mb']:.0f} MB |")

    print()
    print("### Window overlap: accuracy against speed")
    print()
    print(f"Long documents are read in windows of {width} subword tokens; neighbouring windows share")
    print(f"`--overlap` tokens, and each token takes its tags from the window where it is most central.")
    print(f"The default is {default} (a quarter of a window); training uses half a window ({width // 2}).")
    print("Accuracy is on `training_data/dev` (model and rules; realdocs are never used to choose),")
    print("speed on the realdocs texts with one thread.")
    print()
    print("| overlap | dev strict F1 | dev partial F1 | realdocs words/s (1 thread) |")
    print("|---|---|---|---|")
    for overlap, strict, partial, rate in overlap_rows:
        mark = " (default)" if overlap == default else ""
        print(f"| {overlap}{mark} | {strict:.4f} | {partial:.4f} | {fmt(rate)} |")

    if len(size_rows) > 1:
        print()
        print("### Model size: accuracy against speed")
        print()
        print("Smaller taggers keep only the first encoder layers of the same language model")
        print("(`vaner train --encoder-layers N`, each folder's README has the command). Dev F1 is")
        print("with the rules at the default overlap; speed is on the synthetic archive above.")
        print()
        print("| model | encoder layers | parameters | dev strict F1 | archive words/s (1 thread) | (2 threads) |")
        print("|---|---|---|---|---|---|")
        for name, layers, params, strict, one, two in size_rows:
            print(f"| `{name}` | {layers} | {params / 1e6:.2f} M | {strict:.4f} | {fmt(one)} | {fmt(two)} |")

if __name__ == "__main__":
    main()
