import { describe, expect, it } from 'vitest';
import { KINDS, checkParamValue, defaultParams } from '../../engine/kinds/index.ts';
import type { DistParam } from '../../engine/kinds/index.ts';
import {
  convertDist,
  displayNumber,
  distCentre,
  distFamily,
  formatDist,
  formatNumberList,
  formatSize,
  isMultilineParam,
  matchingPreset,
  parseNumber,
  parseNumberList,
  sameValue,
  summarizeNumbers,
} from './param-text.ts';
import { projectionLabel } from '../canvas/flow-mapping.ts';

describe('parseNumber', () => {
  it('accepts numbers as people type them', () => {
    for (const [t, v] of [
      ['12', 12],
      [' -0.5 ', -0.5],
      ['1e3', 1000],
      ['.5', 0.5],
    ] as const) {
      expect(parseNumber(t)).toEqual({ ok: true, value: v });
    }
  });
  it('refuses empty text, words, decimal commas and infinities, with a reason', () => {
    for (const t of ['', '  ', 'abc', '1,5', '12x', 'Infinity']) {
      const r = parseNumber(t);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
});

describe('number lists', () => {
  it('parse comma, semicolon or space separated items, and the empty text as the empty list', () => {
    expect(parseNumberList('10, 20.5;30  40')).toEqual({ ok: true, value: [10, 20.5, 30, 40] });
    expect(parseNumberList('  ')).toEqual({ ok: true, value: [] });
  });
  it('name the first item that is not a number', () => {
    expect(parseNumberList('1, x, 3')).toEqual({ ok: false, message: 'item 2 ("x") is not a number' });
  });
  it('format back to a comma list that parses to the same values', () => {
    const xs = [0.1, 2, -3e-7];
    const r = parseNumberList(formatNumberList(xs));
    expect(r).toEqual({ ok: true, value: xs });
  });
});

describe('dist values', () => {
  const weight: DistParam = { type: 'dist', default: 1, families: ['constant', 'uniform', 'normal', 'lognormal'], min: 0, label: 'w', tooltip: '' };

  it('know their family', () => {
    expect(distFamily(2)).toBe('constant');
    expect(distFamily({ dist: 'normal', mean: 0, sd: 1 })).toBe('normal');
    expect(distFamily({ dist: 'gamma' })).toBeNull();
    expect(distFamily('2')).toBeNull();
  });

  it('have a centre: the constant, the middle of a uniform, the mean, the lognormal median', () => {
    expect(distCentre(3)).toBe(3);
    expect(distCentre({ dist: 'uniform', low: 2, high: 6 })).toBe(4);
    expect(distCentre({ dist: 'normal', mean: -1, sd: 2 })).toBe(-1);
    expect(distCentre({ dist: 'lognormal', mu: Math.log(5), sigma: 1 })).toBeCloseTo(5, 12);
  });

  it('convert between families keeping the centre, and every result is valid for the spec', () => {
    expect(convertDist(2, 'uniform', weight)).toEqual({ dist: 'uniform', low: 1.8, high: 2.2 });
    expect(convertDist(2, 'normal', weight)).toEqual({ dist: 'normal', mean: 2, sd: 0.2 });
    expect(convertDist({ dist: 'uniform', low: 1, high: 3 }, 'constant', weight)).toBe(2);
    const values = [0, 1, 2.5, { dist: 'uniform', low: 0, high: 0.1 }, { dist: 'normal', mean: 0, sd: 1 }];
    for (const v of values) {
      for (const f of weight.families) expect(checkParamValue(weight, convertDist(v, f, weight))).toBeNull();
    }
  });

  it('clip a converted uniform to the spec bounds (weights stay ≥ 0)', () => {
    expect(convertDist(0, 'uniform', weight)).toEqual({ dist: 'uniform', low: 0, high: 1 });
  });

  it('format compactly', () => {
    expect(formatDist(1.5, 'mV')).toBe('1.5 mV');
    expect(formatDist({ dist: 'uniform', low: 0, high: 2 }, 'mV')).toBe('U(0, 2) mV');
    expect(formatDist({ dist: 'normal', mean: 1, sd: 0.2 })).toBe('N(1, 0.2)');
    expect(formatDist({ dist: 'lognormal', mu: 0, sigma: 0.25 }, 'mV')).toBe('logN(0, 0.25)');
  });
});

describe('long values', () => {
  it('summarise a list by count and range, with the unit', () => {
    expect(summarizeNumbers([5, 0.5, 1999], 'ms')).toBe('3 values, 0.5–1,999 ms');
    expect(summarizeNumbers([3], 'ms')).toBe('1 value, 3 ms');
    expect(summarizeNumbers([])).toBe('no values');
    expect(summarizeNumbers(Array.from({ length: 2000 }, (_, i) => i))).toBe('2,000 values, 0–1,999');
  });
  it('summarise a million values without spreading them into a call', () => {
    const xs = new Array<number>(1_000_000).fill(1);
    xs[123_456] = -2;
    expect(summarizeNumbers(xs)).toBe('1,000,000 values, -2–1');
  });
  it('give text sizes in B, kB and MB', () => {
    expect([formatSize(999), formatSize(12_345), formatSize(1_460_000)]).toEqual(['999 B', '12 kB', '1.5 MB']);
  });
  it('edit string params named *_data, or marked multiline, as multi-line text; no other type', () => {
    const text = { type: 'string', default: '', label: 'x', tooltip: '' } as const;
    expect(isMultilineParam('custom_data', text)).toBe(true);
    expect(isMultilineParam('variable', text)).toBe(false);
    expect(isMultilineParam('notes', { ...text, multiline: true } as typeof text)).toBe(true);
    expect(isMultilineParam('x_data', { type: 'number', default: 0, label: 'x', tooltip: '' })).toBe(false);
  });
});

describe('presets', () => {
  it('every preset of every kind sets only its kind’s params, to valid values, and is recognised once applied', () => {
    for (const kind of KINDS) {
      for (const preset of kind.presets ?? []) {
        for (const [name, v] of Object.entries(preset.values)) {
          const spec = kind.params[name];
          expect(spec, `${kind.id} preset ${preset.name}: ${name}`).toBeDefined();
          expect(checkParamValue(spec, v), `${kind.id} preset ${preset.name}: ${name}`).toBeNull();
        }
        const applied = { ...defaultParams(kind.params), ...preset.values };
        expect(matchingPreset(kind.presets, applied)?.values).toEqual(preset.values);
      }
    }
  });
  it('names no preset once a value differs from all of them', () => {
    const izh = KINDS.find((k) => k.id === 'izhikevich')!;
    expect(matchingPreset(izh.presets, defaultParams(izh.params))?.name).toBe('Regular spiking (RS)');
    expect(matchingPreset(izh.presets, { ...defaultParams(izh.params), d: 7.5 })).toBeUndefined();
    expect(matchingPreset(undefined, {})).toBeUndefined();
  });
  it('compares lists element by element and objects by value', () => {
    expect(sameValue([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(sameValue([1, 2, 3], [1, 2])).toBe(false);
    expect(sameValue({ dist: 'uniform', low: 0, high: 1 }, { dist: 'uniform', low: 0, high: 1 })).toBe(true);
    expect(sameValue(-65, { dist: 'uniform', low: 0, high: 1 })).toBe(false);
  });
});

describe('numbers shown on the canvas', () => {
  it('rounds floating-point noise to six significant digits and leaves integers and text alone', () => {
    expect(displayNumber(0.8999999999999999)).toBe('0.9');
    expect(displayNumber(0.1 + 0.2)).toBe('0.3');
    expect(displayNumber(1.23456789)).toBe('1.23457');
    expect(displayNumber(2000000)).toBe('2000000');
    expect(displayNumber('x')).toBe('x');
    expect(formatDist({ dist: 'uniform', low: 0.1 + 0.2, high: 0.8999999999999999 }, 'mV')).toBe('U(0.3, 0.9) mV');
    expect(projectionLabel({ rule: 'bernoulli', p: 0.1 + 0.2, weight: 0.30000000000000004, receptor: 'exc' }, 'mV')).toBe('p=0.3 · 0.3 mV · exc');
  });
});
