import { describe, it, expect } from 'vitest';
import { parseTimeReport, bytesToMiB, TIME_FORMAT } from './rss.ts';
import { lastJsonLine, childFailure, type ChildResult } from './child.ts';

describe('GNU time report parsing', () => {
  it('reads elapsed seconds, peak RSS in bytes and the exit status', () => {
    expect(parseTimeReport('spikeflow-time elapsed_s=4.53 max_rss_kb=91648 exit=0\n')).toEqual({
      elapsedS: 4.53,
      maxRssBytes: 91648 * 1024,
      exitCode: 0,
      signal: null,
    });
  });

  it('skips the line GNU time adds before a non-zero exit', () => {
    const r = parseTimeReport('Command exited with non-zero status 3\nspikeflow-time elapsed_s=0.03 max_rss_kb=1540 exit=3\n');
    expect(r?.exitCode).toBe(3);
    expect(r?.maxRssBytes).toBe(1540 * 1024);
  });

  it('reports the signal and no exit status for a killed child', () => {
    const r = parseTimeReport('Command terminated by signal 9\nspikeflow-time elapsed_s=12.00 max_rss_kb=20971520 exit=0\n');
    expect(r).toEqual({ elapsedS: 12, maxRssBytes: 20971520 * 1024, exitCode: null, signal: 9 });
  });

  it('returns null for a missing or garbled report', () => {
    expect(parseTimeReport('')).toBeNull();
    expect(parseTimeReport('spikeflow-time elapsed_s=1.0 max_rss_kb=? exit=0')).toBeNull();
    expect(parseTimeReport('spikeflow-time elapsed_s=1.0 exit=0')).toBeNull();
  });

  it('uses a format whose fields the parser reads back', () => {
    const filled = TIME_FORMAT.replace('%e', '2.50').replace('%M', '2048').replace('%x', '0');
    expect(parseTimeReport(filled)).toEqual({ elapsedS: 2.5, maxRssBytes: 2048 * 1024, exitCode: 0, signal: null });
    expect(bytesToMiB(2048 * 1024)).toBe(2);
  });
});

describe('child output', () => {
  it('takes the last JSON object line of stdout, ignoring other lines', () => {
    const out = 'warming up\n{"a":1}\nnot json {\n{"b":2,"c":[1]}\n\n';
    expect(lastJsonLine(out)).toEqual({ b: 2, c: [1] });
    expect(lastJsonLine('{"broken": \n')).toBeNull();
    expect(lastJsonLine('[1,2]\n')).toBeNull();
  });

  it('explains a failure by timeout, signal, or exit status with the stderr tail', () => {
    const base: ChildResult = { code: 0, signal: null, stdout: '', stderr: '', wallS: 1, timedOut: false, time: null };
    expect(childFailure(base, 60)).toBeNull();
    expect(childFailure({ ...base, timedOut: true, code: null, signal: 'SIGKILL' }, 60)).toBe('timed out after 60 s (killed)');
    expect(childFailure({ ...base, code: 137, time: { elapsedS: 1, maxRssBytes: 1, exitCode: null, signal: 9 } }, 60)).toBe('killed by signal 9 (out of memory?)');
    expect(childFailure({ ...base, code: 2, stderr: 'line 1\nspikeflow: bad file\n' }, 60)).toBe('exited with status 2: line 1\nspikeflow: bad file');
  });
});
