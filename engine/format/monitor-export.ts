/**
 * A monitor's recorded data as files: the arrays of its `.npz` archive and its
 * CSV text. Shared by the CLI (`spikeflow run --out`) and the app's export menu,
 * so both write the same layout. Pure: no DOM, no Node.
 *
 * NPZ layout, per observed population `<p>` (its node id):
 * - spike monitor: `<p>_neuron` (int32), `<p>_t_ms` (float64), one entry per spike;
 * - state monitor: `<p>_<variable>` (float32, shape [samples, neurons]),
 *   `<p>_t_ms` (float64, per sample), `<p>_neurons` (int32, the recorded neurons);
 * - rate monitor: `<p>_rate_hz` (float64, per bin), `<p>_t_ms` (float64, bin starts).
 *
 * CSV, one population: spikes `neuron,t_ms`; state `t_ms,neuron,value` (long
 * form, one row per sample and neuron); rate `t_ms,rate_hz`. The whole monitor in
 * one file (the app's CSV export) puts a `population` column first.
 */
import type { NpyArray } from './npz.ts';
import { encodeNpz } from './npz.ts';

export interface SpikePopulationData {
  readonly population: string;
  /** Population-local neuron index per spike. */
  readonly neuron: Int32Array;
  readonly tMs: Float64Array;
}

export interface StatePopulationData {
  readonly population: string;
  /** The recorded neurons (population-local), one column each. */
  readonly neurons: Int32Array;
  /** Sample times, one per row. */
  readonly tMs: Float64Array;
  /** Row-major [tMs.length, neurons.length]. */
  readonly values: Float32Array;
}

export interface RatePopulationData {
  readonly population: string;
  /** Bin starts. */
  readonly tMs: Float64Array;
  readonly rateHz: Float64Array;
}

export type MonitorData =
  | { readonly records: 'spikes'; readonly populations: readonly SpikePopulationData[] }
  | { readonly records: 'state'; readonly variable: string; readonly populations: readonly StatePopulationData[] }
  | { readonly records: 'rate'; readonly populations: readonly RatePopulationData[] };

/** The arrays of a monitor's `.npz` archive (layout in the module comment). */
export function monitorNpzArrays(data: MonitorData): NpyArray[] {
  switch (data.records) {
    case 'spikes':
      return data.populations.flatMap((p) => [
        { name: `${p.population}_neuron`, data: p.neuron },
        { name: `${p.population}_t_ms`, data: p.tMs },
      ]);
    case 'state':
      return data.populations.flatMap((p) => [
        { name: `${p.population}_${data.variable}`, data: p.values, shape: [p.tMs.length, p.neurons.length] },
        { name: `${p.population}_t_ms`, data: p.tMs },
        { name: `${p.population}_neurons`, data: p.neurons },
      ]);
    case 'rate':
      return data.populations.flatMap((p) => [
        { name: `${p.population}_rate_hz`, data: p.rateHz },
        { name: `${p.population}_t_ms`, data: p.tMs },
      ]);
  }
}

/** A monitor's `.npz` archive. */
export function monitorNpz(data: MonitorData): Uint8Array {
  return encodeNpz(monitorNpzArrays(data));
}

/** Times print with at most 6 decimals (steps × dt carry float noise otherwise). */
export function fmtMs(t: number): string {
  return String(+t.toFixed(6));
}

/** float32 values print with 7 significant digits (what a float32 holds). */
export function fmtF32(x: number): string {
  return Number.isFinite(x) ? String(+x.toPrecision(7)) : String(x);
}

/** The CSV header of one population's file, e.g. `neuron,t_ms`. */
export function csvHeader(records: MonitorData['records']): string {
  return records === 'spikes' ? 'neuron,t_ms' : records === 'state' ? 't_ms,neuron,value' : 't_ms,rate_hz';
}

function csvRows(data: MonitorData, index: number, prefix: string, out: string[]): void {
  switch (data.records) {
    case 'spikes': {
      const p = data.populations[index];
      for (let k = 0; k < p.neuron.length; k++) out.push(`${prefix}${p.neuron[k]},${fmtMs(p.tMs[k])}`);
      return;
    }
    case 'state': {
      const p = data.populations[index];
      const cols = p.neurons.length;
      for (let r = 0; r < p.tMs.length; r++) {
        const t = fmtMs(p.tMs[r]);
        for (let c = 0; c < cols; c++) out.push(`${prefix}${t},${p.neurons[c]},${fmtF32(p.values[r * cols + c])}`);
      }
      return;
    }
    case 'rate': {
      const p = data.populations[index];
      for (let b = 0; b < p.tMs.length; b++) out.push(`${prefix}${fmtMs(p.tMs[b])},${p.rateHz[b]}`);
      return;
    }
  }
}

/** One population's CSV (the CLI writes one file per population). */
export function populationCsv(data: MonitorData, index: number): string {
  const out = [csvHeader(data.records)];
  csvRows(data, index, '', out);
  return out.join('\n') + '\n';
}

/** The whole monitor in one CSV, with a leading `population` column. */
export function monitorCsv(data: MonitorData): string {
  const out = [`population,${csvHeader(data.records)}`];
  data.populations.forEach((p, i) => csvRows(data, i, `${p.population},`, out));
  return out.join('\n') + '\n';
}

/** The CLI's file name for one population's CSV: `<monitor>.<population>.<spikes|state|rate>.csv`. */
export function populationCsvName(monitorId: string, data: MonitorData, index: number): string {
  return `${monitorId}.${data.populations[index].population}.${data.records}.csv`;
}
