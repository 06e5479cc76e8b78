#!/usr/bin/env bash
# Starts a real S3-compatible server for the tests: moto's (`moto_server`, installed from PyPI
# into a virtual environment of its own) on a free loopback port, with the bucket the tests
# use. Prints the variables that point at it, for `eval "$(scripts/s3.sh)"`; everything else
# goes to standard error. A server this script started and that still answers is reused.
# Fails loudly, as scripts/postgres.sh does: the S3 tests never skip.
set -euo pipefail

venv="${TURNO_S3_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/turno/moto}"
state="${TMPDIR:-/tmp}/turno-s3.env"
bucket=turno-test

answers() { curl -fsS -o /dev/null "$1/moto-api/" 2>/dev/null; }

if [ -f "$state" ]; then
  endpoint=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$state")
  if [ -n "$endpoint" ] && answers "$endpoint"; then
    echo "S3 (moto) already running at $endpoint" >&2
    cat "$state"
    exit 0
  fi
fi

if [ ! -x "$venv/bin/moto_server" ]; then
  echo "installing moto[server] into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]>=5,<6' >&2
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
log="${TMPDIR:-/tmp}/turno-s3.log"
# Detached from this shell: the server outlives the script, like PostgreSQL.
nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do answers "$endpoint" && break; sleep 0.5; done
if ! answers "$endpoint"; then
  echo "moto_server did not start at $endpoint (see $log): the S3 tests need it." >&2
  exit 1
fi
# moto checks no signature: a plain PUT creates the bucket.
curl -fsS -o /dev/null -X PUT "$endpoint/$bucket"

cat >"$state" <<EOF
export AWS_ENDPOINT_URL=$endpoint
export AWS_ALLOW_HTTP=true
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=turno-test
export AWS_SECRET_ACCESS_KEY=turno-test
export TURNO_TEST_S3_BUCKET=$bucket
EOF
echo "S3 (moto) ready at $endpoint, bucket $bucket" >&2
cat "$state"
