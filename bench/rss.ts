/**
 * Peak memory of a child process, read from GNU time's output (pure parsing;
 * the spawning is in child.ts).
 *
 * GNU time writes its line to a file (`-o`) so the child's own stderr never
 * mixes with it. Before the line it may write "Command exited with non-zero
 * status N" or "Command terminated by signal N".
 */

/** The `-f` format: one line, keyed fields, so the parse does not depend on field order. */
export const TIME_FORMAT = 'spikeflow-time elapsed_s=%e max_rss_kb=%M exit=%x';

export interface TimeReport {
  /** Wall seconds as GNU time saw them (10 ms resolution). */
  readonly elapsedS: number;
  /** Peak resident set size of the child (and its waited-for descendants), bytes. */
  readonly maxRssBytes: number;
  /** The child's exit status, or null when it was killed by a signal. */
  readonly exitCode: number | null;
  /** The signal that killed the child, when one did. */
  readonly signal: number | null;
}

/** Parse GNU time's `-o` file written with `TIME_FORMAT`; null when the line is missing or garbled. */
export function parseTimeReport(text: string): TimeReport | null {
  const lines = text.split(/\r?\n/);
  const line = [...lines].reverse().find((l) => l.startsWith('spikeflow-time '));
  if (!line) return null;
  const field = (name: string): string | undefined => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(line)?.[1];
  const elapsed = Number(field('elapsed_s'));
  const kb = Number(field('max_rss_kb'));
  const exitRaw = field('exit');
  if (!Number.isFinite(elapsed) || !Number.isInteger(kb) || kb < 0 || exitRaw === undefined) return null;
  const sig = /Command terminated by signal (\d+)/.exec(text);
  const signal = sig ? Number(sig[1]) : null;
  // GNU time prints %x as the exit status; after a signal it is meaningless (often 0 or -1).
  const exit = Number(exitRaw);
  return {
    elapsedS: elapsed,
    maxRssBytes: kb * 1024,
    exitCode: signal === null && Number.isInteger(exit) ? exit : null,
    signal,
  };
}

/** Bytes to mebibytes, the unit the table prints. */
export function bytesToMiB(bytes: number): number {
  return bytes / (1024 * 1024);
}
