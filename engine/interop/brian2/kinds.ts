/**
 * How each Spikeflow neuron kind is written as a Brian2 `NeuronGroup`: the same
 * state variables, units and update as the engine's runtime (engine/sim/), so a
 * deterministic network gives the same spikes. Voltages are in mV, currents in
 * pA, conductances as the kind declares them; Brian2 sees plain numbers (`: 1`).
 *
 * Extension point: a new kind that Brian2 can express gets one entry here, and
 * a case in engine/interop/brian2/export.test.ts.
 */

/** Where a receptor's input goes: the Brian2 variable it adds to, and the sign a (non-negative) weight gets. */
export interface Brian2Receptor {
  readonly variable: string;
  readonly sign: 1 | -1;
}

/** A kind's Brian2 group: equations (lines), threshold, reset, refractory, method, initial values, inputs per receptor. */
export interface Brian2Group {
  readonly equations: readonly string[];
  /** Null: a non-spiking readout (no threshold, reset or spike monitor). */
  readonly threshold: string | null;
  readonly reset: string | null;
  readonly refractoryMs: number;
  readonly method: 'exact' | 'euler';
  readonly init: Readonly<Record<string, number>>;
  /** The Brian2 variable of each of the kind's declared state variables (engine id → Brian2 name). */
  readonly state: Readonly<Record<string, string>>;
  /** Per receptor, where a synapse's weight goes (`ie_post += w`, `ii_post -= w`). */
  readonly receptors: Readonly<Record<string, Brian2Receptor>>;
  /**
   * The engine gates this kind's input: it arrives through a per-receptor
   * accumulator added to the variable after the synapses, unless the neuron
   * is refractory (lif-delta; Brian2's `v += J*int(not_refractory)`).
   */
  readonly gated?: boolean;
  /**
   * Code run after the state update and before the threshold, every step
   * (lif-delta with Euler: the input held from the last step is added after
   * the leak, as the engine's `updateHeld`).
   */
  readonly beforeThreshold?: readonly string[];
}

/**
 * The kind's resolved params (all numbers) and its external current in pA: a
 * constant (the summed DC input), or a Brian2 expression such as `I_dc(t)`
 * for a current that changes during the run.
 */
export type Brian2Mapping = (p: Readonly<Record<string, number>>, iDcPa: number | string, dtMs: number) => Brian2Group;

/**
 * A per-neuron param reaches a mapping as the name of the group's constant
 * that holds its values (a string where the type says number; export.ts).
 * Arithmetic on it must be written as an expression.
 */
const isName = (x: unknown): x is string => typeof x === 'string';

/** R·I/1000 (mV) as a literal for a constant current and resistance, else as an expression. */
const rTimesI = (r: number, i: number | string): string => (typeof i === 'number' && !isName(r) ? String((r * i) / 1000) : `${r}*${i}/1000`);

/**
 * Brian2's Euler decay 1 − dt/τ' equals the engine's exact decay e^{−dt/τ}
 * for this τ' (the kinds that step their synaptic currents exactly while the
 * membrane uses forward Euler).
 */
export const eulerTau = (tauMs: number, dtMs: number): number => dtMs / (1 - Math.exp(-dtMs / tauMs));

/** A LIF's resting potential with its bias current folded in, as the engine does: v_rest + (R/1000)·I_bias. */
const lifRest = (p: Readonly<Record<string, number>>): number | string => {
  if (!p.i_bias_pa) return p.v_rest_mv;
  if ([p.v_rest_mv, p.r_m_mohm, p.i_bias_pa].some(isName)) return `${p.v_rest_mv} + ${p.r_m_mohm}/1000*${p.i_bias_pa}`;
  return p.v_rest_mv + (p.r_m_mohm / 1000) * p.i_bias_pa;
};
/** The reset of the `reset` param: to v_reset, or by subtraction of (v_th − v_reset). */
const lifReset = (p: Readonly<Record<string, unknown>>): string => {
  if (p.reset !== 'subtract') return `v = ${p.v_reset_mv as number}`;
  if (isName(p.v_th_mv) || isName(p.v_reset_mv)) return `v = v - (${p.v_th_mv as number} - (${p.v_reset_mv as number}))`;
  return `v = v - ${(p.v_th_mv as number) - (p.v_reset_mv as number)}`;
};
/** The `integration` param: the exact solution, or forward Euler. */
const lifMethod = (p: Readonly<Record<string, unknown>>): 'exact' | 'euler' => (p.integration === 'euler' ? 'euler' : 'exact');

const CURRENT_RECEPTORS: Record<string, Brian2Receptor> = { exc: { variable: 'ie', sign: 1 }, inh: { variable: 'ii', sign: -1 } };
const CURRENT_STATE = { v: 'v', i_exc: 'ie', i_inh: 'ii' };

/**
 * A non-spiking readout (li-delta, li-curr-exp, integrator): the engine runs
 * the spiking kind with v_th = +∞, v_reset = 0, t_ref = 0; Brian2 gets that
 * kind's group without threshold, reset or refractoriness.
 */
const readout =
  (spiking: string): Brian2Mapping =>
  (p, iDc, dt) => {
    const g = BRIAN2_KINDS[spiking]({ ...p, v_th_mv: 0, v_reset_mv: 0, t_ref_ms: 0 }, iDc, dt);
    return {
      ...g,
      equations: g.equations.map((e) => e.replace(' (unless refractory)', '')),
      threshold: null,
      reset: null,
      gated: false,
      beforeThreshold: g.beforeThreshold?.map((c) => c.replace('*int(not_refractory)', '')),
    };
  };

/** Kind id → Brian2 group. Kinds not listed are reported as not exported. */
export const BRIAN2_KINDS: Readonly<Record<string, Brian2Mapping>> = {
  'lif-curr-exp': (p, iDc) => ({
    equations: [
      `dv/dt = (-(v - (${lifRest(p)})) + ie + ii + ${rTimesI(p.r_m_mohm, iDc)})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`,
      `die/dt = -ie/(${p.tau_syn_exc_ms}*ms) : 1`,
      `dii/dt = -ii/(${p.tau_syn_inh_ms}*ms) : 1`,
    ],
    threshold: `v > ${p.v_th_mv}`,
    reset: lifReset(p),
    refractoryMs: p.t_ref_ms,
    method: lifMethod(p),
    init: { v: p.v_init_mv },
    state: CURRENT_STATE,
    receptors: CURRENT_RECEPTORS,
  }),
  'lif-cond-exp': (p, iDc) => ({
    equations: [
      `dv/dt = (ge*(${p.e_exc_mv} - v) + gi*(${p.e_inh_mv} - v) - (v - (${p.e_l_mv})) + ${rTimesI(p.r_m_mohm, iDc)})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`,
      `dge/dt = -ge/(${p.tau_syn_exc_ms}*ms) : 1`,
      `dgi/dt = -gi/(${p.tau_syn_inh_ms}*ms) : 1`,
    ],
    threshold: `v > ${p.v_th_mv}`,
    reset: `v = ${p.v_reset_mv}`,
    refractoryMs: p.t_ref_ms,
    method: 'euler',
    init: { v: p.v_init_mv, ge: p.g_exc_init, gi: p.g_inh_init },
    state: { v: 'v', g_exc: 'ge', g_inh: 'gi' },
    receptors: { exc: { variable: 'ge', sign: 1 }, inh: { variable: 'gi', sign: 1 } },
  }),
  'lif-delta': (p, iDc) => ({
    equations: [
      `dv/dt = (-(v - (${lifRest(p)})) + ${rTimesI(p.r_m_mohm, iDc)})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`,
      ...(lifMethod(p) === 'euler' ? ["held : 1  # Euler: the last step's input, added after this step's leak"] : []),
    ],
    threshold: `v > ${p.v_th_mv}`,
    reset: lifReset(p),
    refractoryMs: p.t_ref_ms,
    method: lifMethod(p),
    init: { v: p.v_init_mv },
    state: { v: 'v' },
    receptors: lifMethod(p) === 'euler' ? { exc: { variable: 'held', sign: 1 }, inh: { variable: 'held', sign: -1 } } : { exc: { variable: 'v', sign: 1 }, inh: { variable: 'v', sign: -1 } },
    gated: true,
    // Held input is dropped (not kept) when the neuron is refractory in the step it would be added.
    ...(lifMethod(p) === 'euler' ? { beforeThreshold: ['v += held*int(not_refractory)', 'held = 0'] } : {}),
  }),
  // No leak: C dV/dt = I + I_bias, one Euler step is the engine's exact step V + (dt/C)·(I + I_bias).
  'if-delta': (p, iDc) => ({
    equations: [`dv/dt = (${iDc} + ${p.i_bias_pa ?? 0})/(${p.c_m_pf}*ms) : 1 (unless refractory)`],
    threshold: `v > ${p.v_th_mv}`,
    reset: lifReset(p),
    refractoryMs: p.t_ref_ms,
    method: 'euler',
    init: { v: p.v_init_mv },
    state: { v: 'v' },
    receptors: { exc: { variable: 'v', sign: 1 }, inh: { variable: 'v', sign: -1 } },
    gated: true,
  }),
  izhikevich: (p, iDc, dt) => ({
    equations: [
      `dv/dt = (0.04*v**2 + 5*v + 140 - u + ie + ii + ${iDc})/ms : 1`,
      `du/dt = ${p.a}*(${p.b}*v - u)/ms : 1`,
      `die/dt = -ie/(${eulerTau(p.tau_syn_exc_ms, dt)}*ms) : 1`,
      `dii/dt = -ii/(${eulerTau(p.tau_syn_inh_ms, dt)}*ms) : 1`,
    ],
    threshold: `v >= ${p.v_peak_mv}`,
    reset: `v = ${p.c_mv}; u += ${p.d}`,
    refractoryMs: 0,
    method: 'euler',
    init: { v: p.v_init_mv, u: p.b * p.v_init_mv },
    state: { ...CURRENT_STATE, u: 'u' },
    receptors: CURRENT_RECEPTORS,
  }),
  adex: (p, iDc, dt) => ({
    equations: [
      `dv/dt = (-${p.g_l_ns}*(v - (${p.e_l_mv})) + ${p.g_l_ns}*${p.delta_t_mv}*exp((v - (${p.v_t_mv}))/${p.delta_t_mv}) - w + ie + ii + ${iDc})/(${p.c_pf}*ms) : 1 (unless refractory)`,
      `dw/dt = (${p.a_ns}*(v - (${p.e_l_mv})) - w)/(${p.tau_w_ms}*ms) : 1`,
      `die/dt = -ie/(${eulerTau(p.tau_syn_exc_ms, dt)}*ms) : 1`,
      `dii/dt = -ii/(${eulerTau(p.tau_syn_inh_ms, dt)}*ms) : 1`,
    ],
    threshold: `v > ${p.v_peak_mv}`,
    reset: `v = ${p.v_reset_mv}; w += ${p.b_pa}`,
    refractoryMs: p.t_ref_ms,
    method: 'euler',
    init: { v: p.v_init_mv, w: p.w_init_pa },
    // The group's state variable `w` (adaptation) takes the name; the synapse weight is `w_syn` (export.ts).
    state: { ...CURRENT_STATE, w: 'w' },
    receptors: CURRENT_RECEPTORS,
  }),
  'li-delta': (p, iDc, dt) => readout('lif-delta')(p, iDc, dt),
  'li-curr-exp': (p, iDc, dt) => readout('lif-curr-exp')(p, iDc, dt),
  integrator: (p, iDc, dt) => readout('if-delta')(p, iDc, dt),
};
