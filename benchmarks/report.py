"""Where the benchmarks put their tables: a named block of a Markdown file, replaced in place."""

from __future__ import annotations

import os

from dagnet.core.atomic import write_text


def write_block(path: str, name: str, text: str) -> None:
    """Put ``text`` between the ``<!-- name: start -->`` and ``<!-- name: end -->`` markers of
    ``path``, appending the block when the file has none; the rest of the file is kept."""
    start, end = f"<!-- {name}: start -->", f"<!-- {name}: end -->"
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    block = f"{start}\n{text}\n{end}"
    a, b = old.find(start), old.find(end)
    new = (old[:a] + block + old[b + len(end):] if a >= 0 and b > a
           else old.rstrip("\n") + ("\n\n" if old else "") + block + "\n")
    write_text(path, new)
