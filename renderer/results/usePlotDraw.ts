import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

/** While a run goes on, a plot redraws at most this often (ms): 10 frames a second keeps the main thread free. */
export const LIVE_REDRAW_MS = 100;

/**
 * Draw a plot canvas whenever `draw` changes. A layout effect, so a finished run is
 * drawn before the browser paints its status and what the panel shows (and its data-*
 * count) always matches the run; a live run redraws in an animation frame, at most
 * once per `LIVE_REDRAW_MS`.
 */
export function usePlotDraw(canvasRef: RefObject<HTMLCanvasElement | null>, size: { readonly width: number; readonly height: number }, live: boolean, draw: (canvas: HTMLCanvasElement) => void): void {
  const frame = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef(0);
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0 || size.height === 0) return;
    cancelAnimationFrame(frame.current);
    clearTimeout(timer.current);
    const run = () => {
      last.current = performance.now();
      draw(canvas);
    };
    if (!live) {
      run();
      return;
    }
    const wait = LIVE_REDRAW_MS - (performance.now() - last.current);
    if (wait <= 0) frame.current = requestAnimationFrame(run);
    else timer.current = setTimeout(() => (frame.current = requestAnimationFrame(run)), wait);
    return () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(timer.current);
    };
  }, [canvasRef, size, live, draw]);
}
