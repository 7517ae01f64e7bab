import { describe, it, expect, beforeEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { clearDatasetFiles } from '../engine/sim/dataset-files.ts';
import { requireTool } from './require-tool.ts';
import { provideDocumentDatasets } from '../engine/hosts/dataset-files-node.ts';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { smallTrainingDocument } from '../engine/test-support/test-docs.ts';
import { gzipSync } from 'node:zlib';
import { Rng } from '../engine/sim/rng.ts';
import { ROOT } from './helpers.ts';

const FASHION = '/usr/share/datasets/fashion-mnist';
const run = requireTool('Fashion-MNIST (Debian dataset-fashion-mnist)', existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz')), 'apt-get install -y dataset-fashion-mnist');

async function runCli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** The Fashion-MNIST example, cut to a short training, written to a fresh folder. */
function example(edit: (enc: Record<string, unknown>, trainer: Record<string, unknown>) => void): string {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'datasets', 'sg-fashion-mnist.spikeflow.json'), 'utf8'));
  const node = (id: string) => doc.nodes.find((n: { id: string }) => n.id === id).params;
  node('trainer').epochs = 1;
  node('trainer').check_in_simulation = false;
  edit(node('fashion'), node('trainer'));
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-fashion-'));
  const file = path.join(dir, 'fashion.spikeflow.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe.runIf(run)('dataset files from the CLI (Fashion-MNIST)', () => {
  // Each test reads its files afresh, as a new CLI process would.
  beforeEach(() => clearDatasetFiles());

  it.each(['sg-fashion-mnist', 'sg-fashion-mnist-alif'])(
    'the example %s loads with its files read, compiles to 784 input channels, and is saved in canonical form',
    async (name) => {
      const file = path.join(ROOT, 'examples', 'datasets', `${name}.spikeflow.json`);
      const text = readFileSync(file, 'utf8');
      await provideDocumentDatasets(JSON.parse(text), file);
      const r = loadDocument(text);
      if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
      expect(r.warnings).toEqual([]);
      const c = compileDocument(r.doc);
      expect(c.ok && c.plan.populations.find((p) => p.nodeId === 'fashion')!.size).toBe(784);
      expect(serializeDocument(r.doc)).toBe(text);
    },
    300_000,
  );

  it("trains the example briefly on samples of the training file and tests on the test file's", async () => {
    // From sample 59 000: 1000 training images, then the first 300 of the t10k file.
    const file = example((enc, trainer) => {
      Object.assign(enc, { first_sample: 59_000, sample_count: 1300 });
      trainer.learning_rate = 0.02;
    });
    const r = await runCli(['run', file, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out).training;
    // 5 % of the 1000 training images are held out for validation.
    expect(t).toMatchObject({ trainSamples: 950, testSamples: 300, epochs: 1, steps: 20 });
    expect(t.history[0].validationAccuracy).not.toBeNull();
    // Chance is 10 %; the full example is what reaches the target.
    expect(t.testAccuracy).toBeGreaterThan(0.25);
  }, 300_000);

  it('names the node and field of a dataset file that does not exist, and one that is truncated', async () => {
    const missing = example((enc) => Object.assign(enc, { labels_file: 'no-such-labels.gz' }));
    const a = await runCli(['validate', missing]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/\/nodes\/0\/params\/labels_file: .*"fashion".*field labels_file: the file "no-such-labels.gz" does not exist/);
    const dir = path.dirname(missing);
    const gz = readFileSync(path.join(FASHION, 't10k-labels-idx1-ubyte.gz'));
    writeFileSync(path.join(dir, 'cut.gz'), gz.subarray(0, 3000));
    const cut = example((enc) => Object.assign(enc, { test_labels_file: 'cut.gz' }));
    writeFileSync(path.join(path.dirname(cut), 'cut.gz'), gz.subarray(0, 3000));
    const b = await runCli(['validate', cut]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/field test_labels_file: the file "cut.gz" is gzipped but its data is corrupt or truncated/);
  }, 300_000);

  it('refuses labels that do not match the images, naming the count of each', async () => {
    const file = example((enc) => Object.assign(enc, { labels_file: path.join(FASHION, 't10k-labels-idx1-ubyte.gz') }));
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/field labels_file: ".*t10k-labels-idx1-ubyte.gz" has 10000 labels for the 60000 samples of ".*train-images-idx3-ubyte.gz"/);
  }, 300_000);
});

/** An IDX file: magic 00 00 08 ndim, big-endian dims, then the bytes. */
function idx(dims: number[], body: Uint8Array): Uint8Array {
  const head = [0, 0, 8, dims.length];
  for (const d of dims) head.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...head, ...body]);
}

describe('dataset files next to the document', () => {
  beforeEach(() => clearDatasetFiles());

  it('are found relative to the document, and an engine on a worker thread trains the same as in-process', async () => {
    // 80 images of 4 × 4 bytes: class c has a bright pixel c (plus noise), 4 classes.
    const rng = new Rng(3, 'images');
    const n = 80;
    const images = new Uint8Array(n * 16);
    const labels = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      labels[k] = k % 4;
      for (let j = 0; j < 16; j++) images[k * 16 + j] = Math.floor(rng.uniform() * 60);
      images[k * 16 + labels[k] * 4] = 255;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-idx-'));
    writeFileSync(path.join(dir, 'images-idx3-ubyte.gz'), gzipSync(idx([n, 4, 4], images)));
    writeFileSync(path.join(dir, 'labels-idx1-ubyte'), idx([n], labels));
    const doc = smallTrainingDocument({ epochs: 2, trainer: { check_in_simulation: false } });
    Object.assign(doc.nodes[0].params, { input: 'file', file: 'images-idx3-ubyte.gz', labels_file: 'labels-idx1-ubyte', sample_count: 0 });
    const file = path.join(dir, 'small.spikeflow.json');
    writeFileSync(file, serializeDocument(doc));
    const here = await runCli(['run', file, '--json']);
    expect(here.err).toBe('');
    const a = JSON.parse(here.out).training;
    expect(a).toMatchObject({ trainSamples: 64, testSamples: 16 });
    clearDatasetFiles();
    const worker = await runCli(['run', file, '--json', '--worker']);
    expect(worker.err).toBe('');
    expect(JSON.parse(worker.out).training.history).toEqual(a.history);
  }, 120_000);
});
