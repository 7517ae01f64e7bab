import { describe, expect, it } from 'vitest';
import { THUMB_HEIGHT, THUMB_WIDTH, thumbnailOf } from './thumbnail.ts';
import { CATEGORY_COLORS } from '../canvas/constants.ts';

describe('gallery thumbnails', () => {
  it('draws each node in its category colour inside the view box, left to right as on the canvas', () => {
    const t = thumbnailOf({
      nodes: [
        { id: 'in', kind: 'poisson-source', position: { x: 0, y: 0 } },
        { id: 'pop', kind: 'lif-curr-exp', position: { x: 400, y: 0 } },
        { id: 'mon', kind: 'spike-monitor', position: { x: 800, y: 200 } },
      ],
      edges: [
        { source: { node: 'in' }, target: { node: 'pop' } },
        { source: { node: 'pop' }, target: { node: 'mon' } },
        { source: { node: 'pop' }, target: { node: 'gone' } },
      ],
    });
    expect(t.boxes.map((b) => b.color)).toEqual([CATEGORY_COLORS.input, CATEGORY_COLORS.neuron, CATEGORY_COLORS.monitor]);
    expect(t.boxes[0].x).toBeLessThan(t.boxes[1].x);
    expect(t.boxes[1].x).toBeLessThan(t.boxes[2].x);
    for (const b of t.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(THUMB_WIDTH);
      expect(b.y + b.height).toBeLessThanOrEqual(THUMB_HEIGHT);
    }
    // The wire to a missing node is left out; a wire starts at its source's right edge.
    expect(t.wires).toHaveLength(2);
    expect(t.wires[0].startsWith(`M${t.boxes[0].x + t.boxes[0].width} `)).toBe(true);
  });

  it('draws nothing for an empty or broken document', () => {
    expect(thumbnailOf({ nodes: [] })).toEqual({ boxes: [], wires: [] });
    expect(thumbnailOf(null)).toEqual({ boxes: [], wires: [] });
    expect(thumbnailOf({ nodes: [{ kind: 'unknown' }] }).boxes).toHaveLength(1);
  });
});
