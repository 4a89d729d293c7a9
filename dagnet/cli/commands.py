"""What each ``dagnet`` subcommand does: one ``cmd_*`` function per command.

Every function takes the parsed ``argparse.Namespace`` that :func:`dagnet.cli.build_parser`
builds, calls the public API (:func:`dagnet.core.spec.network_from_spec`, ``net.equations``,
:mod:`dagnet.draw.render`, :mod:`dagnet.plot`, :func:`dagnet.fit_csv`,
:func:`dagnet.build_gallery`), writes its result where the one output rule of
:mod:`dagnet.cli.output` says (standard output, or ``-o FILE``) and returns the exit
code. A failure of the command line itself raises :class:`Fail` with its one-line
message and code; :func:`dagnet.cli.main` turns it (and every dagnet error) into
``dagnet: error: ...``.

Every command reads its SPEC argument through :func:`spec_network`: an architecture goes
to the one SPEC grammar (:mod:`dagnet.core.spec`), a file path to :func:`dagnet.load`, so
``dagnet fit SPEC`` fits exactly the network ``dagnet draw SPEC`` draws.

Examples
--------
>>> import argparse
>>> args = argparse.Namespace(spec="1-1:none", numeric=False, depth="all", latex=False,
...                           digits=None, form="nodes", seed=None, backward=None,
...                           output=None, mkdir=False)
>>> cmd_equations(args)
v_0 = w_00 + x_1*w_10
0
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DagnetError, SpecError
from .output import STDIO, Output, missing_folder, output, stdin_bytes, stdin_copy

if TYPE_CHECKING:
    import sympy as sp

    from ..core.graph import Network

# Heavy modules (sympy, networkx, matplotlib, graphviz) are imported inside the commands
# that need them: 'dagnet --help' and 'dagnet --version' import none of them.

__all__ = ["Fail", "cmd_equations", "cmd_draw", "cmd_plot", "cmd_fit", "cmd_gallery",
           "cmd_completion", "columns", "is_file_spec", "spec_network", "DIAGRAM_FORMATS",
           "PLOT_KINDS", "PLOT_FORMATS", "NETWORK_FILE_SUFFIXES"]

#: File suffixes that make a SPEC argument a network file even before it exists.
NETWORK_FILE_SUFFIXES = (".json", ".graphml", ".onnx")


class Fail(Exception):
    """A command-line failure with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# -- SPEC arguments: an architecture or a saved network file ----------------------------
def is_file_spec(spec: str) -> bool:
    """Whether a SPEC argument names a network file rather than an architecture.

    A path with a folder separator or a network-file suffix (:data:`NETWORK_FILE_SUFFIXES`),
    or any existing file, is a file; everything else is an architecture for
    :func:`dagnet.core.spec.parse_spec`.

    Parameters
    ----------
    spec : str
        The SPEC argument as typed.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_file_spec("2-11-9-1:tanh"), is_file_spec("fitted.json"), is_file_spec("out/net")
    (False, True, True)
    >>> is_file_spec("-")  # a network file (JSON) on standard input
    True
    """
    text = spec.strip()
    if text == STDIO:  # a network file on standard input
        return True
    if os.sep in text or "/" in text or Path(text).suffix.lower() in NETWORK_FILE_SUFFIXES:
        return True
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long, or with a NUL, is no file
        return False


def spec_network(spec: str, rng: Any = None) -> Network:
    """The network a SPEC argument names: a saved file, or an architecture built by the SPEC.

    Parameters
    ----------
    spec : str
        An architecture such as ``"2-11-9-1:tanh"`` (built by
        :func:`dagnet.core.spec.network_from_spec`, the one SPEC grammar) or the path of a
        file written by :func:`dagnet.save` (read by :func:`dagnet.load`), or an ``.onnx``
        model (read by :func:`dagnet.from_onnx`), or ``-``: a network file (JSON) on
        standard input, as ``dagnet fit`` writes it.
    rng : seed or numpy Generator, optional
        For an architecture: draw the weights uniform on [-1, 1) (None: unset). For a
        file: if given, redraw the weights (the file's weights are kept otherwise).

    Returns
    -------
    Network

    Raises
    ------
    SpecError
        A malformed SPEC, or a file that does not exist or is a folder.

    Examples
    --------
    >>> spec_network("1-1:logistic", rng=0)
    Network(inputs=1, outputs=1, layers=1, weights=2)
    >>> spec_network("nope.json")
    Traceback (most recent call last):
    ...
    dagnet.errors.SpecError: network file 'nope.json': not found; ...
    """
    if not is_file_spec(spec):
        from ..core.spec import network_from_spec

        return network_from_spec(spec, rng=rng)
    if spec.strip() == STDIO:
        from ..io.files import MAX_BYTES, from_json

        net = from_json(stdin_bytes(MAX_BYTES + 1), source="<stdin>")
        if rng is not None:
            net.randomize(rng)
        return net
    path = Path(spec.strip())
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "not found"
        raise SpecError(f"network file {spec.strip()!r}: {what}; give the path of a saved "
                        f"network (dagnet.save) or an architecture such as '2-11-9-1:tanh'")
    from ..io import from_onnx, load

    net = from_onnx(path) if path.suffix.lower() == ".onnx" else load(path)
    if rng is not None:
        net.randomize(rng)
    return net


def _network(args: argparse.Namespace, *, weights: bool) -> Network:
    """Build (or load) the SPEC's network; draw weights from ``--seed`` when asked."""
    seed = getattr(args, "seed", None)
    rng = seed if seed is not None else (0 if weights and not is_file_spec(args.spec) else None)
    return spec_network(args.spec, rng=rng)


def _slug(spec: str) -> str:
    """A file-name stem for a SPEC: ``2-11-9-1:tanh`` -> ``2-11-9-1-tanh``."""
    if spec.strip() == STDIO:
        return "network"
    if is_file_spec(spec):
        return Path(spec).stem
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in spec.strip()).strip("-")


# -- equations ---------------------------------------------------------------------------
def _plain(expr: sp.Basic, digits: int | None) -> str:
    import sympy as sp

    if digits is not None:
        with sp.evaluate(False):  # keep the unevaluated form: no sign pulled out of tanh
            expr = expr.xreplace({f: sp.Float(f, digits) for f in expr.atoms(sp.Float)})
    return sp.sstr(expr, order="none")


def cmd_equations(args: argparse.Namespace) -> int:
    out = output(args.output, default="tex" if args.latex else "txt", mkdir=args.mkdir,
                 what="equations")
    if out.path is not None and out.path.suffix.lower() == ".tex":
        args.latex = True  # the format follows the file's suffix, as for draw and plot
    net = _network(args, weights=args.numeric)
    out.write("".join(f"{line}\n" for line in _equation_lines(net, args)))
    return 0


def _equation_lines(net: Network, args: argparse.Namespace) -> list[str]:
    weights = "numeric" if args.numeric else "symbolic"
    if args.backward is not None:
        return _backward(net, args)
    if args.depth is not None:
        from ..core.deep import call_deep

        depth = None if args.depth == "all" else _depth(args.depth)
        return call_deep(_expressions, net, weights, depth, args)  # deep nets recurse
    if args.latex:
        return [net.latex(form=args.form, weights=weights) if args.digits is None or
                args.form == "indexed" else _latex_digits(net, weights, args.digits)]
    return [f"{_plain(eq.lhs, None)} = {_plain(eq.rhs, args.digits)}"
            for eq in net.equations(form=args.form, weights=weights)]


def _expressions(net: Any, weights: str, depth: int | None,
                 args: argparse.Namespace) -> list[str]:
    """Each output written in terms of the inputs, as lines of text."""
    lines = []
    for j, node in enumerate(net.outputs):
        expr = net.expression(output=j, weights=weights, depth=depth)
        name = net.symbol_name(node)
        if args.latex:
            from ..symbolic.notation import expr_latex, name_latex

            lines.append(f"{name_latex(name)} = {expr_latex(expr)}")
        else:
            lines.append(f"{name} = {_plain(expr, args.digits)}")
    return lines


def _backward(net: Any, args: argparse.Namespace) -> list[str]:
    """The backward equations (symbols only: they hold for any weights)."""
    if args.depth is not None or args.numeric or args.digits is not None:
        raise Fail("--backward prints symbolic equations; drop --depth, --numeric and --digits",
                   2)
    from ..symbolic import backward

    if args.latex:
        return [backward.backward_latex(net, args.backward, form=args.form)]
    return [f"{_plain(eq.lhs, None)} = {_plain(eq.rhs, None)}"
            for eq in backward.backward_equations(net, args.backward, form=args.form)]


def _latex_digits(net: Any, weights: str, digits: int) -> str:
    from ..symbolic.notation import latex
    return latex(net, form="nodes", weights=weights, digits=digits)


def _depth(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise Fail(f"--depth takes a whole number >= 0 or 'all', got {text!r}", 2)
    return int(text)


# -- draw --------------------------------------------------------------------------------
#: What ``dagnet draw`` writes (DOT needs no Graphviz; the others need its ``dot``).
DIAGRAM_FORMATS = ("dot", "svg", "png", "pdf")


def cmd_draw(args: argparse.Namespace) -> int:
    out = output(args.output, default="dot", formats=DIAGRAM_FORMATS, fmt=args.format,
                 mkdir=args.mkdir, what="a diagram", example=_slug(args.spec))
    net = _network(args, weights=args.values)
    options = {"theme": args.theme, "show_values": args.values,
               "show_bias": args.bias}
    if args.k is not None:
        options["k"] = args.k
    if out.format == "dot":
        from ..draw import to_dot

        out.write(to_dot(net, style=args.style, **options))
        return 0
    from ..draw import render_diagram

    out.write_with(lambda path: render_diagram(net, path, style=args.style, **options))
    return 0


# -- plot --------------------------------------------------------------------------------
PLOT_KINDS = ("family", "surface", "regions", "animation")
#: What ``dagnet plot`` writes: images, and GIF for ``--kind animation``.
PLOT_FORMATS = ("png", "svg", "pdf")


def cmd_plot(args: argparse.Namespace) -> int:
    net = _network(args, weights=False)
    kind = args.kind or ("family" if net.n_inputs == 1 else "surface")
    gif = kind == "animation"
    out = output(args.output, default="gif" if gif else "png",
                 formats=("gif",) if gif else PLOT_FORMATS, fmt=args.format, mkdir=args.mkdir,
                 what="an animation" if gif else f"a {kind} plot",
                 example=f"{_slug(args.spec)}-{kind}")
    out.write_with(lambda path: _plot(net, kind, path, args))
    return 0


def _plot(net: Network, kind: str, path: Path, args: argparse.Namespace) -> None:
    import numpy as np

    from .. import plot  # imported here: matplotlib takes a third of a second to import

    file_weights = is_file_spec(args.spec) and args.seed is None and _has_weights(net)
    rng = np.random.default_rng(0 if args.seed is None else args.seed)
    kw = {} if args.threshold is None else {"threshold": args.threshold}
    if kind == "animation":
        plot.animate(net, path, kind=args.of, n_frames=args.frames, rng=rng,
                     style=args.style, **(kw if args.of == "regions" else {}))
        return
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
        plot.save_figure(fig, path)
    finally:
        plt.close(fig)


def _has_weights(net: Network) -> bool:
    return all(net.graph.nodes[n].get("value") is not None for n in net.weight_nodes)


# -- fit ---------------------------------------------------------------------------------
def cmd_fit(args: argparse.Namespace) -> int:
    out = output(args.output, default="json", formats=("json", "graphml"), fmt=args.format,
                 mkdir=args.mkdir, what="the fitted network")
    if args.spec.strip() == STDIO and args.data == STDIO:
        raise Fail("the network (SPEC -) and the data (DATA.csv -) cannot both come from "
                   "standard input; give one as a file", 2)
    if args.data != STDIO and not Path(args.data).is_file():
        what = "a folder, not a file" if Path(args.data).is_dir() else "not found"
        raise Fail(f"data file {args.data!r}: {what}; give the path of a CSV file of points "
                   "(the inputs, then the targets), or - to read it from standard input", 2)
    if args.history is not None:
        if args.history == STDIO and out.path is None:
            raise Fail("the fitted network and --history - would both go to standard "
                       "output; give -o NET.json or --history FILE.csv", 2)
        if args.history != STDIO:
            missing_folder(args.history, "--history", args.mkdir)
    # The SPEC's own network (the one 'dagnet draw SPEC' draws); a file keeps its weights.
    file = is_file_spec(args.spec)
    net = spec_network(args.spec, rng=None if file else args.seed)
    if file and not _has_weights(net):
        net.randomize(args.seed)
    with tempfile.TemporaryDirectory(prefix="dagnet-fit-") as tmp:
        history = _fit(net, args, Path(tmp))
    if not args.quiet:
        print(f"dagnet: final loss {history.final_loss:.6g} after {args.steps} steps "
              f"({args.loss})", file=sys.stderr)
    _save(net, out)
    return 0


def _fit(net: Network, args: argparse.Namespace, tmp: Path) -> Any:
    """Run :func:`dagnet.fit_csv` with ``-`` (standard input) and ``--history -`` resolved
    to files in ``tmp``; messages name ``<stdin>``, not the temporary file."""
    from .. import learn

    data = stdin_copy(tmp, "stdin.csv") if args.data == STDIO else Path(args.data)
    history = None if args.history is None else (
        tmp / "history.csv" if args.history == STDIO else Path(args.history))
    try:
        _, result = learn.fit_csv(net, data, loss=args.loss, optimizer=args.optimizer,
                                  steps=args.steps, lr=args.lr, rng=args.seed,
                                  history_path=history,
                                  progress=False if args.quiet else None)
    except DagnetError as exc:
        if args.data == STDIO:
            exc.args = (str(exc).replace(str(data), "<stdin>"),)
        raise
    if args.history == STDIO:
        Output(None, "csv").write(history.read_bytes())
    return result


def _save(net: Network, out: Output) -> None:
    from ..io import save

    out.write_with(lambda path: save(net, path))


# -- gallery -----------------------------------------------------------------------------
def cmd_gallery(args: argparse.Namespace) -> int:
    from ..gallery.demos import DEMOS
    from ..gallery.steps import ARTICLE, learned_file

    if args.list:
        rows = [(f"{row.number:2d}", row.slug, row.spec, row.caption) for row in ARTICLE]
        rows += [(learned_file(d)[:2], d.slug, "(fitted)", d.takeaway) for d in DEMOS]
        print("\n".join(columns(rows)))
        return 0
    missing_folder(args.out, "--out", args.mkdir)
    from ..gallery import build as gallery

    result = gallery.build_gallery(args.out, only=args.only or None, seed=args.seed,
                                   theme=args.theme, frames=args.frames,
                                   progress=False if args.quiet else None, jobs=args.jobs,
                                   learned=not args.no_learned)
    if not args.quiet:
        print(f"wrote {len(result.files)} files for {len(result.rows)} networks and "
              f"{len(result.learned)} fitted examples; "
              f"open {result.index}", file=sys.stderr)
    return 0


def columns(rows: list[tuple[str, ...]], gap: int = 2) -> list[str]:
    """Rows of cells as aligned lines: every column as wide as its widest cell.

    Parameters
    ----------
    rows : list of tuple of str
        The cells; the last column is not padded.
    gap : int
        Spaces between columns.

    Returns
    -------
    list of str

    Examples
    --------
    >>> columns([("1", "line", "x"), ("10", "a-much-longer-name", "y")])
    ['1   line               x', '10  a-much-longer-name  y']
    """
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]) - 1)] if rows else []
    pad = " " * gap
    return [pad.join(c.ljust(w) for c, w in zip(r, widths)) + pad + r[-1] for r in rows]


# -- completion --------------------------------------------------------------------------
def cmd_completion(args: argparse.Namespace) -> int:
    """Print the completion script for ``args.shell`` (see :mod:`dagnet.cli.completion`).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed ``dagnet completion SHELL``.

    Returns
    -------
    int
        The exit code, 0.

    Examples
    --------
    >>> cmd_completion(argparse.Namespace(shell="bash"))  # doctest: +ELLIPSIS
    # dagnet completion for bash; enable with: eval "$(dagnet completion bash)"
    ...
    0
    """
    from .completion import completion_script
    from .parser import build_parser

    print(completion_script(build_parser(), args.shell), end="")
    return 0
