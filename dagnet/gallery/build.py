"""The main job: regenerate the article's whole sequence of networks into one folder.

:func:`build_gallery` writes, for every step of the article's sequence
(:data:`dagnet.gallery.steps.ARTICLE`, one :class:`~dagnet.gallery.steps.Step` per network),
into ``out``:

=================================  ===============================================
file (``NN-slug`` prefix)          what
=================================  ===============================================
``-explicit.svg`` / ``.png``       explicit diagram (where the article shows one)
``-simplified.svg`` / ``.png``     simplified diagram (circles and lines)
``.tex``                           the equations, LaTeX ``align`` block
``-equations.svg``                 the same equations drawn with mathtext
``-family.png``                    random-weight family of curves (1 input)
``-surface.png``                   output surface with floor contours (2 inputs)
``-regions.png``                   classifier regions (where the article has them)
``.gif``                           animation of successive random draws
``-compare.png``                   step 10 only: 1-100-1 and 1-11-9-1 side by side
                                   (:data:`COMPARISONS`, drawn by ``_gallery_compare``)
=================================  ===============================================

then, after the 17 steps, the section "What it learned": for each of the article's
takeaways (:data:`dagnet.gallery.demos.DEMOS`) one network fitted with :func:`dagnet.fit`,
its picture (``NN-learned-SLUG.png``, numbered 18-22) and a caption with the
numbers measured on that fit; then ``index.html`` (a page that walks through the
steps in order, each with the article's one-line point and the reasoning behind the
figures (:attr:`~dagnet.gallery.steps.Step.explanation`), readable offline: no
script, no network) and ``README.md`` with the same content for code hosts. Every weight draw comes
from ``numpy.random.default_rng([seed, step number, purpose])``, so the same
command writes the same files, and ``only=`` rebuilds a step exactly as a full
run would. Files are written atomically.

Examples
--------
>>> from dagnet.gallery.steps import step
>>> sorted(step_files(step(1)))[:4]
['animation', 'equations.svg', 'explicit.png', 'explicit.svg']
>>> step_files(step("tanh-3-layers"))["family"]
'10-tanh-3-layers-family.png'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core import palette
from ..errors import SpecError
from .demos import DEMOS, Demo, gallery_compile
from .steps import Step, learned_file, select_learned, step

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["build_gallery", "GalleryResult", "DEFAULT_FRAMES", "FAMILY_DRAWS", "REGION_DRAWS",
           "MIN_LEAD", "SURFACE_DRAWS", "PANELS", "COMPARISONS", "step_files", "step_equations",
           "most_regions", "region_leads", "draw_plot", "liveliest", "linear_pieces",
           "last_activation", "fixed_window", "piecewise"]

#: Frames per GIF by default: the article used 49; 12 keeps the whole gallery under a minute.
DEFAULT_FRAMES = 12
#: Curves drawn in one still family plot.
FAMILY_DRAWS = 20
#: Random draws a still regions plot picks from: the one with the most clear regions.
#: (Only ~14 % of 1-11-9-1 tanh draws interleave A and B on [-6, 6]; the article shows such.)
REGION_DRAWS = 24
#: A region counts as clear when its winner leads by at least this somewhere (5 % of tanh's
#: range): ripples of +-0.02 around the threshold are not regions a reader can see.
MIN_LEAD = 0.1
#: Draws a piecewise-linear (relu) surface still picks from (:func:`liveliest`).
SURFACE_DRAWS = 24
#: Small multiples of a several-output family (one draw per panel, 2 rows).
PANELS = 6
#: Step number -> the steps whose families that step's ``-compare.png`` shows side by side:
#: step 10's point (as rich as 1-100-1 with a fifth of the hidden nodes) rests on step 9.
COMPARISONS: dict[int, tuple[int, ...]] = {10: (9, 10)}


def step_files(row: Step) -> dict[str, str]:
    """The files :func:`build_gallery` writes for ``row``: role -> file name."""
    files = {}
    for which in ("explicit", "simplified"):
        if which == "simplified" or row.explicit is not None:
            files[f"{which}.svg"] = f"{row.stem}-{which}.svg"
            files[f"{which}.png"] = f"{row.stem}-{which}.png"
    files["tex"] = f"{row.stem}.tex"
    files["equations.svg"] = f"{row.stem}-equations.svg"
    for kind in row.plots:
        files[kind] = f"{row.stem}-{kind}.png"
    if row.number in COMPARISONS:
        files["compare"] = f"{row.stem}-compare.png"
    files["animation"] = f"{row.stem}.gif"
    return files


def step_equations(row: Step) -> str:
    """The LaTeX ``align`` block shown for ``row`` (see :attr:`Step.equations`).

    >>> print(step_equations(step(1)))
    \\begin{align}
    y &= m x + b
    \\end{align}
    """
    import sympy as sp

    net = row.network()
    if row.equations == "indexed":
        return net.latex(form="indexed")
    if row.equations == "generic":  # the article's one set of equations with the L subscript
        from ..symbolic.notation import generic_latex

        return generic_latex(net)
    if row.equations == "shorthand":  # every node, then the article's u_i0 = x_i w_i0
        nodes, short = net.latex(), net.latex(form="indexed")
        return nodes.replace("\n\\end{align}", " \\\\\n") + short.split("\n", 2)[2]
    if row.equations == "nodes":
        return net.latex()
    form = net.linear_coefficients()
    names = dict(row.rename)
    sub = {s: sp.Symbol(names.get(s.name, s.name)) for s in form.as_expr().free_symbols}
    sub.update({x: sp.Symbol(names.get(x.name, x.name)) for x in form.inputs})
    terms = [sp.Mul(m.xreplace(sub), x.xreplace(sub), evaluate=False)
             for m, x in zip(form.slopes, form.inputs)]
    rhs = sp.Add(*terms, form.intercept.xreplace(sub), evaluate=False)
    lhs = names.get(net.symbol_name(net.outputs[0]), net.symbol_name(net.outputs[0]))
    return ("\\begin{align}\n" + f"{sp.latex(sp.Symbol(lhs))} &= {sp.latex(rhs, order='none')}"
            + "\n\\end{align}")


# -- building ----------------------------------------------------------------------------
@dataclass(frozen=True)
class GalleryResult:
    """What :func:`build_gallery` wrote: the page, the README, every file, the steps,
    and the "What it learned" items as (demo, measured caption).

    Parameters
    ----------
    index : pathlib.Path
        The gallery page, ``index.html`` (works offline).
    readme : pathlib.Path
        ``README.md``, the same walk-through for GitHub.
    files : tuple of pathlib.Path
        Every file written, the two above included.
    rows : tuple of Step
        The article's steps built.
    learned : tuple of (Demo, str)
        The "What it learned" fits and their captions with the measured numbers.

    Examples
    --------
    >>> import tempfile, dagnet
    >>> result = dagnet.build_gallery(tempfile.mkdtemp(), only=[1], frames=1, jobs=1,
    ...                               learned=False)
    >>> result.index.name, [row.slug for row in result.rows]
    ('index.html', ['line'])
    >>> sorted(p.name for p in result.files if p.name.startswith("01-line."))
    ['01-line.gif', '01-line.tex']
    """

    index: Path
    readme: Path
    files: tuple[Path, ...]
    rows: tuple[Step, ...]
    learned: tuple[tuple[Demo, str], ...] = ()


def build_gallery(out: str | os.PathLike = "diagrams", only: Sequence[int | str] | None = None,
                  seed: int = 0, theme: str = "article", *, frames: int | None = None,
                  progress: bool | None = None, jobs: int | None = None,
                  learned: bool = True) -> GalleryResult:
    """Write the article's figures, equations and animations into ``out`` (see module docs).

    Parameters
    ----------
    out : str or os.PathLike, default "diagrams"
        The folder to write into (created if missing).
    only : sequence of int or str, optional
        Numbers or slugs of the steps to build (default all 17 and the five "What it
        learned" items, see :func:`select_learned`); the page and README then cover just
        these.
    seed : int, default 0
        The seed of every weight draw (same seed, same files).
    theme : {"article", "plain"}, default "article"
        ``"article"`` (dark, the article's palette; ``"retro"`` is an alias) or
        ``"plain"``: the palette's theme (:data:`dagnet.core.palette.THEMES`) of every
        diagram, plot, equation picture and the page.
    frames : int, optional
        Frames per GIF (default :data:`DEFAULT_FRAMES`; the article used 49).
    progress : bool, optional
        Show a tqdm progress bar on stderr (None: only when stderr is a terminal).
    jobs : int, optional
        Worker processes (default: the number of CPUs, at most 4; 1 = in this process).
    learned : bool, default True
        False skips the "What it learned" section (no fits, no pictures).

    Returns
    -------
    GalleryResult
        The page, the README and every file written.

    Raises
    ------
    SpecError
        An unknown step in ``only``, an unknown theme, a negative ``seed`` or ``frames``
        below 1.
    GraphvizMissingError
        Graphviz's ``dot`` is not installed (the diagrams need it).

    Examples
    --------
    Step 1 alone (the line ``y = m x + b``), one frame per animation:

    >>> import tempfile, dagnet
    >>> result = dagnet.build_gallery(tempfile.mkdtemp(), only=["line"], frames=1, jobs=1)
    >>> result.readme.read_text().count("## ")  >= 1
    True
    """
    from ..core.atomic import write_text
    from . import page

    theme = palette.theme_name(theme, error=SpecError)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SpecError(f"seed must be a whole number >= 0, got {seed!r}")
    frames = DEFAULT_FRAMES if frames is None else int(frames)
    if frames < 1:
        raise SpecError(f"frames must be at least 1, got {frames}")
    rows, demos = select_learned(only)
    demos = demos if learned else ()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [(_cost(row), _build_step, (row.number, str(folder), int(seed), theme, frames))
             for row in rows]
    tasks += [(d.cost, _build_demo, (d.slug, str(folder), int(seed), theme)) for d in demos]
    jobs = max(1, min(len(tasks), jobs or min(os.cpu_count() or 1, 4)))
    tasks.sort(key=lambda t: -t[0])  # slow work first, so the workers finish together
    written: list[Path] = []
    captions: dict[str, str] = {}
    from tqdm.auto import tqdm

    if progress is None:  # a bar's carriage returns only belong on a terminal, not in a log
        progress = bool(getattr(sys.stderr, "isatty", lambda: False)())
    bar = tqdm(total=len(tasks), desc="dagnet gallery", unit="network", disable=not progress,
               file=sys.stderr)
    try:
        if jobs == 1:
            for _, fn, args in tasks:
                paths, info = fn(*args)
                written += paths
                captions.update(info)
                bar.update(1)
        else:
            import concurrent.futures as cf
            import multiprocessing as mp

            ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
            if ctx.get_start_method() == "fork":
                _preload()  # once here, instead of once in every worker
            with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = [pool.submit(fn, *args) for _, fn, args in tasks]
                for fut in cf.as_completed(futures):
                    paths, info = fut.result()
                    written += paths
                    captions.update(info)
                    bar.update(1)
    finally:
        bar.close()
    index = folder / "index.html"
    readme = folder / "README.md"
    latex = {row.number: step_equations(row) for row in rows}
    items = [(d, learned_file(d), captions[d.slug]) for d in demos]
    compare = {r.number: captions[f"compare-{r.number}"] for r in rows if r.number in COMPARISONS}
    write_text(index, page.html(rows, latex, theme=theme, seed=seed, frames=frames,
                                learned=items, compare=compare))
    write_text(readme, page.markdown(rows, latex, seed=seed, frames=frames, learned=items,
                                     compare=compare))
    files = tuple(sorted(set(written))) + (index, readme)
    return GalleryResult(index=index, readme=readme, files=files, rows=rows,
                         learned=tuple((d, captions[d.slug]) for d in demos))


def _preload() -> None:
    """Import what every worker needs (matplotlib, its 3-D axes and animation writer, the
    plot and diagram stages) before the workers fork, so they share it. The backend is
    left alone (pyplot is not imported): each worker picks Agg itself."""
    import matplotlib.animation  # noqa: F401
    import matplotlib.backends.backend_agg  # noqa: F401
    import mpl_toolkits.mplot3d  # noqa: F401

    from .. import plot  # noqa: F401
    from ..draw import render  # noqa: F401
    from . import comparison, mathtext  # noqa: F401


def _cost(row: Step) -> int:
    """A rough relative build time (3-D frames dominate), to schedule slow steps first."""
    three_d = row.sizes[0] == 2
    return (10 if three_d else 1) * (2 if row.animation == "surface" or three_d else 1)


def _build_demo(slug: str, out: str, seed: int,
                theme: str) -> tuple[list[Path], dict[str, str]]:
    """Fit one "What it learned" item and draw it; runs in a worker process."""
    import matplotlib

    matplotlib.use("Agg")
    demo = next(d for d in DEMOS if d.slug == slug)
    path = Path(out) / learned_file(demo)
    result = demo(path, seed=seed, style=theme)
    return [path], {slug: result["caption"]}


def _build_step(number: int, out: str, seed: int, theme: str,
                frames: int) -> tuple[list[Path], dict[str, str]]:
    """Write every file of one step; runs in a worker process."""
    import matplotlib

    matplotlib.use("Agg")
    from .. import plot
    from ..core.atomic import write_text
    from ..draw import render as diagram
    from .mathtext import align_lines, render_equations

    row = step(number)
    folder = Path(out)
    names = step_files(row)
    paths = {role: folder / name for role, name in names.items()}
    for which in ("explicit", "simplified"):
        if f"{which}.svg" in paths:
            net = row.drawn(which)
            options: dict[str, Any] = {"theme": theme}
            if which == "explicit" and row.rename:
                options.update(_renamed(net, dict(row.rename)))
            for suffix in ("svg", "png"):
                diagram.render_diagram(net, paths[f"{which}.{suffix}"], style=which, **options)
    block = step_equations(row)
    write_text(paths["tex"], _tex_file(row, block))
    render_equations(align_lines(block), paths["equations.svg"], theme=theme)
    net = row.network()
    f = gallery_compile(net)
    import matplotlib.pyplot as plt

    for kind in row.plots:
        fig, _ = draw_plot(row, kind, seed=seed, theme=theme, f=f)
        plot.save_figure(fig, paths[kind])
        plt.close(fig)
    info = {}
    if "compare" in paths:
        from .comparison import draw_comparison

        res = draw_comparison(COMPARISONS[row.number], seed=seed, style=theme, n=FAMILY_DRAWS)
        plot.save_figure(res.figure, paths["compare"])
        plt.close(res.figure)
        info[f"compare-{row.number}"] = res.caption
    plot.animate(net, paths["animation"], kind=row.animation, n_frames=frames,
                 rng=row.rng(seed, "animation"), style=theme, f=f, **fixed_window(net))
    return list(paths.values()), info


def fixed_window(net: Network) -> dict[str, Any]:
    """Fixed axes for a 2-input linear network (step 3): z over +-1.5 times the largest
    value any draw can reach on [-6, 6]^2 (|w| < 1: 1 + 6 per input), the same in every
    frame, so a plane is seen as a tilted sheet, never edge-on, and frames compare.

    Parameters
    ----------
    net : Network

    Returns
    -------
    dict
        ``{"zlim": (low, high)}`` for a one-layer linear 2-input network, else ``{}``
        (keyword arguments for :func:`dagnet.plot.surface` and :func:`dagnet.plot.animate`).

    Examples
    --------
    >>> import dagnet
    >>> fixed_window(dagnet.linear(2)), fixed_window(dagnet.mlp([2, 1], "tanh"))
    ({'zlim': (-19.5, 19.5)}, {})
    """
    if net.n_inputs != 2 or len(net.layers) != 1 or not net.is_linear():
        return {}
    bound = 1.5 * (1.0 + 6.0 * net.n_inputs)
    return {"zlim": (-bound, bound)}


def draw_plot(row: Step, kind: str, *, seed: int = 0, theme: str = "article",
              f: Any = None) -> tuple[Any, Any]:
    """Draw the still plot ``kind`` of ``row`` as the gallery does: ``(figure, result)``.

    ``family``: :data:`FAMILY_DRAWS` curves, or for several outputs :data:`PANELS` small
    multiples of one draw each (every panel shows what one network does with its outputs).
    ``surface``: one draw; for a piecewise-linear (relu) network the liveliest of
    :data:`SURFACE_DRAWS` draws (:func:`liveliest`). ``regions``: the draw with the most
    clear regions of :data:`REGION_DRAWS` (:func:`most_regions`).

    Parameters
    ----------
    row : Step
    kind : {"family", "surface", "regions"}
    seed : int
        As for :func:`build_gallery`.
    theme : str
    f : CompiledNetwork, optional

    Returns
    -------
    figure : matplotlib Figure (the caller closes it)
    result : the plot's result (a list of them for small multiples)
    """
    from .. import plot

    net = row.network()
    f = gallery_compile(net) if f is None else f
    rng = row.rng(seed, kind)
    if kind == "family" and net.n_outputs > 1:
        return _panels(net, rng, theme, f)
    fig, ax = plot.new_figure(theme, projection="3d" if net.n_inputs == 2 else None)
    if kind == "family":
        res = plot.family(net, n=FAMILY_DRAWS, rng=rng, ax=ax, style=theme, f=f)
    elif kind == "surface":
        W = net.sample_weights(SURFACE_DRAWS if piecewise(net) else 1, rng=rng)
        w = W[liveliest(net, W, f=f)] if len(W) > 1 else W[0]
        res = plot.surface(net, w, ax=ax, style=theme, f=f, **fixed_window(net))
    else:
        W = net.sample_weights(REGION_DRAWS, rng=rng)
        res = plot.regions(net, W[most_regions(net, W, f=f)], ax=ax, style=theme, f=f)
    return fig, res


def _panels(net: Network, rng: Any, theme: str, f: Any) -> tuple[Any, list]:
    """:data:`PANELS` draws of a several-output network, one per panel, outputs in colour."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from .. import plot

    s = plot.get_style(theme)
    W = net.sample_weights(PANELS, rng=rng)
    rows = 2
    cols = -(-PANELS // rows)
    with mpl.rc_context(s.rc()):
        fig, axes = plt.subplots(rows, cols, figsize=s.figsize, dpi=s.dpi, sharex=True,
                                 sharey=True)
    results = []
    for k, ax in enumerate(axes.ravel()):
        plot.style_axes(ax, s)
        res = plot.family(net, weights=W[k], ax=ax, style=theme, f=f, color_by="output",
                          linewidth=s.linewidth * 0.7)
        ax.set_title(f"draw {k + 1}", color=s.foreground, fontsize=s.fontsize * 0.8)
        if k % cols:
            ax.set_ylabel("")
        if k < cols * (rows - 1):
            ax.set_xlabel("")
        results.append(res)
    fig.tight_layout()
    return fig, results


def piecewise(net: Network) -> bool:
    """Whether the network's output is made of flat facets (a relu activation).

    Parameters
    ----------
    net : Network

    Returns
    -------
    bool

    Examples
    --------
    >>> import dagnet
    >>> piecewise(dagnet.mlp([2, 3, 1], "relu")), piecewise(dagnet.mlp([2, 3, 1], "tanh"))
    (True, False)
    """
    return any(a.get("activation") == "relu" for _, a in net.graph.nodes(data=True))


def linear_pieces(z: np.ndarray, *, tol: float = 1e-6, share: float = 0.005) -> int:
    """How many flat facets a surface sampled on a grid has: distinct gradients that each
    cover at least ``share`` of the grid's cells, counting only cells whose right, lower and
    diagonal neighbours have the same gradient (cells cut by a crease do not).

    >>> g = np.linspace(-1, 1, 50)
    >>> X, Y = np.meshgrid(g, g)
    >>> linear_pieces(np.maximum(0, X)), linear_pieces(np.maximum(0, X) + np.maximum(0, Y))
    (2, 4)
    """
    gx = np.diff(z, axis=1)[:-1, :]
    gy = np.diff(z, axis=0)[:, :-1]
    scale = max(float(np.abs(z).max()), 1.0) * tol
    kx, ky = np.round(gx / scale).astype(np.int64), np.round(gy / scale).astype(np.int64)

    def same(a: np.ndarray, di: int, dj: int) -> np.ndarray:
        return a[:-1, :-1] == a[di:a.shape[0] - 1 + di, dj:a.shape[1] - 1 + dj]

    inner = np.ones(kx[:-1, :-1].shape, dtype=bool)
    for di, dj in ((0, 1), (1, 0), (1, 1)):
        inner &= same(kx, di, dj) & same(ky, di, dj)
    keys = np.stack([kx[:-1, :-1][inner], ky[:-1, :-1][inner]], axis=1)
    if not len(keys):
        return 0
    _, counts = np.unique(keys, axis=0, return_counts=True)
    return int(np.count_nonzero(counts >= share * gx.size))


def liveliest(net: Network, W: np.ndarray, *, f: Any = None, n: int = 50) -> int:
    """Index of the draw (a row of ``W``) whose surface has the most flat facets among those
    that vary on at least half of the window (``n`` x ``n`` grid on [-6, 6]^2).

    A relu network with uniform [-1, 1) weights is often dead (constant 0) over most of
    the window; the article's point ("quite a bit sharper") needs a surface with creases.
    """
    f = gallery_compile(net) if f is None else f
    g = np.linspace(-6.0, 6.0, n)
    X = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    Y = f(X, weights=W)[..., 0].reshape(len(W), n, n)
    scores = []
    for z in Y:
        live = np.mean((np.abs(np.diff(z, axis=1)[:-1]) + np.abs(np.diff(z, axis=0)[:, :-1]))
                       > 1e-12)
        scores.append(linear_pieces(z) if live >= 0.5 else 0)
    return int(np.argmax(scores))


def most_regions(net: Network, W: np.ndarray, *, f: Any = None, n: int = 64) -> int:
    """Index of the weight draw (a row of ``W``) with the most clear regions.

    Categories as :func:`dagnet.plot.classify` assigns them (threshold or argmax) on an
    ``n``-point grid per input over the article's window [-6, 6]. A region (a connected
    patch of one category) is clear when its winner leads somewhere by at least
    :data:`MIN_LEAD` (over the threshold, or over the runner-up output); a draw scores its
    clear regions minus twice its unclear ones, so ripples that barely touch the threshold
    do not pass for interleaved categories. Ties go to the first draw.

    >>> import dagnet
    >>> net = dagnet.mlp([1, 1], "tanh")
    >>> most_regions(net, np.array([[10.0, 1.0], [0.0, 1.0]]))  # only draw 1 crosses 0 in [-6, 6]
    1
    >>> most_regions(net, np.array([[0.0, 1.0], [0.0, 0.001]]))  # draw 1 only grazes 0
    0
    """
    f = gallery_compile(net) if f is None else f
    scores = []
    for cls, lead in _categories(net, W, f, n):
        peaks = region_leads(cls, lead)
        clear = sum(p >= MIN_LEAD for p in peaks)
        scores.append(clear - 2 * (len(peaks) - clear))
    return int(np.argmax(scores))


def _categories(net: Network, W: np.ndarray, f: Any, n: int):
    """Per draw: the category grid and the winner's lead, on [-6, 6]^inputs."""
    from ..plot import classify

    g = np.linspace(-6.0, 6.0, n)
    X = g[:, None] if net.n_inputs == 1 else np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    shape = (n,) * net.n_inputs
    Y = f(X, weights=W)  # (K, points, outputs)
    C = np.asarray(classify(net, X, W, f=f)).reshape((len(W), *shape))
    for cls, y in zip(C, Y):
        if y.shape[-1] == 1:
            lead = np.abs(y[:, 0] - _threshold(net))
        else:
            top = np.sort(y, axis=-1)
            lead = top[:, -1] - top[:, -2]
        yield cls, lead.reshape(shape)


def _threshold(net: Network) -> float:
    """The decision level of a single-output classifier (its activation's; 0 without one)."""
    from ..core.activations import get_activation

    t = get_activation(last_activation(net) or "identity").threshold
    return 0.0 if t is None else float(t)


def last_activation(net: Network, output: int = 0) -> str | None:
    """The name of the activation that makes output ``output`` (None for a bare sum).

    >>> import dagnet
    >>> last_activation(dagnet.mlp([1, 2, 1], "tanh")), last_activation(dagnet.linear(1))
    ('tanh', None)
    """
    G, node = net.graph, net.validate().output_node(output)
    while G.nodes[node]["kind"] in ("output", "input"):
        node = next(iter(G.predecessors(node)))
    return G.nodes[node].get("activation") if G.nodes[node]["kind"] == "activation" else None


def region_leads(cls: np.ndarray, lead: np.ndarray) -> list[float]:
    """The largest lead inside each region: each connected patch (4-neighbours) of one
    category of ``cls``, in the order a row-major scan meets them.

    >>> region_leads(np.array([0, 0, 1, 0]), np.array([0.5, 0.2, 0.01, 0.3]))
    [0.5, 0.01, 0.3]
    """
    lead = np.asarray(lead, dtype=float)
    if cls.ndim == 1:  # runs: split where the category changes
        cuts = np.flatnonzero(np.diff(cls)) + 1
        return [float(part.max()) for part in np.split(lead, cuts)]
    labels = np.arange(cls.size).reshape(cls.shape)
    while True:  # every cell takes the smallest label of its same-category neighbours
        before = labels
        for axis in range(cls.ndim):
            for lo, hi in ((slice(None, -1), slice(1, None)), (slice(1, None), slice(None, -1))):
                a = tuple(lo if k == axis else slice(None) for k in range(cls.ndim))
                b = tuple(hi if k == axis else slice(None) for k in range(cls.ndim))
                joined = cls[a] == cls[b]
                labels = labels.copy() if labels is before else labels
                labels[a] = np.where(joined, np.minimum(labels[a], labels[b]), labels[a])
        if np.array_equal(labels, before):
            break
    roots, index = np.unique(labels.ravel(), return_inverse=True)
    peaks = np.zeros(len(roots))
    np.maximum.at(peaks, index, lead.ravel())
    return [float(p) for p in peaks]  # roots ascending: the order a row-major scan meets them


def _renamed(net: Network, rename: dict[str, str]) -> dict[str, dict[str, str]]:
    """Diagram labels for the article's first figure (step 1): boxes m, b; inputs x, 1; out y.

    A renamed sum keeps its sigma box and names the edge out of it instead; the weights'
    outputs u_ij are not labelled, as in the article's drawing of y = m x + b.
    """
    labels: dict[str, str] = {}
    out: dict[str, str] = {}
    for n, attrs in net.graph.nodes(data=True):
        name = net.symbol_name(n)
        if attrs["kind"] == "weight":
            out[n] = ""
        if name in rename:
            (out if attrs["kind"] in ("sum", "activation") else labels)[n] = rename[name]
    return {"labels": labels, "out_labels": out}


def _tex_file(row: Step, block: str) -> str:
    return (f"% Step {row.number} of 'What do neural networks learn?': {row.title}\n"
            f"% Network {row.spec}; written by `dagnet gallery`. Every node's equation:\n"
            f"%   dagnet equations {row.spec} --latex\n{block}\n")
