/**
 * The classifier readout: counts an output population's spikes per
 * presentation of a dataset encoder, predicts a class, and scores it against
 * the sample's label. It also holds the run's phases, in presentations:
 *
 *   train [0, T)      learning on; predictions scored as train accuracy (fixed assignment)
 *   label [T, T+L)    learning frozen; Diehl & Cook assignment collects responses
 *   test  [T+L, T+L+E) learning frozen; predictions scored as test accuracy
 *
 * With T = L = E = 0 there are no phases: learning stays on all run and every
 * presentation is scored as train (online) accuracy.
 *
 * A presentation's window is its presentation and rest steps; it is scored at
 * its last step. Prediction:
 *  - fixed: neurons are split into `classes` equal consecutive groups (group c
 *    answers class c); the answer is the group with the most spikes;
 *  - Diehl & Cook: each neuron is assigned the class whose label-phase samples
 *    made it fire most on average; the answer is the class whose assigned
 *    neurons fired most on average (Diehl & Cook 2015).
 * A tie for the top, or no spikes at all, is no answer, scored as wrong.
 */
import type { InputStream } from '../input-stream.ts';

export interface ReadoutParams {
  readonly classes: number;
  readonly assignment: 'fixed' | 'diehl-cook';
  readonly trainPresentations: number;
  readonly labelPresentations: number;
  readonly testPresentations: number;
}

export function readoutParamsOf(p: Readonly<Record<string, unknown>>): ReadoutParams {
  return {
    classes: p.classes as number,
    assignment: p.assignment === 'diehl-cook' ? 'diehl-cook' : 'fixed',
    trainPresentations: p.train_presentations as number,
    labelPresentations: p.label_presentations as number,
    testPresentations: p.test_presentations as number,
  };
}

export type Phase = 'train' | 'label' | 'test' | 'after';

/** Accuracy figures of one readout (run statistics, `spikeflow run --json`). */
export interface ReadoutStats {
  readonly nodeId: string;
  readonly assignment: 'fixed' | 'diehl-cook';
  readonly classes: number;
  /** Presentations scored for the train accuracy (fixed: train phase; Diehl & Cook: label phase, frozen weights). */
  readonly train_presentations: number;
  /** Fraction right, or null when none was scored. */
  readonly train_accuracy: number | null;
  readonly test_presentations: number;
  readonly test_accuracy: number | null;
  /** Diehl & Cook: neurons per class after labelling (index = class); fixed: group sizes. */
  readonly neurons_per_class: readonly number[];
}

export class ClassifierReadout {
  readonly period: number;
  /** Spike counts of the current presentation, per output neuron. */
  readonly counts: Float64Array;
  /** Outcome of the presentation scored in the latest step: +1 right, −1 wrong, 0 none scored. */
  outcome = 0;
  /** Phase of the presentation scored in the latest step. */
  outcomePhase: Phase = 'train';
  private trainRight = 0;
  private trainTotal = 0;
  private testRight = 0;
  private testTotal = 0;
  /** Diehl & Cook: summed responses per class × neuron and presentations per class. */
  private readonly response: Float64Array;
  private readonly perClass: Float64Array;
  /** Diehl & Cook: label-phase counts and labels, to score the train accuracy once assigned. */
  private readonly labelCounts: Float64Array[] = [];
  private readonly labelLabels: number[] = [];
  private assigned: Int32Array | null = null;
  private readonly phased: boolean;

  constructor(
    readonly nodeId: string,
    readonly params: ReadoutParams,
    readonly stream: InputStream,
    readonly size: number,
  ) {
    this.period = stream.presentationSteps + stream.restSteps;
    this.counts = new Float64Array(size);
    this.response = new Float64Array(params.classes * size);
    this.perClass = new Float64Array(params.classes);
    this.phased = params.trainPresentations + params.labelPresentations + params.testPresentations > 0;
  }

  /** The phase of presentation k. */
  phaseOf(k: number): Phase {
    if (!this.phased) return 'train';
    const { trainPresentations: t, labelPresentations: l, testPresentations: e } = this.params;
    return k < t ? 'train' : k < t + l ? 'label' : k < t + l + e ? 'test' : 'after';
  }

  /** Whether learning is on in `step` (its presentation is in the train phase). */
  learningAt(step: number): boolean {
    return this.phaseOf(Math.floor(step / this.period)) === 'train';
  }

  /** The step where learning ends (Infinity without phases). */
  get learnEndStep(): number {
    return this.phased ? this.params.trainPresentations * this.period : Infinity;
  }

  /** Steps of the whole schedule (0 without phases). */
  get scheduleSteps(): number {
    const { trainPresentations: t, labelPresentations: l, testPresentations: e } = this.params;
    return (t + l + e) * this.period;
  }

  /** Step n's spikes of the observed population; scores the presentation at its last step. */
  observe(n: number, spikes: Int32Array, count: number): void {
    const counts = this.counts;
    for (let s = 0; s < count; s++) counts[spikes[s]]++;
    this.outcome = 0;
    if ((n + 1) % this.period !== 0) return;
    const k = Math.floor(n / this.period);
    const label = this.stream.labelAt(this.stream.onsetStep(k));
    const phase = this.phaseOf(k);
    this.outcomePhase = phase;
    if (label >= 0 && label < this.params.classes && phase !== 'after') this.score(phase, label);
    counts.fill(0);
  }

  private score(phase: Phase, label: number): void {
    const counts = this.counts;
    if (this.params.assignment === 'fixed') {
      const right = this.predictFixed(counts) === label;
      this.outcome = right ? 1 : -1;
      if (phase === 'train') {
        this.trainTotal++;
        if (right) this.trainRight++;
      } else if (phase === 'test') {
        this.testTotal++;
        if (right) this.testRight++;
      }
      return;
    }
    if (phase === 'label') {
      const row = label * this.size;
      for (let i = 0; i < this.size; i++) this.response[row + i] += counts[i];
      this.perClass[label]++;
      this.labelCounts.push(counts.slice());
      this.labelLabels.push(label);
      this.assigned = null;
    } else if (phase === 'test') {
      const right = this.predictAssigned(counts) === label;
      this.outcome = right ? 1 : -1;
      this.testTotal++;
      if (right) this.testRight++;
    }
  }

  /** Fixed assignment: neuron groups k ↔ class k; −1 for a tie at the top or no spikes. */
  predictFixed(counts: ArrayLike<number>): number {
    const { classes } = this.params;
    const g = Math.floor(this.size / classes);
    return argmaxUnique(classes, (c) => {
      let s = 0;
      for (let i = c * g; i < (c + 1) * g; i++) s += counts[i];
      return s;
    });
  }

  /** Diehl & Cook: each neuron's class (−1 when it never fired in the label phase). */
  assignment(): Int32Array {
    if (this.assigned) return this.assigned;
    const { classes } = this.params;
    const a = new Int32Array(this.size).fill(-1);
    for (let i = 0; i < this.size; i++) {
      let best = 0;
      for (let c = 0; c < classes; c++) {
        if (this.perClass[c] === 0) continue;
        const r = this.response[c * this.size + i] / this.perClass[c];
        if (r > best) {
          best = r;
          a[i] = c;
        }
      }
    }
    this.assigned = a;
    return a;
  }

  /** Diehl & Cook prediction: the class whose assigned neurons fired most on average. */
  predictAssigned(counts: ArrayLike<number>): number {
    const a = this.assignment();
    const { classes } = this.params;
    const sum = new Float64Array(classes);
    const num = new Float64Array(classes);
    for (let i = 0; i < this.size; i++) {
      if (a[i] < 0) continue;
      sum[a[i]] += counts[i];
      num[a[i]]++;
    }
    return argmaxUnique(classes, (c) => (num[c] > 0 ? sum[c] / num[c] : 0));
  }

  stats(): ReadoutStats {
    const { classes, assignment } = this.params;
    let trainRight = this.trainRight;
    let trainTotal = this.trainTotal;
    const perClass = new Array<number>(classes).fill(0);
    if (assignment === 'diehl-cook') {
      trainRight = 0;
      trainTotal = this.labelCounts.length;
      this.labelCounts.forEach((c, k) => {
        if (this.predictAssigned(c) === this.labelLabels[k]) trainRight++;
      });
      for (const c of this.assignment()) if (c >= 0) perClass[c]++;
    } else perClass.fill(Math.floor(this.size / classes));
    return {
      nodeId: this.nodeId,
      assignment,
      classes,
      train_presentations: trainTotal,
      train_accuracy: trainTotal > 0 ? trainRight / trainTotal : null,
      test_presentations: this.testTotal,
      test_accuracy: this.testTotal > 0 ? this.testRight / this.testTotal : null,
      neurons_per_class: perClass,
    };
  }
}

/** The index with the largest positive value, or −1 when it is 0 or shared. */
function argmaxUnique(n: number, value: (c: number) => number): number {
  let best = -1;
  let bestV = 0;
  let tie = false;
  for (let c = 0; c < n; c++) {
    const v = value(c);
    if (v > bestV) {
      bestV = v;
      best = c;
      tie = false;
    } else if (v === bestV && v > 0) tie = true;
  }
  return tie ? -1 : best;
}
