/**
 * How a wire is drawn so it does not pass under nodes, and where its label goes.
 *
 * A wire is the usual curve (React Flow's bezier) while that curve is clear of every
 * node box near it. When a node is in the way, the wire is routed around the boxes
 * instead: an orthogonal path with rounded corners, found by A* over the sparse grid
 * of box edges inside the wire's corridor (the box around both ends and their nodes,
 * plus a margin), so its cost depends on the few nodes near the wire, never on the
 * whole graph. After auto-layout the route elk computed is kept (`keptRoutes`) and
 * drawn while both ends are where elk put them and no node has moved into its way.
 *
 * Pure functions over boxes and points; `WireEdge` feeds them the obstacles of its
 * corridor from `obstacles.ts`.
 */
import { wirePoint } from './wire-geometry.ts';

export interface Pt {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Room kept between a routed wire and a node box. */
export const ROUTE_MARGIN = 14;
/** Straight run out of an output and into an input before a routed wire may turn. */
export const ROUTE_STUB = 24;
/** Extra cost of a turn, in pixels of length: fewer bends beat slightly shorter routes. */
const BEND_COST = 40;
/** Corner radius of a drawn route. */
const CORNER = 10;
/** How far beyond its ends and nodes a wire's corridor reaches. */
export const CORRIDOR_MARGIN = 90;
/** A route search looks at no more than this many boxes (the nearest ones). */
const MAX_OBSTACLES = 32;

/** Whether the segment a→b passes through the inside of `box` (touching its border does not count). */
export function segmentCrosses(a: Pt, b: Pt, box: Box): boolean {
  const e = 0.5;
  const xmin = box.x + e;
  const xmax = box.x + box.width - e;
  const ymin = box.y + e;
  const ymax = box.y + box.height - e;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const ps = [-dx, dx, -dy, dy];
  const qs = [a.x - xmin, xmax - a.x, a.y - ymin, ymax - a.y];
  for (let i = 0; i < 4; i++) {
    const p = ps[i];
    const q = qs[i];
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
  }
  return t1 - t0 > 1e-9;
}

/** Whether no segment of the polyline passes through any box. */
export function polylineClear(points: readonly Pt[], boxes: readonly Box[]): boolean {
  for (let i = 1; i < points.length; i++) {
    for (const b of boxes) if (segmentCrosses(points[i - 1], points[i], b)) return false;
  }
  return true;
}

/** The wire's bezier (as React Flow draws it from a right-side output to a left-side input) as a polyline. */
export function bezierPoints(s: Pt, t: Pt, samples = 24): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i <= samples; i++) out.push(wirePoint(s.x, s.y, t.x, t.y, i / samples));
  return out;
}

/** The bezier's SVG path, the same curve React Flow's `getBezierPath` draws for these ends. */
export function bezierPath(s: Pt, t: Pt): string {
  const off = t.x - s.x >= 0 ? 0.5 * (t.x - s.x) : 0.25 * 25 * Math.sqrt(s.x - t.x);
  return `M${s.x},${s.y} C${s.x + off},${s.y} ${t.x - off},${t.y} ${t.x},${t.y}`;
}

const inflate = (b: Box, m: number): Box => ({ x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m });
const strictlyInside = (p: Pt, b: Box) => p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height;
const insideOrOn = (p: Pt, b: Box) => p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;

function sortedUnique(values: readonly number[], lo: number, hi: number): number[] {
  const v = values.filter((x) => x >= lo && x <= hi).sort((a, b) => a - b);
  return v.filter((x, i) => i === 0 || x - v[i - 1] > 0.5);
}

/** Drop points that lie on a straight line between their neighbours. */
export function simplify(points: readonly Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of points) {
    const n = out.length;
    if (n > 0 && Math.abs(out[n - 1].x - p.x) < 0.01 && Math.abs(out[n - 1].y - p.y) < 0.01) continue;
    if (n >= 2) {
      const a = out[n - 2];
      const b = out[n - 1];
      const cross = (b.x - a.x) * (p.y - b.y) - (b.y - a.y) * (p.x - b.x);
      if (Math.abs(cross) < 0.01) out[n - 1] = p;
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

// A small binary heap of [priority, state] for A*.
class Heap {
  private pri: number[] = [];
  private val: number[] = [];
  get size(): number {
    return this.pri.length;
  }
  push(p: number, v: number): void {
    const pri = this.pri;
    const val = this.val;
    let i = pri.length;
    pri.push(p);
    val.push(v);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (pri[up] <= p) break;
      pri[i] = pri[up];
      val[i] = val[up];
      i = up;
    }
    pri[i] = p;
    val[i] = v;
  }
  pop(): number {
    const pri = this.pri;
    const val = this.val;
    const top = val[0];
    const lp = pri.pop()!;
    const lv = val.pop()!;
    const n = pri.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && pri[r] < pri[l] ? r : l;
        if (pri[c] >= lp) break;
        pri[i] = pri[c];
        val[i] = val[c];
        i = c;
      }
      pri[i] = lp;
      val[i] = lv;
    }
    return top;
  }
}

const DX = [1, -1, 0, 0];
const DY = [0, 0, 1, -1];

/**
 * An orthogonal route from output `s` (leaving to the right) to input `t` (entering
 * from the left) around `boxes`, inside `bounds`; null when there is none. The route
 * keeps ROUTE_MARGIN from every box and turns as little as it can.
 */
export function orthogonalRoute(s: Pt, t: Pt, boxes: readonly Box[], bounds: Box): Pt[] | null {
  const a = { x: s.x + ROUTE_STUB, y: s.y };
  const b = { x: t.x - ROUTE_STUB, y: t.y };
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const near = boxes.length <= MAX_OBSTACLES ? boxes : [...boxes].sort((p, q) => dist2(centre(p), mid) - dist2(centre(q), mid)).slice(0, MAX_OBSTACLES);
  // A box the stub's end sits in cannot be avoided; it is left out rather than failing.
  const blocks = near.map((x) => inflate(x, ROUTE_MARGIN)).filter((r) => !insideOrOn(a, r) && !insideOrOn(b, r));
  const x0 = bounds.x;
  const x1 = bounds.x + bounds.width;
  const y0 = bounds.y;
  const y1 = bounds.y + bounds.height;
  const xs = sortedUnique([a.x, b.x, mid.x, x0, x1, ...blocks.flatMap((r) => [r.x, r.x + r.width])], x0, x1);
  const ys = sortedUnique([a.y, b.y, mid.y, y0, y1, ...blocks.flatMap((r) => [r.y, r.y + r.height])], y0, y1);
  const ia = xs.findIndex((x) => Math.abs(x - a.x) <= 0.5);
  const ja = ys.findIndex((y) => Math.abs(y - a.y) <= 0.5);
  const ib = xs.findIndex((x) => Math.abs(x - b.x) <= 0.5);
  const jb = ys.findIndex((y) => Math.abs(y - b.y) <= 0.5);
  if (ia < 0 || ja < 0 || ib < 0 || jb < 0) return null;
  const W = xs.length;
  const H = ys.length;
  const free = new Uint8Array(W * H);
  for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) free[j * W + i] = blocks.some((r) => strictlyInside({ x: xs[i], y: ys[j] }, r)) ? 0 : 1;
  // A step between neighbouring grid points is open when its middle is outside every box
  // (the grid has a line on every box edge, so a step is wholly in or out of a box).
  const open = (i: number, j: number, d: number) => {
    const i2 = i + DX[d];
    const j2 = j + DY[d];
    if (i2 < 0 || j2 < 0 || i2 >= W || j2 >= H || !free[j2 * W + i2]) return false;
    const m = { x: (xs[i] + xs[i2]) / 2, y: (ys[j] + ys[j2]) / 2 };
    return !blocks.some((r) => strictlyInside(m, r));
  };
  const states = W * H * 4;
  const cost = new Float64Array(states).fill(Infinity);
  const prev = new Int32Array(states).fill(-1);
  const heap = new Heap();
  const h = (i: number, j: number) => Math.abs(xs[i] - b.x) + Math.abs(ys[j] - b.y);
  const start = (ja * W + ia) * 4; // heading east (d = 0)
  cost[start] = 0;
  heap.push(h(ia, ja), start);
  let goal = -1;
  while (heap.size > 0) {
    const st = heap.pop();
    const d = st & 3;
    const cell = st >> 2;
    const i = cell % W;
    const j = (cell - i) / W;
    const c = cost[st];
    // The first arrival taken off the heap is the cheapest (arriving other than eastwards,
    // the way the last run into the input goes, was charged a turn on the step in).
    if (i === ib && j === jb) {
      goal = st;
      break;
    }
    for (let nd = 0; nd < 4; nd++) {
      if ((nd ^ 1) === d) continue; // no U-turns
      if (!open(i, j, nd)) continue;
      const i2 = i + DX[nd];
      const j2 = j + DY[nd];
      const nc = c + Math.abs(xs[i2] - xs[i]) + Math.abs(ys[j2] - ys[j]) + (nd === d ? 0 : BEND_COST) + (i2 === ib && j2 === jb && nd !== 0 ? BEND_COST : 0);
      const ns = ((j2 * W + i2) << 2) | nd;
      if (nc < cost[ns]) {
        cost[ns] = nc;
        prev[ns] = st;
        heap.push(nc + h(i2, j2), ns);
      }
    }
  }
  if (goal < 0) return null;
  const cells: Pt[] = [];
  for (let st = goal; st >= 0; st = prev[st]) {
    const cell = st >> 2;
    const i = cell % W;
    cells.push({ x: xs[i], y: ys[(cell - i) / W] });
  }
  cells.reverse();
  return simplify([s, ...cells, t]);
}

const centre = (b: Box): Pt => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const dist2 = (p: Pt, q: Pt) => (p.x - q.x) ** 2 + (p.y - q.y) ** 2;

/** A polyline as an SVG path with rounded corners. */
export function roundedPath(points: readonly Pt[], radius = CORNER): string {
  if (points.length === 0) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p0 = points[i - 1];
    const p = points[i];
    const p1 = points[i + 1];
    const l0 = Math.hypot(p.x - p0.x, p.y - p0.y);
    const l1 = Math.hypot(p1.x - p.x, p1.y - p.y);
    const r = Math.min(radius, l0 / 2, l1 / 2);
    const a = { x: p.x + ((p0.x - p.x) / (l0 || 1)) * r, y: p.y + ((p0.y - p.y) / (l0 || 1)) * r };
    const b = { x: p.x + ((p1.x - p.x) / (l1 || 1)) * r, y: p.y + ((p1.y - p.y) / (l1 || 1)) * r };
    d += ` L${a.x},${a.y} Q${p.x},${p.y} ${b.x},${b.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}

/** The box around a wire's ends and its own nodes, grown by CORRIDOR_MARGIN: where its route may run. */
export function corridorOf(s: Pt, t: Pt, own: readonly (Box | undefined)[]): Box {
  let x0 = Math.min(s.x, t.x);
  let y0 = Math.min(s.y, t.y);
  let x1 = Math.max(s.x, t.x);
  let y1 = Math.max(s.y, t.y);
  for (const b of own) {
    if (!b) continue;
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  const m = CORRIDOR_MARGIN;
  return { x: x0 - m, y: y0 - m, width: x1 - x0 + 2 * m, height: y1 - y0 + 2 * m };
}

/**
 * A route kept from auto-layout fits the wire while its ends are where they were
 * laid out (the output's run may be a few pixels longer: elk puts ports on the box
 * edge, React Flow at the handle's outer edge). The answer ends exactly at `s` and `t`.
 */
export function fitKeptRoute(route: readonly Pt[] | undefined, s: Pt, t: Pt): Pt[] | null {
  if (!route || route.length < 2) return null;
  const first = route[0];
  const last = route[route.length - 1];
  const tol = 8;
  if (Math.abs(first.y - s.y) > 1 || Math.abs(last.y - t.y) > 1 || Math.abs(first.x - s.x) > tol || Math.abs(last.x - t.x) > tol) return null;
  return [s, ...route.slice(1, -1), t];
}

/** Routes elk gave the wires at the last auto-layout, by wire id (session state, not in the document). */
export const keptRoutes = new Map<string, readonly Pt[]>();

export type WireShape =
  { readonly kind: 'bezier'; readonly path: string; readonly points: readonly Pt[] } | { readonly kind: 'kept' | 'routed'; readonly path: string; readonly points: readonly Pt[] };

/**
 * The wire from `s` to `t` among `obstacles` (the node boxes in its corridor, its own
 * nodes included): the kept elk route when it still fits and is clear, else the
 * bezier when clear, else an orthogonal route around the boxes (else the bezier).
 */
export function shapeWire(s: Pt, t: Pt, obstacles: readonly Box[], corridor: Box, kept?: readonly Pt[]): WireShape {
  const fitted = fitKeptRoute(kept, s, t);
  if (fitted && polylineClear(fitted, obstacles)) return { kind: 'kept', path: roundedPath(fitted), points: fitted };
  const curve = bezierPoints(s, t);
  if (polylineClear(curve, obstacles)) return { kind: 'bezier', path: bezierPath(s, t), points: curve };
  const route = orthogonalRoute(s, t, obstacles, corridor);
  if (route) return { kind: 'routed', path: roundedPath(route), points: route };
  return { kind: 'bezier', path: bezierPath(s, t), points: curve };
}

const boxAt = (p: Pt, size: { width: number; height: number }): Box => ({ x: p.x - size.width / 2, y: p.y - size.height / 2, ...size });
const clearOf = (p: Pt, size: { width: number; height: number }, boxes: readonly Box[]) => {
  const lb = boxAt(p, size);
  return !boxes.some((n) => lb.x < n.x + n.width && n.x < lb.x + lb.width && lb.y < n.y + n.height && n.y < lb.y + lb.height);
};

/** Places along a bezier a label may sit, best first (past the middle, so opposite wires' labels differ). */
const CURVE_TS = [0.62, 0.5, 0.75, 0.38, 0.86, 0.25];

/**
 * Where a label of `size` goes on a wire so no node covers it: on a curve, the first
 * clear spot of CURVE_TS; on a route, the middle of the longest clear stretch (its
 * longest segments first, horizontal ones preferred, as the label is wide); else the
 * nearest clear spot around the usual place (searched outwards, up and down first);
 * `clear: false` when there is none within reach (the label is then drawn above nodes).
 */
export function labelPlace(shape: WireShape, size: { width: number; height: number }, boxes: readonly Box[]): { x: number; y: number; clear: boolean } {
  const pts = shape.points;
  const candidates: Pt[] = [];
  if (shape.kind === 'bezier') {
    const s = pts[0];
    const t = pts[pts.length - 1];
    for (const u of CURVE_TS) candidates.push(wirePoint(s.x, s.y, t.x, t.y, u));
  } else {
    const segs = [];
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      segs.push({ a, b, score: len * (Math.abs(b.y - a.y) < 0.5 ? 2 : 1) });
    }
    segs.sort((p, q) => q.score - p.score);
    for (const { a, b } of segs) for (const u of [0.5, 0.3, 0.7]) candidates.push({ x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u });
  }
  for (const c of candidates) if (clearOf(c, size, boxes)) return { ...c, clear: true };
  const home = candidates[0];
  for (let r = 1; r <= 10; r++) {
    const dy = r * 14;
    for (const dx of [0, -size.width / 3, size.width / 3, -size.width / 1.5, size.width / 1.5]) {
      for (const p of [
        { x: home.x + dx, y: home.y - dy },
        { x: home.x + dx, y: home.y + dy },
      ]) {
        if (clearOf(p, size, boxes)) return { ...p, clear: true };
      }
    }
  }
  return { ...home, clear: false };
}
