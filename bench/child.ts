/**
 * Child processes of the bench: each measurement runs in a fresh process, in
 * its own process group (so a timeout or Ctrl-C ends the whole tree: python →
 * make → g++ → standalone binary), optionally under GNU time for peak RSS.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseTimeReport, TIME_FORMAT, type TimeReport } from './rss.ts';

export const GNU_TIME = '/usr/bin/time';

export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Spawn to exit, measured here. */
  readonly wallS: number;
  readonly timedOut: boolean;
  /** GNU time's report, when run under it and it wrote one. */
  readonly time: TimeReport | null;
}

export interface ChildOptions {
  readonly cwd: string;
  readonly timeoutS: number;
  /** Run under GNU time, writing its report to this file. */
  readonly timeFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep at most this many characters of each stream (the tail). */
  readonly keepChars?: number;
}

const live = new Set<number>();

/** Kill every live child's process group (Ctrl-C, exit). */
export function killAllChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const pid of live) {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

export function liveChildren(): number {
  return live.size;
}

export async function runChild(cmd: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  const keep = options.keepChars ?? 200_000;
  const [file, argv] = options.timeFile ? [GNU_TIME, ['-f', TIME_FORMAT, '-o', options.timeFile, cmd, ...args]] : [cmd, [...args]];
  if (options.timeFile) await rm(options.timeFile, { force: true });
  const t0 = performance.now();
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid !== undefined) live.add(child.pid);
  let stdout = '';
  let stderr = '';
  const tail = (acc: string, chunk: Buffer) => {
    const s = acc + chunk.toString('utf8');
    return s.length > keep ? s.slice(s.length - keep) : s;
  };
  child.stdout.on('data', (c: Buffer) => (stdout = tail(stdout, c)));
  child.stderr.on('data', (c: Buffer) => (stderr = tail(stderr, c)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, options.timeoutS * 1000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => {
      stderr += `\n${(e as Error).message}`;
      resolve({ code: null, signal: null });
    });
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  const wallS = (performance.now() - t0) / 1000;
  clearTimeout(timer);
  if (child.pid !== undefined) live.delete(child.pid);
  let time: TimeReport | null = null;
  if (options.timeFile) {
    try {
      time = parseTimeReport(await readFile(options.timeFile, 'utf8'));
    } catch {
      time = null;
    }
    await rm(options.timeFile, { force: true });
  }
  return { code, signal, stdout, stderr, wallS, timedOut, time };
}

/** The last JSON object line of a process's stdout, or null. */
export function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v = JSON.parse(lines[i]) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // Not JSON; keep looking.
    }
  }
  return null;
}

/** The last few lines of a stream, for error messages. */
export function tailLines(text: string, n = 8): string {
  return text.trimEnd().split(/\r?\n/).slice(-n).join('\n');
}

/** Why a child failed, in one sentence; null when it exited 0. */
export function childFailure(r: ChildResult, timeoutS: number): string | null {
  if (r.timedOut) return `timed out after ${timeoutS} s (killed)`;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.time?.signal) return `killed by signal ${r.time.signal}${r.time.signal === 9 ? ' (out of memory?)' : ''}`;
  if (r.code !== 0) return `exited with status ${r.code}${r.stderr.trim() ? `: ${tailLines(r.stderr, 4)}` : ''}`;
  return null;
}

export function repoRoot(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
}
