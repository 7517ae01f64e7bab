import { defineNodeKind } from './define.ts';
import { StepCurrent } from '../sim/sources.ts';

export const dcCurrent = defineNodeKind({
  id: 'dc-current',
  label: 'DC current',
  category: 'input',
  help:
    'A constant current injected into every neuron of the populations it feeds, switched on at start_ms and off at stop_ms ' +
    '(a step current). The value holds for whole steps: it is on in step n when start ≤ n·dt < stop.',
  inputs: [],
  outputs: [{ id: 'current', label: 'current', type: 'current' }],
  params: {
    amplitude_pa: { type: 'number', default: 200, min: -1e6, max: 1e6, unit: 'pA', label: 'Amplitude', tooltip: 'Injected current.' },
    start_ms: { type: 'number', default: 0, min: 0, unit: 'ms', label: 'Start', tooltip: 'When the current switches on.' },
    stop_ms: { type: 'number', default: 1e9, min: 0, unit: 'ms', label: 'Stop', tooltip: 'When the current switches off (past the end of the run means never).' },
  },
  check: (p) => (p.stop_ms < p.start_ms ? [['stop_ms', `must not be before start (${p.start_ms} ms)`]] : []),
  runtime: {
    role: 'current-source',
    create: (params, ctx) => new StepCurrent(params.amplitude_pa as number, params.start_ms as number, params.stop_ms as number, ctx.dtMs),
  },
});
