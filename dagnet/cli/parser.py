"""The ``dagnet`` command line: a thin layer over the public API.

Subcommands (each has ``--help`` with examples)::

    dagnet equations SPEC [--latex] [--form nodes|indexed] [--depth D] [--numeric --seed N]
                          [--backward [LOSS]]
    dagnet draw SPEC [--style explicit|simplified] [-o FILE.svg|png|pdf|dot] [--theme ...]
    dagnet plot SPEC [--kind family|surface|regions|animation] [-o FILE] [--seed N]
    dagnet gallery [--out diagrams] [--only NAME ...] [--seed N] [--theme ...] [--no-learned]
    dagnet fit SPEC DATA.csv [-o NET.json] [--loss ...] [--steps N]

SPEC is an architecture such as ``2-11-9-1:tanh`` or ``1-1:logistic`` (see
:mod:`dagnet.core.spec`) or the path of a network file (``.json``, ``.graphml`` or an ONNX
model ``.onnx``); every command builds the
same network from the same SPEC. Every dagnet error becomes one line
``dagnet: error: ...`` on stderr and a non-zero exit code: 2 for a bad command line or
SPEC, 1 when the work itself fails (a missing ``dot`` program, an unwritable file). This
module builds the parser and runs it; what each subcommand does is in
:mod:`dagnet.cli.commands`.

Examples
--------
>>> from dagnet.cli import main
>>> main(["equations", "1-1:none"])
u_00 = x_0*w_00
u_10 = x_1*w_10
v_0 = u_00 + u_10
0
>>> main(["equations", "1-1:logistic", "--depth", "all"])
y_0 = 1/(1 + exp(-(w_00 + x_1*w_10)))
0
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from ..errors import DagnetError, SpecError
from .commands import (
    DIAGRAM_SUFFIXES,
    PLOT_KINDS,
    Fail,
    cmd_draw,
    cmd_equations,
    cmd_fit,
    cmd_gallery,
    cmd_plot,
)

__all__ = ["main", "build_parser"]

PROG = "dagnet"
_THEMES = ("article", "plain")
#: The gallery command's description (its --help).
_GALLERY_ABOUT = textwrap.dedent("""\
    Regenerate the article's sequence of 17 networks into one folder: explicit
    and simplified diagrams (SVG and PNG), equations (LaTeX and rendered SVG),
    function-family, surface and regions plots, a GIF per network, and an
    index.html (plus README.md) that walks through them in order, ending with
    "What it learned": a fitted network for each of the article's takeaways.
    The same command always writes the same files (the weights come from --seed).""")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point at ``--help``."""

    def error(self, message: str) -> NoReturn:
        raise Fail(f"{message} (see '{self.prog} --help')", 2)


# -- the parser --------------------------------------------------------------------------
def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _nonneg_int(text: str) -> int:
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _pos_int(text: str) -> int:
    value = _nonneg_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _command(sub: Any, name: str, help: str, description: str, examples: Sequence[str], *,
             spec: bool = True) -> argparse.ArgumentParser:
    """Add subcommand ``name`` (with its examples as epilog and, if ``spec``, a SPEC)."""
    p = sub.add_parser(name, formatter_class=argparse.RawDescriptionHelpFormatter, help=help,
                       description=description, epilog=_examples(*examples))
    if spec:
        p.add_argument("spec", metavar="SPEC",
                       help="an architecture such as 2-11-9-1:tanh, 1-1:logistic or 1-100-1:none "
                            "(sizes from inputs to outputs, then ':' and one activation or one "
                            "per layer), or the path of a network file (.json, .graphml, .onnx)")
    return p


def _whole(p: argparse.ArgumentParser, flag: str, default: int | None, help: str, *,
           low: int = 1) -> None:
    """A whole-number option: ``low`` 0 takes any number >= 0, 1 any number >= 1."""
    p.add_argument(flag, type=_nonneg_int if low == 0 else _pos_int, default=default, help=help)


def _flag(p: argparse.ArgumentParser, flag: str, help: str) -> None:
    p.add_argument(flag, action="store_true", help=help)


def build_parser() -> argparse.ArgumentParser:
    """The ``dagnet`` argument parser (subcommands equations, draw, plot, fit, gallery).

    Returns
    -------
    argparse.ArgumentParser
        Each subcommand's parsed arguments carry the function that runs it (``func``).

    Examples
    --------
    >>> args = build_parser().parse_args(["draw", "2-3-1:tanh", "--style", "simplified"])
    >>> args.command, args.spec, args.style
    ('draw', '2-3-1:tanh', 'simplified')
    """
    from .. import __version__

    parser = _Parser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build neural networks node by node, as in Brandon Rohrer's article "
                    "'What do neural networks learn?': print their equations, draw them, "
                    "plot the functions they compute, and regenerate the article's gallery.",
        epilog=_examples("dagnet gallery --out diagrams",
                         "dagnet equations 1-1:none",
                         "dagnet draw 2-11-9-1:tanh --style simplified -o mlp.svg",
                         "dagnet plot 1-11-9-1:tanh --kind family -o family.png",
                         "",
                         "Run 'dagnet COMMAND --help' for each command's options."))
    parser.add_argument("--version", action="version", version=f"dagnet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = _command(sub, "equations", "print a network's equations",
                 "Print the network's equations in the article's notation: one per "
                 "weight (u_ij = x_i w_ij), sum (v_j) and activation (y_j = f(v_j)), "
                 "or the outputs written in terms of the inputs (--depth).",
                 ("dagnet equations 1-1:none",
                  "dagnet equations 2-1:logistic --latex",
                  "dagnet equations 1-2-1:tanh --form indexed",
                  "dagnet equations 1-1:tanh --depth all --numeric --seed 3",
                  "dagnet equations 1-11-9-1:tanh --depth 2",
                  "dagnet equations 1-3-1:tanh --backward --form indexed"))
    _flag(p, "--latex", "print LaTeX (an align block)")
    p.add_argument("--form", choices=("nodes", "indexed"), default="nodes",
                   help="one equation per node (default), or the compact per-layer form with "
                        "indices i, j (fully connected networks)")
    p.add_argument("--depth", metavar="D",
                   help="print each output as an expression, inlining D steps back towards "
                        "the inputs ('all': all the way)")
    _flag(p, "--numeric", "show weight values instead of symbols (drawn with --seed; a network "
                          "file keeps its own weights unless --seed is given)")
    _whole(p, "--seed", None, "seed of the uniform [-1, 1) weight draw (default 0)", low=0)
    _whole(p, "--digits", None, "round numeric weights to this many significant digits")
    p.add_argument("--backward", metavar="LOSS", nargs="?", const="mse",
                   choices=("mse", "cross_entropy"),
                   help="print the backward pass instead: the loss's derivative through every "
                        "node (LOSS: mse (default) or cross_entropy)")
    p.set_defaults(func=cmd_equations)

    p = _command(sub, "draw", "draw a network diagram (Graphviz)",
                 "Draw the network with Graphviz: 'explicit' shows every node of the "
                 "article's diagrams (weights, sums, activations, bias x_0), 'simplified' "
                 "circles and lines. Without -o the DOT text is printed (needs no Graphviz).",
                 ("dagnet draw 1-1:none -o line.svg",
                  "dagnet draw 1-2-2-1:tanh --style simplified -o mlp.png",
                  "dagnet draw 2-1:logistic --values --seed 1 -o logistic.pdf",
                  "dagnet draw 2-3-3-1:tanh --style simplified > mlp.dot"))
    p.add_argument("--style", choices=("explicit", "simplified"), default="explicit",
                   help="explicit (default) or simplified")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write FILE; the format comes from its suffix: "
                        + ", ".join(DIAGRAM_SUFFIXES))
    p.add_argument("--theme", choices=_THEMES, default="article",
                   help="article colours (default) or plain black on white")
    _flag(p, "--values", "label the weights with their values (drawn with --seed)")
    _flag(p, "--bias", "show bias nodes in the simplified style")
    _whole(p, "-k", None, "simplified style: show the first and last K nodes of a wide layer")
    _whole(p, "--seed", None, "seed of the weight draw for --values (default 0)", low=0)
    p.set_defaults(func=cmd_draw)

    p = _command(sub, "plot", "plot the functions a network computes",
                 "Plot what the network computes with random weights (uniform on "
                 "[-1, 1), as in the article): a family of curves, a surface with floor "
                 "contours (2 inputs), classifier regions, or a GIF of successive draws.",
                 ("dagnet plot 1-11-9-1:tanh -o family.png",
                  "dagnet plot 2-11-9-1:tanh --kind surface --seed 4 -o surface.png",
                  "dagnet plot 1-11-9-3:tanh --kind regions -o regions.png",
                  "dagnet plot 1-1:logistic --kind animation --frames 12 -o s.gif"))
    p.add_argument("--kind", choices=PLOT_KINDS, default=None,
                   help="family (1 input; the default), surface (2 inputs; the default), "
                        "regions (classifiers) or animation (a GIF)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file (.png, .svg, .pdf; .gif for animations); default "
                        "SPEC-KIND.png in the current folder")
    _whole(p, "--seed", None, "seed of the random weights (default 0; a network file keeps its "
                              "own weights unless --seed is given)", low=0)
    _whole(p, "--n", 49, "family: number of weight draws (default 49, as the article)")
    _whole(p, "--frames", 49, "animation: number of frames (default 49, as the article)")
    p.add_argument("--of", choices=("family", "surface", "regions"), default=None,
                   help="animation: what each frame shows (default: family for 1 input, "
                        "surface for 2)")
    p.add_argument("--threshold", type=float, default=None,
                   help="regions: the decision level of a one-output classifier (default: "
                        "the activation's, 0 for tanh, 0.5 for logistic)")
    p.add_argument("--style", choices=_THEMES, default="article",
                   help="article look (default) or plain")
    p.set_defaults(func=cmd_plot)

    p = _command(sub, "fit", "fit a network's weights to a CSV file",
                 "Fit the network to a CSV of points: the first columns are the inputs "
                 "(as many as the network has), the rest the targets; an optional header "
                 "row comes first. The SPEC builds the same network as in 'dagnet draw': "
                 "one activation applies to every layer, the output included (2-16-1 and "
                 "2-16-1:tanh end in tanh, with outputs in (-1, 1)). For an unbounded "
                 "output give one activation per layer ending in identity "
                 "(2-16-1:tanh,identity); for cross-entropy with one output end in logistic "
                 "(2-16-1:tanh,logistic).",
                 ("dagnet fit 1-8-1:tanh,identity points.csv",
                  "dagnet fit 2-11-9-1:tanh,tanh,identity data.csv --steps 2000 -o fitted.json",
                  "dagnet fit 2-8-1:tanh,logistic labels.csv --loss cross_entropy "
                  "--history loss.csv",
                  "dagnet fit fitted.json data.csv --steps 500   # continue a saved fit"))
    p.add_argument("data", metavar="DATA.csv", help="the points to fit, one row each")
    p.add_argument("-o", "--output", metavar="NET.json", help="save the fitted network here")
    p.add_argument("--loss", default="mse", help="mse (default) or cross_entropy")
    p.add_argument("--optimizer", default="adam", help="adam (default), sgd, ...")
    _whole(p, "--steps", 1000, "optimizer steps (1000)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (optimizer default)")
    _whole(p, "--seed", 0, "seed of the initial weights and the batches (default 0)", low=0)
    p.add_argument("--history", metavar="FILE.csv", help="write the loss per step here")
    _flag(p, "--quiet", "no progress bar")
    p.set_defaults(func=cmd_fit)

    p = _command(sub, "gallery", "regenerate the article's figures (the main job)",
                 _GALLERY_ABOUT,
                 ("dagnet gallery",
                  "dagnet gallery --out /tmp/gallery --seed 7",
                  "dagnet gallery --only 4 tanh-3-layer --frames 49",
                  "dagnet gallery --only 1 argmax",
                  "dagnet gallery --no-learned",
                  "dagnet gallery --list"), spec=False)
    p.add_argument("--out", default="diagrams", metavar="DIR",
                   help="output folder (default: diagrams)")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these networks, by number (1-22) or name (see --list; "
                        "'learned' = items 18-22); the page then shows just these")
    _whole(p, "--seed", 0, "seed of every weight draw", low=0)
    p.add_argument("--theme", choices=_THEMES, default="article",
                   help="article colours (default) or plain")
    _whole(p, "--frames", None, "frames per GIF (default 12 to stay fast; the article used 49)")
    _whole(p, "--jobs", None, "worker processes (default: one per CPU, at most 4)")
    _flag(p, "--quiet", "no progress bar or summary")
    _flag(p, "--no-learned", "skip the 'What it learned' section (its five fits)")
    _flag(p, "--list", "list the networks and exit")
    p.set_defaults(func=cmd_gallery)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dagnet`` command line; return the exit code (0 on success).

    Errors never raise: they print one line ``dagnet: error: ...`` to stderr and
    return 2 (bad command line or SPEC) or 1 (the work failed).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The exit code.

    Examples
    --------
    >>> main(["equations", "1-1:logistic"])
    u_00 = x_0*w_00
    u_10 = x_1*w_10
    v_0 = u_00 + u_10
    y_0 = 1/(1 + exp(-v_0))
    0
    >>> main(["equations", "1-1:cosh"])      # the error line goes to stderr
    2
    """
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                return int(args.func(args) or 0)
            finally:
                for w in caught:  # one line each, without Python's source-line context
                    if issubclass(w.category, UserWarning):
                        print(f"{PROG}: warning: {' '.join(str(w.message).split())}",
                              file=sys.stderr)
    except Fail as exc:
        return _error(str(exc), exc.code)
    except SpecError as exc:
        return _error(str(exc), 2)
    except DagnetError as exc:
        return _error(str(exc), 1)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            return 0
        where = f" {exc.filename!s}" if exc.filename else ""
        return _error(f"cannot access{where}: {exc.strerror or exc}", 1)
    except KeyboardInterrupt:
        return _error("interrupted", 130)


def _error(message: str, code: int) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """After a closed pipe (``dagnet ... | head``), stop Python from reporting it at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
