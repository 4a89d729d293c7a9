"""Deep recursion, for sympy expressions: sympy walks an expression recursively, one
Python frame or more per level, so the expression of a 60-layer network (``--depth all``)
passes Python's default recursion limit of 1000. :func:`call_deep` runs such work in a
thread of its own with a large stack (512 MiB, reserved, not used unless needed) and a
recursion limit to match, so deep networks work instead of ending in ``RecursionError``.

Examples
--------
>>> def depth(n):
...     return 0 if n == 0 else 1 + depth(n - 1)
>>> call_deep(depth, 20_000)  # 20 times Python's default limit
20000
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["call_deep", "DEEP_STACK_BYTES", "DEEP_RECURSION_LIMIT"]

#: The stack of the thread deep work runs in, and the recursion limit it allows.
DEEP_STACK_BYTES = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 200_000
_LOCAL = threading.local()
_LOCK = threading.Lock()
T = TypeVar("T")


def call_deep(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` with room for deep recursion (see the module docs).

    Parameters
    ----------
    fn : callable
        The work, e.g. building or printing a deep sympy expression.
    *args, **kwargs
        Its arguments.

    Returns
    -------
    object
        What ``fn`` returned; what it raised is raised here.

    Examples
    --------
    >>> call_deep(sum, [1, 2, 3])
    6
    """
    if getattr(_LOCAL, "deep", False):  # already in a deep thread
        return fn(*args, **kwargs)
    box: dict[str, Any] = {}

    def work() -> None:
        _LOCAL.deep = True
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    with _LOCK:  # one deep call at a time: the recursion limit is the interpreter's
        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size()
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            try:
                thread = threading.Thread(target=work, name="dagnet-deep", daemon=True)
                thread.start()
            finally:
                threading.stack_size(old_stack)
            thread.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]
