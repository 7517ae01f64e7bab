/**
 * Surrogate-gradient trainer: sits on a classifier readout (the LIF population
 * with one neuron per class) and trains every projection upstream of it,
 * feed-forward and recurrent, against the labels of the dataset encoder that
 * feeds the network. The engine side is `engine/learn/`.
 */
import { defineNodeKind } from './define.ts';

export const sgTrainer = defineNodeKind({
  id: 'sg-trainer',
  label: 'Surrogate-gradient trainer',
  category: 'plasticity',
  help: [
    'Trains the network upstream of the population wired into "readout" (one neuron per class) to classify the',
    'samples of the dataset encoder that feeds it, by backprop through time over the presentation window.',
    'Every projection into a population upstream of the readout is trained (feed-forward and recurrent); the',
    'neurons must be LIF (current, exp. synapses) and the only input one encoder with a dataset.',
    "Each sample starts from rest (V = initial V, currents 0) and runs for the presentation time, in the engine's",
    'exact per-step update, so the trained weights mean the same in the simulation. The spike H(V − v_th) is kept in',
    'the forward pass; its derivative is replaced by a surrogate of x = (V − v_th)/(v_th − v_rest) with slope k:',
    '  fast sigmoid: ½k / (1 + k|x|)²        arctan: ½k / (1 + (π/2·k·x)²)',
    "Loss: cross-entropy of softmax(logits) against the label, logits = the readout's spike counts, or its largest",
    "membrane potential (max V − v_rest)/(v_th − v_rest). Optimiser: Adam. Weights start from the wires' weights",
    '(or their stored weights) and stay ≥ 0 (the receptor gives the sign): for signed connections, wire an',
    'excitatory and an inhibitory projection between the same populations.',
    "The samples of the encoder's subset are split at random (seeded) into a training and a test set. A run with a",
    'trainer trains instead of simulating: it reports loss and accuracy per epoch (Learning tab), can be paused,',
    'resumed and stopped between batches, then checks the trained weights in the event-driven simulation on the',
    'test samples and hands them back to be stored in the document.',
  ].join('\n'),
  inputs: [{ id: 'readout', label: 'readout', type: 'spikes', role: 'observe', multiple: false }],
  outputs: [],
  params: {
    surrogate: {
      type: 'enum',
      default: 'fast-sigmoid',
      options: [
        { value: 'fast-sigmoid', label: 'Fast sigmoid' },
        { value: 'arctan', label: 'Arctan' },
      ],
      label: 'Surrogate',
      tooltip: "The smooth step whose derivative stands in for the spike's in the backward pass.",
    },
    slope: {
      type: 'number',
      default: 5,
      min: 0,
      exclusiveMin: true,
      max: 1000,
      label: 'Slope',
      tooltip: 'Steepness k of the surrogate, per unit of (V − v_th)/(v_th − v_rest): larger is closer to the true step, but passes gradient through fewer neurons.',
    },
    loss: {
      type: 'enum',
      default: 'count',
      options: [
        { value: 'count', label: 'Cross-entropy on spike counts' },
        { value: 'max-v', label: 'Cross-entropy on max membrane potential' },
      ],
      label: 'Loss',
      tooltip: "What the readout's logits are: its spike counts over the presentation, or its largest membrane potential.",
    },
    epochs: { type: 'number', default: 20, min: 1, max: 100000, integer: true, label: 'Epochs', tooltip: 'Passes through the training set.' },
    batch_size: { type: 'number', default: 32, min: 1, max: 100000, integer: true, label: 'Batch size', tooltip: 'Samples per Adam update (their gradients are averaged).' },
    learning_rate: {
      type: 'number',
      default: 0.01,
      min: 0,
      exclusiveMin: true,
      max: 1e6,
      label: 'Learning rate',
      tooltip: "Adam's step size, in the weights' unit (mV for LIF current synapses).",
    },
    test_fraction: {
      type: 'number',
      default: 0.2,
      min: 0,
      max: 0.9,
      label: 'Test fraction',
      tooltip: 'The share of the samples held out for testing (never trained on).',
    },
    seed: {
      type: 'number',
      default: 1,
      min: 0,
      max: 0xffffffff,
      integer: true,
      label: 'Seed',
      tooltip: 'Seed of the train/test split and of the order of the batches. The same seed and settings train the same weights.',
    },
    check_in_simulation: {
      type: 'boolean',
      default: true,
      label: 'Check in simulation',
      tooltip: 'After training, run the event-driven simulation with the trained weights over the samples and report its test accuracy.',
    },
  },
  runtime: { role: 'trainer' },
});
