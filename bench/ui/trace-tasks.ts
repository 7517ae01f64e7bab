/**
 * The page's main-thread tasks from a Chromium trace (categories {@link TRACE_CATEGORIES}):
 * each top-level task's wall time and thread (CPU) time, and what it was doing — the
 * task's thread time split by the traced events inside it, each counted by its *self*
 * time (its own time less that of the events inside it), so the parts add up to the
 * task: scripts by function and file, promise callbacks, messages from workers, GC,
 * layout, paint, style, and whatever no event covers as "(untraced)". Wall time is what
 * the user feels; on a loaded machine it includes time the thread waited for a core,
 * which the thread time does not.
 */

/**
 * What the UI bench and the e2e tests ask Chromium to trace: the task loop
 * (`toplevel`), the timeline (scripts, layout, paint), the page's marks, V8's
 * execution (promise callbacks, `v8.execute`) and its garbage collector's phases
 * (`disabled-by-default-v8.gc`, `blink.gc`), the compositor's frame (`cc`) and Blink's own
 * work (`blink`: canvas resources, messages), so a task's time is named rather than left over.
 */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'blink.user_timing', 'v8.execute', 'disabled-by-default-v8.gc', 'blink.gc', 'cc', 'blink'];

export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { name?: string; src_file?: string; src_func?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

export interface MainTask {
  /** Start, µs on the trace clock. */
  readonly ts: number;
  readonly wallMs: number;
  /** Thread time: what the main thread itself spent (NaN when the trace has none). */
  readonly cpuMs: number;
  /** The task's thread time by what it was doing (self times, biggest first; they add up to the task's). */
  readonly parts: readonly (readonly [string, number])[];
  /** The biggest parts in words, e.g. `script drawRaster index.js:20117 8.1 ms, GC 4.2 ms, Paint 3 ms`. */
  readonly doing: string;
}

export interface TraceTasks {
  readonly tasks: MainTask[];
  /** `performance.mark(name)` of the page, µs on the trace clock. */
  readonly marks: ReadonlyMap<string, number>;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** A top-level task of a thread's message loop (the name changed across Chromium versions). */
const isTask = (e: TraceEvent) => e.ph === 'X' && e.dur !== undefined && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');

/** The time of the task itself that no event inside it covers. */
export const UNTRACED = '(untraced)';

/** Events that only wrap others (their own time is the task's, not a kind of work). */
const WRAPPERS = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'TimerBase::run', 'AsyncTask Run', 'v8.callFunction', 'RunPendingMicrotask']);

/** What an event inside a task is, in words (scripts by their function and file; GC phases as one). */
export function label(e: TraceEvent): string {
  const d = e.args?.data;
  if (e.name === 'FunctionCall' && d) return `script ${d.functionName || '(anonymous)'} ${(d.url ?? '').split('/').pop()}:${(d.lineNumber ?? 0) + 1}`;
  if (/^(MajorGC|MinorGC|V8\.GC|BlinkGC|ThreadState::|BlinkGC\.)/.test(e.name) || e.cat.includes('v8.gc') || e.cat.includes('blink.gc')) return 'GC';
  if (e.name === 'RunMicrotasks') return 'promise callbacks';
  if (e.name === 'HandlePostMessage') return 'message from a worker';
  if (e.name === 'TimerFire') return 'timer callback';
  if (e.name === 'FireAnimationFrame') return 'animation frame callback';
  if (e.name === 'EventDispatch') return `event ${d?.type ?? ''}`.trim();
  if (e.name === 'UpdateLayoutTree') return 'style';
  if (WRAPPERS.has(e.name)) return UNTRACED;
  return e.name;
}

/** Own time of an event, µs: thread time where traced, else wall. */
const own = (e: TraceEvent) => e.tdur ?? e.dur ?? 0;

/**
 * A task's thread time split by the complete (`X`) events inside it, `inside` sorted by
 * start: each event's self time (its time less its children's) goes to its {@link label},
 * and what no event covers to {@link UNTRACED} (followed by the function and file the task
 * was posted from, when the trace says). Returned in ms, biggest first.
 */
export function taskParts(task: TraceEvent, inside: readonly TraceEvent[]): [string, number][] {
  const sorted = inside.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<TraceEvent, number>([[task, own(task)]]);
  const stack: TraceEvent[] = [task];
  for (const e of sorted) {
    while (stack.length > 1 && e.ts >= stack[stack.length - 1].ts + stack[stack.length - 1].dur!) stack.pop();
    const parent = stack[stack.length - 1];
    self.set(parent, self.get(parent)! - own(e));
    self.set(e, own(e));
    stack.push(e);
  }
  // The untraced time named by where the task was posted from (`toplevel` gives its source), if known.
  const posted = [task, ...sorted].find((e) => e.args?.src_func);
  const untraced = posted ? `${UNTRACED} ${posted.args!.src_func} ${(posted.args!.src_file ?? '').split('/').pop()}` : UNTRACED;
  const parts = new Map<string, number>();
  for (const [e, us] of self) {
    const k = e === task || label(e) === UNTRACED ? untraced : label(e);
    parts.set(k, (parts.get(k) ?? 0) + Math.max(0, us) / 1000);
  }
  return [...parts].sort((a, b) => b[1] - a[1]);
}

/** The biggest parts of a task in words (at most `n`, each at least 0.5 ms). */
export function describeParts(parts: readonly (readonly [string, number])[], n = 4): string {
  return parts
    .filter(([, ms]) => ms >= 0.5)
    .slice(0, n)
    .map(([k, ms]) => `${k} ${round(ms)} ms`)
    .join(', ');
}

/** The page's main-thread tasks (the renderer main thread that has the page's performance marks). */
export function mainThreadTasks(traceJson: string): TraceTasks {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // The page's main thread: the one its performance marks are on, else the busiest.
  const marked = events.find((e) => e.cat.includes('blink.user_timing') && mains.has(`${e.pid}:${e.tid}`));
  const busy = new Map<string, number>();
  for (const e of events) if (isTask(e) && mains.has(`${e.pid}:${e.tid}`)) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = marked ? `${marked.pid}:${marked.tid}` : [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  const marks = new Map<string, number>();
  if (!main) return { tasks: [], marks };
  const on = events.filter((e) => `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  for (const e of on) if (e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b')) marks.set(e.name, e.ts);
  const tasks: MainTask[] = [];
  let inTask = -Infinity;
  for (let i = 0; i < on.length; i++) {
    const t = on[i];
    // A task run inside another (a nested loop) is part of the outer one.
    if (!isTask(t) || t.ts < inTask) continue;
    const end = t.ts + t.dur!;
    inTask = end;
    let j = i + 1;
    while (j < on.length && on[j].ts < end) j++;
    const parts = taskParts(t, on.slice(i + 1, j));
    tasks.push({ ts: t.ts, wallMs: t.dur! / 1000, cpuMs: t.tdur === undefined ? NaN : t.tdur / 1000, parts, doing: describeParts(parts) });
  }
  return { tasks, marks };
}
