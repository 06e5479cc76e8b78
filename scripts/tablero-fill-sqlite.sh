#!/bin/bash
# The tableros' benchmark data in SQLite at any size (BENCHMARKS.md «Tableros»), set-based:
# every migration, seed 000 published, the triggers and indexes (but keys) of cases,
# work_items and work_item_units dropped (their text kept), then
# crates/turno-store/benches/fill/tablero-sqlite.sql with :cases and :units 60 (the rows in
# their final state, the tableros' sums grouped once), the triggers and indexes made again and
# ANALYZE; journal_mode=OFF, synchronous=OFF, a 2 GB page cache. Prints each step's time.
# Usage: scripts/tablero-fill-sqlite.sh FILE CASES
set -euo pipefail
DB=$1
CASES=$2
cd "$(git rev-parse --show-toplevel)"
rm -f "$DB" "$DB-wal" "$DB-shm"
for f in crates/turno-store/migrations/sqlite/*.sql; do sqlite3 "$DB" < "$f"; done
src=procedures/sidss-informes-oficiales.toml
sqlite3 "$DB" "INSERT INTO procedure_versions (key, version, title, source_text, source_sha256, published_at) VALUES ('sidss-informes-oficiales', 1, 'seed 000', readfile('$src'), '$(sha256sum $src | cut -d' ' -f1)', '2026-12-07T00:00:00Z')"
kept="SELECT sql || ';' FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
      AND tbl_name IN ('cases', 'work_items', 'work_item_units')"
sqlite3 "$DB" "$kept" > "$DB.kept.sql"
sqlite3 "$DB" "SELECT 'DROP ' || type || ' ' || name || ';' FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('cases', 'work_items', 'work_item_units')" | sqlite3 "$DB"
bulk="PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA temp_store=MEMORY;"
uptime
start=$(date +%s)
sed -e "s/:cases/$CASES/g" -e "s/:units/60/g" crates/turno-store/benches/fill/tablero-sqlite.sql > "$DB.fill.sql"
sqlite3 "$DB" <<SQL
$bulk
.timer on
.echo on
.read $DB.fill.sql
SQL
mid=$(date +%s); echo "fill: $((mid - start)) s"; uptime
sqlite3 "$DB" <<SQL
$bulk
.timer on
.echo on
.read $DB.kept.sql
SQL
idx=$(date +%s); echo "triggers and indexes: $((idx - mid)) s"; uptime
sqlite3 "$DB" "ANALYZE; PRAGMA journal_mode=WAL;"
end=$(date +%s); echo "ANALYZE: $((end - idx)) s; in all $((end - start)) s"; uptime
rm -f "$DB.kept.sql" "$DB.fill.sql"
du -h "$DB"
