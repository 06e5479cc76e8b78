#!/usr/bin/env python3
"""Checks BPMN files written by `turno export bpmn` (docs/bpmn.md).

Usage:
  scripts/bpmn-check.py validate FILE...
      Validates each FILE against the OMG BPMN 2.0 schema (fixtures/bpmn/xsd/BPMN20.xsd, with
      lxml). Prints one JSON object: file -> list of "line: message" problems (empty when
      valid). Exits 1 when any file is refused.

  scripts/bpmn-check.py run FILE PROCESS_ID OUTCOMES_JSON
      Runs the process PROCESS_ID of FILE in SpiffWorkflow, an open-source BPMN engine. Every
      user task is completed in turn; a task followed by an exclusive gateway (a decision) is
      completed with the process variable `outcome` set to the next answer of OUTCOMES_JSON (a
      JSON list of strings), which the gateway's conditions read. Prints one JSON object: the
      numbers (`turno:number`) of the completed tasks in order, whether the process ended, and
      the answers left unused. Stops after 1000 tasks (a loop the answers do not leave).

Needs `python3 -m pip install 'SpiffWorkflow>=3,<4'` (lxml comes with it);
scripts/bpmn-tools.sh installs it.
"""

import json
import pathlib
import sys

from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "fixtures/bpmn/xsd/BPMN20.xsd"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TURNO = "urn:turno:bpmn"
MAX_STEPS = 1000


def validate(paths):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    report = {}
    for path in paths:
        document = etree.parse(path)
        schema.validate(document)
        report[path] = [f"{e.line}: {e.message}" for e in list(schema.error_log)[:20]]
    print(json.dumps(report, ensure_ascii=False))
    return 1 if any(report.values()) else 0


def run(path, process_id, outcomes):
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    document = etree.parse(path)
    ns = {"bpmn": BPMN}
    numbers = {}
    decisions = set()
    for task in document.xpath("//bpmn:userTask | //bpmn:callActivity", namespaces=ns):
        numbers[task.get("id")] = task.get(f"{{{TURNO}}}number")
    gateways = {g.get("id") for g in document.xpath("//bpmn:exclusiveGateway", namespaces=ns)}
    for flow in document.xpath("//bpmn:sequenceFlow", namespaces=ns):
        if flow.get("targetRef") in gateways and flow.get("sourceRef") in numbers:
            decisions.add(flow.get("sourceRef"))

    parser = BpmnParser()
    parser.add_bpmn_file(path)
    workflow = BpmnWorkflow(parser.get_spec(process_id))
    workflow.do_engine_steps()
    answers = list(outcomes)
    completed = []
    while not workflow.is_completed() and len(completed) < MAX_STEPS:
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        bpmn_id = task.task_spec.bpmn_id
        if bpmn_id in decisions:
            if not answers:
                break
            task.set_data(outcome=answers.pop(0))
        completed.append(numbers.get(bpmn_id, bpmn_id))
        task.run()
        workflow.do_engine_steps()
    print(json.dumps({
        "completed": completed,
        "ended": workflow.is_completed(),
        "unused": answers,
    }, ensure_ascii=False))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "validate":
        return validate(argv[1:])
    if len(argv) == 4 and argv[0] == "run":
        return run(argv[1], argv[2], json.loads(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
