#!/usr/bin/env bash
# Side-by-side sentence splitting: claimdiff against pySBD, sentencex and blingfire, in one run.
# Prints each splitter's golden-rules accuracy and its throughput on the same en+nl+nb text.
#
#   bash bench/peers.sh            # needs PyPI (pip) the first time; the venv is kept in bench/.venv
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv
if ! "$venv/bin/python" -c "import pysbd, sentencex, blingfire, numpy" 2>/dev/null; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pysbd sentencex blingfire numpy
fi
cargo build --release --quiet
"$venv/bin/python" bench/peers.py target/release/claimdiff
