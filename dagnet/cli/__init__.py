"""dagnet.cli: the ``dagnet`` command (equations, draw, plot, fit, gallery, completion).

======================  ============================================================
:mod:`.parser`          the argument parser and :func:`main`
:mod:`.commands`        what each subcommand does
:mod:`.output`          the one output rule: standard output or ``-o FILE``, --mkdir
:mod:`.wording`         library messages in the command line's words (options)
:mod:`.completion`      ``dagnet completion bash|zsh``
======================  ============================================================

Importing it imports none of sympy, matplotlib or graphviz: the commands import what
they need when they run, so ``dagnet --help`` stays fast.
"""

from .parser import build_parser, main

__all__ = ["main", "build_parser"]
