#!/usr/bin/env bash
# End-to-end scale benchmark: `check` over synthetic corpora of 1k, 10k, 25k and 100k articles of
# about 4 KB (built by the hidden `gen-corpus` subcommand from the seeds and fixture corpora, and
# kept in $BENCH_DIR for the next run), with the wall time, articles/s, articles per CPU-second
# (user + system time: the per-core rate) and peak RSS of each run.
#
#   bash bench/scale.sh [SIZES...]      # default: 1000 10000 25000 100000
#   JOBS=1 bash bench/scale.sh 1000     # one thread
#   KEEP=0 bash bench/scale.sh 100000   # delete each generated corpus after its run
#   EXTRACT=1 bash bench/scale.sh 10000 # also time `extract --format jsonl` (the map step)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 25000 100000)
work=${BENCH_DIR:-/tmp/claimdiff-bench-4k}
jobs=${JOBS:-$(nproc)}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/claimdiff
mkdir -p "$work"
printf '%10s %6s %10s %12s %14s %10s %14s\n' articles jobs seconds articles/s art/CPU-second MB/s peak_RSS_MB
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -d "$corpus" ] || "$bin" gen-corpus "$corpus" --articles "$n" 2>/dev/null
  bytes=$(du -sb "$corpus" | cut -f1)
  /usr/bin/time -f '%e %M %U %S' -o "$work/time-$n" \
    "$bin" check --stories dirs --jobs "$jobs" --format json --exit-zero --output "$work/report-$n.json" "$corpus"
  read -r seconds rss_kb user system < "$work/time-$n"
  awk -v n="$n" -v j="$jobs" -v s="$seconds" -v b="$bytes" -v r="$rss_kb" -v c="$user" -v k="$system" \
    'BEGIN { printf "%10d %6d %10.2f %12.0f %14.0f %10.1f %14.1f\n", n, j, s, n / s, n / (c + k), b / s / 1e6, r / 1024 }'
  if [ "${EXTRACT:-0}" = 1 ]; then
    /usr/bin/time -f '%e %M %U %S' -o "$work/time-extract-$n" \
      "$bin" extract --jobs "$jobs" --format jsonl "$corpus" > /dev/null
    read -r seconds rss_kb user system < "$work/time-extract-$n"
    awk -v n="$n" -v j="$jobs" -v s="$seconds" -v b="$bytes" -v r="$rss_kb" -v c="$user" -v k="$system" \
      'BEGIN { printf "%10d %6d %10.2f %12.0f %14.0f %10.1f %14.1f  (extract)\n", n, j, s, n / s, n / (c + k), b / s / 1e6, r / 1024 }'
  fi
  if [ "${KEEP:-1}" = 0 ]; then rm -rf "$corpus" "$work/report-$n.json"; fi
done
