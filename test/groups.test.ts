/**
 * Groups (format v2) end to end below the UI: a grouped document runs spike for spike as
 * the flat one, and the CLI runs and validates grouped documents.
 */
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GraphDocument } from '../engine/format/document.ts';
import { serializeDocument } from '../engine/format/load.ts';
import { groupNodes, isGroupNode } from '../engine/format/groups.ts';
import type { GroupNode } from '../engine/format/groups.ts';
import { Network } from '../engine/sim/network.ts';
import { runtimeOf } from '../engine/kinds/index.ts';
import { ROOT, loadExample, planOf } from './helpers.ts';

function group(doc: GraphDocument, ids: string[], id: string, label: string): GraphDocument {
  const r = groupNodes(doc, ids, { id, label });
  if (!r.ok) throw new Error(r.problem);
  return { ...doc, nodes: r.level.nodes, edges: r.level.edges };
}

/** Every recorded spike, per recorder, as "neuron@step". */
function spikesOf(doc: GraphDocument, durationMs: number): string[][] {
  const net = new Network(planOf(doc, { durationMs }), { runtimes: runtimeOf });
  const out: string[][] = net.recorders.map(() => []);
  while (net.step < net.nSteps) {
    net.advance();
    if (net.step % 100 === 0 || net.step === net.nSteps) {
      net.recorders.forEach((r, k) => {
        const { neuron, step } = r.drain();
        for (let i = 0; i < neuron.length; i++) out[k].push(`${neuron[i]}@${step[i]}`);
      });
    }
  }
  return out;
}

describe('a grouped network runs exactly as the flat one', () => {
  it('Brunel (2000): E and I grouped, and that group nested with the drive, give the same spikes for seed 1', () => {
    const flat = loadExample('brunel.spikeflow.json');
    const grouped = group(group(flat, ['exc', 'inh'], 'ei', 'Balanced E/I'), ['ext', 'ei'], 'net', 'Driven network');
    expect(grouped.nodes.map((n) => n.id)).toEqual(['net', 'raster']);
    expect(isGroupNode((grouped.nodes[0] as GroupNode).nodes[1])).toBe(true);
    const a = spikesOf(flat, 400);
    const b = spikesOf(grouped, 400);
    expect(a[0].length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('CUBA (Vogels & Abbott): the two populations grouped give the same spikes for seed 2', () => {
    const flat = loadExample('cuba.spikeflow.json');
    flat.simulation.seed = 2;
    const grouped = group(flat, ['exc', 'inh'], 'cuba', 'CUBA core');
    const a = spikesOf(flat, 300);
    const b = spikesOf(grouped, 300);
    expect(a[0].length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the CLI and grouped documents', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'spikeflow-groups-'));
  const flat = loadExample('brunel.spikeflow.json');
  const groupedFile = path.join(dir, 'brunel-grouped.spikeflow.json');
  writeFileSync(groupedFile, serializeDocument(group(flat, ['exc', 'inh'], 'ei', 'Balanced E/I')));

  it('runs a grouped document to the same statistics as the flat one', async () => {
    const [g, f] = await Promise.all([cli(['run', groupedFile, '--json', '--duration-ms', '200']), cli(['run', 'examples/brunel.spikeflow.json', '--json', '--duration-ms', '200'])]);
    expect(g.stderr).toBe('');
    expect(g.code).toBe(0);
    const gj = JSON.parse(g.stdout);
    const fj = JSON.parse(f.stdout);
    expect(gj.spikes).toBeGreaterThan(0);
    expect(gj.spikes).toBe(fj.spikes);
    expect(gj.synapses).toBe(fj.synapses);
    expect(gj.neurons).toBe(fj.neurons);
  });

  it('validates a grouped document, and names the group, node and field of a bad inner value', async () => {
    const ok = await cli(['validate', groupedFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid');
    const bad = group(flat, ['exc', 'inh'], 'ei', 'Balanced E/I');
    (bad.nodes.find((n) => n.id === 'ei') as GroupNode).nodes[0].params.tau_m_ms = -5;
    const badFile = path.join(dir, 'bad.spikeflow.json');
    writeFileSync(badFile, serializeDocument(bad));
    const r = await cli(['validate', badFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/nodes\/1\/nodes\/0\/params\/tau_m_ms: In group "ei" \(Balanced E\/I\): Node "exc" .*field tau_m_ms/);
  });
});
