"""Step 3: draw the article's networks, explicit (every box) and simplified (circles and lines).

Run: python examples/03_draw.py [OUTPUT_FOLDER]   (default: diagrams/examples)
"""

import sys
from pathlib import Path

import dagnet

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("diagrams") / "examples"

# The logistic regression of the article: weights, a sum, the logistic f.
logistic = dagnet.logistic(1)
print(dagnet.render_diagram(logistic, out / "logistic-explicit.svg", "explicit", theme="retro"))

# The multi-layer perceptron: the full explicit diagram, then the same network simplified.
mlp = dagnet.mlp([1, 2, 2, 1], "tanh")
print(dagnet.render_diagram(mlp, out / "mlp-explicit.svg", "explicit", theme="retro"))
print(dagnet.render_diagram(mlp, out / "mlp-simplified.png", "simplified", theme="retro"))

# A wide network is elided: the first and last k nodes of each layer, and the count.
wide = dagnet.mlp([2, 11, 9, 3], "tanh")
print(dagnet.render_diagram(wide, out / "wide-simplified.svg", "simplified", k=2))

# Without Graphviz's dot program the DOT text still works.
print(dagnet.to_dot(dagnet.linear(1)).splitlines()[0], "...")
