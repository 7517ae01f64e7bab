import { describe, it, expect } from 'vitest';
import {
  evaluateTargets,
  fmtRate,
  fmtRatio,
  fmtSeconds,
  median,
  ratio,
  renderMainTable,
  renderTable,
  renderTargets,
  runDeliverS,
  summarizeCase,
  summarizeStream,
  type CaseResult,
  type MemoryResult,
  type OursRun,
} from './report.ts';

const ours = (seed: number, run: number, wall: number, extra: Partial<OursRun> = {}): OursRun => ({
  seed,
  ok: true,
  run_s: run,
  build_s: 0.1,
  load_s: 0.05,
  cli_total_s: run + 0.2,
  wall_s: wall,
  max_rss_bytes: 100 * 1024 * 1024,
  synaptic_events: 2e6,
  events_per_s: 2e6 / run,
  mean_rate_hz: 5.6,
  ...extra,
});

const cuba1: CaseResult = {
  model: 'cuba',
  label: 'CUBA',
  duration_s: 1,
  file: 'examples/cuba.spikeflow.json',
  ours: [ours(1, 0.2, 1.0), ours(2, 0.4, 1.4), ours(3, 0.3, 1.2)],
  peers: {
    cpp_standalone: {
      runs: [
        { seed: 1, device: 'cpp_standalone', ok: true, run_s: 0.2, total_s: 10 },
        { seed: 2, device: 'cpp_standalone', ok: false, error: 'exited with status 1' },
        { seed: 3, device: 'cpp_standalone', ok: true, run_s: 0.4, total_s: 14 },
      ],
    },
    numpy: { runs: [{ seed: 1, device: 'numpy', ok: true, run_s: 6, total_s: 12 }] },
  },
};

describe('medians and ratios', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('divides ours by theirs and refuses missing or non-positive denominators', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
    expect(ratio(1, null)).toBeNull();
  });

  it('summarizes a case from its successful runs only, and computes ours/theirs seed by seed', () => {
    const s = summarizeCase(cuba1);
    expect(s.ours.run_s).toEqual({ median: 0.3, min: 0.2, max: 0.4, n: 3 });
    // cpp: the failed seed 2 is left out, median of 0.2 and 0.4.
    expect(s.peers.cpp_standalone?.run_s?.median).toBeCloseTo(0.3, 12);
    expect(s.peers.cpp_standalone?.failed).toBe(1);
    // Paired by seed (1 and 3 have both sides): the median of 0.2/0.2 and 0.3/0.4.
    expect(s.ratios.run_vs_cpp).toBeCloseTo((1 + 0.75) / 2, 12);
    expect(s.ratios.job_vs_cpp).toBeCloseTo((1.0 / 10 + 1.2 / 14) / 2, 12);
    expect(s.ratios.run_vs_numpy).toBeCloseTo(0.2 / 6, 12);
    expect(s.ratios.job_vs_numpy).toBeCloseTo(1.0 / 12, 12);
    // And, for comparison, the ratios of the medians.
    expect(s.ratios_of_medians.run_vs_cpp).toBeCloseTo(0.3 / 0.3, 12);
    expect(s.ratios_of_medians.job_vs_cpp).toBeCloseTo(1.2 / 12, 12);
  });

  it('pairs runs by seed, so a slow moment that hit both sides of one seed cancels out', () => {
    // Seed 2 ran while the machine was twice as slow, for both sides.
    const c: CaseResult = {
      ...cuba1,
      ours: [ours(1, 0.1, 1.0), ours(2, 0.2, 2.0), ours(3, 0.1, 1.0)],
      peers: { cpp_standalone: { runs: [1, 2, 3].map((seed) => ({ seed, device: 'cpp_standalone' as const, ok: true, run_s: seed === 2 ? 0.2 : 0.1, total_s: seed === 2 ? 40 : 20 })) } },
    };
    expect(summarizeCase(c).ratios.job_vs_cpp).toBeCloseTo(0.05, 12);
    // With no seed in common the ratio of the medians stands in.
    const apart: CaseResult = { ...c, peers: { cpp_standalone: { runs: [{ seed: 9, device: 'cpp_standalone', ok: true, run_s: 0.1, total_s: 20 }] } } };
    expect(summarizeCase(apart).ratios.job_vs_cpp).toBeCloseTo(1.0 / 20, 12);
  });

  it('measures streaming overhead as monitors-on over monitors-off minus one', () => {
    const c: CaseResult = {
      ...cuba1,
      ours: [ours(1, 1.1, 2)],
      ours_no_monitors: [ours(1, 1.0, 2, { cli_total_s: 1.0 + 0.15 + 0.2, build_s: 0.15 })],
    };
    // run+deliver = total − load − build: on 1.3 − 0.05 − 0.1 = 1.15, off 1.35 − 0.05 − 0.15 = 1.15.
    expect(runDeliverS(c.ours[0])).toBeCloseTo(1.15, 12);
    const st = summarizeStream(c)!;
    expect(st.overhead_run_pct).toBeCloseTo(10, 9);
    expect(st.overhead_deliver_pct).toBeCloseTo(0, 9);
    expect(summarizeStream(cuba1)).toBeNull();
  });

  it('compares the best runs of each side, the extra monitors-on runs included', () => {
    const c: CaseResult = {
      ...cuba1,
      // Monitors on: 1.5 s (a slow moment of the machine) and, in the reversed pair, 1.05 s.
      ours: [ours(1, 1.5, 2)],
      ours_stream_on: [ours(1, 1.05, 2)],
      ours_no_monitors: [ours(1, 1.0, 2), ours(1, 1.2, 2)],
    };
    const st = summarizeStream(c)!;
    expect(st.with_monitors?.run_s).toBe(1.05);
    expect(st.without_monitors?.run_s).toBe(1.0);
    expect(st.overhead_run_pct).toBeCloseTo(5, 9);
  });
});

describe('number formatting', () => {
  it('prints seconds with precision that shrinks as they grow', () => {
    expect(fmtSeconds(0.21449)).toBe('0.214');
    expect(fmtSeconds(2)).toBe('2.00');
    expect(fmtSeconds(58.84)).toBe('58.8');
    expect(fmtSeconds(915.4)).toBe('915');
    expect(fmtSeconds(undefined)).toBe('–');
  });

  it('prints event rates as short exponent notation', () => {
    expect(fmtRate(18_012_345)).toBe('1.80e7');
    expect(fmtRate(612_000)).toBe('6.12e5');
    expect(fmtRate(NaN)).toBe('–');
  });

  it('prints ratios with two significant digits, carrying rounding into the next decade', () => {
    expect(fmtRatio(0.0834)).toBe('0.083×');
    expect(fmtRatio(1.234)).toBe('1.2×');
    expect(fmtRatio(15.4)).toBe('15×');
    expect(fmtRatio(0.0996)).toBe('0.10×');
    expect(fmtRatio(0.10266, 3)).toBe('0.103×');
    expect(fmtRatio(null)).toBe('–');
  });
});

describe('tables', () => {
  it('pads every column to its widest cell, numbers right and labels left', () => {
    const t = renderTable(
      [
        { header: 'model', align: 'left' },
        { header: 's', align: 'right' },
      ],
      [
        ['CUBA', '0.214'],
        ['Brunel x4', '27.2'],
      ],
    );
    expect(t.split('\n')).toEqual(['model          s', '─────────  ─────', 'CUBA       0.214', 'Brunel x4   27.2']);
  });

  it('puts one row per case with ours, the peers and the ratios, marking skipped peers', () => {
    const x4: CaseResult = {
      model: 'brunel-x4',
      label: 'Brunel x4',
      duration_s: 10,
      file: 'examples/brunel-x4.spikeflow.json',
      ours: [ours(1, 20, 25)],
      peers: { cpp_standalone: { runs: [], skipped: undefined }, numpy: { runs: [], skipped: 'skipped (predicted > 180 s)' } },
    };
    const memory: MemoryResult[] = [{ model: 'cuba', label: 'CUBA', ok: true, synapses: 320_000, b_per_syn_engine: 4.1, b_per_syn_rss: 7.04 }];
    const lines = renderMainTable([summarizeCase(cuba1), summarizeCase(x4)], memory).split('\n');
    expect(lines).toHaveLength(4);
    const cells = (l: string) => l.trim().split(/\s{2,}/);
    expect(cells(lines[2])).toEqual(['CUBA', '1', '0.300', '0.100', '1.20', '6.67e6', '100', '4.1', '7.0', '0.300', '12.0', '6.00', '0.88×', '0.093×', '0.033×']);
    const row = cells(lines[3]);
    expect(row.slice(0, 3)).toEqual(['Brunel x4', '10', '20.0']);
    expect(row.slice(-6)).toEqual(['–', '–', 'skip', '–', '–', '–']);
    // Every line is as wide as the header (monospace alignment), trailing blanks aside.
    const w = lines[1].length;
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(w);
  });
});

describe('targets', () => {
  it('passes and fails each target against its limit and says n/a without data', () => {
    const s = summarizeCase(cuba1);
    const checks = evaluateTargets({
      cases: [s],
      memory: [
        { model: 'cuba', label: 'CUBA', ok: true, synapses: 3_200_000, b_per_syn_engine: 4.1, b_per_syn_rss: 12.5 },
        // Too few synapses for RSS to resolve: only the engine's count is judged.
        { model: 'brunel', label: 'Brunel base', ok: true, synapses: 320_000, b_per_syn_engine: 2.2, b_per_syn_rss: 18.4 },
        { model: 'brunel-x4', label: 'Brunel x4', ok: true, synapses: 320_000, b_per_syn_engine: 12.2, b_per_syn_rss: 3 },
        { model: 'coba', label: 'COBA', ok: false, error: 'probe exited with status 1' },
        { model: 'stdp', label: 'STDP', ok: true, synapses: 1000, b_per_syn_engine: 40, b_per_syn_rss: 40 },
      ],
      streams: [],
      staticModels: ['cuba', 'coba', 'brunel', 'brunel-x4'],
    });
    const verdict = (target: string, subject: string) => checks.find((c) => c.target === target && c.subject === subject)?.pass;
    expect(verdict('run-vs-cpp', 'CUBA 1 s')).toBe(true); // exactly 1.0× passes
    expect(verdict('job-vs-cpp', 'CUBA 1 s')).toBe(true); // 1.2 s vs 12 s: exactly 10× faster
    expect(verdict('run-vs-numpy', 'CUBA 1 s')).toBe(true); // 0.3 s vs 6 s
    expect(verdict('bytes-per-synapse', 'CUBA')).toBe(false); // RSS figure over 12
    expect(verdict('bytes-per-synapse', 'Brunel base')).toBe(true); // RSS shown, not judged at 320,000 synapses
    expect(verdict('bytes-per-synapse', 'Brunel x4')).toBe(false); // the engine's own count still is
    expect(verdict('bytes-per-synapse', 'COBA')).toBeNull();
    // STDP is plastic: not a static-projection target.
    expect(checks.some((c) => c.subject === 'STDP')).toBe(false);
    const text = renderTargets(checks);
    expect(text).toMatch(/FAIL {2}CUBA +engine 4\.1 B\/syn, RSS 12\.5 B\/syn\n/);
    expect(text).toMatch(/n\/a {3}COBA +probe exited with status 1/);
    expect(text).toMatch(/PASS {2}Brunel base +engine 2\.2 B\/syn, RSS 18\.4 B\/syn \(RSS not judged below 1 M synapses\)/);
    expect(text.split('\n').at(-1)).toBe('targets: 4 PASS, 2 FAIL, 1 n/a');
  });

  it('checks every multi-core row for identical spikes and reports its speed-up, whatever it is', () => {
    const checks = evaluateTargets({
      cases: [],
      memory: [],
      streams: [],
      staticModels: [],
      parallel: [
        { model: 'brunel', threads: 1, speedup: 1, identical: true },
        { model: 'brunel', threads: 2, speedup: 0.93, identical: true },
        { model: 'brunel-x4', threads: 2, speedup: 1.56, identical: false },
      ],
    });
    expect(checks.filter((c) => c.target === 'parallel-identical').map((c) => [c.subject, c.pass, c.detail])).toEqual([
      ['brunel 1 s 2 threads', true, 'speed-up 0.93×'],
      ['brunel-x4 1 s 2 threads', false, 'speed-up 1.56×'],
    ]);
  });

  it("judges issue 13's speed-up on Brunel x4 and the 1 M case only, two threads at 1.8× or more, each on its longest run", () => {
    const speedup = (x4: number, x4Short = 1.47, scale?: number) =>
      evaluateTargets({
        cases: [],
        memory: [],
        streams: [],
        staticModels: [],
        parallel: [
          { model: 'brunel', threads: 2, speedup: 0.93, identical: true },
          { model: 'brunel-x4', threads: 2, speedup: x4Short, identical: true },
          { model: 'brunel-x4', threads: 2, duration_ms: 10_000, speedup: x4, identical: true },
          ...(scale === undefined ? [] : [{ model: 'scale', threads: 2, duration_ms: 1000, speedup: scale, identical: true }]),
        ],
      }).filter((c) => c.target === 'parallel-speedup');
    expect(speedup(1.8).map((c) => [c.subject, c.pass, c.detail])).toEqual([
      ['brunel-x4 10 s 2 threads', true, "1.80× one thread's run time; 1 s: 1.47×"],
      ['scale 2 threads', null, 'not measured in this run'],
    ]);
    expect(speedup(1.79, 1.9)[0].pass).toBe(false);
    expect(speedup(1.9, 1.47, 1.79).map((c) => [c.subject, c.pass])).toEqual([
      ['brunel-x4 10 s 2 threads', true],
      ['scale 1 s 2 threads', false],
    ]);
  });

  it('judges the speed-up of results saved before runs had a duration on their 1 s rows', () => {
    const checks = evaluateTargets({ cases: [], memory: [], streams: [], staticModels: [], parallel: [{ model: 'brunel-x4', threads: 2, speedup: 1.47, identical: true }] });
    expect(checks.filter((c) => c.target === 'parallel-speedup').map((c) => [c.subject, c.pass, c.detail])).toEqual([
      ['brunel-x4 1 s 2 threads', false, "1.47× one thread's run time"],
      ['scale 2 threads', null, 'not measured in this run'],
    ]);
  });

  it("judges issue 13's 10 s runs against 0.5× Brian2 C++ on CUBA and COBA, not on Brunel", () => {
    const at10 = (model: 'cuba' | 'brunel', label: string, oursRun: number): CaseResult => ({
      model,
      label,
      duration_s: 10,
      file: `examples/${model}.spikeflow.json`,
      ours: [ours(1, oursRun, oursRun + 1)],
      peers: { cpp_standalone: { runs: [{ seed: 1, device: 'cpp_standalone', ok: true, run_s: 1, total_s: 5 }] } },
    });
    const checks = (run: number) =>
      evaluateTargets({ cases: [summarizeCase(at10('cuba', 'CUBA', run)), summarizeCase(at10('brunel', 'Brunel base', 0.9))], memory: [], streams: [], staticModels: [] }).filter(
        (c) => c.target === 'run-vs-cpp-10s',
      );
    expect(checks(0.5).map((c) => [c.subject, c.pass])).toEqual([['CUBA 10 s', true]]);
    expect(checks(0.51)[0].pass).toBe(false);
    expect(checks(0.51)[0].detail).toBe('0.510× (medians: ours 0.510 s, cpp 1.00 s)');
  });

  it("judges issue 13's scale cases: 10⁶ neurons built in 5 s and run 1 s in 60 s, 10⁷ built and run", () => {
    const spec = { durationMs: 1000 };
    const scale = (build: number, run: number) =>
      evaluateTargets({ cases: [], memory: [], streams: [], staticModels: [], scale: { ok: true, neurons: 1_000_000, build_s: build, run_s: run, spec } }).find((c) => c.target === 'scale-1m')!;
    expect(scale(2.56, 59.7)).toMatchObject({ subject: '1,000,000 neurons', pass: true, detail: 'build 2.56 s, run of 1000 ms 59.7 s' });
    expect(scale(2.56, 60.1).pass).toBe(false);
    expect(scale(5.1, 40).pass).toBe(false);
    const failed = evaluateTargets({
      cases: [],
      memory: [],
      streams: [],
      staticModels: [],
      scale: { ok: false, error: 'killed after 1800 s', spec },
      scale10m: { ok: true, neurons: 10_000_000, build_s: 113, run_s: 389, max_rss_bytes: 7e9, spec: { durationMs: 100 } },
    });
    expect(failed.find((c) => c.target === 'scale-1m')).toMatchObject({ pass: false, detail: 'failed: killed after 1800 s' });
    expect(failed.find((c) => c.target === 'scale-10m')).toMatchObject({ subject: '10,000,000 neurons', pass: true, detail: 'build 113 s, run of 100 ms 389 s, peak RSS 6.5 GiB' });
  });

  it('says so when nothing was measured instead of printing zero counts', () => {
    expect(renderTargets([])).toBe('targets: none measured in this run');
  });

  it('fails the whole-job target when the speed-up is just under 10×', () => {
    // Seed 1: 1.03 s against 10 s, seed 3: 1.45 s against 14 s; paired 0.103 and 0.1036.
    const c = { ...cuba1, ours: [ours(1, 0.3, 1.03), ours(3, 0.3, 1.45)] };
    const [job] = evaluateTargets({ cases: [summarizeCase(c)], memory: [], streams: [], staticModels: [] }).filter((x) => x.target === 'job-vs-cpp');
    expect(job.pass).toBe(false);
    expect(job.detail).toContain('0.103× = 9.7× faster (medians: ours 1.24 s, cpp 12.0 s)');
  });
});
