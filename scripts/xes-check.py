#!/usr/bin/env python3
"""Checks a log written by `turno export xes` (docs/process-mining.md).

Usage: scripts/xes-check.py FILE

Validates FILE against the XML schema of IEEE 1849-2016 (fixtures/xes/xes-ieee-1849-2016.xsd,
with lxml), then reads it with pm4py, a process-mining library, and discovers its
directly-follows graph. Prints one JSON object: whether it is valid, the traces pm4py read, the
activities (concept:name) it found, the directly-follows graph's arcs and its start and end
activities. Exits 1 when the schema refuses the file.

Needs `python3 -m pip install pm4py` (lxml comes with it).
"""

import json
import pathlib
import sys

from lxml import etree

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "fixtures/xes/xes-ieee-1849-2016.xsd"


def main(path):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.parse(path)
    valid = schema.validate(document)
    errors = [f"{e.line}: {e.message}" for e in list(schema.error_log)[:10]]

    import pm4py

    log = pm4py.read_xes(path, return_legacy_log_object=True)
    dfg, starts, ends = pm4py.discover_dfg(log)
    activities = sorted({event["concept:name"] for trace in log for event in trace})
    print(json.dumps({
        "valid": valid,
        "errors": errors,
        "traces": len(log),
        "events": sum(len(trace) for trace in log),
        "activities": activities,
        "dfg_arcs": len(dfg),
        "start_activities": sorted(starts),
        "end_activities": sorted(ends),
    }, ensure_ascii=False))
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
