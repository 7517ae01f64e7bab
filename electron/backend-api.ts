/**
 * The contract for running a document on another simulator (NEST, NEURON, Brian2
 * through PyNN) from the desktop app: exposed beside `window.spikeflow` as
 * `window.spikeflowBackends` by the preload, served by `backend-run-ipc.ts` in main.
 * Types and channel names only; the renderer imports it with `import type`.
 */

/** The simulators a document can run on besides Spikeflow's engine. */
export type ExternalBackend = 'nest' | 'neuron' | 'brian2';

/** What the page asks main to run. */
export interface BackendRunRequest {
  /** The page's id for this run (letters, digits, dashes), for progress and Cancel. */
  readonly jobId: string;
  /** The document as saved (`serializeDocument`), parsed and checked again in main. */
  readonly documentText: string;
  readonly backend: ExternalBackend;
  /** MPI processes (through `mpirun -np`); absent or 1: one process, no mpirun. */
  readonly mpi?: number;
  /** Threads per process (NEST). */
  readonly threads?: number;
}

/** One monitored population's recorded spikes, on the document's step grid. */
export interface ExternalSpikes {
  readonly monitorId: string;
  readonly nodeId: string;
  readonly neuron: readonly number[];
  readonly step: readonly number[];
}

/** What the script says of its run (its `run.json`). */
export interface ExternalRunInfo {
  readonly simulator: string;
  readonly processes: number;
  readonly threads: number;
  readonly build_ms: number;
  readonly run_ms: number;
}

/** How a run ended: its recorded spikes, or why not (the message is for people). */
export type BackendRunReply =
  | {
      readonly ok: true;
      readonly info: ExternalRunInfo;
      readonly spikes: readonly ExternalSpikes[];
      /** What the PyNN export could not express, and what it approximated. */
      readonly notExported: readonly string[];
      readonly approximations: readonly string[];
    }
  | { readonly ok: false; readonly cancelled: boolean; readonly message: string };

/** A running job's progress, in simulated milliseconds. */
export interface BackendProgress {
  readonly jobId: string;
  readonly doneMs: number;
  readonly totalMs: number;
}

/** `window.spikeflowBackends`: present only in the desktop app. */
export interface BackendHost {
  /** Export, run and read back; answers once, when the run ended. */
  run(request: BackendRunRequest): Promise<BackendRunReply>;
  /** Stop job `jobId` (its `run` then answers `cancelled`). */
  cancel(jobId: string): Promise<void>;
  /**
   * File › Import results: a folder chosen in a dialog, its `run.json` and
   * `*.spikes.csv` files (name → text); null when cancelled.
   */
  pickResults(): Promise<Record<string, string> | null>;
  /** Progress of every job; returns an unsubscribe function. */
  onProgress(listener: (progress: BackendProgress) => void): () => void;
}

/** IPC channels of the backend host; the preload's guard accepts no others. */
export const BACKEND_IPC = {
  run: 'spikeflow:backend-run',
  cancel: 'spikeflow:backend-cancel',
  progress: 'spikeflow:backend-progress',
  pickResults: 'spikeflow:backend-pick-results',
} as const;

/** Job ids the host accepts. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
