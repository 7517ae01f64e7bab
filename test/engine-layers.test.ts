/**
 * The engine's layering, checked from the source: every import between engine
 * folders goes down the order of eslint.config.js (`ENGINE_LAYERS`), so no
 * import loop joins two folders; and no loop joins two files either.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const LAYERS = ['core', 'analysis', 'sim', 'kinds', 'format', 'learn', 'compile', 'interop', 'protocol', 'hosts'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Engine source files (tests and test support aside) and the engine files each imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const layer of LAYERS) {
    for (const file of sources(join(ROOT, 'engine', layer))) {
      const text = readFileSync(file, 'utf8');
      const deps: string[] = [];
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(ROOT, normalize(join(dirname(file), m[1])));
        if (target.startsWith('engine/')) deps.push(target);
      }
      graph.set(relative(ROOT, file), deps);
    }
  }
  return graph;
}

const layerOf = (file: string) => file.split('/')[1];

describe('engine layering', () => {
  const graph = importGraph();

  it('reads the engine sources, imports included, for every engine folder', () => {
    expect(LAYERS[0]).toBe('core');
    expect(LAYERS.at(-1)).toBe('hosts');
    const folders = readdirSync(join(ROOT, 'engine'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'test-support');
    expect(folders.map((d) => d.name).sort()).toEqual([...LAYERS].sort());
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('engine/sim/network.ts')).toContain('engine/sim/runtime.ts');
  });

  it('imports only from its own folder or the folders below it', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const from = LAYERS.indexOf(layerOf(file));
        const to = LAYERS.indexOf(layerOf(dep));
        if (to < 0 || to > from) upward.push(`${file} → ${dep}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import loop between files', () => {
    // Tarjan's strongly connected components; any with more than one file is a loop.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const loops: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next);
      next++;
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) loops.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(loops).toEqual([]);
  });
});
