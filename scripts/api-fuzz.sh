#!/usr/bin/env bash
# The schema-driven API fuzzer (schemathesis) against a real `turno demo` server: no request
# that the OpenAPI document allows may be refused, no status code may be undocumented, no
# answer may break its schema, and nothing may answer 5xx. scripts/test.sh runs it; alone:
#   scripts/api-fuzz.sh [EXAMPLES_PER_OPERATION]
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${1:-${TURNO_FUZZ_EXAMPLES:-25}}"
if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi
cargo build --quiet --locked -p turno-cli
turno="$PWD/target/debug/turno"

work="$(mktemp -d)"
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: bind 0 and read what the kernel chose.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
db="sqlite://$work/fuzz.db"
"$turno" demo --addr "127.0.0.1:$port" --db "$work/fuzz.db" --efirma "$work/efirma" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log"; exit 1; fi
  sleep 0.5
done
token="$("$turno" token create --user admin --name fuzz --database-url "$db" | tail -1)"

# `unsupported_method`, `ignored_auth` and friends run too (`all`); excluded only what does
# not apply to this API: `use_after_free`/`ensure_resource_availability` assume that a DELETE
# makes the resource vanish, and Turno's deletes withdraw roles and memberships that stay in
# the record; `positive_data_acceptance` is kept: a valid-by-schema request must not be refused
# unless the answer is a documented business refusal, which `schemathesis.toml` (read from the
# repository's root, where this runs) allows per operation, each with its reason.
schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --exclude-checks use_after_free,ensure_resource_availability \
  --max-examples "$examples" \
  --phases examples,coverage,fuzzing \
  --workers 1 \
  --seed 14 \
  --generation-deterministic \
  --request-timeout 30 \
  --no-color \
  --report junit --report-dir "target/api-fuzz"
