/**
 * The page's main-thread tasks from a Chromium trace (categories {@link TRACE_CATEGORIES}):
 * each top-level task's wall time and thread (CPU) time, and what it was doing — the
 * timeline events inside it (scripts by function and file, layout, paint, style, GC),
 * biggest first. Wall time is what the user feels; on a loaded machine it includes
 * time the thread waited for a core, which the thread time does not.
 */

/** What the UI bench asks Chromium to trace. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'blink.user_timing'];

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

export interface MainTask {
  /** Start, µs on the trace clock. */
  readonly ts: number;
  readonly wallMs: number;
  /** Thread time: what the main thread itself spent (NaN when the trace has none). */
  readonly cpuMs: number;
  /** The biggest pieces of work inside, e.g. `Paint 12.3 ms, FunctionCall drawRaster index.js:20117 8.1 ms`. */
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

/** What a timeline event inside a task is, in words (scripts by their function and file). */
function label(e: TraceEvent): string {
  const d = e.args?.data;
  if (e.name === 'FunctionCall' && d) return `script ${d.functionName || '(anonymous)'} ${(d.url ?? '').split('/').pop()}:${(d.lineNumber ?? 0) + 1}`;
  return e.name;
}

/** Timeline events worth naming inside a task (the rest are wrappers or tiny). */
const NAMED = new Set([
  'FunctionCall',
  'Layout',
  'UpdateLayoutTree',
  'Paint',
  'PrePaint',
  'Layerize',
  'Commit',
  'MajorGC',
  'MinorGC',
  'V8.GC_SCAVENGER',
  'V8.GC_MARK_COMPACTOR',
  'ParseHTML',
  'EvaluateScript',
  'v8.compile',
  'HitTest',
  'RasterTask',
  'Decode Image',
  'UpdateLayer',
]);

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
  const on = events.filter((e) => `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts);
  for (const e of on) if (e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b')) marks.set(e.name, e.ts);
  const tasks: MainTask[] = [];
  let inTask = -Infinity;
  for (let i = 0; i < on.length; i++) {
    const t = on[i];
    // A task run inside another (a nested loop) is part of the outer one.
    if (!isTask(t) || t.ts < inTask) continue;
    const end = t.ts + t.dur!;
    inTask = end;
    const pieces = new Map<string, number>();
    // The outermost named events only (a GC inside a script counts as the script's).
    let covered = -Infinity;
    for (let j = i + 1; j < on.length && on[j].ts < end; j++) {
      const e = on[j];
      if (e.ph !== 'X' || !NAMED.has(e.name) || e.ts < covered) continue;
      covered = e.ts + (e.dur ?? 0);
      const ms = (e.tdur ?? e.dur ?? 0) / 1000;
      pieces.set(label(e), (pieces.get(label(e)) ?? 0) + ms);
    }
    const doing = [...pieces]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .filter(([, ms]) => ms >= 0.5)
      .map(([k, ms]) => `${k} ${round(ms)} ms`)
      .join(', ');
    tasks.push({ ts: t.ts, wallMs: t.dur! / 1000, cpuMs: t.tdur === undefined ? NaN : t.tdur / 1000, doing });
  }
  return { tasks, marks };
}
