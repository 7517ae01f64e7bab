/**
 * A point on a wire's curve (labels sit on it; see wire-route.ts). Same control
 * points as React Flow's bezier for a right-side source and a left-side target
 * (curvature 0.25).
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
