/**
 * `spikeflow export --to pynn` and `spikeflow run --backend` through the CLI:
 * the script and its side .npz of input spikes (the engine's own, for the
 * seed), a backend that is not installed (NEST here) named with its install
 * command, a failing script's error output, Ctrl+C, and a run on pyNN.neuron
 * whose results come back in `spikeflow run`'s layout.
 */
import { describe, it, expect } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../engine/hosts/cli.ts';
import { INSTALL, backendMissing } from '../engine/hosts/backend-run.ts';
import { readNpz } from '../engine/core/npy-read.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { loadDocument } from '../engine/format/load.ts';
import { realize } from '../engine/hosts/realize.ts';
import { requireTool } from './require-tool.ts';
import { deterministicDocument } from './pynn-cases.ts';
import { ROOT } from './helpers.ts';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

/** The deterministic document (300 ms of spike generators into five kinds) in a temp folder. */
function detFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sf-pynn-cli-')), 'det.spikeflow.json');
  writeFileSync(file, JSON.stringify(deterministicDocument()));
  return file;
}

/** A stand-in python: answers the import check, then runs `body` as the script. */
function fakePython(body: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sf-fake-py-')), 'python3');
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "-c" ]; then exit 0; fi\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function withPython<T>(python: string, f: () => Promise<T>): Promise<T> {
  const before = process.env.SPIKEFLOW_PYTHON;
  process.env.SPIKEFLOW_PYTHON = python;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.SPIKEFLOW_PYTHON;
    else process.env.SPIKEFLOW_PYTHON = before;
  }
}

describe('spikeflow export --to pynn', () => {
  it("writes the script and, next to it, the input spikes Spikeflow's engine draws for the seed", async () => {
    const src = path.join(ROOT, 'examples/poisson-ei.spikeflow.json');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'sf-pynn-exp-')), 'ei.py');
    const r = await cli(['export', src, '--to', 'pynn', '-o', out]);
    expect(r.code, r.err).toBe(0);
    const script = readFileSync(out, 'utf8');
    expect(script).toContain("BASE + '.inputs.npz'");
    const loaded = loadDocument(readFileSync(src, 'utf8'));
    if (!loaded.ok) throw new Error('example does not load');
    const compiled = compileDocument(loaded.doc);
    if (!compiled.ok) throw new Error('example does not compile');
    const sources = realize(compiled.plan).sources.filter((s) => s.kind === 'poisson-source');
    expect(sources.length).toBeGreaterThan(0);
    const npz = readNpz(new Uint8Array(readFileSync(path.join(path.dirname(out), 'ei.inputs.npz'))));
    for (const s of sources) {
      expect(script).toContain(`spike_trains("${s.nodeId}", ${s.size})`);
      const neuron = npz.get(`${s.nodeId}_neuron`)!;
      const t = npz.get(`${s.nodeId}_t_ms`)!;
      expect(Array.from(neuron.data)).toEqual(Array.from(s.i));
      expect(Array.from(t.data)).toEqual(Array.from(s.step, (x) => Number((x * compiled.plan.dtMs).toFixed(9))));
    }
  });

  it('refuses to print a script that needs a side file without -o, and says why', async () => {
    const r = await cli(['export', path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), '--to', 'pynn']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give -o FILE');
  });
});

describe('spikeflow run --backend', () => {
  it('names a backend that is not installed with the exact install command (NEST, not packaged in Debian)', async () => {
    expect(backendMissing('nest')).not.toBeNull();
    const r = await cli(['run', detFile(), '--backend', 'nest']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('backend "nest" is not installed');
    expect(r.err).toContain(INSTALL.nest);
  });

  it("shows a failing script's error output and its exit code", async () => {
    const python = fakePython('echo "Traceback: ValueError: something PyNN refused" >&2\nexit 4');
    const r = await withPython(python, () => cli(['run', detFile(), '--backend', 'brian2']));
    expect(r.code).toBe(1);
    expect(r.err).toContain('the brian2 run failed (exit code 4)');
    expect(r.err).toContain('Traceback: ValueError: something PyNN refused');
  });

  it('streams progress and stops the script on Ctrl+C', async () => {
    const python = fakePython('echo "spikeflow-progress 75 300"\nsleep 60');
    const started = Date.now();
    const pending = withPython(python, () => cli(['run', detFile(), '--backend', 'neuron']));
    await new Promise((r) => setTimeout(r, 1500));
    process.emit('SIGINT');
    const r = await pending;
    expect(r.code).toBe(130);
    expect(r.err).toContain('neuron: 25 % (75 of 300 ms)');
    expect(r.err).toContain('the neuron run was cancelled');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('rejects --mpi without a PyNN backend and an unknown backend', async () => {
    expect((await cli(['run', detFile(), '--mpi', '2'])).err).toContain('--mpi goes with --backend nest|neuron|brian2');
    expect((await cli(['run', detFile(), '--backend', 'loihi'])).err).toContain('--backend needs one of spikeflow, nest, neuron, brian2 (got "loihi")');
  });

  const hasNeuron = requireTool('pyNN.neuron with compiled mechanisms', backendMissing('neuron') === null, 'see .ci/run (python3-pynn python3-neuron neuron-dev, nrnivmodl)');
  it.runIf(hasNeuron)(
    "runs on pyNN.neuron and reports it like a Spikeflow run: --json stats labelled with the backend, --out in run's layout",
    async () => {
      const file = detFile();
      const out = path.join(path.dirname(file), 'out');
      const r = await cli(['run', file, '--backend', 'neuron', '--json', '--out', out]);
      expect(r.code, r.err).toBe(0);
      const stats = JSON.parse(r.out.trim().split('\n').pop()!);
      expect(stats).toMatchObject({ backend: 'neuron', simulator: 'pyNN.neuron', processes: 1, steps: 3000, neurons: 20 });
      // Spikeflow's own run of this network: 24 spikes of lif-curr-exp (test/pynn-spikes.test.ts matches them within a step).
      expect(stats.populations.find((p: { nodeId: string }) => p.nodeId === 'lif-curr-exp').spikes).toBe(24);
      const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
      expect(runJson.backend).toBe('neuron');
      expect(runJson.spike_files).toContain('raster.lif-curr-exp.spikes.csv');
      expect(readFileSync(path.join(out, 'raster.lif-curr-exp.spikes.csv'), 'utf8').split('\n')[0]).toBe('neuron,t_ms');
      expect(r.err).toContain('neuron: 100 % (300 of 300 ms)');
    },
    600_000,
  );
});
