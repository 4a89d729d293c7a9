"""Start-up time: ``import dagnet``, its graph (``dagnet.mlp``: the first name used imports
:mod:`dagnet.core`), ``dagnet --help``, ``dagnet --version`` against the floor
``import networkx, numpy`` (dagnet's graph needs both), each in a fresh interpreter.

Usage: ``python benchmarks/bench_startup.py [--repeat 20] [--out benchmarks/RESULTS.md]``
(``make bench`` runs it). Rounds are interleaved (floor, import, graph, --help, --version,
then again) and every column keeps its smallest value over the rounds. Three times per row,
each with its ratio to the floor of the same run:

- *wall*: the whole command (``python -c ...``), interpreter start-up included, as a user
  waits for it. On a busy machine this is the noisiest column: it counts time spent
  waiting for a core.
- *CPU*: the CPU time of that whole process (user + system, ``RUSAGE_CHILDREN``), which
  waiting for a core does not inflate.
- *CPU, import only*: the CPU time inside the interpreter from before the first import to
  the end of the work (for the CLI rows ``from dagnet.cli import main; main([flag])``),
  without the interpreter's own start-up.

The target (issue 14) is judged on the two CPU ratios: each <= 1.2. One untimed run of each
command first writes the bytecode caches (``__pycache__``), as an installed package has them.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.2
#: Row label -> the work, timed inside a fresh interpreter.
ROWS = {
    "import networkx, numpy": "import networkx, numpy",
    "import dagnet": "import dagnet",
    "import dagnet; dagnet.mlp": "import dagnet; dagnet.mlp",
    "dagnet --help": "from dagnet.cli import main; main(['--help'])",
    "dagnet --version": "from dagnet.cli import main; main(['--version'])",
}
FLOOR = "import networkx, numpy"
#: Wraps a row's work: prints the CPU seconds it took on the last line of stderr.
TIMED = ("import time as _t, sys as _s; _t0 = _t.process_time()\n{work}\n"
         "_s.stderr.write(f'\\n{{_t.process_time() - _t0!r}}\\n')")


def _env() -> dict[str, str]:
    """The checkout's dagnet first (``-c`` puts the working directory on sys.path), with
    bytecode caches written and read as in an installed package."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(work: str, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall, CPU, CPU inside the interpreter) seconds of one fresh run of ``work``."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", TIMED.format(work=work)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{work!r} failed:\n{done.stderr[-2000:]}")
    return wall, cpu, float(done.stderr.strip().splitlines()[-1])


def measure(repeat: int) -> dict[str, tuple[float, ...]]:
    """Smallest (wall, CPU, CPU inside) seconds per row over ``repeat`` interleaved rounds."""
    env = _env()
    for work in ROWS.values():  # untimed: writes the bytecode caches
        run_once(work, env)
    best = {label: (float("inf"),) * 3 for label in ROWS}
    for _ in range(repeat):
        for label, work in ROWS.items():
            best[label] = tuple(map(min, best[label], run_once(work, env)))
    return best


def table(best: dict[str, tuple[float, ...]], repeat: int) -> str:
    floor = best[FLOOR]
    lines = [f"Start-up, fresh interpreter, smallest of {repeat} interleaved runs each "
             f"(Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}); "
             f"ratios to `{FLOOR}` of the same run; target: CPU ratios <= {TARGET}x.", "",
             "| command | wall (s) | ratio | CPU (s) | ratio | CPU, import only (s) | ratio "
             "| target |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for label, times in best.items():
        ratios = [t / f for t, f in zip(times, floor)]
        holds = "" if label == FLOOR else (
            "holds" if max(ratios[1:]) <= TARGET else "MISSED")
        cells = " | ".join(f"{t:.3f} | {r:.2f}x" for t, r in zip(times, ratios))
        lines.append(f"| `{label}` | {cells} | {holds} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="interleaved rounds (20)")
    parser.add_argument("--out", help="also write the table into this Markdown file's "
                        "'startup' block (e.g. benchmarks/RESULTS.md)")
    parser.add_argument("--readme", help="and into this one's (README.md)")
    args = parser.parse_args(argv)
    text = table(measure(args.repeat), args.repeat)
    print(text)
    from report import write_block

    for path in filter(None, (args.out, args.readme)):
        write_block(path, "startup", text)


if __name__ == "__main__":
    main()
