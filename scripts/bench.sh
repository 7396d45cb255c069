#!/usr/bin/env bash
# Runs the benchmark suite (beside a throw-away PostgreSQL; dev profile, whose dependencies
# are optimized, so that no second full build is needed) and writes eval/BENCH.md from
# criterion's estimates, with the machine it ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/with-postgres.sh cargo bench --quiet --profile dev --bench db_load -- --noplot >/dev/null
out=eval/BENCH.md
rate() {  # entities per second from criterion's mean time of one load of 100,000 entities
  local f="target/criterion/db_load/$1/new/estimates.json"
  [ -f "$f" ] || { echo "-"; return; }
  python3 -c "import json,sys; m=json.load(open('$f'))['mean']['point_estimate']; print(f'{100000/(m/1e9):,.0f} entities/s ({m/1e9:.2f} s per 100,000)')"
}
{
  echo "# Benchmarks"
  echo
  echo "Made by \`scripts/bench.sh\` (criterion, \`benches/\`) on $(date -u +%Y-%m-%d) with vaner $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo
  echo "## Loading into databases (\`benches/db_load.rs\`)"
  echo
  echo "2,000 documents of 50 entities each (100,000 entities, with their documents and runs),"
  echo "in transactions of 500 documents, into a new database each time. The rows (values,"
  echo "canonical keys, relations) are computed before timing: this measures the store alone."
  echo
  echo "| database | rate |"
  echo "|---|---|"
  echo "| SQLite (bundled, a file in a temporary folder) | $(rate sqlite) |"
  echo "| PostgreSQL 15 (local server, COPY) | $(rate postgres) |"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "bench: wrote $out"
