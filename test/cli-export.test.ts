/**
 * `spikeflow export FILE --to brian2 [-o net.py]` through the real CLI
 * (bin/spikeflow.mjs): the script it writes runs on Brian2 and fires where
 * Spikeflow does; what it cannot express is named on stderr and in the header.
 */
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';
import { hasBrian2, PYTHON, requireTool } from './require-tool.ts';
import { newDocument } from '../engine/format/load.ts';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../engine/kinds/index.ts';

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const cli = (args: string[]) => run(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args]);

/** A generator spiking at 1, 2.05 and 5 ms drives one lif-delta neuron over threshold each time (0.3 ms delay). */
function tinyDocument(dir: string): string {
  const doc = newDocument('tiny');
  doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: 10, seed: 1 };
  doc.nodes = [
    {
      id: 'gen',
      kind: 'spike-generator',
      label: 'gen',
      position: { x: 0, y: 0 },
      params: { ...defaultParams(getKind('spike-generator')!.params), size: 1, neurons: [0, 0, 0], times_ms: [1, 2.05, 5] },
    },
    {
      id: 'cell',
      kind: 'lif-delta',
      label: 'cell',
      position: { x: 0, y: 0 },
      params: { ...defaultParams(getKind('lif-delta')!.params), size: 1, v_rest_mv: 0, v_reset_mv: 0, v_th_mv: 10, v_init_mv: 0, t_ref_ms: 0.5 },
    },
  ];
  doc.edges = [
    {
      id: 'w',
      source: { node: 'gen', port: 'spikes' },
      target: { node: 'cell', port: 'in' },
      params: { ...defaultParams(PROJECTION_PARAMS), rule: 'all-to-all', weight: 15, delay_ms: 0.3, receptor: 'exc' },
    },
  ];
  const file = path.join(dir, 'tiny.spikeflow.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('spikeflow export --to brian2', () => {
  it('refuses an unknown target with a usage error naming the choice', async () => {
    const r = await cli(['export', 'examples/cuba.spikeflow.json', '--to', 'matlab']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to needs one of "brian2", "pynn", "nir" (got "matlab")');
  });

  it('names on stderr and in the script header every node and wire it leaves out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-export-'));
    const out = path.join(dir, 'reward.py');
    const r = await cli(['export', 'examples/reward-stdp.spikeflow.json', '--to', 'brian2', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('spikeflow: not exported: '));
    expect(lines).toContain('spikeflow: not exported: node reward — reward signals have no Brian2 equivalent');
    const script = readFileSync(out, 'utf8');
    for (const l of lines) expect(script).toContain(`  ${l.slice('spikeflow: '.length)}`);
    expect(r.stdout).toContain(`(${lines.length} item(s) not exported, listed above and in its header)`);
  });

  it("writes a network's large arrays to an .npz beside the script, the side file first, and needs -o for it", async () => {
    const refused = await cli(['export', 'examples/cuba.spikeflow.json', '--to', 'brian2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('this brian2 export writes its arrays to a side file (.npz): give -o FILE');
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-export-'));
    const r = await cli(['export', 'examples/cuba.spikeflow.json', '--to', 'brian2', '-o', path.join(dir, 'cuba.py')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`${path.join(dir, 'cuba.npz')}: data of cuba.py written`, `${path.join(dir, 'cuba.py')}: Brian2 script written`]);
    // A zip (PK\x03\x04) holding the drawn initial V and the four projections' synapses.
    const npz = readFileSync(path.join(dir, 'cuba.npz'));
    expect(npz.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 3, 4]));
    for (const member of ['exc_v.npy', 'inh_v.npy', 'syn_e_ee_i.npy', 'syn_e_ii_j.npy']) expect(npz.includes(member)).toBe(true);
  });

  it.runIf(requireTool('Brian2 (python3-brian in /usr/bin/python3)', hasBrian2(), 'apt-get install -y python3-brian'))(
    'writes with -o a script that Brian2 runs, firing 0.4 ms after each input (the 2.05 ms spike counts at 2.0 ms)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sf-export-'));
      const out = path.join(dir, 'net.py');
      const r = await cli(['export', tinyDocument(dir), '--to', 'brian2', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Brian2 script written');
      expect(readFileSync(out, 'utf8')).toContain('Everything in the network is exported.');
      const py = await run(PYTHON, [out, '--json']);
      expect(py.code, py.stderr).toBe(0);
      const spikes = JSON.parse(py.stdout.trim().split('\n').pop()!).spikes;
      // Input at step s arrives at s + 3, lifts v to 15 after the threshold test; the cell fires at s + 4.
      expect(spikes.gen.step).toEqual([10, 20, 50]);
      expect(spikes.cell.step).toEqual([14, 24, 54]);
    },
    300_000,
  );
});
