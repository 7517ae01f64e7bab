import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

/** While a run goes on, a plot redraws at most this often (ms): 10 frames a second keeps the main thread free. */
export const LIVE_REDRAW_MS = 100;

/**
 * Draw a plot canvas whenever `draw` changes. A layout effect, so a finished run is
 * drawn before the browser paints its status and what the panel shows (and its data-*
 * count) always matches the run; a live run redraws at most once per `LIVE_REDRAW_MS`,
 * in a task of its own (a timer), not an animation frame: the run state's live updates
 * re-render the panels in an animation frame (renderer/engine/run-controller.ts), and a
 * draw queued for the same frame ran in the same main-thread task — at the start of the
 * 125 M-synapse bench run, React 16 ms + the first draw 17 ms + layout 5 ms, one 53.5 ms task
 * (`npm run bench:ui`). The canvas shows the new pixels at the next frame either way.
 */
export function usePlotDraw(canvasRef: RefObject<HTMLCanvasElement | null>, size: { readonly width: number; readonly height: number }, live: boolean, draw: (canvas: HTMLCanvasElement) => void): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef(0);
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0 || size.height === 0) return;
    clearTimeout(timer.current);
    const run = () => {
      last.current = performance.now();
      draw(canvas);
    };
    if (!live) {
      run();
      return;
    }
    timer.current = setTimeout(run, Math.max(0, LIVE_REDRAW_MS - (performance.now() - last.current)));
    return () => clearTimeout(timer.current);
  }, [canvasRef, size, live, draw]);
}
