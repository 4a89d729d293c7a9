"""Diagram cost against building the network, measured in the same run (issue 14: Draw).

Usage: ``python benchmarks/bench_diagram.py [--reps N] [--sizes 784-128-10 ...]``.

For each network: ``dagnet.mlp(sizes)`` (the build), ``net.validate()`` on it, then
``to_dot`` in the simplified and the explicit style (both elided: the default
``max_width``), with the validation already cached and on a freshly built network
(validation included). Each row is the best of ``--reps`` interleaved repetitions and
reads as a ratio to the build of the same repetition set (CPU seconds of this process, which
other processes' load disturbs less than wall time); the target is
``simplified / build <= 0.2``. Then one SVG render through Graphviz's ``dot`` (needs
``dot``; skipped without it). Ratios, not seconds, are what compare across machines.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import dagnet
from dagnet.draw.render import has_dot, render_diagram, to_dot

TARGET = 0.2


def _time(fn):
    """CPU seconds of ``fn()`` in this process (steadier than wall time on a busy machine)."""
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def measure(sizes: list[int], reps: int) -> dict[str, float]:
    """Best-of-``reps`` seconds of each step (interleaved, one network per repetition)."""
    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, float("inf")), seconds)

    for _ in range(reps):
        t, net = _time(lambda: dagnet.mlp(sizes))
        keep("build", t)
        keep("simplified, fresh (validation included)",
             _time(lambda n=net: to_dot(n, "simplified"))[0])
        keep("explicit, validation cached", _time(lambda n=net: to_dot(n, "explicit"))[0])
        keep("simplified, validation cached", _time(lambda n=net: to_dot(n, "simplified"))[0])
        fresh = dagnet.mlp(sizes)
        keep("validate (fresh build)", _time(fresh.validate)[0])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sizes", nargs="*", default=["784-128-10"])
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; best of {args.reps}")
    print("| network | step | CPU s | / build |")
    print("|---|---|---|---|")
    for spec in args.sizes:
        sizes = [int(s) for s in spec.split("-")]
        best = measure(sizes, args.reps)
        build = best["build"]
        for name, seconds in best.items():
            print(f"| {spec} | {name} | {seconds:.3f} | {seconds / build:.3f} |")
        ratio = best["simplified, validation cached"] / build
        print(f"target: simplified diagram <= {TARGET}x build: {ratio:.3f}x "
              f"({'holds' if ratio <= TARGET else 'misses'}; validation is the network's, "
              "cached after the first stage that needs it)")
    if has_dot():
        net = dagnet.mlp([784, 128, 10])
        net.validate()  # the renders below then time drawing and dot only
        out = Path(tempfile.mkdtemp())
        for style in ("simplified", "explicit"):
            wall = time.perf_counter()
            render_diagram(net, out / f"{style}.svg", style)
            print(f"784-128-10 {style}: to_dot + dot -> SVG {time.perf_counter() - wall:.2f} s "
                  "wall")


if __name__ == "__main__":
    main()
