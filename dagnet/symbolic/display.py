"""Rich display in Jupyter: equations and LaTeX that render as mathematics.

:meth:`Network.equations` returns an :class:`Equations` (a ``list`` of
``sympy.Eq``) and :meth:`Network.latex` a :class:`LatexText` (a ``str``). Both
behave exactly like their base types everywhere (same ``repr``, equality,
slicing, ``print``); in a notebook their ``_repr_latex_`` makes Jupyter show
typeset equations instead of text.

Examples
--------
>>> import dagnet
>>> eqs = dagnet.linear(1).equations()
>>> isinstance(eqs, list), eqs[0]
(True, Eq(u_00, w_00*x_0))
>>> print(eqs._repr_latex_())
$$\\begin{aligned}
u_{00} &= x_{0} w_{00} \\\\
u_{10} &= x_{1} w_{10} \\\\
v_{0} &= u_{00} + u_{10}
\\end{aligned}$$
>>> text = dagnet.linear(1).latex()
>>> text == str(text), text._repr_latex_().startswith("$$\\\\begin{aligned}")
(True, True)
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["Equations", "LatexText", "aligned"]


def aligned(lines: list[str]) -> str:
    """Lines ``lhs &= rhs`` as one display-math block that every Jupyter front end renders."""
    return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"


class Equations(list):
    """A list of ``sympy.Eq`` that Jupyter displays as aligned equations."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        from .notation import expr_latex  # the layer as the last subscript, as in latex()

        lines = []
        for eq in self:
            if isinstance(eq, sp.Eq):
                lines.append(f"{expr_latex(eq.lhs)} &= {expr_latex(eq.rhs)}")
            else:
                lines.append(expr_latex(eq))
        return aligned(lines)


class LatexText(str):
    """A LaTeX string (such as an ``align`` block) that Jupyter displays typeset."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        match = re.fullmatch(r"\s*\\begin\{align\*?\}(.*)\\end\{align\*?\}\s*", self, re.S)
        if match:
            return aligned([line.strip() for line in match.group(1).split("\\\\")
                            if line.strip()])
        return f"$${self}$$"
