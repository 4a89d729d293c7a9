"""Draw the article's network diagrams into a folder (default ``diagrams/``).

Usage: ``python examples/draw_article_diagrams.py [OUT_DIR] [--theme plain|article]``

Writes one SVG and one PNG per figure: the explicit diagrams of y = m x + b, its renamed
bias form, the 2-input plane, two stacked linear layers, the logistic and tanh single
layers, two stacked tanh layers and the full multi-layer perceptron (1-2-2-1); the simplified
1-2-2-1, 2-3-3-1 and 2-3-3-3 networks; and, to show elision, 1-100-1 and 2-11-9-1
(explicit) and 784-128-10 (simplified). Needs Graphviz's ``dot``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import dagnet
from dagnet.draw.render import THEMES, render_diagram

#: y = m x + b: the bias node is the constant 1, the weights are m and b.
MX_PLUS_B = {
    "labels": {"L1.x0": "1", "L1.x1": "x", "L1.w00": "b", "L1.w10": "m"},
    "out_labels": {"L1.w00": "b", "L1.w10": "mx", "L1.v0": "y"},
}


def figures() -> list[tuple[str, dagnet.Network, str, dict]]:
    """(file stem, network, style, options) for every figure, in article order."""
    return [
        ("01_line_mx_plus_b", dagnet.linear(1), "explicit", MX_PLUS_B),
        ("02_line_bias_renamed", dagnet.linear(1), "explicit", {}),
        ("03_plane_2_inputs", dagnet.linear(2), "explicit", {}),
        ("04_two_stacked_layers", dagnet.mlp([1, 1, 1], activation=None), "explicit", {}),
        ("04b_two_layers_2_hidden", dagnet.mlp([1, 2, 1], activation=None), "explicit", {}),
        ("04c_two_layers_100_hidden", dagnet.mlp([1, 100, 1], activation=None), "explicit",
         {}),
        ("05_logistic", dagnet.logistic(1), "explicit", {}),
        ("07_logistic_2_inputs", dagnet.logistic(2), "explicit", {}),
        ("08_tanh", dagnet.mlp([1, 1], activation="tanh"), "explicit", {}),
        ("09_tanh_2_layers", dagnet.mlp([1, 2, 1]), "explicit", {}),
        ("10_mlp_1_2_2_1", dagnet.mlp([1, 2, 2, 1]), "explicit", {}),
        ("10b_mlp_2_11_9_1", dagnet.mlp([2, 11, 9, 1]), "explicit", {}),
        ("10c_mlp_2_11_9_1_whole", dagnet.mlp([2, 11, 9, 1]), "explicit", {"max_width": 11}),
        ("simplified_1_2_2_1", dagnet.mlp([1, 2, 2, 1]), "simplified", {}),
        ("simplified_2_3_3_1", dagnet.mlp([2, 3, 3, 1]), "simplified", {}),
        ("simplified_2_3_3_3", dagnet.mlp([2, 3, 3, 3]), "simplified", {}),
        ("simplified_1_11_9_1", dagnet.mlp([1, 11, 9, 1]), "simplified", {}),
        ("simplified_784_128_10", dagnet.mlp([784, 128, 10]), "simplified", {}),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="diagrams", help="output folder")
    parser.add_argument("--theme", default="plain", choices=sorted(THEMES))
    args = parser.parse_args(argv)
    out = Path(args.out)
    for stem, net, style, options in figures():
        start = time.perf_counter()
        for suffix in (".svg", ".png"):
            render_diagram(net, out / f"{stem}{suffix}", style, theme=args.theme, **options)
        print(f"{stem}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
