/**
 * A compiled plan (engine/core/plan.ts) as one readable PyNN 0.10 script that
 * runs on NEST, NEURON, Brian2 or SpiNNaker, on one process or under `mpirun`.
 * Spike inputs drawn from Spikeflow's seed (Poisson sources, encoders, dataset
 * inputs) are read from a side `.npz` the caller writes (see
 * {@link PyNNExport.inputs}), so every process count sees the same input. What
 * PyNN cannot express is listed in the header and in `notExported`; where a
 * PyNN model differs from the engine's, the difference is in `approximations`.
 */
import type { DistValue } from '../../core/dist-value.ts';
import type { NetworkPlan, ProjectionPlan } from '../../core/plan.ts';
import { firstStepFrom, spikeStepOf, stepsOf } from '../../core/time.ts';
import { runtimeOf } from '../../kinds/index.ts';
import { PYNN_KINDS, type PyNNCell } from './kinds.ts';
import { BRIAN2_FAST_CONNECT } from './brian2-connect.ts';
import { NEURON_FAST_CONNECT } from './neuron-connect.ts';
import { perNeuronCell } from './per-neuron.ts';

/** The script, what it leaves out, where it differs, and what its side `.npz` must hold. */
export interface PyNNExport {
  readonly script: string;
  /** "not exported: node X — reason" / "not exported: wire X — reason". */
  readonly notExported: readonly string[];
  /** "approximated: …": exported, but the PyNN model is not the engine's. */
  readonly approximations: readonly string[];
  /**
   * Spike sources whose spikes the side `.npz` must hold (as arrays
   * `<nodeId>_neuron` int32 and `<nodeId>_t_ms` float64): the spikes the
   * engine draws for the plan's seed.
   */
  readonly inputs: readonly string[];
  /** Stored synapses, also for the side `.npz`: `<edgeId>_pre`, `<edgeId>_post` (int32), `<edgeId>_w` (float64, PyNN's unit and sign). */
  readonly arrays: readonly { readonly name: string; readonly data: Int32Array | Float64Array }[];
}

/** Options of {@link exportPyNN}. */
export interface PyNNExportOptions {
  /** The script's title (the document's name). */
  readonly title?: string;
  /** File name of the side `.npz` for the comments (the script finds it from its own name: `net.py` → `net.inputs.npz`). */
  readonly inputsFile?: string;
  /**
   * The side `.npz`'s bytes as base64, written into the script (one file to hand on,
   * e.g. the app's download). The script still prefers a side file when one exists.
   */
  readonly inlineInputs?: string;
}

/** The simulators the script runs on: `--simulator` value → PyNN module. */
export const PYNN_SIMULATORS = { nest: 'pyNN.nest', neuron: 'pyNN.neuron', brian2: 'pyNN.brian2', spiNNaker: 'pyNN.spiNNaker' } as const;

/** A finite number as a Python literal. */
const py = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));
const pyStr = (s: string): string => JSON.stringify(s);

/** Python identifier for a node id, unique, readable. */
function namer(): (id: string) => string {
  const used = new Set([
    'sim',
    'np',
    'args',
    'rng',
    'inputs',
    'io',
    'base64',
    'INPUTS_NPZ',
    'os',
    'sys',
    'json',
    'time',
    'argparse',
    'importlib',
    'DT',
    'DURATION',
    'SEED',
    'RECORDED',
    'DELTA_SCALE',
    'k',
    'MIN_DELAY',
    'DDF',
    'rank',
    'nprocs',
  ]);
  return (id) => {
    const clean = /^[A-Za-z_]/.test(id) ? id.replace(/\W/g, '_') : `n_${id.replace(/\W/g, '_')}`;
    let name = clean;
    for (
      let k = 2;
      used.has(name) ||
      /^(and|as|assert|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield|None|True|False)$/.test(
        name,
      );
      k++
    )
      name = `${clean}_${k}`;
    used.add(name);
    return name;
  };
}

/**
 * A value (constant or drawn) as Python: a number, or a `RandomDistribution`
 * on the script's seeded `rng`. `factor` (a Python expression, > 0) scales it;
 * `sign` −1 negates it.
 */
function pyValue(v: DistValue, factor = '1', sign: 1 | -1 = 1): string | null {
  const f = factor === '1' ? '' : `*${factor}`;
  const s = sign < 0 ? '-' : '';
  if (typeof v === 'number') return factor === '1' ? py(sign * v) : `${s}${py(v)}${f}`;
  if (v.dist === 'uniform') {
    const [lo, hi] = [v.low, v.high];
    return sign < 0 ? `RandomDistribution('uniform', low=-${py(hi)}${f}, high=-${py(lo)}${f}, rng=rng)` : `RandomDistribution('uniform', low=${py(lo)}${f}, high=${py(hi)}${f}, rng=rng)`;
  }
  if (v.dist === 'normal') {
    const [lo, hi] = [v.min, v.max];
    if (lo === undefined && hi === undefined) return `RandomDistribution('normal', mu=${s}${py(v.mean)}${f}, sigma=${py(v.sd)}${f}, rng=rng)`;
    const [l, h] =
      sign < 0
        ? [hi === undefined ? '-np.inf' : `-${py(hi)}${f}`, lo === undefined ? 'np.inf' : `-${py(lo)}${f}`]
        : [lo === undefined ? '-np.inf' : `${py(lo)}${f}`, hi === undefined ? 'np.inf' : `${py(hi)}${f}`];
    return `RandomDistribution('normal_clipped', mu=${s}${py(v.mean)}${f}, sigma=${py(v.sd)}${f}, low=${l}, high=${h}, rng=rng)`;
  }
  // A lognormal cannot be negated by RandomDistribution.
  if (sign < 0) return null;
  return `RandomDistribution('lognormal', mu=${py(v.mu)}${factor === '1' ? '' : ` + np.log(${factor})`}, sigma=${py(v.sigma)}, rng=rng)`;
}

/**
 * Why PyNN's standard cell types cannot express these params (naming the
 * field), or null: reset by subtraction (PyNN's cells reset to v_reset).
 */
function unexpressed(params: Readonly<Record<string, unknown>>): string | null {
  if (params.reset === 'subtract') return `field reset is "subtract": PyNN's standard cell types reset to v_reset and cannot subtract the threshold`;
  return null;
}

const RULES: Record<string, (p: ProjectionPlan) => string> = {
  'all-to-all': (p) => `sim.AllToAllConnector(allow_self_connections=${p.allowAutapses ? 'True' : 'False'})`,
  'one-to-one': () => 'sim.OneToOneConnector()',
  bernoulli: (p) => `sim.FixedProbabilityConnector(${py(p.p ?? 0)}, allow_self_connections=${p.allowAutapses ? 'True' : 'False'}, rng=rng)`,
  'fixed-in-degree': (p) => `sim.FixedNumberPreConnector(${p.n}, allow_self_connections=${p.allowAutapses ? 'True' : 'False'}, with_replacement=${p.allowMultapses ? 'True' : 'False'}, rng=rng)`,
  'fixed-out-degree': (p) => `sim.FixedNumberPostConnector(${p.n}, allow_self_connections=${p.allowAutapses ? 'True' : 'False'}, with_replacement=${p.allowMultapses ? 'True' : 'False'}, rng=rng)`,
  'fixed-total': (p) => `sim.FixedTotalNumberConnector(${p.n}, allow_self_connections=${p.allowAutapses ? 'True' : 'False'}, with_replacement=${p.allowMultapses ? 'True' : 'False'}, rng=rng)`,
};

/** Pre-generated inline spike lists are written into the script up to this many spikes; more go to the `.npz`. */
const INLINE_SPIKES = 2000;

interface Group {
  readonly py: string;
  readonly size: number;
  readonly cell?: PyNNCell;
}

/**
 * Writes `plan` as a PyNN 0.10 script. Run it with
 * `python3 net.py --simulator nest|neuron|brian2|spiNNaker [--threads N] [--out DIR]`
 * or under `mpirun -np N`. It writes DIR/run.json and, per spike monitor and
 * observed population, `<monitor>.<population>.spikes.csv` (`neuron,t_ms`),
 * the layout of `spikeflow run --out`.
 */
export function exportPyNN(plan: NetworkPlan, options: PyNNExportOptions = {}): PyNNExport {
  const title = options.title ?? 'Spikeflow network';
  const inputsFile = options.inputsFile ?? 'net.inputs.npz';
  const notExported: string[] = [];
  const approximations: string[] = [];
  const skip = (what: string, reason: string) => notExported.push(`not exported: ${what} — ${reason}`);
  const approx = (text: string) => approximations.push(`approximated: ${text}`);
  const name = namer();
  const dt = plan.dtMs;
  const body: string[] = [];
  const groups = new Map<number, Group>();
  const inputs: string[] = [];
  const arrays: { name: string; data: Int32Array | Float64Array }[] = [];
  const deltaNodes: string[] = [];

  plan.populations.forEach((pop, index) => {
    const role = runtimeOf(pop.kind)?.role;
    const params = pop.params;
    if (role === 'current-source') return;
    if (pop.kind === 'spike-generator') {
      const v = name(pop.nodeId);
      const ch = params.neurons as number[];
      const times = params.times_ms as number[];
      // The engine emits each spike in the step spikeStepOf gives; PyNN gets that step's time.
      const trains: number[][] = Array.from({ length: pop.size }, () => []);
      ch.forEach((c, k) => {
        if (c < pop.size) trains[c].push(Number((spikeStepOf(times[k], dt) * dt).toFixed(9)));
      });
      for (const t of trains) t.sort((a, b) => a - b);
      const dedup = trains.map((t) => t.filter((x, k) => k === 0 || x !== t[k - 1]));
      if (ch.length <= INLINE_SPIKES) {
        body.push(
          `# node ${pop.nodeId}: spike generator, ${pop.size} channels (times on the step the engine emits them)`,
          `${v} = sim.Population(${pop.size}, sim.SpikeSourceArray(spike_times=[`,
          ...dedup.map((t) => `    sim.Sequence([${t.map(py).join(', ')}]),`),
          `]), label=${pyStr(pop.nodeId)})`,
          '',
        );
      } else {
        const neuron = dedup.flatMap((t, c) => t.map(() => c));
        arrays.push({ name: `${pop.nodeId}_neuron`, data: Int32Array.from(neuron) }, { name: `${pop.nodeId}_t_ms`, data: Float64Array.from(dedup.flat()) });
        body.push(
          `# node ${pop.nodeId}: spike generator, ${pop.size} channels (spikes in ${inputsFile})`,
          `${v} = sim.Population(${pop.size}, sim.SpikeSourceArray(spike_times=spike_trains(${pyStr(pop.nodeId)}, ${pop.size})), label=${pyStr(pop.nodeId)})`,
          '',
        );
      }
      groups.set(index, { py: v, size: pop.size });
      return;
    }
    if (role === 'spike-source') {
      const v = name(pop.nodeId);
      inputs.push(pop.nodeId);
      body.push(
        `# node ${pop.nodeId}: ${pop.kind}, ${pop.size} channels — the spikes Spikeflow's engine draws for seed ${plan.seed}, from ${inputsFile}`,
        `${v} = sim.Population(${pop.size}, sim.SpikeSourceArray(spike_times=spike_trains(${pyStr(pop.nodeId)}, ${pop.size})), label=${pyStr(pop.nodeId)})`,
        '',
      );
      groups.set(index, { py: v, size: pop.size });
      return;
    }
    if (role !== 'neurons') return;
    const mapping = PYNN_KINDS[pop.kind];
    if (!mapping) return skip(`node ${pop.nodeId}`, `kind "${pop.kind}" has no PyNN standard cell type that behaves the same`);
    const refused = unexpressed(params);
    if (refused) return skip(`node ${pop.nodeId}`, refused);
    const each = perNeuronCell(mapping, params, pop.size, pop.nodeId);
    if (typeof each === 'string') return skip(`node ${pop.nodeId}`, each);
    if (params.integration === 'euler')
      approx(`node ${pop.nodeId}: field integration is "euler", but PyNN has no choice of method: each simulator integrates its own way (exactly on NEST and Brian2), so spikes may shift by a step`);
    const cell = each.cell;
    cell.approximations.forEach(approx);
    const v = name(pop.nodeId);
    const ctor = cell.cellType === 'delta' ? 'delta_cell' : `sim.${cell.cellType}`;
    if (cell.cellType === 'delta') deltaNodes.push(pop.nodeId);
    // Per-neuron values (PyNN's units) from the side .npz: `<node>_<param>`, one per neuron.
    const perNeuron = (what: Readonly<Record<string, Float64Array>>, suffix: string) =>
      Object.entries(what).map(([k, data]) => {
        arrays.push({ name: `${pop.nodeId}_${suffix}${k}`, data });
        return `${k}=inputs[${pyStr(`${pop.nodeId}_${suffix}${k}`)}]`;
      });
    const setEach = perNeuron(each.params, 'param_');
    const initEach = perNeuron(each.initial, 'init_');
    const init = Object.entries(cell.initial)
      .filter(([k]) => !(k in each.initial))
      .map(([k, x]) => [k, pyValue(x)] as const)
      .filter((e): e is readonly [string, string] => {
        if (e[1] === null) skip(`node ${pop.nodeId}`, `its initial ${e[0]} is drawn from a distribution PyNN cannot clip or negate`);
        return e[1] !== null;
      });
    body.push(
      `# node ${pop.nodeId}: ${pop.kind} → ${cell.cellType === 'delta' ? 'IF_curr_delta (IF_curr_exp on NEURON)' : cell.cellType}, ${pop.size} neurons`,
      `${v} = sim.Population(${pop.size}, ${ctor}(${Object.entries(cell.params)
        .map(([k, x]) => `${k}=${py(x)}`)
        .join(', ')}${cell.cellType === 'delta' ? `, node=${pyStr(pop.nodeId)}` : ''}), label=${pyStr(pop.nodeId)})`,
      ...(setEach.length ? [`# per-neuron values (one per neuron, from ${inputsFile})`, `${v}.set(${setEach.join(', ')})`] : []),
      ...(init.length || initEach.length ? [`${v}.initialize(${[...init.map(([k, x]) => `${k}=${x}`), ...initEach].join(', ')})`] : []),
      ...(cell.after ?? []).map((line) => line.replace('{pop}', v)),
      '',
    );
    groups.set(index, { py: v, size: pop.size, cell });
  });

  for (const inj of plan.injections) {
    const src = plan.populations[inj.source];
    const tgt = groups.get(inj.target);
    const p = src.params as Record<string, number>;
    if (!tgt?.cell) {
      skip(`node ${src.nodeId}`, `its target ${plan.populations[inj.target].nodeId} is not exported`);
      continue;
    }
    if (src.kind !== 'dc-current') {
      skip(`node ${src.nodeId}`, `current source kind "${src.kind}" has no PyNN equivalent (PyNN's NoisyCurrentSource is white noise, not an Ornstein–Uhlenbeck current)`);
      continue;
    }
    const start = firstStepFrom(p.start_ms, dt) * dt;
    const stop = Math.min(p.stop_ms, plan.durationMs + dt);
    body.push(
      `# node ${src.nodeId}: DC current ${p.amplitude_pa} pA into ${plan.populations[inj.target].nodeId}`,
      `sim.DCSource(amplitude=${py(p.amplitude_pa * tgt.cell.dcFactor)}, start=${py(Number(start.toFixed(9)))}, stop=${py(stop)}).inject_into(${tgt.py})`,
      '',
    );
  }

  for (const d of plan.drives ?? []) {
    const tgt = groups.get(d.target);
    const p = d.params as Record<string, unknown>;
    const receptor = tgt?.cell?.receptors[String(p.receptor ?? 'exc')];
    if (!tgt || !receptor) {
      skip(`node ${d.nodeId}`, tgt ? `receptor "${String(p.receptor)}" has no PyNN mapping for the target's kind` : 'its target is not exported');
      continue;
    }
    const total = (p.count as number) * (p.rate_hz as number);
    // Brian2 fires a Poisson source at most once per step: split so that each fires with probability ≤ 0.02 per step.
    // NEURON's sources draw continuous times (any number of spikes per step): one source per neuron there.
    const k = Math.max(1, Math.ceil((total * dt) / 1000 / 0.02));
    const v = name(`drive_${d.nodeId}_${plan.populations[d.target].nodeId}`);
    approx(
      `node ${d.nodeId}: the external Poisson drive (${p.count} inputs × ${p.rate_hz} Hz per neuron) is drawn by the simulator (SpikeSourcePoisson: ${k} sources of ${total / k} Hz per neuron, one of ${total} Hz on NEURON), so its spikes are not Spikeflow's and differ between process counts`,
    );
    body.push(
      `# node ${d.nodeId}: external Poisson drive of ${plan.populations[d.target].nodeId}: ${p.count} inputs × ${p.rate_hz} Hz per neuron, weight ${String(p.weight)};`,
      `# ${k} sources of ${total / k} Hz each (at most one spike per step on Brian2), one of ${total} Hz on NEURON (continuous times)`,
      `k = 1 if args.simulator == 'neuron' else ${k}`,
      `${v} = sim.Population(${tgt.size} * k, sim.SpikeSourcePoisson(rate=${py(total)} / k), label=${pyStr(v)})`,
      `sim.Projection(${v}, ${tgt.py}, sim.FromListConnector(np.column_stack([np.arange(${tgt.size} * k), np.repeat(np.arange(${tgt.size}), k)])),`,
      `               sim.StaticSynapse(weight=${pyValue(p.weight as DistValue, receptor.factor, receptor.sign)}, delay=MIN_DELAY), receptor_type=${pyStr(receptor.pynn)})`,
      '',
    );
  }

  for (const proj of plan.projections) body.push(...projection(plan, proj, groups, name, skip, approx, arrays));

  for (const t of plan.trainers ?? []) skip(`node ${t.nodeId}`, 'the surrogate-gradient trainer has no PyNN equivalent');
  for (const r of plan.learning?.readouts ?? []) skip(`node ${r.nodeId}`, 'classifier readouts have no PyNN equivalent');
  for (const m of plan.learning?.modulators ?? []) skip(`node ${m.nodeId}`, 'reward signals have no PyNN equivalent');

  const recorded: { monitor: string; node: string; py: string }[] = [];
  for (const m of plan.monitors) {
    if (m.kind !== 'spike-monitor') {
      skip(`node ${m.nodeId}`, `monitor kind "${m.kind}": the script records spikes only`);
      continue;
    }
    for (const s of m.sources) {
      const g = groups.get(s);
      if (g) recorded.push({ monitor: m.nodeId, node: plan.populations[s].nodeId, py: g.py });
    }
  }
  const recordedPys = [...new Set(recorded.map((r) => r.py))];

  const maxDelay = Math.max(2 * dt, ...plan.projections.map((p) => Math.max(delayMax(p.delayMs), ...(p.synapses?.delayMs ?? []))));
  const header = [
    '#!/usr/bin/python3',
    `"""${title.replace(/"""|\\/g, "'''")} — exported from Spikeflow for PyNN 0.10.`,
    '',
    'Runs on any PyNN simulator, on one process or under MPI:',
    '    python3 net.py --simulator nest|neuron|brian2|spiNNaker [--threads N] [--out DIR]',
    '    mpirun -np 4 python3 net.py --simulator nest     (or neuron)',
    `It reads the input spikes Spikeflow's engine drew for seed ${plan.seed} from ${inputsFile} next`,
    'to it, so every process count gets the same input. It writes DIR/run.json and, per spike',
    'monitor and population, <monitor>.<population>.spikes.csv (neuron,t_ms): the layout of',
    '`spikeflow run --out`, which Spikeflow reads back (`spikeflow run --backend`, File > Import results).',
    `dt ${dt} ms, duration ${plan.durationMs} ms (${plan.nSteps} steps), seed ${plan.seed}.`,
    'PyNN delays are at least one step: a zero delay in Spikeflow is one step here.',
    '',
    ...(approximations.length ? ["Where the PyNN model differs from Spikeflow's engine:", ...approximations.map((s) => `  ${s}`), ''] : []),
    ...(notExported.length ? ['What this script leaves out:', ...notExported.map((s) => `  ${s}`)] : ['Everything in the network is exported.']),
    '"""',
    'import argparse',
    'import importlib',
    'import json',
    'import os',
    'import sys',
    'import time',
    '',
    'import numpy as np',
    'from pyNN.random import NumpyRNG, RandomDistribution',
    '',
    `DT = ${py(dt)}  # ms`,
    `DURATION = ${py(plan.nSteps * dt)}  # ms`,
    `SEED = ${plan.seed}`,
    `SIMULATORS = ${JSON.stringify(PYNN_SIMULATORS).replace(/:/g, ': ').replace(/,/g, ', ')}`,
    '',
    "parser = argparse.ArgumentParser(description='Run this network on a PyNN simulator.')",
    "parser.add_argument('--simulator', choices=sorted(SIMULATORS), default='nest')",
    "parser.add_argument('--threads', type=int, default=1, help='threads per process (NEST only)')",
    "parser.add_argument('--codegen', choices=['auto', 'numpy', 'cython'], default='auto', help='Brian2 only: its code generation target')",
    '# Side files are named after the script: net.py reads net.inputs.npz and writes net_results/.',
    'BASE = os.path.splitext(os.path.abspath(__file__))[0]',
    "parser.add_argument('--out', default=BASE + '_results', help='folder for run.json and the spike files')",
    "parser.add_argument('--inputs', default=BASE + '.inputs.npz', help='the pre-generated input spikes')",
    'args = parser.parse_args()',
    '',
    't_start = time.time()',
    'try:',
    '    sim = importlib.import_module(SIMULATORS[args.simulator])',
    'except Exception as e:  # not installed (or NEURON without compiled mechanisms)',
    "    sys.stderr.write('spikeflow-backend-missing %s: %s\\n' % (args.simulator, e))",
    '    sys.exit(3)',
    "if args.simulator == 'brian2' and args.codegen != 'auto':",
    '    import brian2',
    '    brian2.prefs.codegen.target = args.codegen',
    "extra = {'threads': args.threads} if args.simulator == 'nest' else {}",
    "if args.threads > 1 and args.simulator != 'nest':",
    "    sys.stderr.write('--threads: only NEST runs threads; %s runs one thread per MPI process (use mpirun -np N)\\n' % args.simulator)",
    "# PyNN delays are at least one step. NEURON's parallel network refuses a delay it reads as under one step",
    "# ('mindelay is 0 (or less than dt)'), so there one step is a hair more (1e-6 of it: the same step), on any process count.",
    "MIN_DELAY = DT * (1 + 1e-6) if args.simulator == 'neuron' else DT",
    '# STDP on NEURON: the presynaptic spike reaches the weight rule after (1 - DDF) of the delay, which must not be under MIN_DELAY.',
    "STDP_MIN_DELAY = 2 * DT * (1 + 1e-5) if args.simulator == 'neuron' else DT",
    `sim.setup(timestep=DT, min_delay=MIN_DELAY, max_delay=${py(Number((maxDelay + dt).toFixed(9)))}, **extra)`,
    'rank, nprocs = sim.rank(), sim.num_processes()',
    ...BRIAN2_FAST_CONNECT,
    ...NEURON_FAST_CONNECT,
    '# STDP: the dendritic share of a delay (Brian2 needs 0, NEST 1, NEURON at most 0.5 under MPI).',
    "DDF = {'brian2': 0.0, 'nest': 1.0, 'neuron': 0.5}.get(args.simulator, 1.0)",
    '# The connectivity and drawn values: one stream, the same on any process count.',
    'rng = NumpyRNG(seed=SEED, parallel_safe=True)',
    ...(options.inlineInputs
      ? [
          '# The input spikes and stored synapses, inline (the side .npz, base64); a side file wins.',
          `INPUTS_NPZ = ${pyStr(options.inlineInputs)}`,
          'if os.path.exists(args.inputs):',
          '    inputs = np.load(args.inputs)',
          'else:',
          '    import base64',
          '    import io',
          '    inputs = np.load(io.BytesIO(base64.b64decode(INPUTS_NPZ)))',
        ]
      : ['inputs = np.load(args.inputs) if os.path.exists(args.inputs) else None']),
    '',
    '',
    'def spike_trains(node, size):',
    '    """The pre-generated spikes of a source node, one Sequence per channel (times in ms)."""',
    '    if inputs is None:',
    "        sys.exit('%s: the input spikes of node %s are missing (spikeflow export writes them next to the script)' % (args.inputs, node))",
    "    i, t = inputs[node + '_neuron'], inputs[node + '_t_ms']",
    '    order = np.lexsort((t, i))',
    '    i, t = i[order], t[order]',
    '    bounds = np.searchsorted(i, np.arange(size + 1))',
    '    return [sim.Sequence(t[bounds[c]:bounds[c + 1]]) for c in range(size)]',
    '',
    '',
    ...(body.some((line) => line.includes('neuron_gsyn_init('))
      ? [
          'def neuron_gsyn_init(pop):',
          '    # pyNN.neuron 0.10 stores initial synaptic conductances but never applies them: set them',
          "    # after NEURON's own initialisation, on this process's cells.",
          '    from neuron import h',
          '',
          '    def init():',
          '        for c in pop:',
          "            for var, syn in (('gsyn_exc', 'esyn'), ('gsyn_inh', 'isyn')):",
          "                value = getattr(c._cell, var + '_init', None)",
          '                if value is not None:',
          '                    getattr(c._cell, syn).g = value',
          '',
          '    pop._spikeflow_init = h.FInitializeHandler(1, init)',
          '',
          '',
        ]
      : []),
    ...(deltaNodes.length
      ? [
          '# lif-delta: IF_curr_delta (a jump of w mV per spike) where the simulator has it; NEURON has none, so',
          "# IF_curr_exp with synaptic currents of one step, scaled so that the PSP peak is the jump (NEURON's fixed",
          '# step delivers the charge of an exponential current as a left sum: a factor (dt/tau)/(1 - exp(-dt/tau)) more).',
          'DELTA_TAU_SYN = DT  # ms',
          'DELTA_SCALE = {}',
          '',
          '',
          'def delta_cell(node, **p):',
          '    try:',
          '        cell = sim.IF_curr_delta(**p)',
          '        DELTA_SCALE[node] = 1.0',
          '        return cell',
          '    except Exception:',
          "        tm, ts = p['tau_m'], DELTA_TAU_SYN",
          '        t_peak = np.log(tm / ts) * ts * tm / (tm - ts)',
          "        DELTA_SCALE[node] = p['cm'] / (ts * tm / (tm - ts) * (np.exp(-t_peak / tm) - np.exp(-t_peak / ts))) * (1 - np.exp(-DT / ts)) / (DT / ts)",
          '        return sim.IF_curr_exp(tau_syn_E=ts, tau_syn_I=ts, **p)',
          '',
          '',
        ]
      : []),
  ];
  const footer = [
    '# What the monitors record',
    ...recordedPys.map((v) => `${v}.record('spikes')`),
    'RECORDED = [',
    ...recorded.map((r) => `    (${pyStr(r.monitor)}, ${pyStr(r.node)}, ${r.py}),`),
    ']',
    '',
    't_built = time.time()',
    '# Run in chunks, printing progress for Spikeflow (rank 0).',
    'chunks = max(1, min(20, int(round(DURATION / DT))))',
    'done = 0',
    'for k in range(1, chunks + 1):',
    '    target = round(DURATION * k / chunks / DT) * DT',
    '    sim.run(target - done)',
    '    done = target',
    '    if rank == 0:',
    "        print('spikeflow-progress %g %g' % (done, DURATION), flush=True)",
    't_ran = time.time()',
    '',
    '# get_data is collective under MPI: every rank calls it, rank 0 writes.',
    'spikes = {}',
    'for v in {id(p): p for _, _, p in RECORDED}.values():',
    "    spikes[id(v)] = v.get_data('spikes', gather=True).segments[0].spiketrains",
    'if rank == 0:',
    '    os.makedirs(args.out, exist_ok=True)',
    '    files = []',
    '    for monitor, node, v in RECORDED:',
    '        trains = spikes[id(v)]',
    "        if getattr(trains, '_spike_time_array', None) is not None:  # neo's multiplexed form (pyNN.brian2)",
    '            ids, times = trains.multiplexed',
    '            index = np.atleast_1d(v.id_to_index(np.asarray(ids, dtype=int))) if len(ids) else []',
    '            rows = sorted(zip(np.asarray(times.magnitude, dtype=float).tolist(), [int(x) for x in index]))',
    '        else:',
    "            rows = sorted((float(x), int(st.annotations['source_index'])) for st in trains for x in st.magnitude)",
    "        name = '%s.%s.spikes.csv' % (monitor, node)",
    "        with open(os.path.join(args.out, name), 'w') as f:",
    "            f.write('neuron,t_ms\\n')",
    "            f.writelines('%d,%s\\n' % (n, repr(round(t, 9))) for t, n in rows)",
    '        files.append(name)',
    "    with open(os.path.join(args.out, 'run.json'), 'w') as f:",
    '        json.dump({',
    "            'format': 'spikeflow-pynn-run', 'simulator': args.simulator, 'pynn': sim.__name__,",
    "            'processes': nprocs, 'threads': args.threads, 'dt_ms': DT, 'duration_ms': DURATION, 'seed': SEED,",
    "            'build_ms': 1000 * (t_built - t_start), 'run_ms': 1000 * (t_ran - t_built), 'spike_files': files,",
    `            'populations': {${[...groups.entries()].map(([i, g]) => `${pyStr(plan.populations[i].nodeId)}: ${g.size}`).join(', ')}},`,
    '        }, f, indent=1)',
    "    print('spikeflow-done %s' % args.out, flush=True)",
    'sim.end()',
    '',
  ];
  return { script: [...header, ...body, ...footer].join('\n'), notExported, approximations, inputs, arrays };
}

/** A delay (ms) as Python, never below the script's `min` (MIN_DELAY: one step; STDP_MIN_DELAY for plastic synapses, two on NEURON). */
function pyDelay(d: DistValue, min = 'MIN_DELAY'): string | null {
  if (typeof d === 'number') return `max(${py(d)}, ${min})`;
  if (d.dist === 'uniform') return `RandomDistribution('uniform', low=max(${py(d.low)}, ${min}), high=max(${py(d.high)}, ${min}), rng=rng)`;
  if (d.dist === 'normal')
    return `RandomDistribution('normal_clipped', mu=${py(d.mean)}, sigma=${py(d.sd)}, low=max(${d.min === undefined ? min : py(d.min)}, ${min}), high=${d.max === undefined ? 'np.inf' : py(d.max)}, rng=rng)`;
  return null;
}

function delayMax(d: DistValue): number {
  if (typeof d === 'number') return d;
  if (d.dist === 'uniform') return d.high;
  if (d.dist === 'normal') return d.max ?? d.mean + 6 * d.sd;
  return Math.exp(d.mu + 6 * d.sigma);
}

function projection(
  plan: NetworkPlan,
  proj: ProjectionPlan,
  groups: Map<number, Group>,
  name: (id: string) => string,
  skip: (what: string, reason: string) => void,
  approx: (text: string) => void,
  arrays: { name: string; data: Int32Array | Float64Array }[],
): string[] {
  const what = `wire ${proj.edgeId}`;
  const src = groups.get(proj.source);
  const tgt = groups.get(proj.target);
  if (!src || !tgt?.cell) return (skip(what, `its ${src ? 'target' : 'source'} is not exported`), []);
  const receptor = tgt.cell.receptors[proj.receptor];
  if (!receptor) return (skip(what, `receptor "${proj.receptor}" has no PyNN mapping for the target's kind`), []);
  const dt = plan.dtMs;
  // The engine delivers after round(delay/dt) steps; PyNN needs at least one.
  const delay = typeof proj.delayMs === 'number' ? Math.max(1, stepsOf(proj.delayMs, dt)) * dt : proj.delayMs;
  const delayPy = pyDelay(typeof delay === 'number' ? Number(delay.toFixed(9)) : delay, proj.plasticity ? 'STDP_MIN_DELAY' : 'MIN_DELAY');
  if (delayPy === null) return (skip(what, 'its delays are lognormal, which PyNN cannot keep at or above one step'), []);
  const weightPy = pyValue(proj.weight, receptor.factor, receptor.sign);
  if (weightPy === null) return (skip(what, 'its weights are lognormal and inhibitory: PyNN wants them negative, which a lognormal RandomDistribution cannot give'), []);

  let connector: string;
  let weight = weightPy;
  if (proj.synapses) {
    const s = proj.synapses;
    const f = Number(receptor.factor);
    if (!Number.isFinite(f)) return (skip(what, 'stored weights onto a lif-delta population are not exported yet'), []);
    // A negative stored weight on a current receptor acts as the other receptor in the engine; PyNN refuses the sign.
    const neg = s.w.findIndex((w) => w < 0);
    if (neg >= 0) return (skip(what, `field weights: synapse ${neg} has weight ${s.w[neg]} on receptor "${proj.receptor}", a sign PyNN's ${receptor.pynn} synapses refuse`), []);
    arrays.push(
      { name: `${proj.edgeId}_pre`, data: Int32Array.from(s.pre) },
      { name: `${proj.edgeId}_post`, data: Int32Array.from(s.post) },
      { name: `${proj.edgeId}_w`, data: Float64Array.from(s.w, (w) => receptor.sign * w * f) },
    );
    // Per-synapse delays (a synapse list's delay_ms) on the engine's grid, at least PyNN's minimum.
    const d = s.delayMs;
    if (d) arrays.push({ name: `${proj.edgeId}_d`, data: Float64Array.from(d, (x) => Number((Math.max(1, stepsOf(x, dt)) * dt).toFixed(9))) });
    const col = (k: string) => `inputs[${pyStr(`${proj.edgeId}_${k}`)}]`;
    connector = d
      ? `sim.FromListConnector(np.column_stack([${col('pre')}, ${col('post')}, ${col('w')}, np.maximum(${col('d')}, MIN_DELAY)]), column_names=['weight', 'delay'])`
      : `sim.FromListConnector(np.column_stack([${col('pre')}, ${col('post')}, ${col('w')}]), column_names=['weight'])`;
    weight = '';
  } else {
    const rule = RULES[proj.rule];
    if (!rule) return (skip(what, `rule "${proj.rule}" has no PyNN connector`), []);
    connector = rule(proj);
  }
  if (!proj.synapses?.delayMs && typeof proj.delayMs === 'number' && stepsOf(proj.delayMs, dt) === 0)
    approx(`wire ${proj.edgeId}: delay 0 becomes one step (${dt} ms), PyNN's minimum${proj.plasticity ? ' (two steps on NEURON: STDP there needs one step before the weight rule)' : ''}`);

  let synapse: string;
  const pl = proj.plasticity;
  if (pl) {
    if (pl.rule !== 'stdp') return (skip(what, `plasticity rule "${pl.rule}" (node ${pl.nodeId}) has no PyNN equivalent (PyNN has pair STDP only)`), []);
    const p = pl.params as Record<string, number | string>;
    const wMax = p.w_max as number;
    if (p.pairing === 'nearest') approx(`node ${pl.nodeId}: nearest-spike pairing is exported as PyNN's SpikePairRule, which pairs all spikes`);
    if (receptor.sign < 0) return (skip(what, `STDP on an inhibitory current synapse (node ${pl.nodeId}): PyNN's weight dependences bound positive weights`), []);
    const dependence = p.mode === 'multiplicative' ? 'MultiplicativeWeightDependence' : 'AdditiveWeightDependence';
    synapse =
      `sim.STDPMechanism(\n` +
      `        timing_dependence=sim.SpikePairRule(tau_plus=${py(p.tau_pre_ms as number)}, tau_minus=${py(p.tau_post_ms as number)}, A_plus=${py((p.a_pre as number) / wMax)}, A_minus=${py(-(p.a_post as number) / wMax)}),\n` +
      `        weight_dependence=sim.${dependence}(w_min=0.0, w_max=${py(wMax)}*${receptor.factor}),\n` +
      `        ${weight ? `weight=${weight}, ` : ''}delay=${delayPy}, dendritic_delay_fraction=DDF)`;
  } else synapse = `sim.StaticSynapse(${weight ? `weight=${weight}, ` : ''}delay=${delayPy})`;

  const v = name(`prj_${proj.edgeId}`);
  return [
    `# wire ${proj.edgeId}: ${plan.populations[proj.source].nodeId} → ${plan.populations[proj.target].nodeId}, ${proj.rule}${proj.synapses ? ' (stored synapses)' : ''}, receptor ${proj.receptor}${pl ? `, STDP (node ${pl.nodeId})` : ''}`,
    `${v} = sim.Projection(${src.py}, ${tgt.py}, ${connector},`,
    `    ${synapse},`,
    `    receptor_type=${pyStr(receptor.pynn)}, label=${pyStr(proj.edgeId)})`,
    '',
  ];
}
