"""The gallery's two pages: ``index.html`` (offline, no script) and ``README.md``.

Both walk through the article's steps in order with the same content: heading,
the article's one-line point, the reasoning behind the figures (the step's
``explanation``), the network's SPEC and facts computed by dagnet, diagrams,
equations, plots and the animation (step 10 also compares itself with step 9);
then "What it learned": each of the article's takeaways with a fitted example's
picture and its measured caption. The HTML page needs no network and runs no
script: equations are pictures (``-equations.svg``, drawn with mathtext) with their
LaTeX source alongside; the README writes them as ```` ```math ```` blocks, which
code hosts render. Diagrams are embedded as ``<object>`` so that their SVG's own
tooltips (each node's equation and value) and hover highlight work; the page
itself still has no script.

Examples
--------
>>> from dagnet.gallery.steps import ARTICLE
>>> from dagnet.gallery.build import step_equations
>>> rows = ARTICLE[:2]
>>> text = html(rows, {r.number: step_equations(r) for r in rows})
>>> text.startswith("<!DOCTYPE html>"), 'data="01-line-explicit.svg"' in text
(True, True)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ..core import palette
from ..errors import SpecError

__all__ = ["html", "markdown", "facts", "interval", "referenced_files", "deviations",
           "plot_caption"]

TITLE = "What do neural networks learn? The dagnet gallery"
ARTICLE_NAME = "What do neural networks learn?"

_PLOT_CAPTIONS = {
    "family": "Random weights, one curve per draw ({n} draws)",
    "panels": "{n} random draws, one per panel: each output in its category's colour",
    "surface": "One random draw: the output surface, contours on the floor",
    "liveliest": ("Of {n} random draws, the one with the most flat facets: the output "
                  "surface, contours on the floor"),
    "regions": ("Classifier regions: of {n} random draws, the one with the most regions whose "
                "winner leads by at least {lead:g}"),
}


def plot_caption(row: Any, kind: str) -> str:
    """What the still plot ``kind`` of ``row`` shows, with the counts the gallery used.

    >>> from dagnet.gallery.steps import step
    >>> plot_caption(step(13), "family")
    "6 random draws, one per panel: each output in its category's colour"
    """
    from .build import FAMILY_DRAWS, MIN_LEAD, PANELS, REGION_DRAWS, SURFACE_DRAWS, piecewise

    net = row.network()
    if kind == "family":
        several = net.n_outputs > 1
        return _PLOT_CAPTIONS["panels" if several else "family"].format(
            n=PANELS if several else FAMILY_DRAWS)
    if kind == "surface" and piecewise(net):
        return _PLOT_CAPTIONS["liveliest"].format(n=SURFACE_DRAWS)
    return _PLOT_CAPTIONS[kind].format(n=REGION_DRAWS, lead=MIN_LEAD)

_COMPARE_ALT = "the families of 1-100-1 and 1-11-9-1 side by side"


def _fmt_bound(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:g}".replace("-", "−")


@functools.cache
def _attained(activation: str, bound: float) -> bool:
    """Whether ``activation`` reaches ``bound`` at some finite input (a closed end).

    Asked of sympy: ``f(v) = bound`` has a real solution (relu's 0 at every v <= 0), or
    none (logistic and tanh only tend to theirs). An answer sympy cannot give counts as open.
    """
    import sympy as sp

    from ..core.activations import get_activation

    if not math.isfinite(bound):
        return False
    v = sp.Symbol("v", real=True)
    solutions = sp.solveset(sp.Eq(get_activation(activation).sympy(v), bound), v, sp.S.Reals)
    return isinstance(solutions, (sp.Interval, sp.FiniteSet, sp.Union)) and \
        solutions is not sp.S.EmptySet


def interval(net: Any, output: int = 0) -> str:
    """The range of output ``output`` in interval notation, each end open or closed as the
    last activation makes it: logistic ``(0, 1)``, tanh ``(−1, 1)``, relu ``[0, ∞)``.

    >>> import dagnet
    >>> interval(dagnet.mlp([1, 1], "relu")), interval(dagnet.logistic(1))
    ('[0, ∞)', '(0, 1)')
    """
    from .build import last_activation

    lo, hi = net.output_range(output)  # the bounds of the activation that makes the output
    name = last_activation(net, output)
    left = "[" if name and _attained(name, lo) else "("
    right = "]" if name and _attained(name, hi) else ")"
    return f"{left}{_fmt_bound(lo)}, {_fmt_bound(hi)}{right}"


def facts(row: Any) -> str:
    """One line of facts dagnet computes about ``row``'s network.

    >>> from dagnet.gallery.steps import step
    >>> facts(step(10))
    '1 input, 1 output, 3 layers (11 + 9 hidden nodes), 140 weights; nonlinear; output in (−1, 1)'
    """
    net = row.network()
    kind = "linear in its inputs" if net.is_linear() else "nonlinear"
    outs = f"{net.n_outputs} output{'s' if net.n_outputs > 1 else ''}"
    ins = f"{net.n_inputs} input{'s' if net.n_inputs > 1 else ''}"
    hidden = list(row.sizes[1:-1])
    nodes = (f" ({' + '.join(map(str, hidden))} hidden node{'s' if sum(hidden) > 1 else ''})"
             if hidden else "")
    return (f"{ins}, {outs}, {len(net.layers)} layer{'s' if len(net.layers) > 1 else ''}"
            f"{nodes}, {net.n_weights} weights; {kind}; output in {interval(net)}")


def _sizes(sizes: Sequence[int]) -> str:
    return "-".join(map(str, sizes))


def _css(theme: str) -> str:
    """The page's style sheet in ``theme``'s colours (from the palette)."""
    row = palette.theme(theme, error=SpecError)
    bg, fg, light = row["background"], row["page_text"], row["page_heading"]
    accent, panel = row["accent"], row["page_panel"]
    return f"""
body {{ background: {bg}; color: {fg}; font: 16px/1.5 system-ui, sans-serif; margin: 0; }}
header, main, footer {{ max-width: 1280px; margin: 0 auto; padding: 0 24px; }}
h1 {{ color: {light}; font-weight: 600; }}
h2 {{ color: {light}; border-top: 2px solid {accent}; padding-top: 24px; margin-top: 40px; }}
a {{ color: {light}; }}
code, pre {{ font-family: ui-monospace, monospace; font-size: 14px; }}
pre {{ background: {panel}; padding: 12px; overflow-x: auto; max-height: 320px; }}
.caption {{ font-size: 20px; color: {light}; margin: 4px 0 8px; }}
.explain {{ max-width: 900px; margin: 0 0 8px; }}
.facts {{ opacity: 0.85; }}
.row {{ display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }}
figure {{ margin: 0; background: {panel}; padding: 8px; border-radius: 4px; }}
figure img {{ display: block; max-width: 100%; height: auto; }}
figure.diagram img, figure.diagram object {{ max-height: 420px; max-width: 100%;
  background: {bg}; display: block; }}
figure.equations img {{ max-height: 520px; }}
figure.plot img {{ width: 600px; }}
figure.learned img {{ width: 900px; }}
figure.compare img {{ width: 1200px; }}
figure.compare figcaption {{ max-width: 1200px; }}
figure.learned figcaption {{ font-size: 16px; max-width: 900px; }}
figcaption {{ font-size: 14px; opacity: 0.85; margin-top: 4px; }}
nav ol {{ columns: 2; }}
table {{ border-collapse: collapse; max-width: 1200px; }}
td, th {{ border-top: 1px solid {accent}; padding: 6px 10px; text-align: left;
  vertical-align: top; }}
"""


def deviations() -> list[tuple[str, str, str]]:
    """Where the gallery differs from the article and its code: ``(what, article, here and
    why)``, each computed from the constants the gallery uses; the page's last section.

    >>> rows = deviations()
    >>> rows[0][0], len(rows) >= 8
    ('1-input axes', True)
    """
    from ..plot import STYLES
    from ..plot.surfaces import floor_limits
    from .build import (
        DEFAULT_FRAMES,
        MIN_LEAD,
        PANELS,
        REGION_DRAWS,
        SURFACE_DRAWS,
        fixed_window,
    )
    from .comparison import MEASURE_DRAWS
    from .steps import step

    lo, hi = floor_limits((0.0, 1.0))
    plane = fixed_window(step(3).network())["zlim"][1]
    cats = STYLES["article"].colors[:3]
    return [
        ("1-input axes", "y fixed to [−1.2, 1.2] for every family",
         "the same for bounded outputs (tanh, logistic); linear families (steps 1, 2, 4) "
         "scale y to the drawn lines, which would otherwise leave the window after a few units"),
        ("Logistic surfaces (step 7)", "z in [−2, 1], floor at −2",
         f"z in [{_fmt_bound(lo)}, {_fmt_bound(hi)}]: the floor half a range below the "
         "output's (0, 1), as tanh's [−2, 1] is for (−1, 1); [−2, 1] would squeeze the sheet "
         "into the top third"),
        ("The plane (step 3)", "the surface window of the tanh plots",
         f"z in [−{plane:g}, {plane:g}] in every frame: 1.5 times the largest value a draw "
         "with |w| < 1 reaches on [−6, 6]², so the plane is seen as a tilted sheet, never "
         "edge-on"),
        ("ReLU (step 17)", "one draw per frame",
         f"the still is the draw with the most flat facets of {SURFACE_DRAWS} (most ReLU draws "
         "are flat zero over most of the window); every frame of the animation shares one "
         "colour scale"),
        ("Classifier stills (steps 6, 11-13, 15, 16)", "hand-picked draws",
         f"the draw of {REGION_DRAWS} with the most regions whose winner leads by at least "
         f"{MIN_LEAD:g} somewhere, so no region is a ripple that grazes the threshold"),
        ("Two and three outputs (steps 12, 13)", "49 draws, one per frame",
         f"the still shows {PANELS} draws in small multiples (one network per panel); an "
         "overlay of 40 or 60 curves could not be read"),
        ("Category colours", "blue line = category A, peach = B (step 12); green and red on "
         "the floor (step 15)",
         f"one colour per category in every figure: A {cats[0]} (green), B {cats[1]} "
         f"(salmon, the article's peach), C {cats[2]} (blue); the article's lavender output "
         "colour was too close to its blue"),
        ("Hidden sizes", "the article's code used 64 and 16 + 16 hidden nodes",
         "the text's 100 and 11 + 9"),
        ("Animations", "49 frames", f"{DEFAULT_FRAMES} frames by default (dagnet gallery "
         "--frames 49 for the article's), to keep the gallery under a minute"),
        ("Step 10's comparison", "\"similar richness\", by eye",
         f"measured over {MEASURE_DRAWS:,} draws per network (turns per curve and "
         "saturated share), stated under the figure"),
        ("Layer marks", "a subscript Roman numeral at the end (w with 10 and II below)",
         "the same in every equation and LaTeX file; the identifiers of net.weight_names "
         "and the JSON keep the form w_10^II"),
    ]


#: The introduction of the "What it learned" section (both pages).
LEARNED_INTRO = ("The article closes with what to take away. Here each takeaway is shown by a "
                 "network fitted to data with dagnet.fit (Adam, inputs normalized unless "
                 "stated; data and starting weights from seed {seed}); every number in a "
                 "caption is measured on that fit when the gallery is built.")


def html(rows: Sequence[Any], latex: Mapping[int, str], *, theme: str = "article",
         seed: int = 0, frames: int = 12, learned: Sequence[tuple[Any, str, str]] = (),
         compare: Mapping[int, str] | None = None) -> str:
    """The gallery's ``index.html`` for ``rows`` (steps) with their LaTeX blocks.

    ``learned`` holds the "What it learned" items: ``(demo, picture file, caption)``;
    ``compare`` the caption of each step's comparison figure (by step number).
    """
    from .build import step_files

    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(TITLE)}</title>", '<link rel="icon" href="data:,">',
           f"<style>{_css(theme)}</style>", "</head>", "<body>", "<header>",
           f"<h1>{escape(TITLE)}</h1>",
           f"<p>The sequence of networks in Brandon Rohrer's article <em>{ARTICLE_NAME}</em>, "
           "each built node by node as a graph with dagnet, then drawn, written as equations "
           "and run with random weights (uniform on [−1, 1), as in the article; seed "
           f"{seed}, so the same command gives the same pictures). Each animation shows "
           f"{frames} successive random draws (the article used 49). Regenerate everything "
           "with <code>dagnet gallery</code>.</p>",
           "<nav><ol>"]
    for row in rows:
        out.append(f'<li><a href="#step-{row.number}">{escape(row.title)}</a></li>')
    if learned:
        out.append('<li><a href="#learned">What it learned</a></li>')
    out.append('<li><a href="#deviations">Where this differs from the article</a></li>')
    out += ["</ol></nav>", "</header>", "<main>"]
    for row in rows:
        files = step_files(row)
        out += [f'<section id="step-{row.number}">',
                f"<h2>{row.number}. {escape(row.title)}</h2>",
                f'<p class="caption">{escape(row.caption)}</p>',
                f'<p class="explain">{escape(row.explanation)}</p>',
                f'<p class="facts">Network <code>{escape(row.spec)}</code>: '
                f"{escape(facts(row))}.</p>",
                '<div class="row">']
        for which, label in (("explicit", "Explicit diagram"),
                             ("simplified", "Simplified diagram")):
            if f"{which}.svg" in files:
                sizes = row.explicit if which == "explicit" else row.simplified
                same = tuple(sizes) == tuple(row.sizes)
                drawn = "" if same else f" (drawn as {_sizes(sizes)})"
                out.append(_figure("diagram", files[f"{which}.svg"], f"{label}{drawn}",
                                   f"{label} of the {_sizes(sizes)} network",
                                   files[f"{which}.png"]))
        out.append(_figure("equations", files["equations.svg"],
                           f"Equations (<a href=\"{escape(files['tex'])}\">LaTeX</a>)",
                           f"Equations of step {row.number}", raw_caption=True))
        out.append("</div>")
        out.append(f"<details><summary>LaTeX source</summary><pre>{escape(latex[row.number])}"
                   "</pre></details>")
        out.append('<div class="row">')
        for kind in row.plots:
            out.append(_figure("plot", files[kind], plot_caption(row, kind),
                               f"{kind} plot of {row.spec}"))
        out.append(_figure("plot", files["animation"],
                           f"Animation: {frames} random draws, one per second",
                           f"animation of {row.spec}"))
        out.append("</div>")
        if "compare" in files:
            out += ['<div class="row">',
                    _figure("compare", files["compare"], (compare or {}).get(row.number, ""),
                            _COMPARE_ALT), "</div>"]
        out.append("</section>")
    if learned:
        out += ['<section id="learned">', "<h2>What it learned</h2>",
                f"<p>{escape(LEARNED_INTRO.format(seed=seed))}</p>"]
        for demo, name, caption in learned:
            out += [f'<h3 id="learned-{demo.slug}">{escape(demo.title)}</h3>',
                    f'<p class="caption">{escape(demo.takeaway)}</p>',
                    _figure("learned", name, caption, f"fitted example: {demo.title}")]
        out.append("</section>")
    out += ['<section id="deviations">', "<h2>Where this differs from the article</h2>",
            "<table><thead><tr><th>What</th><th>The article</th><th>Here, and why</th></tr>"
            "</thead><tbody>"]
    out += [f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td>{escape(c)}</td></tr>"
            for a, b, c in deviations()]
    out += ["</tbody></table>", "</section>"]
    out += ["</main>", "<footer><p>Made with dagnet: <code>dagnet draw SPEC</code>, "
            "<code>dagnet equations SPEC</code>, <code>dagnet plot SPEC</code>.</p></footer>",
            "</body>", "</html>", ""]
    return "\n".join(out)


def _figure(cls: str, src: str, caption: str, alt: str, link: str | None = None, *,
            raw_caption: bool = False) -> str:
    cap = caption if raw_caption else escape(caption)
    img = f'<img src="{escape(src)}" alt="{escape(alt)}" loading="eager">'
    if cls == "diagram":  # an <object>, so that the SVG's node tooltips and hover work
        fallback = f'<img src="{escape(link or src)}" alt="{escape(alt)}">'
        img = (f'<object data="{escape(src)}" type="image/svg+xml" aria-label="{escape(alt)}">'
               f"{fallback}</object>")
    if link:
        img = f'<a href="{escape(link)}">{img}</a>'
    return f'<figure class="{cls}">{img}<figcaption>{cap}</figcaption></figure>'


def markdown(rows: Sequence[Any], latex: Mapping[int, str], *, seed: int = 0,
             frames: int = 12, learned: Sequence[tuple[Any, str, str]] = (),
             compare: Mapping[int, str] | None = None) -> str:
    """The gallery's ``README.md``: the same walk-through for code hosts."""
    from .build import step_files

    out = [f"# {TITLE}", "",
           f"The sequence of networks in Brandon Rohrer's article *{ARTICLE_NAME}*, each built "
           "node by node as a graph with dagnet, then drawn, written as equations and run with "
           f"random weights (uniform on [-1, 1), seed {seed}). Each animation shows {frames} "
           "successive random draws (the article used 49). Regenerate with `dagnet gallery`; "
           "open `index.html` for the same walk-through in a browser.", ""]
    for row in rows:
        out.append(f"{row.number}. [{row.title}](#{_anchor(row)})")
    if learned:
        out.append(f"{len(rows) + 1}. [What it learned](#what-it-learned)")
    out.append(f"{len(rows) + 1 + bool(learned)}. [Where this differs from the article]"
               "(#where-this-differs-from-the-article)")
    out.append("")
    for row in rows:
        files = step_files(row)
        out += [f"## {row.number}. {row.title}", "", f"**{row.caption}**", "",
                row.explanation, "", f"Network `{row.spec}`: {facts(row)}.", ""]
        pics = []
        for which in ("explicit", "simplified"):
            if f"{which}.png" in files:
                pics.append(f"![{which.capitalize()} diagram]({files[f'{which}.png']})")
        out += [" ".join(pics), "", "```math", _aligned(latex[row.number]), "```", "",
                f"LaTeX: [{files['tex']}]({files['tex']})", ""]
        plots = [f"![{kind}]({files[kind]})" for kind in row.plots]
        plots.append(f"![animation]({files['animation']})")
        out += [" ".join(plots), ""]
        if "compare" in files:
            out += [f"![{_COMPARE_ALT}]({files['compare']})", ""]
            if (compare or {}).get(row.number):
                out += [f"*{compare[row.number]}*", ""]
    if learned:
        out += ["## What it learned", "", LEARNED_INTRO.format(seed=seed), ""]
        for demo, name, caption in learned:
            out += [f"### {demo.title}", "", f"**{demo.takeaway}**", "",
                    f"![{demo.title}]({name})", "", f"*{caption}*", ""]
    out += ["## Where this differs from the article", "",
            "| What | The article | Here, and why |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in deviations()]
    out.append("")
    return "\n".join(out)


def _anchor(row: Any) -> str:
    text = f"{row.number}. {row.title}".lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _aligned(block: str) -> str:
    return block.replace("{align}", "{aligned}")


def referenced_files(page: str) -> list[str]:
    """Every local file a page refers to (``src=``/``href=`` in HTML, ``](...)`` in Markdown).

    >>> referenced_files('<img src="a.svg"><a href="#x">x</a> ![b](b.png) [c](https://c)')
    ['a.svg', 'b.png']
    >>> referenced_files('<object data="d.svg"></object>')
    ['d.svg']
    """
    refs = re.findall(r'(?:src|href|data)="([^"]+)"', page) + re.findall(r"\]\(([^)]+)\)", page)
    seen: list[str] = []
    for r in refs:
        if r.startswith(("#", "data:", "http:", "https:", "mailto:")) or r in seen:
            continue
        seen.append(r)
    return seen
