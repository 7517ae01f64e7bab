/**
 * The CLI runs a projection whose weights live in a `.npz` (scipy.sparse, as
 * scipy wrote it), a `.npy` or a `.csv` beside the document, and names the wire
 * and the file when one does not fit.
 */
import { describe, it, expect } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import type { CliIo } from '../engine/hosts/cli-common.ts';
import { ROOT } from './helpers.ts';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += `${s}\n`), err: (s) => void (err += `${s}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

/** 3 generator channels firing at 1 ms into 2 integrators observed by a spike monitor; the wire's weights in `file`. */
function writeDoc(dir: string, file: string, targetSize = 2): string {
  const doc = {
    format: 'spikeflow-graph',
    version: 2,
    simulation: { dt_ms: 0.1, duration_ms: 3, seed: 1 },
    nodes: [
      { id: 'src', kind: 'spike-generator', params: { size: 3, neurons: [0, 1, 2], times_ms: [1, 1, 1] } },
      { id: 'out', kind: 'if-delta', params: { size: targetSize, v_th_mv: 1.75, t_ref_ms: 0 } },
      { id: 'mon', kind: 'spike-monitor', params: {} },
    ],
    edges: [
      { id: 'w1', source: { node: 'src', port: 'spikes' }, target: { node: 'out', port: 'in' }, params: {}, weights: { file } },
      { id: 'm', source: { node: 'out', port: 'spikes' }, target: { node: 'mon', port: 'spikes' }, params: {} },
    ],
  };
  const p = path.join(dir, 'net.spikeflow.json');
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

describe('explicit weights from side files in the CLI', () => {
  it('runs a projection whose weights are a scipy.sparse .npz, a .npy matrix or a CSV synapse list beside the document', async () => {
    // W = [[0, 1.5, 0], [2, 0, -3]] as scipy and NumPy wrote it; threshold 1.75 mV: target 0 gets 1.5 and
    // target 1 gets 2 − 3 = −1, so nothing fires. The CSV flips the last weight to +3: target 1 gets 5 and fires once.
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-explicit-'));
    copyFileSync(path.join(ROOT, 'test/fixtures/weights/csr.npz'), path.join(dir, 'w.npz'));
    const r = await cli(['run', writeDoc(dir, 'w.npz'), '--json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).synapses).toBe(3);
    expect(JSON.parse(r.out).spikes).toBe(0);
    copyFileSync(path.join(ROOT, 'test/fixtures/weights/dense.npy'), path.join(dir, 'w.npy'));
    const n = await cli(['run', writeDoc(dir, 'w.npy'), '--json']);
    expect(JSON.parse(n.out).synapses).toBe(3);
    writeFileSync(path.join(dir, 'w.csv'), 'pre,post,w\n1,0,1.5\n0,1,2\n2,1,3\n');
    const c = await cli(['run', writeDoc(dir, 'w.csv'), '--json']);
    expect(c.err).toBe('');
    expect(JSON.parse(c.out).spikes).toBe(1);
  });

  it('refuses a matrix that does not fit the populations, naming the wire, the field and the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-explicit-'));
    copyFileSync(path.join(ROOT, 'test/fixtures/weights/dense.npy'), path.join(dir, 'w.npy'));
    const r = await cli(['run', writeDoc(dir, 'w.npy', 4), '--json']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Edge "w1" (src → out), field weights.dense: has 2 rows, but the target "out" has 4 neurons (one row per target neuron) (read from "w.npy")');
  });
});
