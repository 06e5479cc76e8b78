#!/usr/bin/env bash
# Makes sure the PostgreSQL the storage tests use is up at 127.0.0.1:5432 (user postgres,
# database test, trust auth), starting or installing it when this machine can, and clears the
# schemas earlier test runs left behind. Fails loudly: the storage tests never skip
# PostgreSQL.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 -U postgres 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi

if ! ready && command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi

if ! ready; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432: the storage tests need it." >&2
  exit 1
fi

psql -h 127.0.0.1 -U postgres -d test -qtAc "SELECT 1" >/dev/null 2>&1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"

# Schemas of earlier runs (a test that panics leaves its schema behind).
psql -h 127.0.0.1 -U postgres -d test -qtAc \
  "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'turno_test_%'" |
  while read -r schema; do
    PGOPTIONS="--client-min-messages=warning" psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA \"$schema\" CASCADE" >/dev/null
  done
echo "PostgreSQL ready at 127.0.0.1:5432"
