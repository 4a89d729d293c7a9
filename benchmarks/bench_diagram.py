"""Diagram render times: the issue's budgets (784-128-10 simplified SVG under 5 s).

Usage: ``python benchmarks/bench_diagram.py``. Prints seconds per step and each render's
share of the 5 s budget (a ratio, so slow and fast machines read the same way). Needs
Graphviz's ``dot``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import dagnet
from dagnet.draw.render import render_diagram, to_dot

BUDGET = 5.0


def _time(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    out = Path(tempfile.mkdtemp())
    cases = [([784, 128, 10], "simplified", {}), ([784, 128, 10], "explicit", {}),
             ([2, 11, 9, 1], "explicit", {}), ([2, 11, 9, 1], "explicit", {"max_width": 11}),
             ([2, 11, 9, 1], "simplified", {})]
    nets: dict[tuple, dagnet.Network] = {}
    for sizes, style, options in cases:
        key = tuple(sizes)
        if key not in nets:
            t_build, nets[key] = _time(lambda s=sizes: dagnet.mlp(s))
            t_valid, _ = _time(nets[key].validate)
            print(f"{'-'.join(map(str, sizes))}: build {t_build:.2f} s, "
                  f"first validate {t_valid:.2f} s")
        net = nets[key]
        t_dot, text = _time(lambda n=net, s=style, o=options: to_dot(n, s, **o))
        path = out / f"{'-'.join(map(str, sizes))}-{style}.svg"
        t_svg, _ = _time(lambda n=net, s=style, o=options, p=path: render_diagram(n, p, s, **o))
        print(f"  {style:10s} {options!s:18s} to_dot {t_dot:.2f} s, to_dot + dot -> SVG "
              f"{t_svg:.2f} s = {t_svg / BUDGET:.2f} of the {BUDGET:.0f} s budget, "
              f"{text.count(chr(10))} DOT lines")


if __name__ == "__main__":
    main()
