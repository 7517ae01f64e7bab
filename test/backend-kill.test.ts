/**
 * A backend run (the PyNN script on NEURON, NEST or Brian2 in a child process,
 * as `spikeflow run --backend` and the desktop app start it) killed from
 * outside mid-way, as a user's `kill` or the system running out of memory
 * would: the job ends at once, with no results, and says it was killed and by
 * which signal, rather than a bare exit code.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackendJob } from '../engine/hosts/backend-run.ts';
import { sourceSpikes } from '../engine/hosts/pynn-inputs.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { deterministicDocument } from './pynn-cases.ts';

describe('a backend run killed from outside', () => {
  it('ends at once without results, saying it was killed by SIGKILL, after the progress it made', async () => {
    // A stand-in python: answers the import check, reports progress, then runs "for a minute".
    const python = path.join(mkdtempSync(path.join(tmpdir(), 'sf-fake-py-')), 'python3');
    writeFileSync(python, '#!/bin/sh\nif [ "$1" = "-c" ]; then exit 0; fi\necho "spikeflow-progress 75 300"\nsleep 60\n');
    chmodSync(python, 0o755);
    const c = compileDocument(deterministicDocument());
    if (!c.ok) throw new Error(c.issues[0].message);
    const before = process.env.SPIKEFLOW_PYTHON;
    process.env.SPIKEFLOW_PYTHON = python;
    try {
      const progress: number[] = [];
      let pid = 0;
      const started = Date.now();
      const r = await runBackendJob(c.plan, 'det', { backend: 'neuron' }, sourceSpikes, {
        onStart: (p) => (pid = p),
        // Killed (its whole process group, as the OOM killer or `kill -9 -PGID` would) once it has made progress.
        onProgress: (done) => {
          progress.push(done);
          process.kill(-pid, 'SIGKILL');
        },
      });
      expect(pid).toBeGreaterThan(0);
      expect(progress).toEqual([75]);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.code).toBe(1);
      expect(r.message).toMatch(/^the neuron run was killed \(SIGKILL\) before it finished, so it has no results; its script is in \S+spikeflow-pynn-\S+\.$/);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      if (before === undefined) delete process.env.SPIKEFLOW_PYTHON;
      else process.env.SPIKEFLOW_PYTHON = before;
    }
  });
});
