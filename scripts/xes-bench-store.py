#!/usr/bin/env python3
"""A large store for measuring `turno export xes` (BENCHMARKS.md, «The event log as XES»).

Usage: scripts/xes-bench-store.py SOURCE.db TARGET.db COPIES

Copies the SQLite database SOURCE (the demo's, `turno demo --db SOURCE.db`) to TARGET and adds
COPIES copies of every case with its events: the same procedures, paths and times under new
folios (`FOLIO-cN`). The copies' hash chains are the originals' (their folio differs), so
`turno verify` reports them: the database is for reading the log, not for anything else. The
triggers on events (notifications, overdue flags) are dropped in TARGET before the copy so
that it only measures the log.
"""

import shutil
import sqlite3
import sys


def main(source, target, copies):
    shutil.copyfile(source, target)
    db = sqlite3.connect(target)
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('events', 'cases')"
    ).fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    last = db.execute("SELECT max(id) FROM cases").fetchone()[0]
    step = db.execute("SELECT max(folio_number) FROM cases").fetchone()[0] + 1
    columns = (
        "folio_scope, folio_year, procedure_key, procedure_version, title, channel, "
        "requester, status, fields, created_at, closed_at, version, state, head_hash"
    )
    for n in range(1, copies + 1):
        db.execute(
            f"INSERT INTO cases (folio, folio_number, {columns}) "
            f"SELECT folio || '-c{n}', folio_number + {n * step}, {columns} "
            f"FROM cases WHERE id <= ? ORDER BY id",
            (last,),
        )
        db.execute(
            "INSERT INTO events (case_id, seq, kind, payload, schema_version, actor, "
            "recorded_at, prev_hash, hash) "
            "SELECT copy.id, e.seq, e.kind, e.payload, e.schema_version, e.actor, "
            "e.recorded_at, e.prev_hash, e.hash FROM events e "
            "JOIN cases c ON c.id = e.case_id "
            "JOIN cases copy ON copy.folio = c.folio || ? "
            "WHERE c.id <= ? ORDER BY copy.id, e.seq",
            (f"-c{n}", last),
        )
        if n % 50 == 0:
            db.commit()
    db.commit()
    cases, events = db.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM events)"
    ).fetchone()
    print(f"{target}: {cases} casos, {events} eventos")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
