"""`dagnet gallery` time against the issue's budget (the whole article under 60 s on 2 cores).

Usage: ``python benchmarks/bench_gallery.py [FRAMES ...]`` (default: 12 and 49 frames per GIF).
Prints wall time and CPU time (this process and its workers) and the wall time's share of the
60 s budget (a ratio), then the CPU seconds of each step built in this process. CPU time is
the number to compare on a busy machine: wall time there depends on other processes.
Needs Graphviz's ``dot``.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time

from dagnet.gallery.build import _build_step, build_gallery
from dagnet.gallery.steps import ARTICLE

BUDGET = 60.0


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(frames: list[int]) -> None:
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for n in frames:
        out = tempfile.mkdtemp()
        wall, cpu = time.perf_counter(), _cpu()
        result = build_gallery(out, frames=n, progress=False)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        print(f"{n:2d} frames: {len(result.files)} files, wall {wall:.1f} s = "
              f"{wall / BUDGET:.2f} of the {BUDGET:.0f} s budget, CPU {cpu:.1f} s")
    out = tempfile.mkdtemp()
    per_step = []
    for row in ARTICLE:
        start = _cpu()
        _build_step(row.number, out, 0, "article", frames[0])
        per_step.append(f"{row.number}:{_cpu() - start:.1f}")
    print(f"CPU s per step ({frames[0]} frames):", " ".join(per_step))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [12, 49])
