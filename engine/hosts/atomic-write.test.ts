import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { writeFileAtomic, type AtomicFs } from './atomic-write.ts';
import { killTestDocument } from '../../test/atomic/kill-doc.ts';
import { ROOT } from '../../test/helpers.ts';

let dir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-atomic-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const listDir = async (): Promise<string[]> => (await fsp.readdir(dir)).sort();

describe('writeFileAtomic', () => {
  it('creates a new file with exactly the given text and leaves no temp file', async () => {
    const target = path.join(dir, 'net.spikeflow.json');
    await writeFileAtomic(target, '{"nodes":[]}\n');
    expect(await fsp.readFile(target, 'utf8')).toBe('{"nodes":[]}\n');
    expect(await listDir()).toEqual(['net.spikeflow.json']);
  });

  it('replaces an existing file and keeps its permissions', async () => {
    const target = path.join(dir, 'net.json');
    await fsp.writeFile(target, 'old');
    await fsp.chmod(target, 0o640);
    await writeFileAtomic(target, 'new content');
    expect(await fsp.readFile(target, 'utf8')).toBe('new content');
    if (process.platform !== 'win32') expect((await fsp.stat(target)).mode & 0o777).toBe(0o640);
    expect(await listDir()).toEqual(['net.json']);
  });

  it('never lets a concurrent reader see anything but the whole old or the whole new content', async () => {
    const target = path.join(dir, 'big.json');
    const a = 'a'.repeat(2_000_000);
    const b = 'b'.repeat(3_000_000);
    await fsp.writeFile(target, a);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const text = await fsp.readFile(target, 'utf8');
        seen.add(text === a ? 'a' : text === b ? 'b' : `torn:${text.length}`);
      }
    })();
    for (let i = 0; i < 12; i++) await writeFileAtomic(target, i % 2 ? a : b);
    writing = false;
    await reader;
    expect([...seen].filter((s) => s.startsWith('torn'))).toEqual([]);
    expect(await fsp.readFile(target, 'utf8')).toBe(a);
    expect(await listDir()).toEqual(['big.json']);
  });

  it('leaves the original intact and removes the temp file when the write fails', async () => {
    const target = path.join(dir, 'net.json');
    await fsp.writeFile(target, 'original');
    const failingFs: AtomicFs = {
      ...fsp,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const handle = await fsp.open(...args);
        // The disk fills up half-way through the write.
        return Object.assign(Object.create(handle) as fsp.FileHandle, {
          write: async () => {
            await handle.write('partial');
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      }) as typeof fsp.open,
    };
    await expect(writeFileAtomic(target, 'new', failingFs)).rejects.toThrow(/ENOSPC/);
    expect(await fsp.readFile(target, 'utf8')).toBe('original');
    expect(await listDir()).toEqual(['net.json']);
  });

  it('leaves the target and the directory unchanged when the rename fails', async () => {
    // A directory in the way makes the real rename fail (EISDIR / EPERM).
    const target = path.join(dir, 'taken');
    await fsp.mkdir(target);
    await fsp.writeFile(path.join(target, 'inside.txt'), 'keep');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(await fsp.readFile(path.join(target, 'inside.txt'), 'utf8')).toBe('keep');
    expect(await listDir()).toEqual(['taken']);
  });

  it('fails with the error of a missing directory and creates nothing', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'net.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await listDir()).toEqual([]);
  });
});

describe('stale temporary files of killed writers', () => {
  /** A pid that ran and has exited: a child that ends at once, awaited. */
  async function deadPid(): Promise<number> {
    const proc = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => proc.once('exit', r));
    return proc.pid!;
  }

  it('the next write of a target removes its temp files whose writer is gone or that are untouched for a minute, and nothing else', async () => {
    const target = path.join(dir, 'net.spikeflow.json');
    const dead = await deadPid();
    const deadTemp = `.net.spikeflow.json.${dead}.0123456789ab.tmp`;
    const oldTemp = `.net.spikeflow.json.${process.pid}.aaaaaaaaaaaa.tmp`;
    const liveTemp = `.net.spikeflow.json.${process.pid}.bbbbbbbbbbbb.tmp`;
    const otherTarget = `.other.json.${dead}.cccccccccccc.tmp`;
    for (const f of [deadTemp, oldTemp, liveTemp, otherTarget]) await fsp.writeFile(path.join(dir, f), 'partial');
    // Written two minutes ago by a pid that runs (this one): stale by age.
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await fsp.utimes(path.join(dir, oldTemp), twoMinutesAgo, twoMinutesAgo);

    await writeFileAtomic(target, 'new');
    expect(await fsp.readFile(target, 'utf8')).toBe('new');
    expect(await listDir()).toEqual([liveTemp, otherTarget, 'net.spikeflow.json'].sort());
  });
});

describe('writeFileAtomic with streamed content', () => {
  it('writes chunks from a generator, text and bytes mixed, in order, without building one string', async () => {
    const target = path.join(dir, 'rows.csv');
    function* rows(): Generator<string | Uint8Array> {
      yield 'neuron,t_ms\n';
      for (let i = 0; i < 100_000; i++) yield `${i % 7},${i * 0.1}\n`;
      yield new Uint8Array([0x23, 0x0a]); // "#\n"
    }
    await writeFileAtomic(target, rows());
    const text = await fsp.readFile(target, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('neuron,t_ms');
    expect(lines[1]).toBe('0,0');
    expect(lines[100_000]).toBe(`${99_999 % 7},${99_999 * 0.1}`);
    expect(lines[100_001]).toBe('#');
    expect(lines.length).toBe(100_003);
  });

  it('leaves the old file whole when the producer of the chunks throws half-way', async () => {
    const target = path.join(dir, 'out.csv');
    await fsp.writeFile(target, 'old');
    async function* failing(): AsyncGenerator<string> {
      yield 'x'.repeat(3 << 20);
      throw new Error('the run ended badly');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow('the run ended badly');
    expect(await fsp.readFile(target, 'utf8')).toBe('old');
    expect(await listDir()).toEqual(['out.csv']);
  });
});

/** A seeded uniform generator (mulberry32) for the kill moments. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('writeFileAtomic under SIGKILL', () => {
  it('leaves the old or the new document on disk, whole, when the writing process is killed at 50 random moments', async () => {
    const SYNAPSES = 100_000;
    const texts = [killTestDocument(0, SYNAPSES), killTestDocument(1, SYNAPSES)];
    const versions = new Map(texts.map((t, v) => [sha(t), v]));
    const sources = path.join(dir, 'versions');
    await fsp.mkdir(sources);
    const [a, b] = [path.join(sources, 'a.json'), path.join(sources, 'b.json')];
    await fsp.writeFile(a, texts[0]);
    await fsp.writeFile(b, texts[1]);
    const child = path.join(sources, 'kill-child.mjs');
    await build({ entryPoints: [path.join(ROOT, 'test/atomic/kill-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: child, logLevel: 'error' });
    const target = path.join(dir, 'net.spikeflow.json');
    await fsp.writeFile(target, texts[0]);
    const size = (await fsp.stat(target)).size;
    expect(size).toBeGreaterThan(2_500_000);
    const random = mulberry32(12);
    const seen = [0, 0];
    let leftovers = 0;
    const killed = new Set<number>();
    for (let kill = 0; kill < 50; kill++) {
      const proc = spawn(process.execPath, [child, target, a, b], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        proc.stdout!.once('data', () => resolve());
        proc.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
      });
      // Each write of ~2.7 MB takes tens of ms here; up to 200 ms covers every phase of several writes.
      await new Promise((r) => setTimeout(r, random() * 200));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      const version = versions.get(sha(await fsp.readFile(target)));
      expect(version, `after kill ${kill + 1} the file is neither version whole`).toBeDefined();
      seen[version!]++;
      // At most one killed writer's temporary file may be left beside it: each writer removes its
      // killed predecessors' (their pids are gone) before it opens its own, so they never pile up.
      killed.add(proc.pid!);
      const left = (await listDir()).filter((f) => f !== 'net.spikeflow.json' && f !== 'versions');
      expect(left.length, `after kill ${kill + 1}: ${left.join(', ')}`).toBeLessThanOrEqual(1);
      for (const f of left) expect(killed.has(Number(/^\.net\.spikeflow\.json\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(f)?.[1])), f).toBe(true);
      leftovers += left.length;
    }
    // The kills landed at different moments: both versions were found on disk.
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBeGreaterThan(0);
    // Some kills landed mid-write and left a temp file, which the next writer cleaned.
    expect(leftovers).toBeGreaterThan(0);
  }, 180_000);
});
