/**
 * The deterministic networks the Brian2 tests share: spike generators driving
 * each neuron kind through delayed exc and inh wires, plus a DC current.
 * `brian` is the hand-written Brian2 reference for each kind (test/brian2-spikes.test.ts);
 * the exporter (engine/interop/brian2/) writes its own and test/brian2-export.test.ts runs it.
 */
export const DT = 0.1;
export const DURATION = 300;
export const N = 4;
/** Generator spikes: (channel, ms) — multiples of dt. */
export const GEN = { n: 3, i: [0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 1, 0, 2, 0, 1], t: [5, 12, 20, 31.5, 40, 55.3, 70, 70.5, 90, 120, 150.2, 181, 200, 230.7, 260] };

export interface Case {
  kind: string;
  params: Record<string, unknown>;
  /** Weights of the exc and inh wires, delays in ms. */
  exc: { weight: number; delay: number };
  inh: { weight: number; delay: number };
  dcPa: number;
  /** The Brian2 neuron group (equations in the same units as the kind). */
  brian: (p: Record<string, number>, iDc: number) => { equations: string[]; threshold: string; reset: string; refractory_ms: number; method: string; init: Record<string, number> };
  excCode: string;
  inhCode: string;
}

/** Brian2's Euler decay 1 − dt/τ' equals the kind's exact decay e^{−dt/τ} for this τ'. */
const eulerTau = (tau: number) => DT / (1 - Math.exp(-DT / tau));

export const CASES: Case[] = [
  {
    kind: 'lif-curr-exp',
    params: { tau_m_ms: 20, v_rest_mv: -65, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, r_m_mohm: 100, v_init_mv: -60 },
    exc: { weight: 25, delay: 1.5 },
    inh: { weight: 6, delay: 0.7 },
    dcPa: 140,
    brian: (p, iDc) => ({
      equations: [
        `dv/dt = (-(v - (${p.v_rest_mv})) + ie + ii + ${(p.r_m_mohm * iDc) / 1000})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`,
        `die/dt = -ie/(${p.tau_syn_exc_ms}*ms) : 1`,
        `dii/dt = -ii/(${p.tau_syn_inh_ms}*ms) : 1`,
      ],
      threshold: `v > ${p.v_th_mv}`, reset: `v = ${p.v_reset_mv}`, refractory_ms: p.t_ref_ms, method: 'exact', init: { v: p.v_init_mv },
    }),
    excCode: 'ie_post += w',
    inhCode: 'ii_post -= w',
  },
  {
    kind: 'lif-cond-exp',
    params: { tau_m_ms: 20, e_l_mv: -60, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: 5, e_exc_mv: 0, e_inh_mv: -80, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, r_m_mohm: 100, v_init_mv: -58, g_exc_init: 0, g_inh_init: 0 },
    exc: { weight: 3, delay: 2 },
    inh: { weight: 1, delay: 0 },
    dcPa: 85,
    brian: (p, iDc) => ({
      equations: [
        `dv/dt = (ge*(${p.e_exc_mv} - v) + gi*(${p.e_inh_mv} - v) - (v - (${p.e_l_mv})) + ${(p.r_m_mohm * iDc) / 1000})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`,
        `dge/dt = -ge/(${p.tau_syn_exc_ms}*ms) : 1`,
        `dgi/dt = -gi/(${p.tau_syn_inh_ms}*ms) : 1`,
      ],
      threshold: `v > ${p.v_th_mv}`, reset: `v = ${p.v_reset_mv}`, refractory_ms: p.t_ref_ms, method: 'euler', init: { v: p.v_init_mv },
    }),
    excCode: 'ge_post += w',
    inhCode: 'gi_post += w',
  },
  {
    kind: 'lif-delta',
    params: { tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: 5 },
    exc: { weight: 9, delay: 1.5 },
    inh: { weight: 3, delay: 0.4 },
    dcPa: 150,
    brian: (p, iDc) => ({
      equations: [`dv/dt = (-(v - (${p.v_rest_mv})) + ${(p.r_m_mohm * iDc) / 1000})/(${p.tau_m_ms}*ms) : 1 (unless refractory)`],
      threshold: `v > ${p.v_th_mv}`, reset: `v = ${p.v_reset_mv}`, refractory_ms: p.t_ref_ms, method: 'exact', init: { v: p.v_init_mv },
    }),
    excCode: 'v_post += w',
    inhCode: 'v_post -= w',
  },
  {
    kind: 'izhikevich',
    params: { a: 0.02, b: 0.2, c_mv: -65, d: 8, v_peak_mv: 30, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, v_init_mv: -65 },
    exc: { weight: 40, delay: 1 },
    inh: { weight: 20, delay: 3 },
    dcPa: 4,
    brian: (p, iDc) => ({
      equations: [
        `dv/dt = (0.04*v**2 + 5*v + 140 - u + ie + ii + ${iDc})/ms : 1`,
        `du/dt = ${p.a}*(${p.b}*v - u)/ms : 1`,
        `die/dt = -ie/(${eulerTau(p.tau_syn_exc_ms)}*ms) : 1`,
        `dii/dt = -ii/(${eulerTau(p.tau_syn_inh_ms)}*ms) : 1`,
      ],
      threshold: `v >= ${p.v_peak_mv}`, reset: `v = ${p.c_mv}; u += ${p.d}`, refractory_ms: 0, method: 'euler',
      init: { v: p.v_init_mv, u: p.b * p.v_init_mv },
    }),
    excCode: 'ie_post += w',
    inhCode: 'ii_post -= w',
  },
  {
    kind: 'adex',
    params: {
      c_pf: 200, g_l_ns: 10, e_l_mv: -70, v_t_mv: -50, delta_t_mv: 2, a_ns: 2, tau_w_ms: 30, b_pa: 60, v_reset_mv: -58, v_peak_mv: 0, t_ref_ms: 0,
      tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, v_init_mv: -70, w_init_pa: 0,
    },
    exc: { weight: 900, delay: 0.5 },
    inh: { weight: 300, delay: 2.5 },
    dcPa: 150,
    brian: (p, iDc) => ({
      equations: [
        `dv/dt = (-${p.g_l_ns}*(v - (${p.e_l_mv})) + ${p.g_l_ns}*${p.delta_t_mv}*exp((v - (${p.v_t_mv}))/${p.delta_t_mv}) - w + ie + ii + ${iDc})/(${p.c_pf}*ms) : 1 (unless refractory)`,
        `dw/dt = (${p.a_ns}*(v - (${p.e_l_mv})) - w)/(${p.tau_w_ms}*ms) : 1`,
        `die/dt = -ie/(${eulerTau(p.tau_syn_exc_ms)}*ms) : 1`,
        `dii/dt = -ii/(${eulerTau(p.tau_syn_inh_ms)}*ms) : 1`,
      ],
      threshold: `v > ${p.v_peak_mv}`, reset: `v = ${p.v_reset_mv}; w += ${p.b_pa}`, refractory_ms: p.t_ref_ms, method: 'euler',
      init: { v: p.v_init_mv, w: p.w_init_pa },
    }),
    excCode: 'ie_post += w_syn',
    inhCode: 'ii_post -= w_syn',
  },
];

