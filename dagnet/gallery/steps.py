"""The article's sequence of networks as data: one :class:`Step` per network.

:data:`ARTICLE` holds the 17 networks of "What do neural networks learn?" in the
article's order (article-figures.md; ``tests/gallery/test_gallery_table.py`` checks every
row): each row's architecture, caption, explanation, which diagrams, plots and equations show
it, and the weight-draw seeds of each purpose (:data:`PURPOSES`). :func:`step` and
:func:`select` look rows up by number or slug; :func:`select_learned` also accepts
the "What it learned" items (:data:`dagnet.gallery.demos.DEMOS`), numbered 18-22 after the
article's steps (:func:`learned_file`). :mod:`dagnet.gallery` builds the files.

Examples
--------
>>> from dagnet.gallery.steps import ARTICLE, step
>>> len(ARTICLE), ARTICLE[3].spec, ARTICLE[16].spec
(17, '1-100-1:none', '2-11-9-1:relu')
>>> step("tanh-3-layers").caption
'Three layers, 11 + 9 hidden nodes: at least as rich, with a fifth of the nodes.'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.spec import format_spec, parse_spec
from ..errors import SpecError
from .demos import DEMOS, Demo
from .text import EXPLANATIONS

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["Step", "ARTICLE", "PURPOSES", "step", "select", "select_learned", "learned_file"]

#: Weight-draw purposes: the third entry of every ``default_rng([seed, number, purpose])``.
PURPOSES = {"family": 0, "surface": 1, "regions": 2, "animation": 3}


@dataclass(frozen=True)
class Step:
    """One network of the article's sequence (a row of :data:`ARTICLE`).

    Parameters
    ----------
    number, slug, title : int, str, str
        The step's place (1-17), file-name stem and heading.
    sizes : tuple of int
        Layer sizes, inputs first (``(1, 11, 9, 1)``).
    activation : str or None
        One registry name for every layer, or None (linear layers, no f).
    caption : str
        The article's point about this network, in one line.
    explicit : tuple of int or None
        Sizes drawn in the explicit diagram (a smaller version of the same family where
        the article draws one: "here we just show two hidden nodes"), or None where the
        article has no explicit diagram.
    simplified : tuple of int
        Sizes drawn in the simplified diagram (the article's own drawings for 1-2-2-1,
        2-3-3-1 and 2-3-3-3; otherwise the network itself, wide layers elided).
    plots : tuple of str
        The still plots, among ``family`` (1 input), ``surface`` (2 inputs), ``regions``.
    animation : str
        What every GIF frame shows (``family``, ``surface`` or ``regions``).
    equations : str
        ``affine`` (the collapsed line ``y = m x + b``), ``nodes`` (one equation per node,
        ``x_0 = 1`` included), ``shorthand`` (the nodes, then the article's
        ``u_i0 = x_i w_i0`` and ``v_0 = sum_i u_i0``), ``generic`` (the article's one set
        of equations with the layer subscript L,
        :func:`dagnet.symbolic.notation.generic_latex`) or ``indexed`` (the compact form
        per layer with i, j and the range of j).
    rename : tuple of (str, str)
        Symbols shown under the article's first names (step 1: m, b, 1, x, y), in the
        equations and the explicit diagram.
    explanation : str
        The reasoning behind the step's figures, 2-4 plain-text sentences
        (:data:`dagnet.gallery.text.EXPLANATIONS`), shown under the caption.

    Examples
    --------
    >>> from dagnet.gallery import ARTICLE
    >>> step = ARTICLE[3]
    >>> step.number, step.spec, step.caption[:40]
    (4, '1-100-1:none', ...)
    """

    number: int
    slug: str
    title: str
    sizes: tuple[int, ...]
    activation: str | None
    caption: str
    explicit: tuple[int, ...] | None
    simplified: tuple[int, ...]
    plots: tuple[str, ...]
    animation: str
    equations: str
    rename: tuple[tuple[str, str], ...] = field(default=())
    explanation: str = ""

    @property
    def spec(self) -> str:
        """The command-line SPEC of the network, e.g. ``"1-11-9-1:tanh"``.

        Examples
        --------
        >>> from dagnet.gallery import ARTICLE
        >>> ARTICLE[0].spec, ARTICLE[3].spec
        ('1-1:none', '1-100-1:none')
        """
        return format_spec(self.sizes, self.activation)

    @property
    def stem(self) -> str:
        """File-name prefix, e.g. ``"04-linear-100-hidden"``.

        Examples
        --------
        >>> from dagnet.gallery import ARTICLE
        >>> ARTICLE[3].stem
        '04-linear-100-hidden'
        """
        return f"{self.number:02d}-{self.slug}"

    def network(self, rng: Any = None) -> Network:
        """The step's network (weights drawn when ``rng`` is given).

        Parameters
        ----------
        rng : int or numpy.random.Generator, optional
            Draw the weights uniform on [-1, 1); otherwise they are unset.

        Returns
        -------
        Network

        Examples
        --------
        >>> from dagnet.gallery import ARTICLE
        >>> ARTICLE[3].network(rng=0)
        Network(inputs=1, outputs=1, layers=2, weights=301)
        """
        return parse_spec(self.spec).build(rng=rng)

    def drawn(self, which: str) -> Network:
        """The network drawn in the ``"explicit"`` or ``"simplified"`` diagram.

        Parameters
        ----------
        which : {"explicit", "simplified"}
            The diagram.

        Returns
        -------
        Network
            Without weights; for the explicit diagram often a smaller network of the same
            family, as the article draws it.

        Raises
        ------
        SpecError
            The step has no such diagram.

        Examples
        --------
        >>> from dagnet.gallery import ARTICLE
        >>> ARTICLE[3].drawn("simplified").n_weights
        301
        """
        sizes = self.explicit if which == "explicit" else self.simplified
        if sizes is None:
            raise SpecError(f"step {self.number} ({self.slug}) has no {which} diagram")
        return parse_spec(format_spec(sizes, self.activation)).build()

    def rng(self, seed: int, purpose: str) -> np.random.Generator:
        """The generator of one purpose (see :data:`PURPOSES`) for this step and ``seed``.

        Each step and purpose gets its own stream, so building one step alone gives the
        same files as building all of them.

        Parameters
        ----------
        seed : int
            The gallery's seed.
        purpose : str
            A key of :data:`PURPOSES`.

        Returns
        -------
        numpy.random.Generator

        Examples
        --------
        >>> from dagnet.gallery import ARTICLE
        >>> from dagnet.gallery.steps import PURPOSES
        >>> purpose = sorted(PURPOSES)[0]
        >>> a, b = ARTICLE[0].rng(0, purpose), ARTICLE[0].rng(0, purpose)
        >>> a.random() == b.random()
        True
        """
        return np.random.default_rng([int(seed), self.number, PURPOSES[purpose]])


def _s(number, slug, title, sizes, activation, caption, explicit, simplified, plots, animation,
       equations, rename=()) -> Step:
    return Step(number, slug, title, tuple(sizes), activation, caption,
                None if explicit is None else tuple(explicit), tuple(simplified), tuple(plots),
                animation, equations, tuple(rename), EXPLANATIONS[number])


#: The article's sequence (article-figures.md), in order.
ARTICLE: tuple[Step, ...] = (
    _s(1, "line", "Linear regression: y = m x + b", (1, 1), None,
       "Random slopes m and intercepts b: every model is a straight line.",
       (1, 1), (1, 1), ("family",), "family", "affine",
       (("w_10", "m"), ("w_00", "b"), ("x_0", "1"), ("x_1", "x"), ("v_0", "y"))),
    _s(2, "line-renamed", "The same line in network notation", (1, 1), None,
       "Renamed: x_0 = 1 is the bias node, w_00 and w_10 the weights; still a straight line.",
       (1, 1), (1, 1), ("family",), "family", "nodes"),
    _s(3, "plane", "A second input: a plane", (2, 1), None,
       "Two inputs: every model is a plane, the 3-D version of a line.",
       (2, 1), (2, 1), ("surface",), "surface", "shorthand"),
    _s(4, "linear-100-hidden", "Two linear layers, 100 hidden nodes", (1, 100, 1), None,
       "Two layers and 100 hidden nodes of weights and sums: still a straight line.",
       (1, 2, 1), (1, 100, 1), ("family",), "family", "generic"),
    _s(5, "logistic", "Logistic regression", (1, 1), "logistic",
       "A logistic activation f: S curves, squashed into (0, 1).",
       (1, 1), (1, 1), ("family",), "family", "nodes"),
    _s(6, "logistic-classifier", "Logistic classifier, threshold 0.5", (1, 1), "logistic",
       "Threshold at 0.5: one divider splits the inputs into two categories.",
       (1, 1), (1, 1), ("family", "regions"), "regions", "nodes"),
    _s(7, "logistic-2-inputs", "Logistic regression with two inputs", (2, 1), "logistic",
       "A tablecloth over two tables: its floor contours are straight, a linear classifier.",
       (2, 1), (2, 1), ("surface",), "surface", "nodes"),
    _s(8, "tanh", "Hyperbolic tangent, one layer", (1, 1), "tanh",
       "tanh: the same S curves, now between -1 and 1.",
       (1, 1), (1, 1), ("family",), "family", "nodes"),
    _s(9, "tanh-2-layers", "Two tanh layers, 100 hidden nodes", (1, 100, 1), "tanh",
       "Two tanh layers, 100 hidden nodes: curves, wiggles, peaks and valleys.",
       (1, 2, 1), (1, 100, 1), ("family",), "family", "indexed"),
    _s(10, "tanh-3-layers", "Three tanh layers, 11 and 9 hidden nodes", (1, 11, 9, 1), "tanh",
       "Three layers, 11 + 9 hidden nodes: at least as rich, with a fifth of the nodes.",
       (1, 2, 2, 1), (1, 11, 9, 1), ("family",), "family", "indexed"),
    _s(11, "mlp-classifier", "Multi-layer perceptron classifier", (1, 11, 9, 1), "tanh",
       "Cut at zero: regions of category A and B interleave, not just two halves.",
       (1, 2, 2, 1), (1, 2, 2, 1), ("family", "regions"), "regions", "indexed"),
    _s(12, "two-outputs", "Two outputs: the larger one wins", (1, 11, 9, 2), "tanh",
       "Two outputs: wherever the curves cross, a divider; the larger output names the class.",
       None, (1, 11, 9, 2), ("family", "regions"), "regions", "indexed"),
    _s(13, "three-outputs", "Three outputs, three categories", (1, 11, 9, 3), "tanh",
       "Three outputs, argmax: regions A, B and C; a near-tie can still win.",
       None, (1, 11, 9, 3), ("family", "regions"), "regions", "indexed"),
    _s(14, "two-inputs", "Two inputs, one output", (2, 11, 9, 1), "tanh",
       "Two inputs: smooth landscapes of hills and wells that never leave (-1, 1).",
       None, (2, 3, 3, 1), ("surface",), "surface", "indexed"),
    _s(15, "two-input-classifier", "Two-input classifier", (2, 11, 9, 1), "tanh",
       "Sliced at 0: green on the floor is one category, red the other; boundaries curve.",
       None, (2, 3, 3, 1), ("regions",), "regions", "indexed"),
    _s(16, "two-inputs-three-outputs", "Two inputs, three outputs", (2, 11, 9, 3), "tanh",
       "Three landscapes stacked: the highest one claims each patch of the floor.",
       None, (2, 3, 3, 3), ("regions",), "regions", "indexed"),
    _s(17, "relu", "ReLU for contrast", (2, 11, 9, 1), "relu",
       "ReLU instead of tanh: creased surfaces and sharper boundaries.",
       None, (2, 11, 9, 1), ("surface",), "surface", "indexed"),
)


def step(key: int | str) -> Step:
    """Look up a step by number (1-17, also as text like ``"04"``) or slug."""
    text = str(key).strip().lower()
    for row in ARTICLE:
        if text == row.slug or text == row.stem or (text.isdigit() and int(text) == row.number):
            return row
    raise SpecError(f"no gallery network {key!r}; use a number 1-{len(ARTICLE)} or a name such "
                    f"as {ARTICLE[0].slug!r} or {ARTICLE[9].slug!r} (see 'dagnet gallery --list')")


def select(only: Iterable[int | str] | None = None) -> tuple[Step, ...]:
    """The steps named in ``only`` (numbers or slugs), in the article's order; None: all."""
    if only is None:
        return ARTICLE
    if isinstance(only, (str, int)):
        only = [only]
    chosen = {step(k).number for k in only}
    return tuple(row for row in ARTICLE if row.number in chosen)


def learned_file(demo: Demo) -> str:
    """The picture of a "What it learned" item, numbered after the article's steps.

    >>> learned_file(DEMOS[0])
    '18-learned-smooth-regression.png'
    """
    return demo.file(len(ARTICLE) + 1 + DEMOS.index(demo))


def _learned_key(key: int | str) -> tuple[Demo, ...] | None:
    """The demos a key of ``only`` names ("learned": all), or None when it names none."""
    text = str(key).strip().lower()
    if text == "learned":
        return DEMOS
    for d in DEMOS:
        if text in (d.slug, f"learned-{d.slug}", learned_file(d)[:-4],
                    str(len(ARTICLE) + 1 + DEMOS.index(d))):
            return (d,)
    return None


def select_learned(only: Iterable[int | str] | None = None
                   ) -> tuple[tuple[Step, ...], tuple[Demo, ...]]:
    """Split ``only`` into article steps and "What it learned" items (None: all of both).

    A key names an item by its slug (``"argmax"``), ``"learned-"`` + slug, its number
    (18-22) or ``"learned"`` for all five; every other key names an article step.

    >>> steps, learned = select_learned(["1", "argmax"])
    >>> [r.number for r in steps], [d.slug for d in learned]
    ([1], ['argmax'])
    """
    if only is None:
        return ARTICLE, DEMOS
    keys = [only] if isinstance(only, (str, int)) else list(only)
    named = [(k, _learned_key(k)) for k in keys]
    chosen = {d.slug for _, ds in named if ds for d in ds}
    rest = [k for k, ds in named if ds is None]
    return (select(rest) if rest else ()), tuple(d for d in DEMOS if d.slug in chosen)
