import { describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeWebContents } from './fake-electron.ts';
import { BACKEND_IPC, type BackendRunReply } from './backend-api.ts';
import { parseBackendRequest, registerBackendIpc, type BackendJobRunner } from './backend-run-ipc.ts';
import { createBackendApi } from './backend-desktop-api.ts';
import { INSTALL } from '../engine/hosts/backend-run.ts';
import { deterministicDocument } from '../test/pynn-cases.ts';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

const docText = JSON.stringify(deterministicDocument());

function setup(runJob?: BackendJobRunner, pickFolder?: () => Promise<string | null>) {
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: vi.fn((c: string, h: Handler) => handlers.set(c, h)), removeHandler: vi.fn((c: string) => handlers.delete(c)) };
  const ours = new FakeWebContents();
  const dispose = registerBackendIpc(ipcMain as never, { rendererOrigin: 'app://spikeflow', isWindow: (s) => s === (ours as unknown), runJob, pickFolder });
  const fromPage = { sender: ours, senderFrame: { url: 'app://spikeflow/index.html' } };
  const invoke = async (channel: string, event: unknown, ...args: unknown[]) => handlers.get(channel)!(event, ...args);
  return { handlers, ours, fromPage, invoke, dispose };
}

/** A runner that reports progress, then answers two spikes of the deterministic network's first population. */
const answering: BackendJobRunner = async (plan, _title, _job, hooks) => {
  for (const done of [0, 1, 3, 3.2, 150, 300]) hooks.onProgress?.(done, 300);
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-backend-ipc-'));
  const m = plan.monitors[0];
  const nodeId = plan.populations[m.sources[0]].nodeId;
  return {
    ok: true,
    dir,
    info: { simulator: 'neuron', processes: 2, threads: 1, dt_ms: plan.dtMs, duration_ms: 300, seed: 1, build_ms: 10, run_ms: 20, spike_files: [] },
    spikes: [{ monitorId: m.nodeId, nodeId, neuron: Int32Array.from([0, 3]), step: Int32Array.from([12, 40]) }],
    notExported: [],
    approximations: ['approximated: node x — why'],
  };
};

/** A stand-in python: answers the import check, then runs `body` as the script. */
function fakePython(body: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sf-fake-py-')), 'python3');
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "-c" ]; then exit 0; fi\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the backend run IPC (main side)', () => {
  it('refuses a request from another page or another window', async () => {
    const { invoke, ours } = setup(answering);
    const request = { jobId: 'j1', documentText: docText, backend: 'neuron' };
    await expect(invoke(BACKEND_IPC.run, { sender: ours, senderFrame: { url: 'https://evil.example/' } }, request)).rejects.toThrow('not the Spikeflow page');
    await expect(invoke(BACKEND_IPC.run, { sender: new FakeWebContents(), senderFrame: { url: 'app://spikeflow/' } }, request)).rejects.toThrow('not a Spikeflow window');
  });

  it('refuses a request with a bad field, naming it', () => {
    const ok = { jobId: 'j1', documentText: docText, backend: 'neuron' };
    expect(() => parseBackendRequest({ ...ok, backend: 'loihi' })).toThrow('backend must be one of nest, neuron, brian2, got "loihi"');
    expect(() => parseBackendRequest({ ...ok, mpi: 0 })).toThrow('mpi must be a whole number');
    expect(() => parseBackendRequest({ ...ok, threads: 2.5 })).toThrow('threads must be a whole number');
    expect(() => parseBackendRequest({ ...ok, jobId: '../x' })).toThrow('jobId');
    expect(() => parseBackendRequest({ ...ok, documentText: 3 })).toThrow('documentText must be a string');
    // One MPI process is a plain run: no mpirun.
    expect(parseBackendRequest({ ...ok, mpi: 1, threads: 4 })).toEqual({ ...ok, threads: 4 });
  });

  it('answers a document that cannot be read with its problem, without running anything', async () => {
    const runJob = vi.fn(answering);
    const { invoke, fromPage } = setup(runJob);
    const reply = (await invoke(BACKEND_IPC.run, fromPage, { jobId: 'j1', documentText: '{"format":', backend: 'neuron' })) as BackendRunReply;
    expect(reply).toMatchObject({ ok: false, cancelled: false });
    expect(!reply.ok && reply.message).toMatch(/^The document cannot be read/);
    expect(runJob).not.toHaveBeenCalled();
  });

  it('sends progress once per percent to the asking page and answers the spikes as plain arrays, removing the temp folder', async () => {
    let dir = '';
    const { invoke, fromPage, ours } = setup(async (...a) => {
      const r = await answering(...a);
      if (r.ok) dir = r.dir;
      return r;
    });
    const reply = (await invoke(BACKEND_IPC.run, fromPage, { jobId: 'j1', documentText: docText, backend: 'neuron', mpi: 2 })) as BackendRunReply;
    expect(ours.sent).toEqual([0, 3, 150, 300].map((doneMs) => [BACKEND_IPC.progress, { jobId: 'j1', doneMs, totalMs: 300 }]));
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.info).toEqual({ simulator: 'neuron', processes: 2, threads: 1, build_ms: 10, run_ms: 20 });
    expect(reply.spikes[0].neuron).toEqual([0, 3]);
    expect(Array.isArray(reply.spikes[0].step)).toBe(true);
    expect(reply.approximations).toEqual(['approximated: node x — why']);
    expect(existsSync(dir)).toBe(false);
  });

  it('cancels a running job on request, and when its window closes', async () => {
    const waiting: BackendJobRunner = (_p, _t, _j, hooks) =>
      new Promise((resolve) => hooks.signal!.addEventListener('abort', () => resolve({ ok: false, code: 130, message: 'the neuron run was cancelled' })));
    const { invoke, fromPage, ours } = setup(waiting);
    const first = invoke(BACKEND_IPC.run, fromPage, { jobId: 'a', documentText: docText, backend: 'neuron' });
    await new Promise((r) => setTimeout(r, 10));
    await expect(invoke(BACKEND_IPC.run, fromPage, { jobId: 'a', documentText: docText, backend: 'neuron' })).rejects.toThrow('already running');
    await invoke(BACKEND_IPC.cancel, fromPage, 'a');
    expect(await first).toEqual({ ok: false, cancelled: true, message: 'the neuron run was cancelled' });
    const second = invoke(BACKEND_IPC.run, fromPage, { jobId: 'b', documentText: docText, backend: 'brian2' });
    await new Promise((r) => setTimeout(r, 10));
    ours.emit('destroyed');
    expect(await second).toMatchObject({ ok: false, cancelled: true });
  });

  it("with the real runner, names a missing backend's install command and shows a failing script's error output", async () => {
    const { invoke, fromPage } = setup();
    const before = process.env.SPIKEFLOW_PYTHON;
    try {
      process.env.SPIKEFLOW_PYTHON = path.join(tmpdir(), 'no-such-python-here');
      const missing = (await invoke(BACKEND_IPC.run, fromPage, { jobId: 'm', documentText: docText, backend: 'nest' })) as BackendRunReply;
      expect(!missing.ok && missing.message).toContain(INSTALL.nest);
      process.env.SPIKEFLOW_PYTHON = fakePython('echo "Traceback: ValueError: something PyNN refused" >&2\nexit 4');
      const failed = (await invoke(BACKEND_IPC.run, fromPage, { jobId: 'f', documentText: docText, backend: 'brian2' })) as BackendRunReply;
      expect(failed.ok).toBe(false);
      expect(!failed.ok && failed.message).toContain('the brian2 run failed (exit code 4)');
      expect(!failed.ok && failed.message).toContain('Traceback: ValueError: something PyNN refused');
    } finally {
      if (before === undefined) delete process.env.SPIKEFLOW_PYTHON;
      else process.env.SPIKEFLOW_PYTHON = before;
    }
  });
});

describe('File › Import results (main side)', () => {
  it("answers the chosen folder's run.json and spike files only, and null when the dialog is cancelled", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-results-'));
    writeFileSync(path.join(dir, 'run.json'), '{"simulator":"nest"}');
    writeFileSync(path.join(dir, 'raster.exc.spikes.csv'), 'neuron,t_ms\n0,1.5\n');
    writeFileSync(path.join(dir, 'net.py'), 'print(1)');
    mkdirSync(path.join(dir, 'sub.spikes.csv'));
    let answer: string | null = dir;
    const { invoke, fromPage, ours } = setup(undefined, async () => answer);
    expect(await invoke(BACKEND_IPC.pickResults, fromPage)).toEqual({ 'run.json': '{"simulator":"nest"}', 'raster.exc.spikes.csv': 'neuron,t_ms\n0,1.5\n' });
    answer = null;
    expect(await invoke(BACKEND_IPC.pickResults, fromPage)).toBeNull();
    await expect(invoke(BACKEND_IPC.pickResults, { sender: ours, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow('not the Spikeflow page');
  });
});

describe('the backend host in the preload', () => {
  it('uses only its own channels and passes on checked progress values, never the event', async () => {
    const listeners = new Map<string, (event: unknown, value: unknown) => void>();
    const ipc = { invoke: vi.fn(async () => ({ ok: false, cancelled: true, message: 'x' })), on: vi.fn((c: string, l: never) => listeners.set(c, l)), removeListener: vi.fn() };
    const host = createBackendApi(ipc);
    await host.run({ jobId: 'a', documentText: '{}', backend: 'neuron' });
    await host.cancel('a');
    await host.pickResults();
    expect(ipc.invoke.mock.calls.map((c: unknown[]) => c[0])).toEqual([BACKEND_IPC.run, BACKEND_IPC.cancel, BACKEND_IPC.pickResults]);
    const got: unknown[] = [];
    const off = host.onProgress((p) => got.push(p));
    const event = { sender: 'secret' };
    listeners.get(BACKEND_IPC.progress)!(event, { jobId: 'a', doneMs: 5, totalMs: 10, extra: 1 });
    listeners.get(BACKEND_IPC.progress)!(event, { jobId: 'a', doneMs: 'five', totalMs: 10 });
    expect(got).toEqual([{ jobId: 'a', doneMs: 5, totalMs: 10 }]);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith(BACKEND_IPC.progress, expect.any(Function));
  });
});
