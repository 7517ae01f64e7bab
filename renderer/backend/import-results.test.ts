import { describe, expect, it } from 'vitest';
import { RunHistory } from '../history/run-history.ts';
import { memoryHistoryStore } from '../history/stores.ts';
import { BackendRuns } from './backend-runs.ts';
import { network } from './test-network.ts';
import { importedRun } from './import-results.ts';

const RUN_JSON = JSON.stringify({ simulator: 'nest', processes: 4, threads: 2, dt_ms: 0.1, duration_ms: 100, seed: 1, build_ms: 3, run_ms: 9, spike_files: [] });

describe('importedRun', () => {
  it("reads a PyNN script's run.json and spike files onto the document's step grid, labelled with the simulator", () => {
    const { plan, lif, mon } = network();
    const csv = 'neuron,t_ms\n0,1.04\n2,1.06\n1,99.9\n';
    const run = importedRun(
      plan,
      new Map([
        ['run.json', RUN_JSON.replace('"spike_files":[]', `"spike_files":["${mon}.${lif}.spikes.csv"]`)],
        [`${mon}.${lif}.spikes.csv`, csv],
      ]),
    );
    expect(run.label).toBe('pyNN.nest, 4 MPI processes, 2 threads, imported');
    expect(run.info).toEqual({ simulator: 'nest', processes: 4, threads: 2, build_ms: 3, run_ms: 9 });
    // 1.04 / 0.1 = 10.4 → 10; 1.06 → 11; 99.9 → 999.
    expect(run.spikes).toEqual([{ monitorId: mon, nodeId: lif, neuron: [0, 2, 1], step: [10, 11, 999] }]);
  });

  it("reads `spikeflow run --backend --out`'s run.json (its figures under stats)", () => {
    const { plan, lif, mon } = network();
    const runJson = JSON.stringify({ stats: { backend: 'neuron', simulator: 'pyNN.neuron', processes: 2, threads: 1, dt_ms: 0.1, build_ms: 1, run_ms: 2 }, backend: 'neuron', spike_files: [] });
    const run = importedRun(
      plan,
      new Map([
        ['run.json', runJson],
        [`${mon}.${lif}.spikes.csv`, 'neuron,t_ms\n'],
      ]),
    );
    expect(run.label).toBe('pyNN.neuron, 2 MPI processes, imported');
  });

  it('refuses files that do not belong to the document, naming the file and why', () => {
    const { plan, lif, mon, src } = network();
    const spikeFile = `${mon}.${lif}.spikes.csv`;
    const read = (files: [string, string][]) => () => importedRun(plan, new Map(files));
    expect(read([[spikeFile, 'neuron,t_ms\n']])).toThrow('run.json is missing');
    expect(read([['run.json', '{"dt_ms":']])).toThrow(/^run\.json: /);
    expect(read([['run.json', RUN_JSON.replace('"dt_ms":0.1', '"dt_ms":0.05')]])).toThrow("run.json: its time step (0.05 ms) is not the document's (0.1 ms)");
    expect(read([['run.json', RUN_JSON.replace('"spike_files":[]', `"spike_files":["${spikeFile}"]`)]])).toThrow(`${spikeFile} is missing: run.json lists it`);
    expect(
      read([
        ['run.json', RUN_JSON],
        [spikeFile, 'neuron,t_ms\n0,abc\n'],
      ]),
    ).toThrow(new RegExp(`^${spikeFile.replace(/\./g, '\\.')}: line 2: `));
    expect(
      read([
        ['run.json', RUN_JSON],
        [`${mon}.${src}x.spikes.csv`, 'neuron,t_ms\n'],
      ]),
    ).toThrow(`${mon}.${src}x.spikes.csv belongs to no spike monitor of this document`);
    expect(read([['run.json', RUN_JSON]])).toThrow("none of the files is a spike file of this document's monitors");
  });
});

describe('BackendRuns.importResults', () => {
  it('keeps imported spikes in History and opens them; a bad file shows the problem and keeps nothing', async () => {
    const { ed, lif, mon } = network();
    const history = new RunHistory(ed, { onFinished: () => () => undefined, run: async () => false }, memoryHistoryStore());
    await history.refresh();
    const runs = new BackendRuns(null, () => undefined);
    runs.attach(history);
    expect(await runs.importResults(ed, new Map([['run.json', RUN_JSON]]))).toBe(false);
    expect(runs.state.failure).toEqual({ title: 'These results could not be imported', text: expect.stringContaining("none of the files is a spike file of this document's monitors") });
    expect(history.state.entries).toHaveLength(0);
    expect(
      await runs.importResults(
        ed,
        new Map([
          ['run.json', RUN_JSON],
          [`${mon}.${lif}.spikes.csv`, 'neuron,t_ms\n0,5\n'],
        ]),
      ),
    ).toBe(true);
    expect(history.state.entries[0]).toMatchObject({ engineVersion: 'pyNN.nest, 4 MPI processes, 2 threads, imported', spikes: 1 });
    expect(ed.state.notice?.text).toBe('Imported results: 1 spikes, kept as run 1 in History.');
  });
});
