import { describe, it, expect } from 'vitest';
import { parseBenchArgs, peerSkipReason, BenchUsageError } from './options.ts';

describe('bench options', () => {
  it('defaults to every model, 1 s and 10 s, 3 seeds, one simulation thread, both peers, streaming, memory and the scale case', () => {
    const o = parseBenchArgs([]);
    expect(o.models).toEqual(['cuba', 'coba', 'brunel', 'brunel-x4', 'stdp']);
    expect(o.durationsS).toEqual([1, 10]);
    expect(o.repeats).toBe(3);
    expect(o.threads).toBe(1);
    expect(o.peers).toBe(true);
    expect(o.devices).toEqual(['cpp_standalone', 'numpy']);
    expect([o.stream, o.memory, o.scale, o.parallel]).toEqual([true, true, true, true]);
    expect(o.streamRounds).toBe(2);
  });

  it('takes the streaming-cost rounds per seed as a positive whole number', () => {
    expect(parseBenchArgs(['--stream-rounds', '4']).streamRounds).toBe(4);
    expect(() => parseBenchArgs(['--stream-rounds', '0'])).toThrow(/--stream-rounds/);
    expect(() => parseBenchArgs(['--stream-rounds', '1.5'])).toThrow(/--stream-rounds/);
  });

  it('runs the multi-core comparison unless --no-parallel, --quick or --scale-only says otherwise', () => {
    expect(parseBenchArgs(['--no-parallel']).parallel).toBe(false);
    expect(parseBenchArgs(['--quick']).parallel).toBe(false);
    expect(parseBenchArgs(['--scale-only']).parallel).toBe(false);
    expect(parseBenchArgs(['--no-scale']).parallel).toBe(true);
  });

  it("parses the issue's example command line", () => {
    const o = parseBenchArgs(['--models', 'cuba,coba', '--durations', '1', '--repeats', '3', '--no-peers', '--quick']);
    expect(o.models).toEqual(['cuba', 'coba']);
    expect(o.durationsS).toEqual([1]);
    expect(o.repeats).toBe(3); // explicit beats --quick's 1
    expect(o.peers).toBe(false);
    expect(o.scale).toBe(false); // --quick drops the scale case
  });

  it('passes --threads on to our CLI runs, as a positive whole number', () => {
    expect(parseBenchArgs(['--threads', '2']).threads).toBe(2);
    expect(() => parseBenchArgs(['--threads', '0'])).toThrow(/--threads/);
  });

  it('takes a saved results file to report on, and says when it is missing', () => {
    expect(parseBenchArgs(['--report', 'bench/results/latest.json']).report).toBe('bench/results/latest.json');
    expect(parseBenchArgs([]).report).toBeUndefined();
    expect(() => parseBenchArgs(['--report'])).toThrow(/--report needs a results file/);
  });

  it('accepts --flag=value and removes duplicates', () => {
    const o = parseBenchArgs(['--models=cuba,cuba', '--durations=1,10,1', '--devices=numpy']);
    expect(o.models).toEqual(['cuba']);
    expect(o.durationsS).toEqual([1, 10]);
    expect(o.devices).toEqual(['numpy']);
  });

  it('rejects unknown models, devices, flags and bad numbers with the flag named', () => {
    expect(() => parseBenchArgs(['--models', 'cuba,hh'])).toThrow(/--models: unknown model "hh"/);
    expect(() => parseBenchArgs(['--devices', 'cython'])).toThrow(/--devices: unknown device "cython"/);
    expect(() => parseBenchArgs(['--repeats', '1.5'])).toThrow(/--repeats needs a positive whole number/);
    expect(() => parseBenchArgs(['--durations', '1,-2'])).toThrow(/--durations needs a positive number \(got "-2"\)/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--scale-only', '--no-scale'])).toThrow(/contradict/);
  });

  it('skips exactly the numpy runs MODELS.md §7 predicts above 180 s', () => {
    expect(peerSkipReason('brunel', 'numpy', 10)).toBe('skipped (predicted > 180 s)');
    expect(peerSkipReason('brunel-x4', 'numpy', 10)).toBe('skipped (predicted > 180 s)');
    expect(peerSkipReason('brunel-x4', 'numpy', 1)).toBeNull();
    expect(peerSkipReason('coba', 'numpy', 10)).toBeNull();
    expect(peerSkipReason('brunel-x4', 'cpp_standalone', 10)).toBeNull();
  });
});
