import { describe, expect, it } from 'vitest';
import { ObstacleIndex } from './obstacles.ts';
import { bezierPoints, corridorOf, fitKeptRoute, labelPlace, orthogonalRoute, polylineClear, segmentCrosses, shapeWire, ROUTE_MARGIN } from './wire-route.ts';
import type { Box, Pt } from './wire-route.ts';

const inflate = (b: Box, m: number): Box => ({ x: b.x - m + 0.5, y: b.y - m + 0.5, width: b.width + 2 * m - 1, height: b.height + 2 * m - 1 });
const axisAligned = (pts: readonly Pt[]) => pts.every((p, i) => i === 0 || p.x === pts[i - 1].x || p.y === pts[i - 1].y);

describe('segmentCrosses', () => {
  const box = { x: 100, y: 100, width: 100, height: 50 };
  it('is true for a segment through the box and false for one along its border or beside it', () => {
    expect(segmentCrosses({ x: 0, y: 120 }, { x: 300, y: 120 }, box)).toBe(true);
    expect(segmentCrosses({ x: 150, y: 0 }, { x: 150, y: 110 }, box)).toBe(true);
    expect(segmentCrosses({ x: 0, y: 100 }, { x: 300, y: 100 }, box)).toBe(false);
    expect(segmentCrosses({ x: 0, y: 90 }, { x: 300, y: 90 }, box)).toBe(false);
    expect(segmentCrosses({ x: 0, y: 0 }, { x: 99, y: 149 }, box)).toBe(false);
  });
});

describe('shapeWire', () => {
  // Two nodes 400 px apart with a third one sitting across the straight line between them.
  const src = { x: 0, y: 0, width: 200, height: 100 };
  const dst = { x: 600, y: 0, width: 200, height: 100 };
  const s = { x: 205, y: 50 };
  const t = { x: 595, y: 50 };

  it('draws the plain curve when no node is in its way', () => {
    const shape = shapeWire(s, t, [src, dst], corridorOf(s, t, [src, dst]));
    expect(shape.kind).toBe('bezier');
    expect(shape.path.startsWith('M205,50 C')).toBe(true);
  });

  it('goes round a node in its way, keeping the margin, with only horizontal and vertical runs', () => {
    const blocker = { x: 320, y: 0, width: 160, height: 100 };
    const boxes = [src, dst, blocker];
    const shape = shapeWire(s, t, boxes, corridorOf(s, t, [src, dst]));
    expect(shape.kind).toBe('routed');
    const pts = shape.points;
    expect(pts[0]).toEqual(s);
    expect(pts[pts.length - 1]).toEqual(t);
    expect(axisAligned(pts)).toBe(true);
    // Leaves to the right and enters from the left.
    expect(pts[1].y).toBe(s.y);
    expect(pts[1].x).toBeGreaterThan(s.x);
    expect(pts[pts.length - 2].y).toBe(t.y);
    expect(pts[pts.length - 2].x).toBeLessThan(t.x);
    // Clear of every box; past the runs out of and into its ports, clear of the margin too.
    expect(polylineClear(pts, boxes)).toBe(true);
    expect(
      polylineClear(
        pts.slice(1, -1),
        boxes.map((b) => inflate(b, ROUTE_MARGIN)),
      ),
    ).toBe(true);
    // Over or under the blocker: 4 turns (out, across, back, in), no detour beyond its edge plus the margin.
    expect(pts).toHaveLength(6);
    const detourY = pts[2].y;
    expect([blocker.y - ROUTE_MARGIN, blocker.y + blocker.height + ROUTE_MARGIN]).toContain(detourY);
  });

  it('routes a population wired onto itself out of its right side, round the node, into its left side', () => {
    const node = { x: 0, y: 0, width: 200, height: 120 };
    const out = { x: 205, y: 90 };
    const into = { x: -5, y: 70 };
    const shape = shapeWire(out, into, [node], corridorOf(out, into, [node]));
    expect(shape.kind).toBe('routed');
    expect(polylineClear(shape.points, [node])).toBe(true);
    expect(polylineClear(shape.points.slice(1, -1), [inflate(node, ROUTE_MARGIN)])).toBe(true);
    // Out right, under the node (the output is in its lower half: the shorter way), up the left side, in.
    expect(shape.points.map((p) => [p.x, p.y])).toEqual([
      [205, 90],
      [229, 90],
      [229, 134],
      [-29, 134],
      [-29, 70],
      [-5, 70],
    ]);
    expect(axisAligned(shape.points)).toBe(true);
  });

  it('answers null when the corridor leaves no way through', () => {
    const wall = { x: 300, y: -1000, width: 50, height: 3000 };
    expect(orthogonalRoute(s, t, [wall], { x: 0, y: -100, width: 900, height: 300 })).toBeNull();
  });

  it('draws the route kept from auto-layout while both ends are where they were laid out and nothing covers it', () => {
    const kept = [
      { x: 200, y: 50 },
      { x: 400, y: 50 },
      { x: 400, y: 50 },
      { x: 600, y: 50 },
    ];
    expect(fitKeptRoute(kept, s, t)).toEqual([s, kept[1], kept[2], t]);
    const shape = shapeWire(s, t, [src, dst], corridorOf(s, t, [src, dst]), kept);
    expect(shape.kind).toBe('kept');
    // The target moved 10 px down: the kept route no longer fits.
    expect(fitKeptRoute(kept, s, { x: 595, y: 60 })).toBeNull();
    expect(shapeWire(s, { x: 595, y: 60 }, [src, dst], corridorOf(s, t, [src, dst]), kept).kind).not.toBe('kept');
    // A node dragged onto the kept route: routed anew.
    const blocker = { x: 320, y: 0, width: 160, height: 100 };
    expect(shapeWire(s, t, [src, dst, blocker], corridorOf(s, t, [src, dst]), kept).kind).toBe('routed');
  });
});

describe('labelPlace', () => {
  const size = { width: 120, height: 18 };
  const overlaps = (p: Pt, b: Box) => p.x - size.width / 2 < b.x + b.width && b.x < p.x + size.width / 2 && p.y - size.height / 2 < b.y + b.height && b.y < p.y + size.height / 2;

  it('puts a label past the middle of a clear curve', () => {
    const s = { x: 0, y: 0 };
    const t = { x: 400, y: 0 };
    const p = labelPlace({ kind: 'bezier', path: '', points: bezierPoints(s, t) }, size, []);
    expect(p.clear).toBe(true);
    expect(p.y).toBeCloseTo(0, 9);
    expect(p.x).toBeGreaterThan(200);
  });

  it('puts a route’s label on the middle of its longest horizontal run', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 20, y: 0 },
      { x: 20, y: -100 },
      { x: 420, y: -100 },
      { x: 420, y: 0 },
      { x: 440, y: 0 },
    ];
    expect(labelPlace({ kind: 'routed', path: '', points }, size, [])).toEqual({ x: 220, y: -100, clear: true });
  });

  it('moves the label of a wire too short for it above or below the two nodes, out of both', () => {
    // As in docs/groups.png: a source and a group 80 px apart, the wire between them shorter than its label.
    const a = { x: 0, y: 0, width: 190, height: 140 };
    const b = { x: 270, y: 0, width: 200, height: 110 };
    const s = { x: 195, y: 130 };
    const t = { x: 265, y: 95 };
    const p = labelPlace({ kind: 'bezier', path: '', points: bezierPoints(s, t) }, size, [a, b]);
    expect(p.clear).toBe(true);
    expect(overlaps(p, a) || overlaps(p, b)).toBe(false);
    expect(Math.abs(p.x - 230)).toBeLessThanOrEqual(size.width / 1.5 + 1);
  });

  it('says when no clear place is within reach, so the label is drawn over the nodes', () => {
    const everywhere = { x: -2000, y: -2000, width: 4000, height: 4000 };
    const p = labelPlace({ kind: 'bezier', path: '', points: bezierPoints({ x: 0, y: 0 }, { x: 300, y: 0 }) }, size, [everywhere]);
    expect(p.clear).toBe(false);
  });
});

describe('ObstacleIndex', () => {
  it('answers exactly the boxes that overlap a rectangle, like a scan of all of them (seeded random boxes)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const boxes: [string, Box][] = Array.from({ length: 300 }, (_, i) => [`n${i}`, { x: rnd() * 5000 - 1000, y: rnd() * 4000 - 1000, width: 150 + rnd() * 100, height: 80 + rnd() * 200 }]);
    const index = new ObstacleIndex(boxes);
    for (let q = 0; q < 50; q++) {
      const r = { x: rnd() * 5000 - 1000, y: rnd() * 4000 - 1000, width: rnd() * 900, height: rnd() * 700 };
      const scan = boxes.map(([, b]) => b).filter((b) => b.x < r.x + r.width && r.x < b.x + b.width && b.y < r.y + r.height && r.y < b.y + b.height);
      expect(index.query(r)).toEqual(scan);
    }
    expect(index.boxOf('n3')).toBe(boxes[3][1]);
  });
});
