"""What every ``examples/learn_*.py`` shares: its ``main`` and its command line.

Each of those scripts wraps one fitted example of :mod:`dagnet.gallery.demos` (the
gallery's "What it learned" section runs the same functions) and reports the
numbers it measures. ``main = main_for(learn_x)`` gives a script its
``main(outdir=".", **options)``, which writes ``<outdir>/learn_x.png`` and returns
the numbers; ``run(main, report)`` is its ``__main__`` part, so that ``python
examples/learn_x.py [outdir]`` prints the report; :func:`table` lays out the
reports' Markdown tables. Running a script puts this folder on ``sys.path``, so
the scripts import this module by its name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any


def main_for(learn: Callable[..., dict]) -> Callable[..., dict]:
    """``main(outdir=".", **options)``: ``learn(outdir / "<learn's name>.png", **options)``.

    ``options`` (``steps``, ``seed`` or ``seeds``) default to those of ``learn``.
    """

    def main(outdir: str | Path = ".", **options: Any) -> dict:
        return learn(Path(outdir) / f"{learn.__name__}.png", **options)

    main.__doc__ = (f"Run dagnet.gallery.demos.{learn.__name__}, writing {learn.__name__}.png in "
                    "outdir; return the measured numbers.")
    return main


def run(main: Callable[..., dict], report: Callable[[dict], str],
        argv: Sequence[str] | None = None) -> None:
    """The command line ``[outdir]`` (default: here): print ``report(main(outdir))``."""
    args = sys.argv[1:] if argv is None else argv
    print(report(main(args[0] if args else ".")))


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table: the ``header`` cells, then one line per row of (formatted) cells."""
    lines = [header, *rows]
    out = ["| " + " | ".join(str(cell) for cell in cells) + " |" for cells in lines]
    out.insert(1, "|" + "---|" * len(header))
    return "\n".join(out)
