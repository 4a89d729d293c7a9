"""Step 2: the equations of the article's networks, in its notation.

Run: python examples/02_equations.py
"""

import dagnet

line = dagnet.linear(1)
print("The line, one equation per node:")
for eq in line.equations():
    print("   ", eq.lhs, "=", eq.rhs)
print("Collapsed:", line.linear_coefficients())

# Stacking linear layers collapses to one line again, however wide (the article's 100 hidden).
deep = dagnet.mlp([1, 100, 1], activation=None)
form = deep.linear_coefficients()
print("1-100-1 linear is linear:", deep.is_linear(), "- slope has", len(form.slopes[0].args),
      "terms")

# The logistic function and tanh, written out to the input.
print("logistic:", dagnet.logistic(1).expression())
print("tanh 1-2-1:", dagnet.mlp([1, 2, 1], "tanh").expression())

# The article's compact form with indices i, j and the layer, as LaTeX.
print(dagnet.mlp([1, 11, 9, 1], "tanh").latex(form="indexed"))
