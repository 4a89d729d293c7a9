"""The numeric arrow: compile a network to a fast numpy function.

The network's equations ``v_j = sum_i x_i w_ij`` and ``y_j = f(v_j)`` are
lowered *per dense block*, never as one flattened expression: sum nodes of the
same generation that share their sources become one matrix product
``S @ W + b`` (a broadcast product when the block has one source), and the
activations that follow them one elementwise call of the registry's numpy form
(whose agreement with the sympy form is tested row by row). The generated
Python source is kept at ``f.source``. Rows are evaluated in cache-sized chunks.

Examples
--------
>>> import numpy as np, dagnet
>>> net = dagnet.mlp([1, 3, 1], rng=0)
>>> f = net.compile()
>>> f
CompiledNetwork(inputs=1, outputs=1, weights=10, blocks=2)
>>> f(np.zeros((4, 1))).shape
(4, 1)
>>> f(np.zeros((4, 1)), weights=net.sample_weights(5, rng=1)).shape
(5, 4, 1)
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from .activations import get_activation
from .errors import ShapeError, StaleCompileError, WeightError
from .graph import Network

__all__ = ["CompiledNetwork", "compile_network"]

#: Rows of X evaluated at once (divided by the number of weight draws).
CHUNK_ROWS = 4096


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate along the last axis, broadcasting the leading (draw) axes."""
    lead = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return np.concatenate([np.broadcast_to(p, lead + p.shape[-1:]) for p in parts], axis=-1)


def _runs(locs: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Split (var, col) locations into maximal runs of consecutive columns of one var."""
    runs: list[list] = []
    for var, col in locs:
        if runs and runs[-1][0] == var and runs[-1][2] == col:
            runs[-1][2] = col + 1
        else:
            runs.append([var, col, col + 1])
    return [tuple(r) for r in runs]


class _Plan:
    """Lower a validated network to lines of numpy code (see module docs)."""

    def __init__(self, net: Network):
        s = net.validate()
        G = net.graph
        self.net, self.G = net, G
        self.n_w = len(s.weights)
        self.ZERO, self.ONE = self.n_w, self.n_w + 1
        widx = {n: k for k, n in enumerate(s.weights)}
        self.loc: dict[Any, tuple[str, int]] = {n: ("X", k) for k, n in enumerate(s.inputs)}
        self.width: dict[str, int] = {"X": len(s.inputs)}
        self.consts: dict[str, np.ndarray] = {}
        self.prep: list[str] = []
        self.body: list[str] = []
        self.mats: list[str] = []
        self.n_blocks = 0
        level: dict[Any, int] = {}
        bias = set()
        by_level: dict[int, list] = defaultdict(list)
        for n in s.order:
            kind = G.nodes[n]["kind"]
            preds = list(G.predecessors(n))
            if kind == "bias":
                bias.add(n)
                level[n] = 0
            elif not preds:
                level[n] = 0
            elif kind == "sum":
                level[n] = 1 + max(level[p] for p in preds)
                by_level[level[n]].append(n)
            elif kind == "activation":
                level[n] = 1 + level[preds[0]]
                by_level[level[n]].append(n)
            else:  # weight, pass-through, output: same value level as their input
                level[n] = level[preds[0]]
                if preds[0] in bias and kind != "weight":
                    bias.add(n)
        self.bias = bias
        for lv in sorted(by_level):
            nodes = sorted(by_level[lv], key=self._node_key)
            sums = [n for n in nodes if G.nodes[n]["kind"] == "sum"]
            self._sum_blocks(sums, widx)
            self._activations([n for n in nodes if G.nodes[n]["kind"] == "activation"])
        self.out_expr = self._gather([self._where(o) for o in s.outputs])

    def _node_key(self, n: Any) -> tuple:
        # Plan in an order fixed by the node attributes, not by insertion order, so equal
        # graphs (e.g. a network and its saved-and-loaded copy) compile to identical code.
        a = self.G.nodes[n]
        return (a["layer"], a.get("index", a.get("j")), a.get("i", -1), str(n))

    def _where(self, n: Any) -> tuple[str, int]:
        G = self.G
        while n not in self.loc:  # pass-through and output nodes alias their input's value
            if G.nodes[n]["kind"] == "bias":  # a bias read as a value: a column of ones
                if "_1" not in self.width:
                    self.width["_1"] = 1
                    self.body.append("_1 = np.ones((X.shape[0], 1))")
                self.loc[n] = ("_1", 0)
                break
            n = next(iter(G.predecessors(n)))
        return self.loc[n]

    def _gather(self, locs: list[tuple[str, int]]) -> str:
        parts = []
        for var, a, b in _runs(locs):
            parts.append(var if (a == 0 and b == self.width[var]) else f"{var}[..., {a}:{b}]")
        return parts[0] if len(parts) == 1 else f"_cat([{', '.join(parts)}])"

    def _terms(self, v: Any, widx: dict) -> tuple[list, list]:
        """Per sum: (non-bias source node, weight index) and (bias weight index) terms."""
        G = self.G
        terms, bias_terms = [], []
        for p in G.predecessors(v):
            if G.nodes[p]["kind"] == "weight":
                src, k = next(iter(G.predecessors(p))), widx[p]
            else:
                src, k = p, self.ONE
            if src in self.bias or G.nodes[src]["kind"] == "bias":
                bias_terms.append(k)
            else:
                terms.append((self._where(src), k))
        terms.sort(key=lambda t: (t[1], t[0]))  # canonical, not edge-insertion, order
        bias_terms.sort()
        return terms, bias_terms

    def _sum_blocks(self, sums: list, widx: dict) -> None:
        groups: dict[tuple, list] = defaultdict(list)
        info = {}
        for v in sums:
            terms, bias_terms = self._terms(v, widx)
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
            fix_w, fix_b = [], []
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
            has_bias = bool((bidx != self.ZERO).any())
            if d:
                self.consts[f"_I{b}"] = idx
                self.prep.append(f"W{b} = _wx[..., _I{b}]")
                self.prep += [f"W{b}[..., {r}, {c}] += _wx[..., {k}]" for r, c, k in fix_w]
                self.mats.append(f"W{b}")
            if has_bias or not d:
                self.consts[f"_J{b}"] = bidx
                self.prep.append(f"B{b} = _wx[..., _J{b}]")
                self.prep += [f"B{b}[..., {c}] += _wx[..., {k}]" for c, k in fix_b]
                self.prep.append(f"B{b} = B{b}[..., None, :]")
                self.mats.append(f"B{b}")
            src = self._gather(srcs) if d else None
            if d == 0:
                self.body.append(f"{var} = B{b} + np.zeros((X.shape[0], 1))")
            elif d == 1:
                self.body.append(f"{var} = {src} * W{b}" + (f" + B{b}" if has_bias else ""))
            else:
                self.body.append(f"{var} = {src} @ W{b}")
                if has_bias:
                    self.body.append(f"{var} += B{b}")
            self.width[var] = m
            for c, v in enumerate(block):
                self.loc[v] = (var, c)

    def _activations(self, acts: list) -> None:
        G = self.G
        groups: dict[tuple, list] = defaultdict(list)
        for y in acts:
            src = self._where(next(iter(G.predecessors(y))))
            groups[(G.nodes[y]["activation"], src[0])].append((src, y))
        for (name, var), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            act = get_activation(name)
            fn = f"_f_{name}"
            self.consts[fn] = act.numpy
            members.sort(key=lambda m: m[0][1])
            locs = [loc for loc, _ in members]
            whole = [c for _, c in locs] == list(range(self.width[var]))
            # In place when the activation consumes its whole block and nothing else reads it.
            private = var.startswith("V") and all(
                list(G.successors(n)) == [y] for y in (yy for _, yy in members)
                for n in G.predecessors(y))
            if whole and private and len({y for _, y in members}) == len(members):
                if act.name != "identity":
                    call = (f"{fn}({var}, out={var})" if isinstance(act.numpy, np.ufunc)
                            else f"{var} = {fn}({var})")
                    self.body.append(call)
                for loc, y in members:
                    self.loc[y] = loc
                continue
            self.n_blocks += 1
            out = f"Y{self.n_blocks}"
            self.body.append(f"{out} = {fn}({self._gather(locs)})")
            self.width[out] = len(members)
            for c, (_, y) in enumerate(members):
                self.loc[y] = (out, c)

    def source(self) -> str:
        mats = ", ".join(self.mats)
        lines = ["def _prepare(_wx):"]
        lines += [f"    {ln}" for ln in self.prep] or ["    pass"]
        lines.append(f"    return ({mats}{',' if len(self.mats) == 1 else ''})")
        lines.append("")
        lines.append(f"def _forward(X{', ' if mats else ''}{mats}):")
        lines += [f"    {ln}" for ln in self.body]
        lines.append(f"    return {self.out_expr}")
        return "\n".join(lines) + "\n"


class CompiledNetwork:
    """A network compiled to numpy: ``f(X)`` or ``f(X, weights=W)``.

    Parameters are read from the network at call time when ``weights`` is None.
    ``X`` has shape (n_points, n_inputs); the result (n_points, n_outputs), or
    (K, n_points, n_outputs) for a stack of K weight vectors of shape (K, n_weights).
    """

    def __init__(self, net: Network, chunk_rows: int = CHUNK_ROWS):
        plan = _Plan(net)
        self.net = net
        self.source: str = plan.source()
        self.n_inputs = len(net.inputs)
        self.n_outputs = len(net.outputs)
        self.n_weights = plan.n_w
        self.weight_names = net.weight_names
        self.n_blocks = plan.n_blocks
        self.chunk_rows = int(chunk_rows)
        self._key = net.structure_key
        namespace: dict[str, Any] = {"np": np, "_cat": _cat, **plan.consts}
        exec(compile(self.source, f"<dagnet compiled {net!r}>", "exec"), namespace)
        self._prepare = namespace["_prepare"]
        self._forward = namespace["_forward"]

    def __repr__(self) -> str:
        return (f"CompiledNetwork(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights}, blocks={self.n_blocks})")

    def _weights(self, weights: Any) -> np.ndarray:
        if weights is None:
            if self.net.structure_key != self._key:
                raise StaleCompileError("the network's nodes or edges changed after compile(); "
                                        "call net.compile() again")
            return self.net.weights
        try:
            w = np.asarray(weights, dtype=float)
        except (TypeError, ValueError) as exc:
            raise WeightError(f"weights must be a float array, got {type(weights).__name__}") \
                from exc
        if w.ndim not in (1, 2) or w.shape[-1] != self.n_weights:
            raise ShapeError(f"weights must have shape ({self.n_weights},) or "
                             f"(K, {self.n_weights}) in net.weight_names order, got {w.shape}")
        if not np.isfinite(w).all():
            raise WeightError("weights contain NaN or inf; weights must be finite")
        return w

    def prepare(self, weights: Any = None) -> tuple:
        """The per-block weight matrices for ``weights`` (what every chunk reuses)."""
        w = self._weights(weights)
        lead = w.shape[:-1]
        wx = np.concatenate([w, np.zeros(lead + (1,)), np.ones(lead + (1,))], axis=-1)
        return self._prepare(wx)

    def __call__(self, X: Any, weights: Any = None) -> np.ndarray:
        X = self._inputs(X)
        w = self._weights(weights)
        mats = self.prepare(w)
        n = X.shape[0]
        lead = w.shape[:-1]
        rows = max(16, self.chunk_rows // max(1, int(np.prod(lead))))
        if n <= rows:
            return np.array(np.broadcast_to(self._forward(X, *mats), lead + (n, self.n_outputs)))
        out = np.empty(lead + (n, self.n_outputs))
        for a in range(0, n, rows):
            out[..., a:a + rows, :] = self._forward(X[a:a + rows], *mats)
        return out

    def _inputs(self, X: Any) -> np.ndarray:
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ShapeError(f"X must be a float array of shape (n_points, {self.n_inputs}), "
                             f"got {type(X).__name__}") from exc
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            hint = " (for 1-D x use x[:, None])" if X.ndim == 1 else ""
            raise ShapeError(f"X must have shape (n_points, {self.n_inputs}), one column per "
                             f"input, got {X.shape}{hint}")
        return X


def compile_network(net: Network, chunk_rows: int = CHUNK_ROWS) -> CompiledNetwork:
    """Compile ``net`` once; evaluate it on any inputs and any number of weight draws."""
    return CompiledNetwork(net, chunk_rows=chunk_rows)
