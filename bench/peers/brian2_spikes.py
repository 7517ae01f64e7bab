#!/usr/bin/python3
"""Run a small, fully explicit network on Brian2 and print every spike.

Spike-for-spike reference for Spikeflow's tests. Reads ONE JSON network
description on stdin, runs it on Brian2's ``numpy`` runtime device and prints
ONE JSON object on stdout. Nothing is random unless the description asks for
it (e.g. ``rand()`` in an equation), so the output is exact and repeatable.

    /usr/bin/python3 bench/peers/brian2_spikes.py < net.json > spikes.json

Input format (all keys are optional unless marked *required*)
------------------------------------------------------------

Top level::

    dt_ms            *required* time step in ms (e.g. 0.1)
    duration_ms      *required* simulated time in ms (steps = round(duration/dt))
    seed             integer passed to brian2.seed() (default 0; only matters
                     if some code uses rand()/randn())
    constants        {name: value} visible to all code; value is a number
                     (dimensionless) or a string Brian2 unit expression such as
                     "20*ms", "-65*mV", "0.5*nS" (evaluated with Brian2's units)
    neuron_groups    list of neuron groups (below)
    spike_generators list of spike generator groups (below)
    synapses         list of synapse projections (below)

Neuron group (Brian2 ``NeuronGroup``)::

    name        *required* unique name, used in the output and as synapse
                source/target (any string; not used as a Brian2 identifier)
    n           *required* number of neurons
    equations   *required* Brian2 equations, one string (lines separated by
                "\\n") or a list of lines, e.g. "dv/dt = -v/tau : 1 (unless refractory)"
    threshold   spike condition, e.g. "v > 1" (default: none, never spikes)
    reset       reset code, e.g. "v = 0" (default: none)
    refractory_ms  refractory period in ms (default 0). With "(unless
                refractory)" in the equations the variable is clamped while
                refractory; a neuron is refractory in the steps s+1 .. s+R-1
                after a spike in step s, R = refractory_ms/dt_ms
    method      integration method, e.g. "exact", "euler", "rk4"
                (default: Brian2's choice among exact, euler, heun)
    constants   {name: value} like the top level; overrides it for this group
    init        {variable: value}; value is a number or a list of n numbers
                in SI base units (V, A, S, s, dimensionless: -65 mV is -0.065),
                or a string Brian2 expression ("-65*mV", "v_rest + i*mV").
                Unset variables start at 0.
    final       list of variable names whose values at the end of the run are
                reported (SI base units)

Spike generator group (Brian2 ``SpikeGeneratorGroup``)::

    name        *required*
    n           *required* number of sources
    i           *required* list of source indices (0 .. n-1)
    t_ms        *required* list of spike times in ms, same length as i. Use
                multiples of dt_ms: Brian2 emits a spike at time t in step
                floor(t/dt + 0.001); two spikes of one source in one step are
                an error.

Synapses (Brian2 ``Synapses`` with explicit connections)::

    name        *required*
    source      *required* name of a neuron group or spike generator
    target      *required* name of a neuron group
    i, j        *required* lists of presynaptic / postsynaptic indices (same
                length; one synapse per pair, repeats = multapses)
    model       Brian2 synapse equations (default "w : 1")
    w           shortcut for init.w: number or list (one per synapse)
    on_pre      code run on a presynaptic spike, e.g. "v_post += w*mV"
                (default none); postsynaptic variables need the _post suffix
                when the synapse model has a variable of the same name
    on_post     code run on a postsynaptic spike (default none), e.g. for STDP
    delay_ms    presynaptic delay, number or list (one per synapse); default
                0. A spike of step n is delivered in step n + round(delay/dt).
    constants, init, final   as for neuron groups (per synapse values)

Within a step Brian2's default order applies: state update, thresholds
(neurons spike, spike generators emit), synaptic propagation (on_pre before
on_post), resets. A zero-delay spike of step n is thus delivered in step n
after the target's threshold test, so it can make the target spike in step
n+1 at the earliest.

Refractoriness (Brian2 2.5.1 semantics, easy to get wrong): a variable whose
equation has the "(unless refractory)" flag is not integrated while the
neuron is refractory AND every write to it by other code (on_pre/on_post of
synapses, ...) is discarded while refractory, including in the spike step
itself (the threshold clears not_refractory before synapses run); only the
reset may write it. Variables without the flag (e.g. a synaptic current)
integrate and accept input as usual.

Output::

    {
      "groups": {name: {"i": [...], "t_ms": [...], "step": [...]}, ...},
      "final": {name: {variable: [...]}, ...},     # only objects with "final"
      "dt_ms": 0.1, "duration_ms": 20.0, "steps": 200, "brian2_version": "2.5.1"
    }

``groups`` has every neuron group and every spike generator. Spikes are in
Brian2's recording order: by step, then by neuron index. ``step`` is the
integer step n (t = n*dt), ``t_ms`` is n*dt_ms rounded to 1e-9 ms.

Errors (bad description, Brian2 rejecting an equation, ...) give exit code 2,
a message on stderr and ``{"error": "..."}`` on stdout; the message names the
object and the field.

Example (a generator drives one LIF neuron through delayed synapses)::

    {
      "dt_ms": 0.1, "duration_ms": 10,
      "constants": {"tau": "10*ms"},
      "spike_generators": [
        {"name": "src", "n": 2, "i": [0, 0, 0, 1, 1], "t_ms": [1.0, 3.0, 3.1, 7.0, 7.5]}
      ],
      "neuron_groups": [
        {"name": "lif", "n": 1,
         "equations": "dv/dt = -v/tau : 1 (unless refractory)",
         "threshold": "v > 1", "reset": "v = 0", "refractory_ms": 2,
         "method": "exact", "init": {"v": 0}, "final": ["v"]}
      ],
      "synapses": [
        {"name": "in", "source": "src", "target": "lif",
         "i": [0, 1], "j": [0, 0], "w": [1.5, 0.6], "delay_ms": [1.5, 0.5],
         "on_pre": "v_post += w"}
      ]
    }

gives ``"lif": {"i": [0, 0, 0], "t_ms": [2.6, 4.7, 8.1], ...}``: the arrival
at 2.5 ms (step 25) lifts v to 1.5 after the threshold test, so the neuron
spikes in the next step (2.6 ms, v = 1.5 e^-0.01 > 1); it is refractory in
steps 27..45, so the arrival at 4.5 ms is discarded and the one at 4.6 ms
(first free step) is kept and fires at 4.7 ms; the two 0.6 jumps arriving
at 7.5 and 8.0 ms sum to 0.6 e^-0.05 + 0.6 = 1.17 and fire at 8.1 ms.
``--self-test`` runs this example and checks exactly that.
"""

import json
import os
import re
import sys
import warnings

warnings.filterwarnings('ignore', category=FutureWarning)
warnings.filterwarnings('ignore', category=DeprecationWarning)


class DescriptionError(Exception):
    pass


def fail(msg):
    raise DescriptionError(msg)


def as_code(value, where):
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return '\n'.join(value)
    fail(f'{where}: expected a string or a list of strings')


def number(value, where, minimum=None, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f'{where}: expected a number, got {json.dumps(value)}')
    if integer and int(value) != value:
        fail(f'{where}: expected an integer, got {value}')
    if minimum is not None and value < minimum:
        fail(f'{where}: must be >= {minimum}, got {value}')
    return int(value) if integer else float(value)


def int_list(value, where, upper):
    if not isinstance(value, list):
        fail(f'{where}: expected a list of integers')
    out = [number(x, f'{where}[{k}]', 0, integer=True) for k, x in enumerate(value)]
    bad = [x for x in out if x >= upper]
    if bad:
        fail(f'{where}: index {bad[0]} out of range (size {upper})')
    return out


SELF_TEST = {
    'dt_ms': 0.1, 'duration_ms': 10,
    'constants': {'tau': '10*ms'},
    'spike_generators': [
        {'name': 'src', 'n': 2, 'i': [0, 0, 0, 1, 1], 't_ms': [1.0, 3.0, 3.1, 7.0, 7.5]}],
    'neuron_groups': [
        {'name': 'lif', 'n': 1, 'equations': 'dv/dt = -v/tau : 1 (unless refractory)',
         'threshold': 'v > 1', 'reset': 'v = 0', 'refractory_ms': 2, 'method': 'exact',
         'init': {'v': 0}, 'final': ['v']}],
    'synapses': [
        {'name': 'in', 'source': 'src', 'target': 'lif', 'i': [0, 1], 'j': [0, 0],
         'w': [1.5, 0.6], 'delay_ms': [1.5, 0.5], 'on_pre': 'v_post += w'}],
}
SELF_TEST_LIF_STEPS = [26, 47, 81]


# Brian2 object name (internal, always a valid identifier) -> description.
OBJECT_NAMES = {}


def brian_error_message(e):
    """One readable line for a Brian2 exception, naming the user's object."""
    where = getattr(e, 'spikeflow_where', None)
    # BrianObjectException wraps the real error (__cause__) with a creation
    # stack that means nothing to the caller.
    objname = getattr(e, '_brian_objname', None)
    while getattr(e, '_brian_objname', None) is not None and e.__cause__ is not None:
        e = e.__cause__
    if isinstance(e, KeyError) and e.args:
        text = str(e.args[0])
        msg = (f'unknown identifier {text!r} (not a variable of the group(s) or a constant)'
               if text.isidentifier() else f'KeyError: {text}')
    else:
        msg = f'{type(e).__name__}: {e}'
    for internal, desc in sorted(OBJECT_NAMES.items(), key=lambda kv: -len(kv[0])):
        msg = re.sub(r"'?\b%s\b'?" % re.escape(internal), desc, msg)
    if objname and not where:
        # Brian2 names sub-objects '<object>_pre', '<object>_spike_thresholder'...
        owner = objname.split('_')[0]
        where = OBJECT_NAMES.get(owner, objname)
    return f'{where}: {msg}' if where else msg


def main():
    if sys.argv[1:] not in ([], ['--self-test']):
        print(__doc__, file=sys.stderr)
        return 2
    json_out = os.fdopen(os.dup(1), 'w')
    sys.stdout.flush()
    os.dup2(2, 1)  # keep stdout for the JSON only
    sys.stdout = sys.stderr
    if sys.argv[1:] == ['--self-test']:
        out = run(SELF_TEST)
        got = out['groups']['lif']['step']
        ok = got == SELF_TEST_LIF_STEPS and out['groups']['src']['step'] == [10, 30, 31, 70, 75]
        json_out.write(json.dumps(out) + '\n')
        json_out.flush()
        print('self-test', 'passed' if ok else f'FAILED: lif steps {got}, expected '
              f'{SELF_TEST_LIF_STEPS}', file=sys.stderr)
        return 0 if ok else 1
    try:
        result = run(json.load(sys.stdin))
        code = 0
    except json.JSONDecodeError as e:
        result, code = {'error': f'input is not valid JSON: {e}'}, 2
    except DescriptionError as e:
        result, code = {'error': str(e)}, 2
    except Exception as e:  # Brian2 errors: equations, units, unknown names
        result, code = {'error': brian_error_message(e)}, 2
    if code:
        print(result['error'], file=sys.stderr)
    json_out.write(json.dumps(result) + '\n')
    json_out.flush()
    return code


def run(desc):
    import numpy as np
    import brian2 as b2

    b2.prefs['logging.file_log'] = False
    b2.prefs['logging.std_redirection'] = False
    b2.BrianLogger.log_level_warn()
    b2.set_device('runtime')
    b2.prefs.codegen.target = 'numpy'

    if not isinstance(desc, dict):
        fail('top level: expected a JSON object')
    known = {'dt_ms', 'duration_ms', 'seed', 'constants', 'neuron_groups',
             'spike_generators', 'synapses'}
    unknown = sorted(set(desc) - known)
    if unknown:
        fail(f'top level: unknown field {unknown[0]!r}')
    for key in ('dt_ms', 'duration_ms'):
        if key not in desc:
            fail(f'top level: missing required field {key!r}')
    dt_ms = number(desc['dt_ms'], 'dt_ms')
    if dt_ms <= 0:
        fail('dt_ms: must be > 0')
    duration_ms = number(desc['duration_ms'], 'duration_ms', 0)
    seed = number(desc.get('seed', 0), 'seed', 0, integer=True)

    units = {k: v for k, v in vars(b2).items()
             if isinstance(v, (b2.Quantity, float, int)) and not k.startswith('_')}

    def constants(obj, where):
        if not isinstance(obj, dict):
            fail(f'{where}.constants: expected an object {{name: value}}')
        out = {}
        for key, value in obj.items():
            w = f'{where}.constants.{key}'
            if not key.isidentifier():
                fail(f'{w}: not a valid identifier')
            if isinstance(value, str):
                try:
                    out[key] = eval(value, {'__builtins__': {}}, units)  # unit expression
                except Exception as e:
                    fail(f'{w}: cannot evaluate {value!r} ({e})')
            else:
                out[key] = number(value, w)
        return out

    global_ns = constants(desc.get('constants', {}), 'top level')

    b2.defaultclock.dt = dt_ms * b2.ms
    b2.seed(seed)

    def checked(where, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DescriptionError:
            raise
        except Exception as e:
            e.spikeflow_where = where
            raise

    def set_init(obj, init, n, where):
        if not isinstance(init, dict):
            fail(f'{where}.init: expected an object')
        for var, value in init.items():
            w = f'{where}.init.{var}'
            if var not in obj.variables:
                fail(f'{w}: no such variable')
            if isinstance(value, str):
                checked(w, setattr, obj, var, value)
            elif isinstance(value, list):
                if len(value) != n:
                    fail(f'{w}: expected {n} values, got {len(value)}')
                arr = np.array([number(x, f'{w}[{k}]') for k, x in enumerate(value)])
                checked(w, setattr, obj, var + '_', arr)
            else:
                checked(w, setattr, obj, var + '_', number(value, w))

    def final_vars(obj, var_names, where):
        if not isinstance(var_names, list):
            fail(f'{where}.final: expected a list of variable names')
        for var in var_names:
            if var not in obj.variables:
                fail(f'{where}.final: no such variable {var!r}')
        return var_names

    objects, spike_sources, neuron_groups, monitors, finals = [], {}, {}, {}, {}
    names = set()

    def new_name(entry, where):
        if not isinstance(entry, dict):
            fail(f'{where}: expected an object')
        name = entry.get('name')
        if not isinstance(name, str) or not name:
            fail(f'{where}.name: required, a non-empty string')
        if name in names:
            fail(f'{where}.name: duplicate name {name!r}')
        names.add(name)
        return name

    def listed(key):
        value = desc.get(key, [])
        if not isinstance(value, list):
            fail(f'{key}: expected a list')
        return value

    for k, g in enumerate(listed('neuron_groups')):
        name = new_name(g, f'neuron_groups[{k}]')
        where = f'neuron group {name!r}'
        allowed = {'name', 'n', 'equations', 'threshold', 'reset', 'refractory_ms',
                   'method', 'constants', 'init', 'final'}
        if set(g) - allowed:
            fail(f'{where}: unknown field {sorted(set(g) - allowed)[0]!r}')
        if 'equations' not in g:
            fail(f'{where}.equations: required')
        n = number(g.get('n'), f'{where}.n', 1, integer=True)
        ns = {**global_ns, **constants(g.get('constants', {}), where)}
        kwargs = dict(namespace=ns, name=f'ng{k}')
        for key in ('threshold', 'reset', 'method'):
            if g.get(key) is not None:
                kwargs[key] = as_code(g[key], f'{where}.{key}')
        refractory_ms = number(g.get('refractory_ms', 0), f'{where}.refractory_ms', 0)
        if refractory_ms > 0:
            kwargs['refractory'] = refractory_ms * b2.ms
        OBJECT_NAMES[f'ng{k}'] = where
        G = checked(where, b2.NeuronGroup, n,
                    as_code(g['equations'], f'{where}.equations'), **kwargs)
        set_init(G, g.get('init', {}), n, where)
        spike_sources[name] = G
        neuron_groups[name] = G
        objects.append(G)
        if g.get('final'):
            finals[name] = (G, final_vars(G, g['final'], where))

    for k, g in enumerate(listed('spike_generators')):
        name = new_name(g, f'spike_generators[{k}]')
        where = f'spike generator {name!r}'
        allowed = {'name', 'n', 'i', 't_ms'}
        if set(g) - allowed:
            fail(f'{where}: unknown field {sorted(set(g) - allowed)[0]!r}')
        n = number(g.get('n'), f'{where}.n', 1, integer=True)
        idx = int_list(g.get('i'), f'{where}.i', n)
        t = g.get('t_ms')
        if not isinstance(t, list) or len(t) != len(idx):
            fail(f'{where}.t_ms: expected a list of {len(idx)} times (one per entry of i)')
        t = [number(x, f'{where}.t_ms[{m}]', 0) for m, x in enumerate(t)]
        OBJECT_NAMES[f'sg{k}'] = where
        G = checked(where, b2.SpikeGeneratorGroup, n, np.array(idx, dtype=int),
                    np.array(t) * b2.ms, name=f'sg{k}')
        spike_sources[name] = G
        objects.append(G)

    for k, s in enumerate(listed('synapses')):
        name = new_name(s, f'synapses[{k}]')
        where = f'synapses {name!r}'
        allowed = {'name', 'source', 'target', 'i', 'j', 'model', 'w', 'on_pre', 'on_post',
                   'delay_ms', 'constants', 'init', 'final'}
        if set(s) - allowed:
            fail(f'{where}: unknown field {sorted(set(s) - allowed)[0]!r}')
        src = spike_sources.get(s.get('source'))
        if src is None:
            fail(f'{where}.source: no neuron group or spike generator named {s.get("source")!r}')
        tgt = neuron_groups.get(s.get('target'))
        if tgt is None:
            fail(f'{where}.target: no neuron group named {s.get("target")!r}')
        i = int_list(s.get('i'), f'{where}.i', len(src))
        j = int_list(s.get('j'), f'{where}.j', len(tgt))
        if len(i) != len(j):
            fail(f'{where}: i and j have different lengths ({len(i)} and {len(j)})')
        ns = {**global_ns, **constants(s.get('constants', {}), where)}
        kwargs = dict(namespace=ns, name=f'syn{k}')
        for key in ('on_pre', 'on_post'):
            if s.get(key) is not None:
                kwargs[key] = as_code(s[key], f'{where}.{key}')
        model = as_code(s.get('model', 'w : 1'), f'{where}.model')
        if 'on_pre' in kwargs and 'spike' not in src.events:
            fail(f'{where}.source: {OBJECT_NAMES[src.name]} has no threshold, '
                 f'so it cannot send spikes')
        if 'on_post' in kwargs and 'spike' not in tgt.events:
            fail(f'{where}.on_post: {OBJECT_NAMES[tgt.name]} has no threshold, '
                 f'so on_post never runs')
        OBJECT_NAMES[f'syn{k}'] = where
        S = checked(where, b2.Synapses, src, tgt, model, **kwargs)
        if i:
            checked(where, S.connect, i=np.array(i, dtype=int), j=np.array(j, dtype=int))
        n_syn = len(i)
        init = dict(s.get('init', {}))
        if 'w' in s:
            init['w'] = s['w']
        if n_syn:
            set_init(S, init, n_syn, where)
            delay = s.get('delay_ms', 0)
            if isinstance(delay, list):
                if len(delay) != n_syn:
                    fail(f'{where}.delay_ms: expected {n_syn} values, got {len(delay)}')
                d = np.array([number(x, f'{where}.delay_ms[{m}]', 0) for m, x in enumerate(delay)])
            else:
                d = number(delay, f'{where}.delay_ms', 0)
            if 'on_pre' in kwargs:
                checked(f'{where}.delay_ms', setattr, S.pre, 'delay', d * b2.ms)
            elif 'delay_ms' in s:
                fail(f'{where}.delay_ms: given without on_pre')
        if n_syn:  # Brian2 refuses to run a Synapses object without synapses
            objects.append(S)
        if s.get('final'):
            finals[name] = (S, final_vars(S, s['final'], where))

    for name, G in spike_sources.items():
        if 'spike' in G.events:  # a group without threshold never spikes
            mon = b2.SpikeMonitor(G, name=f'mon{G.name}')
            monitors[name] = mon
            objects.append(mon)
        else:
            monitors[name] = None

    net = b2.Network(*objects)
    # Errors here come wrapped with the name of the failing Brian2 object.
    net.run(duration_ms * b2.ms, namespace={})

    out = {'groups': {}}
    for name, mon in monitors.items():
        if mon is None:
            out['groups'][name] = {'i': [], 't_ms': [], 'step': []}
            continue
        steps = np.rint(np.asarray(mon.t_[:]) / (dt_ms * 1e-3)).astype(np.int64)
        out['groups'][name] = {
            'i': [int(x) for x in mon.i[:]],
            't_ms': [round(float(n) * dt_ms, 9) for n in steps],
            'step': [int(n) for n in steps],
        }
    if finals:
        out['final'] = {}
        for name, (obj, var_names) in finals.items():
            out['final'][name] = {
                var: [float(x) for x in np.atleast_1d(obj.variables[var].get_value())]
                for var in var_names}
    out.update(dt_ms=dt_ms, duration_ms=duration_ms,
               steps=int(round(duration_ms / dt_ms)), brian2_version=b2.__version__)
    return out


if __name__ == '__main__':
    sys.exit(main())
