/**
 * What `spikeflow sweep --out DIR` keeps (issue 16):
 *
 *   DIR/sweep.json    the sweep (file, sets, seeds, duration): a rerun with another refuses DIR
 *   DIR/points.jsonl  one line per finished run (point, seed, values, every metric, or its error),
 *                     appended as each run ends, so an interrupted sweep resumes where it stopped
 *   DIR/results.csv   the table: point, the swept fields, seed, status, the chosen metrics
 *   DIR/results.json  the same rows as JSON, with the sweep
 *
 * points.jsonl is an append-only log, not rewritten: a line cut short by a kill
 * is skipped on reading (and that run done again); the tables are written whole
 * through the atomic writer.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pickMetrics, sweepCsv, type SweepRow, type SweepSet, type SweepValue } from '../compile/sweep.ts';
import { writeFileAtomic } from './atomic-write.ts';

export { sweepCsv, type SweepRow };

/** What identifies a sweep: a rerun into the same folder must match it. */
export interface SweepSpec {
  readonly file: string;
  readonly sets: readonly { readonly target: string; readonly values: readonly SweepValue[] }[];
  /** Seeds per point: the point's document seed and the next ones. */
  readonly seeds: number;
  readonly duration_ms: number;
}

export const specOf = (file: string, sets: readonly SweepSet[], seeds: number, durationMs: number): SweepSpec => ({
  file: path.resolve(file),
  sets: sets.map((s) => ({ target: s.target, values: s.values })),
  seeds,
  duration_ms: durationMs,
});

/**
 * Open DIR for this sweep: the rows already finished there (a resumed sweep),
 * or an error message when DIR holds a different sweep.
 */
export async function openSweepDir(dir: string, spec: SweepSpec): Promise<{ rows: SweepRow[]; skippedLines: number } | string> {
  const specFile = path.join(dir, 'sweep.json');
  const old = await readFile(specFile, 'utf8').catch(() => null);
  if (old !== null) {
    let same = false;
    try {
      same = JSON.stringify(JSON.parse(old)) === JSON.stringify(spec);
    } catch {
      same = false;
    }
    if (!same) return `${dir} holds another sweep (its sweep.json differs: file, --set values, --seeds or --duration-ms); use another --out or remove it`;
  } else await writeFileAtomic(specFile, JSON.stringify(spec, null, 2) + '\n');
  const text = await readFile(path.join(dir, 'points.jsonl'), 'utf8').catch(() => '');
  const rows: SweepRow[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as SweepRow;
      if (typeof row.point === 'number' && typeof row.seed === 'number' && row.metrics) rows.push(row);
      else skippedLines++;
    } catch {
      skippedLines++;
    }
  }
  return { rows, skippedLines };
}

/** Append a finished run to DIR/points.jsonl (one write of one line). */
export async function appendRow(dir: string, row: SweepRow): Promise<void> {
  await appendFile(path.join(dir, 'points.jsonl'), JSON.stringify(row) + '\n');
}

/** The table as JSON, each row with only the chosen metrics. */
export function sweepJson(spec: SweepSpec, rows: readonly SweepRow[], metrics: readonly string[]): string {
  return JSON.stringify({ ...spec, metrics, rows: pickMetrics(rows, metrics) }, null, 1) + '\n';
}

/** Write results.csv and results.json into DIR. */
export async function writeSweepTables(dir: string, spec: SweepSpec, rows: readonly SweepRow[], metrics: readonly string[]): Promise<void> {
  const targets = spec.sets.map((s) => s.target);
  await writeFileAtomic(path.join(dir, 'results.csv'), sweepCsv(rows, targets, metrics));
  await writeFileAtomic(path.join(dir, 'results.json'), sweepJson(spec, rows, metrics));
}
