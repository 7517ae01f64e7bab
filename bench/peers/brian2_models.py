#!/usr/bin/python3
"""Brian2 peer for Spikeflow's benchmark networks (CUBA, COBA, BRUNEL, STDP).

Builds one of the networks of ``/work/shared/reference/MODELS.md`` exactly as
specified there, runs it on a Brian2 device and prints ONE JSON object with
the statistics and timings on stdout. Everything else (Brian2 logs, compiler
output, the standalone binary's output) goes to stderr.

Usage (Debian's python3-brian, i.e. Brian2 2.5.1, lives in /usr/bin/python3)::

    /usr/bin/python3 bench/peers/brian2_models.py --model cuba --duration-s 1 \\
        --seed 1 --device cpp_standalone [--build-dir DIR] [--json]

``--json`` prints the object on one line; without it the same object is
pretty-printed. See ``bench/peers/README.md`` for the fields and the timing
definitions.

Timing definitions (seconds, wall clock):

* ``wall_run_s``: the simulation loop only, as measured by Brian2 itself:
  On the runtime devices (numpy, cython) this is Brian2's own timer,
  ``device._last_run_time``: ``time.time()`` around the Python loop over
  time steps in ``Network.run`` (after ``before_run``, i.e. after code
  generation/compilation). On cpp_standalone Brian2's own figure (read back
  from ``results/last_run_info.txt``) is ``std::clock()`` *CPU* time; it is
  reported as ``brian2_run_time_cpu_s``, and ``wall_run_s`` is instead a
  ``clock_gettime(CLOCK_MONOTONIC)`` wall-clock timer that this script
  inserts immediately around the generated ``Network::run`` call (Brian2's
  ``before_network_run``/``after_network_run`` code slots). Standalone
  synapse creation, spike-queue set-up and state initialisation happen in the
  binary *before* that call and are therefore not in ``wall_run_s`` (they
  are in ``wall_binary_s``).
* ``wall_build_s``: network construction + connect + code generation +
  compilation: from the first Brian2 object created to the start of the
  simulation loop (runtime devices: construction time + ``run()`` call time
  − ``wall_run_s``), or to the end of ``device.build(compile=True,
  run=False)`` (cpp_standalone, an incremental ``make`` in a reused build
  directory).
* ``wall_binary_s`` (cpp_standalone only): wall time of the standalone
  binary (loading, synapse creation, initialisation, loop, writing results).
* ``wall_import_s``: Python start-up + ``import brian2``.
* ``wall_total_s``: process start (from ``/proc/self/stat``) to just before
  the JSON is printed, i.e. includes import, code generation, compilation,
  the run, reading results back and computing the statistics. The script
  then leaves with ``os._exit`` (skipping ~0.7 s of interpreter teardown),
  so this is the whole process lifetime to within a few ms.
"""

import time

_T_SCRIPT = time.time()

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import warnings

# Debian's pythran (imported by brian2) spams FutureWarnings with numpy 1.24.
warnings.filterwarnings('ignore', category=FutureWarning)
warnings.filterwarnings('ignore', category=DeprecationWarning)

MODELS = ('cuba', 'coba', 'brunel', 'brunel-x4', 'stdp')
DEVICES = ('numpy', 'cython', 'cpp_standalone')


def process_start_time():
    """Epoch seconds at which this process started (Linux), else script start.

    /proc/self/stat gives the start in clock ticks since boot (CLOCK_BOOTTIME,
    10 ms resolution); the process age is converted to an epoch time.
    """
    try:
        with open('/proc/self/stat') as f:
            # The command name (field 2) may contain spaces; split after ')'.
            fields = f.read().rsplit(')', 1)[1].split()
        start_s = int(fields[19]) / os.sysconf('SC_CLK_TCK')  # field 22: starttime
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - start_s
        return time.time() - age if 0 <= age < 3600 else _T_SCRIPT
    except (OSError, ValueError, IndexError, AttributeError):
        return _T_SCRIPT


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--model', required=True, choices=MODELS)
    p.add_argument('--duration-s', type=float, required=True)
    p.add_argument('--seed', type=int, required=True)
    p.add_argument('--device', required=True, choices=DEVICES)
    p.add_argument('--build-dir', default=None,
                   help='cpp_standalone project directory (default: '
                        '<tmp>/spikeflow-brian2-peers/<model>, reused between runs '
                        'so that g++ builds are incremental)')
    p.add_argument('--json', action='store_true',
                   help='print the result object on one line (default: indented)')
    args = p.parse_args(argv)
    if not args.duration_s > 0:
        p.error('--duration-s must be > 0')
    return args


class MethodCapture(logging.Handler):
    """Collects Brian2's 'using method X' messages (the integrator it picked)."""

    def __init__(self):
        super().__init__(level=1)
        self.methods = {}

    def emit(self, record):
        if not record.name.endswith('method_choice'):
            return
        m = re.search(r"group '([^']+)', using method '([^']+)'", record.getMessage())
        if m:
            self.methods[m.group(1)] = m.group(2)


# ----------------------------------------------------------------------------
# Network definitions (MODELS.md §1-§4). Each returns a dict with the objects
# needed to compute the statistics after the run.
# ----------------------------------------------------------------------------

def build_cuba(b2):
    ms, mV = b2.ms, b2.mV
    NE, NI = 3200, 800
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, El=-49 * mV, Vt=-50 * mV, Vr=-60 * mV,
              we=(60 * 0.27 / 10) * mV, wi=(-20 * 4.5 / 10) * mV)
    eqs = '''
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    '''
    P = b2.NeuronGroup(NE + NI, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * ms,
                       method=('exact', 'euler', 'heun'), namespace=ns, name='cuba')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    Ce = b2.Synapses(P[:NE], P, on_pre='ge += we', namespace=ns, name='cuba_exc')
    Ci = b2.Synapses(P[NE:], P, on_pre='gi += wi', namespace=ns, name='cuba_inh')
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    mon = b2.SpikeMonitor(P, name='cuba_spikes')
    return dict(objects=[P, Ce, Ci, mon], group=P, mon=mon, NE=NE, NI=NI,
                synapses=[(Ce, 0), (Ci, NE)])


def build_coba(b2):
    ms, mV = b2.ms, b2.mV
    NE, NI = 3200, 800
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, El=-60 * mV, Ee=0 * mV, Ei=-80 * mV,
              Vt=-50 * mV, Vr=-60 * mV, we=6.0 / 10.0, wi=67.0 / 10.0)
    eqs = '''
    dv/dt  = (ge * (Ee - v) + gi * (Ei - v) - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : 1
    dgi/dt = -gi / taui : 1
    '''
    P = b2.NeuronGroup(NE + NI, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * ms,
                       method=('exact', 'euler', 'heun'), namespace=ns, name='coba')
    # Not clipped: a few % of gi start negative; that is part of the ignition.
    P.v = 'El + (randn() * 5 - 5) * mV'
    P.ge = '4 + 1.5 * randn()'
    P.gi = '20 + 12 * randn()'
    Ce = b2.Synapses(P[:NE], P, on_pre='ge += we', namespace=ns, name='coba_exc')
    Ci = b2.Synapses(P[NE:], P, on_pre='gi += wi', namespace=ns, name='coba_inh')
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    mon = b2.SpikeMonitor(P, name='coba_spikes')
    return dict(objects=[P, Ce, Ci, mon], group=P, mon=mon, NE=NE, NI=NI,
                synapses=[(Ce, 0), (Ci, NE)])


BRUNEL_C_E, BRUNEL_C_I = 1000, 250
BRUNEL_NU_EXT_HZ = 20.0


def build_brunel(b2, NE):
    ms, mV, Hz = b2.ms, b2.mV, b2.Hz
    NI = NE // 4
    ns = dict(tau=20 * ms, theta=20 * mV, V_r=10 * mV, J=0.1 * mV, g=5.0)
    # Inputs arriving while the target is refractory (including its spike
    # step) are discarded, as in Brunel (2000) / NEST iaf_psc_delta.
    P = b2.NeuronGroup(NE + NI, 'dv/dt = -v / tau : volt (unless refractory)',
                       threshold='v > theta', reset='v = V_r', refractory=2 * ms,
                       method=('exact', 'euler', 'heun'), namespace=ns, name='brunel')
    P.v = 'rand() * theta'
    Se = b2.Synapses(P[:NE], P, on_pre='v_post += J * int(not_refractory_post)',
                     delay=1.5 * ms, namespace=ns, name='brunel_exc')
    Si = b2.Synapses(P[NE:], P, on_pre='v_post += -g * J * int(not_refractory_post)',
                     delay=1.5 * ms, namespace=ns, name='brunel_inh')
    # Fixed in-degree: for every target, C distinct sources without replacement.
    Se.connect(i='k for k in sample(N_pre, size=%d)' % BRUNEL_C_E)
    Si.connect(i='k for k in sample(N_pre, size=%d)' % BRUNEL_C_I)
    ext = b2.PoissonInput(P, 'v', N=BRUNEL_C_E, rate=BRUNEL_NU_EXT_HZ * Hz,
                          weight='J * int(not_refractory)')
    mon = b2.SpikeMonitor(P, name='brunel_spikes')
    return dict(objects=[P, Se, Si, ext, mon], group=P, mon=mon, NE=NE, NI=NI,
                synapses=[(Se, 0), (Si, NE)])


STDP_N_IN = 1000
STDP_WMAX = 0.01


def build_stdp(b2):
    ms, mV, Hz = b2.ms, b2.mV, b2.Hz
    gmax = STDP_WMAX
    dApre = 0.01 * gmax
    ns = dict(taum=10 * ms, taue=5 * ms, Ee=0 * mV, El=-74 * mV, vt=-54 * mV, vr=-60 * mV,
              taupre=20 * ms, taupost=20 * ms, gmax=gmax, dApre=dApre,
              dApost=-dApre * 1.0 * 1.05)  # -dApre * taupre/taupost * 1.05
    inp = b2.PoissonGroup(STDP_N_IN, rates=15 * Hz, name='stdp_input')
    out = b2.NeuronGroup(1, '''
        dv/dt = (ge * (Ee - v) + El - v) / taum : volt
        dge/dt = -ge / taue : 1
        ''', threshold='v > vt', reset='v = vr', method=('exact', 'euler', 'heun'),
        namespace=ns, name='stdp_neuron')
    out.v = -74 * mV
    out.ge = 0
    S = b2.Synapses(inp, out, '''
        w : 1
        dApre/dt = -Apre / taupre : 1 (event-driven)
        dApost/dt = -Apost / taupost : 1 (event-driven)
        ''', on_pre='''
        ge += w
        Apre += dApre
        w = clip(w + Apost, 0, gmax)
        ''', on_post='''
        Apost += dApost
        w = clip(w + Apre, 0, gmax)
        ''', namespace=ns, name='stdp_synapses')
    S.connect()
    S.w = 'rand() * gmax'
    mon_out = b2.SpikeMonitor(out, name='stdp_out_spikes')
    mon_in = b2.SpikeMonitor(inp, record=False, name='stdp_in_spikes')
    return dict(objects=[inp, out, S, mon_out, mon_in], group=out, mon=mon_out,
                mon_in=mon_in, syn=S)


# ----------------------------------------------------------------------------
# Statistics (MODELS.md §0, §3, §4)
# ----------------------------------------------------------------------------

def cv_isi_mean(np, i, steps, n):
    """Mean over neurons with >= 3 spikes of std(ISI)/mean(ISI) (ddof 0)."""
    if len(i) == 0:
        return None
    order = np.lexsort((steps, i))
    i_s, s_s = i[order], steps[order]
    same = i_s[1:] == i_s[:-1]
    owner = i_s[1:][same]
    isi = (s_s[1:] - s_s[:-1])[same].astype(np.float64)
    n_isi = np.bincount(owner, minlength=n)
    ok = n_isi >= 2
    if not ok.any():
        return None
    mean = np.bincount(owner, weights=isi, minlength=n)[ok] / n_isi[ok]
    mean_full = np.zeros(n)
    mean_full[ok] = mean
    dev2 = np.bincount(owner, weights=(isi - mean_full[owner]) ** 2, minlength=n)[ok]
    return float(np.mean(np.sqrt(dev2 / n_isi[ok]) / mean))


def spike_steps(np, t_s, dt_s):
    return np.rint(np.asarray(t_s) / dt_s).astype(np.int64)


def network_stats(np, net, T, dt_s):
    mon, NE, NI = net['mon'], net['NE'], net['NI']
    N = NE + NI
    i = np.asarray(mon.i[:], dtype=np.int64)
    steps = spike_steps(np, mon.t_[:], dt_s)
    counts = np.bincount(i, minlength=N)
    outdeg = np.zeros(N, dtype=np.int64)
    n_syn = 0
    for S, offset in net['synapses']:
        pre = np.asarray(S.i[:], dtype=np.int64) + offset
        outdeg += np.bincount(pre, minlength=N)
        n_syn += len(pre)
    return dict(
        n_neurons=N,
        n_synapses=int(n_syn),
        spikes=int(len(i)),
        mean_rate_hz=float(len(i) / (N * T)),
        rate_exc_hz=float(counts[:NE].sum() / (NE * T)),
        rate_inh_hz=float(counts[NE:].sum() / (NI * T)),
        cv_isi_mean=cv_isi_mean(np, i, steps, N),
        silent_fraction=float(np.mean(counts == 0)),
        synaptic_events=int(np.dot(counts, outdeg)),
    ), steps


def brunel_extra(np, steps, T, dt_s, N):
    """Population count in 1 ms bins from t = 100 ms: CV and spectral peak."""
    steps_per_bin = int(round(1e-3 / dt_s))
    first = int(round(0.1 / dt_s)) // steps_per_bin
    n_bins = int(round(T / dt_s)) // steps_per_bin
    out = dict(external_events_expected=float(N * BRUNEL_C_E * BRUNEL_NU_EXT_HZ * T),
               pop_count_1ms_cv=None, pop_peak_freq_hz=None)
    if n_bins - first < 4:
        return out
    count = np.bincount(steps // steps_per_bin, minlength=n_bins)[first:n_bins].astype(float)
    if count.mean() > 0:
        out['pop_count_1ms_cv'] = float(count.std() / count.mean())
    power = np.abs(np.fft.rfft(count - count.mean())) ** 2
    freq = np.fft.rfftfreq(len(count), d=1e-3)
    band = freq > 5.0
    if band.any():
        out['pop_peak_freq_hz'] = float(freq[band][np.argmax(power[band])])
    return out


def stdp_stats(np, net, T, dt_s):
    mon, mon_in, S = net['mon'], net['mon_in'], net['syn']
    steps = spike_steps(np, mon.t_[:], dt_s)
    n_out = len(steps)
    n_in = int(mon_in.num_spikes)
    w = np.asarray(S.w[:], dtype=float)
    # np.histogram's last bin is closed, as MODELS.md §4 asks.
    hist, _ = np.histogram(w, bins=20, range=(0.0, STDP_WMAX))
    n_steps = int(round(T / dt_s))
    tenth = np.minimum(steps * 10 // n_steps, 9)
    tenths = np.bincount(tenth, minlength=10) / (T / 10)
    cv = cv_isi_mean(np, np.zeros(n_out, dtype=np.int64), steps, 1)
    rate_out = n_out / T
    return dict(
        n_neurons=STDP_N_IN + 1,
        n_synapses=int(len(w)),
        spikes=int(n_out),
        input_spikes=n_in,
        mean_rate_hz=float(rate_out),
        rate_exc_hz=None,
        rate_inh_hz=None,
        cv_isi_mean=cv,
        synaptic_events=int(n_in + n_out * len(w)),
        w_hist_20=[int(c) for c in hist],
        w_mean_over_wmax=float(w.mean() / STDP_WMAX),
        frac_low=float(np.mean(w < 0.1 * STDP_WMAX)),
        frac_high=float(np.mean(w > 0.9 * STDP_WMAX)),
        rate_out_hz=float(rate_out),
        rate_out_tenths_hz=[float(r) for r in tenths],
        rate_in_hz=float(n_in / (STDP_N_IN * T)),
    )


# ----------------------------------------------------------------------------

CPP_TIMER_FILE = 'spikeflow_run_wall_s.txt'
CPP_TIMER_START = '''
struct timespec _spikeflow_t0, _spikeflow_t1;
clock_gettime(CLOCK_MONOTONIC, &_spikeflow_t0);
'''
CPP_TIMER_STOP = '''
clock_gettime(CLOCK_MONOTONIC, &_spikeflow_t1);
{
    std::ofstream _spikeflow_out("results/%s");
    _spikeflow_out.precision(9);
    _spikeflow_out << (double)(_spikeflow_t1.tv_sec - _spikeflow_t0.tv_sec)
                      + 1e-9 * (double)(_spikeflow_t1.tv_nsec - _spikeflow_t0.tv_nsec) << std::endl;
}
''' % CPP_TIMER_FILE


def main(argv):
    t_proc = process_start_time()
    args = parse_args(argv)

    # Keep stdout for the JSON only: everything else (Brian2's console log,
    # make/g++ and the standalone binary, which inherit fd 1) goes to stderr.
    json_out = os.fdopen(os.dup(1), 'w')
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import numpy as np
    import brian2 as b2
    t_imported = time.time()

    b2.prefs['logging.file_log'] = False
    b2.prefs['logging.std_redirection'] = False
    b2.BrianLogger.log_level_warn()
    capture = MethodCapture()
    logging.getLogger('brian2').addHandler(capture)

    dt_s = 1e-4
    T = args.duration_s
    build_dir = None
    extra = {}
    if args.device == 'cpp_standalone':
        build_dir = os.path.abspath(args.build_dir or os.path.join(
            tempfile.gettempdir(), 'spikeflow-brian2-peers', args.model))
        extra['build_dir'] = build_dir
        extra['cpp_build_cold'] = not os.path.exists(os.path.join(build_dir, 'main'))
        b2.set_device('cpp_standalone', directory=build_dir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0
    else:
        b2.set_device('runtime')
        b2.prefs.codegen.target = args.device
    b2.defaultclock.dt = dt_s * b2.second
    b2.seed(args.seed)

    t_build0 = time.time()
    if args.model == 'cuba':
        net = build_cuba(b2)
    elif args.model == 'coba':
        net = build_coba(b2)
    elif args.model == 'brunel':
        net = build_brunel(b2, 2500)
    elif args.model == 'brunel-x4':
        net = build_brunel(b2, 10000)
    else:
        net = build_stdp(b2)
    network = b2.Network(*net['objects'])

    device = b2.get_device()
    if args.device == 'cpp_standalone':
        # Brian2's own loop timer in standalone mode is std::clock(), i.e. CPU
        # time; wrap Network::run in a monotonic wall-clock timer as well.
        device.insert_code('before_network_run', CPP_TIMER_START)
        device.insert_code('after_network_run', CPP_TIMER_STOP)
        network.run(T * b2.second)  # only records the run into main.cpp
        device.build(directory=build_dir, compile=True, run=False, with_output=False)
        t_built = time.time()
        device.run(build_dir, with_output=False, run_args=[])
        t_ran = time.time()
        with open(os.path.join(build_dir, 'results', CPP_TIMER_FILE)) as f:
            wall_run = float(f.read())
        extra['brian2_run_time_cpu_s'] = float(device._last_run_time)
        wall_build = t_built - t_build0
        extra['wall_binary_s'] = t_ran - t_built
        extra['wall_compile_s'] = float(sum(v for v in device.timers.get('compile', {}).values() if v))
        from brian2.codegen.cpp_prefs import get_compiler_and_args
        compiler, flags = get_compiler_and_args()
        extra['compiler_flags'] = list(device.extra_compile_args) + list(flags)
        extra['openmp_threads'] = int(b2.prefs.devices.cpp_standalone.openmp_threads)
    else:
        t_run0 = time.time()
        network.run(T * b2.second)
        t_ran = time.time()
        wall_run = float(device._last_run_time)
        wall_build = (t_ran - t_build0) - wall_run
        if args.device == 'cython':
            extra['compiler_flags'] = list(b2.prefs['codegen.cpp.extra_compile_args_gcc'])

    if args.model == 'stdp':
        stats = stdp_stats(np, net, T, dt_s)
    else:
        stats, steps = network_stats(np, net, T, dt_s)
        if args.model.startswith('brunel'):
            stats.update(brunel_extra(np, steps, T, dt_s, stats['n_neurons']))

    # The integrator Brian2 picked for the neuron group (the STDP synapses'
    # event-driven traces are integrated analytically at events).
    method = capture.methods.get(net['group'].name)
    result = dict(
        model=args.model,
        device=args.device,
        seed=args.seed,
        duration_s=T,
        dt_ms=dt_s * 1e3,
        **stats,
        wall_import_s=t_imported - t_proc,
        wall_build_s=wall_build,
        wall_run_s=wall_run,
        events_per_s=(stats['synaptic_events'] / wall_run) if wall_run > 0 else None,
        method=method,
        brian2_version=b2.__version__,
        numpy_version=np.__version__,
        python_version=sys.version.split()[0],
        **extra,
    )
    result['wall_total_s'] = time.time() - t_proc
    json_out.write(json.dumps(result, indent=None if args.json else 2) + '\n')
    json_out.flush()
    return 0


if __name__ == '__main__':
    code = main(sys.argv[1:])
    # Skip the interpreter teardown (~0.7 s of module/GC cleanup after
    # importing brian2/sympy) so that wall_total_s really ends at process end;
    # Brian2's own atexit clean-up (deleting its /tmp/brian_debug_*.log and
    # /tmp/brian_script_*.py copies) is run explicitly first.
    from brian2.utils.logger import clean_up_logging
    clean_up_logging()
    sys.stderr.flush()
    os._exit(code)
