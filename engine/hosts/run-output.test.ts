import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkPlan } from '../core/plan.ts';
import type { EngineEvent } from '../protocol/messages.ts';
import { RunRecorder, writeRunOutput } from './run-output.ts';
import { main } from './cli.ts';
import { newDocument, serializeDocument } from '../format/load.ts';
import { defaultParams, getKind } from '../kinds/index.ts';
import type { DocEdge, DocNode } from '../format/document.ts';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-out-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A plan with populations a (10) and b (10) and one monitor over both. */
function planWith(kind: string, params: Record<string, unknown>): NetworkPlan {
  return {
    dtMs: 0.5,
    populations: [
      { nodeId: 'a', kind: 'lif-curr-exp', size: 10, params: {} },
      { nodeId: 'b', kind: 'lif-curr-exp', size: 10, params: {} },
    ],
    monitors: [{ nodeId: 'm', kind, sources: [0, 1], params }],
  } as unknown as NetworkPlan;
}

const spikes = (source: number, steps: number[]): EngineEvent =>
  ({ type: 'spikes', runId: 1, monitorId: 'm', source, neuron: Int32Array.from(steps, (s) => s % 10), step: Int32Array.from(steps) }) as EngineEvent;

const lines = async (name: string) => (await fsp.readFile(path.join(dir, name), 'utf8')).trimEnd().split('\n');

describe('RunRecorder and writeRunOutput', () => {
  it('keeps the first max_spikes spikes of a whole-run monitor, counts the rest as dropped, and writes them streamed', async () => {
    const plan = planWith('spike-monitor', { keep: 'all', max_spikes: 5 });
    const r = new RunRecorder(plan);
    r.accept(spikes(0, [1, 2, 3]));
    r.accept(spikes(1, [2, 4]));
    r.accept(spikes(0, [7, 9]));
    r.finish(20);
    expect(r.dropped()).toEqual({ m: 2 });
    const files = await writeRunOutput(dir, r, plan, []);
    expect(files.spike_files).toEqual(['m.a.spikes.csv', 'm.b.spikes.csv']);
    expect(await lines('m.a.spikes.csv')).toEqual(['neuron,t_ms', '1,0.5', '2,1', '3,1.5']);
    expect(await lines('m.b.spikes.csv')).toEqual(['neuron,t_ms', '2,1', '4,2']);
  });

  it('keeps only the last window_ms of a windowed monitor, up to its cap', () => {
    // window 2 ms = 4 steps at dt 0.5: at the end (step 19) steps 16..19 stay.
    const plan = planWith('spike-monitor', { keep: 'window', window_ms: 2, max_spikes: 1000 });
    const r = new RunRecorder(plan);
    r.accept(spikes(0, [1, 5, 15, 16]));
    r.accept(spikes(1, [17, 19]));
    r.finish(20);
    expect(r.dropped()).toEqual({ m: 3 });
    expect(r.heldBytes()).toBe(8 * 3);
  });

  it('writes header-only CSVs and empty arrays for populations that never fired, and lists them', async () => {
    const plan = planWith('spike-monitor', {});
    const r = new RunRecorder(plan);
    r.accept(spikes(1, [3]));
    r.finish(10);
    const files = await writeRunOutput(dir, r, plan, []);
    expect(files.spike_files).toEqual(['m.a.spikes.csv', 'm.b.spikes.csv']);
    expect(files.npz_files).toEqual(['m.npz']);
    expect(await lines('m.a.spikes.csv')).toEqual(['neuron,t_ms']);
    const npz = await fsp.readFile(path.join(dir, 'm.npz'));
    expect(npz.includes('a_neuron.npy')).toBe(true);
    expect(npz.includes("'shape': (0,)")).toBe(true);
  });

  it("halves a decimating state monitor's sampling each time its value cap is reached", () => {
    const plan = planWith('state-monitor', { keep: 'decimate', max_values: 8, variable: 'v' });
    const r = new RunRecorder(plan);
    const state = (step0: number, rows: number): EngineEvent =>
      ({ type: 'state', runId: 1, monitorId: 'm', source: 0, variable: 'v', neurons: Int32Array.of(0, 1), everySteps: 1, step0: 0, values: new Float32Array(rows * 2).fill(step0) }) as EngineEvent;
    r.accept(state(0, 4)); // rows 0..3: 8 values, at the cap
    r.accept(state(4, 4)); // rows 4..7: 16 > 8 → every other row (0, 2, 4, 6) = 8 values
    expect(r.heldBytes()).toBe(4 * 8);
    expect(r.dropped()).toEqual({ m: 8 });
    r.accept(state(8, 4)); // rows 8, 10 join at stride 2 → 12 > 8 → stride 4: rows 0, 4, 8
    expect(r.heldBytes()).toBe(4 * 6);
  });
});

describe('spikeflow run --out', () => {
  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
    return { code, out, err };
  }

  /** Poisson input (2 kHz) into "busy"; "quiet" has no input; one spike monitor on both. */
  async function writeDoc(maxSpikes: number): Promise<string> {
    const doc = newDocument('silent');
    doc.simulation.duration_ms = 1000;
    const node = (id: string, kind: string, params: Record<string, unknown>): DocNode => ({
      id,
      kind,
      label: id,
      position: { x: 0, y: 0 },
      params: { ...defaultParams(getKind(kind)!.params), ...params },
    });
    doc.nodes.push(
      node('in', 'poisson-source', { size: 20, rate_hz: 2000 }),
      node('busy', 'lif-curr-exp', { size: 5 }),
      node('quiet', 'lif-curr-exp', { size: 5 }),
      node('mon', 'spike-monitor', { max_spikes: maxSpikes }),
    );
    const edge = (id: string, from: string, to: string, port: string, params: Record<string, unknown> = {}): DocEdge => ({
      id,
      source: { node: from, port: 'spikes' },
      target: { node: to, port },
      params,
    });
    doc.edges.push(edge('e1', 'in', 'busy', 'in', { rule: 'all-to-all', weight: 5, delay_ms: 0.1, receptor: 'exc' }), edge('m1', 'busy', 'mon', 'spikes'), edge('m2', 'quiet', 'mon', 'spikes'));
    const file = path.join(dir, 'net.spikeflow.json');
    await fsp.writeFile(file, serializeDocument(doc));
    return file;
  }

  it("gives a silent population its files and honours the monitor's spike cap, saying what it dropped", async () => {
    const file = await writeDoc(1000);
    const out = path.join(dir, 'out');
    const r = await cli(['run', file, '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(await fsp.readFile(path.join(out, 'run.json'), 'utf8'));
    expect(run.spike_files).toEqual(['mon.busy.spikes.csv', 'mon.quiet.spikes.csv']);
    expect(await fsp.readFile(path.join(out, 'mon.quiet.spikes.csv'), 'utf8')).toBe('neuron,t_ms\n');
    const busy = (await fsp.readFile(path.join(out, 'mon.busy.spikes.csv'), 'utf8')).trimEnd().split('\n');
    const fired = run.stats.populations.find((p: { nodeId: string }) => p.nodeId === 'busy').spikes;
    expect(fired).toBeGreaterThan(1000);
    expect(busy.length - 1).toBe(1000);
    expect(run.dropped).toEqual({ mon: fired - 1000 });
    expect(r.err).toMatch(/monitor "mon" kept its cap/);
    expect(run.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['in', 'busy', 'quiet', 'mon']);
  });
});

describe('resource bounds of spikeflow run', () => {
  async function cli(args: string[], memoryLimitBytes?: number) {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), memoryLimitBytes });
    return { code, out, err };
  }

  it("refuses --out before the run when the monitors' caps would pass the memory limit, naming the monitor and the field", async () => {
    const doc = newDocument('big output');
    doc.simulation.duration_ms = 100_000;
    doc.nodes.push(
      { id: 'in', kind: 'poisson-source', label: 'in', position: { x: 0, y: 0 }, params: { ...defaultParams(getKind('poisson-source')!.params), size: 100_000 } },
      { id: 'mon', kind: 'spike-monitor', label: 'mon', position: { x: 0, y: 0 }, params: { ...defaultParams(getKind('spike-monitor')!.params), max_spikes: 100_000_000 } },
    );
    doc.edges.push({ id: 'm', source: { node: 'in', port: 'spikes' }, target: { node: 'mon', port: 'spikes' }, params: {} });
    const file = path.join(dir, 'big.spikeflow.json');
    await fsp.writeFile(file, serializeDocument(doc));
    const t0 = performance.now();
    const r = await cli(['run', file, '--out', path.join(dir, 'out')], 500e6);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/what --out keeps \(about 800\.0 MB\) need more than the limit of 500\.0 MB; lower monitor "mon"'s max_spikes or the run's duration_ms\./);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('bounds a training by --duration-ms: samples × presentation window of simulated time', async () => {
    const { smallTrainingDocument } = await import('../test-support/test-docs.ts');
    const file = path.join(dir, 'train.spikeflow.json');
    await fsp.writeFile(file, serializeDocument(smallTrainingDocument({ epochs: 50, samples: 100, trainer: { check_in_simulation: false } })));
    // presentation 12 ms: 1200 ms = 100 samples, i.e. inside the second epoch of 80.
    const r = await cli(['run', file, '--duration-ms', '1200', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).training).toMatchObject({ epochs: 2, epochsPlanned: 50, budgetSpent: true });
  });

  it('validate refuses a trainer whose memory passes the limit, as the run would, naming the node and the field', async () => {
    const { smallTrainingDocument } = await import('../test-support/test-docs.ts');
    const doc = smallTrainingDocument();
    doc.nodes[2].params.size = 100_000_000;
    const file = path.join(dir, 'huge.spikeflow.json');
    await fsp.writeFile(file, serializeDocument(doc));
    const r = await cli(['validate', file], 1e9);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the training needs about .* GB, more than this machine's limit of 1\.00 GB; make "out" smaller \(field size\)\./);
  });
});
