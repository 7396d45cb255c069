#!/usr/bin/env bash
# Runs the benchmarks and writes eval/BENCH.md: loading into databases (criterion,
# benches/db_load.rs, beside a throw-away PostgreSQL) and extraction end to end
# (scripts/bench_extract.py: the real binary over realdocs and a synthetic archive, 1 and 2
# threads) and memory on a stream of up to 100,000 documents (scripts/bench_stream.py). Dev profile, whose dependencies are optimized, so that no second full build is
# needed.
#
#   scripts/bench.sh                  # everything; rewrites eval/BENCH.md
#   scripts/bench.sh --only extract   # one part; the other sections are kept as they were
#   scripts/bench.sh --quick          # a short extraction run, printed; BENCH.md untouched
#   scripts/bench.sh --only extract -- --repeat 1   # options after `--` go to bench_extract.py
set -euo pipefail
cd "$(dirname "$0")/.."

only=""
quick=""
extract_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --) shift; extract_args=("$@"); break ;;
    *) echo "usage: scripts/bench.sh [--quick] [--only db|extract|stream] [-- bench_extract.py options]" >&2; exit 2 ;;
  esac
done

cargo build --quiet
if [ -n "$quick" ]; then
  exec python3 scripts/bench_extract.py --quick "${extract_args[@]}"
fi

out=eval/BENCH.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The section of the current BENCH.md that starts with heading $1, up to the next "## ".
kept() {
  [ -f "$out" ] && awk -v h="$1" '
    index($0, h) == 1 { on = 1 }
    /^## / && index($0, h) != 1 { on = 0 }
    on { if ($0 == "") blank++; else { for (; blank > 0; blank--) print ""; print } }' "$out"
}

db_section() {
  bash scripts/with-postgres.sh cargo bench --quiet --profile dev --bench db_load -- --noplot >/dev/null
  rate() {  # entities per second from criterion's mean time of one load of 100,000 entities
    local f="target/criterion/db_load/$1/new/estimates.json"
    [ -f "$f" ] || { echo "-"; return; }
    python3 -c "import json,sys; m=json.load(open('$f'))['mean']['point_estimate']; print(f'{100000/(m/1e9):,.0f} entities/s ({m/1e9:.2f} s per 100,000)')"
  }
  echo "## Loading into databases (\`benches/db_load.rs\`)"
  echo
  echo "Run on $(date -u +%Y-%m-%d) with vaner $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "2,000 documents of 50 entities each (100,000 entities, with their documents and runs),"
  echo "in transactions of 500 documents, into a new database each time. The rows (values,"
  echo "canonical keys, relations) are computed before timing: this measures the store alone."
  echo
  echo "| database | rate |"
  echo "|---|---|"
  echo "| SQLite (bundled, a file in a temporary folder) | $(rate sqlite) |"
  echo "| PostgreSQL 15 (local server, COPY) | $(rate postgres) |"
}

if [ -z "$only" ] || [ "$only" = db ]; then db_section > "$tmp/db.md"; else kept "## Loading into databases" > "$tmp/db.md" || true; fi
if [ -z "$only" ] || [ "$only" = extract ]; then python3 scripts/bench_extract.py "${extract_args[@]}" > "$tmp/extract.md"; else kept "## Extraction" > "$tmp/extract.md" || true; fi
if [ -z "$only" ] || [ "$only" = stream ]; then python3 scripts/bench_stream.py > "$tmp/stream.md"; else kept "## Memory on a stream" > "$tmp/stream.md" || true; fi

{
  echo "# Benchmarks"
  echo
  echo "Made by \`scripts/bench.sh\` (\`--only db|extract|stream\` reruns one section)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo
  cat "$tmp/db.md"
  echo
  cat "$tmp/extract.md"
  echo
  cat "$tmp/stream.md"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "bench: wrote $out"
