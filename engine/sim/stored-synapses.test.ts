import { describe, it, expect } from 'vitest';
import { csrFromStored } from './stored-synapses.ts';

describe('csrFromStored', () => {
  it('groups synapses by presynaptic neuron and keeps their stored order within a row', () => {
    const { csr, w } = csrFromStored({ pre: [2, 0, 2, 0], post: [1, 0, 0, 1], w: [0.4, 0.1, 0.3, 0.2] }, 3, 2);
    expect(Array.from(csr.rowPtr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(csr.col)).toEqual([0, 1, 1, 0]);
    expect(Array.from(w)).toEqual([0.1, 0.2, 0.4, 0.3]);
  });

  it('refuses an index past the end of either population', () => {
    expect(() => csrFromStored({ pre: [3], post: [0], w: [1] }, 3, 2)).toThrow(/synapse 0 starts at neuron 3/);
    expect(() => csrFromStored({ pre: [0], post: [2], w: [1] }, 3, 2)).toThrow(/ends at neuron 2, but the target has 2/);
  });
});
