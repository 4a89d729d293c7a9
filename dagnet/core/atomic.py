"""Atomic file writes: every file dagnet writes appears whole or not at all.

A write goes to a temporary file in the target's folder, which is moved over
the target (``os.replace``) only once it is complete; on any error the
temporary file is removed and a previous file at the target stays intact.
Missing folders of the target are made (the command line instead refuses them unless
``--mkdir`` is given, :mod:`dagnet.cli.output`).

What the target was is kept: a file replaced keeps its permission bits (a private
``0600`` file stays private) and, where the process may, its owner and group; a
symbolic link is written through (its target file is replaced, the link stays).
A SIGTERM during the write removes the temporary file before the process ends as it
would have; a temporary file left by a process killed outright (SIGKILL, power loss)
carries that process's id in its name, ``.<name>.dagnet-<pid>-<random>.tmp<suffix>``,
and the next write of the same target removes it once that process is gone.

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
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import OutputError

__all__ = ["atomic_path", "write_text", "write_bytes", "TEMP_MARK"]

#: What every temporary file's name holds between the target's name and the pid.
TEMP_MARK = ".dagnet-"
_PENDING: set[str] = set()  # temporary files being written now, removed on SIGTERM


def _target(path: str | os.PathLike) -> Path:
    """The file to replace: ``path``, or the file its symbolic link(s) lead to."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise OutputError(f"cannot write {os.fspath(path)!s}: it is a folder; give a file "
                          "name inside it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {os.fspath(path)!s}: a part of its folder "
                          f"({_first_file(target.parent)!s}) is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(f"cannot write {os.fspath(path)!s}: cannot make its folder "
                          f"({exc.strerror or exc}); check the path and permissions") from None
    return target


def _first_file(folder: Path) -> Path:
    for parent in [*reversed(folder.parents), folder]:
        if parent.exists() and not parent.is_dir():
            return parent
    return folder


def _remove_stale(target: Path) -> None:
    """Remove temporary files of ``target`` whose writing process no longer exists."""
    pattern = re.compile(re.escape(f".{target.name}{TEMP_MARK}") + r"(\d+)-\w+\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            found = pattern.match(entry.name)
            if found and not _alive(int(found.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _on_sigterm(signum: int, frame: Any) -> None:
    for tmp in list(_PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _PENDING.clear()
    previous = _HANDLERS.get("previous", signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
    os.kill(os.getpid(), signum)  # end as the process would have without dagnet


_HANDLERS: dict[str, Any] = {}


@contextlib.contextmanager
def _sigterm_cleanup() -> Iterator[None]:
    """Remove the pending temporary files on SIGTERM (main thread only: Python's rule)."""
    if threading.current_thread() is not threading.main_thread() or "previous" in _HANDLERS:
        yield
        return
    try:
        _HANDLERS["previous"] = signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not allowed here (embedded interpreters)
        _HANDLERS.pop("previous", None)
        yield
        return
    try:
        yield
    finally:
        previous = _HANDLERS.pop("previous")
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _keep_owner_and_mode(tmp: str, target: Path) -> None:
    """Give ``tmp`` the mode (and owner, where allowed) of the file it will replace."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        mask = os.umask(0)  # mkstemp makes 0600 files; a new file gets the usual permissions
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        return
    with contextlib.suppress(OSError):  # only root may give a file away
        if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            os.chown(tmp, st.st_uid, st.st_gid)
    os.chmod(tmp, stat.S_IMODE(st.st_mode))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path beside ``path`` (same suffix); move it into place on success.

    Raises :class:`~dagnet.OutputError` when ``path`` cannot be a file (a folder, or a
    folder that is a file); whatever the writer raises leaves the previous file intact.
    """
    target = _target(path)
    _remove_stale(target)
    with _sigterm_cleanup():
        try:
            fd, tmp = tempfile.mkstemp(dir=target.parent,
                                       prefix=f".{target.name}{TEMP_MARK}{os.getpid()}-",
                                       suffix=f".tmp{target.suffix}")
        except OSError as exc:
            raise OutputError(f"cannot write {os.fspath(path)!s}: {exc.strerror or exc}; "
                              "check that the folder is writable") from None
        _PENDING.add(tmp)
        try:
            os.close(fd)
            _keep_owner_and_mode(tmp, target)
            yield tmp
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        finally:
            _PENDING.discard(tmp)


def write_bytes(path: str | os.PathLike, data: bytes | list) -> str:
    """Write ``data`` (bytes, or a list of bytes-like pieces written one after the other,
    never joined in memory) to ``path`` atomically; return the path as a string."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        for piece in data if isinstance(data, list) else [data]:
            fh.write(piece)
    return str(path)


def write_text(path: str | os.PathLike, text: str) -> str:
    """Write ``text`` (UTF-8) to ``path`` atomically; return the path as a string."""
    return write_bytes(path, text.encode("utf-8"))
