"""dagnet.draw: Graphviz diagrams of a network (explicit and simplified).

===================  ================================================================
:mod:`.render`       :func:`to_dot`, :func:`diagram`, :func:`render_diagram`
:mod:`.options`      :class:`DiagramOptions`: every option, its default and its check
:mod:`.layout`       what goes where: columns, clusters, elided layers
:mod:`.dot`          DOT text writers and the per-kind style table
===================  ================================================================

Colours come from the palette, :mod:`dagnet.core.palette`."""

from .options import DiagramOptions
from .render import GraphvizWarning, diagram, has_dot, render_diagram, to_dot

__all__ = ["to_dot", "diagram", "render_diagram", "has_dot", "GraphvizWarning", "DiagramOptions"]
