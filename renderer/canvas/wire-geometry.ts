/**
 * Where a wire's label sits. React Flow puts labels at the middle of the curve,
 * so the labels of two wires running opposite ways between the same nodes land
 * on one spot; ours sit past the middle, towards the target, on the curve itself.
 * Same control points as React Flow's bezier for a right-side source and a
 * left-side target (curvature 0.25).
 */

const CURVATURE = 0.25;

function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}

/** The point at parameter `t` (0 = source, 1 = target) of the wire's cubic bezier. */
export function wirePoint(sx: number, sy: number, tx: number, ty: number, t: number): { x: number; y: number } {
  const off = controlOffset(tx - sx);
  const c1x = sx + off;
  const c2x = tx - off;
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * sx + b * c1x + c * c2x + d * tx, y: a * sy + b * sy + c * ty + d * ty };
}

/** Label position along a projection wire. */
export const LABEL_T = 0.62;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Places along the wire a label may sit, best first (past the middle, as before). */
const LABEL_TS = [LABEL_T, 0.5, 0.75, 0.38, 0.86, 0.25];

const hits = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Where a label of `size` goes so no node covers it: the first point along the wire
 * (see LABEL_TS) whose label box is clear of every node box; a wire that runs backwards
 * into its own node (a population onto itself) gets its label just above that node.
 * When no place is clear, the usual one.
 */
export function labelPoint(sx: number, sy: number, tx: number, ty: number, size: { width: number; height: number }, nodes: readonly Box[], own?: Box): { x: number; y: number } {
  const clear = (p: { x: number; y: number }) => !nodes.some((n) => hits({ x: p.x - size.width / 2, y: p.y - size.height / 2, ...size }, n));
  for (const t of LABEL_TS) {
    const p = wirePoint(sx, sy, tx, ty, t);
    if (clear(p)) return p;
  }
  if (own && tx < sx) {
    const above = { x: own.x + own.width / 2, y: own.y - size.height / 2 - 6 };
    if (clear(above)) return above;
  }
  return wirePoint(sx, sy, tx, ty, LABEL_T);
}
