"""Shell completion: ``dagnet completion bash|zsh`` prints a script made from the parser.

Enable it with one line in ``~/.bashrc`` (or ``~/.zshrc``, after ``compinit``)::

    eval "$(dagnet completion bash)"      # zsh: eval "$(dagnet completion zsh)"

The script is written from :func:`dagnet.cli.build_parser` itself: the subcommands, each
one's options, and the values of options with choices (``--kind``, ``--style``, ...);
other arguments complete file names. It runs no Python while completing (no start-up
delay at each TAB) and needs no extra package. zsh runs the bash function through its
``bashcompinit``.

Examples
--------
>>> from dagnet.cli import build_parser
>>> script = completion_script(build_parser(), "bash")
>>> "complete -o default -F _dagnet dagnet" in script
True
"""

from __future__ import annotations

import argparse
import shlex

__all__ = ["completion_script", "bash_script", "SHELLS"]

#: The shells ``dagnet completion`` writes a script for.
SHELLS = ("bash", "zsh")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its actions here; no public accessor
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, list[str]],
                                                       list[str]]:
    """(every option string, the values of options with choices, options taking a value)."""
    flags: list[str] = []
    choices: dict[str, list[str]] = {}
    valued: list[str] = []
    for action in parser._actions:
        if not action.option_strings:
            continue
        flags += action.option_strings
        if action.choices is not None:
            for flag in action.option_strings:
                choices[flag] = [str(c) for c in action.choices]
        elif action.nargs != 0:
            valued += action.option_strings
    return flags, choices, valued


def _case(parser: argparse.ArgumentParser) -> list[str]:
    """The bash ``case`` body completing one (sub)command's options and their values."""
    flags, choices, valued = _options(parser)
    lines = ['            case "$prev" in']
    for flag, values in choices.items():
        words = shlex.quote(" ".join(values))
        lines.append(f'                {flag}) COMPREPLY=($(compgen -W {words} -- "$cur")); '
                     "return;;")
    if valued:
        lines.append(f"                {'|'.join(valued)}) return;;")
    lines.append("            esac")
    lines.append(f"            opts={shlex.quote(' '.join(flags))}")
    return lines


def bash_script(parser: argparse.ArgumentParser) -> str:
    """The bash completion function ``_dagnet`` and its ``complete`` line.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The ``dagnet`` parser: its subcommands, options and choices are written out.

    Returns
    -------
    str

    Examples
    --------
    >>> from dagnet.cli import build_parser
    >>> bash_script(build_parser()).splitlines()[1]
    '_dagnet() {'
    """
    prog = parser.prog
    subs = _subparsers(parser)
    top, _, _ = _options(parser)
    body = [f"# {prog} completion for bash; enable with: eval \"$({prog} completion bash)\"",
            f"_{prog}() {{",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
            '    local cmd="" opts="" i',
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            f'        case "${{COMP_WORDS[i]}}" in {"|".join(subs)}) '
            'cmd="${COMP_WORDS[i]}"; break;; esac',
            "    done",
            '    case "$cmd" in',
            f"        '') opts={shlex.quote(' '.join([*subs, *top]))};;"]
    for name, sub in subs.items():
        body.append(f"        {name})")
        body += _case(sub)
        body.append("            ;;")
    body += ["    esac",
             '    if [[ -z "$cmd" || "$cur" == -* ]]; then',
             '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
             "    fi  # otherwise: file names (-o default)",
             "}",
             f"complete -o default -F _{prog} {prog}", ""]
    return "\n".join(body)


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The ``dagnet`` parser (:func:`dagnet.cli.build_parser`).
    shell : {"bash", "zsh"}

    Returns
    -------
    str
        A script to ``eval`` in the shell's start-up file.

    Examples
    --------
    >>> from dagnet.cli import build_parser
    >>> completion_script(build_parser(), "zsh").splitlines()[1]
    'autoload -U +X bashcompinit && bashcompinit'
    """
    script = bash_script(parser)
    if shell == "zsh":
        return (f"# {parser.prog} completion for zsh; enable with: "
                f"eval \"$({parser.prog} completion zsh)\" (after compinit)\n"
                "autoload -U +X bashcompinit && bashcompinit\n" + script)
    return script
