/** A canvas's CSS size, kept up to date by a ResizeObserver (the result panels redraw on it). */
import { useEffect, useState, type RefObject } from 'react';

export function useCanvasSize(canvasRef: RefObject<HTMLCanvasElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0].contentRect;
      setSize((s) => (s.width === r.width && s.height === r.height ? s : { width: r.width, height: r.height }));
    });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [canvasRef]);
  return size;
}
