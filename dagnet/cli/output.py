"""Where a command's result goes: the one output rule of the ``dagnet`` command.

Every command that writes a file decides where its result goes through :func:`output`,
and writes it through the :class:`Output` that returns:

- The result goes to **standard output**, or to the file ``-o FILE`` names; ``-o -`` is
  standard output too. Messages (progress bars, summaries, warnings, errors) go to
  standard error, so ``dagnet ... > file`` captures the result alone.
- Its format is ``--format`` if given, else FILE's suffix, else the command's default
  (DOT for ``draw``, PNG for ``plot``, GIF for animations, JSON for ``fit``).
- An image (PNG, PDF, GIF) is not written to a terminal: give ``-o FILE`` or redirect
  (``dagnet plot SPEC > plot.png``).
- ``-o`` never creates a folder: a missing one is refused naming it, unless ``--mkdir``
  is given. A file is written whole or not at all (:mod:`dagnet.core.atomic`).

This module imports nothing heavy: ``dagnet --help`` stays fast.

Examples
--------
>>> out = output(None, default="dot", formats=("dot", "svg"), what="a diagram")
>>> out.path is None, out.format
(True, 'dot')
>>> output("net.svg", default="dot", formats=("dot", "svg"), what="a diagram").format
'svg'
>>> output("no/such/folder/net.svg", default="dot", formats=("dot", "svg"), what="a diagram")
Traceback (most recent call last):
...
dagnet.errors.OutputError: cannot write -o no/such/folder/net.svg: the folder 'no/such/folder' ...
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DagnetError, OutputError

__all__ = ["Output", "output", "usage_error", "STDIO", "BINARY_FORMATS", "RULE",
           "missing_folder", "stdin_copy", "stdin_bytes"]

#: The file name that means standard output (for ``-o``) or standard input (for data).
STDIO = "-"
#: Formats that are not text: never written to a terminal.
BINARY_FORMATS = frozenset({"png", "pdf", "gif"})
#: The rule, as ``dagnet --help`` states it.
RULE = """\
output:
  Each command writes its result to standard output, or to -o FILE (-o - is standard
  output too); progress, summaries and warnings go to standard error. The format is
  --format, else FILE's suffix, else the command's default: DOT (draw), PNG (plot),
  JSON (fit), text (equations). Images (PNG, PDF, GIF) are not written to a terminal:
  give -o FILE or redirect (> plot.png). -o never creates folders unless --mkdir is
  given. 'dagnet fit SPEC -' reads the CSV data from standard input, and a SPEC '-'
  reads a network file (JSON): dagnet fit SPEC data.csv | dagnet draw - -o fit.svg"""


def usage_error(error: type[DagnetError], message: str) -> DagnetError:
    """``error(message)`` that the command line reports with exit code 2 (a wrong command).

    Parameters
    ----------
    error : type
        A :class:`~dagnet.DagnetError` subclass.
    message : str
        The one-line message, naming the problem and the fix.

    Returns
    -------
    DagnetError
        To raise; :func:`dagnet.cli.main` exits with its ``exit_code`` (2).

    Examples
    --------
    >>> usage_error(OutputError, "no").exit_code
    2
    """
    exc = error(message)
    exc.exit_code = 2  # type: ignore[attr-defined]
    return exc


def missing_folder(path: str | os.PathLike, flag: str, mkdir: bool) -> None:
    """Refuse ``path`` (given to ``flag``) whose folder does not exist, unless ``mkdir``.

    Parameters
    ----------
    path : path
        The file an option names.
    flag : str
        The option (``-o``, ``--history``), for the message.
    mkdir : bool
        ``--mkdir`` was given: the folder may be created (by the atomic writer).

    Returns
    -------
    None

    Raises
    ------
    OutputError
        The folder is missing and ``mkdir`` is false (exit code 2), naming the folder and
        both fixes.

    Examples
    --------
    >>> missing_folder("here.svg", "-o", False)  # the current folder exists
    >>> missing_folder("no/such/net.svg", "-o", True)  # --mkdir: allowed
    >>> missing_folder("no/such/net.svg", "-o", False)
    Traceback (most recent call last):
    ...
    dagnet.errors.OutputError: cannot write -o no/such/net.svg: the folder 'no/such' does ...
    """
    folder = Path(path).parent
    if mkdir or folder.exists():
        return
    raise usage_error(OutputError, f"cannot write {flag} {os.fspath(path)}: the folder "
                                   f"{str(folder)!r} does not exist; create it (mkdir -p "
                                   f"{folder}) or add --mkdir")


@dataclass(frozen=True)
class Output:
    """Where one result goes: a file, or standard output (``path`` None), in ``format``.

    Parameters
    ----------
    path : Path or None
        The file (written atomically), or None for standard output.
    format : str
        The format, as a suffix without the dot (``"png"``, ``"dot"``, ``"json"``).

    Examples
    --------
    >>> import tempfile
    >>> out = Output(Path(tempfile.mkdtemp()) / "a.txt", "txt")
    >>> out.write("hello")
    >>> out.path.read_text()
    'hello'
    """

    path: Path | None
    format: str

    def write(self, data: str | bytes) -> None:
        """Write ``data`` (text is UTF-8) to the file, atomically, or to standard output.

        Parameters
        ----------
        data : str or bytes
            The whole result.

        Examples
        --------
        >>> Output(None, "txt").write("to standard output")
        to standard output
        """
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if self.path is None:
            _stdout_bytes(raw)
            return
        from ..core.atomic import write_bytes

        write_bytes(self.path, raw)

    def write_with(self, writer: Callable[[Path], Any]) -> None:
        """Let ``writer(path)`` write the file (a dagnet writer, atomic); for standard
        output, into a temporary file whose bytes are then copied there.

        Parameters
        ----------
        writer : callable
            Writes the result to the path it is given (whose suffix is the format).

        Examples
        --------
        >>> Output(None, "txt").write_with(lambda path: path.write_text(path.suffix))
        .txt
        """
        if self.path is not None:
            writer(self.path)
            return
        with tempfile.TemporaryDirectory(prefix="dagnet-") as tmp:
            path = Path(tmp) / f"out.{self.format}"
            writer(path)
            _stdout_bytes(path.read_bytes())


def _stdout_bytes(raw: bytes) -> None:
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (an embedding): text passes, images cannot
        sys.stdout.write(raw.decode("utf-8"))
    else:
        stream.write(raw)
        stream.flush()


def output(option: str | None, *, default: str, formats: Sequence[str] | None = None,
           fmt: str | None = None, mkdir: bool = False, what: str = "the result",
           flag: str = "-o", example: str = "") -> Output:
    """Apply the output rule to ``-o`` (``option``) and ``--format`` (``fmt``).

    Parameters
    ----------
    option : str or None
        The ``-o`` value: None or ``"-"`` for standard output, else a file.
    default : str
        The format when neither ``fmt`` nor a known suffix gives one.
    formats : sequence of str, optional
        The formats the command writes (suffixes without the dot); None: any file name,
        the content is ``default``.
    fmt : str, optional
        ``--format``, which wins over the suffix (a known suffix that disagrees is refused).
    mkdir : bool
        ``--mkdir``: let a missing folder be created.
    what : str
        The command, for messages.
    flag : str
        The option's name, for messages.
    example : str
        A file name stem to suggest when an image is refused on a terminal.

    Returns
    -------
    Output

    Raises
    ------
    OutputError
        An unknown format, a suffix that disagrees with ``--format``, a missing folder, or
        an image for a terminal (exit code 2).

    Examples
    --------
    >>> output("-", default="png", formats=("png", "svg"), fmt="svg", what="a plot")
    Output(path=None, format='svg')
    """
    to_stdout = option is None or option == STDIO
    suffix = "" if to_stdout else Path(option).suffix.lower().lstrip(".")
    if formats is None:
        chosen = default
    else:
        chosen = _format(option, suffix, fmt, default, formats, what, flag)
    if to_stdout:
        if chosen in BINARY_FORMATS and _is_terminal():
            hint = f" (e.g. {flag} {example}.{chosen})" if example else ""
            raise usage_error(OutputError, f"{what} is a {chosen.upper()} image, which is not "
                                           f"written to a terminal: give {flag} FILE{hint} or "
                                           f"redirect the output (> file.{chosen})")
        return Output(None, chosen)
    missing_folder(option, flag, mkdir)
    return Output(Path(option), chosen)


def _format(option: str | None, suffix: str, fmt: str | None, default: str,
            formats: Sequence[str], what: str, flag: str) -> str:
    names = ", ".join(f".{f}" for f in formats)
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in formats:
            raise usage_error(OutputError, f"{what} cannot be written as --format {fmt}; use "
                                           f"one of {', '.join(formats)}")
        if suffix in formats and suffix != fmt:
            raise usage_error(OutputError, f"{flag} {option} says {suffix} but --format says "
                                           f"{fmt}; drop one of them")
        return fmt
    if option is None or option == STDIO:
        return default
    if suffix not in formats:
        raise usage_error(OutputError, f"{what} cannot be written to {flag} {option}: end "
                                       f"the file name with one of {names}, or give --format")
    return suffix


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_bytes(limit: int) -> bytes:
    """At most ``limit`` bytes of standard input (a reader refuses what is too long).

    Parameters
    ----------
    limit : int
        The most bytes to read.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io
    >>> saved, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(b"x,y"))
    >>> stdin_bytes(10)
    b'x,y'
    >>> sys.stdin = saved
    """
    source = getattr(sys.stdin, "buffer", None)
    if source is None:
        return sys.stdin.read(limit).encode("utf-8")
    return source.read(limit)


def stdin_copy(folder: str | os.PathLike, name: str) -> Path:
    """Copy standard input into ``folder/name`` (for readers that take a path).

    Parameters
    ----------
    folder : path
        An existing (temporary) folder.
    name : str
        The file name.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import io
    >>> saved, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(b"1,2\\n"))
    >>> stdin_copy(tempfile.mkdtemp(), "stdin.csv").read_bytes()
    b'1,2\\n'
    >>> sys.stdin = saved
    """
    path = Path(folder) / name
    source = getattr(sys.stdin, "buffer", None)
    with open(path, "wb") as fh:
        if source is not None:
            shutil.copyfileobj(source, fh)
        else:
            fh.write(sys.stdin.read().encode("utf-8"))
    return path
