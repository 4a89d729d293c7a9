"""Atomic file writes: every file dagnet writes appears whole or not at all.

A write goes to a temporary file in the target's folder, which is moved over
the target (``os.replace``) only once it is complete; on any error the
temporary file is removed and a previous file at the target stays intact.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> p = write_text(os.path.join(d, "a.txt"), "hello")
>>> open(p).read()
'hello'
>>> with atomic_path(p) as tmp:
...     _ = open(tmp, "w").write("half")
...     raise RuntimeError("writer failed")
Traceback (most recent call last):
...
RuntimeError: writer failed
>>> open(p).read(), sorted(os.listdir(d))
('hello', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text", "write_bytes"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path beside ``path`` (same suffix); move it into place on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                               suffix=f".tmp{target.suffix}")
    os.close(fd)
    mask = os.umask(0)  # mkstemp makes 0600 files; give the result the usual permissions
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | os.PathLike, data: bytes) -> str:
    """Write ``data`` to ``path`` atomically; return the path as a string."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return str(path)


def write_text(path: str | os.PathLike, text: str) -> str:
    """Write ``text`` (UTF-8) to ``path`` atomically; return the path as a string."""
    return write_bytes(path, text.encode("utf-8"))
