import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

/**
 * Draw a plot canvas whenever `draw` changes. A layout effect, so a finished run is
 * drawn before the browser paints its status and what the panel shows (and its data-*
 * count) always matches the run; a live run redraws at most once per animation frame.
 */
export function usePlotDraw(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  size: { readonly width: number; readonly height: number },
  live: boolean,
  draw: (canvas: HTMLCanvasElement) => void,
): void {
  const frame = useRef(0);
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0 || size.height === 0) return;
    cancelAnimationFrame(frame.current);
    if (!live) {
      draw(canvas);
      return;
    }
    frame.current = requestAnimationFrame(() => draw(canvas));
    return () => cancelAnimationFrame(frame.current);
  }, [canvasRef, size, live, draw]);
}
