import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import type { NetworkPlan } from '../../core/plan.ts';
import { plan, pop, proj } from '../../test-support/test-plans.ts';
import { exportPyNN } from './export.ts';
import { base64, npzBytes, pynnInputArrays, type SourceSpikes } from './inputs.ts';

const PYTHON = process.env.SPIKEFLOW_PYTHON ?? '/usr/bin/python3';

/** Poisson (3 channels) → LIF (2), 10 ms of 0.1 ms. */
const net: NetworkPlan = plan({ durationMs: 10, seed: 7, populations: [pop('noise', 'poisson-source', { size: 3 }), pop('cells', 'lif-curr-exp', { size: 2 })], projections: [proj('a', 0, 1)] });

/** Stand-in for the engine's draw: two spikes of channels 2 and 0 at steps 5 and 17. */
const drawn: SourceSpikes = (_plan, ids) => new Map(ids.map((id) => [id, { neuron: Int32Array.from([2, 0]), step: Int32Array.from([5, 17]) }]));

describe('PyNN inputs', () => {
  it('encodes base64 as the standard alphabet with padding', () => {
    const enc = (s: string) => base64(new TextEncoder().encode(s));
    expect([enc(''), enc('M'), enc('Ma'), enc('Man'), enc('Many hands')]).toEqual(['', 'TQ==', 'TWE=', 'TWFu', 'TWFueSBoYW5kcw==']);
    expect(base64(Uint8Array.from([0xff, 0xfe, 0xfd]))).toBe('//79');
  });

  it("carries the side .npz inline in the script, which numpy reads back as the engine's spikes in ms", () => {
    const first = exportPyNN(net, { title: 't' });
    const arrays = pynnInputArrays(net, first, drawn);
    expect(arrays.map((a) => a.name)).toEqual(['noise_neuron', 'noise_t_ms']);
    const inline = base64(npzBytes(arrays));
    const { script } = exportPyNN(net, { title: 't', inlineInputs: inline });
    expect(script).toContain(`INPUTS_NPZ = "${inline}"`);
    expect(script).toContain('    inputs = np.load(io.BytesIO(base64.b64decode(INPUTS_NPZ)))');
    // Without inline inputs the script still reads only the side file.
    expect(first.script).not.toContain('INPUTS_NPZ');
    const r = spawnSync(
      PYTHON,
      ['-c', `import base64, io, json, numpy as np\nz = np.load(io.BytesIO(base64.b64decode("${inline}")))\nprint(json.dumps({k: z[k].tolist() for k in sorted(z.files)}))`],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    // Steps 5 and 17 of 0.1 ms: 0.5 and 1.7 ms.
    expect(JSON.parse(r.stdout)).toEqual({ noise_neuron: [2, 0], noise_t_ms: [0.5, 1.7] });
  });
});
