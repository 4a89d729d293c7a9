"""dagnet.plot: what networks compute, drawn with matplotlib.

Every plot function takes ``ax=None`` (a new figure in the chosen style when
None), returns a small result object holding what it drew and the data behind
it, and never calls ``plt.show()``; all work with the Agg backend.

==========================  ===============================================================
:func:`family`              curves of a 1-input network for n random draws (one call)
:func:`surface`             a 2-input network's output surface with floor contours
:func:`regions`             classifier regions: 1-D bands and dividers, 2-D classified floor
:func:`crossings`           where a 1-input classifier changes category (to 1e-9 in x)
:func:`classify`            the category of input points (threshold or argmax)
:func:`animate`             a GIF (and optionally MP4) of successive draws
:func:`quantile_bands`      atlas: quantile bands of the output over K draws
:func:`class_frequency`     atlas: how often each point is classified A over K draws
:func:`sweep`               atlas: small multiples over depth, width and activation
:data:`STYLES`              "article" (dark, Retro Rocks) and "plain"
==========================  ===============================================================

Examples
--------
>>> import matplotlib.pyplot as plt, dagnet
>>> from dagnet import plot
>>> res = plot.family(dagnet.linear(1), n=3, rng=0)
>>> [len(line[0].get_xdata()) for line in res.lines]
[100, 100, 100]
>>> plt.close(res.figure)
"""

from .animation import ANIMATION_KINDS, animate
from .atlas import BandsPlot, FrequencyPlot, SweepPlot, class_frequency, quantile_bands, sweep
from .classifiers import RegionsPlot, classify, crossings, regions
from .curves import FamilyPlot, family
from .style import STYLES, Style, axes_style, get_style, new_figure, save_figure, style_axes
from .surfaces import SurfacePlot, surface

__all__ = [
    "family", "surface", "regions", "crossings", "classify", "animate", "ANIMATION_KINDS",
    "quantile_bands", "class_frequency", "sweep",
    "STYLES", "Style", "axes_style", "get_style", "new_figure", "save_figure", "style_axes",
    "FamilyPlot", "SurfacePlot", "RegionsPlot", "BandsPlot", "FrequencyPlot", "SweepPlot",
]
