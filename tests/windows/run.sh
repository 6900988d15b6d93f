#!/usr/bin/env bash
# nianbao.exe under Wine (run by .ci/run): the sample site built by the
# .exe must be byte for byte the Linux build's, and tests/windows.rs must
# pass through the .exe (paths with drive letters, the lock, the publish,
# kills at each step, GBK and UTF-16 files, a folder held open).
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "== cross-build (scripts/build-windows.sh)"
scripts/build-windows.sh

if ! command -v wine >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wine64 >/dev/null
fi

release=target/x86_64-pc-windows-gnu/release
# Wine 8 lacks bcryptprimitives.dll, which Rust's std imports on Windows:
# a shim for the tests only (never shipped), beside the .exe.
x86_64-w64-mingw32-gcc -O2 -shared -o "$release/bcryptprimitives.dll" tests/windows/bcryptprimitives.c
exe="$(pwd)/$release/nianbao.exe"

work="$(mktemp -d)"
export WINEPREFIX="$work/wine" WINEDEBUG=-all
wineboot -i >/dev/null 2>&1 || true

echo "== the sample site under Wine, against the Linux build"
cargo run --release --locked -q -- build --out "$work/linux" 2>/dev/null
wine "$exe" build --data data --out "Z:${work//\//\\}\\windows" 2> "$work/wine.log" || { cat "$work/wine.log"; exit 1; }
tail -n 1 "$work/wine.log"
# Word files draw their charts with the machine's Chinese font, which Wine
# lacks (its charts go in as tables): compared apart, as valid packages with
# the same words.
diff -r -x state.json -x .nianbao-site -x '*.docx' "$work/linux" "$work/windows"
echo "identical: $(find "$work/windows" -type f ! -name '*.docx' | wc -l) files"
python3 - "$work/linux" "$work/windows" <<'PY'
import pathlib, re, sys, zipfile
linux, windows = map(pathlib.Path, sys.argv[1:])
docs = sorted(p.relative_to(windows) for p in windows.rglob("*.docx"))
assert docs, "no Word files from the Windows build"
def words(p):
    xml = zipfile.ZipFile(p).read("word/document.xml").decode()
    # Paragraph texts outside the charts (their tables stand in on Wine).
    return [t for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)]
for d in docs:
    w, l = words(windows / d), words(linux / d)
    assert set(l) <= set(w), f"{d}: words of the Linux build missing under Windows"
print(f"Word files: {len(docs)} valid, with every word of the Linux build")
PY

echo "== Chinese in the Windows console (a terminal, which Wine treats as a console)"
if command -v script >/dev/null 2>&1; then
  LANG=C.UTF-8 script -qc "wine '$exe' --help" /dev/null > "$work/console.txt" || true
  grep -q "年报：由年度数据生成工作总结与计划" "$work/console.txt" || { echo "console output unreadable:"; od -c "$work/console.txt" | head; exit 1; }
  grep -q "nianbao.exe build" "$work/console.txt"
  echo "readable: $(grep -c . "$work/console.txt") lines of --help"
else
  echo "skipped: no script(1) to give Wine a terminal"
fi

echo "== tests/windows.rs through nianbao.exe"
NIANBAO_WINE_EXE="$exe" cargo test --release --locked --test windows
