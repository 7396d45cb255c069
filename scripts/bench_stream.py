#!/usr/bin/env python3
"""Memory of `vaner extract` on a long JSONL stream, as a Markdown section for eval/BENCH.md.

Feeds `vaner extract -` (JSONL on stdin, JSONL on stdout) with 1,000, 10,000 and 100,000
short documents written on the fly, never as a file, and reads its output as it comes, as a
pipeline would. The documents are the paragraphs of `vaner synth` documents, repeated under
new ids. If memory is bounded, the peak resident set (wait4's ru_maxrss) is the same for
every length of the stream.

Usage: bench_stream.py [--vaner PATH] [--model DIR] [--threads N] [--counts N,N,...]
Prints the section on stdout; progress on stderr.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_extract import ROOT, fmt, log, machine, synthetic_corpus, syllables  # noqa: E402


def paragraphs(docs):
    """Non-empty paragraphs (blank-line separated) of the synthetic documents."""
    out = []
    for _, text in docs:
        out.extend(p.strip() for p in text.split("\n\n") if p.strip())
    return out


def stream(vaner, model, threads, texts, count):
    """Seconds, peak RSS (MB), output lines and input words of one run over `count` documents."""
    cmd = [vaner, "--threads", str(threads), "extract", "--model", model, "-", "--input-format", "jsonl"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    words = [0]

    def feed():
        try:
            for i in range(count):
                text = texts[i % len(texts)]
                words[0] += syllables(text)
                line = json.dumps({"id": f"s{i}", "text": text}, ensure_ascii=False) + "\n"
                proc.stdin.write(line.encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    lines = 0
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    writer.join()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed: {err}")
    if lines != count:
        sys.exit(f"bench: expected {count} output lines, got {lines}")
    return seconds, usage.ru_maxrss / 1024, words[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vaner", default=os.path.join(ROOT, "target", "debug", "vaner"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "default"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--counts", default="1000,10000,100000")
    args = ap.parse_args()
    vaner, model = os.path.abspath(args.vaner), os.path.abspath(args.model)
    counts = [int(c) for c in args.counts.split(",")]

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="vaner-stream-") as tmp:
        _, docs = synthetic_corpus(vaner, 100, tmp)
    texts = paragraphs(docs)
    rows = []
    for count in counts:
        log(f"stream of {count} documents, --threads {args.threads}")
        rows.append((count, *stream(vaner, model, args.threads, texts, count)))

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    print("## Memory on a stream (`scripts/bench_stream.py`)")
    print()
    print(f"Run on {time.strftime('%Y-%m-%d', time.gmtime())} with vaner {commit}.")
    print(f"Machine: {machine()}; load average {load_before:.2f} before and "
          f"{os.getloadavg()[0]:.2f} after.")
    print()
    print(f"`... | vaner --threads {args.threads} extract --model models/default - --input-format jsonl | ...`:")
    print(f"JSONL written into the pipe while vaner runs, never as a file; each document is one")
    print(f"paragraph of a synthetic document ({len(texts)} distinct paragraphs, "
          f"{sum(len(t) for t in texts) / len(texts):.0f} characters on average, repeated under new ids).")
    print("Peak RSS is the process's maximum resident set (`wait4`); one run each.")
    print()
    print("| documents | seconds | docs/s | words/s | peak RSS |")
    print("|---|---|---|---|---|")
    for count, seconds, rss, words in rows:
        print(f"| {fmt(count)} | {seconds:.1f} | {fmt(count / seconds)} | {fmt(words / seconds)} | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
