"""Optional dependencies: one way to say which ``dagnet[...]`` extra a feature needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import MissingExtraError

__all__ = ["needs"]


@contextmanager
def needs(extra: str, what: str) -> Iterator[None]:
    """Turn an ``ImportError`` inside the block into :class:`~dagnet.MissingExtraError`
    naming the pip extra (``pip install 'dagnet[extra]'``).

    Examples
    --------
    >>> with needs("onnx", "dagnet.from_onnx"):
    ...     import no_such_module_here
    Traceback (most recent call last):
    ...
    dagnet.errors.MissingExtraError: dagnet.from_onnx needs a library that is not installed ...
    """
    try:
        yield
    except ImportError as exc:
        raise MissingExtraError(
            f"{what} needs a library that is not installed ({exc}); install it with "
            f"pip install 'dagnet[{extra}]'"
        ) from None
