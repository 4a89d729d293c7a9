"""The compiled gradient: the loss's derivative with respect to every weight, as numpy code.

The backward pass is generated from the graph the same way as the forward pass
(:mod:`dagnet.numeric`): sum nodes of one generation that share their sources
form a dense block ``V = S @ W + B``, and activations one elementwise call.
Reading the node equations backwards (see :mod:`dagnet.backward` for them in
symbols) gives, per block, matrix products again:

* ``dL/dW = S.T @ dL/dV`` and ``dL/dB = sum over points of dL/dV``
  (from ``du_ij/dw_ij = x_i`` and ``dv_j/du_ij = 1``);
* ``dL/dS = dL/dV @ W.T`` (from ``du_ij/dx_i = w_ij``), added into every node
  that feeds the block (fan-out adds up);
* ``dL/dV = dL/dY * f'(V)`` for an activation, where ``f'`` is the registry
  row's ``derivative`` or else ``sympy.diff`` of its sympy form, lambdified once
  per activation.

Any DAG works: skip connections, sums fed directly (weight 1) by inputs, hidden
nodes read by several layers, several outputs. The generated Python source is
kept at ``g.source``.

Examples
--------
>>> import numpy as np, dagnet
>>> net = dagnet.linear(1)
>>> net.set_weights([0.0, 2.0])                    # y = 2 x
>>> X, y = np.array([[1.0], [2.0]]), np.array([1.0, 1.0])
>>> result = dagnet.gradient(net, X, y, loss="mse")
>>> result.loss                                    # ((2 - 1)**2 + (4 - 1)**2) / 2
5.0
>>> result.gradient.tolist()                       # [mean 2(y-t), mean 2(y-t) x]
[4.0, 7.0]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import sympy as sp

from .activations import Activation, get_activation
from .errors import FitError, ShapeError, StaleCompileError
from .graph import Network
from .losses import Loss, get_loss
from .numeric import _runs

__all__ = ["CompiledGradient", "LossGradient", "compile_gradient", "gradient",
           "activation_derivative"]

_DERIVATIVES: dict[str, tuple[Activation, Callable]] = {}


def activation_derivative(name: str | Activation) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``f'(v)`` of a registered activation as ``fn(v, y)`` (``y = f(v)``), cached per row.

    The registry row's ``derivative`` when it has one, else ``sympy.diff`` of its
    sympy form, lambdified to numpy once.

    Examples
    --------
    >>> import numpy as np
    >>> d = activation_derivative("tanh")
    >>> float(d(np.array(0.0), np.tanh(0.0)))
    1.0
    """
    act = get_activation(name)
    hit = _DERIVATIVES.get(act.name)
    if hit is not None and hit[0] is act:
        return hit[1]
    if act.derivative is not None:
        fn = act.derivative
    else:
        v = sp.Symbol("v", real=True)  # real: d|v|/dv is sign(v), not a complex Derivative
        expr = sp.diff(act.sympy(v), v)
        try:
            raw = sp.lambdify(v, expr, "numpy")
        except Exception as exc:  # sympy raises several kinds for unprintable expressions
            raise FitError(
                f"the derivative of activation {act.name!r}, {expr}, has no numpy form "
                f"({type(exc).__name__}); register it with derivative=lambda v, y: ... "
                "(overwrite=True)") from exc

        def fn(v: np.ndarray, y: np.ndarray, _raw: Callable = raw) -> np.ndarray:
            out = _raw(v)
            return out if np.shape(out) == np.shape(v) else np.broadcast_to(out, np.shape(v))
    _DERIVATIVES[act.name] = (act, fn)
    return fn


_NO_GRAD = ("X", "_1")  # inputs and the column of ones: nothing to learn upstream


class _Plan:
    """Lower a validated network to one numpy function: forward, loss, backward."""

    def __init__(self, net: Network):
        s = net.validate()
        G = net.graph
        self.G = G
        self.n_w = len(s.weights)
        self.ZERO, self.ONE = self.n_w, self.n_w + 1
        widx = {n: k for k, n in enumerate(s.weights)}
        self.loc: dict[Any, tuple[str, int]] = {n: ("X", k) for k, n in enumerate(s.inputs)}
        self.width: dict[str, int] = {"X": len(s.inputs)}
        self.consts: dict[str, Any] = {}
        self.fwd: list[str] = []
        self.ops: list[tuple] = []
        self.n_blocks = 0
        level: dict[Any, int] = {}
        bias = set()
        by_level: dict[int, list] = defaultdict(list)
        for n in s.order:
            kind = G.nodes[n]["kind"]
            preds = list(G.predecessors(n))
            if kind == "bias" or not preds:
                level[n] = 0
                if kind == "bias":
                    bias.add(n)
            elif kind in ("sum", "activation"):
                level[n] = 1 + max(level[p] for p in preds)
                by_level[level[n]].append(n)
            else:  # weight, pass-through, output: the value of their input
                level[n] = level[preds[0]]
                if preds[0] in bias and kind != "weight":
                    bias.add(n)
        self.bias = bias
        for lv in sorted(by_level):
            nodes = by_level[lv]
            self._sum_blocks([n for n in nodes if G.nodes[n]["kind"] == "sum"], widx)
            self._activations([n for n in nodes if G.nodes[n]["kind"] == "activation"])
        self.out_locs = [self._where(o) for o in s.outputs]

    # -- forward ----------------------------------------------------------------------
    def _where(self, n: Any) -> tuple[str, int]:
        G = self.G
        while n not in self.loc:  # pass-through and output nodes alias their input's value
            if G.nodes[n]["kind"] == "bias":
                if "_1" not in self.width:
                    self.width["_1"] = 1
                    self.fwd.append("_1 = np.ones((X.shape[0], 1))")
                self.loc[n] = ("_1", 0)
                break
            n = next(iter(G.predecessors(n)))
        return self.loc[n]

    def _gather(self, locs: list[tuple[str, int]]) -> str:
        parts = []
        for var, a, b in _runs(locs):
            parts.append(var if (a == 0 and b == self.width[var]) else f"{var}[:, {a}:{b}]")
        return parts[0] if len(parts) == 1 else f"np.concatenate([{', '.join(parts)}], axis=1)"

    def _sum_blocks(self, sums: list, widx: dict) -> None:
        G = self.G
        groups: dict[tuple, list] = defaultdict(list)
        info = {}
        for v in sums:
            terms, bias_terms = [], []
            for p in G.predecessors(v):
                src, k = ((next(iter(G.predecessors(p))), widx[p])
                          if G.nodes[p]["kind"] == "weight" else (p, self.ONE))
                if src in self.bias or G.nodes[src]["kind"] == "bias":
                    bias_terms.append(k)
                else:
                    terms.append((self._where(src), k))
            info[v] = (terms, bias_terms)
            groups[tuple(sorted({loc for loc, _ in terms}))].append(v)
        order = {name: k for k, name in enumerate(self.width)}
        for key, block in groups.items():
            self.n_blocks += 1
            b = self.n_blocks
            srcs = sorted(key, key=lambda loc: (order[loc[0]], loc[1]))
            row = {loc: r for r, loc in enumerate(srcs)}
            d, m = len(srcs), len(block)
            idx = np.full((d, m), self.ZERO, dtype=np.intp)
            bidx = np.full(m, self.ZERO, dtype=np.intp)
            fix_w, fix_b = [], []  # a second weight on the same (source, sum) pair adds up
            for c, v in enumerate(block):
                terms, bias_terms = info[v]
                for loc, k in terms:
                    if idx[row[loc], c] == self.ZERO:
                        idx[row[loc], c] = k
                    else:
                        fix_w.append((row[loc], c, k))
                for k in bias_terms:
                    if bidx[c] == self.ZERO:
                        bidx[c] = k
                    else:
                        fix_b.append((c, k))
            var = f"V{b}"
            has_bias = bool((bidx != self.ZERO).any()) or not d
            src = None
            if d:
                self.consts[f"_I{b}"] = idx
                self.fwd.append(f"W{b} = _wx[_I{b}]")
                self.fwd += [f"W{b}[{r}, {c}] += _wx[{k}]" for r, c, k in fix_w]
                src = self._gather(srcs)
                if src.startswith("np.concatenate"):  # keep the gathered sources for dL/dW
                    self.fwd.append(f"S{b} = {src}")
                    src = f"S{b}"
            if has_bias:
                self.consts[f"_J{b}"] = bidx
                self.fwd.append(f"B{b} = _wx[_J{b}]")
                self.fwd += [f"B{b}[{c}] += _wx[{k}]" for c, k in fix_b]
            if d == 0:
                self.fwd.append(f"{var} = B{b} + np.zeros((X.shape[0], 1))")
            elif d == 1:
                self.fwd.append(f"{var} = {src} * W{b}" + (f" + B{b}" if has_bias else ""))
            else:
                self.fwd.append(f"{var} = {src} @ W{b}")
                if has_bias:
                    self.fwd.append(f"{var} += B{b}")
            self.width[var] = m
            for c, v in enumerate(block):
                self.loc[v] = (var, c)
            self.ops.append(("sum", b, var, srcs, src, has_bias, fix_w, fix_b))

    def _activations(self, acts: list) -> None:
        G = self.G
        groups: dict[tuple, list] = defaultdict(list)
        for y in acts:
            src = self._where(next(iter(G.predecessors(y))))
            if get_activation(G.nodes[y]["activation"]).name == "identity":
                self.loc[y] = src  # y = v exactly: the same value, the same gradient
                continue
            groups[(G.nodes[y]["activation"], src[0])].append((src, y))
        for (name, _), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            self.consts[f"_f_{name}"] = get_activation(name).numpy
            self.consts[f"_d_{name}"] = activation_derivative(name)
            members.sort(key=lambda mem: mem[0][1])
            uniq = list(dict.fromkeys(loc for loc, _ in members))
            self.n_blocks += 1
            out = f"Y{self.n_blocks}"
            src = self._gather(uniq)
            if src.startswith("np.concatenate"):
                self.fwd.append(f"A{self.n_blocks} = {src}")
                src = f"A{self.n_blocks}"
            self.fwd.append(f"{out} = _f_{name}({src})")
            self.width[out] = len(uniq)
            col = {loc: c for c, loc in enumerate(uniq)}
            for loc, y in members:
                self.loc[y] = (out, col[loc])
            self.ops.append(("act", name, out, uniq, src))

    # -- backward ---------------------------------------------------------------------
    def _backward(self) -> list[str]:
        lines: list[str] = []
        have: set[str] = set()

        def add(var: str, a: int, b: int, expr: str) -> None:
            if var in _NO_GRAD:
                return
            whole = a == 0 and b == self.width[var]
            if var not in have:
                have.add(var)
                if whole:
                    lines.append(f"G_{var} = {expr}")
                    return
                lines.append(f"G_{var} = np.zeros_like({var})")
            lines.append(f"G_{var}{'' if whole else f'[:, {a}:{b}]'} += {expr}")

        def scatter(locs: list, expr: str) -> None:
            """Add the columns of ``expr`` (one per location) into the locations' gradients."""
            runs = _runs(locs)
            if len(runs) == 1:
                add(*runs[0], expr)
                return
            if not expr.isidentifier():
                lines.append(f"_t = {expr}")
                expr = "_t"
            off = 0
            for var, a, b in runs:
                add(var, a, b, f"{expr}[:, {off}:{off + b - a}]")
                off += b - a

        def needs(locs: list) -> bool:
            return any(var not in _NO_GRAD for var, _ in locs)

        scatter(self.out_locs, "G_OUT")
        for op in reversed(self.ops):
            if op[0] == "sum":
                _, b, var, srcs, src, has_bias, fix_w, fix_b = op
                if var not in have:
                    continue
                gv = f"G_{var}"
                if srcs and fix_w:
                    lines.append(f"_gW = {src}.T @ {gv}")
                    lines.append(f"_g[_I{b}] = _gW")
                    lines += [f"_g[{k}] = _gW[{r}, {c}]" for r, c, k in fix_w]
                elif srcs:
                    lines.append(f"_g[_I{b}] = {src}.T @ {gv}")
                if has_bias and fix_b:
                    lines.append(f"_gB = _ones @ {gv}")
                    lines.append(f"_g[_J{b}] = _gB")
                    lines += [f"_g[{k}] = _gB[{c}]" for c, k in fix_b]
                elif has_bias:  # the sum over points, as a product (3x faster than .sum)
                    lines.append(f"_g[_J{b}] = _ones @ {gv}")
                if needs(srcs):
                    scatter(srcs, f"{gv} @ W{b}.T")
            else:
                _, name, out, uniq, src = op
                if out in have and needs(uniq):
                    scatter(uniq, f"G_{out} * _d_{name}({src}, {out})")
        return lines

    def source(self) -> str:
        lines = ["def _run(X, T, _wx, _loss):"]
        lines += [f"    {ln}" for ln in self.fwd]
        lines.append(f"    _OUT = {self._gather(self.out_locs)}")
        lines.append("    _L, G_OUT = _loss(_OUT, T)")
        lines.append(f"    _g = np.zeros({self.n_w + 2})")
        lines.append("    _ones = np.ones(X.shape[0])")
        lines += [f"    {ln}" for ln in self._backward()]
        lines.append("    return _L, _g")
        return "\n".join(lines) + "\n"


class LossGradient(NamedTuple):
    """The loss (mean over points) and its gradient, in ``net.weight_names`` order."""

    loss: float
    gradient: np.ndarray


class CompiledGradient:
    """A network's loss gradient compiled to numpy: ``g(X, y, loss="mse", weights=None)``.

    ``X`` is (n_points, n_inputs); ``y`` the targets the loss expects (see
    :mod:`dagnet.losses`); ``weights`` one vector in ``net.weight_names`` order
    (None: the network's current weights). Returns a :class:`LossGradient`.
    """

    def __init__(self, net: Network):
        plan = _Plan(net)
        self.net = net
        self.source: str = plan.source()
        self.n_inputs, self.n_outputs = len(net.inputs), len(net.outputs)
        self.n_weights = plan.n_w
        self.n_blocks = plan.n_blocks
        self._key = net.structure_key
        namespace: dict[str, Any] = {"np": np, **plan.consts}
        exec(compile(self.source, f"<dagnet gradient {net!r}>", "exec"), namespace)
        self._run = namespace["_run"]

    def __repr__(self) -> str:
        return (f"CompiledGradient(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights}, blocks={self.n_blocks})")

    def extend(self, weights: Any = None) -> np.ndarray:
        """The weight vector with the two constants (0, 1) the generated code indexes."""
        if weights is None:
            if self.net.structure_key != self._key:
                raise StaleCompileError("the network's nodes or edges changed after "
                                        "compile_gradient(); compile it again")
            w = self.net.weights
        else:
            w = np.asarray(weights, dtype=float)
            if w.shape != (self.n_weights,):
                raise ShapeError(f"weights must have shape ({self.n_weights},) in "
                                 f"net.weight_names order, got {w.shape}")
        return np.concatenate([w, [0.0, 1.0]])

    def inputs(self, X: Any) -> np.ndarray:
        """``X`` checked and converted to a float array (n_points, n_inputs)."""
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ShapeError(f"X must be a float array of shape (n_points, {self.n_inputs})") \
                from exc
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            hint = " (for 1-D x use x[:, None])" if X.ndim == 1 else ""
            raise ShapeError(f"X must have shape (n_points, {self.n_inputs}), one column per "
                             f"input, got {X.shape}{hint}")
        return X

    def __call__(self, X: Any, y: Any, loss: str | Loss = "mse",
                 weights: Any = None) -> LossGradient:
        X = self.inputs(X)
        row = get_loss(loss)
        T = row.targets(y, X.shape[0], self.n_outputs)
        value, g = self._run(X, T, self.extend(weights), row.value_and_gradient)
        return LossGradient(float(value), g[:self.n_weights].copy())


def compile_gradient(net: Network) -> CompiledGradient:
    """Compile the loss gradient of ``net`` (cached on the network until its structure changes).

    >>> import dagnet
    >>> dagnet.compile_gradient(dagnet.mlp([2, 16, 16, 1]))
    CompiledGradient(inputs=2, outputs=1, weights=337, blocks=6)
    """
    cache = net._cache
    g = cache.get("gradient")
    if g is None or g._key != net.structure_key:
        g = CompiledGradient(net)
        net.validate()  # may reset the cache; store after it
        net._cache["gradient"] = g
    return g


def gradient(net: Network, X: Any, y: Any, loss: str | Loss = "mse",
             weights: Any = None) -> LossGradient:
    """The loss of ``net`` on ``(X, y)`` and its gradient with respect to every weight.

    See :class:`CompiledGradient` for the arguments and :mod:`dagnet.losses` for the
    losses; the network's weights are used unless ``weights`` is given.
    """
    return compile_gradient(net)(X, y, loss=loss, weights=weights)
