"""Explain a real scikit-learn model: an iris classifier, drawn, written out and checked.

Trains an ``MLPClassifier`` (one hidden layer of 5 tanh units) on the iris data set that
ships with scikit-learn, keeping two inputs (petal length and width) so its regions can be
drawn, then:

1. imports it with :func:`dagnet.from_sklearn` (3 outputs: the logits of setosa,
   versicolor and virginica; softmax of them is ``predict_proba``);
2. writes its explicit and simplified diagrams (``.dot`` always, ``.svg`` when Graphviz's
   ``dot`` is installed) and prints its equations;
3. plots its classifier regions (``iris-regions.png``) and checks that the region of every
   grid point is ``model.predict`` there;
4. converts the same model with ``skl2onnx``, reads the ``.onnx`` file back with
   :func:`dagnet.from_onnx` and checks that both networks give the same outputs.

Run: ``python examples/explain_sklearn_model.py [OUT_DIR]`` (default ``iris-model/``); needs
``pip install 'dagnet[sklearn,onnx]' skl2onnx``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

import dagnet
import dagnet.plot as P


def train() -> tuple:
    """The fitted model and its data (inputs: petal length and width, in cm)."""
    from sklearn.datasets import load_iris
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    iris = load_iris()
    X, y = iris.data[:, 2:4], iris.target
    model = MLPClassifier(hidden_layer_sizes=(5,), activation="tanh", max_iter=2000,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return model, X, y, list(iris.target_names)


def explain(out: Path) -> dict:
    """Do steps 1-4 (see the module docs) into ``out``; return what was measured."""
    out.mkdir(parents=True, exist_ok=True)
    model, X, y, names = train()
    net = dagnet.from_sklearn(model)
    print(f"{net}: training accuracy {model.score(X, y):.1%}")
    files = []
    for style in ("explicit", "simplified"):
        path = out / f"iris-{style}.dot"
        path.write_text(dagnet.to_dot(net, style), encoding="utf-8")
        files.append(path)
        try:
            files.append(Path(dagnet.render_diagram(net, out / f"iris-{style}.svg", style)))
        except dagnet.GraphvizMissingError:
            pass
    for eq in net.equations(weights="numeric"):
        print(f"{eq.lhs} = {eq.rhs}")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xlim = (0.0, 7.5)
    fig, ax = plt.subplots(figsize=(6, 5))
    drawn = P.regions(net, ax=ax, view="2d", xlim=xlim, n_grid=120, labels=names, style=None)
    ax.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="gray", edgecolors="none")
    ax.set_xlabel("petal length (cm)")
    ax.set_ylabel("petal width (cm)")
    files.append(Path(P.save_figure(fig, out / "iris-regions.png")))
    plt.close(fig)
    gx, gy = np.meshgrid(drawn.x, drawn.y)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    regions_agree = bool(np.array_equal(drawn.classes.ravel(), model.predict(grid)))
    print(f"regions equal model.predict at all {grid.shape[0]} grid points: {regions_agree}")

    from skl2onnx import to_onnx

    onnx_path = out / "iris.onnx"
    onnx_path.write_bytes(to_onnx(model, X[:1].astype(np.float64),
                                  options={"zipmap": False}).SerializeToString())
    from_onnx = dagnet.from_onnx(onnx_path)
    onnx_gap = float(np.abs(from_onnx.compile()(grid) - net.compile()(grid)).max())
    print(f"skl2onnx -> from_onnx: largest output difference {onnx_gap:.1e}")
    for path in files:
        print(path)
    return {"net": net, "model": model, "grid": grid, "classes": drawn.classes,
            "regions_agree": regions_agree, "onnx_net": from_onnx, "onnx_gap": onnx_gap,
            "files": files}


if __name__ == "__main__":
    result = explain(Path(sys.argv[1] if len(sys.argv) > 1 else "iris-model"))
    sys.exit(0 if result["regions_agree"] and result["onnx_gap"] <= 1e-12 else 1)
