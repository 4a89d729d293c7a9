"""Random valid networks and two independent references, for differential tests.

- ``random_dag(seed, ...)``: an arbitrary DAG built through the explicit node API:
  generations of sums fed by random subsets of earlier values (through weights,
  or directly), optional activations of every registered kind, hidden
  pass-through nodes, skip connections, several outputs, optional output nodes.
- ``networks()`` / ``mlps()``: hypothesis strategies over those and over ``dagnet.mlp``.
- ``reference_forward(net, X, w)``: a plain node-by-node numpy interpreter that
  shares no code with ``dagnet.compiled.forward`` (its activations are written out here).
- ``sympy_forward(net, x, w)``: sympy's own evaluation of ``net.expression``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import strategies as st

import dagnet
from dagnet.core.losses import get_loss

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


# -- shared by the gradient, backward-equation, planner and export tests ------------------
def node_values(net, X, w):
    """Every node's value per point, by a plain node-by-node walk (independent of dagnet)."""
    G = net.graph
    wv = dict(zip(net.weight_nodes, w))
    col = {n: k for k, n in enumerate(net.inputs)}
    val = {}
    for n in net.validate().order:
        kind, preds = G.nodes[n]["kind"], list(G.predecessors(n))
        if kind == "bias":
            val[n] = np.ones(len(X))
        elif not preds:
            val[n] = X[:, col[n]]
        elif kind == "weight":
            val[n] = val[preds[0]] * wv[n]
        elif kind == "sum":
            val[n] = sum(val[p] for p in preds)
        elif kind == "activation":
            val[n] = dagnet.get_activation(G.nodes[n]["activation"]).numpy(val[preds[0]].copy())
        else:
            val[n] = val[preds[0]]
    return val


def relu_margin(net, X, w):
    """Smallest |v| entering a relu (finite differences must not step across the kink)."""
    G = net.graph
    val = node_values(net, X, w)
    ins = [next(iter(G.predecessors(n))) for n in G
           if G.nodes[n]["kind"] == "activation" and G.nodes[n]["activation"] == "relu"]
    return min((np.abs(val[v]).min() for v in ins), default=np.inf)


def pick_loss(net, gen, n):
    """Targets for a loss the network suits: softmax CE (several outputs), binary CE
    (a logistic output), else mse."""
    k = net.n_outputs
    if k > 1 and gen.random() < 0.5:
        return "cross_entropy", gen.integers(0, k, n)
    if k == 1 and net.output_range(0) == (0.0, 1.0):
        return "cross_entropy", gen.integers(0, 2, n).astype(float)
    return "mse", gen.normal(size=(n, k))


def finite_differences(net, X, y, loss, w, h=1e-3):
    """Fourth-order central differences: error ~h^4 + eps/h, about 1e-12 here."""
    row = get_loss(loss)

    def value(wt):
        return row(reference_forward(net, X, wt), y)[0]

    fd = np.empty_like(w)
    for k in range(len(w)):
        f = []
        for step in (2 * h, h, -h, -2 * h):
            wt = w.copy()
            wt[k] += step
            f.append(value(wt))
        fd[k] = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h)
    return fd


def relative_error(got, expected, floor=1e-4):
    """Max error relative to the gradient's size; below ``floor`` (where the finite
    differences' own ~1e-12 rounding error dominates) relative to ``floor``."""
    if np.size(got) == 0 and np.size(expected) == 0:  # a network with no weights
        return 0.0
    scale = max(np.abs(expected).max(), np.abs(got).max(), floor)
    return float(np.abs(got - expected).max() / scale)


def skip_net():
    """A hand-built DAG with everything mlp lacks: a skip connection, a direct (weight-1)
    input, two weights on one (source, sum) pair, a layer-1 bias into layer 2, a hidden
    node read by two sums, output nodes and three outputs."""
    net = dagnet.Network()
    b1, x1, x2 = net.add_bias(1), net.add_input(1), net.add_input(2)
    v0, v1 = net.add_sum(0), net.add_sum(1)
    for s in (b1, x1, x2):
        net.add_weight(s, v0)
    net.add_weight(x1, v1)
    net.add_weight(x1, v1, i=5)
    y0, y1 = net.add_activation(v0, "tanh"), net.add_activation(v1, "relu")
    b2 = net.add_bias(2)
    h1, h2 = net.add_input(1, 2, source=y0), net.add_input(2, 2, source=y1)
    w0, w1 = net.add_sum(0, 2), net.add_sum(1, 2)
    for s in (b2, h1, h2):
        net.add_weight(s, w0)
    net.add_weight(x1, w0, i=3)
    net.connect(x2, w1)
    net.add_weight(h1, w1)
    net.add_weight(b1, w1, i=7)
    net.add_weight(b2, w1)
    z0 = net.add_activation(w0, "logistic")
    net.add_output(z0, 0)
    net.add_output(w1, 1)
    net.add_output(y0, 2)
    net.randomize(rng=3)
    return net
