import { describe, expect, it, vi } from 'vitest';
import type { BackendHost, BackendProgress, BackendRunReply, BackendRunRequest } from '../../electron/backend-api.ts';
import { RunHistory } from '../history/run-history.ts';
import { memoryHistoryStore } from '../history/stores.ts';
import { BackendRuns } from './backend-runs.ts';
import { network } from './test-network.ts';
import { externalLabel, externalRunData } from './external-run.ts';

const info = { simulator: 'neuron', processes: 2, threads: 1, build_ms: 5, run_ms: 50 };

/** A host that answers `reply` after sending `progress` (and records the request). */
function fakeHost(reply: (r: BackendRunRequest) => BackendRunReply | Promise<BackendRunReply>) {
  const listeners: ((p: BackendProgress) => void)[] = [];
  const requests: BackendRunRequest[] = [];
  const host: BackendHost = {
    run: async (r) => {
      requests.push(r);
      for (const l of listeners) l({ jobId: r.jobId, doneMs: 50, totalMs: 100 });
      return reply(r);
    },
    cancel: vi.fn(async () => undefined),
    pickResults: async () => null,
    onProgress: (l) => (listeners.push(l), () => undefined),
  };
  return { host, requests };
}

describe('externalRunData', () => {
  it("turns a monitor's recorded spikes into a kept run: a raster per spike monitor, the recorded populations' rates, the simulator as engine", () => {
    const { ed, plan, lif, mon } = network();
    const doc = ed.state.doc;
    const run = externalRunData(doc, plan, { label: externalLabel(info), info, spikes: [{ monitorId: mon, nodeId: lif, neuron: [0, 2, 2], step: [10, 20, 900] }] });
    expect(run.engineVersion).toBe('pyNN.neuron, 2 MPI processes');
    expect(run.monitors).toEqual([{ monitorId: mon, records: 'spikes' }]);
    expect(Array.from(run.spikes[0].series[0].step)).toEqual([10, 20, 900]);
    // 3 spikes of 3 neurons in 0.1 s: 10 Hz; 3 of 3 × 1000 neuron-steps.
    expect(run.stats.populations).toMatchObject([{ nodeId: lif, kind: 'lif-curr-exp', size: 3, spikes: 3 }]);
    expect(run.stats.populations[0].rate_hz).toBeCloseTo(10, 12);
    expect(run.stats.mean_rate_hz).toBeCloseTo(10, 12);
    expect(run.stats.sparsity).toBeCloseTo(0.001, 12);
    expect([run.stats.neurons, run.stats.source_channels, run.stats.steps, run.stats.realtime_factor]).toEqual([3, 4, 1000, 2]);
  });

  it('refuses spikes that do not fit the document, naming the monitor, population and value', () => {
    const { ed, plan, lif, mon, src } = network();
    const data =
      (neuron: number[], step: number[], nodeId = lif) =>
      () =>
        externalRunData(ed.state.doc, plan, { label: 'x', info, spikes: [{ monitorId: mon, nodeId, neuron, step }] });
    expect(data([3], [1])).toThrow(`monitor ${mon}, population ${lif}: neuron 3 is outside its 3 neurons`);
    expect(data([0], [1001])).toThrow('a spike at 100.1 ms is outside the 100 ms run');
    expect(data([0], [1], src)).toThrow(`monitor ${mon}: it does not record population ${src} in this document`);
  });
});

describe('BackendRuns', () => {
  it('is disabled without a host (a browser tab): the choice stays Spikeflow and Run is not taken over', async () => {
    const { ed } = network();
    const runs = new BackendRuns(null, () => undefined);
    runs.choose('neuron');
    expect(runs.state.choice).toBe('spikeflow');
    expect(runs.chosen).toBeNull();
    expect(await runs.run(ed)).toBe(false);
  });

  it('runs the document on the chosen backend, follows progress, keeps the spikes in History and opens them there', async () => {
    const { ed, lif, mon } = network();
    const history = new RunHistory(ed, { onFinished: () => () => undefined, run: async () => false }, memoryHistoryStore());
    await history.refresh();
    const seen: number[] = [];
    const { host, requests } = fakeHost(() => {
      seen.push(runs.state.job!.doneMs);
      return { ok: true, info, spikes: [{ monitorId: mon, nodeId: lif, neuron: [1], step: [5] }], notExported: [], approximations: ['approximated: node x — why'] };
    });
    const shown = vi.fn();
    const runs = new BackendRuns(host, shown);
    runs.attach(history);
    runs.choose('neuron');
    runs.setWorkers('mpi', 2);
    runs.setWorkers('threads', 0);
    expect(await runs.run(ed)).toBe(true);
    expect(requests[0]).toMatchObject({ backend: 'neuron', mpi: 2 });
    expect(requests[0].threads).toBeUndefined();
    expect(JSON.parse(requests[0].documentText).nodes).toHaveLength(3);
    expect(seen).toEqual([50]);
    expect(runs.state.job).toBeNull();
    const [kept] = history.state.entries;
    expect(kept).toMatchObject({ engineVersion: 'pyNN.neuron, 2 MPI processes', spikes: 1, number: 1 });
    expect(history.state.view).toEqual({ mode: 'open', id: kept.id });
    expect(shown).toHaveBeenCalledTimes(1);
    expect(ed.state.notice).toEqual({
      level: 'warning',
      text: 'Ran on NEURON (mpirun -np 2): 1 spikes, kept as run 1 in History. 1 part was not exported or approximated (listed under the backend choice).',
    });
    expect(runs.state.notes).toEqual(['approximated: node x — why']);
  });

  it("shows a failed run's message (install command, error output) until dismissed, and a cancel as a notice", async () => {
    const { ed } = network();
    let answer: BackendRunReply = { ok: false, cancelled: false, message: 'backend "nest" is not installed.\nInstall it with:\n  conda install …' };
    const runs = new BackendRuns(fakeHost(() => answer).host, () => undefined);
    runs.choose('nest');
    expect(await runs.run(ed)).toBe(false);
    expect(runs.state.failure).toEqual({ title: 'The NEST run did not finish', text: expect.stringContaining('Install it with:') });
    expect(ed.state.notice?.level).toBe('error');
    runs.dismissFailure();
    answer = { ok: false, cancelled: true, message: 'cancelled' };
    expect(await runs.run(ed)).toBe(false);
    expect(runs.state.failure).toBeNull();
    expect(ed.state.notice).toEqual({ level: 'info', text: 'The NEST run was cancelled.' });
  });

  it('cancels the running job through the host, and refuses a second run meanwhile', async () => {
    const { ed } = network();
    let finish!: (r: BackendRunReply) => void;
    const { host } = fakeHost(() => new Promise((r) => (finish = r)));
    const runs = new BackendRuns(host, () => undefined);
    runs.choose('brian2');
    const first = runs.run(ed);
    await vi.waitFor(() => expect(finish).toBeDefined());
    expect(await runs.run(ed)).toBe(false);
    expect(ed.state.notice?.text).toBe('Brian2 is still running: cancel it first.');
    await runs.cancel();
    expect(host.cancel).toHaveBeenCalledWith(runs.state.job!.id);
    finish({ ok: false, cancelled: true, message: '' });
    expect(await first).toBe(false);
  });
});
