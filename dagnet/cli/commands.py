"""What each ``dagnet`` subcommand does: one ``cmd_*`` function per command.

Every function takes the parsed ``argparse.Namespace`` that :func:`dagnet.cli.build_parser`
builds, calls the public API (:func:`dagnet.core.spec.network_from_spec`, ``net.equations``,
:mod:`dagnet.draw.render`, :mod:`dagnet.plot`, :func:`dagnet.fit_csv`,
:func:`dagnet.build_gallery`), prints what the command prints and returns the exit
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
...                           digits=None, form="nodes", seed=None, backward=None)
>>> cmd_equations(args)
v_0 = w_00 + x_1*w_10
0
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.deep import call_deep
from ..core.spec import network_from_spec
from ..errors import SpecError
from ..learn import fit_csv

if TYPE_CHECKING:
    import sympy as sp

    from ..core.graph import Network

__all__ = ["Fail", "cmd_equations", "cmd_draw", "cmd_plot", "cmd_fit", "cmd_gallery",
           "is_file_spec", "spec_network", "DIAGRAM_SUFFIXES", "PLOT_KINDS",
           "NETWORK_FILE_SUFFIXES"]

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
    """
    text = spec.strip()
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
        model (read by :func:`dagnet.from_onnx`).
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
        return network_from_spec(spec, rng=rng)
    path = Path(spec.strip())
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "not found"
        raise SpecError(f"network file {spec.strip()!r}: {what}; give the path of a saved "
                        f"network (dagnet.save) or an architecture such as '2-11-9-1:tanh'")
    from ..io import from_onnx, load  # the stages are imported by the commands that use them

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
    if is_file_spec(spec):
        return Path(spec).stem
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in spec.strip()).strip("-")


# -- equations ---------------------------------------------------------------------------
def _plain(expr: sp.Basic, digits: int | None) -> str:
    import sympy as sp  # here: `dagnet --help` does not import sympy

    if digits is not None:
        with sp.evaluate(False):  # keep the unevaluated form: no sign pulled out of tanh
            expr = expr.xreplace({f: sp.Float(f, digits) for f in expr.atoms(sp.Float)})
    return sp.sstr(expr, order="none")


def cmd_equations(args: argparse.Namespace) -> int:
    net = _network(args, weights=args.numeric)
    weights = "numeric" if args.numeric else "symbolic"
    if args.backward is not None:
        return _backward(net, args)
    if args.depth is not None:
        depth = None if args.depth == "all" else _depth(args.depth)
        for line in call_deep(_expressions, net, weights, depth, args):  # deep nets recurse
            print(line)
        return 0
    if args.latex:
        print(net.latex(form=args.form, weights=weights) if args.digits is None or
              args.form == "indexed" else _latex_digits(net, weights, args.digits))
        return 0
    for eq in net.equations(form=args.form, weights=weights):
        print(f"{_plain(eq.lhs, None)} = {_plain(eq.rhs, args.digits)}")
    return 0


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


def _backward(net: Any, args: argparse.Namespace) -> int:
    """The backward equations (symbols only: they hold for any weights)."""
    if args.depth is not None or args.numeric or args.digits is not None:
        raise Fail("--backward prints symbolic equations; drop --depth, --numeric and --digits",
                   2)
    from ..symbolic import backward

    if args.latex:
        print(backward.backward_latex(net, args.backward, form=args.form))
        return 0
    for eq in backward.backward_equations(net, args.backward, form=args.form):
        print(f"{_plain(eq.lhs, None)} = {_plain(eq.rhs, None)}")
    return 0


def _latex_digits(net: Any, weights: str, digits: int) -> str:
    from ..symbolic.notation import latex
    return latex(net, form="nodes", weights=weights, digits=digits)


def _depth(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise Fail(f"--depth takes a whole number >= 0 or 'all', got {text!r}", 2)
    return int(text)


# -- draw --------------------------------------------------------------------------------
DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot")


def cmd_draw(args: argparse.Namespace) -> int:
    from ..draw import render_diagram, to_dot

    net = _network(args, weights=args.values)
    options = {"theme": args.theme, "show_values": args.values,
               "show_bias": args.bias}
    if args.k is not None:
        options["k"] = args.k
    if args.output is None:
        sys.stdout.write(to_dot(net, style=args.style, **options))
        return 0
    out = Path(args.output)
    if out.suffix.lower() not in DIAGRAM_SUFFIXES:
        raise Fail(f"cannot tell the format of {str(out)!r}: end the file name with one of "
                    f"{', '.join(DIAGRAM_SUFFIXES)}", 2)
    path = render_diagram(net, out, style=args.style, **options)
    print(path)
    return 0


# -- plot --------------------------------------------------------------------------------
PLOT_KINDS = ("family", "surface", "regions", "animation")


def cmd_plot(args: argparse.Namespace) -> int:
    import numpy as np

    from .. import plot  # imported here: matplotlib takes a third of a second to import

    net = _network(args, weights=False)
    file_weights = is_file_spec(args.spec) and args.seed is None and _has_weights(net)
    rng = np.random.default_rng(0 if args.seed is None else args.seed)
    kind = args.kind or ("family" if net.n_inputs == 1 else "surface")
    gif = kind == "animation"
    out = Path(args.output) if args.output else Path(
        f"{_slug(args.spec)}-{kind}{'.gif' if gif else '.png'}")
    suffixes = (".gif",) if gif else (".png", ".svg", ".pdf")
    if out.suffix.lower() not in suffixes:
        what = "an animation" if gif else f"a {kind} plot"
        raise Fail(f"cannot write {what} to {str(out)!r}: end the file name with "
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


def _has_weights(net: Network) -> bool:
    return all(net.graph.nodes[n].get("value") is not None for n in net.weight_nodes)


# -- fit ---------------------------------------------------------------------------------
def cmd_fit(args: argparse.Namespace) -> int:
    # The SPEC's own network (the one 'dagnet draw SPEC' draws); a file keeps its weights.
    file = is_file_spec(args.spec)
    net = spec_network(args.spec, rng=None if file else args.seed)
    if file and not _has_weights(net):
        net.randomize(args.seed)
    if args.output is not None and Path(args.output).suffix.lower() != ".json":
        raise Fail(f"the fitted network is saved as JSON: name the file *.json, got "
                    f"{args.output!r}", 2)
    net, history = fit_csv(net, args.data, loss=args.loss, optimizer=args.optimizer,
                           steps=args.steps, lr=args.lr, rng=args.seed,
                           history_path=args.history, progress=False if args.quiet else None)
    print(f"final loss {history.final_loss:.6g} after {args.steps} steps ({args.loss})")
    if args.output is not None:
        from ..io import save

        save(net, args.output)
        print(args.output)
    else:
        print("weights:", " ".join(f"{name}={value:.6g}" for name, value in
                                   zip(net.weight_names, net.weights)))
    return 0


# -- gallery -----------------------------------------------------------------------------
def cmd_gallery(args: argparse.Namespace) -> int:
    from ..gallery import build as gallery
    from ..gallery.demos import DEMOS
    from ..gallery.steps import ARTICLE, learned_file

    if args.list:
        for row in ARTICLE:
            print(f"{row.number:2d}  {row.slug:<22} {row.spec:<18} {row.caption}")
        for d in DEMOS:
            number = learned_file(d)[:2]
            print(f"{number}  {d.slug:<22} {'(fitted)':<18} {d.takeaway}")
        return 0
    result = gallery.build_gallery(args.out, only=args.only or None, seed=args.seed,
                                   theme=args.theme, frames=args.frames,
                                   progress=False if args.quiet else None, jobs=args.jobs,
                                   learned=not args.no_learned)
    if not args.quiet:
        print(f"wrote {len(result.files)} files for {len(result.rows)} networks and "
              f"{len(result.learned)} fitted examples; "
              f"open {result.index}")
    return 0
