/**
 * What the raster and trace panels share: the canvas's size, the visible time
 * window, and its gestures — wheel zooms time around the cursor, dragging pans,
 * double-click (or `reset`) shows the whole run again.
 *
 * With `rows` (the raster), the neuron axis zooms too: Shift+wheel (or Alt+wheel)
 * zooms the rows around the cursor and a vertical drag pans them. A press and
 * release without moving is a click (`onClick`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, RefObject } from 'react';
import { clampView, fullRows, panRows, panView, wheelZoomFactor, xToTime, zoomRows, zoomView } from './raster-math.ts';
import type { RowView, TimeView } from './raster-math.ts';
import { useCanvasSize } from './useCanvasSize.ts';

export interface TimePlot {
  readonly size: { width: number; height: number };
  readonly view: TimeView;
  /** The visible rows (all of them without `rows`). */
  readonly rowView: RowView;
  readonly zoomed: boolean;
  reset(): void;
  readonly handlers: {
    onPointerDown(e: ReactPointerEvent<HTMLCanvasElement>): void;
    onPointerMove(e: ReactPointerEvent<HTMLCanvasElement>): void;
    onPointerUp(e: ReactPointerEvent<HTMLCanvasElement>): void;
    onPointerCancel(): void;
    onDoubleClick(): void;
  };
}

export interface TimePlotOptions {
  /** The time domain when it is not the whole run (a monitor that keeps a window). */
  readonly domain?: TimeView;
  /** The raster's stacked rows, and the plot's top and bottom margins (CSS px). */
  readonly rows?: { readonly total: number; readonly marginTop: number; readonly marginBottom: number | ((heightPx: number) => number) };
  /** A press and release without a drag, at canvas CSS px. */
  readonly onClick?: (x: number, y: number) => void;
}

/** Pointer travel (px) below which a press and release is a click, not a drag. */
const CLICK_SLOP_PX = 3;

/** `marginLeft`/`marginRight`: where the plot area starts and ends inside the canvas, in CSS px. */
export function useTimePlot(canvasRef: RefObject<HTMLCanvasElement | null>, durationMs: number, dtMs: number, marginLeft: number, marginRight: number, options: TimePlotOptions = {}): TimePlot {
  const size = useCanvasSize(canvasRef);
  const [zoom, setZoom] = useState<TimeView | null>(null);
  const [rowZoom, setRowZoom] = useState<RowView | null>(null);
  const minMs = options.domain ? options.domain.t0Ms : 0;
  const maxMs = options.domain ? Math.max(options.domain.t1Ms, minMs + 1e-3) : durationMs > 0 ? durationMs : 1;
  const view = useMemo(() => (zoom ? clampView(zoom, maxMs, minMs) : { t0Ms: minMs, t1Ms: maxMs }), [zoom, minMs, maxMs]);
  const totalRows = options.rows?.total ?? 1;
  const rowView = useMemo(() => rowZoom ?? fullRows(totalRows), [rowZoom, totalRows]);
  const drag = useRef<{ x: number; y: number; view: TimeView; rows: RowView; moved: boolean } | null>(null);

  // A run of another length (or other populations) starts from the whole run.
  const [lastDuration, setLastDuration] = useState(durationMs);
  if (lastDuration !== durationMs) {
    setLastDuration(durationMs);
    setZoom(null);
  }
  const [lastRows, setLastRows] = useState(totalRows);
  if (lastRows !== totalRows) {
    setLastRows(totalRows);
    setRowZoom(null);
  }

  const plotWidth = Math.max(1, size.width - marginLeft - marginRight);
  const rowsOpt = options.rows;
  const marginBottom = typeof rowsOpt?.marginBottom === 'function' ? rowsOpt.marginBottom(size.height) : (rowsOpt?.marginBottom ?? 0);
  const plotHeight = rowsOpt ? Math.max(1, size.height - rowsOpt.marginTop - marginBottom) : 1;
  const marginTop = rowsOpt?.marginTop ?? 0;
  const hasRows = rowsOpt !== undefined;
  const minSpan = Math.max(dtMs * 5, 1e-3);

  // Wheel needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const box = canvas.getBoundingClientRect();
      if (hasRows && (e.shiftKey || e.altKey)) {
        // Browsers turn Shift+wheel into a horizontal scroll: take whichever delta there is.
        const delta = e.deltaY !== 0 ? e.deltaY : e.deltaX;
        const y = e.clientY - box.top - marginTop;
        setRowZoom((v) => {
          const cur = v ?? fullRows(totalRows);
          const anchor = Math.min(cur.r1, Math.max(cur.r0, cur.r0 + (y / plotHeight) * (cur.r1 - cur.r0)));
          const next = zoomRows(cur, anchor, wheelZoomFactor(delta), totalRows);
          return next.r0 <= 0 && next.r1 >= totalRows ? null : next;
        });
        return;
      }
      const x = e.clientX - box.left;
      setZoom((v) => {
        const cur = v ? clampView(v, maxMs, minMs) : { t0Ms: minMs, t1Ms: maxMs };
        const anchor = Math.min(cur.t1Ms, Math.max(cur.t0Ms, xToTime(x, cur, marginLeft, plotWidth)));
        return zoomView(cur, anchor, wheelZoomFactor(e.deltaY), maxMs, minSpan, minMs);
      });
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [canvasRef, plotWidth, plotHeight, maxMs, minMs, minSpan, marginLeft, marginTop, hasRows, totalRows]);

  const onPointerDown = useCallback(
    (e: ReactPointerEvent<HTMLCanvasElement>) => {
      if (e.button !== 0) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { x: e.clientX, y: e.clientY, view, rows: rowView, moved: false };
    },
    [view, rowView],
  );
  const onPointerMove = useCallback(
    (e: ReactPointerEvent<HTMLCanvasElement>) => {
      const d = drag.current;
      if (!d) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < CLICK_SLOP_PX) return;
      d.moved = true;
      const span = d.view.t1Ms - d.view.t0Ms;
      const next = panView(d.view, (-dx / plotWidth) * span, maxMs, minMs);
      setZoom(next.t0Ms <= minMs && next.t1Ms >= maxMs ? null : next);
      if (hasRows && (d.rows.r0 > 0 || d.rows.r1 < totalRows)) {
        setRowZoom(panRows(d.rows, (-dy / plotHeight) * (d.rows.r1 - d.rows.r0), totalRows));
      }
    },
    [plotWidth, plotHeight, maxMs, minMs, hasRows, totalRows],
  );
  const { onClick } = options;
  const onPointerUp = useCallback(
    (e: ReactPointerEvent<HTMLCanvasElement>) => {
      const d = drag.current;
      drag.current = null;
      if (d && !d.moved && onClick) {
        const box = e.currentTarget.getBoundingClientRect();
        onClick(e.clientX - box.left, e.clientY - box.top);
      }
    },
    [onClick],
  );
  const cancel = useCallback(() => {
    drag.current = null;
  }, []);
  const reset = useCallback(() => {
    setZoom(null);
    setRowZoom(null);
  }, []);

  return {
    size,
    view,
    rowView,
    zoomed: zoom !== null || rowZoom !== null,
    reset,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: cancel, onDoubleClick: reset },
  };
}
