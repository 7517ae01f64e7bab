"""The discrete side of test/nir-discrete.test.ts: runs a NIR graph Input → Linear → CubaLIF | LIF | IF
→ Output (read with nir.read) under given input spikes with the reference discrete
implementation, ../shared/oracles/nir-discrete/nir_reference_impl.py (forward Euler, reset by
subtracting the threshold). LIF and IF have no class there; LIFImplementation and IFImplementation below apply the
same scheme to their equations (v sees the input of its own step, as CubaLIF's I does).

  stdin: {"file": F, "dt": dt in the file's time unit, "steps": n, "input": [[step, channel], ...]}
  stdout: [[neuron, step], ...] the spikes, in step order

Run with PYTHONPATH=../shared/oracles/nir:../shared/oracles/nir-discrete /usr/bin/python3.
"""
import json
import sys

import numpy as np

import nir
from nir_reference_impl import CubaLIFImplementation


class LIFImplementation(object):
    """Forward Euler for nir.LIF in the style of CubaLIFImplementation."""

    def __init__(self, dt, node):
        self.dt = dt
        self.node = node
        self.v = np.zeros_like(node.v_threshold)

    def forward(self, x):
        self.v = self.v + (self.dt / self.node.tau) * (self.node.v_leak - self.v + self.node.r * x)
        z = self.v > self.node.v_threshold
        self.v -= z * self.node.v_threshold
        return z, self.v


class IFImplementation(object):
    """Forward Euler for nir.IF (dv/dt = r·I, no leak) in the same style: v += dt·r·x, threshold, subtract."""

    def __init__(self, dt, node):
        self.dt = dt
        self.node = node
        self.v = np.zeros_like(node.v_threshold)

    def forward(self, x):
        self.v = self.v + self.dt * self.node.r * x
        z = self.v > self.node.v_threshold
        self.v -= z * self.node.v_threshold
        return z, self.v


def main():
    job = json.load(sys.stdin)
    g = nir.read(job["file"])
    weight = next(n for n in g.nodes.values() if isinstance(n, nir.Linear)).weight
    neuron = next(n for n in g.nodes.values() if isinstance(n, (nir.CubaLIF, nir.LIF, nir.IF)))
    if isinstance(neuron, nir.CubaLIF):
        model = CubaLIFImplementation(job["dt"], neuron)
    elif isinstance(neuron, nir.IF):
        model = IFImplementation(job["dt"], neuron)
    else:
        model = LIFImplementation(job["dt"], neuron)
    spikes_in = np.zeros((job["steps"], weight.shape[1]))
    for step, ch in job["input"]:
        spikes_in[step, ch] = 1
    out = []
    for t in range(job["steps"]):
        z = model.forward(weight @ spikes_in[t])[0]
        out.extend([int(k), t] for k in np.nonzero(z)[0])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
