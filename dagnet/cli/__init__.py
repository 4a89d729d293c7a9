"""dagnet.cli: the ``dagnet`` command (equations, draw, plot, fit, gallery).

===================  ================================================================
:mod:`.main`         the argument parser and :func:`main`
:mod:`.commands`     what each subcommand does
===================  ================================================================
"""

from .parser import build_parser, main

__all__ = ["main", "build_parser"]
