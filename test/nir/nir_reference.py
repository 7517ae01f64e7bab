"""The NIR reference package's side of test/nir-reference.test.ts.

  write DIR          writes reference graphs with nir.write: DIR/<name>.nir plus
                     DIR/<name>.json, the written graph described as JSON (describe below),
                     and DIR/bad-float16.nir (a LIF whose r is float16).
  check FILE JSON [any-order]
                     loads FILE with nir.read (type checking on) and asserts that the graph
                     equals the description in JSON: node names and order (with any-order:
                     node names only), types, every array's dtype, shape and values, edges,
                     metadata. Prints "OK".
  check-all MANIFEST the same for each [FILE, JSON, order] in the JSON list MANIFEST (one
                     Python start for many files); prints a JSON object FILE -> "OK" or
                     the assertion's message.

Run with PYTHONPATH=../shared/oracles/nir /usr/bin/python3.
"""
import json
import shutil
import sys

import h5py

import numpy as np

import nir


def describe_value(v):
    if isinstance(v, bytes):
        return v.decode("utf8")
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return {"group": {str(k): describe_value(x) for k, x in v.items()}}
    if isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, (str, bytes)) for x in v):
        return [describe_value(x) for x in v]
    a = np.asarray(v)
    if a.dtype.kind in "OSU":
        return [describe_value(x) for x in a.ravel().tolist()]
    dtype = "int8" if a.dtype == np.bool_ else a.dtype.name
    return {"tensor": {"dtype": dtype, "shape": list(a.shape), "data": a.ravel().tolist()}}


def describe(d):
    """A node's to_dict() as JSON: what nir.write writes and nir.read hands back."""
    t = d["type"]
    meta = describe_value(d.get("metadata") or {})
    if t == "NIRGraph":
        return {
            "type": t,
            "nodes": [[k, describe(n)] for k, n in d["nodes"].items()],
            "edges": [[describe_value(a), describe_value(b)] for a, b in d["edges"]],
            "metadata": meta,
        }
    params = {k: describe_value(v) for k, v in d.items() if k not in ("type", "metadata")}
    return {"type": t, "params": params, "metadata": meta}


def f64(*xs):
    return np.array(xs, dtype=np.float64)


def chain(*named, metadata=None):
    nodes = dict(named)
    names = [k for k, _ in named]
    edges = [(names[i], names[i + 1]) for i in range(len(names) - 1)]
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=metadata or {})


def io(n):
    shape = np.array(n if isinstance(n, (list, tuple)) else [n])
    return nir.Input(input_type=shape), nir.Output(output_type=shape)


def graphs():
    i3, o3 = io(3)
    yield "lif", chain(("input", i3), ("lif", nir.LIF(
        tau=f64(0.01, 0.02, 0.0025), r=f64(1.0, 2.0, 0.5), v_leak=f64(0.0, -0.1, 0.1),
        v_threshold=f64(1.0, 1.5, 0.8), v_reset=f64(0.0, 0.1, -0.2))), ("output", o3))
    i3, o3 = io(3)
    yield "cubalif", chain(("input", i3), ("cubalif", nir.CubaLIF(
        tau_syn=f64(0.005, 0.006, 0.007), tau_mem=f64(0.02, 0.02, 0.03), r=f64(1.0, 1.0, 2.0),
        v_leak=f64(0.0, 0.0, 0.0), v_threshold=f64(1.0, 0.9, 1.1), v_reset=f64(0.0, 0.0, 0.5),
        w_in=f64(1.0, 2.0, 0.5))), ("output", o3), metadata={"dt": 1e-4, "source": "nir_reference.py"})
    i2, o2 = io(2)
    yield "if", chain(("input", i2), ("if", nir.IF(r=f64(1.0, 3.0), v_threshold=f64(1.0, 2.0))), ("output", o2))
    i2, o2 = io(2)
    yield "li", chain(("input", i2), ("li", nir.LI(tau=f64(0.01, 0.05), r=f64(1.0, 1.0), v_leak=f64(0.0, 0.2))), ("output", o2))
    i3, _ = io(3)
    _, o2 = io(2)
    yield "affine", chain(("input", i3), ("affine", nir.Affine(
        weight=np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]]), bias=f64(0.25, -0.75))), ("output", o2))
    i3, _ = io(3)
    _, o4 = io(4)
    yield "linear", chain(("input", i3), ("linear", nir.Linear(
        weight=np.arange(12, dtype=np.float32).reshape(4, 3) / 8)), ("output", o4))
    i3, o3 = io(3)
    yield "delay", chain(("input", i3), ("delay", nir.Delay(delay=f64(0.001, 0.002, 0.0))), ("output", o3))

    i2, _ = io(2)
    _, o3 = io(3)
    yield "recurrent", nir.NIRGraph(
        nodes={
            "input": i2,
            "w_in": nir.Linear(weight=np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])),
            "lif": nir.CubaLIF(tau_syn=f64(0.01, 0.01, 0.01), tau_mem=f64(0.02, 0.02, 0.02), r=f64(1, 1, 1),
                               v_leak=f64(0, 0, 0), v_threshold=f64(1, 1, 1), w_in=f64(1, 1, 1)),
            "w_rec": nir.Linear(weight=np.array([[0.0, -0.5, 0.1], [0.2, 0.0, 0.3], [-0.4, 0.6, 0.0]])),
            "output": o3,
        },
        edges=[("input", "w_in"), ("w_in", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
        metadata={"dt": 1e-4},
    )

    si3, so3 = io(3)
    sub = chain(("input", si3), ("lif", nir.LIF(tau=f64(0.02, 0.02, 0.02), r=f64(1, 1, 1), v_leak=f64(0, 0, 0),
                                                 v_threshold=f64(1, 1, 1))), ("output", so3))
    i2, _ = io(2)
    _, o3 = io(3)
    yield "nested", chain(("input", i2), ("affine", nir.Affine(weight=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                                                               bias=f64(0.0, 0.1, 0.2))), ("sub", sub), ("output", o3))

    rng = np.random.default_rng(1)
    ic, _ = io([1, 4, 4])
    _, o3 = io(3)
    yield "conv", chain(
        ("input", ic),
        ("conv", nir.Conv2d(input_shape=(4, 4), weight=rng.normal(size=(2, 1, 3, 3)), stride=1, padding=1,
                            dilation=1, groups=1, bias=f64(0.1, -0.1))),
        ("pool", nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0]))),
        ("flatten", nir.Flatten(input_type=None, start_dim=0, end_dim=-1)),
        ("affine", nir.Affine(weight=rng.normal(size=(3, 8)), bias=f64(0, 0, 0))),
        ("output", o3),
    )

    i3, o3 = io(3)
    yield "uniform-cubalif", nir.NIRGraph(
        nodes={
            "input": i3,
            "w_in": nir.Linear(weight=np.full((3, 3), 0.5)),
            "lif": nir.CubaLIF(tau_syn=np.full(3, 0.005), tau_mem=np.full(3, 0.01), r=np.full(3, 2.0),
                               v_leak=np.zeros(3), v_threshold=np.ones(3), w_in=np.full(3, 1.5)),
            "w_rec": nir.Linear(weight=-0.25 * np.eye(3)),
            "output": o3,
        },
        edges=[("input", "w_in"), ("w_in", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
        metadata={"dt": 1e-4},
    )
    i2, o2 = io(2)
    yield "cubali-i", chain(("input", i2), ("cubali", nir.CubaLI(tau_syn=f64(0.005, 0.01), tau_mem=f64(0.02, 0.04),
                                                                 r=f64(1, 2), v_leak=f64(0, 0))),
                            ("i", nir.I(r=f64(1.0, 0.5))), ("output", o2))
    i3, o3 = io(3)
    yield "scale-threshold", chain(("input", i3), ("scale", nir.Scale(scale=f64(2, -1, 0.5))),
                                   ("threshold", nir.Threshold(threshold=f64(0.5, 0.5, 1.0))), ("output", o3))
    i1d, _ = io([2, 5])
    _, o1d = io([3, 2])
    yield "conv1d", chain(("input", i1d), ("conv", nir.Conv1d(input_shape=5, weight=np.ones((3, 2, 2)), stride=2,
                                                              padding=0, dilation=1, groups=1, bias=f64(0, 1, 2))),
                          ("output", o1d))
    ip, _ = io([1, 4, 4])
    _, op = io([1, 2, 2])
    yield "avgpool", chain(("input", ip), ("pool", nir.AvgPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]),
                                                                 padding=np.array([0, 0]))), ("output", op))


ANY_ORDER = False


def same(a, b, where):
    """Asserts that two descriptions are equal; numbers exactly, float32 as float32."""
    if isinstance(a, dict) and "tensor" in a:
        assert isinstance(b, dict) and "tensor" in b, f"{where}: expected an array, got {b!r}"
        ta, tb = a["tensor"], b["tensor"]
        assert ta["dtype"] == tb["dtype"], f"{where}: dtype {tb['dtype']} != expected {ta['dtype']}"
        assert ta["shape"] == tb["shape"], f"{where}: shape {tb['shape']} != expected {ta['shape']}"
        assert np.array_equal(np.array(ta["data"], dtype=ta["dtype"]), np.array(tb["data"], dtype=tb["dtype"])), \
            f"{where}: values {tb['data']} != expected {ta['data']}"
    elif isinstance(a, dict):
        assert isinstance(b, dict), f"{where}: expected {a!r}, got {b!r}"
        assert list(a.keys()) == list(b.keys()) or sorted(a.keys()) == sorted(b.keys()), \
            f"{where}: keys {sorted(b.keys())} != expected {sorted(a.keys())}"
        for k in a:
            same(a[k], b[k], f"{where}/{k}")
    elif isinstance(a, list) and a and isinstance(a[0], list) and len(a[0]) == 2 and isinstance(a[0][1], dict):
        if ANY_ORDER:
            a, b = sorted(a), sorted(b)
        assert [k for k, _ in a] == [k for k, _ in b], f"{where}: nodes {[k for k, _ in b]} != expected {[k for k, _ in a]}"
        for (k, x), (_, y) in zip(a, b):
            same(x, y, f"{where}/{k}")
    else:
        assert a == b, f"{where}: {b!r} != expected {a!r}"


def check(file, expected_json, any_order):
    global ANY_ORDER
    ANY_ORDER = any_order
    g = nir.read(file)
    with open(expected_json) as f:
        expected = json.load(f)
    same(expected, describe(g.to_dict()), "node")


def main():
    cmd = sys.argv[1]
    if cmd == "write":
        out = sys.argv[2]
        for name, g in graphs():
            nir.write(f"{out}/{name}.nir", g)
            with open(f"{out}/{name}.json", "w") as f:
                json.dump(describe(g.to_dict()), f)
        # A LIF whose r is float16: h5py writes it, h5wasm cannot decode it.
        shutil.copy(f"{out}/lif.nir", f"{out}/bad-float16.nir")
        with h5py.File(f"{out}/bad-float16.nir", "a") as f:
            del f["node/nodes/lif/r"]
            f["node/nodes/lif/r"] = np.ones(3, dtype=np.float16)
        print("OK")
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "any-order")
        print("OK")
    elif cmd == "check-all":
        with open(sys.argv[2]) as f:
            manifest = json.load(f)
        results = {}
        for file, expected_json, order in manifest:
            try:
                check(file, expected_json, order == "any-order")
                results[file] = "OK"
            except Exception as e:  # report every file, not just the first failure
                results[file] = f"{type(e).__name__}: {e}"
        print(json.dumps(results))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
