/**
 * A compiled plan (engine/core/plan.ts) as a readable Brian2 2.5.1 script with
 * the engine's equations, integration and order of operations. What Brian2
 * cannot be given faithfully is listed, never dropped in silence: in the
 * script's header comment and in {@link Brian2Export.notExported}.
 */
import type { NetworkPlan, ProjectionPlan } from '../../core/plan.ts';
import { firstStepFrom, spikeStepOf, stepsOf } from '../../core/time.ts';
import { BRIAN2_KINDS, type Brian2Group } from './kinds.ts';

/** The script and what it leaves out ("not exported: node X — reason"). */
export interface Brian2Export {
  readonly script: string;
  readonly notExported: readonly string[];
}

/** A number as a Python literal (finite numbers only: callers check). */
const py = (x: number): string => String(x);
const pyList = (xs: readonly number[]): string => `[${xs.map(py).join(', ')}]`;
const pyStr = (s: string): string => JSON.stringify(s);

/** Python keywords and the script's own names: a node id equal to one gets a trailing `_`. */
const RESERVED = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'json',
  'sys',
  'net',
  'steps',
  'ms',
  'second',
  'Network',
  'NeuronGroup',
  'Synapses',
  'SpikeGeneratorGroup',
  'SpikeMonitor',
  'collect',
  'defaultclock',
  'prefs',
  'exp',
  'run',
  't',
  'dt',
  'i',
  'j',
  'v',
  'w',
]);

/** Python identifiers for node ids, unique, readable. */
function namer(): (id: string) => string {
  const used = new Set<string>();
  return (id) => {
    const clean = /^[A-Za-z_]/.test(id) ? id.replace(/\W/g, '_') : `n_${id.replace(/\W/g, '_')}`;
    const base = RESERVED.has(clean) ? `${clean}_` : clean;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };
}

/**
 * Writes `plan` as a Brian2 script. Run it with `python3 net.py`; with `--json`
 * it prints `{"dt_ms", "spikes": {nodeId: {"i": [...], "step": [...]}}}` on
 * stdout (every exported population and generator, by step then index).
 *
 * Exported: spike generators; the neuron kinds of {@link BRIAN2_KINDS}; DC
 * currents on for the whole run; projections with a constant weight and delay
 * and a deterministic rule (all-to-all, one-to-one) or stored synapses.
 */
export function exportBrian2(plan: NetworkPlan, title = 'Spikeflow network'): Brian2Export {
  const notExported: string[] = [];
  const skip = (what: string, reason: string) => notExported.push(`not exported: ${what} — ${reason}`);
  const name = namer();
  const dt = plan.dtMs;
  const body: string[] = [];
  const groupOf = new Map<number, { py: string; brian?: Brian2Group; size: number }>();

  // Constant DC input per target population (pA), summed.
  const dc = new Map<number, number>();
  for (const inj of plan.injections) {
    const src = plan.populations[inj.source];
    const p = src.params as Record<string, number>;
    const target = plan.populations[inj.target].nodeId;
    if (src.kind !== 'dc-current') skip(`node ${src.nodeId}`, `current source kind "${src.kind}" has no Brian2 mapping yet (feeds ${target})`);
    else if (firstStepFrom(p.start_ms, dt) > 0 || p.stop_ms < plan.durationMs)
      skip(`node ${src.nodeId}`, `a DC current that switches on or off during the run (${p.start_ms}–${p.stop_ms} ms) is not exported yet; only a current on for the whole run is`);
    else dc.set(inj.target, (dc.get(inj.target) ?? 0) + p.amplitude_pa);
  }

  plan.populations.forEach((pop, index) => {
    if (pop.kind === 'dc-current') return;
    const params = pop.params as Record<string, unknown>;
    if (pop.kind === 'spike-generator') {
      const v = name(pop.nodeId);
      const seen = new Set<string>();
      const i: number[] = [];
      const t: number[] = [];
      (params.neurons as number[]).forEach((ch, k) => {
        // Brian2 refuses two spikes of one channel in one step; the engine counts them once.
        const step = spikeStepOf((params.times_ms as number[])[k], dt);
        if (seen.has(`${ch}:${step}`)) return;
        seen.add(`${ch}:${step}`);
        i.push(ch);
        t.push(Number((step * dt).toFixed(9)));
      });
      body.push(
        `# node ${pop.nodeId}: spike generator, ${pop.size} channels (times already on the step that emits them)`,
        `${v} = SpikeGeneratorGroup(${pop.size}, ${pyList(i)},`,
        `    ${pyList(t)}*ms, name=${pyStr(v)})`,
        '',
      );
      groupOf.set(index, { py: v, size: pop.size });
      return;
    }
    const mapping = BRIAN2_KINDS[pop.kind];
    if (!mapping) return skip(`node ${pop.nodeId}`, `kind "${pop.kind}" has no Brian2 mapping yet`);
    const bad = Object.entries(params).find(([k, x]) => k !== 'size' && typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'string');
    if (bad) return skip(`node ${pop.nodeId}`, `field ${bad[0]} is drawn per neuron; only a constant is exported yet`);
    const g = mapping(params as Record<string, number>, dc.get(index) ?? 0, dt);
    const v = name(pop.nodeId);
    const refractory = g.refractoryMs > 0 ? `, refractory=${py(g.refractoryMs)}*ms` : '';
    body.push(
      `# node ${pop.nodeId}: ${pop.kind}, ${pop.size} neurons${dc.has(index) ? `, DC input ${dc.get(index)} pA` : ''}`,
      `${v} = NeuronGroup(${pop.size}, '''`,
      ...g.equations.map((e) => `    ${e}`),
      `''', threshold=${pyStr(g.threshold)}, reset=${pyStr(g.reset)}${refractory}, method=${pyStr(g.method)}, name=${pyStr(v)})`,
      ...Object.entries(g.init).map(([k, x]) => `${v}.${k} = ${py(x)}`),
      '',
    );
    groupOf.set(index, { py: v, brian: g, size: pop.size });
  });

  for (const proj of plan.projections) body.push(...projection(plan, proj, groupOf, name, skip));

  for (const d of plan.drives ?? []) skip(`node ${d.nodeId}`, `drive kind "${d.kind}" draws random spikes from Spikeflow's seed; Brian2's would differ`);
  for (const t of plan.trainers ?? []) skip(`node ${t.nodeId}`, 'the surrogate-gradient trainer has no Brian2 equivalent');
  for (const r of plan.learning?.readouts ?? []) skip(`node ${r.nodeId}`, 'classifier readouts have no Brian2 equivalent');
  for (const m of plan.learning?.modulators ?? []) skip(`node ${m.nodeId}`, 'reward signals have no Brian2 equivalent');
  for (const m of plan.monitors) if (m.kind !== 'spike-monitor') skip(`node ${m.nodeId}`, `monitor kind "${m.kind}": the script records spikes of every group only`);

  const groups = [...groupOf.values()];
  const header = [
    '#!/usr/bin/python3',
    `"""${title.replace(/"""/g, "'''")} — exported from Spikeflow for Brian2 2.5.1.`,
    '',
    "Same equations, integration and order of operations as Spikeflow's engine: a",
    'deterministic network gives the same spikes. Run: python3 net.py [--json]',
    `dt ${dt} ms, duration ${plan.durationMs} ms (${plan.nSteps} steps).`,
    '',
    ...(notExported.length ? ['What this script leaves out:', ...notExported.map((s) => `  ${s}`)] : ['Everything in the network is exported.']),
    '"""',
    'import json',
    'import sys',
    '',
    'from brian2 import *',
    '',
    "prefs.codegen.target = 'numpy'",
    `defaultclock.dt = ${py(dt)}*ms`,
    '',
  ];
  const footer = [
    ...groups.map((g) => `spikes_${g.py} = SpikeMonitor(${g.py})`),
    '',
    'net = Network(collect())',
    `net.run(${py(plan.nSteps * dt)}*ms)`,
    '',
    "if '--json' in sys.argv[1:]:",
    '    def steps(m):',
    '        return [int(round(x)) for x in m.t_[:] / float(defaultclock.dt)]',
    '    print(json.dumps({',
    `        'dt_ms': ${py(dt)},`,
    "        'spikes': {",
    ...[...groupOf.entries()].map(([idx, g]) => `            ${pyStr(plan.populations[idx].nodeId)}: {'i': [int(x) for x in spikes_${g.py}.i[:]], 'step': steps(spikes_${g.py})},`),
    '        },',
    '    }))',
    'else:',
    ...(groups.length ? groups.map((g) => `    print(${pyStr(g.py)}, spikes_${g.py}.num_spikes, 'spikes')`) : ["    print('no groups')"]),
  ];
  return { script: [...header, ...body, ...footer, ''].join('\n'), notExported };
}

function projection(
  plan: NetworkPlan,
  proj: ProjectionPlan,
  groupOf: Map<number, { py: string; brian?: Brian2Group; size: number }>,
  name: (id: string) => string,
  skip: (what: string, reason: string) => void,
): string[] {
  const what = `wire ${proj.edgeId}`;
  const src = groupOf.get(proj.source);
  const tgt = groupOf.get(proj.target);
  if (!src || !tgt?.brian) return (skip(what, `its ${src ? 'target' : 'source'} is not exported`), []);
  if (proj.plasticity) return (skip(what, `plasticity (${proj.plasticity.rule}, node ${proj.plasticity.nodeId}) is not exported yet`), []);
  if (typeof proj.weight !== 'number' || typeof proj.delayMs !== 'number') return (skip(what, "weights or delays drawn per synapse are not exported yet (they come from Spikeflow's seed)"), []);
  const code = tgt.brian.onPre[proj.receptor];
  if (!code) return (skip(what, `receptor "${proj.receptor}" has no Brian2 mapping for the target's kind`), []);
  let connect: string;
  let w = py(proj.weight);
  if (proj.synapses) {
    connect = `connect(i=${pyList(proj.synapses.pre)}, j=${pyList(proj.synapses.post)})`;
    w = pyList(proj.synapses.w);
  } else if (proj.rule === 'all-to-all') {
    connect = proj.allowAutapses || proj.source !== proj.target ? 'connect()' : "connect(condition='i != j')";
  } else if (proj.rule === 'one-to-one') {
    connect = "connect(j='i')";
  } else {
    return (skip(what, `rule "${proj.rule}" draws its synapses from Spikeflow's seed; Brian2 would draw others (store the weights in the document to export them)`), []);
  }
  const v = name(`syn_${proj.edgeId}`);
  const wName = code.includes('w_syn') ? 'w_syn' : 'w';
  // The engine delivers after round(delay/dt) steps: give Brian2 that delay on the grid.
  const delay = Number((stepsOf(proj.delayMs, plan.dtMs) * plan.dtMs).toFixed(9));
  return [
    `# wire ${proj.edgeId}: ${plan.populations[proj.source].nodeId} → ${plan.populations[proj.target].nodeId}, ${proj.rule}, receptor ${proj.receptor}`,
    `${v} = Synapses(${src.py}, ${tgt.py}, '${wName} : 1', on_pre=${pyStr(code)}, delay=${py(delay)}*ms, name=${pyStr(v)})`,
    `${v}.${connect}`,
    `${v}.${wName} = ${w}`,
    '',
  ];
}
