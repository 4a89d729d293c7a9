"""dagnet.draw: Graphviz diagrams of a network (explicit and simplified).

===================  ================================================================
:mod:`.diagram`      :func:`to_dot`, :func:`diagram`, :func:`render_diagram`
:mod:`.layout`       what goes where: columns, clusters, elided layers
:mod:`.dot`          DOT text writers and the per-kind style table
===================  ================================================================
"""

from .render import GraphvizWarning, diagram, has_dot, render_diagram, to_dot

__all__ = ["to_dot", "diagram", "render_diagram", "has_dot", "GraphvizWarning"]
