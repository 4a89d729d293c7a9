"""The ``dagnet`` command line: a thin layer over the public API.

Subcommands (each has ``--help`` with examples)::

    dagnet equations SPEC [--latex] [--form nodes|indexed] [--depth D] [--numeric --seed N]
    dagnet draw SPEC [--style explicit|simplified] [-o FILE.svg|png|pdf|dot] [--theme ...]
    dagnet plot SPEC [--kind family|surface|regions|animation] [-o FILE] [--seed N]
    dagnet gallery [--out diagrams] [--only NAME ...] [--seed N] [--theme ...] [--no-learned]
    dagnet fit SPEC DATA.csv [-o NET.json] [--loss ...] [--steps N]   (needs dagnet.learn)

SPEC is an architecture such as ``2-11-9-1:tanh`` or ``1-1:logistic`` (see
:mod:`dagnet.spec`) or the path of a saved network file. Every dagnet error
becomes one line ``dagnet: error: ...`` on stderr and a non-zero exit code:
2 for a bad command line or SPEC, 1 when the work itself fails (a missing
``dot`` program, an unwritable file).

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
from pathlib import Path
from typing import Any, NoReturn

import sympy as sp

from .errors import DagnetError, SpecError
from .spec import network_from_spec

__all__ = ["main", "build_parser"]

PROG = "dagnet"


class _Fail(Exception):
    """A command-line failure with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point at ``--help``."""

    def error(self, message: str) -> NoReturn:
        raise _Fail(f"{message} (see '{self.prog} --help')", 2)


def _needs(module: str, what: str) -> Any:
    """Import ``dagnet.<module>`` lazily; a missing module is a one-line error."""
    import importlib

    try:
        return importlib.import_module(f"dagnet.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"dagnet.{module}":
            raise
        raise _Fail(f"{what} needs dagnet.{module}, which this version of dagnet does not "
                    f"have yet; 'dagnet equations' works without it") from None


def _network(args: argparse.Namespace, *, weights: bool) -> Any:
    """Build (or load) the SPEC's network; draw weights from ``--seed`` when asked."""
    seed = getattr(args, "seed", None)
    is_arch = not _is_file_spec(args.spec)
    rng = seed if seed is not None else (0 if weights and is_arch else None)
    return network_from_spec(args.spec, rng=rng)


def _is_file_spec(spec: str) -> bool:
    from .spec import _looks_like_path
    return _looks_like_path(spec.strip())


def _slug(spec: str) -> str:
    """A file-name stem for a SPEC: ``2-11-9-1:tanh`` -> ``2-11-9-1-tanh``."""
    if _is_file_spec(spec):
        return Path(spec).stem
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in spec.strip()).strip("-")


# -- equations ---------------------------------------------------------------------------
def _plain(expr: sp.Basic, digits: int | None) -> str:
    if digits is not None:
        with sp.evaluate(False):  # keep the unevaluated form: no sign pulled out of tanh
            expr = expr.xreplace({f: sp.Float(f, digits) for f in expr.atoms(sp.Float)})
    return sp.sstr(expr, order="none")


def _cmd_equations(args: argparse.Namespace) -> int:
    net = _network(args, weights=args.numeric)
    weights = "numeric" if args.numeric else "symbolic"
    if args.depth is not None:
        depth = None if args.depth == "all" else _depth(args.depth)
        for j, node in enumerate(net.outputs):
            expr = net.expression(output=j, weights=weights, depth=depth)
            name = net.symbol_name(node)
            if args.latex:
                lhs = sp.latex(sp.Symbol(name))
                print(f"{lhs} = {sp.latex(expr, order='none')}")
            else:
                print(f"{name} = {_plain(expr, args.digits)}")
        return 0
    if args.latex:
        print(net.latex(form=args.form, weights=weights) if args.digits is None or
              args.form == "indexed" else _latex_digits(net, weights, args.digits))
        return 0
    for eq in net.equations(form=args.form, weights=weights):
        print(f"{_plain(eq.lhs, None)} = {_plain(eq.rhs, args.digits)}")
    return 0


def _latex_digits(net: Any, weights: str, digits: int) -> str:
    from .symbolic import latex
    return latex(net, form="nodes", weights=weights, digits=digits)


def _depth(text: str) -> int:
    if not text.isdigit():
        raise _Fail(f"--depth takes a whole number >= 0 or 'all', got {text!r}", 2)
    return int(text)


# -- draw --------------------------------------------------------------------------------
_DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot")


def _cmd_draw(args: argparse.Namespace) -> int:
    diagram = _needs("diagram", "drawing")
    net = _network(args, weights=args.values)
    from .gallery import _diagram_theme

    options = {"theme": _diagram_theme(diagram, args.theme), "show_values": args.values,
               "show_bias": args.bias}
    if args.k is not None:
        options["k"] = args.k
    if args.output is None:
        sys.stdout.write(diagram.to_dot(net, style=args.style, **options))
        return 0
    out = Path(args.output)
    if out.suffix.lower() not in _DIAGRAM_SUFFIXES:
        raise _Fail(f"cannot tell the format of {str(out)!r}: end the file name with one of "
                    f"{', '.join(_DIAGRAM_SUFFIXES)}", 2)
    path = diagram.render_diagram(net, out, style=args.style, **options)
    print(path)
    return 0


# -- plot --------------------------------------------------------------------------------
_PLOT_KINDS = ("family", "surface", "regions", "animation")


def _cmd_plot(args: argparse.Namespace) -> int:
    plot = _needs("plot", "plotting")
    import numpy as np

    net = _network(args, weights=False)
    file_weights = _is_file_spec(args.spec) and args.seed is None and _has_weights(net)
    rng = np.random.default_rng(0 if args.seed is None else args.seed)
    kind = args.kind or ("family" if net.n_inputs == 1 else "surface")
    gif = kind == "animation"
    out = Path(args.output) if args.output else Path(
        f"{_slug(args.spec)}-{kind}{'.gif' if gif else '.png'}")
    suffixes = (".gif",) if gif else (".png", ".svg", ".pdf")
    if out.suffix.lower() not in suffixes:
        what = "an animation" if gif else f"a {kind} plot"
        raise _Fail(f"cannot write {what} to {str(out)!r}: end the file name with "
                    f"{' or '.join(suffixes)}", 2)
    kw = {} if args.threshold is None else {"threshold": args.threshold}
    if gif:
        path = plot.animate(net, out, kind=args.of, n_frames=args.frames, rng=rng,
                            style=args.style, **(kw if args.of == "regions" else {}))
        print(path)
        return 0
    import matplotlib.pyplot as plt

    three_d = net.n_inputs == 2 and kind in ("surface", "regions")
    fig, ax = plot.new_figure(args.style, projection="3d" if three_d else None)
    try:
        if kind == "family":
            if file_weights:
                plot.family(net, weights=net.weights, ax=ax, style=args.style)
            else:
                plot.family(net, n=args.n, rng=rng, ax=ax, style=args.style)
        else:
            weights = net.weights if file_weights else net.sample_weights(rng=rng)
            if kind == "surface":
                plot.surface(net, weights, ax=ax, style=args.style)
            else:
                plot.regions(net, weights, ax=ax, style=args.style, **kw)
        path = plot.save_figure(fig, out)
    finally:
        plt.close(fig)
    print(path)
    return 0


def _has_weights(net: Any) -> bool:
    return all(net.graph.nodes[n].get("value") is not None for n in net.weight_nodes)


# -- fit ---------------------------------------------------------------------------------
def _cmd_fit(args: argparse.Namespace) -> int:
    learn = _needs("learn", "fitting")
    spec = args.spec
    if _is_file_spec(spec) or ":" in spec:
        # An explicit activation list or a saved network: build it here, fit it in place.
        target: Any = network_from_spec(spec, rng=None if _is_file_spec(spec) else args.seed)
        if _is_file_spec(spec) and not _has_weights(target):
            target.randomize(args.seed)
    else:
        from .spec import parse_spec
        target = "-".join(map(str, parse_spec(spec).sizes))  # learn picks the activations
    if args.output is not None and Path(args.output).suffix.lower() != ".json":
        raise _Fail(f"the fitted network is saved as JSON: name the file *.json, got "
                    f"{args.output!r}", 2)
    net, history = learn.fit_csv(target, args.data, loss=args.loss, optimizer=args.optimizer,
                                 steps=args.steps, lr=args.lr, rng=args.seed,
                                 history_path=args.history, progress=not args.quiet)
    print(f"final loss {history.final_loss:.6g} after {args.steps} steps ({args.loss})")
    if args.output is not None:
        io = _needs("io", "saving the fitted network")
        io.save(net, args.output)
        print(args.output)
    else:
        print("weights:", " ".join(f"{name}={value:.6g}" for name, value in
                                   zip(net.weight_names, net.weights)))
    return 0


# -- gallery -----------------------------------------------------------------------------
def _cmd_gallery(args: argparse.Namespace) -> int:
    from . import gallery
    from .article import ARTICLE, learned_file
    from .demos import DEMOS

    if args.list:
        for row in ARTICLE:
            print(f"{row.number:2d}  {row.slug:<22} {row.spec:<18} {row.caption}")
        for d in DEMOS:
            number = learned_file(d)[:2]
            print(f"{number}  {d.slug:<22} {'(fitted)':<18} {d.takeaway}")
        return 0
    result = gallery.build_gallery(args.out, only=args.only or None, seed=args.seed,
                                   theme=args.theme, frames=args.frames,
                                   progress=not args.quiet, jobs=args.jobs,
                                   learned=not args.no_learned)
    if not args.quiet:
        print(f"wrote {len(result.files)} files for {len(result.rows)} networks and "
              f"{len(result.learned)} fitted examples; "
              f"open {result.index}")
    return 0


# -- the parser --------------------------------------------------------------------------
def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _add_spec(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", metavar="SPEC",
                   help="an architecture such as 2-11-9-1:tanh, 1-1:logistic or 1-100-1:none "
                        "(sizes from inputs to outputs, then ':' and one activation or one "
                        "per layer), or the path of a saved network file")


def _nonneg_int(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _pos_int(text: str) -> int:
    value = _nonneg_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``dagnet`` argument parser (subcommands equations, draw, plot, gallery)."""
    from . import __version__

    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG, formatter_class=fmt,
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

    p = sub.add_parser(
        "equations", formatter_class=fmt, help="print a network's equations",
        description="Print the network's equations in the article's notation: one per "
                    "weight (u_ij = x_i w_ij), sum (v_j) and activation (y_j = f(v_j)), "
                    "or the outputs written in terms of the inputs (--depth).",
        epilog=_examples("dagnet equations 1-1:none",
                         "dagnet equations 2-1:logistic --latex",
                         "dagnet equations 1-2-1:tanh --form indexed",
                         "dagnet equations 1-1:tanh --depth all --numeric --seed 3",
                         "dagnet equations 1-11-9-1:tanh --depth 2"))
    _add_spec(p)
    p.add_argument("--latex", action="store_true", help="print LaTeX (an align block)")
    p.add_argument("--form", choices=("nodes", "indexed"), default="nodes",
                   help="one equation per node (default), or the compact per-layer form with "
                        "indices i, j (fully connected networks)")
    p.add_argument("--depth", metavar="D",
                   help="print each output as an expression, inlining D steps back towards "
                        "the inputs ('all': all the way)")
    p.add_argument("--numeric", action="store_true",
                   help="show weight values instead of symbols (drawn with --seed; a network "
                        "file keeps its own weights unless --seed is given)")
    p.add_argument("--seed", type=_nonneg_int, default=None,
                   help="seed of the uniform [-1, 1) weight draw (default 0)")
    p.add_argument("--digits", type=_pos_int, default=None,
                   help="round numeric weights to this many significant digits")
    p.set_defaults(func=_cmd_equations)

    p = sub.add_parser(
        "draw", formatter_class=fmt, help="draw a network diagram (Graphviz)",
        description="Draw the network with Graphviz: 'explicit' shows every node of the "
                    "article's diagrams (weights, sums, activations, bias x_0), 'simplified' "
                    "circles and lines. Without -o the DOT text is printed (needs no Graphviz).",
        epilog=_examples("dagnet draw 1-1:none -o line.svg",
                         "dagnet draw 1-2-2-1:tanh --style simplified -o mlp.png",
                         "dagnet draw 2-1:logistic --values --seed 1 -o logistic.pdf",
                         "dagnet draw 2-3-3-1:tanh --style simplified > mlp.dot"))
    _add_spec(p)
    p.add_argument("--style", choices=("explicit", "simplified"), default="explicit",
                   help="explicit (default) or simplified")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write FILE; the format comes from its suffix: "
                        + ", ".join(_DIAGRAM_SUFFIXES))
    p.add_argument("--theme", choices=("article", "plain"), default="article",
                   help="article colours (default) or plain black on white")
    p.add_argument("--values", action="store_true",
                   help="label the weights with their values (drawn with --seed)")
    p.add_argument("--bias", action="store_true",
                   help="show bias nodes in the simplified style")
    p.add_argument("-k", type=_pos_int, default=None,
                   help="simplified style: show the first and last K nodes of a wide layer")
    p.add_argument("--seed", type=_nonneg_int, default=None,
                   help="seed of the weight draw for --values (default 0)")
    p.set_defaults(func=_cmd_draw)

    p = sub.add_parser(
        "plot", formatter_class=fmt, help="plot the functions a network computes",
        description="Plot what the network computes with random weights (uniform on "
                    "[-1, 1), as in the article): a family of curves, a surface with floor "
                    "contours (2 inputs), classifier regions, or a GIF of successive draws.",
        epilog=_examples("dagnet plot 1-11-9-1:tanh -o family.png",
                         "dagnet plot 2-11-9-1:tanh --kind surface --seed 4 -o surface.png",
                         "dagnet plot 1-11-9-3:tanh --kind regions -o regions.png",
                         "dagnet plot 1-1:logistic --kind animation --frames 12 -o s.gif"))
    _add_spec(p)
    p.add_argument("--kind", choices=_PLOT_KINDS, default=None,
                   help="family (1 input; the default), surface (2 inputs; the default), "
                        "regions (classifiers) or animation (a GIF)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file (.png, .svg, .pdf; .gif for animations); default "
                        "SPEC-KIND.png in the current folder")
    p.add_argument("--seed", type=_nonneg_int, default=None,
                   help="seed of the random weights (default 0; a network file keeps its own "
                        "weights unless --seed is given)")
    p.add_argument("--n", type=_pos_int, default=49,
                   help="family: number of weight draws (default 49, as the article)")
    p.add_argument("--frames", type=_pos_int, default=49,
                   help="animation: number of frames (default 49, as the article)")
    p.add_argument("--of", choices=("family", "surface", "regions"), default=None,
                   help="animation: what each frame shows (default: family for 1 input, "
                        "surface for 2)")
    p.add_argument("--threshold", type=float, default=None,
                   help="regions: the decision level of a one-output classifier (default: "
                        "the activation's, 0 for tanh, 0.5 for logistic)")
    p.add_argument("--style", choices=("article", "plain"), default="article",
                   help="article look (default) or plain")
    p.set_defaults(func=_cmd_plot)

    p = sub.add_parser(
        "fit", formatter_class=fmt, help="fit a network's weights to a CSV file",
        description="Fit the network to a CSV of points: the first columns are the inputs "
                    "(as many as the network has), the rest the targets; an optional header "
                    "row comes first. A SPEC without activations gets tanh hidden layers and "
                    "an identity output (logistic for cross-entropy with one output).",
        epilog=_examples("dagnet fit 1-8-1 points.csv",
                         "dagnet fit 2-11-9-1:tanh data.csv --steps 2000 -o fitted.json",
                         "dagnet fit 2-8-1 labels.csv --loss cross_entropy --history loss.csv"))
    _add_spec(p)
    p.add_argument("data", metavar="DATA.csv", help="the points to fit, one row each")
    p.add_argument("-o", "--output", metavar="NET.json", help="save the fitted network here")
    p.add_argument("--loss", default="mse", help="mse (default) or cross_entropy")
    p.add_argument("--optimizer", default="adam", help="adam (default), sgd, ...")
    p.add_argument("--steps", type=_pos_int, default=1000, help="optimizer steps (1000)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (optimizer default)")
    p.add_argument("--seed", type=_nonneg_int, default=0,
                   help="seed of the initial weights and the batches (default 0)")
    p.add_argument("--history", metavar="FILE.csv", help="write the loss per step here")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_fit)

    p = sub.add_parser(
        "gallery", formatter_class=fmt, help="regenerate the article's figures (the main job)",
        description=textwrap.dedent("""\
            Regenerate the article's sequence of 17 networks into one folder: explicit
            and simplified diagrams (SVG and PNG), equations (LaTeX and rendered SVG),
            function-family, surface and regions plots, a GIF per network, and an
            index.html (plus README.md) that walks through them in order, ending with
            "What it learned": a fitted network for each of the article's takeaways.
            The same command always writes the same files (the weights come from --seed)."""),
        epilog=_examples("dagnet gallery",
                         "dagnet gallery --out /tmp/gallery --seed 7",
                         "dagnet gallery --only 4 tanh-3-layer --frames 49",
                         "dagnet gallery --only 1 argmax",
                         "dagnet gallery --no-learned",
                         "dagnet gallery --list"))
    p.add_argument("--out", default="diagrams", metavar="DIR",
                   help="output folder (default: diagrams)")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these networks, by number (1-22) or name (see --list; "
                        "'learned' = items 18-22); the page then shows just these")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="seed of every weight draw")
    p.add_argument("--theme", choices=("article", "plain"), default="article",
                   help="article colours (default) or plain")
    p.add_argument("--frames", type=_pos_int, default=None,
                   help="frames per GIF (default 12 to stay fast; the article used 49)")
    p.add_argument("--jobs", type=_pos_int, default=None,
                   help="worker processes (default: one per CPU, at most 4)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument("--no-learned", action="store_true",
                   help="skip the 'What it learned' section (its five fits)")
    p.add_argument("--list", action="store_true", help="list the networks and exit")
    p.set_defaults(func=_cmd_gallery)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dagnet`` command line; return the exit code (0 on success).

    Errors never raise: they print one line ``dagnet: error: ...`` to stderr and
    return 2 (bad command line or SPEC) or 1 (the work failed).
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
    except _Fail as exc:
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
