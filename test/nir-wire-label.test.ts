/** The canvas label of a wire holding explicit weights (renderer/canvas/node-summary.ts `explicitWeightsLabel`), as an imported NIR Linear gives. */
import { describe, it, expect } from 'vitest';
import { explicitWeightsLabel } from '../renderer/canvas/node-summary.ts';

describe('the label of a wire with explicit weights', () => {
  it('names a dense matrix by its rows × columns and the range of its weights', () => {
    expect(
      explicitWeightsLabel(
        {
          dense: [
            [0.5, -0.25, 0],
            [1.5, 0, 2],
          ],
        },
        'mV',
      ),
    ).toBe('matrix 2×3 · -0.25…2 mV');
  });
  it('names a synapse list by its synapse count (grouped by thousands) and range, one value when all are equal', () => {
    const n = 1234;
    expect(explicitWeightsLabel({ pre: new Array(n).fill(0), post: new Array(n).fill(1), w: new Array(n).fill(0.1) }, 'mV')).toBe('list 1,234 syn · 0.1 mV');
    expect(explicitWeightsLabel({ pre: [0, 1], post: [1, 0], w: [2, -1] }, 'nS')).toBe('list 2 syn · -1…2 nS');
  });
  it('names a side file by its name, and is null when the wire holds no weights', () => {
    expect(explicitWeightsLabel({ file: 'dir/net.w.npz' })).toBe('weights from net.w.npz');
    expect(explicitWeightsLabel(undefined)).toBeNull();
    expect(explicitWeightsLabel({})).toBeNull();
  });
});
