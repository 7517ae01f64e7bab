/**
 * Run state: session state about the current or last run. It lives in the editor
 * store beside the document but is never part of it, never recorded in history,
 * and never saved. The spike data itself is held outside the store (see
 * `renderer/engine/spike-buffers.ts`); the store only carries a version counter
 * that bumps when new spikes arrive.
 */
import type { DocIssue } from '../../engine/format/document.ts';
import type { RunStarted } from '../../engine/protocol/messages.ts';
import type { RunStats } from '../../engine/sim/stats.ts';

export const RUN_PHASES = ['idle', 'starting', 'running', 'paused', 'stopping', 'finished', 'stopped', 'failed', 'refused'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type EngineStatus = 'connecting' | 'ready' | 'restarting' | 'down';

export interface RunState {
  readonly phase: RunPhase;
  readonly runId: number | null;
  readonly step: number;
  readonly nSteps: number;
  readonly dtMs: number;
  readonly started: RunStarted | null;
  readonly stats: RunStats | null;
  /** Compile issues that refused the last Run; each names a node and field. */
  readonly issues: readonly DocIssue[];
  /** Why the last run failed (engine error), for people. */
  readonly error: string | null;
  readonly engine: EngineStatus;
  /** Bumps whenever spike buffers change, so panels know to redraw. */
  readonly resultsVersion: number;
  /** While the engine builds the network (before the first step): what and how far. */
  readonly build: { readonly phase: string; readonly done: number; readonly total: number } | null;
  /** A training run's place: epochs and batches done (`train-progress`). */
  readonly training: { readonly epoch: number; readonly epochs: number; readonly batch: number; readonly batches: number; readonly wallMs: number } | null;
  /** Wall time of the whole run, from Run to its end (a training run's clock), in ms. */
  readonly wallMs: number | null;
}

export const INITIAL_RUN_STATE: RunState = {
  phase: 'idle',
  runId: null,
  step: 0,
  nSteps: 0,
  dtMs: 0,
  started: null,
  stats: null,
  issues: [],
  error: null,
  engine: 'connecting',
  resultsVersion: 0,
  build: null,
  training: null,
  wallMs: null,
};

/** Whether a run is in progress (the document's Run button is then disabled). */
export function isRunActive(phase: RunPhase): boolean {
  return phase === 'starting' || phase === 'running' || phase === 'paused' || phase === 'stopping';
}
