"""dagnet's compiled numpy against the engines a user would pick instead, in one run.

Peers: plain numpy (``h = f(h @ W + b)`` per layer; batched ``matmul`` for ensembles),
PyTorch (CPU, float64, ``no_grad``), JAX (``jit``, float64, ``vmap`` over weight draws),
onnxruntime (a float64 ONNX graph of MatMul/Add/activation built here with ``onnx.helper``)
and sympy ``lambdify`` with ``cse`` (small networks only). Every peer is written from the
layer sizes and dagnet's weight order alone (``reference.layers``), not from dagnet's code.

Before timing, every peer's output is checked against dagnet's to 1e-10. Timings are the
minimum over interleaved rounds (each round calls every method once after a warm-up). The
table gives each peer's time divided by dagnet's: < 1 means the peer is faster.

Run by ``make bench`` (peers from the ``[bench]`` extra; a missing peer is reported as
"not installed"): ``python benchmarks/peers.py [--quick] [--out FILE] [--check]``;
``--only TEXT`` (workloads whose label contains TEXT), ``--peers a,b`` and ``--rounds N`` for
a quick comparison (no table written).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import reference as ref
from report import write_block

import dagnet

ACTS = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0)}
#: dagnet's own compile(backend="jax"), timed beside the hand-written JAX peer.
JAX_BACKEND = "dagnet jax backend"
#: dagnet's numpy backend without the fused kernels (compile(fused=False)), same run.
PLAIN_BACKEND = "dagnet fused=False"


@dataclass(frozen=True)
class Workload:
    """One row of the table: a network, its activation, points and weight draws."""

    sizes: tuple[int, ...]
    act: str
    points: int
    draws: int = 0  # 0: one weight vector; K: an ensemble of K draws
    grid: bool = False  # 2 inputs on a square grid of `points` points

    @property
    def label(self) -> str:
        net = "-".join(map(str, self.sizes)) + f" {self.act}"
        if self.draws:
            return f"ensemble {net} x {self.draws} draws @ {self.points:g}"
        side = int(round(self.points ** 0.5))
        return f"{net} @ {side}x{side} grid" if self.grid else f"{net} @ {self.points:g}"


WORKLOADS = (
    Workload((1, 100, 1), "tanh", 1_000_000),
    Workload((1, 11, 9, 1), "tanh", 100_000),
    Workload((1, 11, 9, 1), "tanh", 1_000_000),
    Workload((2, 16, 16, 3), "tanh", 1_000_000, grid=True),
    Workload((2, 256, 256, 256, 1), "relu", 100_000),
    Workload((784, 128, 10), "tanh", 10_000),
    Workload((1, 100, 1), "tanh", 100, draws=1000),
    Workload((1, 11, 9, 1), "tanh", 10_000, draws=49),
)
QUICK = (
    Workload((1, 11, 9, 1), "tanh", 10_000),
    Workload((2, 16, 16, 3), "tanh", 10_000, grid=True),
    Workload((1, 11, 9, 1), "tanh", 1_000, draws=49),
)
#: sympy's lambdify of the flattened output (with cse) only finishes for small networks.
SYMPY_MAX_WEIGHTS = 400


def inputs(wl: Workload, rng: np.random.Generator) -> np.ndarray:
    if wl.grid:
        side = int(round(wl.points ** 0.5))
        g = np.linspace(-1, 1, side)
        a, b = np.meshgrid(g, g)
        return np.column_stack([a.ravel(), b.ravel()])
    return rng.uniform(-6, 6, size=(wl.points, wl.sizes[0]))


def per_weights(make: Callable) -> Callable:
    """``make(W)`` remembered for the last weight array (a peer prepares its parameters once
    per workload, outside the timed calls, as a user of that engine would)."""
    last: dict = {}

    def get(W):
        if id(W) not in last:
            last.clear()
            last[id(W)] = make(W)
        return last[id(W)]
    return get


# -- the peers: each returns a function of (X, W) -> (points, outputs) or (K, points, outputs) --
def numpy_peer(wl: Workload) -> Callable:
    act = ACTS[wl.act]

    def run(X, W):
        h = X
        for Wl, b in ref.layers(list(wl.sizes), W):
            h = act(h @ Wl + (b[..., None, :] if W.ndim == 2 else b))
        return h
    return run


def torch_peer(wl: Workload) -> Callable:
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    act = {"tanh": torch.tanh, "relu": torch.relu}[wl.act]

    def prepare(W):
        return [(torch.from_numpy(Wl), torch.from_numpy(b[..., None, :] if W.ndim == 2 else b))
                for Wl, b in ref.layers(list(wl.sizes), W)]

    prepared = per_weights(prepare)

    def run(X, W):
        with torch.no_grad():
            h = torch.from_numpy(X)
            for Wl, b in prepared(W):
                if Wl.ndim == 2:
                    h = act(torch.addmm(b, h, Wl))
                else:  # K draws: batched products, X shared by every draw
                    h = act(torch.baddbmm(b, h.expand(Wl.shape[0], -1, -1), Wl))
            return h.numpy()
    return run


def jax_peer(wl: Workload) -> Callable:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    act = {"tanh": jnp.tanh, "relu": jax.nn.relu}[wl.act]

    def forward(X, params):
        h = X
        for Wl, b in params:
            h = act(h @ Wl + b)
        return h

    fn = jax.jit(jax.vmap(forward, in_axes=(None, 0)) if wl.draws else forward)

    params_of = per_weights(lambda W: [(jnp.asarray(a), jnp.asarray(b))
                                       for a, b in ref.layers(list(wl.sizes), W)])

    def run(X, W):
        Xj, params = jnp.asarray(X), params_of(W)
        return np.asarray(fn(Xj, params).block_until_ready())
    return run


def onnx_peer(wl: Workload) -> Callable:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    def model(W):
        nodes, inits, name = [], [], "X"
        for k, (Wl, b) in enumerate(ref.layers(list(wl.sizes), W)):
            if W.ndim == 2:
                b = b[:, None, :]
            inits += [numpy_helper.from_array(Wl, f"W{k}"), numpy_helper.from_array(b, f"b{k}")]
            nodes += [helper.make_node("MatMul", [name, f"W{k}"], [f"m{k}"]),
                      helper.make_node("Add", [f"m{k}", f"b{k}"], [f"v{k}"]),
                      helper.make_node({"tanh": "Tanh", "relu": "Relu"}[wl.act], [f"v{k}"],
                                       [f"y{k}"])]
            name = f"y{k}"
        graph = helper.make_graph(
            nodes, "mlp", [helper.make_tensor_value_info("X", TensorProto.DOUBLE, [None, None])],
            [helper.make_tensor_value_info(name, TensorProto.DOUBLE,
                                           [None] * (3 if W.ndim == 2 else 2))], inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        onnx.checker.check_model(m)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = os.cpu_count() or 1
        return ort.InferenceSession(m.SerializeToString(), opts,
                                    providers=["CPUExecutionProvider"])

    session = per_weights(model)

    def run(X, W):
        return session(W).run(None, {"X": X})[0]
    return run


def sympy_peer(wl: Workload) -> Callable | None:
    import sympy as sp

    net = dagnet.mlp(list(wl.sizes), wl.act)
    if net.n_weights > SYMPY_MAX_WEIGHTS:
        return None
    xs = sp.symbols(f"x1:{wl.sizes[0] + 1}")
    ws = sp.symbols(f"w0:{net.n_weights}")
    f = {"tanh": sp.tanh, "relu": lambda v: sp.Max(0, v)}[wl.act]
    h = list(xs)
    k = 0
    for n_in, n_out in zip(wl.sizes[:-1], wl.sizes[1:]):
        nxt = []
        for _ in range(n_out):
            v = ws[k] + sum(ws[k + 1 + i] * h[i] for i in range(n_in))
            nxt.append(f(v))
            k += n_in + 1
        h = nxt
    fn = sp.lambdify([xs, ws], h, modules="numpy", cse=True)

    def run(X, W):
        cols = list(X.T)
        if W.ndim == 1:
            out = fn(cols, list(W))
            return np.column_stack([np.broadcast_to(o, X.shape[:1]) for o in out])
        return np.stack([np.column_stack([np.broadcast_to(o, X.shape[:1])
                                          for o in fn(cols, list(w))]) for w in W])
    return run


PEERS: dict[str, Callable[[Workload], Callable | None]] = {
    "numpy plain": numpy_peer, "torch": torch_peer, "jax jit": jax_peer,
    "onnxruntime": onnx_peer, "sympy lambdify (cse)": sympy_peer,
}


def dagnet_fused() -> bool:
    from dagnet.compiled.fused import available
    return available()


def best_of(fn: Callable, rounds: int) -> float:
    fn()
    t = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return min(t)


def measure(wl: Workload, rounds: int, check_only: bool) -> dict[str, float | str]:
    rng = np.random.default_rng(0)
    net = dagnet.mlp(list(wl.sizes), wl.act)
    W = net.sample_weights(wl.draws or None, rng=1)
    X = inputs(wl, rng)
    f = net.compile()
    want = f(X, weights=W)
    calls: dict[str, Callable] = {"dagnet": lambda: f(X, weights=W)}
    result: dict[str, float | str] = {}
    if any(call in f.source for call in ("_fused(", "_bias_act(", "_chain(")):
        fp = net.compile(fused=False)
        err = float(np.max(np.abs(fp(X, weights=W) - want)))
        if not err <= 1e-10:
            raise SystemExit(f"dagnet fused=False disagrees on {wl.label}: {err:.2e}")
        calls[PLAIN_BACKEND] = lambda: fp(X, weights=W)
    else:
        result[PLAIN_BACKEND] = "no fused block" if dagnet_fused() else "numba not installed"
    try:
        fj = net.compile(backend="jax")
    except dagnet.DagnetError:  # JAX not installed
        result[JAX_BACKEND] = "not installed"
    else:
        err = float(np.max(np.abs(fj(X, weights=W) - want)))
        if not err <= 1e-10:
            raise SystemExit(f"dagnet's jax backend disagrees on {wl.label}: {err:.2e}")
        calls[JAX_BACKEND] = lambda: fj(X, weights=W)
    for name, make in PEERS.items():
        try:
            run = make(wl)
        except ImportError:
            result[name] = "not installed"
            continue
        if run is None:
            result[name] = "-"
            continue
        got = np.asarray(run(X, W)).reshape(want.shape)
        err = float(np.max(np.abs(got - want)))
        if not err <= 1e-10:
            raise SystemExit(f"{name} disagrees with dagnet on {wl.label}: max error {err:.2e}")
        calls[name] = (lambda run=run: run(X, W))
    if check_only:
        return {name: "agrees" for name in calls} | {k: v for k, v in result.items()}
    times = {name: [] for name in calls}
    for _ in range(rounds):  # interleaved: every method once per round
        for name, call in calls.items():
            times[name].append(best_of(call, 1))
    best = {name: min(t) for name, t in times.items()}
    result["dagnet"] = best["dagnet"]
    for name in calls:
        if name != "dagnet":
            result[name] = best[name]
    return result


def table(rows: list[tuple[Workload, dict]]) -> str:
    names = [*PEERS, JAX_BACKEND, PLAIN_BACKEND]
    head = ("| workload | dagnet ms | " + " | ".join(names) + " |\n|---|---|"
            + "---|" * len(names))
    lines = [head]
    for wl, r in rows:
        base = r["dagnet"]
        cells = []
        for n in names:
            v = r.get(n, "-")
            if isinstance(v, float):
                ratio = v / base
                mark = f"**{ratio:.2f}**" if ratio < 1 else f"{ratio:.2f}"
                cells.append(f"{mark} ({v * 1e3:.1f} ms)")
            else:
                cells.append(str(v))
        lines.append(f"| {wl.label} | {base * 1e3:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workloads, few rounds")
    parser.add_argument("--check", action="store_true", help="only check every peer agrees")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="only the workloads whose label contains TEXT (repeatable)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 7; 3 quick)")
    parser.add_argument("--peers", help="comma-separated peer names to time (default: all)")
    parser.add_argument("--out", help="put the table into this Markdown file (between its "
                                      "peers markers); make bench: benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    workloads = QUICK if (args.quick or args.check) else WORKLOADS
    if args.only:
        workloads = tuple(wl for wl in WORKLOADS + QUICK
                          if any(t in wl.label for t in args.only))
    rounds = args.rounds or (3 if args.quick else 7)
    if args.peers:
        keep = {p.strip() for p in args.peers.split(",")}
        for name in list(PEERS):
            if name not in keep:
                del PEERS[name]
    rows = []
    load = os.getloadavg()[0]
    for wl in workloads:
        r = measure(wl, rounds, args.check)
        rows.append((wl, r))
        print(f"{wl.label}: " + ", ".join(f"{k} {v if isinstance(v, str) else f'{v*1e3:.2f} ms'}"
                                          for k, v in r.items()), file=sys.stderr)
    if args.check or args.only or args.peers:  # a subset: no table written
        return 0
    text = ("### Peers (time of each peer / time of dagnet, same run; < 1: the peer is faster)"
            "\n\n" + table(rows) + f"\n\n{os.cpu_count()} cores; float64 everywhere; outputs "
            "checked against dagnet to 1e-10 before timing; minimum of "
            f"{rounds} interleaved rounds; load average {load:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end (the machine is shared: compare ratios, "
            "not milliseconds).")
    print(text)
    if args.out:
        write_block(args.out, "peers", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
