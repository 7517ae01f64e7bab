/** Shared helpers for cross-layer tests: load example documents and run them through the protocol. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import type { NetworkPlan } from '../engine/core/plan.ts';
import { EngineClient } from '../engine/protocol/client.ts';
import type { EngineEvent, Endpoint, EngineMessage, Request } from '../engine/protocol/messages.ts';
import type { RunStats } from '../engine/sim/stats.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function loadExample(name: string): GraphDocument {
  const text = readFileSync(path.join(ROOT, 'examples', name), 'utf8');
  const r = loadDocument(text);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.doc;
}

export function planOf(doc: GraphDocument, overrides: { durationMs?: number; seed?: number } = {}): NetworkPlan {
  const c = compileDocument(doc, overrides);
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
  return c.plan;
}

export interface Recorded {
  stats: RunStats;
  /** monitorId/source → flat (neuron, step) pairs. */
  spikes: Map<string, { neuron: number[]; step: number[] }>;
}

/** Run a plan to the end through the protocol on any host's endpoint. */
export async function runThrough(endpoint: Endpoint<EngineMessage, Request>, plan: NetworkPlan): Promise<Recorded> {
  const client = new EngineClient(endpoint);
  const spikes = new Map<string, { neuron: number[]; step: number[] }>();
  const done = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve, reject) => {
    client.onEvent((e) => {
      if (e.type === 'spikes') {
        const key = `${e.monitorId}/${e.source}`;
        const s = spikes.get(key) ?? { neuron: [], step: [] };
        s.neuron.push(...e.neuron);
        s.step.push(...e.step);
        spikes.set(key, s);
      } else if (e.type === 'finished') resolve(e);
      else if (e.type === 'failed') reject(new Error(e.error.message));
    });
  });
  await client.hello();
  await client.run(plan);
  const end = await done;
  client.dispose();
  return { stats: end.stats, spikes };
}
