"""`dagnet gallery` cost: CPU seconds and wall / CPU, in one run (issue 14: Gallery).

Usage: ``python benchmarks/bench_gallery.py [--frames N] [--per-step]``.

Builds the whole gallery (default frames, the "What it learned" fits included) into a
temporary folder as ``dagnet gallery`` does, and prints its CPU seconds (this process, its
worker processes and Graphviz's ``dot``), its wall time and the ratio wall / CPU, with the
load average before and after. Targets: CPU <= 27 s, and wall / CPU <= 0.6 on 2 cores (a
ratio near 1 / cores means the workers kept every core busy; on a machine other processes
load, wall time, and so the ratio, grow with their load: read CPU seconds there).
``--per-step`` then prints the CPU seconds of each step built alone in this process.
Needs Graphviz's ``dot``.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

from dagnet.gallery.build import DEFAULT_FRAMES, _build_step, build_gallery
from dagnet.gallery.steps import ARTICLE

CPU_TARGET = 27.0
RATIO_TARGET = 0.6


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=DEFAULT_FRAMES)
    parser.add_argument("--per-step", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    out = tempfile.mkdtemp()
    wall, cpu = time.perf_counter(), _cpu()
    result = build_gallery(out, frames=args.frames, progress=False)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    ratio = wall / cpu
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"gallery ({args.frames} frames per GIF, {len(result.files)} files): "
          f"CPU {cpu:.1f} s (target <= {CPU_TARGET:.0f}: "
          f"{'holds' if cpu <= CPU_TARGET else 'misses'}), wall {wall:.1f} s, "
          f"wall / CPU {ratio:.2f} (target <= {RATIO_TARGET}: "
          f"{'holds' if ratio <= RATIO_TARGET else 'misses'})")
    if args.per_step:
        out = tempfile.mkdtemp()
        steps = []
        for row in ARTICLE:
            start = _cpu()
            _build_step(row.number, out, 0, "article", args.frames)
            steps.append(f"{row.number}:{_cpu() - start:.1f}")
        print("CPU s per step:", " ".join(steps))


if __name__ == "__main__":
    main()
