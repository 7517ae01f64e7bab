/**
 * Runs the open document in the background engine.
 *
 * Run: compile the document; if that finds issues, refuse and show them (each names
 * its node and field); otherwise send the plan and stream progress and spikes back
 * into the editor's run state and the spike buffers.
 *
 * The engine may die (a worker error, a crashed utility process): the controller
 * then reports the failed run, makes a new engine, and the document is untouched.
 */
import { compileDocument } from '../../engine/compile/compile.ts';
import type { NetworkPlan } from '../../engine/compile/plan.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { EngineClient, EngineRequestError } from '../../engine/protocol/client.ts';
import type { EngineEvent } from '../../engine/protocol/messages.ts';
import { assertNever } from '../../engine/protocol/messages.ts';
import type { Editor } from '../store/editor.ts';
import { isRunActive } from '../store/run-state.ts';
import type { EngineFactory, EngineHandle } from './endpoints.ts';
import { SpikeBuffers } from './spike-buffers.ts';
import { TraceBuffers } from './trace-buffers.ts';
import { ActivityTracker } from './activity.ts';
import { getKind } from '../../engine/kinds/index.ts';

/** How results changes are batched into redraws: once per animation frame. */
export type FrameScheduler = (cb: () => void) => void;

const defaultScheduler: FrameScheduler =
  typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(() => cb()) : (cb) => setTimeout(cb, 16);

function messageOf(e: unknown): string {
  if (e instanceof EngineRequestError) return e.error.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A monitor of the last run, in document order: what the results panel shows a tab for. */
export interface MonitorTab {
  readonly monitorId: string;
  readonly records: 'spikes' | 'state' | 'rate';
}

export class RunController {
  readonly spikes = new SpikeBuffers();
  readonly traces = new TraceBuffers();
  /** Rates per population and traffic per wire, from progress events (the canvas shows them). */
  readonly activity: ActivityTracker;
  /** The monitors of the last run. */
  monitors: readonly MonitorTab[] = [];
  private handle: EngineHandle | null = null;
  private client: EngineClient | null = null;
  private connecting: Promise<EngineClient> | null = null;
  private bumpScheduled = false;
  private disposed = false;
  private restarts = 0;
  private readonly unsubscribe: () => void;

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
        if (isRunActive(this.editor.state.run.phase)) void this.client?.stop().catch(() => undefined);
        this.spikes.clear();
        this.traces.clear();
        this.activity.clear();
        this.monitors = [];
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
      await client.hello();
    } catch (e) {
      this.dropEngine();
      this.editor.setRun({ engine: 'down', error: `The engine did not answer: ${messageOf(e)}` });
      throw e;
    }
    this.editor.setRun({ engine: 'ready' });
    return client;
  }

  /** Compile and run the open document. Returns false when the run was refused. */
  async run(): Promise<boolean> {
    const { doc, run } = this.editor.state;
    if (isRunActive(run.phase)) return false;
    const compiled = compileDocument(doc);
    if (!compiled.ok) {
      this.editor.setRun({ phase: 'refused', issues: compiled.issues, error: null, stats: null });
      return false;
    }
    this.prepareBuffers(doc, compiled.plan);
    this.editor.setRun({
      phase: 'starting', issues: [], error: null, stats: null, started: null,
      runId: null, step: 0, nSteps: compiled.plan.nSteps, dtMs: compiled.plan.dtMs,
    });
    this.bumpResults();
    try {
      const client = await this.connect();
      const started = await client.run(compiled.plan);
      // A stop pressed while the engine was building wins.
      const phase = this.editor.state.run.phase === 'stopping' ? 'stopping' : 'running';
      this.editor.setRun({ phase, runId: started.runId, started, nSteps: started.nSteps, dtMs: started.dtMs });
      if (phase === 'stopping') await client.stop().catch(() => undefined);
      return true;
    } catch (e) {
      const nodeId = e instanceof EngineRequestError ? e.error.nodeId : undefined;
      const message = messageOf(e);
      this.editor.setRun({
        phase: 'failed',
        error: message,
        issues: nodeId ? [{ pointer: e instanceof EngineRequestError ? (e.error.pointer ?? '') : '', nodeId, message }] : [],
      });
      return false;
    }
  }

  private recheck(): void {
    const compiled = compileDocument(this.editor.doc);
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
    this.editor.setRun({ phase: 'stopping' });
    if (phase === 'starting') return; // run() stops it once the engine answers
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
    const label = (id: string) => doc.nodes.find((n) => n.id === id)?.label || id;
    const monitors = plan.monitors.map((m) => {
      const rt = getKind(m.kind)?.runtime;
      const records = rt?.role === 'monitor' ? rt.records : 'spikes';
      const sources = m.sources.map((i) => ({ nodeId: plan.populations[i].nodeId, label: label(plan.populations[i].nodeId), size: plan.populations[i].size }));
      return { monitorId: m.nodeId, label: label(m.nodeId), records, sources, params: m.params, sourceKinds: m.sources.map((i) => plan.populations[i].kind) };
    });
    this.monitors = monitors.map((m) => ({ monitorId: m.monitorId, records: m.records }));
    this.activity.reset(plan);
    this.spikes.reset(monitors.filter((m) => m.records === 'spikes'));
    this.traces.reset(
      monitors.flatMap((m): { monitorId: string; label: string; records: 'state' | 'rate'; quantity: string; sources: typeof m.sources }[] => {
        if (m.records === 'spikes') return [];
        if (m.records === 'rate') return [{ ...m, records: 'rate' as const, quantity: 'rate (Hz)' }];
        const variable = String(m.params.variable ?? '');
        const unit = m.sourceKinds.map((k) => getKind(k)?.state?.find((v) => v.id === variable)?.unit).find((u) => u);
        return [{ ...m, records: 'state' as const, quantity: unit ? `${variable} (${unit})` : variable }];
      }),
    );
  }

  private onEvent(e: EngineEvent): void {
    const run = this.editor.state.run;
    if (run.runId === null || e.runId !== run.runId) return;
    switch (e.type) {
      case 'progress':
        this.editor.setRun({ step: e.step, nSteps: e.nSteps });
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
      case 'finished':
        this.activity.end();
        // The last spikes and the end of the run show together: the status never reads
        // "finished" while a panel still waits for a frame to draw the last chunk.
        this.editor.setRun((r) => ({ phase: e.stopped ? 'stopped' : 'finished', stats: e.stats, step: e.stats.steps, resultsVersion: r.resultsVersion + 1 }));
        return;
      case 'failed':
        this.editor.setRun({
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

  /** Redraws follow the frame rate, not the chunk rate. */
  private bumpResults(): void {
    if (this.bumpScheduled) return;
    this.bumpScheduled = true;
    this.schedule(() => {
      this.bumpScheduled = false;
      this.editor.setRun((r) => ({ resultsVersion: r.resultsVersion + 1 }));
    });
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
      if (!this.disposed) void this.connect().then(() => { this.restarts = 0; }, () => undefined);
    }, delay);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.dropEngine();
  }
}
