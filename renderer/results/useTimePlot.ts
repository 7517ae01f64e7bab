/**
 * What the raster and trace panels share: the canvas's size, the visible time
 * window, and its gestures — wheel zooms time around the cursor, dragging pans,
 * double-click (or `reset`) shows the whole run again.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, RefObject } from 'react';
import { fullView, panView, wheelZoomFactor, xToTime, zoomView } from './raster-math.ts';
import type { TimeView } from './raster-math.ts';

export interface TimePlot {
  readonly size: { width: number; height: number };
  readonly view: TimeView;
  readonly zoomed: boolean;
  reset(): void;
  readonly handlers: {
    onPointerDown(e: ReactPointerEvent<HTMLCanvasElement>): void;
    onPointerMove(e: ReactPointerEvent<HTMLCanvasElement>): void;
    onPointerUp(): void;
    onPointerCancel(): void;
    onDoubleClick(): void;
  };
}

/** `marginLeft`/`marginRight`: where the plot area starts and ends inside the canvas, in CSS px. */
export function useTimePlot(canvasRef: RefObject<HTMLCanvasElement | null>, durationMs: number, dtMs: number, marginLeft: number, marginRight: number): TimePlot {
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [zoom, setZoom] = useState<TimeView | null>(null);
  const view = useMemo(() => zoom ?? fullView(durationMs), [zoom, durationMs]);
  const drag = useRef<{ x: number; view: TimeView } | null>(null);

  // A run of another length starts from the whole run.
  const [lastDuration, setLastDuration] = useState(durationMs);
  if (lastDuration !== durationMs) {
    setLastDuration(durationMs);
    setZoom(null);
  }

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

  const plotWidth = Math.max(1, size.width - marginLeft - marginRight);
  const maxMs = durationMs > 0 ? durationMs : 1;
  const minSpan = Math.max(dtMs * 5, 1e-3);

  // Wheel needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const x = e.clientX - canvas.getBoundingClientRect().left;
      setZoom((v) => {
        const cur = v ?? fullView(durationMs);
        const anchor = Math.min(cur.t1Ms, Math.max(cur.t0Ms, xToTime(x, cur, marginLeft, plotWidth)));
        return zoomView(cur, anchor, wheelZoomFactor(e.deltaY), maxMs, minSpan);
      });
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [canvasRef, durationMs, plotWidth, maxMs, minSpan, marginLeft]);

  const onPointerDown = useCallback(
    (e: ReactPointerEvent<HTMLCanvasElement>) => {
      if (e.button !== 0) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { x: e.clientX, view };
    },
    [view],
  );
  const onPointerMove = useCallback(
    (e: ReactPointerEvent<HTMLCanvasElement>) => {
      const d = drag.current;
      if (!d) return;
      const span = d.view.t1Ms - d.view.t0Ms;
      const next = panView(d.view, (-(e.clientX - d.x) / plotWidth) * span, maxMs);
      setZoom(next.t0Ms === 0 && next.t1Ms === maxMs ? null : next);
    },
    [plotWidth, maxMs],
  );
  const end = useCallback(() => {
    drag.current = null;
  }, []);
  const reset = useCallback(() => setZoom(null), []);

  return {
    size,
    view,
    zoomed: zoom !== null,
    reset,
    handlers: { onPointerDown, onPointerMove, onPointerUp: end, onPointerCancel: end, onDoubleClick: reset },
  };
}
