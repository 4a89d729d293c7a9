"""The matrix form: one sympy matrix equation per dense block of a network.

The block planner (:mod:`dagnet.core.blocks`) lowers any valid network to dense
blocks; here each block becomes a ``sympy.Eq`` between matrix expressions over
``n`` points (rows):

* a sum block: ``V_b = S W_b + 1_n B_b``, where ``S`` is the block's source (a
  ``MatrixSymbol`` for a whole value, a ``MatrixSlice`` for a run of its
  columns, a ``BlockMatrix`` when several runs are gathered), ``W_b`` the (d, m)
  weights, ``B_b`` the (1, m) biases and ``1_n = OneMatrix(n, 1)``, which writes
  numpy's broadcast bias as matrix algebra. No bias: no bias term; no source
  (d = 0): ``V_b = 1_n B_b``;
* an activation group: ``Y_b = f.(S)``, the registry's sympy form applied
  element by element (``ElementwiseApplyFunction``);
* last, ``OUT = S``: which columns are the network's outputs.

Names follow the compiled code (``f.source``): ``X`` the inputs, ``V<k>``,
``W<k>``, ``B<k>`` per sum block and ``Y<k>`` per activation group, numbered in
evaluation order; an activation computed in place over its whole sum block
keeps that block's number (``Y1 = tanh.(V1)``, in the code ``V1`` overwritten;
a further one in place over that gets a prime, ``Y1' = relu.(Y1)``).
:mod:`dagnet.compiled.printer` prints these equations as the forward code of
``net.compile()`` and of the compiled gradient.

Examples
--------
>>> import dagnet
>>> for eq in dagnet.mlp([1, 3, 1], "tanh").equations(form="matrix"):
...     print(eq)
Eq(V1, X*W1 + 1*B1)
Eq(Y1, Lambda(v, tanh(v)).(V1))
Eq(V2, Y1*W2 + 1*B2)
Eq(Y2, Lambda(v, tanh(v)).(V2))
Eq(OUT, Y2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.latex import LatexPrinter

from ..core.activations import V, get_activation
from ..core.blocks import ONES, ActGroup, Plan, SumBlock, X, runs
from ..core.graph import as_network

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["MatrixForm", "matrix_equations", "matrix_latex", "in_place"]

#: The number of points: the row count of every value matrix.
N = sp.Symbol("n", integer=True, positive=True)


def in_place(plan: Plan, group: ActGroup, is_sum: bool) -> bool:
    """Whether the activation ``group`` may overwrite its source: it reads every column
    of one sum block's value (``is_sum``) and nothing else reads that value."""
    var = group.srcs[0][0]
    return is_sum and len(group.srcs) == plan.width[var] and plan.only_reader(var) == group.var


class MatrixForm:
    """The matrix equations of a network's block plan (see the module docs).

    Parameters
    ----------
    net : Network
        A valid network.
    plan : Plan, optional
        Its dense-block plan (:class:`dagnet.core.blocks.Plan`); planned here when omitted.

    Attributes
    ----------
    plan : Plan
        The blocks the equations state.
    equations : list of sympy.Eq
        One per block of ``plan.blocks`` (same order), then ``OUT = ...``.
    values : dict
        Var id (:data:`~dagnet.core.blocks.X`, ``ONES``, block vars) -> its matrix.
    functions : dict
        Each activation's sympy ``Lambda`` -> its registry name.
    overwrites : dict
        Name of each activation value computed in place -> the name of the value whose
        buffer it overwrites (``"Y1" -> "V1"``, ``"Y1'" -> "Y1"``).

    Examples
    --------
    >>> import dagnet
    >>> form = MatrixForm(dagnet.mlp([2, 3, 1], "tanh"))
    >>> [str(eq.lhs) for eq in form.equations]
    ['V1', 'Y1', 'V2', 'Y2', 'OUT']
    >>> form.overwrites
    {'Y1': 'V1', 'Y2': 'V2'}
    """

    def __init__(self, net: Network, plan: Plan | None = None):
        plan = self.plan = Plan(net) if plan is None else plan
        width = plan.width
        self.values: dict[int, Any] = {X: sp.MatrixSymbol("X", N, width[X]),
                                       ONES: sp.OneMatrix(N, 1)}
        self.functions: dict[sp.Lambda, str] = {}
        self.overwrites: dict[str, str] = {}
        lambdas: dict[str, sp.Lambda] = {}
        self.equations: list[sp.Eq] = []
        sums: set[int] = set()
        k = 0
        for block in plan.blocks:
            m = width[block.var]
            if isinstance(block, SumBlock):
                k += 1
                lhs = sp.MatrixSymbol(f"V{k}", N, m)
                sums.add(block.var)
                rhs = self._sum(block, k, m)
            else:
                src = block.srcs[0][0]
                if in_place(plan, block, src in sums):  # V1 -> Y1 (then Y1' -> Y1'')
                    sums.add(block.var)
                    name = self.values[src].name
                    num = name[1:] + ("'" if name[0] == "Y" else "")
                    self.overwrites[f"Y{num}"] = name
                else:
                    k += 1
                    num = str(k)
                lhs = sp.MatrixSymbol(f"Y{num}", N, m)
                if block.name not in lambdas:
                    with sp.evaluate(False):
                        fn = sp.Lambda(V, get_activation(block.name).sympy(V))
                    lambdas[block.name] = fn
                    self.functions.setdefault(fn, block.name)
                rhs = ElementwiseApplyFunction(lambdas[block.name], self.source(block.srcs))
            self.values[block.var] = lhs
            self.equations.append(sp.Eq(lhs, rhs, evaluate=False))
        out = sp.MatrixSymbol("OUT", N, len(plan.outputs))
        self.equations.append(sp.Eq(out, self.source(plan.outputs), evaluate=False))

    def _sum(self, block: SumBlock, k: int, m: int) -> Any:
        d = len(block.srcs)
        terms = []
        if d:
            terms.append(sp.MatMul(self.source(block.srcs), sp.MatrixSymbol(f"W{k}", d, m)))
        if block.bias is not None:
            terms.append(sp.MatMul(self.values[ONES], sp.MatrixSymbol(f"B{k}", 1, m)))
        return terms[0] if len(terms) == 1 else sp.MatAdd(*terms)

    def source(self, locs: list) -> Any:
        """The columns ``locs`` (var, column) side by side, as a matrix expression.

        Parameters
        ----------
        locs : list of tuple
            ``(var, column)`` pairs: a var id of the plan and a column of its value.

        Returns
        -------
        sympy.MatrixExpr
            The value itself when ``locs`` are all its columns in order, a slice for one
            run of columns, a ``BlockMatrix`` of slices for several runs.

        Examples
        --------
        >>> import dagnet
        >>> from dagnet.core.blocks import X
        >>> form = MatrixForm(dagnet.as_network(dagnet.mlp([2, 3, 1])))
        >>> form.source([(X, 0), (X, 1)]), form.source([(X, 1)])
        (X, X[:, 1:])
        """
        parts = []
        for var, a, b in runs(locs):
            value = self.values[var]
            parts.append(value if (a == 0 and b == self.plan.width[var]) else value[:, a:b])
        return parts[0] if len(parts) == 1 else sp.BlockMatrix([parts])


def matrix_equations(net: Network) -> list[sp.Eq]:
    """The matrix form's equations of ``net`` (see the module docs); any valid DAG.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    list of sympy.Eq
        One per dense block in evaluation order (``V1 = X W1 + 1_n B1``,
        ``Y1 = tanh.(V1)``, ...), then ``OUT = ...``.

    Raises
    ------
    NetworkError
        The network is invalid (a subclass names the node and the fix).

    Examples
    --------
    >>> import dagnet
    >>> for eq in matrix_equations(dagnet.linear(2)):
    ...     print(eq)
    Eq(V1, X*W1 + 1*B1)
    Eq(OUT, V1)
    """
    net = as_network(net)
    return MatrixForm(net).equations


class _Latex(LatexPrinter):
    """sympy's LaTeX, with the column of ones written ``\\mathbf{1}_{n}``."""

    def _print_OneMatrix(self, expr: Any) -> str:
        return rf"\mathbf{{1}}_{{{self._print(expr.shape[0])}}}"


def matrix_latex(net: Network) -> list[str]:
    """One ``lhs &= rhs`` LaTeX line per matrix equation.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    list of str
        One line per equation of :func:`matrix_equations`, without the ``align`` frame.

    Raises
    ------
    NetworkError
        The network is invalid (a subclass names the node and the fix).

    Examples
    --------
    >>> import dagnet
    >>> print(matrix_latex(dagnet.mlp([1, 1], "tanh"))[0])
    V_{1} &= X W_{1} + \\mathbf{1}_{n} B_{1}
    """
    net = as_network(net)
    printer = _Latex()
    return [f"{printer.doprint(e.lhs)} &= {printer.doprint(e.rhs)}"
            for e in matrix_equations(net)]
