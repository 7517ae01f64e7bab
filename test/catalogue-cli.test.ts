import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { serializeDocument } from '../engine/format/load.ts';
import { ALL_KINDS, catalogueDocument } from './catalogue.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sf-catalogue-'));

async function runCli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('every node kind runs from the CLI', () => {
  it.each(ALL_KINDS.map((k) => [k.id, k] as const))('%s', async (_id, kind) => {
    const file = path.join(dir, `${kind.id}.spikeflow.json`);
    writeFileSync(file, serializeDocument(catalogueDocument(kind)));
    const r = await runCli(['run', file, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out);
    expect(stats.steps).toBe(1000);
    expect(stats.neurons).toBeGreaterThan(0);
    // Something happened: neurons or inputs spiked, or a current drove the population.
    expect(stats.spikes + stats.source_spikes + stats.external_events).toBeGreaterThan(0);
  });
});
