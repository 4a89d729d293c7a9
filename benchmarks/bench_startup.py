"""Start-up time: ``import dagnet``, its graph (``dagnet.mlp``: the first name used imports
:mod:`dagnet.core`), ``dagnet --help``, ``dagnet --version`` against the floor
``import networkx, numpy`` (dagnet's graph needs both), each in a fresh interpreter.

Usage: ``python benchmarks/bench_startup.py [--repeat 10] [--out benchmarks/RESULTS.md]``
(``make bench`` runs it). Rounds are interleaved (floor, import, graph, --help, --version, then
again) and every row keeps its fastest run, so the ratios compare runs of the same
moment on a shared machine. Two ratios per row, both to the floor of the same run:

- *process*: the wall time of the whole command (``python -c ...``), interpreter start-up
  included, as a user waits for it;
- *import only*: the time inside the interpreter from before the first import to the end
  of the work (for the CLI rows: ``from dagnet.cli import main; main([flag])``).

One untimed run of each command first writes the bytecode caches (``__pycache__``), as an
installed package has them. The target (issue 14): every ratio <= 1.2.
"""

from __future__ import annotations

import argparse
import os
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
#: Wraps a row's work: prints the seconds it took on the last line of stderr.
TIMED = ("import time as _t, sys as _s; _t0 = _t.perf_counter()\n{work}\n"
         "_s.stderr.write(f'\\n{{_t.perf_counter() - _t0!r}}\\n')")


def _env() -> dict[str, str]:
    """The checkout's dagnet first (``-c`` puts the working directory on sys.path), with
    bytecode caches written and read as in an installed package."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def run_once(work: str, env: dict[str, str]) -> tuple[float, float]:
    """(process seconds, seconds inside the interpreter) of one fresh run of ``work``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", TIMED.format(work=work)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{work!r} failed:\n{done.stderr[-2000:]}")
    return wall, float(done.stderr.strip().splitlines()[-1])


def measure(repeat: int) -> dict[str, tuple[float, float]]:
    """Fastest (process, inside) seconds per row over ``repeat`` interleaved rounds."""
    env = _env()
    for work in ROWS.values():  # untimed: writes the bytecode caches
        run_once(work, env)
    best = {label: (float("inf"), float("inf")) for label in ROWS}
    for _ in range(repeat):
        for label, work in ROWS.items():
            wall, inside = run_once(work, env)
            best[label] = (min(best[label][0], wall), min(best[label][1], inside))
    return best


def table(best: dict[str, tuple[float, float]], repeat: int) -> str:
    floor_wall, floor_inside = best[FLOOR]
    lines = [f"Start-up, fresh interpreter, fastest of {repeat} interleaved runs each "
             f"(Python {sys.version.split()[0]}); ratios to `{FLOOR}` of the same run, "
             f"target <= {TARGET}x:", "",
             "| command | process (s) | ratio | import only (s) | ratio | target |",
             "|---|---:|---:|---:|---:|---|"]
    for label, (wall, inside) in best.items():
        r_wall, r_inside = wall / floor_wall, inside / floor_inside
        holds = "" if label == FLOOR else (
            "holds" if max(r_wall, r_inside) <= TARGET else "MISSED")
        lines.append(f"| `{label}` | {wall:.3f} | {r_wall:.2f}x | {inside:.3f} | "
                     f"{r_inside:.2f}x | {holds} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="interleaved rounds (10)")
    parser.add_argument("--out", help="also write the table into this Markdown file's "
                        "'startup' block (e.g. benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    text = table(measure(args.repeat), args.repeat)
    print(text)
    if args.out:
        from report import write_block

        write_block(args.out, "startup", text)


if __name__ == "__main__":
    main()
