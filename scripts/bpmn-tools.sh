#!/usr/bin/env bash
# What the BPMN export's tests need (docs/bpmn.md): SpiffWorkflow (an open-source BPMN engine,
# with lxml for the OMG schema) and bpmn-moddle (the model bpmn.io reads files with, pinned by
# scripts/bpmn-moddle/package-lock.json). Quick when they are already there. scripts/test.sh
# runs it; alone: scripts/bpmn-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import SpiffWorkflow, lxml" >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check 'SpiffWorkflow>=3.2,<4'
fi
if [[ ! -e scripts/bpmn-moddle/node_modules/bpmn-moddle/package.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  npm ci --prefix scripts/bpmn-moddle --no-audit --no-fund --silent
fi
