#!/usr/bin/python3
"""PyTorch peer of Spikeflow's surrogate-gradient trainer (snnTorch-style BPTT).

Reads a Spikeflow graph document with an `sg-trainer` (a chain: rate encoder
reading IDX files -> LIF (lif-curr-exp) layers -> readout), takes every
hyperparameter from it (sizes, time constants, thresholds, weight ranges,
surrogate and slope, batch size, learning rate, Adam), and trains the same
network the same way Spikeflow does (engine/learn/sg-network.ts):

  V[n]   = v_rest + (V'[n-1] - v_rest)*a + I_e[n-1]*c_e + I_i[n-1]*c_i
  s[n]   = H(V[n] - v_th)          (surrogate: d s/dV = sg((V - v_th)/theta)/theta)
  I_e[n] = I_e[n-1]*b_e + s_pre[n] @ W_exc,  I_i[n] = I_i[n-1]*b_i - s_pre[n] @ W_inh
  V'[n]  = V[n]*(1 - s[n]) + v_reset*s[n]   (the reset's gradient is kept)

loss: cross-entropy (batch mean) on the readout's spike counts (`count`) or on
its mean membrane potential mean_n (V[n] - v_rest)/theta, the readout not
spiking (`mean-v`); Adam with the document's schedule (constant or cosine); weights
clamped to >= 0 after every step (the receptor gives the sign). The encoder is
the rate encoder's `regular` mode (a phase accumulator per pixel, byte/255 *
max_rate). Weights are drawn uniform in the document's ranges with torch's
own generator, seeded by --seed (the bench gives run r the seed r + 1, as ours).

Data: the last --train images of the training file, and the first --test
images of the test file (the split Spikeflow's bench side uses too).

  /usr/bin/python3 bench/peers/torch_sg.py --doc FILE --train N --test M [--threads T] [--epochs E] [--seed S]

With --epochs E the cosine schedule runs over the E epochs, as Spikeflow's does.

Prints exactly one JSON object on stdout (the last line).
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time


def _threads_from_argv(argv):
    """--threads T (default 1), read before torch is imported: its OpenMP/MKL pools size themselves on import."""
    for i, a in enumerate(argv):
        if a == '--threads' and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith('--threads='):
            return a.split('=', 1)[1]
    return '1'


# Pin every thread pool torch (and numpy's BLAS) may start to --threads, before
# the import: torch.set_num_threads alone left a second core busy (CPU time
# twice the wall time at --threads 1). The bench sets the same in the child's env.
for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[_var] = _threads_from_argv(sys.argv[1:])

import numpy as np  # noqa: E402
import torch  # noqa: E402


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack('>HBB', data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f'{path}: not an unsigned-byte IDX file')
    shape = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def synaptic_factor(dt, tau_m, tau_s):
    """engine/sim/lif-curr-exp.ts synapticFactor: the exact factor of I[n-1] in V[n]."""
    if abs(tau_m - tau_s) < 1e-12:
        return dt / tau_m * math.exp(-dt / tau_m)
    return tau_s / (tau_s - tau_m) * (math.exp(-dt / tau_s) - math.exp(-dt / tau_m))


class Spike(torch.autograd.Function):
    """Heaviside forward; fast-sigmoid or arctan derivative backward (engine/learn/surrogate.ts)."""

    kind = 'fast-sigmoid'
    slope = 5.0

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        k = Spike.slope
        if Spike.kind == 'fast-sigmoid':
            d = 1 + k * x.abs()
            return g * (0.5 * k) / (d * d)
        y = (math.pi / 2) * k * x
        return g * (0.5 * k) / (1 + y * y)


def load_network(doc):
    nodes = {n['id']: n for n in doc['nodes']}
    edges = doc['edges']
    trainer = next(n for n in doc['nodes'] if n['kind'] == 'sg-trainer')
    readout = next(e['source']['node'] for e in edges if e['target']['node'] == trainer['id'])
    encoder = next(n for n in doc['nodes'] if n['kind'] == 'rate-encoder')
    # The chain from the encoder to the readout.
    chain = [encoder['id']]
    while chain[-1] != readout:
        nxt = [e['target']['node'] for e in edges if e['source']['node'] == chain[-1] and nodes[e['target']['node']]['kind'] == 'lif-curr-exp']
        if not nxt:
            raise SystemExit(f'no LIF layer after "{chain[-1]}"')
        chain.append(nxt[0])
    return nodes, edges, trainer, encoder, chain


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--doc', required=True)
    ap.add_argument('--train', type=int, required=True)
    ap.add_argument('--test', type=int, required=True)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--epochs', type=int, default=1)
    ap.add_argument('--seed', type=int, default=None, help='torch.manual_seed (initial weights, batch order); absent: unseeded')
    args = ap.parse_args()
    if args.seed is not None:
        torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (only once per process)

    with open(args.doc) as f:
        doc = json.load(f)
    nodes, edges, trainer, encoder, chain = load_network(doc)
    dt = doc['simulation']['dt_ms']
    tp = trainer['params']
    loss_kind = tp['loss']
    if loss_kind not in ('count', 'mean-v') or tp.get('optimizer', 'adam') != 'adam':
        raise SystemExit('the peer implements the count and mean-v losses with Adam')
    if tp.get('lr_schedule', 'constant') not in ('constant', 'cosine'):
        raise SystemExit('the peer implements the constant and cosine schedules')
    Spike.kind = tp['surrogate']
    Spike.slope = float(tp['slope'])
    ep = encoder['params']
    if ep['mode'] != 'regular':
        raise SystemExit('the peer implements the regular rate code')
    T = int(round(ep['presentation_ms'] / dt))
    p_max = min(1.0, ep['max_rate_hz'] * dt / 1000)

    t_build = time.perf_counter()
    x_train = read_idx(ep['file'])
    y_train = read_idx(ep['labels_file'])
    x_test = read_idx(ep['test_file'])
    y_test = read_idx(ep['test_labels_file'])
    n_tr = min(args.train, len(x_train))
    x_train = x_train[len(x_train) - n_tr:]
    y_train = y_train[len(y_train) - n_tr:]
    x_test = x_test[:args.test]
    y_test = y_test[:args.test]

    def encode(x):
        """[samples, T, pixels] uint8 spikes of the regular rate code (engine/sim/encoders.ts RateTrains)."""
        p = np.minimum(1.0, x.reshape(len(x), -1).astype(np.float64) / 255.0 * p_max)
        out = np.zeros((len(x), T, p.shape[1]), dtype=np.uint8)
        phase = np.zeros_like(p)
        for n in range(T):
            y = phase + p
            fire = y >= 1 - 1e-9
            out[:, n] = fire
            phase = np.where(fire, y - 1, y)
        return torch.from_numpy(out)

    s_train = encode(x_train)
    s_test = encode(x_test)
    labels_train = torch.from_numpy(y_train.astype(np.int64))
    labels_test = torch.from_numpy(y_test.astype(np.int64))

    layers = []
    for pre, post in zip(chain[:-1], chain[1:]):
        q = nodes[post]['params']
        n_pre = nodes[pre]['params']['size'] if pre != encoder['id'] else s_train.shape[2]
        n_post = q['size']
        highs = {}
        for e in edges:
            if e['source']['node'] == pre and e['target']['node'] == post:
                w = e['params']['weight']
                if e['params']['rule'] != 'all-to-all' or w.get('dist') != 'uniform' or e['params'].get('delay_ms', 0) != 0:
                    raise SystemExit(f'wire "{e["id"]}": the peer implements all-to-all wires without delay, uniform weights')
                highs[e['params']['receptor']] = (w['low'], w['high'])
        tm, te, ti = q['tau_m_ms'], q['tau_syn_exc_ms'], q['tau_syn_inh_ms']
        layers.append({
            'a': math.exp(-dt / tm), 'be': math.exp(-dt / te), 'bi': math.exp(-dt / ti),
            'ce': synaptic_factor(dt, tm, te), 'ci': synaptic_factor(dt, tm, ti),
            'vr': q['v_rest_mv'], 'vreset': q['v_reset_mv'], 'vth': q['v_th_mv'], 'vinit': q['v_init_mv'],
            'n': n_post,
            'we': torch.nn.Parameter(highs['exc'][0] + (highs['exc'][1] - highs['exc'][0]) * torch.rand(n_pre, n_post)),
            'wi': torch.nn.Parameter(highs['inh'][0] + (highs['inh'][1] - highs['inh'][0]) * torch.rand(n_pre, n_post)),
        })
        if q.get('t_ref_ms', 0) != 0:
            raise SystemExit(f'"{post}": the peer implements t_ref_ms = 0')
    params = [p for L in layers for p in (L['we'], L['wi'])]
    lr = tp['learning_rate']
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    build_s = time.perf_counter() - t_build

    mean_v = loss_kind == 'mean-v'

    def forward(spikes):
        """spikes [B, T, in] -> the readout's logits [B, C]: spike counts, or mean (V - v_rest)/theta of a readout that does not spike."""
        B = spikes.shape[0]
        x_in = spikes.to(torch.float32)
        st = [{'v': torch.full((B, L['n']), float(L['vinit'])), 'ie': torch.zeros(B, L['n']), 'ii': torch.zeros(B, L['n'])} for L in layers]
        out = torch.zeros(B, layers[-1]['n'])
        last = len(layers) - 1
        for n in range(T):
            pre = x_in[:, n]
            for k, (L, S) in enumerate(zip(layers, st)):
                v = L['vr'] + (S['v'] - L['vr']) * L['a'] + S['ie'] * L['ce'] + S['ii'] * L['ci']
                theta = L['vth'] - L['vr']
                S['ie'] = S['ie'] * L['be'] + pre @ L['we']
                S['ii'] = S['ii'] * L['bi'] - pre @ L['wi']
                if k == last and mean_v:
                    S['v'] = v
                    out = out + (v - L['vr']) / (theta * T)
                    break
                s = Spike.apply((v - L['vth']) / theta)
                S['v'] = v * (1 - s) + L['vreset'] * s
                pre = s
            else:
                out = out + pre
        return out

    batch = tp['batch_size']
    epochs = args.epochs
    train_s = 0.0
    train_cpu_s = 0.0
    correct = 0
    seen = 0
    for epoch in range(epochs):
        # The training accuracy of the last epoch, as Spikeflow's trainer reports it.
        correct = 0
        seen = 0
        for g in opt.param_groups:
            g['lr'] = lr * 0.5 * (1 + math.cos(math.pi * epoch / max(1, epochs))) if tp.get('lr_schedule') == 'cosine' else lr
        t0 = time.perf_counter()
        c0 = time.process_time()
        order = torch.randperm(n_tr)
        for b in range(0, n_tr, batch):
            idx = order[b:b + batch]
            logits = forward(s_train[idx])
            loss = torch.nn.functional.cross_entropy(logits, labels_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                for p in params:
                    p.clamp_(min=0)
            correct += int((logits.argmax(1) == labels_train[idx]).sum())
            seen += len(idx)
        train_s += time.perf_counter() - t0
        train_cpu_s += time.process_time() - c0

    t0 = time.perf_counter()
    right = 0
    with torch.no_grad():
        for b in range(0, len(s_test), 256):
            right += int((forward(s_test[b:b + 256]).argmax(1) == labels_test[b:b + 256]).sum())
    test_s = time.perf_counter() - t0
    print(json.dumps({
        'peer': 'pytorch',
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'interop_threads': torch.get_num_interop_threads(),
        'omp_num_threads': int(os.environ['OMP_NUM_THREADS']),
        'train_samples': n_tr,
        'epochs': epochs,
        'build_s': build_s,
        'train_s': train_s,
        'train_cpu_s': train_cpu_s,
        'test_samples': len(s_test),
        'test_s': test_s,
        'train_accuracy': correct / max(1, seen),
        'test_accuracy': right / max(1, len(s_test)),
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
