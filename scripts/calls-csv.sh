#!/usr/bin/env bash
# A call-center file of N generated calls in the provider's default layout (the generator of
# crates/turno-domain/examples/calls_parse.rs, about 190 bytes a call), for measuring
# `turno import calls` (BENCHMARKS.md):
#   scripts/calls-csv.sh 400000 /tmp/llamadas-400k.csv
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:?N, the number of calls}"
out="${2:?the CSV file to write}"
cargo run --quiet --locked -p turno-domain --example calls_parse -- "$rows" "$out"
