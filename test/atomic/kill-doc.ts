/**
 * The large document the atomic-write kill test writes: a real Spikeflow
 * document (two LIF populations, one projection with inline stored weights),
 * serialized by the format's own writer. `variant` changes every weight, so
 * the two versions differ all through the file.
 */
import { newDocument, serializeDocument } from '../../engine/format/load.ts';
import { defaultParams, getKind } from '../../engine/kinds/index.ts';

export function killTestDocument(variant: 0 | 1, synapses: number): string {
  const doc = newDocument(`kill test ${variant}`, { clock: () => new Date('2026-01-01T00:00:00Z') });
  const n = 1000;
  doc.nodes.push(
    { id: 'a', kind: 'lif-curr-exp', label: 'a', position: { x: 0, y: 0 }, params: { ...defaultParams(getKind('lif-curr-exp')!.params), size: n } },
    { id: 'b', kind: 'lif-curr-exp', label: 'b', position: { x: 300, y: 0 }, params: { ...defaultParams(getKind('lif-curr-exp')!.params), size: n } },
  );
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  for (let k = 0; k < synapses; k++) {
    pre.push(k % n);
    post.push((k * 7919 + variant) % n);
    w.push(((k * 2654435761) % 1000003) / 1000003 / (variant + 1) + 1e-7);
  }
  doc.edges.push({
    id: 'ab',
    source: { node: 'a', port: 'spikes' },
    target: { node: 'b', port: 'in' },
    params: { rule: 'all-to-all', weight: 0.1, delay_ms: 1, receptor: 'exc' },
    weights: { pre, post, w },
  } as (typeof doc.edges)[number]);
  return serializeDocument(doc);
}
