"""Step 4: meet the families: random weights, then curves, surfaces, regions and a GIF.

Run: python examples/04_plot.py [OUTPUT_FOLDER]   (default: diagrams/examples)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dagnet  # noqa: E402
from dagnet import plot  # noqa: E402

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("diagrams") / "examples"

# Linear: however many layers and hidden nodes, every draw is a straight line.
res = plot.family(dagnet.mlp([1, 100, 1], None), n=20, rng=0)
print(plot.save_figure(res.figure, out / "linear-family.png"))
plt.close(res.figure)

# tanh, 3 layers of 11 and 9 hidden nodes: wiggles, peaks and valleys.
res = plot.family(dagnet.mlp([1, 11, 9, 1], "tanh"), n=20, rng=0)
print(plot.save_figure(res.figure, out / "tanh-family.png"))
plt.close(res.figure)

# Two inputs: one draw's surface, its contours projected on the floor.
net = dagnet.mlp([2, 11, 9, 1], "tanh", rng=1)
res = plot.surface(net)
print(plot.save_figure(res.figure, out / "tanh-surface.png"))
plt.close(res.figure)

# Three outputs: argmax chooses the category in each region.
classifier = dagnet.mlp([1, 11, 9, 3], "tanh", rng=2)
res = plot.regions(classifier)
print(plot.save_figure(res.figure, out / "three-outputs-regions.png"))
plt.close(res.figure)

# The article's animations: one random network per frame.
print(plot.animate(dagnet.logistic(1), out / "logistic.gif", n_frames=6, rng=0))
