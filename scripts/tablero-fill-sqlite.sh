#!/bin/bash
# The tableros' benchmark data in SQLite at any size (BENCHMARKS.md «Tableros»), set-based:
# every migration but 0044, seed 000 published, crates/turno-store/benches/fill/tablero-sqlite.sql
# with :cases and :units 60, then migration 0044 itself, whose INSERT … SELECT computes the sums
# of the work recorded before it (as on a database upgraded to it), and ANALYZE. Prints each
# step's time. Usage: scripts/tablero-fill-sqlite.sh FILE CASES
set -euo pipefail
DB=$1
CASES=$2
cd "$(git rev-parse --show-toplevel)"
rm -f "$DB" "$DB-wal" "$DB-shm"
for f in crates/turno-store/migrations/sqlite/*.sql; do
  case $f in *0044_*) continue ;; esac
  sqlite3 "$DB" < "$f"
done
src=procedures/sidss-informes-oficiales.toml
sqlite3 "$DB" "INSERT INTO procedure_versions (key, version, title, source_text, source_sha256, published_at) VALUES ('sidss-informes-oficiales', 1, 'seed 000', readfile('$src'), '$(sha256sum $src | cut -d' ' -f1)', '2026-12-07T00:00:00Z')"
bulk="PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA temp_store=MEMORY;"
uptime
start=$(date +%s)
sqlite3 "$DB" <<SQL
$bulk
.parameter set :cases $CASES
.parameter set :units 60
.timer on
.read crates/turno-store/benches/fill/tablero-sqlite.sql
SQL
mid=$(date +%s); echo "fill: $((mid - start)) s"; uptime
sqlite3 "$DB" <<SQL
$bulk
.timer on
.read crates/turno-store/migrations/sqlite/0044_tableros.sql
SQL
sums=$(date +%s); echo "migration 0044 (sums, indexes): $((sums - mid)) s"; uptime
sqlite3 "$DB" "ANALYZE; PRAGMA journal_mode=WAL;"
end=$(date +%s); echo "ANALYZE: $((end - sums)) s; in all $((end - start)) s"; uptime
du -h "$DB"
