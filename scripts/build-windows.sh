#!/usr/bin/env bash
# Builds nianbao.exe for 64-bit Windows 10 or later into dist/windows/.
# One command on a Debian or Ubuntu machine with Rust (rustup): it adds the
# Windows target and the MinGW linker when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
# The linker is named in .cargo/config.toml.
cargo build --release --locked --target "$target"
mkdir -p dist/windows
cp "target/$target/release/nianbao.exe" dist/windows/nianbao.exe
echo "dist/windows/nianbao.exe ($(du -h dist/windows/nianbao.exe | cut -f1))"
