// Reads each BPMN file given with bpmn-moddle, the model bpmn.io (bpmn-js, Camunda Modeler)
// imports files with, and prints one JSON object: file -> its warnings (unknown elements,
// unresolved references…) and error, if any; with the number of flow elements, lanes and
// diagram shapes read. Exits 1 when any file has a warning or an error.
//
// Usage: node scripts/bpmn-moddle/check.mjs FILE...   (scripts/bpmn-tools.sh installs it)
import { readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';

const moddle = new BpmnModdle();
const report = {};
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const xml = await readFile(file, 'utf8');
    const { rootElement, warnings } = await moddle.fromXML(xml);
    const proc = rootElement.rootElements.find((e) => e.$type === 'bpmn:Process');
    const plane = rootElement.diagrams?.[0]?.plane;
    report[file] = {
      warnings: warnings.map((w) => w.message),
      flowElements: proc?.flowElements?.length ?? 0,
      lanes: proc?.laneSets?.[0]?.lanes?.length ?? 0,
      diagramElements: plane?.planeElement?.length ?? 0,
    };
    if (warnings.length > 0) failed = true;
  } catch (error) {
    report[file] = { error: String(error?.message ?? error) };
    failed = true;
  }
}
console.log(JSON.stringify(report));
process.exitCode = failed ? 1 : 0;
