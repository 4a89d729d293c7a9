"""Equations as pictures, with matplotlib's mathtext (no LaTeX install, no network).

The gallery page must show equations offline (a MathJax CDN is out of reach in
CI and for a reader without network), so each network's LaTeX ``align`` block
is drawn line by line with mathtext: left-hand sides right-aligned, the ``=``
signs in one column, as in the article. The SVG is deterministic (no date,
fixed id salt).

Examples
--------
>>> import os, tempfile, dagnet
>>> lines = align_lines(dagnet.linear(1).latex())
>>> lines[:3]
[('x_{0}', '1'), ('u_{00}', 'x_{0} w_{00}'), ('u_{10}', 'x_{1} w_{10}')]
>>> path = render_equations(lines, os.path.join(tempfile.mkdtemp(), "eq.svg"))
>>> open(path).read().lstrip().startswith("<?xml")
True
"""

from __future__ import annotations

import os
import re

from ..core import palette
from ..core.atomic import atomic_path
from ..errors import PlotError

__all__ = ["align_lines", "render_equations", "mathtext_safe"]


def align_lines(block: str) -> list[tuple[str, str]]:
    """Split a LaTeX ``align`` block into ``(lhs, rhs)`` pairs at ``&=``."""
    body = re.sub(r"\\(begin|end)\{align\*?\}", "", block)
    out = []
    for line in body.split("\\\\"):
        line = line.strip()
        if not line:
            continue
        lhs, sep, rhs = line.partition("&=")
        out.append((lhs.strip(), rhs.strip()) if sep else ("", line.replace("&", "")))
    return out


def mathtext_safe(tex: str) -> str:
    r"""Rewrite the few LaTeX forms sympy emits that mathtext lacks or sets badly.

    ``\operatorname`` becomes ``\mathrm``, fractions are set in display size, and
    sympy's indexed ``{x^{II}}_{0}`` becomes ``x^{II}_{0}`` (stacked scripts), with the
    Roman layer numeral upright.

    >>> print(mathtext_safe(r"{x^{II}}_{j + 1} = \operatorname{ReLU}{\left(v \right)}"))
    x^{\mathrm{II}}_{j + 1} = \mathrm{ReLU}{\left(v \right)}
    """
    tex = re.sub(r"\{([A-Za-z])\^\{([IVXLCDM]+)\}\}_\{", r"\1^{\2}_{", tex)
    tex = re.sub(r"\^\{([IVXLCDM]+)\}", r"^{\\mathrm{\1}}", tex)
    return tex.replace(r"\operatorname", r"\mathrm").replace(r"\frac", r"\dfrac")


def render_equations(lines: list[tuple[str, str]], path: str | os.PathLike, *,
                     theme: str = "article", fontsize: float = 15.0) -> str:
    """Draw ``(lhs, rhs)`` equation lines with mathtext to ``path`` (.svg or .png), atomically.

    The colours are the palette's ``background`` and ``equation_text`` of ``theme``
    (``"article"``, ``"plain"`` or the alias ``"retro"``; another name raises
    :class:`~dagnet.PlotError`). Returns the path as a string.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    row = palette.theme(theme, error=PlotError)
    bg, fg = row["background"], row["equation_text"]
    parser = MathTextParser("path")
    prop = FontProperties(size=fontsize)
    dpi = 72.0

    def box(tex: str) -> tuple[float, float, float]:
        if not tex:
            return 0.0, 0.0, 0.0
        w, h, d, _, _ = parser.parse(f"${mathtext_safe(tex)}$", dpi=dpi, prop=prop)
        return w, h, d

    boxes = [(box(lhs), box(rhs)) for lhs, rhs in lines]
    gap = fontsize * 0.55
    eq_gap = fontsize * 0.35
    pad = fontsize * 0.6
    eq_w = box("=")[0]
    lhs_w = max((b[0][0] for b in boxes), default=0.0)
    rhs_w = max((b[1][0] for b in boxes), default=0.0)
    heights = [max(lb[1], rb[1], fontsize * 0.8) for lb, rb in boxes]
    width = pad * 2 + lhs_w + eq_gap * 2 + eq_w + rhs_w
    height = pad * 2 + sum(heights) + gap * max(len(lines) - 1, 0)
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor=bg)
    y = height - pad
    x_eq = pad + lhs_w + eq_gap
    for (lhs, rhs), (lb, rb), h in zip(lines, boxes, heights):
        depth = max(lb[2], rb[2])
        base = (y - h + depth) / height
        if lhs:
            fig.text((x_eq - eq_gap) / width, base, f"${mathtext_safe(lhs)}$", ha="right",
                     va="baseline", color=fg, fontsize=fontsize)
            fig.text(x_eq / width, base, "$=$", ha="left", va="baseline", color=fg,
                     fontsize=fontsize)
        fig.text((x_eq + eq_w + eq_gap) / width if lhs else pad / width, base,
                 f"${mathtext_safe(rhs)}$", ha="left", va="baseline", color=fg,
                 fontsize=fontsize)
        y -= h + gap
    suffix = os.fspath(path).rsplit(".", 1)[-1].lower()
    with matplotlib.rc_context({"svg.hashsalt": "dagnet", "svg.fonttype": "path"}), \
            atomic_path(path) as tmp:
        meta = {"Date": None} if suffix == "svg" else {}
        fig.savefig(tmp, format=suffix, facecolor=bg, metadata=meta, dpi=dpi * 2)
    return os.fspath(path)
