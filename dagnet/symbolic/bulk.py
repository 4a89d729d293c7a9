"""Building many objects at once: the cyclic garbage collector paused meanwhile.

Python's collector runs a pass every few hundred new container objects and, now and
then, a pass over every object alive. Building the 135k equations of a 2-256x3-1
network allocates ~800k sympy objects, none of them in a reference cycle; with a few
large networks alive, the collector's passes took as long as the building itself.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees).

    Only for code that builds acyclic objects; the collector is enabled again after the
    block only if it was enabled before (so nested and concurrent uses are safe).

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
