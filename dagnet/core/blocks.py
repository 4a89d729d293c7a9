"""The block planner behind the compiled forward pass and the compiled gradient.

A validated network is lowered to a short list of dense blocks. They are stated as
matrix equations by :mod:`dagnet.symbolic.matrixform`, which the block-code printer
(:mod:`dagnet.compiled.printer`) prints as the forward code of both
:mod:`dagnet.compiled.forward` and :mod:`dagnet.compiled.backprop` (which adds the loss
and the backward code from the blocks):

* every node gets a *generation*: 0 for inputs and bias nodes, one more than
  its deepest source for a sum or an activation; pass-through and output nodes
  are the value of their input;
* a value is one column of a *var*: :data:`X` (the network inputs), :data:`ONES`
  (the constant 1 of a bias node read as a value) or the output of a block; a
  location is ``(var, column)``;
* the sum nodes of one generation that read the same set of locations form one
  :class:`SumBlock`, ``V = S @ W + B``, whose matrices are gathered from the
  *extended* weight vector ``_wx`` (the weights in ``net.weight_names`` order,
  then 0 and 1: :func:`extend_weights`): ``W = _wx[index]``, ``B = _wx[bias]``, plus
  ``_wx[k]`` added into the slot of every further weight on an already filled (source, sum) slot;
* the activations of one generation with the same function and source var form
  one :class:`ActGroup`, ``Y = f(S)``. An identity activation is the value it
  reads, and two activations of one function on one value are one value.

Equal graphs give equal plans: nodes of a generation are taken in an order fixed
by their attributes, not by insertion order.

Examples
--------
>>> import dagnet
>>> plan = Plan(dagnet.mlp([2, 3, 1], rng=0))
>>> [type(b).__name__ for b in plan.blocks]
['SumBlock', 'ActGroup', 'SumBlock', 'ActGroup']
>>> first = plan.blocks[0]
>>> first.srcs, first.index.shape, first.bias.tolist()
([(0, 0), (0, 1)], (2, 3), [0, 3, 6])
>>> plan.outputs, plan.width
([(5, 0)], [2, 1, 3, 3, 1, 1])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ShapeError, WeightError
from .activations import get_activation
from .structure import KINDS

if TYPE_CHECKING:
    from .graph import Network

__all__ = ["Plan", "SumBlock", "ActGroup", "X", "ONES", "EXTENSION", "runs", "extend_weights"]

#: Var ids of the network inputs and of the column of ones; block ``k`` writes var ``k + 2``.
X, ONES = 0, 1
#: The constants after the weights in the extended weight vector ``_wx`` (see
#: :func:`extend_weights`): ``_wx[n_weights]`` is 0, ``_wx[n_weights + 1]`` is 1.
EXTENSION = (0.0, 1.0)

Loc = tuple[int, int]  # (var, column)
_WEIGHT, _SUM = KINDS.index("weight"), KINDS.index("sum")



def runs(locs: list[Loc]) -> list[tuple[Any, int, int]]:
    """Split locations into maximal runs of consecutive columns of one var.

    Parameters
    ----------
    locs : list of (var, column)
        Locations in the order they are read side by side.

    Returns
    -------
    list of (var, a, b)
        Columns ``a`` to ``b - 1`` of ``var``, in the order of ``locs``.

    Examples
    --------
    >>> runs([(0, 0), (0, 1), (2, 0), (0, 2)])
    [(0, 0, 2), (2, 0, 1), (0, 2, 3)]
    """
    out: list[list] = []
    for var, col in locs:
        if out and out[-1][0] == var and out[-1][2] == col:
            out[-1][2] = col + 1
        else:
            out.append([var, col, col + 1])
    return [tuple(r) for r in out]


def extend_weights(w: Any) -> np.ndarray:
    """The extended weight vector ``_wx`` the block matrices are gathered from.

    ``w`` (weights in ``net.weight_names`` order) followed by :data:`EXTENSION`, 0 and 1,
    along the last axis: index ``n_weights`` reads 0 (an empty slot of a block matrix)
    and ``n_weights + 1`` reads 1 (a value fed into a sum directly, without a weight).
    Leading axes (a stack of weight draws) are kept.

    Parameters
    ----------
    w : array_like, shape (..., n_weights)
        One weight vector or a stack of them.

    Returns
    -------
    ndarray, shape (..., n_weights + 2)
        A new float array.

    Raises
    ------
    WeightError
        If ``w`` is not an array of real numbers.
    ShapeError
        If ``w`` is a scalar (no weight axis).

    Examples
    --------
    >>> extend_weights([0.5, 2.0]).tolist()
    [0.5, 2.0, 0.0, 1.0]
    >>> extend_weights(np.zeros((2, 1))).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    """
    try:
        w = np.asarray(w, dtype=float)
    except (TypeError, ValueError) as exc:
        raise WeightError(f"weights must be an array of real numbers, got "
                          f"{type(w).__name__}") from exc
    if w.ndim == 0:
        raise ShapeError("weights must have shape (n_weights,) or (K, n_weights), got a "
                         "scalar; pass a vector in net.weight_names order")
    return np.concatenate([w, np.broadcast_to(EXTENSION, w.shape[:-1] + (len(EXTENSION),))],
                          axis=-1)


def _node_key(n: Any, a: dict) -> tuple:
    return (a["layer"], a.get("index", a.get("j")), a.get("i", -1), str(n))


@dataclass(eq=False)
class SumBlock:
    """``V = S @ W + B`` for the sums ``nodes`` (one column each).

    ``srcs`` are the locations of the rows of ``W`` (sorted); ``index`` (d, m) and
    ``bias`` (m,) index ``_wx`` (``bias`` is None when no sum has a bias term and d > 0;
    empty slots index the 0). ``dups`` = (rows, cols, ks): ``_wx[ks]`` added into those
    slots of ``W`` on top (two weights from one source into one sum); ``bias_dups`` =
    (cols, ks) likewise for ``B``. ``index`` is None when d = 0.
    """

    var: int
    srcs: list[Loc]
    nodes: list
    index: np.ndarray | None
    dups: tuple[np.ndarray, ...] | None
    bias: np.ndarray | None
    bias_dups: tuple[np.ndarray, ...] | None


@dataclass(eq=False)
class ActGroup:
    """``Y = f(S)`` with the registry's activation ``name`` on the locations ``srcs``
    (one var, increasing distinct columns), for the activation ``nodes`` (one per column;
    a repeat of one function on one value is not a node of its own here)."""

    var: int
    name: str
    srcs: list[Loc]
    nodes: list


def _slots(size: int, flat: np.ndarray, ks: np.ndarray, zero: int) -> tuple:
    """Weight index per slot (``zero`` where empty), and the (slots, ks) added on top when
    two weights share a slot: the first in a canonical order is indexed, the rest added."""
    idx = np.full(size, zero, dtype=np.intp)
    if flat.size and np.bincount(flat, minlength=size).max() > 1:
        order = np.lexsort((ks, flat))
        flat, ks = flat[order], ks[order]
        _, first = np.unique(flat, return_index=True)
        idx[flat[first]] = ks[first]
        dup = np.setdiff1d(np.arange(len(flat)), first)
        return idx, (flat[dup], ks[dup])
    idx[flat] = ks
    return idx, None


_BIAS_ROOT = -2  # the root (a node position elsewhere) of every value that is the constant 1
_SHIFT = 32  # a location (var, col) as one integer: var << _SHIFT | col


class _Terms:
    """Every term of every sum, as arrays sorted by sum: the node whose value it reads
    (a weight's source, or the node feeding the sum directly) and the index into ``_wx``
    (the weight's, or ``n_weights + 1``: coefficient 1)."""

    def __init__(self, s: Any, n_w: int):
        c = s.columns
        n, kind, src, dst = len(c.ids), c.codes, c.src, c.dst
        is_w = kind == _WEIGHT
        widx = np.full(n, n_w + 1, dtype=np.intp)
        widx[c.weight_order] = np.arange(n_w)
        into_w = is_w[dst]
        self.pred = np.full(n, -1, dtype=np.intp)  # the (last) predecessor of each node
        self.pred[dst] = src
        into_sum = kind[dst] == _SUM
        by_sum = np.argsort(dst[into_sum], kind="stable")
        sums, p = dst[into_sum][by_sum], src[into_sum][by_sum]
        wsrc = np.arange(n)
        wsrc[dst[into_w]] = src[into_w]  # a weight reads its source
        self.x, self.k = wsrc[p], widx[p]
        bounds = np.searchsorted(sums, np.arange(n + 1))
        self.first, self.stop = bounds[:-1].tolist(), bounds[1:].tolist()


def _values(s: Any, t: _Terms) -> tuple[np.ndarray, dict, dict]:
    """One walk in topological order: the value node each node is, and the new values.

    Returns ``root`` (node position -> the position of the node whose value it is: itself
    for inputs, sums and activations; its input's for pass-throughs, outputs and
    identities; the first of repeated activations of one value; :data:`_BIAS_ROOT` for a
    bias), ``names`` (activation attribute -> registry name) and ``by_level`` (level -> the
    sums and activations that start a new value there). Weights are read by their sums.
    """
    c = s.columns
    kinds, attrs, indeg = c.kinds, c.attrs, c.indeg
    root = np.arange(len(c.ids))
    level = np.zeros(len(c.ids), dtype=np.intp)
    seen: dict[tuple, int] = {}  # (activation, root of its input) -> the value node
    names: dict[str, str] = {}  # activation attribute -> registry name
    by_level: dict[int, list] = defaultdict(list)
    order = c.order  # positions in topological order
    for n in order[c.codes[order] != _WEIGHT].tolist():
        k = kinds[n]
        if k == "bias":
            root[n] = _BIAS_ROOT
        elif not indeg[n]:
            pass  # a network input: its own value, level 0
        elif k == "sum":  # v_j = sum of x_i w_ij (a direct input has coefficient 1)
            level[n] = 1 + level[t.x[t.first[n]:t.stop[n]]].max()
            by_level[int(level[n])].append(n)
        elif k == "activation":
            p = int(t.pred[n])
            name = names.get(attrs[n]["activation"])
            if name is None:
                name = names[attrs[n]["activation"]] = get_activation(
                    attrs[n]["activation"]).name
            if name == "identity":  # y = v exactly: the value it reads
                root[n], level[n] = root[p], level[p]
                continue
            first = seen.setdefault((name, int(root[p])), n)
            if first == n:
                level[n] = 1 + level[p]
                by_level[int(level[n])].append(n)
            else:  # the same function of the same value again: the same value
                root[n], level[n] = first, level[first]
        else:  # pass-through, output: the value (and level) of their input
            p = int(t.pred[n])
            root[n], level[n] = root[p], level[p]
    return root, names, by_level


class Plan:
    """A network lowered to blocks (see the module docs).

    Attributes
    ----------
    n_weights : int
        Weights; ``_wx[n_weights]`` is 0 and ``_wx[n_weights + 1]`` is 1.
    blocks : list of SumBlock and ActGroup
        In evaluation order; ``blocks[k].var == k + 2``.
    width : list of int
        Columns per var.
    outputs : list of (var, col)
        The location of every network output.
    readers : list of set
        Per var, the vars of the blocks that read it (-1: the outputs).
    """

    def __init__(self, net: Network):
        s = net.validate()
        c = s.columns  # the graph as arrays: the planner works on node positions
        n_w = self.n_weights = len(s.weights)
        self.width: list[int] = [len(s.inputs), 1]
        self.blocks: list[SumBlock | ActGroup] = []
        # Where each value lives: (var, col) by node position, and as one code for numpy.
        self._loc: dict[int, Loc] = {c.pos[n]: (X, k) for k, n in enumerate(s.inputs)}
        self._loc[_BIAS_ROOT] = (ONES, 0)
        self._code = np.full(len(c.ids) + 1, -1, dtype=np.int64)  # [-1]: unused
        for p, (var, col) in self._loc.items():
            if p >= 0:
                self._code[p] = var << _SHIFT | col
        self._ids = c.ids
        terms = _Terms(s, n_w)
        root, names, by_level = _values(s, terms)
        for lv in sorted(by_level):
            nodes = sorted(by_level[lv], key=lambda n: _node_key(c.ids[n], c.attrs[n]))
            self._sums([n for n in nodes if c.kinds[n] == "sum"], terms, root, n_w)
            self._activations([n for n in nodes if c.kinds[n] == "activation"], c, terms,
                              root, names)
        self.outputs: list[Loc] = [self._loc[int(root[c.pos[o]])] for o in s.outputs]
        self.readers: list[set] = [set() for _ in self.width]
        for b in self.blocks:
            for v in {v for v, _ in b.srcs}:
                self.readers[v].add(b.var)
        for v, _ in self.outputs:
            self.readers[v].add(-1)

    def _new(self, block: SumBlock | ActGroup, nodes: list, m: int) -> None:
        self.blocks.append(block)
        self.width.append(m)
        for col, n in enumerate(nodes):
            self._loc[n] = (block.var, col)
        self._code[nodes] = (block.var << _SHIFT) + np.arange(len(nodes))
        block.nodes = [self._ids[n] for n in nodes]

    def _sums(self, sums: list, t: _Terms, root: np.ndarray, zero: int) -> None:
        """The sums of one level, one :class:`SumBlock` per set of locations they read."""
        groups: dict[bytes, list] = {}
        parts = {}
        for v in sums:
            r, k = root[t.x[t.first[v]:t.stop[v]]], t.k[t.first[v]:t.stop[v]]
            bias = r == _BIAS_ROOT
            codes = self._code[r[~bias]]
            parts[v] = (codes, k[~bias], k[bias])
            groups.setdefault(np.unique(codes).tobytes(), []).append(v)
        for key, block in groups.items():
            srcs = np.frombuffer(key, dtype=np.int64)
            d, m = len(srcs), len(block)
            codes, ks, bks = (np.concatenate([parts[v][i] for v in block]) for i in range(3))
            cols = np.repeat(np.arange(m), [len(parts[v][0]) for v in block])
            bcols = np.repeat(np.arange(m), [len(parts[v][2]) for v in block])
            index = dups = bias_idx = bias_dups = None
            if d:
                flat = np.searchsorted(srcs, codes) * m + cols
                index, dup = _slots(d * m, flat, ks, zero)
                index = index.reshape(d, m)
                if dup is not None:
                    dups = (*np.unravel_index(dup[0], (d, m)), dup[1])
            if bks.size or not d:
                bias_idx, bias_dups = _slots(m, bcols, bks, zero)
            locs = list(zip((srcs >> _SHIFT).tolist(), (srcs & ((1 << _SHIFT) - 1)).tolist()))
            self._new(SumBlock(len(self.width), locs, block, index, dups, bias_idx, bias_dups),
                      block, m)

    def _activations(self, acts: list, c: Any, t: _Terms, root: np.ndarray,
                     names: dict) -> None:
        groups: dict[tuple, list] = defaultdict(list)
        for y in acts:
            src = self._loc[int(root[t.pred[y]])]
            groups[(names[c.attrs[y]["activation"]], src[0])].append((src, y))
        for (name, _), members in sorted(groups.items(), key=lambda kv: kv[0]):
            members.sort()
            srcs = [src for src, _ in members]  # distinct: one value per (function, input)
            self._new(ActGroup(len(self.width), name, srcs, [y for _, y in members]),
                      [y for _, y in members], len(srcs))

    def only_reader(self, var: int) -> int | None:
        """The var of the one block that reads ``var`` (None: several, or an output)."""
        readers = self.readers[var]
        r = next(iter(readers)) if len(readers) == 1 else -1
        return None if r == -1 else r
