"""Library messages in the command line's words: options, not Python names.

The library's errors name what a Python caller passes (``surface()``, ``style='simplified'``,
``max_width``); a command-line user set those through options (``--kind surface``,
``--style simplified``, ``-k``). :func:`cli_message` rewrites a message for the command
that raised it, at the command line's boundary, so the library's wording stays its own.
Each rule is a regular expression and its replacement; the tests run each command's
common mistakes through the command line and check the message names an option.

Examples
--------
>>> print(cli_message("plot", "surface() shows 2 inputs; use family()/regions() for 1 input"))
--kind surface shows 2 inputs; use --kind family or --kind regions for 1 input
>>> cli_message("equations", "unchanged")
'unchanged'
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["cli_message", "RULES"]

_KIND = r"(family|surface|regions)"
Rule = tuple[str, "str | Callable[[re.Match[str]], str]"]


def _targets(m: re.Match[str]) -> str:
    want, got = int(m["want"]), int(m["got"])
    return (f"the CSV has {got} target column{'s' * (got != 1)} after the input columns, but "
            f"the network has {want} output{'s' * (want != 1)}: give one target column per "
            f"output, or a SPEC with {got} output{'s' * (got != 1)}")


#: Per command: (pattern, replacement) applied in order to every error and warning message.
RULES: dict[str, tuple[Rule, ...]] = {
    "plot": (
        (rf"\b{_KIND}\(\)/{_KIND}\(\)", r"--kind \1 or --kind \2"),
        (rf"\b{_KIND}\(\)", r"--kind \1"),
        (rf"\bkind='{_KIND}'", r"--of \1"),
        (rf"'{_KIND}' or '{_KIND}'", r"--of \1 or --of \2"),
        (r"pass threshold=\.\.\. \(e\.g\. threshold=([^)]+)\)",
         r"give --threshold (e.g. --threshold \1)"),
        (r"^threshold must be", "--threshold must be"),
    ),
    "draw": (
        (r" \(max_nodes=(\d+)\)", r" (at most \1)"),
        (r"max_width \(now \d+\) or k \(now (\d+)\)", r"-k (now \1)"),
        (r", use style='(\w+)', or raise max_nodes", r", or use --style \1"),
        (r"\bstyle='(\w+)'", r"--style \1"),
    ),
    "equations": (
        (r"\bform='(\w+)'", r"--form \1"),
        (r"\bdepth=", "--depth "),
    ),
    "fit": (
        (r"^targets must have shape \(\d+, (?P<want>\d+)\).*got \(\d+, (?P<got>\d+)\)$",
         _targets),
        (r"\bbatch_size\b", "the batch size"),
        (r"\bsteps must be", "--steps must be"),
    ),
    "gallery": (
        (r"^no gallery network", "--only: no gallery network"),
    ),
}


def cli_message(command: str | None, message: str) -> str:
    """``message`` with the Python names of ``command``'s rules replaced by its options.

    Parameters
    ----------
    command : str or None
        The subcommand that raised (None: no rules).
    message : str
        The library's message.

    Returns
    -------
    str

    Examples
    --------
    >>> print(cli_message("draw", "use style='simplified'"))
    use --style simplified
    """
    for pattern, replacement in RULES.get(command or "", ()):
        message = re.sub(pattern, replacement, message)
    return message
