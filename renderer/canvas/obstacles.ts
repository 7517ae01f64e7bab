/**
 * The node boxes wires route around, in a grid of buckets so a wire finds the few
 * boxes in its corridor without looking at every node. The Canvas publishes a new
 * index when nodes move or are measured; each wire subscribes to the boxes of its own
 * corridor only, so dragging one node re-draws the wires it touches and the wires
 * whose corridor it crosses, not all of them. Session state, outside the store.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Box, Pt } from './wire-route.ts';
import { corridorOf } from './wire-route.ts';

const CELL = 256;

export class ObstacleIndex {
  private readonly cells = new Map<string, number[]>();
  private readonly list: Box[] = [];
  private readonly byId = new Map<string, Box>();

  constructor(boxes: Iterable<readonly [string, Box]>) {
    for (const [id, b] of boxes) {
      const k = this.list.length;
      this.list.push(b);
      this.byId.set(id, b);
      for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.width) / CELL); cx++) {
        for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.height) / CELL); cy++) {
          const key = `${cx},${cy}`;
          const cell = this.cells.get(key);
          if (cell) cell.push(k);
          else this.cells.set(key, [k]);
        }
      }
    }
  }

  boxOf(id: string): Box | undefined {
    return this.byId.get(id);
  }

  /** The boxes that overlap `r`, in the order they were given. */
  query(r: Box): Box[] {
    const hit = new Set<number>();
    const cx0 = Math.floor(r.x / CELL);
    const cx1 = Math.floor((r.x + r.width) / CELL);
    const cy0 = Math.floor(r.y / CELL);
    const cy1 = Math.floor((r.y + r.height) / CELL);
    // A huge corridor (a wire across the whole graph) is cheaper as one pass over the list.
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > this.list.length) {
      return this.list.filter((b) => overlap(b, r));
    }
    for (let cx = cx0; cx <= cx1; cx++) {
      for (let cy = cy0; cy <= cy1; cy++) {
        for (const k of this.cells.get(`${cx},${cy}`) ?? []) if (!hit.has(k) && overlap(this.list[k], r)) hit.add(k);
      }
    }
    return [...hit].sort((a, b) => a - b).map((k) => this.list[k]);
  }
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

type Listener = () => void;

/** The current index and its subscribers. */
class ObstacleStore {
  index = new ObstacleIndex([]);
  private readonly listeners = new Set<Listener>();
  set(index: ObstacleIndex): void {
    this.index = index;
    for (const l of this.listeners) l();
  }
  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const canvasObstacles = new ObstacleStore();

/** Canvas geometry the layout needs from React Flow: where a node's port sits inside it. */
export const canvasPorts: { offset: ((node: string, side: 'source' | 'target', port: string) => Pt | null) | null } = { offset: null };

export interface WireSurroundings {
  readonly corridor: Box;
  readonly obstacles: readonly Box[];
}

const sameBoxes = (a: readonly Box[], b: readonly Box[]) =>
  a.length === b.length && a.every((x, i) => x === b[i] || (x.x === b[i].x && x.y === b[i].y && x.width === b[i].width && x.height === b[i].height));

/**
 * The node boxes in a wire's corridor; re-renders the wire only when they change.
 * `source` and `target` are the ends' node ids (their boxes widen the corridor, so a
 * wire running back into its own node can go round it).
 */
export function useWireSurroundings(s: Pt, t: Pt, source: string, target: string): WireSurroundings {
  const last = useRef<WireSurroundings | null>(null);
  const snapshot = useCallback(() => {
    const { index } = canvasObstacles;
    const corridor = corridorOf(s, t, [index.boxOf(source), index.boxOf(target)]);
    const obstacles = index.query(corridor);
    const prev = last.current;
    if (prev && sameBoxes(prev.obstacles, obstacles) && sameBoxes([prev.corridor], [corridor])) return prev;
    return (last.current = { corridor, obstacles });
  }, [s.x, s.y, t.x, t.y, source, target]); // eslint-disable-line react-hooks/exhaustive-deps
  return useSyncExternalStore(canvasObstacles.subscribe, snapshot);
}
