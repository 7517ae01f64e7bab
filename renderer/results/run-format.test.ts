import { describe, expect, it } from 'vitest';
import { INITIAL_RUN_STATE } from '../store/run-state.ts';
import { fmtCount, fmtMs, fmtSimTime, runFraction, runStatusText } from './run-format.ts';

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
