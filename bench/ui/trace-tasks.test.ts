import { describe, expect, it } from 'vitest';
import { UNTRACED, describeParts, mainThreadTasks, taskParts, type TraceEvent } from './trace-tasks.ts';

const PID = 7;
const MAIN = 1;
const WORKER = 2;

/** A complete event on the page's main thread (µs). */
const x = (name: string, ts: number, dur: number, tdur: number, extra: Partial<TraceEvent> = {}): TraceEvent => ({
  name,
  cat: 'devtools.timeline',
  ph: 'X',
  pid: PID,
  tid: MAIN,
  ts,
  dur,
  tdur,
  ...extra,
});

describe("a trace's main-thread tasks", () => {
  it("splits a task's thread time by the self time of the events inside it, the rest as untraced", () => {
    const task = x('ThreadControllerImpl::RunTask', 0, 100_000, 80_000, { cat: 'toplevel' });
    const inside = [
      x('FunctionCall', 10_000, 50_000, 40_000, { args: { data: { functionName: 'draw', url: 'http://127.0.0.1/assets/index.js', lineNumber: 9 } } }),
      // A GC inside the script: its 10 ms are the GC's, not the script's.
      x('MajorGC', 20_000, 10_000, 10_000, { cat: 'devtools.timeline,v8' }),
      x('Layout', 70_000, 10_000, 5_000),
    ];
    // Self times: script 40 − 10 = 30 ms, GC 10 ms, layout 5 ms, untraced 80 − 40 − 5 = 35 ms: they add up to the task's 80 ms.
    expect(taskParts(task, inside)).toEqual([
      [UNTRACED, 35],
      ['script draw index.js:10', 30],
      ['GC', 10],
      ['Layout', 5],
    ]);
  });

  it('names promise callbacks, worker messages and GC phases, and counts wrappers as untraced', () => {
    const task = x('RunTask', 0, 30_000, 30_000, { cat: 'toplevel' });
    const posted = { src_file: 'third_party/blink/renderer/core/workers/dedicated_worker_object_proxy.cc', src_func: 'PostMessageToWorkerObject' };
    const inside = [
      x('ThreadControllerImpl::RunTask', 0, 30_000, 30_000, { cat: 'toplevel', args: posted }),
      x('HandlePostMessage', 0, 30_000, 30_000),
      x('v8.callFunction', 1_000, 28_000, 28_000, { cat: 'v8' }),
      x('RunMicrotasks', 2_000, 20_000, 20_000, { cat: 'v8.execute' }),
      x('V8.GC_MC_MARK', 5_000, 4_000, 4_000, { cat: 'disabled-by-default-v8.gc' }),
    ];
    // message 30 − 28 = 2 ms; the v8.callFunction wrapper 28 − 20 = 8 ms untraced; promise callbacks 20 − 4 = 16 ms; GC 4 ms.
    // The untraced time says where the task was posted from.
    const untraced = `${UNTRACED} PostMessageToWorkerObject dedicated_worker_object_proxy.cc`;
    expect(taskParts(task, inside)).toEqual([
      ['promise callbacks', 16],
      [untraced, 8],
      ['GC', 4],
      ['message from a worker', 2],
    ]);
    expect(describeParts(taskParts(task, inside), 2)).toBe(`promise callbacks 16 ms, ${untraced} 8 ms`);
  });

  it("reads the page's main thread only, takes a task nested in another as part of it, and finds the page's marks", () => {
    const trace = {
      traceEvents: [
        { name: 'thread_name', cat: '__metadata', ph: 'M', pid: PID, tid: MAIN, ts: 0, args: { name: 'CrRendererMain' } },
        { name: 'thread_name', cat: '__metadata', ph: 'M', pid: PID, tid: WORKER, ts: 0, args: { name: 'DedicatedWorker thread' } },
        { name: 'bench-run', cat: 'blink.user_timing', ph: 'I', pid: PID, tid: MAIN, ts: 500 },
        x('RunTask', 1_000, 60_000, 55_000, { cat: 'toplevel' }),
        // A nested message loop inside the first task.
        x('RunTask', 2_000, 10_000, 10_000, { cat: 'toplevel' }),
        x('RunTask', 70_000, 5_000, 4_000, { cat: 'toplevel' }),
        x('RunTask', 1_000, 900_000, 900_000, { cat: 'toplevel', tid: WORKER }),
      ],
    };
    const { tasks, marks } = mainThreadTasks(JSON.stringify(trace));
    expect(marks.get('bench-run')).toBe(500);
    expect(tasks.map((t) => [t.ts, t.wallMs, t.cpuMs])).toEqual([
      [1_000, 60, 55],
      [70_000, 5, 4],
    ]);
    expect(tasks[0].parts).toEqual([[UNTRACED, 55]]);
  });
});
