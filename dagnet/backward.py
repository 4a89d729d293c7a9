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
(``sympy.diff`` of the loss row's sympy form, :mod:`dagnet.losses`) and runs
in reverse topological order, so every right-hand side uses only symbols
defined above it. :mod:`dagnet.backprop` compiles the same chain to numpy.

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

from typing import Any

import networkx as nx
import sympy as sp

from .graph import Network
from .losses import Loss, get_loss
from .symbolic import _name_latex, equations, symbols

__all__ = ["backward_equations", "backward_latex", "grad_symbol"]


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


def backward_equations(net: Network, loss: str | Loss = "mse") -> list[sp.Eq]:
    """One ``sympy.Eq`` per node and weight: ``dL/d(node)`` in terms of the nodes after it.

    Parameters
    ----------
    net : Network
    loss : str or Loss
        The per-point loss ``L`` whose derivative starts the chain at the outputs,
        written with the output symbols and targets ``t_0, t_1, ...`` (fitting
        averages it over points).

    Returns
    -------
    list of sympy.Eq
        In reverse topological order, the last layer first: the outputs, then per
        layer the activations, sums and weights (each ``dL/dw_ij = dL/du_ij * x_i``
        right after its ``dL/du_ij``) and the hidden nodes that feed them. Network inputs
        and bias nodes get no equation (nothing upstream of them is learned).

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


def backward_latex(net: Network, loss: str | Loss = "mse") -> str:
    r"""The backward equations as a LaTeX ``align`` block, with ``\partial L / \partial`` fractions.

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
    eqs = backward_equations(net, loss)
    names: dict[Any, str] = {}
    for eq in eqs:
        for atom in eq.atoms(sp.Symbol):
            if atom.name.startswith("dL/d"):
                names[atom] = rf"\frac{{\partial L}}{{\partial {_name_latex(atom.name[4:])}}}"
            else:
                names[atom] = _name_latex(atom.name)
    lines = [f"{names[eq.lhs]} &= {sp.latex(eq.rhs, symbol_names=names)}" for eq in eqs]
    return "\\begin{align}\n" + " \\\\\n".join(lines) + "\n\\end{align}"
