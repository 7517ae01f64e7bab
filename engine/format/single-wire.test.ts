import { describe, it, expect, vi } from 'vitest';
import type { NodeKind } from '../kinds/index.ts';
import type * as KindsModule from '../kinds/index.ts';

// No shipped kind has a single-wire input yet, so this file adds a test-only one.
vi.mock('../kinds/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof KindsModule>();
  const single = {
    id: 'test-single-input',
    label: 'Single input',
    category: 'monitor',
    help: 'Test only.',
    inputs: [{ id: 'drive', label: 'drive', type: 'current', role: 'inject', multiple: false }],
    outputs: [],
    params: {},
    runtime: { role: 'monitor', records: 'spikes' },
  } as unknown as NodeKind;
  return { ...real, KINDS: [...real.KINDS, single], getKind: (id: string) => (id === single.id ? single : real.getKind(id)) };
});

const { connectionProblem } = await import('./connect.ts');
const { newDocument } = await import('./load.ts');
const { validateDocument } = await import('./validate.ts');
const { defaultParams, getKind } = await import('../kinds/index.ts');

function doc() {
  const d = newDocument('single', { clock: () => new Date(0) });
  d.nodes = [
    { id: 'dc1', kind: 'dc-current', label: 'dc1', position: { x: 0, y: 0 }, params: defaultParams(getKind('dc-current')!.params) },
    { id: 'dc2', kind: 'dc-current', label: 'dc2', position: { x: 0, y: 0 }, params: defaultParams(getKind('dc-current')!.params) },
    { id: 's', kind: 'test-single-input', label: 's', position: { x: 0, y: 0 }, params: {} },
  ];
  d.edges = [{ id: 'w1', source: { node: 'dc1', port: 'current' }, target: { node: 's', port: 'drive' }, params: {} }];
  return d;
}

describe('an input that takes a single wire', () => {
  it('refuses a second wire while dragging', () => {
    expect(connectionProblem(doc(), { node: 'dc2', port: 'current' }, { node: 's', port: 'drive' })).toBe('Input "drive" of node "s" (Single input) takes a single wire and already has one.');
  });

  it('allows moving the existing wire to another source', () => {
    expect(connectionProblem(doc(), { node: 'dc2', port: 'current' }, { node: 's', port: 'drive' }, { ignoreEdge: 'w1' })).toBeNull();
  });

  it('is reported on the second wire of a loaded document, naming the first', () => {
    const d = doc();
    d.edges.push({ id: 'w2', source: { node: 'dc2', port: 'current' }, target: { node: 's', port: 'drive' }, params: {} });
    expect(validateDocument(d)).toEqual([
      {
        pointer: '/edges/1/target',
        edgeId: 'w2',
        field: 'target',
        message: 'Edge "w2" (dc2.current → s.drive), field target: input "drive" of node "s" (Single input) takes a single wire, but edge "w1" already feeds it.',
      },
    ]);
  });
});
