"""Short architecture strings (SPECs) for the command line: ``"2-11-9-1:tanh"``.

A SPEC names a fully connected network the way the article does, by its layer
sizes (inputs first, outputs last) and its activation:

================================  ==============================================
SPEC                              network
================================  ==============================================
``1-1:none`` or ``1-1:linear``    ``y = m x + b`` (no activation nodes)
``1-100-1:none``                  two stacked linear layers, 100 hidden nodes
``1-1:logistic``                  logistic regression (``sigmoid`` also works)
``2-11-9-1:tanh``                 the article's three-layer perceptron
``2-11-9-1``                      the same: the activation defaults to tanh
``2-11-9-1:tanh,tanh,identity``   one activation per layer
``path/to/net.json``              a network saved with ``dagnet.io.save``
================================  ==============================================

Names are case-insensitive; ``none`` and ``linear`` mean "no activation nodes"
(the article's linear layers), while ``identity`` adds activation nodes that
pass their input through. Bad SPECs raise :class:`~dagnet.errors.SpecError`
with a message that shows a valid example.

Examples
--------
>>> from dagnet.core.spec import parse_spec, network_from_spec
>>> parse_spec("2-11-9-1:tanh")
Spec('2-11-9-1:tanh')
>>> parse_spec("1-100-1:linear").activations
(None, None)
>>> network_from_spec("1-1:logistic", rng=0)
Network(inputs=1, outputs=1, layers=1, weights=2)
>>> parse_spec("1-x-1")
Traceback (most recent call last):
...
dagnet.errors.SpecError: bad layer size 'x' in SPEC '1-x-1'; ...
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError, UnknownActivationError
from .activations import activation_names, get_activation
from .builders import mlp
from .graph import Network

__all__ = ["Spec", "parse_spec", "network_from_spec", "format_spec", "ALIASES",
           "DEFAULT_ACTIVATION", "NETWORK_FILE_SUFFIXES"]

#: Extra activation names accepted in SPECs (None: a layer without activation nodes).
ALIASES: dict[str, str | None] = {"none": None, "linear": None, "sigmoid": "logistic"}

#: Activation of every layer when a SPEC gives none (as :func:`dagnet.mlp`).
DEFAULT_ACTIVATION = "tanh"

#: File suffixes that make a SPEC a network file even before it exists.
NETWORK_FILE_SUFFIXES = (".json", ".graphml")

_EXAMPLE = "2-11-9-1:tanh"


@dataclass(frozen=True)
class Spec:
    """A parsed architecture SPEC: layer sizes and one activation per layer."""

    sizes: tuple[int, ...]
    activations: tuple[str | None, ...]

    def build(self, rng: Any = None) -> Network:
        """Build the network with :func:`dagnet.mlp` (weights drawn when ``rng`` is given)."""
        return mlp(list(self.sizes), activation=list(self.activations), rng=rng)

    def __str__(self) -> str:
        return format_spec(self.sizes, self.activations)

    def __repr__(self) -> str:
        return f"Spec({str(self)!r})"


def format_spec(sizes: Any, activation: str | None | Any = DEFAULT_ACTIVATION) -> str:
    """The canonical SPEC text for ``sizes`` and ``activation`` (one name, None or a list).

    >>> format_spec([1, 100, 1], None), format_spec([2, 3, 1], ["tanh", "identity"])
    ('1-100-1:none', '2-3-1:tanh,identity')
    """
    sizes = [int(s) for s in sizes]
    if activation is None or isinstance(activation, str):
        acts = [activation] * (len(sizes) - 1)
    else:
        acts = list(activation)
    names = ["none" if a is None else a for a in acts]
    text = names[0] if len(set(names)) == 1 else ",".join(names)
    return "-".join(map(str, sizes)) + ":" + text


def _activation(name: str, spec: str) -> str | None:
    key = name.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    try:
        return get_activation(key).name
    except UnknownActivationError:
        known = ", ".join([*activation_names(), *sorted(ALIASES)])
        raise SpecError(f"unknown activation {name.strip()!r} in SPEC {spec!r}; use one of "
                        f"{known}, e.g. {_EXAMPLE!r}") from None


def parse_spec(text: str) -> Spec:
    """Parse an architecture SPEC such as ``"2-11-9-1:tanh"`` (not a file path).

    Raises
    ------
    SpecError
        If the sizes are not at least two positive integers joined by ``-``, an
        activation is unknown, or the number of activations does not match the layers.

    Examples
    --------
    >>> parse_spec("2-11-9-1:tanh,tanh,identity").activations
    ('tanh', 'tanh', 'identity')
    >>> parse_spec("1-1:cosh")
    Traceback (most recent call last):
    ...
    dagnet.errors.SpecError: unknown activation 'cosh' in SPEC '1-1:cosh'; ...
    """
    if not isinstance(text, str):
        raise SpecError(f"a SPEC is a string such as {_EXAMPLE!r}, got {type(text).__name__}")
    spec = text.strip()
    head, sep, tail = spec.partition(":")
    parts = head.split("-")
    if not head or len(parts) < 2:
        raise SpecError(f"SPEC {text!r} needs at least two layer sizes joined by '-' (inputs "
                        f"first, outputs last), e.g. {_EXAMPLE!r} or '1-1:logistic'")
    sizes = []
    for part in parts:
        p = part.strip()
        if not p.isdigit() or int(p) < 1:
            raise SpecError(f"bad layer size {part!r} in SPEC {text!r}; sizes are positive "
                            f"integers joined by '-', e.g. {_EXAMPLE!r}")
        sizes.append(int(p))
    n_layers = len(sizes) - 1
    if not sep:
        acts: list[str | None] = [DEFAULT_ACTIVATION] * n_layers
    else:
        names = tail.split(",")
        if not tail.strip() or any(not n.strip() for n in names):
            raise SpecError(f"SPEC {text!r} has an empty activation after ':'; write one name "
                            f"such as 'tanh', or one per layer separated by ','")
        acts = [_activation(n, text) for n in names]
        if len(acts) == 1:
            acts = acts * n_layers
        elif len(acts) != n_layers:
            example = ",".join(["tanh"] * (n_layers - 1) + ["identity"])
            raise SpecError(f"SPEC {text!r} gives {len(acts)} activations for {n_layers} "
                            f"layers; give one name, or one per layer such as {example!r}")
    return Spec(tuple(sizes), tuple(acts))


def _looks_like_path(text: str) -> bool:
    return (os.sep in text or "/" in text or Path(text).suffix.lower() in NETWORK_FILE_SUFFIXES
            or Path(text).exists())


def network_from_spec(spec: str | os.PathLike, rng: Any = None) -> Network:
    """Build the network a SPEC names, or load it from a saved network file.

    Parameters
    ----------
    spec : str or path
        An architecture such as ``"2-11-9-1:tanh"`` (see module docs) or the path of a
        file written by ``dagnet.io.save``.
    rng : seed or numpy Generator, optional
        For an architecture: draw the weights uniform on [-1, 1). For a file: if given,
        redraw the weights (the file's weights are kept otherwise).

    Raises
    ------
    SpecError
        A malformed SPEC, a missing file, or a dagnet without file support.
    """
    if isinstance(spec, os.PathLike):
        spec = os.fspath(spec)
    if isinstance(spec, str) and _looks_like_path(spec.strip()):
        return _load(spec.strip(), rng)
    return parse_spec(spec).build(rng=rng)


def _load(path: str, rng: Any) -> Network:
    p = Path(path)
    if not p.is_file():
        what = "a folder, not a file" if p.is_dir() else "not found"
        raise SpecError(f"network file {path!r}: {what}; give the path of a saved network "
                        f"(dagnet.io.save) or an architecture such as {_EXAMPLE!r}")
    import importlib

    try:
        dagnet_io = importlib.import_module("dagnet.io")
    except ModuleNotFoundError as exc:
        if exc.name != "dagnet.io":
            raise
        raise SpecError(f"cannot read network file {path!r}: this version of dagnet has no "
                        f"file format (dagnet.io); use an architecture such as "
                        f"{_EXAMPLE!r}") from None
    net = dagnet_io.load(p)
    if rng is not None:
        net.randomize(rng)
    return net
