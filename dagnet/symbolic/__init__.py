"""dagnet.symbolic: the network as sympy equations, the second stage of the pipeline.

===================  ================================================================
:mod:`.equations`    one equation per node in the article's notation, the indexed
                     per-layer form, output expressions and LaTeX
:mod:`.matrixform`   one sympy matrix equation per dense block (what the compiled
                     code is printed from)
:mod:`.analysis`     linearity, the collapsed affine form, the output range
:mod:`.backward`     the backward (gradient) equations, per node or per layer
:mod:`.display`      Jupyter display of equations and LaTeX
===================  ================================================================
"""

from .analysis import AffineForm, is_linear, linear_coefficients, output_range
from .backward import backward_equations, backward_latex
from .matrixform import MatrixForm, matrix_equations, matrix_latex
from .notation import equations, expression, latex, layer_table, symbols

__all__ = [
    "equations", "expression", "latex", "layer_table", "symbols",
    "MatrixForm", "matrix_equations", "matrix_latex",
    "AffineForm", "is_linear", "linear_coefficients", "output_range",
    "backward_equations", "backward_latex",
]
