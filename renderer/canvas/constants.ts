/** The drag-and-drop payload type of a palette item (its value is the kind id). */
export const KIND_MIME = 'application/x-spikeflow-kind';

/** Nodes are this wide (CSS `.sf-node`); a dropped node is centred on the cursor. */
export const NODE_WIDTH = 184;

/** Header colour of each category (nodes, palette, minimap). */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  input: '#0ca678',
  neuron: '#3b5bdb',
  plasticity: '#f08c00',
  monitor: '#7048e8',
};
