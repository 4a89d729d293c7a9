"""The backward equations: how the loss depends on every node and weight, in symbols.

Learning needs ``dL/dw_ij`` for every weight. Each comes from the per-node
equations of :mod:`dagnet.symbolic`, read backwards: for a node ``n`` with
successors ``s``, ``dL/dn = sum_s dL/ds * ds/dn``, where ``ds/dn`` is
``sympy.diff`` of ``s``'s own equation with respect to ``n``:

* ``u_ij = x_i w_ij`` gives ``du_ij/dx_i = w_ij`` and ``du_ij/dw_ij = x_i``;
* ``v_j = sum_i u_ij`` gives ``dv_j/du_ij = 1``;
* ``y_j = f(v_j)`` gives ``dy_j/dv_j = f'(v_j)`` (``1 - tanh(v_j)**2`` for tanh);
* a pass-through ``x_{j+1}^{L+1} = y_j^L`` gives 1.

The chain starts at the outputs with the derivative of the per-point loss
(``sympy.diff`` of the loss row's sympy form, :mod:`dagnet.core.losses`) and runs
in reverse topological order, so every right-hand side uses only symbols
defined above it. :mod:`dagnet.compiled.backprop` compiles the same chain to numpy.
``form="indexed"`` writes it for a fully layered network as a few equations per
layer with ``Indexed`` and ``Sum`` (:func:`indexed_backward_equations`), the
mirror of ``net.equations(form="indexed")``.

Examples
--------
>>> import dagnet
>>> for eq in dagnet.backward_equations(dagnet.mlp([1, 1], "tanh")):
...     print(eq)
Eq(dL/dy_0, -2*t_0 + 2*y_0)
Eq(dL/dv_0, dL/dy_0*(1 - tanh(v_0)**2))
Eq(dL/du_00, dL/dv_0)
Eq(dL/dw_00, dL/du_00*x_0)
Eq(dL/du_10, dL/dv_0)
Eq(dL/dw_10, dL/du_10*x_1)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import networkx as nx
import sympy as sp

from ..core.activations import Activation, get_activation
from ..core.graph import as_network
from ..core.losses import Loss, get_loss
from ..errors import NetworkError, NotLayeredError
from .notation import equations, expr_latex, indexed_layers, name_latex, symbols

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["backward_equations", "backward_latex", "grad_symbol", "grad_base",
           "indexed_backward_equations"]


def grad_symbol(name: str) -> sp.Symbol:
    """The symbol ``dL/d<name>`` for the loss's derivative by the value ``name``.

    >>> grad_symbol("w_10^II")
    dL/dw_10^II
    """
    return sp.Symbol(f"dL/d{name}")


def _times(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return a if b == 1 else sp.Mul(a, b, evaluate=False)


_RANK = {"output": 0, "activation": 1, "sum": 2, "weight": 3, "input": 4, "bias": 5}


def _backward_order(G) -> list:
    """Every node after all the nodes it feeds; among those free to go next, the last layer
    first, then outputs, activations, sums, weights and inputs, by index (readable order)."""
    nodes = G.nodes

    def key(n: Any) -> tuple:
        a = nodes[n]
        return (-a["layer"], _RANK[a["kind"]], a.get("j", a.get("index", 0)), a.get("i", 0),
                str(n))

    return list(nx.lexicographical_topological_sort(G.reverse(copy=False), key=key))


def backward_equations(net: Network, loss: str | Loss = "mse",
                       form: str = "nodes") -> list[sp.Eq]:
    """One ``sympy.Eq`` per node and weight: ``dL/d(node)`` in terms of the nodes after it.

    Every equation is per point: ``L`` is the loss of one point, and
    :func:`dagnet.gradient` is the mean of these ``dL/dw_ij`` over the points.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    loss : str or Loss
        The per-point loss ``L`` whose derivative starts the chain at the outputs,
        written with the output symbols and targets ``t_0, t_1, ...`` (fitting
        averages it over points).
    form : {"nodes", "indexed"}
        ``"nodes"``: one equation per node, as below. ``"indexed"``: a handful of
        equations per layer with ``Indexed`` and ``Sum``, whatever the widths (only
        for fully layered networks; see :func:`indexed_backward_equations`).

    Returns
    -------
    list of sympy.Eq
        In reverse topological order, the last layer first: the outputs, then per
        layer the activations, sums and weights (each ``dL/dw_ij = dL/du_ij * x_i``
        right after its ``dL/du_ij``) and the hidden nodes that feed them. Network inputs
        and bias nodes get no equation (nothing upstream of them is learned).

    Raises
    ------
    NotLayeredError
        ``form="indexed"`` on a network that is not fully layered.
    NetworkError
        An unknown ``form``.

    Examples
    --------
    A hidden pass-through node collects the gradient of every weight it feeds:

    >>> import dagnet
    >>> eqs = {str(e.lhs): e.rhs for e in dagnet.backward_equations(dagnet.mlp([1, 2, 1]))}
    >>> eqs["dL/dx_1^II"]
    dL/du_10^II*w_10^II
    >>> eqs["dL/dw_11^I"]
    dL/du_11^I*x_1^I
    """
    net = as_network(net)
    if form == "indexed":
        return indexed_backward_equations(net, loss)
    if form != "nodes":
        raise NetworkError(f"form must be 'nodes' or 'indexed', got {form!r}")
    row = get_loss(loss)
    s = net.validate()
    G = net.graph
    sym = symbols(net)
    rhs = {eq.lhs: eq.rhs for eq in equations(net)}
    wsym = dict(zip(s.weights, (sp.Symbol(n) for n in net.weight_names)))
    outs = [sym[o] for o in s.outputs]
    targets = [sp.Symbol(f"t_{k}") for k in range(len(outs))]
    per_point = row.sympy(outs, targets)
    out_eqs = {o: sp.diff(per_point, sym[o]) for o in s.outputs}
    result = []
    for n in _backward_order(G):
        kind = G.nodes[n]["kind"]
        if kind == "bias" or (kind == "input" and G.in_degree(n) == 0):
            continue
        terms = [_times(grad_symbol(sym[t].name), sp.diff(rhs[sym[t]], sym[n]))
                 for t in G.successors(n)]
        if n in out_eqs:
            terms.append(out_eqs[n])
        value = terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)
        result.append(sp.Eq(grad_symbol(sym[n].name), value, evaluate=False))
        if kind == "weight":
            w = wsym[n]
            result.append(sp.Eq(grad_symbol(w.name),
                                _times(grad_symbol(sym[n].name), sp.diff(rhs[sym[n]], w)),
                                evaluate=False))
    return result


def backward_latex(net: Network, loss: str | Loss = "mse", form: str = "nodes") -> str:
    r"""The backward equations as a LaTeX ``align`` block, with ``\partial L / \partial`` fractions.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    loss : str or Loss, default "mse"
        The per-point loss, as in :func:`backward_equations`.
    form : {"nodes", "indexed"}, default "nodes"
        As in :func:`backward_equations`: ``"indexed"`` writes the few per-layer
        equations of a fully layered network, one aligned line each.

    Returns
    -------
    str
        ``\begin{align}`` ... ``\end{align}``, one ``&=`` line per equation.

    Raises
    ------
    NotLayeredError
        ``form="indexed"`` on a network that is not fully layered.
    NetworkError
        An unknown ``form``.
    FitError
        An unknown ``loss``.

    Examples
    --------
    >>> import dagnet
    >>> print(dagnet.backward_latex(dagnet.linear(1)))
    \begin{align}
    \frac{\partial L}{\partial v_{0}} &= - 2 t_{0} + 2 v_{0} \\
    \frac{\partial L}{\partial u_{00}} &= \frac{\partial L}{\partial v_{0}} \\
    \frac{\partial L}{\partial w_{00}} &= \frac{\partial L}{\partial u_{00}} x_{0} \\
    \frac{\partial L}{\partial u_{10}} &= \frac{\partial L}{\partial v_{0}} \\
    \frac{\partial L}{\partial w_{10}} &= \frac{\partial L}{\partial u_{10}} x_{1}
    \end{align}
    """
    net = as_network(net)
    eqs = backward_equations(net, loss, form=form)
    lines = _indexed_latex(eqs) if form == "indexed" else _node_latex(eqs)
    return "\\begin{align}\n" + " \\\\\n".join(lines) + "\n\\end{align}"


def _node_latex(eqs: list[sp.Eq]) -> list[str]:
    names: dict[Any, str] = {}
    for eq in eqs:
        for atom in eq.atoms(sp.Symbol):
            if atom.name.startswith("dL/d"):
                names[atom] = rf"\frac{{\partial L}}{{\partial {name_latex(atom.name[4:])}}}"
            else:
                names[atom] = name_latex(atom.name)
    return [f"{names[eq.lhs]} &= {sp.latex(eq.rhs, symbol_names=names)}" for eq in eqs]


# -- the layered (indexed) form ----------------------------------------------------------
def indexed_backward_equations(net: Network, loss: str | Loss = "mse") -> list[sp.Eq]:
    """The backward equations per layer, with ``Indexed`` and ``Sum``: a few per layer.

    The mirror of ``net.equations(form="indexed")`` (same symbols: ``x^L[i]``,
    ``w^L[i, j]``, ``v^L[j]``, ``y^L[j]``, targets ``t[j]``), for a fully layered
    network. From the last layer to the first:

    * at the outputs, ``dL/dy^L[j]`` (``dL/dv^L[j]`` without an activation) is
      ``sympy.diff`` of the per-point loss by output ``j``; a sum over the outputs
      (softmax) is written ``Sum(..., (k, 0, K-1))``. A loss whose derivative is
      not the same expression for every output gets one equation per output;
    * ``dL/dv^L[j] = dL/dy^L[j] * f'(v^L[j])``, ``f'`` by ``sympy.diff`` (none
      for a layer without an activation, nor for identity, where ``f' = 1``);
    * ``dL/dw^L[i, j] = dL/dv^L[j] * x^L[i]``;
    * below the first layer, ``dL/dx^L[i] = Sum(w^L[i, j] * dL/dv^L[j], (j, ...))``
      and the link ``dL/dy^{L-1}[j] = dL/dx^L[j + 1]`` (``x^L[0] = 1`` is the
      bias: it has nothing upstream). ``dL/du^L[i, j] = dL/dv^L[j]`` is left implicit.

    Like the node form the equations are per point: ``L`` is the loss of one point
    (for mse the mean over the outputs, ``2 (y_j - t_j) / K``), and
    :func:`dagnet.gradient` is the mean of ``dL/dw^L[i, j]`` over the points.

    Raises
    ------
    NotLayeredError
        If ``net`` is not fully layered (use ``form="nodes"``).

    Examples
    --------
    >>> import dagnet
    >>> for eq in indexed_backward_equations(dagnet.mlp([1, 3, 1], "tanh")):
    ...     print(eq)
    Eq(dL/dy^II[j], -2*t[j] + 2*y^II[j])
    Eq(dL/dv^II[j], (1 - tanh(v^II[j])**2)*dL/dy^II[j])
    Eq(dL/dw^II[i, j], dL/dv^II[j]*x^II[i])
    Eq(dL/dx^II[i], Sum(dL/dv^II[j]*w^II[i, j], (j, 0, 0)))
    Eq(dL/dy^I[j], dL/dx^II[j + 1])
    Eq(dL/dv^I[j], (1 - tanh(v^I[j])**2)*dL/dy^I[j])
    Eq(dL/dw^I[i, j], dL/dv^I[j]*x^I[i])
    """
    net = as_network(net)
    row = get_loss(loss)
    rows, i, j = indexed_layers(net)
    _check_outputs(net, rows[-1])
    out: list[sp.Eq] = []
    for n in range(len(rows) - 1, -1, -1):
        layer = rows[n]
        sup, n_out = layer["sup"], layer["n_out"]
        x, w, v = (sp.IndexedBase(c + sup) for c in "xwv")
        dv, dw, dx = (grad_base(c + sup) for c in "vwx")
        if n == len(rows) - 1:
            value = sp.IndexedBase(layer["value"] + sup)
            lhs = grad_base(layer["value"] + sup)
            out += [_eq(lhs[m], d) for m, d in _output_gradient(row, value, n_out, j)]
        if layer["activation"] is not None:
            slope = _slope(get_activation(layer["activation"])).xreplace({_ARG: v[j]})
            out.append(_eq(dv[j], _times(grad_base("y" + sup)[j], slope)))
        out.append(_eq(dw[i, j], sp.Mul(dv[j], x[i], evaluate=False)))
        if n:
            prev = rows[n - 1]
            out.append(_eq(dx[i], sp.Sum(sp.Mul(w[i, j], dv[j], evaluate=False),
                                         (j, 0, n_out - 1))))
            out.append(_eq(grad_base(prev["value"] + prev["sup"])[j], dx[j + 1]))
    return out


def grad_base(name: str) -> sp.IndexedBase:
    """The indexed ``dL/d<name>``, e.g. ``grad_base("v^II")[j]`` is ``dL/dv^II[j]``."""
    return sp.IndexedBase(f"dL/d{name}")


_ARG = sp.Symbol("_dagnet_arg")


@functools.lru_cache(maxsize=64)
def _slope(act: Activation) -> sp.Expr:
    """``f'`` of an activation at ``_ARG``, by ``sympy.diff`` (kept: ~10 ms a call)."""
    with sp.evaluate(False):
        f = act.sympy(_ARG)
    return sp.diff(f, _ARG)


def _eq(lhs: sp.Expr, rhs: sp.Expr) -> sp.Eq:
    return sp.Eq(lhs, rhs, evaluate=False)


def _check_outputs(net: Network, last: dict[str, Any]) -> None:
    """The indexed form starts at the last layer: the outputs must be exactly its values."""
    s = net.validate()
    nodes = net.graph.nodes
    if len(s.outputs) != last["n_out"] or any(nodes[o]["layer"] != last["layer"]
                                              for o in s.outputs):
        raise NotLayeredError(
            f"the outputs {list(s.outputs)!r} are not the {last['n_out']} values of the last "
            f"layer {last['layer']}; the indexed form needs them to be: use form='nodes'")


def _output_gradient(row: Loss, value: sp.IndexedBase, n_out: int,
                     j: sp.Symbol) -> list[tuple[Any, sp.Expr]]:
    """``(index, dL/d value[index])`` from ``sympy.diff`` of the per-point loss: one pair with
    the index ``j`` when the derivative by output 0 generalizes to every output, else one
    pair per output."""
    t = sp.IndexedBase("t")
    outs, targets = [value[m] for m in range(n_out)], [t[m] for m in range(n_out)]
    per_point = row.sympy(outs, targets)
    exact = [sp.diff(per_point, o) for o in outs]
    k = sp.Symbol("k", integer=True, nonnegative=True)
    general = _fold(exact[0], outs, targets, k).xreplace({outs[0]: value[j], targets[0]: t[j]})
    for m, d in enumerate(exact):
        got = general.xreplace({j: sp.Integer(m)}).doit()
        if got != d and sp.simplify(got - d) != 0:
            return list(enumerate(exact))
    return [(j, general)]


def _fold(e: sp.Expr, outs: list, targets: list, k: sp.Symbol) -> sp.Expr:
    """Write a sum of one term per output (the same term with another index) as a ``Sum``."""
    K = len(outs)
    if K < 2 or not e.args:
        return e
    args = [_fold(a, outs, targets, k) for a in e.args]
    if not isinstance(e, sp.Add):
        return e.func(*args)
    index = {x: m for m, x in enumerate(outs)} | {x: m for m, x in enumerate(targets)}
    value, t = outs[0].base, targets[0].base
    groups: dict[sp.Expr, list] = {}
    rest = []
    for a in args:
        ms = {index[x] for x in a.atoms(sp.Indexed) if x in index}
        if len(ms) == 1:
            m = ms.pop()
            template = a.xreplace({outs[m]: value[k], targets[m]: t[k]})
            groups.setdefault(template, []).append((m, a))
        else:
            rest.append(a)
    for template, members in groups.items():
        if sorted(m for m, _ in members) == list(range(K)):
            rest.append(sp.Sum(template, (k, 0, K - 1)))
        else:
            rest += [a for _, a in members]
    return sp.Add(*rest)


def _indexed_latex(eqs: list[sp.Eq]) -> list[str]:
    r"""One ``lhs &= rhs`` line per equation in the article's notation: ``dL/dv^I[j]`` is
    written ``\frac{\partial L}{\partial v_{j,\mathrm{I}}}`` (the layer subscript last)."""
    return [f"{expr_latex(eq.lhs)} &= {expr_latex(eq.rhs, order=None)}" for eq in eqs]
