#!/bin/bash
# The tableros' benchmark data in PostgreSQL at any size (BENCHMARKS.md «Tableros»), set-based:
# a schema made by the migrations (psql -f each), seed 000 published, then
# crates/turno-store/benches/fill/tablero-postgres.sql with :cases and :units 60 (its triggers
# off, the sums computed at once) and VACUUM ANALYZE, each statement timed. At 127.0.0.1:5432,
# database test. Usage: scripts/tablero-fill-postgres.sh SCHEMA CASES
set -euo pipefail
SCHEMA=$1
CASES=$2
cd "$(git rev-parse --show-toplevel)"
export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=test
psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA"
export PGOPTIONS="-c search_path=$SCHEMA -c client_min_messages=warning -c work_mem=256MB -c maintenance_work_mem=512MB"
for f in crates/turno-store/migrations/postgres/*.sql; do psql -q -v ON_ERROR_STOP=1 -f "$f" > /dev/null; done
src=procedures/sidss-informes-oficiales.toml
psql -q -v ON_ERROR_STOP=1 -v src="$(cat $src)" -v sha="$(sha256sum $src | cut -d' ' -f1)" \
  <<< "INSERT INTO procedure_versions (key, version, title, source_text, source_sha256, published_at) VALUES ('sidss-informes-oficiales', 1, 'seed 000', :'src', :'sha', '2026-12-07T00:00:00Z')"
uptime
start=$(date +%s)
(echo '\timing on'; cat crates/turno-store/benches/fill/tablero-postgres.sql) |
  psql -e -v ON_ERROR_STOP=1 -v cases="$CASES" -v units=60
mid=$(date +%s); echo "fill: $((mid - start)) s"; uptime
psql -c '\timing on' -c "VACUUM ANALYZE"
end=$(date +%s); echo "VACUUM ANALYZE: $((end - mid)) s"; uptime
psql -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relkind = 'r'"
