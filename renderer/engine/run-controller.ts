/**
 * Runs the open document in the background engine.
 *
 * Run: compile the document; if that finds issues, refuse and show them (each names
 * its node and field); otherwise send the plan and stream progress and spikes back
 * into the editor's run state and the spike buffers.
 *
 * While the engine builds the network, the previous run's results stay as they are:
 * the new run's buffers replace them only when its first step is near (the engine's
 * answer to `run`). Cancelling the build (Stop) asks the engine to stop, and if it has
 * not within {@link RunController.cancelGraceMs}, ends the engine and starts another;
 * either way the app is back where it was before Run, ready to run again.
 *
 * The engine may die (a worker error, a crashed utility process): the controller
 * then reports the failed run, makes a new engine, and the document is untouched.
 */
import { compileDocument } from '../../engine/compile/compile.ts';
import type { NetworkPlan } from '../../engine/core/plan.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { EngineClient, EngineRequestError } from '../../engine/protocol/client.ts';
import type { EngineEvent, RunStarted } from '../../engine/protocol/messages.ts';
import { assertNever } from '../../engine/protocol/messages.ts';
import type { LearntTimeConstants } from '../../engine/learn/trainer.ts';
import type { Editor } from '../store/editor.ts';
import { isRunActive, type RunState } from '../store/run-state.ts';
import type { EngineFactory, EngineHandle } from './endpoints.ts';
import { SpikeBuffers, spikeKeepOf } from './spike-buffers.ts';
import { TraceBuffers, thresholdMvOf, traceKeepOf } from './trace-buffers.ts';
import { ActivityTracker } from './activity.ts';
import { WeightBuffers } from './weight-buffers.ts';
import { LearningBuffers } from '../learning/learning-buffers.ts';
import type { ProjectionWeights, WeightsFile } from '../../engine/format/weights.ts';
import { inlineWeightFiles, parseWeightsFile, sideWeightFiles, weightsFileText } from '../../engine/format/weights.ts';
import { isTableWeightsFile } from '../../engine/format/weights-files.ts';
import { sideFileNeeds } from '../store/side-files.ts';
import type { SideFileNeed } from '../store/side-files.ts';
import { getKind } from '../../engine/kinds/index.ts';
import type { FinishedRunData } from '../history/run-record.ts';
import { flatNodesOf } from '../groups/level.ts';

/** While a run streams, the run state changes at most this often (ms): 10 updates a second keep the main thread free. */
export const LIVE_UPDATE_MS = 100;

/** How results changes are batched into redraws: in an animation frame. */
export type FrameScheduler = (cb: () => void) => void;

const defaultScheduler: FrameScheduler = typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(() => cb()) : (cb) => setTimeout(cb, 16);

function messageOf(e: unknown): string {
  if (e instanceof EngineRequestError) return e.error.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A monitor of the last run, in document order: what the results panel shows a tab for. */
export interface MonitorTab {
  readonly monitorId: string;
  readonly records: 'spikes' | 'state' | 'rate' | 'weights';
}

/** What the run state said before Run; a cancelled build puts it back. */
type RunBefore = Pick<RunState, 'phase' | 'runId' | 'step' | 'nSteps' | 'dtMs' | 'started' | 'stats' | 'issues' | 'error' | 'training' | 'wallMs'>;

const beforeOf = (r: RunState): RunBefore => ({
  // A refused document compiled this time: there is nothing to go back to but idle.
  phase: r.phase === 'refused' ? 'idle' : r.phase,
  runId: r.runId,
  step: r.step,
  nSteps: r.nSteps,
  dtMs: r.dtMs,
  started: r.started,
  stats: r.stats,
  issues: r.phase === 'refused' ? [] : r.issues,
  error: r.error,
  training: r.training,
  wallMs: r.wallMs,
});

/** Nothing shown: what a cancelled build goes back to once another document was opened. */
const NOTHING: RunBefore = { phase: 'idle', runId: null, step: 0, nSteps: 0, dtMs: 0, started: null, stats: null, issues: [], error: null, training: null, wallMs: null };

/** A Run whose network the engine is building (before its answer to `run`). */
interface PendingBuild {
  readonly doc: GraphDocument;
  readonly plan: NetworkPlan;
  /** The run state to go back to if the build is cancelled. */
  before: RunBefore;
  /** The engine's id for the run, from its first `build-progress` or its answer. */
  runId: number | null;
  /** The `run` request went to the engine. */
  sent: boolean;
  cancelled: boolean;
  /** Ends the engine if it does not confirm a cancel in time. */
  timer?: ReturnType<typeof setTimeout>;
  /**
   * What {@link RunController.adjustPlan} told the learning buffers for this run (the
   * encoder's params, the checkpoint it resumes from), kept through their reset when the
   * run begins; and what they held before, put back if the build is cancelled.
   */
  learning?: { readonly before: LearningRunFields; readonly after: LearningRunFields };
}

type LearningRunFields = Pick<LearningBuffers, 'resumeFrom' | 'resumedFrom' | 'encoderParams'>;

export class RunController {
  readonly spikes = new SpikeBuffers();
  readonly traces = new TraceBuffers();
  /** Weight monitors' latest snapshots (renderer/results/WeightPanel.tsx). */
  readonly weights = new WeightBuffers();
  /** A training run's learning curve (renderer/learning/LearningPanel.tsx). */
  readonly learning = new LearningBuffers();
  /** The last finished run's learned (plastic) and trained weights, for writing back into the document. */
  learned: readonly ProjectionWeights[] = [];
  /** The last finished training run's learnt time constants (trainer option), stored with its weights. */
  learnedTimeConstants: readonly LearntTimeConstants[] = [];
  /**
   * Side weight files (engine/format/weights.ts) by name: those this window wrote, and
   * those read beside the document through {@link readSideFile} before a run.
   */
  readonly sideFiles = new Map<string, WeightsFile>();
  /**
   * Matrices and synapse lists read beside the document (`.npy`/`.npz` bytes, `.csv` text, as the CLI
   * writes arrays over 4 096 numbers: engine/format/weights-files.ts), inlined for each run only.
   */
  private readonly sideTables = new Map<string, string | Uint8Array>();
  /** Simulation threads asked of the engine (RunOptions.threads); undefined: the engine's automatic choice. */
  threads: number | undefined = undefined;
  /**
   * Reads a side weights file beside the open document (the desktop shell sets it);
   * null when there is no such file. Absent in a browser, which cannot read that folder.
   */
  readSideFile: ((name: string) => Promise<string | Uint8Array | null>) | null = null;
  /**
   * Where {@link readSideFile} is absent (a browser tab): asks the user to pick the side
   * files the document names and this window does not hold (renderer/platform/side-file-prompt.ts),
   * before a run and when a document is opened. Null when cancelled: the run is then refused, naming each wire.
   */
  askSideFiles: ((missing: readonly SideFileNeed[]) => Promise<ReadonlyMap<string, string | Uint8Array> | null>) | null = null;
  /**
   * Called before each run is compiled, with the engine it will run in: hands the engine
   * (and this thread) the dataset files the document names (renderer/learning/dataset-session.ts).
   */
  prepareRun: ((doc: GraphDocument, client: EngineClient) => Promise<void>) | null = null;
  /** Called with the compiled plan just before it is sent (the Learning tab asks for checkpoints, or resumes from one). */
  adjustPlan: ((plan: NetworkPlan) => NetworkPlan) | null = null;
  /** Side-file names read and found broken or missing, with why (for the run's message). */
  private readonly sideFileProblems = new Map<string, string>();
  /** Rates per population and traffic per wire, from progress events (the canvas shows them). */
  readonly activity: ActivityTracker;
  /** The monitors of the last run. */
  monitors: readonly MonitorTab[] = [];
  private handle: EngineHandle | null = null;
  private client: EngineClient | null = null;
  private connecting: Promise<EngineClient> | null = null;
  /** What the next live update of the run state carries (see {@link LIVE_UPDATE_MS}). */
  private readonly live = { step: -1, nSteps: 0, results: false, scheduled: false, last: -Infinity };
  private disposed = false;
  private restarts = 0;
  private readonly unsubscribe: () => void;
  /** The engine's version from `hello` (kept with each run in the history). */
  engineVersion = '';
  /** The document snapshot the current run compiled (the open one, or a stored run's). */
  private runDoc: GraphDocument | null = null;
  private readonly finishedListeners = new Set<(run: FinishedRunData) => void>();
  /** A Run the engine is still building: its results replace the shown ones only when it starts. */
  private pending: PendingBuild | null = null;
  /**
   * How long a cancelled build may take to stop before the engine is ended and a new
   * one started (ms). The engine checks for a cancel between pieces of the build.
   */
  cancelGraceMs = 1500;
  /** When Run was pressed (wall clock), for a training run's "finished in". */
  private startedAt = 0;
  private readonly clock: () => number = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

  constructor(
    private readonly editor: Editor,
    private readonly factory: EngineFactory,
    private readonly schedule: FrameScheduler = defaultScheduler,
  ) {
    this.activity = new ActivityTracker(schedule);
    // Results belong to the graph that ran: a different document clears them.
    let epoch = editor.state.docEpoch;
    let doc = editor.state.doc;
    this.unsubscribe = editor.store.subscribe((s) => {
      if (s.docEpoch !== epoch) {
        epoch = s.docEpoch;
        doc = s.doc;
        const building = this.pending;
        if (building) {
          // The build belongs to the document that was open: cancel it, and go back to nothing shown.
          building.before = NOTHING;
          this.cancelBuild(building);
        } else if (isRunActive(this.editor.state.run.phase)) void this.client?.stop().catch(() => undefined);
        this.spikes.clear();
        this.traces.clear();
        this.weights.clear();
        this.learning.reset(null);
        this.learned = [];
        this.learnedTimeConstants = [];
        // Side files belong beside the document they were read for.
        this.sideFiles.clear();
        this.sideTables.clear();
        this.sideFileProblems.clear();
        // A browser asks for the side files of the document just opened (after this change settles).
        if (this.askSideFiles && !this.readSideFile) queueMicrotask(() => void this.pickSideFiles(s.doc));
        this.activity.clear();
        this.monitors = [];
        // A run cut short by another document is not kept in the history.
        this.runDoc = null;
        this.bumpResults();
        return;
      }
      if (s.doc !== doc) {
        doc = s.doc;
        // A refused run's issues follow the edits, so a fixed node stops being marked.
        if (s.run.phase === 'refused') this.recheck();
      }
    });
  }

  /** Connect to an engine now (the UI does so at start, so the first Run is quick). */
  connect(): Promise<EngineClient> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<EngineClient> {
    const restarting = this.editor.state.run.engine === 'restarting';
    this.editor.setRun({ engine: restarting ? 'restarting' : 'connecting' });
    let handle: EngineHandle;
    try {
      handle = await this.factory();
    } catch (e) {
      this.editor.setRun({ engine: 'down', error: `Could not start the engine: ${messageOf(e)}` });
      throw e;
    }
    const client = new EngineClient(handle.endpoint);
    handle.onCrash((reason) => this.crashed(handle, reason));
    client.onEvent((e) => this.onEvent(e));
    this.handle = handle;
    this.client = client;
    try {
      this.engineVersion = (await client.hello()).engineVersion;
    } catch (e) {
      this.dropEngine();
      this.editor.setRun({ engine: 'down', error: `The engine did not answer: ${messageOf(e)}` });
      throw e;
    }
    this.editor.setRun({ engine: 'ready' });
    return client;
  }

  /**
   * Compile and run the open document, or `snapshot` (a stored run's document, re-run
   * without touching the open one). Returns false when the run was refused.
   */
  async run(snapshot?: GraphDocument): Promise<boolean> {
    const { run } = this.editor.state;
    const doc = snapshot ?? this.editor.state.doc;
    if (isRunActive(run.phase)) return false;
    if (this.readSideFile && sideWeightFiles(doc).some((n) => !this.sideFiles.has(n) && !this.sideTables.has(n))) {
      await this.fetchSideFiles(doc);
      if (isRunActive(this.editor.state.run.phase)) return false;
    } else if (this.askSideFiles && !this.readSideFile && this.unheldSideFiles(doc).length > 0) {
      await this.pickSideFiles(doc);
      if (isRunActive(this.editor.state.run.phase)) return false;
    }
    if (this.prepareRun) {
      // An engine that cannot start is reported when the run asks for it below.
      const client = await this.connect().catch(() => null);
      if (client) await this.prepareRun(doc, client);
      if (isRunActive(this.editor.state.run.phase)) return false;
    }
    const compiled = this.compile(doc);
    if (!compiled.ok) {
      this.editor.setRun({ phase: 'refused', issues: compiled.issues, error: null, stats: null });
      return false;
    }
    const pending: PendingBuild = { doc, plan: compiled.plan, before: beforeOf(this.editor.state.run), runId: null, sent: false, cancelled: false };
    this.pending = pending;
    this.startedAt = this.clock();
    // The shown results stay until the engine has built the network.
    this.editor.setRun({ phase: 'starting', issues: [], error: null, runId: null, build: null });
    try {
      const client = await this.connect();
      if (this.pending !== pending) return false;
      if (pending.cancelled) {
        this.endCancel(pending);
        return false;
      }
      pending.sent = true;
      const fields = (): LearningRunFields => ({ resumeFrom: this.learning.resumeFrom, resumedFrom: this.learning.resumedFrom, encoderParams: this.learning.encoderParams });
      const before = fields();
      const plan = this.adjustPlan ? this.adjustPlan(compiled.plan) : compiled.plan;
      pending.learning = { before, after: fields() };
      const request = client.run(plan, this.threads === undefined ? undefined : { threads: this.threads });
      const started = await request;
      if (this.pending === pending) {
        pending.runId ??= started.runId;
        // Cancelled: the engine ends the run (unbuilt, or stopped at once); its `finished` settles the cancel.
        if (!pending.cancelled) this.begin(pending, started.runId, started);
      } else if (this.editor.state.run.runId === started.runId) {
        // The run's first events came before this answer: it began already.
        this.editor.setRun({ started });
      }
      return true;
    } catch (e) {
      if (this.pending !== pending) return false;
      if (pending.cancelled) {
        this.endCancel(pending);
        return false;
      }
      this.pending = null;
      const nodeId = e instanceof EngineRequestError ? e.error.nodeId : undefined;
      const message = messageOf(e);
      this.editor.setRun({
        phase: 'failed',
        build: null,
        error: message,
        issues: nodeId ? [{ pointer: e instanceof EngineRequestError ? (e.error.pointer ?? '') : '', nodeId, message }] : [],
      });
      return false;
    }
  }

  /** The engine built the network: the new run's results replace the shown ones. */
  private begin(pending: PendingBuild, runId: number, started: RunStarted | null): void {
    this.pending = null;
    this.prepareBuffers(pending.doc, pending.plan);
    if (pending.learning) Object.assign(this.learning, pending.learning.after);
    this.runDoc = pending.doc;
    this.editor.setRun({
      phase: 'running',
      runId,
      started,
      step: 0,
      nSteps: started?.nSteps ?? pending.plan.nSteps,
      dtMs: started?.dtMs ?? pending.plan.dtMs,
      stats: null,
      build: null,
      training: null,
      wallMs: null,
    });
    this.bumpResults();
  }

  /**
   * Cancel a build: ask the engine to stop it, and end the engine if it has not within
   * {@link cancelGraceMs}. The run state shows "cancelling" until then.
   */
  private cancelBuild(pending: PendingBuild): void {
    if (pending.cancelled) return;
    pending.cancelled = true;
    this.editor.setRun((r) => ({ phase: 'stopping', build: r.build ?? { phase: 'populations', done: 0, total: 0 } }));
    // Not sent yet (the engine was still connecting): run() sees the cancel and sends nothing.
    if (!pending.sent) return;
    void this.client?.stop().catch(() => undefined);
    pending.timer = setTimeout(() => {
      if (this.pending !== pending) return;
      // The engine is deep in a piece of the build: end it (a worker ends at once) and start another.
      this.dropEngine();
      this.endCancel(pending);
      void this.connect().catch(() => undefined);
    }, this.cancelGraceMs);
  }

  /** A cancelled build is over: back to what was shown before Run, ready to run again. */
  private endCancel(pending: PendingBuild): void {
    clearTimeout(pending.timer);
    if (this.pending === pending) this.pending = null;
    // A checkpoint the cancelled run would have resumed from is still there for the next.
    if (pending.learning) Object.assign(this.learning, pending.learning.before);
    this.editor.setRun({ ...pending.before, build: null });
    this.editor.setNotice({ level: 'info', text: pending.before.stats || pending.before.phase !== 'idle' ? 'Build cancelled: the results shown are from before.' : 'Build cancelled.' });
  }

  /** Compile, with the side weight files the document references inlined first. */
  private compile(doc: GraphDocument): ReturnType<typeof compileDocument> {
    const names = sideWeightFiles(doc);
    if (names.length === 0) return compileDocument(doc);
    const files = new Map(names.map((n) => [n, this.sideTables.get(n) ?? (this.sideFiles.has(n) ? weightsFileText(this.sideFiles.get(n)!) : null)]));
    const where = this.readSideFile
      ? 'beside the document (save the document first, and keep the weights file in its folder)'
      : 'among the files this window wrote (a browser tab cannot read files beside the document: keep the weights in the document, or use the desktop app or the spikeflow CLI)';
    const broken = names.filter((n) => this.sideFileProblems.has(n)).map((n) => `${n} ${this.sideFileProblems.get(n)}`);
    const r = inlineWeightFiles(doc, files, broken.length > 0 ? `${where}; ${broken.join('; ')}` : where);
    return r.issues.length > 0 ? { ok: false, issues: r.issues } : compileDocument(r.doc);
  }

  /** Read the side weights files `doc` references that this window does not hold yet. */
  private async fetchSideFiles(doc: GraphDocument): Promise<void> {
    const read = this.readSideFile;
    if (!read) return;
    for (const name of sideWeightFiles(doc)) {
      if (this.sideFiles.has(name) || this.sideTables.has(name)) continue;
      try {
        this.keepSideFile(name, await read(name));
      } catch (e) {
        this.sideFileProblems.set(name, `could not be read: ${messageOf(e)}`);
      }
    }
  }

  /**
   * Ask the user ({@link askSideFiles}) for the side files `doc` names that this window
   * does not hold, and keep those picked. True when there was something to ask.
   */
  async pickSideFiles(doc: GraphDocument = this.editor.doc): Promise<boolean> {
    const ask = this.askSideFiles;
    const missing = ask ? this.unheldSideFiles(doc) : [];
    if (!ask || missing.length === 0) return false;
    const picked = await ask(missing);
    for (const [name, content] of picked ?? []) this.keepSideFile(name, content);
    return true;
  }

  /** The side files `doc` names that this window holds no content for. */
  private unheldSideFiles(doc: GraphDocument): SideFileNeed[] {
    return sideFileNeeds(doc).filter((n) => !this.sideFiles.has(n.file) && !this.sideTables.has(n.file));
  }

  /** Keep a side file's content for the runs of this document (null: it does not exist). */
  private keepSideFile(name: string, text: string | Uint8Array | null): void {
    if (text === null) {
      this.sideFileProblems.set(name, 'does not exist');
      return;
    }
    if (isTableWeightsFile(name)) {
      // Parsed (and checked against the document's sizes) when inlined for the run.
      this.sideTables.set(name, text);
      this.sideFileProblems.delete(name);
      return;
    }
    if (typeof text !== 'string') {
      this.sideFileProblems.set(name, 'is not text');
      return;
    }
    const parsed = parseWeightsFile(text);
    if (parsed.ok) {
      this.sideFiles.set(name, parsed.file);
      this.sideFileProblems.delete(name);
    } else this.sideFileProblems.set(name, parsed.problem);
  }

  private recheck(): void {
    const compiled = this.compile(this.editor.doc);
    if (compiled.ok) this.editor.setRun({ phase: 'idle', issues: [] });
    else this.editor.setRun({ issues: compiled.issues });
  }

  async pause(): Promise<void> {
    if (this.editor.state.run.phase !== 'running') return;
    await this.request((c) => c.pause());
  }

  async resume(): Promise<void> {
    if (this.editor.state.run.phase !== 'paused') return;
    await this.request((c) => c.resume());
  }

  async stop(): Promise<void> {
    const phase = this.editor.state.run.phase;
    if (!isRunActive(phase) || phase === 'stopping') return;
    // Before the engine answered `run`: the build is cancelled.
    if (this.pending) return this.cancelBuild(this.pending);
    this.editor.setRun({ phase: 'stopping' });
    await this.request((c) => c.stop());
  }

  private async request(f: (c: EngineClient) => Promise<void>): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await f(client);
    } catch (e) {
      // `no-run`: the run ended while the request was on its way; nothing to report.
      if (e instanceof EngineRequestError && e.error.code === 'no-run') return;
      this.editor.setNotice({ level: 'error', text: messageOf(e) });
    }
  }

  private prepareBuffers(doc: GraphDocument, plan: NetworkPlan): void {
    // Populations and monitors may sit inside groups (renderer/groups).
    const nodes = flatNodesOf(doc);
    const label = (id: string) => nodes.find((n) => n.id === id)?.label || id;
    const monitors = plan.monitors.map((m) => {
      const rt = getKind(m.kind)?.runtime;
      const records = rt?.role === 'monitor' ? rt.records : 'spikes';
      const sources = m.sources.map((i) => ({ nodeId: plan.populations[i].nodeId, label: label(plan.populations[i].nodeId), size: plan.populations[i].size }));
      return { monitorId: m.nodeId, label: label(m.nodeId), records, sources, params: m.params, sourceKinds: m.sources.map((i) => plan.populations[i].kind), sourceIdx: m.sources };
    });
    this.monitors = monitors.map((m) => ({ monitorId: m.monitorId, records: m.records }));
    this.weights.reset(monitors.filter((m) => m.records === 'weights').map((m) => m.monitorId));
    this.learned = [];
    this.learnedTimeConstants = [];
    const trainer = plan.trainers?.[0];
    this.learning.reset(trainer?.nodeId ?? null, trainer ? Number(trainer.params.epochs) : 0);
    this.activity.reset(plan);
    this.spikes.reset(monitors.filter((m) => m.records === 'spikes').map((m) => ({ ...m, keep: spikeKeepOf(m.params, plan.dtMs) })));
    this.traces.reset(
      monitors.flatMap((m): Parameters<TraceBuffers['reset']>[0][number][] => {
        if (m.records === 'spikes' || m.records === 'weights') return [];
        if (m.records === 'rate') return [{ ...m, records: 'rate' as const, quantity: 'rate (Hz)' }];
        const variable = String(m.params.variable ?? '');
        const unit = m.sourceKinds.map((k) => getKind(k)?.state?.find((v) => v.id === variable)?.unit).find((u) => u);
        // A dashed threshold line belongs on membrane-potential traces only.
        const sources =
          variable === 'v' && unit === 'mV'
            ? m.sources.map((src, k) => ({ ...src, thresholdMv: thresholdMvOf(plan.populations[m.sourceIdx[k]].kind, plan.populations[m.sourceIdx[k]].params) }))
            : m.sources;
        return [{ ...m, sources, records: 'state' as const, quantity: unit ? `${variable} (${unit})` : variable, keep: traceKeepOf(m.params, plan.dtMs) }];
      }),
    );
  }

  private onEvent(e: EngineEvent): void {
    const pending = this.pending;
    if (pending) {
      // One run at a time: the first event while building names the run.
      pending.runId ??= e.runId;
      if (e.runId !== pending.runId) return;
      if (pending.cancelled) {
        // The engine ended the cancelled run (unbuilt, or stopped as it started): nothing of it is kept.
        if (e.type === 'finished' || e.type === 'failed') this.endCancel(pending);
        return;
      }
      if (e.type === 'build-progress') {
        this.editor.setRun({ build: { phase: e.phase, done: e.done, total: e.total } });
        return;
      }
      // The run's first event before the engine's answer reached run(): it has begun.
      this.begin(pending, e.runId, null);
    }
    const run = this.editor.state.run;
    if (run.runId === null || e.runId !== run.runId) return;
    switch (e.type) {
      case 'build-progress':
        return;
      case 'progress':
        this.live.step = e.step;
        this.live.nSteps = e.nSteps;
        this.scheduleLive();
        this.spikes.advance(e.step);
        this.activity.push(e, run.dtMs);
        return;
      case 'spikes':
        this.spikes.append(e.monitorId, e.source, e.neuron, e.step);
        this.bumpResults();
        return;
      case 'state':
        this.traces.appendState(e);
        this.bumpResults();
        return;
      case 'rate':
        this.traces.appendRate(e, run.dtMs);
        this.bumpResults();
        return;
      case 'paused':
        if (run.phase !== 'stopping') this.editor.setRun({ phase: 'paused', step: e.step });
        return;
      case 'resumed':
        if (run.phase !== 'stopping') this.editor.setRun({ phase: 'running', step: e.step });
        return;
      case 'weights':
        this.weights.append(e);
        this.bumpResults();
        return;
      case 'train-progress':
        this.learning.push(e);
        this.editor.setRun({ build: null, training: { epoch: e.epoch, epochs: e.epochs, batch: e.batch, batches: e.batches, wallMs: e.wallMs } });
        this.bumpResults();
        return;
      case 'finished':
        this.activity.end();
        this.spikes.advance(e.stats.steps);
        this.learned = [...(e.weights ?? []), ...(e.trainedWeights ?? [])];
        this.learnedTimeConstants = e.training?.timeConstants ?? [];
        this.learning.finish(e.training);
        // The last spikes and the end of the run show together: the status never reads
        // "finished" while a panel still waits for a frame to draw the last chunk.
        this.editor.setRun((r) => ({
          phase: e.stopped ? 'stopped' : 'finished',
          stats: e.stats,
          step: e.stats.steps,
          resultsVersion: r.resultsVersion + 1,
          build: null,
          wallMs: this.clock() - this.startedAt,
          // A training run ends on its last epoch, whatever the last slice reported.
          training:
            r.training && e.training ? { ...r.training, epoch: e.training.epochs, epochs: e.training.epochsPlanned, batch: e.training.stopped ? r.training.batch : r.training.batches } : r.training,
        }));
        this.notifyFinished(e.stats, e.stopped);
        return;
      case 'failed':
        this.editor.setRun({
          build: null,
          phase: 'failed',
          error: e.error.message,
          issues: e.error.nodeId ? [{ pointer: e.error.pointer ?? '', nodeId: e.error.nodeId, message: e.error.message }] : [],
        });
        if (e.error.code === 'engine-crashed' && this.handle) this.crashed(this.handle, e.error.message);
        return;
      default:
        assertNever(e, 'engine event');
    }
  }

  /**
   * Called when a run ends with results (finished or stopped), with its document
   * snapshot and live buffers (copy what you keep: the next run reuses them).
   * Returns an unsubscribe function.
   */
  onFinished(listener: (run: FinishedRunData) => void): () => void {
    this.finishedListeners.add(listener);
    return () => void this.finishedListeners.delete(listener);
  }

  private notifyFinished(stats: FinishedRunData['stats'], stopped: boolean): void {
    const doc = this.runDoc;
    if (!doc) return;
    const run: FinishedRunData = { doc, stats, stopped, engineVersion: this.engineVersion, monitors: this.monitors, spikes: this.spikes.list(), traces: this.traces.list() };
    for (const l of this.finishedListeners) {
      try {
        l(run);
      } catch (err) {
        // A listener's bug must not break the run's end.
        this.editor.setNotice({ level: 'error', text: `After the run: ${messageOf(err)}` });
      }
    }
  }

  /** New data in the buffers: panels redraw with the next live update. */
  private bumpResults(): void {
    this.live.results = true;
    this.scheduleLive();
  }

  /**
   * The run state's step and results version change at most once per {@link LIVE_UPDATE_MS},
   * in an animation frame: each change re-renders the toolbar and the results panel, and
   * the engine sends progress and data many times a second.
   */
  private scheduleLive(): void {
    const live = this.live;
    if (live.scheduled) return;
    live.scheduled = true;
    const update = () =>
      this.schedule(() => {
        live.scheduled = false;
        live.last = this.clock();
        const { step, nSteps, results } = live;
        live.step = -1;
        live.results = false;
        if (step < 0 && !results) return;
        this.editor.setRun((r) => ({
          // Progress only moves a run that is still going forward (its end sets the last step itself).
          ...(step >= r.step && isRunActive(r.phase) ? { step, nSteps } : {}),
          ...(results ? { resultsVersion: r.resultsVersion + 1 } : {}),
        }));
      });
    const wait = live.last + LIVE_UPDATE_MS - this.clock();
    if (wait > 0) setTimeout(update, wait);
    else update();
  }

  private dropEngine(): void {
    this.client?.dispose();
    this.handle?.terminate();
    this.client = null;
    this.handle = null;
  }

  private crashed(handle: EngineHandle, reason: string): void {
    if (handle !== this.handle || this.disposed) return;
    this.dropEngine();
    const pending = this.pending;
    if (pending?.cancelled) this.endCancel(pending);
    this.pending = null;
    const active = isRunActive(this.editor.state.run.phase);
    this.editor.setRun({
      engine: 'restarting',
      ...(active ? { phase: 'failed' as const, error: `${reason} The run was lost; your graph is unchanged.` } : {}),
    });
    this.editor.setNotice({ level: 'warning', text: `${reason} Restarting the engine…` });
    this.restarts++;
    // Back off a little when an engine keeps dying at start.
    const delay = Math.min(5000, 200 * 2 ** Math.min(this.restarts - 1, 5));
    setTimeout(() => {
      if (!this.disposed)
        void this.connect().then(
          () => {
            this.restarts = 0;
          },
          () => undefined,
        );
    }, delay);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pending?.timer);
    this.pending = null;
    this.unsubscribe();
    this.dropEngine();
  }
}
