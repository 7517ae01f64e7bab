import { describe, expect, it } from 'vitest';
import { INITIAL_RUN_STATE } from '../store/run-state.ts';
import { fmtCount, fmtMs, fmtRate, fmtSimTime, plasticRows, populationRows, progressFraction, readoutRows, runClockText, runFraction, runStatusText, totalsItems } from './run-format.ts';

describe('run status text', () => {
  const run = { ...INITIAL_RUN_STATE, engine: 'ready' as const };
  it('says "finished" when a run completed, and the progress while running', () => {
    expect(runStatusText({ ...run, phase: 'running', step: 250, nSteps: 1000 })).toBe('running 25%');
    expect(runStatusText({ ...run, phase: 'finished' })).toContain('finished');
    expect(runStatusText({ ...run, phase: 'stopped' })).not.toContain('finished');
  });
  it('counts the issues of a refused run', () => {
    const issue = { pointer: '/x', message: 'm' };
    expect(runStatusText({ ...run, phase: 'refused', issues: [issue, issue] })).toBe('refused: 2 issues');
  });
  it('says when the engine is not there yet', () => {
    expect(runStatusText({ ...run, engine: 'connecting' })).toBe('starting engine…');
    expect(runStatusText(run)).toBe('ready');
  });
});

describe('number formats', () => {
  it('show simulated time at the precision of dt', () => {
    expect(fmtSimTime(12.3456, 0.1)).toBe('12.3');
    expect(fmtSimTime(12.3456, 0.025)).toBe('12.35');
    expect(fmtSimTime(12.3456, 1)).toBe('12');
  });
  it('compact big counts to three digits', () => {
    expect(fmtCount(9999)).toBe('9,999');
    expect(fmtCount(23470)).toBe('23.5k');
    expect(fmtCount(1_870_000)).toBe('1.87M');
  });
  it('switch durations from ms to s at one second', () => {
    expect(fmtMs(5.25)).toBe('5.3 ms');
    expect(fmtMs(729.4)).toBe('729 ms');
    expect(fmtMs(1430)).toBe('1.43 s');
  });
  it('bound the progress fraction to [0, 1]', () => {
    expect(runFraction({ step: 5, nSteps: 0 })).toBe(0);
    expect(runFraction({ step: 50, nSteps: 200 })).toBe(0.25);
    expect(runFraction({ step: 300, nSteps: 200 })).toBe(1);
  });
});

describe('run statistics table', () => {
  const stats = {
    neurons: 120,
    source_channels: 50,
    synapses: 6000,
    spikes: 2400,
    source_spikes: 1000,
    mean_rate_hz: 100,
    sparsity: 0.01,
    synaptic_events: 123456,
    external_events: 789,
    dense_macs: 12_000_000,
    steps: 2000,
    dt_ms: 0.1,
    simulated_ms: 200,
    build_ms: 3.25,
    run_ms: 40,
    realtime_factor: 5,
    populations: [
      { nodeId: 'poisson1', kind: 'poisson-source', size: 50, spikes: 1000, rate_hz: 100 },
      { nodeId: 'lif1', kind: 'lif-curr-exp', size: 100, spikes: 2000, rate_hz: 100 },
      { nodeId: 'ghost', kind: 'gone-kind', size: 20, spikes: 0, rate_hz: 0 },
    ],
  };

  it('has one row per population with its current label, kind label, size, spikes and rate', () => {
    const rows = populationRows(
      stats,
      (id) => (id === 'lif1' ? 'Excitatory' : undefined),
      (k) => (k === 'lif-curr-exp' ? { label: 'LIF', category: 'neuron' } : undefined),
    );
    expect(rows).toEqual([
      { nodeId: 'poisson1', label: 'poisson1', kind: 'poisson-source', category: 'input', size: '50', spikes: '1,000', rate: '100' },
      { nodeId: 'lif1', label: 'Excitatory', kind: 'LIF', category: 'neuron', size: '100', spikes: '2,000', rate: '100' },
      { nodeId: 'ghost', label: 'ghost', kind: 'gone-kind', category: 'input', size: '20', spikes: '0', rate: '0' },
    ]);
  });

  it('lists the totals, including external events, dense MACs and the real-time factor', () => {
    const items = Object.fromEntries(totalsItems(stats).map((i) => [i.label, i.value]));
    expect(items).toMatchObject({
      Spikes: '2,400',
      'Mean rate': '100 Hz',
      Sparsity: '1.00 %',
      'Synaptic events': '123,456',
      'External events': '789',
      'Dense MACs': '12.0M',
      Build: '3.3 ms',
      Run: '40 ms',
      'Real-time factor': '5.0×',
      Steps: '2,000 × 0.1 ms',
    });
  });

  it('formats rates to three digits', () => {
    expect([fmtRate(0), fmtRate(0.012345), fmtRate(25), fmtRate(1234.5)]).toEqual(['0', '0.0123', '25.0', '1,235']);
  });
});

describe('plastic projection rows', () => {
  it('summarise final weights: mean over w_max, tails in percent, and a histogram scaled to its tallest bin', () => {
    const hist = Array.from({ length: 20 }, (_, i) => (i === 0 ? 30 : i === 19 ? 60 : 0));
    const s = { populations: [], plastic: [{ nodeId: 'stdp1', edgeId: 'e3', synapses: 90, w_max: 0.01, w_mean_over_wmax: 0.6667, frac_low: 1 / 3, frac_high: 2 / 3, w_hist_20: hist }] };
    const [row] = plasticRows(s as unknown as Parameters<typeof plasticRows>[0], () => 'Learner');
    expect(row).toMatchObject({ nodeId: 'stdp1', label: 'Learner', synapses: '90', mean: '0.67', low: '33 %', high: '67 %' });
    expect(row.bars[0]).toBe(0.5);
    expect(row.bars[19]).toBe(1);
    expect(row.bars.slice(1, 19).every((b) => b === 0)).toBe(true);
  });
  it('are none for a run without plasticity', () => {
    expect(plasticRows({ populations: [] } as unknown as Parameters<typeof plasticRows>[0], () => undefined)).toEqual([]);
  });
});

describe('readout rows', () => {
  it("show each readout's assignment and its train and test accuracy with the presentations scored", () => {
    const s = {
      populations: [],
      readouts: [
        { nodeId: 'r1', assignment: 'diehl-cook', classes: 10, train_presentations: 1300, train_accuracy: 0.8907, test_presentations: 497, test_accuracy: 0.86921, neurons_per_class: [] },
        { nodeId: 'r2', assignment: 'fixed', classes: 2, train_presentations: 5, train_accuracy: 0.4, test_presentations: 0, test_accuracy: null, neurons_per_class: [] },
      ],
    };
    const rows = readoutRows(s as unknown as Parameters<typeof readoutRows>[0], (id) => (id === 'r1' ? 'Digits readout' : undefined));
    expect(rows).toEqual([
      { nodeId: 'r1', label: 'Digits readout', assignment: 'Diehl & Cook', train: '89.1 % of 1,300', test: '86.9 % of 497' },
      { nodeId: 'r2', label: 'r2', assignment: 'fixed groups', train: '40.0 % of 5', test: '—' },
    ]);
  });
  it('are none for a run without readouts', () => {
    expect(readoutRows({ populations: [] } as unknown as Parameters<typeof readoutRows>[0], () => undefined)).toEqual([]);
  });
});

describe('the toolbar while building and training', () => {
  const base = { ...INITIAL_RUN_STATE, engine: 'ready' as const };
  const sim = { dt_ms: 0.1, duration_ms: 1000 };

  it('shows the build as "Building… N %" with what is being built, done of total, and a determinate bar', () => {
    const run = { ...base, phase: 'starting' as const, nSteps: 10000, dtMs: 0.1, build: { phase: 'synapses', done: 52_600_000, total: 125_100_000 } };
    expect(progressFraction(run)).toBeCloseTo(52.6 / 125.1, 12);
    expect(runClockText(run, sim)).toBe('52.6M / 125M');
    expect(runStatusText(run)).toBe('Building… 42 % · synapses');
    // A phase the renderer has no words for is shown as the engine names it.
    expect(runStatusText({ ...run, build: { phase: 'wire e_ee', done: 1, total: 8 } })).toBe('Building… 12 % · wire e_ee');
    expect(runStatusText({ ...run, build: { phase: 'populations', done: 0, total: 8 } })).toBe('Building… 0 % · neurons');
  });

  it('says "Building…" before the engine reports, with an empty bar, even after a training run', () => {
    const training = { epoch: 20, epochs: 20, batch: 45, batches: 45, wallMs: 2000 };
    const run = { ...base, phase: 'starting' as const, build: null, training };
    expect(runStatusText(run)).toBe('Building…');
    expect(progressFraction(run)).toBe(0);
    expect(runClockText(run, sim)).toBe('');
  });

  it('says a cancelled build is being cancelled, and a stopped run is stopping', () => {
    const cancelling = { ...base, phase: 'stopping' as const, build: { phase: 'synapses', done: 30, total: 100 } };
    expect(runStatusText(cancelling)).toBe('cancelling the build…');
    expect(progressFraction(cancelling)).toBeCloseTo(0.3, 12);
    expect(runStatusText({ ...cancelling, build: null })).toBe('stopping…');
  });

  it('shows epochs and batches for a training run, and its whole wall time when it finishes', () => {
    // The run of the issue: 21.9 s of training, 824 ms of simulation afterwards.
    const training = { epoch: 2, epochs: 20, batch: 15, batches: 45, wallMs: 2000 };
    const running = { ...base, phase: 'running' as const, step: 107820, nSteps: 10000, dtMs: 1, training };
    expect(runClockText(running, sim)).toBe('epoch 2 / 20 · batch 15 / 45');
    expect(progressFraction(running)).toBeCloseTo((2 + 15 / 45) / 20, 12);
    expect(runStatusText(running)).toBe('training 11%');
    const stats = { run_ms: 824 } as never;
    const done = { ...running, phase: 'finished' as const, stats, wallMs: 21_900, training: { ...training, epoch: 20 } };
    expect(runStatusText(done)).toBe('finished in 21.9 s');
    expect(progressFraction(done)).toBe(1);
  });

  it("keeps simulated time for an ordinary run, at dt precision, with the document's settings before a run", () => {
    expect(runClockText(base, { dt_ms: 0.1, duration_ms: 2_000_000 })).toBe('0.0 / 2000000.0 ms');
    expect(runClockText({ ...base, phase: 'running', step: 2500, nSteps: 10000, dtMs: 0.1 }, sim)).toBe('250.0 / 1000.0 ms');
  });
});
