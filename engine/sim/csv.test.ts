import { describe, it, expect } from 'vitest';
import { parseSpikeCsv } from './csv.ts';

describe('spike CSV parser', () => {
  it('reads neuron,t_ms rows without a header', () => {
    expect(parseSpikeCsv('0,10\n2, 12.5\n0,30\n')).toEqual({ ok: true, neurons: [0, 2, 0], times_ms: [10, 12.5, 30], size: 3 });
  });

  it('reads a header naming the columns in any order, skips blank and # rows, and ignores other columns', () => {
    const text = '\uFEFF# exported spikes\r\ntime_ms,weight,neuron\r\n\r\n1.5,0.3,4\r\n2,0.1,1\r\n';
    expect(parseSpikeCsv(text)).toEqual({ ok: true, neurons: [4, 1], times_ms: [1.5, 2], size: 5 });
  });

  it('converts a time column in seconds (t_s) to ms', () => {
    expect(parseSpikeCsv('neuron,t_s\n0,0.25\n')).toEqual({ ok: true, neurons: [0], times_ms: [250], size: 1 });
  });

  it.each([
    ['0,1\n1.5,2\n', 2, 'neuron', 'line 2, field neuron: "1.5" is not a neuron index (a whole number ≥ 0)'],
    ['0,1\n-1,2\n', 2, 'neuron', 'line 2, field neuron: "-1" is not a neuron index'],
    ['neuron,t_ms\n0,1\n3,abc\n', 3, 't_ms', 'line 3, field t_ms: "abc" is not a time'],
    ['0,1\n3,-2\n', 2, 't_ms', 'line 2, field t_ms: a spike time must be ≥ 0 (got -2)'],
    ['0,1\n3,\n', 2, 't_ms', 'line 2, field t_ms: is empty'],
    ['0,1\n\n3,4,5\n', 3, undefined, 'line 3: expected two fields, neuron,t_ms, separated by commas (found 3)'],
    ['0,abc\n', 1, 't_ms', 'line 1, field t_ms: "abc" is not a time'],
    ['cell,when\n0,1\n', 1, undefined, 'line 1: the header must name a neuron column (e.g. "neuron") and a time column (e.g. "t_ms"); got "cell", "when"'],
  ])('rejects %j naming line %i and field %s', (text, line, field, message) => {
    const r = parseSpikeCsv(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(line);
    expect(r.field).toBe(field);
    expect(r.error.startsWith(message)).toBe(true);
  });

  it('rejects a file with no spikes', () => {
    const r = parseSpikeCsv('neuron,t_ms\n\n');
    expect(r.ok ? null : r.error).toBe('the file holds no spikes (expected rows neuron,t_ms)');
  });
});
