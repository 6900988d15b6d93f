#!/usr/bin/env bash
# Benchmark: nianbao against Hugo on the reference as it was when a target
# was set, beside today's.
#
#   bench/fixed_reference.sh [commit] [reports ...]
#       default: e0c4d08 (2026-12-02, issue 29's "now") and 1000 10000
#
# bench/run.sh builds its Hugo reference from nianbao's own output (each
# 总结's Markdown and two of its charts inline), so the reference gets
# lighter whenever nianbao's Markdown or SVG does: the compact SVG writer
# of 2026-12-05 made the charts a third of their size and Hugo's build
# about 1.9 × faster. This script builds the corpus and the Hugo reference
# with <commit>'s nianbao (in a worktree, the release profile of its day)
# and times, alternately on the RAM disk, for each size N:
#   then      <commit>'s nianbao, full build of its own corpus
#   hugo then Hugo on <commit>'s reference
#   now       this checkout's nianbao, full build of today's corpus
#   hugo now  Hugo on today's reference
# (3 rounds, medians; each day's corpus from its own generator, the same
# offices and years). Needs what bench/run.sh needs, and git; <commit>'s
# checkout stays registered as a worktree under $BENCH_DIR for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:-e0c4d08}"
[ $# -gt 0 ] && shift
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
work="${BENCH_DIR:-/tmp/nianbao-bench}/then-$commit"
ram="${BENCH_RAM:-/dev/shm/nianbao-bench}/then"
rounds="${BENCH_ROUNDS:-3}"
mkdir -p "$work" "$ram"
. bench/common.sh

# <commit>'s binaries, built in a worktree of their own.
tree="$work/src"
[ -d "$tree" ] || git worktree add --force --detach "$tree" "$commit" >/dev/null
(cd "$tree" && CARGO_TARGET_DIR="$work/target" cargo build --release --quiet --bin nianbao --example gen_corpus)
then_nb="$work/target/release/nianbao"; then_gen="$work/target/release/examples/gen_corpus"
cargo build --release --quiet --bin nianbao --example gen_corpus
now_nb="$PWD/target/release/nianbao"; now_gen="$PWD/target/release/examples/gen_corpus"

printf "%-8s %-10s %9s %9s %8s\n" reports build wall_s cpu_s rss_MB
for n in "${sizes[@]}"; do
  offices=$(( (n + 4) / 5 ))
  declare -A data=() site=()
  for when in then now; do
    gen="${when}_gen"; nb="${when}_nb"
    data[$when]="$work/data-$when-$n"; site[$when]="$work/hugo-$when-$n"
    "${!gen}" "${data[$when]}" "$offices" 5 >/dev/null
    rm -rf "$ram/seed"; "${!nb}" build --data "${data[$when]}" --out "$ram/seed" >/dev/null 2>&1 || true
    python3 bench/hugo_site.py "$ram/seed" "${site[$when]}" >/dev/null
    rm -rf "$ram/seed"
  done
  for kind in then hugo_then now hugo_now; do : > "$work/$kind.txt"; done
  for _ in $(seq 1 "$rounds"); do
    for when in then now; do
      nb="${when}_nb"
      # Each its own output (and state beside it).
      rm -rf "$ram/out-$when"; sync; measure "${!nb}" build --data "${data[$when]}" --out "$ram/out-$when" >> "$work/$when.txt"
      rm -rf "$ram/hugo"; sync; measure "$hugo" --quiet --source "${site[$when]}" --destination "$ram/hugo" >> "$work/hugo_$when.txt"
    done
  done
  for kind in then hugo_then now hugo_now; do
    read -r wall cpu rss < <(median < "$work/$kind.txt")
    printf "%-8s %-10s %9s %9s %8s\n" "$n" "${kind/_/ }" "$wall" "$cpu" "$rss"
    eval "${kind}=$wall"
  done
  awk -v t="$then" -v ht="$hugo_then" -v w="$now" -v hw="$hugo_now" -v n="$n" 'BEGIN {
    printf "%-8s nianbao ÷ Hugo: then %.2f on its reference; now %.2f on that reference, %.2f on today'"'"'s\n", n, t / ht, w / ht, w / hw }'
  rm -rf "$ram/out-then" "$ram/out-now" "$ram/hugo"
done
