import { defineNodeKind } from './define.ts';
import { INPUT_PARAMS, checkInput, inputLength, inputStream } from './encoder-input.ts';
import { LatencyEncoder } from '../sim/encoders.ts';

export const latencyEncoder = defineNodeKind({
  id: 'latency-encoder',
  label: 'Latency encoder',
  category: 'input',
  help: [
    'Time-to-first-spike code: in each presentation, channel i fires once, earlier for a larger value x_i (one channel per value).',
    'Linear: t = t_max · (1 − x) after the start of the presentation, so x = 1 fires at once and small values near t_max.',
    'Log: t = τ · ln(x / (x − θ)), the time an RC membrane with time constant τ, driven by a constant x, takes to reach the threshold θ.',
    'A value x ≤ threshold does not fire. Times are rounded to the nearest step; a spike that would fall at or after the end of the presentation is dropped.',
    'Input: fixed values (a new volley every presentation), or the samples of a dataset, each shown for the presentation time then a rest.',
  ].join('\n'),
  inputs: [],
  outputs: [
    { id: 'spikes', label: 'spikes', type: 'spikes' },
    { id: 'label', label: 'label', type: 'label' },
  ],
  params: {
    ...INPUT_PARAMS,
    form: {
      type: 'enum',
      default: 'linear',
      options: [
        { value: 'linear', label: 'Linear' },
        { value: 'log', label: 'Logarithmic (RC)' },
      ],
      label: 'Mapping',
      tooltip: 'How a value maps to a spike time: linear in the value, or the charging time of an RC membrane.',
    },
    t_max_ms: {
      type: 'number',
      default: 50,
      min: 0,
      max: 1e7,
      unit: 'ms',
      label: 't max',
      tooltip: 'The latency of a value just above 0 (a value of 1 fires at the start). At most the presentation time.',
      when: { param: 'form', in: ['linear'] },
    },
    tau_ms: {
      type: 'number',
      default: 10,
      min: 0,
      exclusiveMin: true,
      max: 1e7,
      unit: 'ms',
      label: 'τ',
      tooltip: 'Membrane time constant of the log mapping: latencies scale with it.',
      when: { param: 'form', in: ['log'] },
    },
    threshold: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1,
      label: 'Threshold',
      tooltip: 'Values at or below this do not fire. The log mapping needs it above 0 (it is the membrane threshold).',
    },
  },
  size: (p) => Math.max(1, inputLength(p)),
  check: (p) => {
    const out = checkInput(p);
    if (p.form === 'linear' && p.t_max_ms > p.presentation_ms) out.push(['t_max_ms', `must be at most the presentation time (${p.presentation_ms} ms)`]);
    if (p.form === 'log' && !(p.threshold > 0)) out.push(['threshold', 'must be above 0 for the log mapping (it is the membrane threshold)']);
    if (p.form === 'log' && p.threshold >= 1) out.push(['threshold', 'must be below 1 for the log mapping, or no value can fire']);
    return out;
  },
  runtime: {
    role: 'spike-source',
    inputStream,
    bytesPerNeuron: 16,
    create: (params, _size, ctx) => {
      const form = params.form === 'log' ? 'log' : 'linear';
      const t = form === 'log' ? (params.tau_ms as number) : (params.t_max_ms as number);
      return new LatencyEncoder(inputStream(params, ctx), form, t, params.threshold as number, ctx.dtMs);
    },
  },
});
