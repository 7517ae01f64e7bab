/**
 * The learning part of compilation (issue 5): classifier readouts (with the
 * encoder whose labels they read) and reward nodes (with the readout they
 * listen to and the reward-modulated plasticity nodes they reach). Wires of
 * type `label` and `modulator` end here; compile.ts skips them.
 */
import type { DocIssue, GraphDocument } from '../format/document.ts';
import { getKind } from '../kinds/index.ts';
import { inputDataset } from '../kinds/encoder-input.ts';
import type { LearningPlan, ModulatorPlan, PopulationPlan, ReadoutPlan } from '../core/plan.ts';

type Resolve = (nodeId: string) => Record<string, unknown>;

export function compileLearning(doc: GraphDocument, popIndex: ReadonlyMap<string, number>, populations: readonly PopulationPlan[], resolve: Resolve, issues: DocIssue[]): LearningPlan | undefined {
  const readouts: ReadoutPlan[] = [];
  const modulators: ModulatorPlan[] = [];
  const issue = (nodeId: string, field: string, message: string, param = true) => {
    const ni = doc.nodes.findIndex((n) => n.id === nodeId);
    const node = doc.nodes[ni];
    const who = node?.label ? `"${nodeId}" (${node.label})` : `"${nodeId}"`;
    issues.push({ pointer: param ? `/nodes/${ni}/params/${field}` : `/nodes/${ni}`, nodeId, field, message: `Node ${who}, ${param ? 'field' : 'input'} ${field}: ${message}` });
  };
  const wireInto = (nodeId: string, port: string) => doc.edges.find((e) => e.target.node === nodeId && e.target.port === port);
  let phased: string | null = null;
  for (const node of doc.nodes) {
    const rt = getKind(node.kind)?.runtime;
    if (rt?.role !== 'readout') continue;
    const params = resolve(node.id);
    const spikes = wireInto(node.id, 'spikes');
    const label = wireInto(node.id, 'label');
    const observed = spikes ? popIndex.get(spikes.source.node) : undefined;
    const encoder = label ? popIndex.get(label.source.node) : undefined;
    if (observed === undefined || getKind(populations[observed].kind)?.runtime.role !== 'neurons') {
      issue(node.id, 'spikes', 'wire the output neuron population into "spikes".', false);
      continue;
    }
    if (encoder === undefined) {
      issue(node.id, 'label', 'wire a dataset encoder\'s "label" output into "label" (the readout needs the labels and presentation times).', false);
      continue;
    }
    const enc = populations[encoder];
    const dataset = inputDataset(enc.params);
    if (!dataset) {
      issue(node.id, 'label', `the encoder "${enc.nodeId}" shows fixed values, not a dataset: set its input to the digits or your dataset.`, false);
      continue;
    }
    const size = populations[observed].size;
    const classes = params.classes as number;
    if (params.assignment === 'fixed' && size < classes) {
      issue(node.id, 'classes', `fixed assignment needs at least one output neuron per class (${classes} classes, "${populations[observed].nodeId}" has ${size} neurons).`);
    }
    const testFirst = params.test_first as number;
    const testCount = params.test_count as number;
    if (testCount > 0 && testFirst + testCount > dataset.count) {
      issue(node.id, 'test_count', `held-out samples ${testFirst}…${testFirst + testCount - 1} run past the encoder's dataset (${dataset.count} samples).`);
    }
    const phases = (params.train_presentations as number) + (params.label_presentations as number) + (params.test_presentations as number);
    if (phases > 0) {
      if (phased) issue(node.id, 'train_presentations', `only one readout may define phases; "${phased}" already does (set train, label and test to 0 here).`);
      phased = node.id;
    }
    readouts.push({ nodeId: node.id, params, observed, encoder });
  }
  for (const node of doc.nodes) {
    const rt = getKind(node.kind)?.runtime;
    if (rt?.role !== 'modulator') continue;
    const params = resolve(node.id);
    const targets = doc.edges
      .filter((e) => e.source.node === node.id)
      .map((e) => e.target.node)
      .filter((id) => getKind(doc.nodes.find((n) => n.id === id)?.kind ?? '')?.runtime.role === 'plasticity');
    let readout: string | undefined;
    if (params.source === 'readout' || params.source === 'presentations') {
      const w = wireInto(node.id, 'readout');
      const from = w && doc.nodes.find((n) => n.id === w.source.node);
      if (!from || getKind(from.kind)?.runtime.role !== 'readout') {
        issue(
          node.id,
          'readout',
          `with reward ${params.source === 'readout' ? 'from a readout' : 'per presentation'}, wire a classifier readout's "outcome" into "readout" (it gives the presentation times).`,
          false,
        );
        continue;
      }
      if (!readouts.some((r) => r.nodeId === from.id)) continue;
      readout = from.id;
    }
    modulators.push({ nodeId: node.id, params, ...(readout ? { readout } : {}), targets });
  }
  return readouts.length + modulators.length > 0 ? { readouts, modulators } : undefined;
}
