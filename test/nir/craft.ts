/**
 * Hand-made HDF5 files for the NIR reader's bad-file tests: a nested object becomes groups
 * and datasets (a string → a string dataset, `{ data, shape, dtype }` → a numeric one), so a
 * test states exactly which dataset is wrong, missing or extra.
 */
import h5wasm from 'h5wasm';
import type { Group } from 'h5wasm';

export interface CraftArray {
  data: ArrayLike<number> | BigInt64Array;
  shape: number[];
  dtype: string;
}
/** `undefined` leaves the entry out (to drop a field from a template). */
export type CraftEntry = string | string[] | CraftArray | { [name: string]: CraftEntry | undefined };

export const f64 = (values: number[], shape = [values.length]): CraftArray => ({ data: Float64Array.from(values), shape, dtype: '<d' });
export const i64 = (values: number[], shape = [values.length]): CraftArray => ({ data: BigInt64Array.from(values, BigInt), shape, dtype: '<q' });
/** `[[a, b], …]` as h5py writes edges: an n × 2 string dataset. */
export const edges = (pairs: [string, string][]): string[] & { pairs: true } => Object.assign(pairs.flat(), { pairs: true as const });

const isArray = (v: CraftEntry | undefined): v is CraftArray => typeof v === 'object' && !Array.isArray(v) && 'dtype' in v && 'shape' in v;

function fill(group: Group, entries: Record<string, CraftEntry | undefined>): void {
  for (const [name, v] of Object.entries(entries)) {
    if (v === undefined) continue;
    if (typeof v === 'string') group.create_dataset({ name, data: v });
    else if (Array.isArray(v)) {
      const shape = 'pairs' in v ? [v.length / 2, 2] : [v.length];
      group.create_dataset({ name, data: [...v], shape });
    } else if (isArray(v)) group.create_dataset({ name, data: v.data as Float64Array, shape: v.shape, dtype: v.dtype });
    else fill(group.create_group(name), v);
  }
}

let n = 0;
/** The bytes of an HDF5 file holding `entries` at its root. */
export async function craftHdf5(entries: Record<string, CraftEntry>): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = `/craft-${++n}.h5`;
  const file = new h5wasm.File(path, 'w');
  fill(file, entries);
  file.close();
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

/** A valid one-LIF graph's root `node` entries; tests spread and spoil it. */
export function lifGraph(
  lif: Record<string, CraftEntry | undefined> = {},
  extra: Record<string, CraftEntry> = {},
  edgeList: [string, string][] = [
    ['input', 'lif1'],
    ['lif1', 'output'],
  ],
): Record<string, CraftEntry> {
  return {
    version: '1.0.7',
    node: {
      type: 'NIRGraph',
      edges: edges(edgeList),
      nodes: {
        input: { type: 'Input', shape: i64([3]) },
        lif1: {
          type: 'LIF',
          tau: f64([0.01, 0.02, 0.03]),
          r: f64([1, 1, 1]),
          v_leak: f64([0, 0, 0]),
          v_threshold: f64([1, 1, 1]),
          v_reset: f64([0, 0, 0]),
          ...lif,
        },
        output: { type: 'Output', shape: i64([3]) },
        ...extra,
      },
    },
  };
}
