/**
 * How each Spikeflow neuron kind is written as a PyNN 0.10 standard cell type:
 * the cell type, its parameters in PyNN's units (mV, ms, nF, nA, µS), the
 * initial values, and the factor that turns a Spikeflow weight (in the
 * target's synapse unit) into a PyNN weight. Where PyNN's cell type is not the
 * same model, the difference is stated in `approximations` (the script's header
 * lists it); kinds with no honest equivalent are not here and are reported as
 * not exported.
 *
 * Extension point: a kind PyNN can express gets one entry in {@link PYNN_KINDS}
 * and a row in this folder's README (and a case in test/pynn-cases.ts).
 */
import type { DistValue } from '../../core/dist-value.ts';

/** A cell type for one population. Numbers are literals; `weightFactor` may be a Python expression. */
export interface PyNNCell {
  /** PyNN standard cell type (`IF_curr_exp`, …), or `'delta'` for the lif-delta helper the script defines. */
  readonly cellType: string;
  /** Cell parameters in PyNN's units. */
  readonly params: Readonly<Record<string, number>>;
  /** Initial values of state variables in PyNN's units: constants or drawn. */
  readonly initial: Readonly<Record<string, DistValue>>;
  /**
   * Spikeflow weight (≥ 0, the target's unit) × factor = PyNN weight magnitude,
   * per receptor; `sign` −1 means PyNN wants it negative (current-based inhibition).
   */
  readonly receptors: Readonly<Record<string, { readonly pynn: 'excitatory' | 'inhibitory'; readonly factor: string; readonly sign: 1 | -1 }>>;
  /** A DC current of `pa` pA in PyNN's unit (nA). */
  readonly dcFactor: number;
  /** Where the PyNN model differs from the engine's (each a sentence). */
  readonly approximations: readonly string[];
  /** Python lines run after the population is made (`{pop}` is its variable), e.g. a simulator-specific fix. */
  readonly after?: readonly string[];
}

export type PyNNMapping = (p: Readonly<Record<string, unknown>>, nodeId: string) => PyNNCell;

const n = (p: Readonly<Record<string, unknown>>, k: string): number => p[k] as number;

/** A drawn or constant value scaled by `f` (> 0), in PyNN's units. */
export function scaleDist(v: DistValue, f: number): DistValue {
  if (typeof v === 'number') return v * f;
  if (v.dist === 'uniform') return { dist: 'uniform', low: v.low * f, high: v.high * f };
  if (v.dist === 'normal') return { ...v, mean: v.mean * f, sd: v.sd * f, ...(v.min !== undefined ? { min: v.min * f } : {}), ...(v.max !== undefined ? { max: v.max * f } : {}) };
  return { dist: 'lognormal', mu: v.mu + Math.log(f), sigma: v.sigma };
}

/** The mean of a constant or drawn value. */
export const meanOf = (v: DistValue): number => (typeof v === 'number' ? v : v.dist === 'uniform' ? (v.low + v.high) / 2 : v.dist === 'normal' ? v.mean : Math.exp(v.mu + (v.sigma * v.sigma) / 2));

const current = (factor: string) => ({ exc: { pynn: 'excitatory', factor, sign: 1 }, inh: { pynn: 'inhibitory', factor, sign: -1 } }) as const;

/**
 * Reversal potential (mV) standing in for a current synapse on PyNN's
 * conductance-based AdEx: g·(E − v) ≈ g·E within |v|/E (< 0.1 % for |v| < 100 mV).
 */
export const CURRENT_AS_CONDUCTANCE_MV = 1e5;

/**
 * A current LIF's (lif-curr-exp, lif-delta) membrane in PyNN's units; the
 * bias current (pA) is PyNN's constant offset current `i_offset` (nA): the same R·I drive.
 */
const lifParams = (p: Readonly<Record<string, unknown>>): Record<string, number> => ({
  cm: n(p, 'tau_m_ms') / n(p, 'r_m_mohm'),
  tau_m: n(p, 'tau_m_ms'),
  v_rest: n(p, 'v_rest_mv'),
  v_reset: n(p, 'v_reset_mv'),
  v_thresh: n(p, 'v_th_mv'),
  tau_refrac: n(p, 't_ref_ms'),
  i_offset: (n(p, 'i_bias_pa') || 0) * 1e-3,
});

/** Kind id → PyNN cell type. Kinds not listed are reported as not exported. */
export const PYNN_KINDS: Readonly<Record<string, PyNNMapping>> = {
  'lif-curr-exp': (p) => {
    const r = n(p, 'r_m_mohm');
    return {
      cellType: 'IF_curr_exp',
      params: { ...lifParams(p), tau_syn_E: n(p, 'tau_syn_exc_ms'), tau_syn_I: n(p, 'tau_syn_inh_ms') },
      initial: { v: p.v_init_mv as DistValue },
      // The engine's synaptic variable is in mV (R·I): I = w / R, nA for mV / MΩ.
      receptors: current(String(1 / r)),
      dcFactor: 1e-3,
      approximations: [],
    };
  },
  'lif-cond-exp': (p) => {
    const r = n(p, 'r_m_mohm');
    return {
      cellType: 'IF_cond_exp',
      params: {
        cm: n(p, 'tau_m_ms') / r,
        tau_m: n(p, 'tau_m_ms'),
        v_rest: n(p, 'e_l_mv'),
        v_reset: n(p, 'v_reset_mv'),
        v_thresh: n(p, 'v_th_mv'),
        tau_refrac: n(p, 't_ref_ms'),
        tau_syn_E: n(p, 'tau_syn_exc_ms'),
        tau_syn_I: n(p, 'tau_syn_inh_ms'),
        e_rev_E: n(p, 'e_exc_mv'),
        e_rev_I: n(p, 'e_inh_mv'),
        i_offset: 0,
      },
      // Conductances in units of g_L = 1/R: µS = (× g_L) / MΩ.
      initial: { v: p.v_init_mv as DistValue, gsyn_exc: scaleDist(p.g_exc_init as DistValue, 1 / r), gsyn_inh: scaleDist(p.g_inh_init as DistValue, 1 / r) },
      receptors: { exc: { pynn: 'excitatory', factor: String(1 / r), sign: 1 }, inh: { pynn: 'inhibitory', factor: String(1 / r), sign: 1 } },
      dcFactor: 1e-3,
      approximations: [],
      // pyNN.neuron 0.10 keeps initial conductances but never applies them (COBA's ignition needs them).
      after: p.g_exc_init !== 0 || p.g_inh_init !== 0 ? [`if args.simulator == 'neuron':`, '    neuron_gsyn_init({pop})'] : [],
    };
  },
  'lif-delta': (p, nodeId) => {
    return {
      cellType: 'delta',
      params: lifParams(p),
      initial: { v: p.v_init_mv as DistValue },
      // mV jumps on IF_curr_delta; on IF_curr_exp (NEURON) the script's DELTA_SCALE gives the same PSP peak.
      receptors: current(`DELTA_SCALE[${JSON.stringify(nodeId)}]`),
      dcFactor: 1e-3,
      approximations: [
        `node ${nodeId}: lif-delta is IF_curr_delta where the simulator has it (Brian2, NEST); on NEURON, which has none, IF_curr_exp with 0.1 ms synapses whose PSP peak is the jump (inputs in the refractory period are then lost only while their 0.1 ms current lasts)`,
      ],
    };
  },
  izhikevich: (p, nodeId) => {
    const approximations = [
      `node ${nodeId}: Izhikevich in PyNN has instant (delta) synapses: each spike jumps v by its charge w·τ over 1 pF (τ exc ${n(p, 'tau_syn_exc_ms')} ms, τ inh ${n(p, 'tau_syn_inh_ms')} ms) instead of an exponential current`,
    ];
    if (n(p, 'v_peak_mv') !== 30) approximations.push(`node ${nodeId}: spike peak ${n(p, 'v_peak_mv')} mV: PyNN's Izhikevich fixes it at 30 mV`);
    if (typeof p.v_init_mv !== 'number') approximations.push(`node ${nodeId}: initial u is b·(mean initial v), not b·v per neuron`);
    return {
      cellType: 'Izhikevich',
      params: { a: n(p, 'a'), b: n(p, 'b'), c: n(p, 'c_mv'), d: n(p, 'd'), i_offset: 0 },
      initial: { v: p.v_init_mv as DistValue, u: n(p, 'b') * meanOf(p.v_init_mv as DistValue) },
      // pA over 1 pF for τ ms: a jump of w·τ mV (PyNN's weight is the jump; inhibition negative).
      receptors: { exc: { pynn: 'excitatory', factor: String(n(p, 'tau_syn_exc_ms')), sign: 1 }, inh: { pynn: 'inhibitory', factor: String(n(p, 'tau_syn_inh_ms')), sign: -1 } },
      // PyNN's Izhikevich membrane is 1 pF: pA → nA.
      dcFactor: 1e-3,
      approximations,
    };
  },
  adex: (p, nodeId) => {
    const e = CURRENT_AS_CONDUCTANCE_MV;
    const f = String(1e-3 / e);
    return {
      cellType: 'EIF_cond_exp_isfa_ista',
      params: {
        cm: n(p, 'c_pf') / 1000,
        tau_m: n(p, 'c_pf') / n(p, 'g_l_ns'),
        v_rest: n(p, 'e_l_mv'),
        v_reset: n(p, 'v_reset_mv'),
        v_thresh: n(p, 'v_t_mv'),
        delta_T: n(p, 'delta_t_mv'),
        v_spike: n(p, 'v_peak_mv'),
        tau_refrac: n(p, 't_ref_ms'),
        tau_w: n(p, 'tau_w_ms'),
        a: n(p, 'a_ns'),
        b: n(p, 'b_pa') / 1000,
        tau_syn_E: n(p, 'tau_syn_exc_ms'),
        tau_syn_I: n(p, 'tau_syn_inh_ms'),
        e_rev_E: e,
        e_rev_I: -e,
        i_offset: 0,
      },
      initial: { v: p.v_init_mv as DistValue, w: scaleDist(p.w_init_pa as DistValue, 1e-3) },
      receptors: { exc: { pynn: 'excitatory', factor: f, sign: 1 }, inh: { pynn: 'inhibitory', factor: f, sign: 1 } },
      dcFactor: 1e-3,
      approximations: [
        `node ${nodeId}: AdEx has current synapses; PyNN's EIF_cond_exp_isfa_ista has conductance ones, so they are written as conductances with reversal potentials ±${e} mV (the current then differs from the engine's by |v|/${e}, under 0.1 %)`,
        `node ${nodeId}: on NEURON the spike is detected at V_T + 5·Δ_T when v_peak is higher: NEURON's AdExpIF lets the exponential run past a higher v_spike within one step and misses spikes`,
      ],
      after: [`if args.simulator == 'neuron':`, `    {pop}.set(v_spike=min(${n(p, 'v_peak_mv')}, ${n(p, 'v_t_mv') + 5 * n(p, 'delta_t_mv')}))`],
    };
  },
};
