#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== services"
scripts/postgres.sh
# The S3 tests keep documents on a real S3-compatible server (moto's); like PostgreSQL, a
# server that cannot start fails the run (an assignment keeps the script's exit status).
s3_env=$(scripts/s3.sh)
eval "$s3_env"
# The browser tests drive Debian's headless Chromium through chromedriver.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# `turno import manual` reads PDF manuals, and the official manuals' PDFs are read back as text,
# through Debian's poppler-utils (pdftotext); under CI a missing pdftotext fails its test.
if ! command -v pdftotext >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi

# The notification tests send e-mail to a real SMTP server on loopback (aiosmtpd).
if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
fi

# The BPMN export is checked by SpiffWorkflow and bpmn-moddle (python and node).
scripts/bpmn-tools.sh

echo "== format"
cargo fmt --all --check

echo "== lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== procedure library"
cargo run --quiet --locked -p turno-cli -- procedures check procedures/

echo "== tests"
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi
cargo nextest run --workspace --locked --no-fail-fast
cargo test --workspace --locked --doc

echo "== API against its OpenAPI document (schemathesis)"
scripts/api-fuzz.sh
