"""Random valid networks and two independent references, for differential tests.

- ``random_dag(seed, ...)``: an arbitrary DAG built through the explicit node API:
  generations of sums fed by random subsets of earlier values (through weights,
  or directly), optional activations of every registered kind, hidden
  pass-through nodes, skip connections, several outputs, optional output nodes.
- ``networks()`` / ``mlps()``: hypothesis strategies over those and over ``dagnet.mlp``.
- ``reference_forward(net, X, w)``: a plain node-by-node numpy interpreter that
  shares no code with ``dagnet.numeric`` (its activations are written out here).
- ``sympy_forward(net, x, w)``: sympy's own evaluation of ``net.expression``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import strategies as st

import dagnet

BUILTIN = ("identity", "logistic", "tanh", "relu")

#: Independent numpy forms of the built-in activations (not the registry's).
REFERENCE_ACTIVATIONS = {
    "identity": lambda v: v,
    "logistic": lambda v: 1.0 / (1.0 + np.exp(-v)),
    "tanh": np.tanh,
    "relu": lambda v: np.where(v <= 0, 0.0, v),  # NaN stays NaN, as numpy.maximum keeps it
}


def random_dag(seed: int, *, max_inputs: int = 3, max_layers: int = 4, max_width: int = 4,
               activations: tuple = BUILTIN, weights: bool = True) -> dagnet.Network:
    """A random valid network (any DAG, not only layers), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    net = dagnet.Network()
    inputs = [net.add_input(i, 1) for i in range(1, int(rng.integers(1, max_inputs + 1)) + 1)]
    values = list(inputs)
    unused = set(inputs)
    for L in range(1, int(rng.integers(1, max_layers + 1)) + 1):
        bias = net.add_bias(L) if rng.random() < 0.85 else None
        pass_index = 100
        width = int(rng.integers(1, max_width + 1))
        new = []
        for j in range(width):
            v = net.add_sum(j, L)
            k = int(rng.integers(1, len(values) + 1))
            chosen = list(rng.choice(len(values), size=k, replace=False))
            if j == width - 1:  # make sure every value is used somewhere
                chosen += [values.index(u) for u in sorted(unused) if values.index(u) not in chosen]
            sources = ([bias] if bias is not None and (j == 0 or rng.random() < 0.7) else [])
            sources += [values[c] for c in chosen]
            for i, src in enumerate(sources):
                unused.discard(src)
                layer_of = net.graph.nodes[src]["layer"]
                if L > 1 and layer_of < L and src not in inputs and rng.random() < 0.3:
                    src = net.add_input(pass_index, L, source=src)  # a hidden pass-through
                    pass_index += 1
                if rng.random() < 0.12 and net.graph.nodes[src]["kind"] != "bias":
                    net.connect(src, v)  # a direct input: coefficient 1, no weight box
                else:
                    value = float(rng.uniform(-1.5, 1.5)) if weights else None
                    net.add_weight(src, v, value=value, i=i)
            act = rng.choice([*activations, None])
            new.append(net.add_activation(v, str(act)) if act is not None else v)
        values += new
        unused.update(new)
    if rng.random() < 0.3:
        sinks = [n for n in net.graph if net.graph.out_degree(n) == 0]
        for k, s in enumerate(sorted(sinks)):
            net.add_output(s, index=k)
    net.validate()
    return net


def networks(**kwargs) -> st.SearchStrategy[dagnet.Network]:
    """Hypothesis strategy of random DAG networks (see :func:`random_dag`)."""
    return st.integers(0, 2**32 - 1).map(lambda s: random_dag(s, **kwargs))


def mlps(max_layers: int = 3, max_width: int = 5) -> st.SearchStrategy[dagnet.Network]:
    """Hypothesis strategy of fully connected networks with random per-layer activations."""
    @st.composite
    def build(draw):
        sizes = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers + 1))
        acts = draw(st.lists(st.sampled_from([*BUILTIN, None]),
                             min_size=len(sizes) - 1, max_size=len(sizes) - 1))
        seed = draw(st.integers(0, 2**32 - 1))
        return dagnet.mlp(sizes, acts, rng=seed)
    return build()


def reference_forward(net: dagnet.Network, X: np.ndarray, w: np.ndarray | None = None):
    """Evaluate ``net`` node by node with plain numpy; shape (n_points, n_outputs)."""
    G = net.graph
    X = np.asarray(X, dtype=float)
    w = net.weights if w is None else np.asarray(w, dtype=float)
    wv = dict(zip(net.weight_nodes, w))
    col = {n: k for k, n in enumerate(net.inputs)}
    val: dict = {}
    with np.errstate(over="ignore"):
        for n in net.validate().order:
            attrs = G.nodes[n]
            preds = list(G.predecessors(n))
            kind = attrs["kind"]
            if kind == "bias":
                val[n] = np.ones(len(X))
            elif kind == "input" and not preds:
                val[n] = X[:, col[n]]
            elif kind == "weight":
                val[n] = val[preds[0]] * wv[n]
            elif kind == "sum":
                total = np.zeros(len(X))
                for p in preds:
                    total = total + val[p]
                val[n] = total
            elif kind == "activation":
                name = attrs["activation"]
                fn = REFERENCE_ACTIVATIONS.get(name) or dagnet.get_activation(name).numpy
                val[n] = fn(val[preds[0]])
            else:
                val[n] = val[preds[0]]
    return np.stack([val[o] for o in net.outputs], axis=1)


def sympy_forward(net: dagnet.Network, x: np.ndarray, w: np.ndarray | None = None,
                  digits: int = 30) -> np.ndarray:
    """sympy's evaluation of ``net.expression(weights="numeric")`` at one input point."""
    if w is not None:
        net = net.copy()
        net.set_weights(w)
    sym = {n: sp.Symbol(net.symbol_name(n)) for n in net.inputs}
    subs = {sym[n]: sp.Float(float(v), digits) for n, v in zip(net.inputs, x)}
    out = []
    for k in range(net.n_outputs):
        expr = net.expression(output=k, weights="numeric")
        out.append(float(sp.N(expr.xreplace(subs), digits)))
    return np.array(out)
