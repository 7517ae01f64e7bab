/**
 * The engine protocol: the one contract between a UI (renderer or CLI) and an
 * engine host (Electron utility process, Web Worker, worker thread, or in-process).
 *
 * - Requests carry a numeric `reqId` and get exactly one `reply`.
 * - Everything else the engine sends is an event, a separate stream.
 * - Bulk data (spikes) travels as typed arrays whose buffers are transferred.
 */
import type { NetworkPlan } from '../core/plan.ts';
import type { RunStats } from '../sim/stats.ts';
import type { EpochReport, LayerStat, LearntTimeConstants, Misclassified, TrainingCheckpoint } from '../learn/trainer.ts';
import type { DatasetFileEntry } from '../sim/dataset-files.ts';
import type { PackedImageFolder } from '../sim/image-folder.ts';

export type { EpochReport, LayerStat, Misclassified };

/** Bumped on any incompatible change to these messages. */
export const PROTOCOL_VERSION = 1;

/** Stable error codes; the UI may branch on them, the message is for people. */
export const ERROR_CODES = ['invalid-plan', 'too-big', 'build-failed', 'busy', 'no-run', 'bad-request', 'protocol-mismatch', 'engine-crashed', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface EngineError {
  readonly code: ErrorCode;
  readonly message: string;
  /** The document node or edge the error is about, when there is one. */
  readonly nodeId?: string;
  /** JSON pointer into the document, when there is one. */
  readonly pointer?: string;
}

export interface RunOptions {
  /** Steps between progress events and spike chunks (default: about 50 ms of wall time). */
  readonly chunkSteps?: number;
  /** Start paused (for stepping). */
  readonly startPaused?: boolean;
  /** Run as fast as possible without yielding between chunks (CLI, benchmarks). */
  readonly noYield?: boolean;
  /**
   * Simulation threads (engine/sim/parallel). Default: every core of a machine
   * with 4 or more, for networks of 20,000 neurons or 1 M synapses or more; else one. Results
   * are the same for any count; `finished` stats report the count used.
   */
  readonly threads?: number;
  /** Time the build's and the step's phases; `finished` stats then carry `profile` (engine/sim/stats.ts `RunProfile`; parallel runs add every thread's busy and wait times). */
  readonly profile?: boolean;
}

export type Request =
  | { readonly type: 'hello'; readonly reqId: number; readonly protocol: number }
  | { readonly type: 'run'; readonly reqId: number; readonly plan: NetworkPlan; readonly options?: RunOptions }
  | { readonly type: 'pause'; readonly reqId: number }
  | { readonly type: 'resume'; readonly reqId: number }
  /** Advance a paused run by `steps` steps. */
  | { readonly type: 'step'; readonly reqId: number; readonly steps: number }
  | { readonly type: 'stop'; readonly reqId: number }
  /**
   * A dataset file's bytes (IDX, gzipped or not, .npy, .npz) for the encoders that name
   * `path`: the engine inflates and parses them (off the UI thread) and keeps the arrays
   * for its runs (engine/sim/dataset-files.ts); the reply holds the parsed entry.
   */
  | { readonly type: 'provide-file'; readonly reqId: number; readonly path: string; readonly bytes: Uint8Array }
  /**
   * An image folder (engine/sim/image-folder.ts) for the encoders that name `path`: its
   * class sub-folders' images, packed; the engine decodes them (off the UI thread) and
   * keeps the arrays as for `provide-file`, whose reply it answers.
   */
  | { readonly type: 'provide-image-folder'; readonly reqId: number; readonly path: string; readonly folder: PackedImageFolder };

export type RequestType = Request['type'];

export interface HelloResult {
  readonly protocol: number;
  readonly engineVersion: string;
  readonly host: string;
}

/** What the engine built, answered to `run` before the first step. */
export interface RunStarted {
  readonly runId: number;
  readonly neurons: number;
  readonly synapses: number;
  readonly nSteps: number;
  readonly dtMs: number;
  readonly buildMs: number;
  readonly memoryBytes: number;
}

/** The answer to `provide-file`: the arrays the engine now holds for the path, or why the file is unreadable. */
export type ProvidedFile = DatasetFileEntry;

export type ReplyResult = HelloResult | RunStarted | ProvidedFile | null;

export type Reply =
  | { readonly type: 'reply'; readonly reqId: number; readonly ok: true; readonly result: ReplyResult }
  | { readonly type: 'reply'; readonly reqId: number; readonly ok: false; readonly error: EngineError };

/**
 * Spikes of one monitor over a span of steps, population-local neuron indices.
 * `neuron[k]` spiked in step `step[k]`; time is `step[k] * dtMs`.
 */
export interface SpikeChunk {
  readonly type: 'spikes';
  readonly runId: number;
  readonly monitorId: string;
  /** Index of the observed population within the monitor's sources. */
  readonly source: number;
  readonly neuron: Int32Array;
  readonly step: Int32Array;
}

/**
 * A state monitor's samples: `values[row * neurons.length + k]` is the variable
 * of neuron `neurons[k]` at step `step0 + row * everySteps`.
 */
export interface StateChunk {
  readonly type: 'state';
  readonly runId: number;
  readonly monitorId: string;
  readonly source: number;
  readonly variable: string;
  readonly neurons: Int32Array;
  readonly everySteps: number;
  readonly step0: number;
  readonly values: Float32Array;
}

/** A rate monitor's spike counts per bin: bin b covers steps [(bin0 + b)·binSteps, (bin0 + b + 1)·binSteps). */
export interface RateChunk {
  readonly type: 'rate';
  readonly runId: number;
  readonly monitorId: string;
  readonly source: number;
  /** Neurons in the observed population, to turn counts into rates. */
  readonly size: number;
  readonly binSteps: number;
  readonly bin0: number;
  readonly counts: Float32Array;
}

/**
 * A weight monitor's snapshots of a plastic projection (sim/weight-recorder.ts):
 * row r of `w` (one weight per synapse) holds the weights at step `steps[r]`
 * (time `steps[r] · dtMs`). The monitor's first chunk also carries the synapses'
 * ends (`pre`, `post`; fixed during a run) — keep them for later chunks.
 */
export interface WeightChunk {
  readonly type: 'weights';
  readonly runId: number;
  readonly monitorId: string;
  /** The plasticity node whose projection this is. */
  readonly nodeId: string;
  readonly sourceSize: number;
  readonly targetSize: number;
  readonly steps: Int32Array;
  readonly w: Float32Array;
  readonly pre?: Int32Array;
  readonly post?: Int32Array;
}

/**
 * How far the run is. `counts` and `events` (optional; absent from older engines)
 * are cumulative since the run started, so a consumer may skip events and still
 * compute rates from any two of them.
 */
export interface ProgressEvent {
  readonly type: 'progress';
  readonly runId: number;
  readonly step: number;
  readonly nSteps: number;
  readonly wallMs: number;
  /** Spikes so far per population, in `plan.populations` order (current sources: 0). */
  readonly counts?: readonly number[];
  /** Synaptic events so far per projection, in `plan.projections` order. */
  readonly events?: readonly number[];
}

/**
 * How far building the network is, before its first step: sent while the engine
 * draws connectivity (a big network can take seconds). `done` of `total` units of
 * work (projections drawn, or synapses when one projection dominates); `phase`
 * names what is being built, for people. A `stop` while building cancels the build
 * and ends the run with `finished` (stopped) or `failed`.
 */
export interface BuildProgressEvent {
  readonly type: 'build-progress';
  readonly runId: number;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly wallMs: number;
}

/**
 * How far a training run is (a run whose plan has a trainer): sent after every
 * slice of batches, with `report` when the slice ended an epoch.
 */
export interface TrainProgressEvent {
  readonly type: 'train-progress';
  readonly runId: number;
  readonly trainerId: string;
  /** Epochs done. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in the current epoch. */
  readonly batch: number;
  readonly batches: number;
  /** Wall time spent training so far. */
  readonly wallMs: number;
  readonly report?: EpochReport;
  /** Per trained population over the last finished batch: spike rate and gradient norm of its incoming weights (absent before the first batch). */
  readonly layers?: readonly LayerStat[];
  /** With `report`, when the trainer's params ask for it (`emit_checkpoints`): the state to resume from after this epoch. */
  readonly checkpoint?: TrainingCheckpoint;
}

/** What a training run did, in its `finished` event. */
export interface TrainingSummary {
  readonly trainerId: string;
  readonly epochs: number;
  /** Epochs asked for. */
  readonly epochsPlanned: number;
  readonly stopped: boolean;
  /** The host's sample budget (the CLI's --duration-ms) ended the training before its epochs. */
  readonly budgetSpent?: boolean;
  /** Something after the training failed (its statistics); the weights are still sent. */
  readonly note?: string;
  readonly trainMs: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  /** Steps per sample (the presentation window). */
  readonly steps: number;
  readonly history: readonly EpochReport[];
  /** The trained network on the test samples, in the training model (discrete time, from rest). */
  readonly testAccuracy: number | null;
  readonly trainAccuracy: number | null;
  /** Multiply-accumulates of one pass of an equal-sized dense ANN. */
  readonly denseMacsPerSample: number;
  /** With the trainer's "learn time constants": each trained population's learnt time constants, as its node's params (tau_m_ms, …). */
  readonly timeConstants?: readonly LearntTimeConstants[];
  /** The final test pass (absent when stopped or without a test set): confusion[true][predicted], and the first misclassified samples. */
  readonly confusion?: number[][];
  readonly misclassified?: Misclassified[];
  /** The trained weights run in the event-driven simulation over the samples (absent when the check is off). */
  readonly simulated?: {
    readonly testAccuracy: number;
    readonly trainAccuracy: number;
    /** Per test sample: spikes of the trained populations, input spikes, synaptic events of the trained projections. */
    readonly spikesPerSample: number;
    readonly inputSpikesPerSample: number;
    readonly synopsPerSample: number;
    readonly samples: number;
    readonly simMs: number;
  };
}

/** A trained projection's weights: synapse k joins `pre[k]` → `post[k]` with weight `w[k]` (≥ 0), in the projection's CSR order. */
export interface TrainedWeights {
  /** The projection's wire. */
  readonly edgeId: string;
  readonly pre: Int32Array;
  readonly post: Int32Array;
  readonly w: Float64Array;
}

export type EngineEvent =
  | BuildProgressEvent
  | ProgressEvent
  | TrainProgressEvent
  | SpikeChunk
  | StateChunk
  | RateChunk
  | WeightChunk
  | { readonly type: 'paused'; readonly runId: number; readonly step: number }
  | { readonly type: 'resumed'; readonly runId: number; readonly step: number }
  | {
      readonly type: 'finished';
      readonly runId: number;
      readonly stopped: boolean;
      readonly stats: RunStats;
      /** The final weights of plastic projections (absent when there are none). */
      readonly weights?: readonly PlasticWeights[];
      /** A training run's summary (absent for a simulation). */
      readonly training?: TrainingSummary;
      /** A training run's trained weights, per projection (store them with format/weights.ts). */
      readonly trainedWeights?: readonly TrainedWeights[];
      /** Something after the run failed (its statistics or weights); what could be kept is here. */
      readonly note?: string;
    }
  | { readonly type: 'failed'; readonly runId: number; readonly error: EngineError };

/**
 * A plastic projection's weights at the end of a run, one entry per synapse:
 * synapse k joins source neuron `pre[k]` to target neuron `post[k]` with weight `w[k]`.
 */
export interface PlasticWeights {
  /** The plasticity node. */
  readonly nodeId: string;
  /** The wire out of the node, into the target. */
  readonly edgeId: string;
  readonly pre: Int32Array;
  readonly post: Int32Array;
  readonly w: Float64Array;
}

export type EngineMessage = Reply | EngineEvent;

/** A two-way message pipe; hosts adapt MessagePort, Worker, worker_threads and in-process. */
export interface Endpoint<In, Out> {
  post(message: Out, transfer?: Transferable[]): void;
  /** Subscribe to incoming messages; returns an unsubscribe function. */
  listen(handler: (message: In) => void): () => void;
}

/**
 * A transferable buffer. The core has no DOM lib, so this is declared here
 * structurally; hosts pass real ArrayBuffers.
 */
export type Transferable = ArrayBuffer;

/** The buffers of an event to transfer rather than copy. */
export function transferablesOf(msg: EngineMessage): Transferable[] {
  if (msg.type === 'spikes') return [msg.neuron.buffer as ArrayBuffer, msg.step.buffer as ArrayBuffer];
  if (msg.type === 'state') return [msg.values.buffer as ArrayBuffer];
  if (msg.type === 'rate') return [msg.counts.buffer as ArrayBuffer];
  if (msg.type === 'weights') return [msg.steps.buffer, msg.w.buffer, ...(msg.pre && msg.post ? [msg.pre.buffer, msg.post.buffer] : [])] as ArrayBuffer[];
  if (msg.type === 'finished' && (msg.weights || msg.trainedWeights)) {
    return [...(msg.weights ?? []), ...(msg.trainedWeights ?? [])].flatMap((x) => [x.pre.buffer, x.post.buffer, x.w.buffer] as ArrayBuffer[]);
  }
  return [];
}

/** Throws at compile time when a switch over a union misses a case. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
