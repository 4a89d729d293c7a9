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
``2-11-9-1:tanh,tanh,identity``   one activation per layer (an identity output)
================================  ==============================================

Names are case-insensitive; ``none`` and ``linear`` mean "no activation nodes"
(the article's linear layers), while ``identity`` adds activation nodes that
pass their input through. Bad SPECs raise :class:`~dagnet.errors.SpecError`
with a message that shows a valid example.

This module is the one SPEC grammar and holds its one default (:data:`DEFAULT_ACTIVATION`,
on every layer, the output included): every command that takes a SPEC builds its network
here. It reads architecture strings only; a saved network file is read by
:func:`dagnet.load` (the ``dagnet`` command accepts either, see :mod:`dagnet.cli.commands`).

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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SpecError, UnknownActivationError
from .activations import activation_names, get_activation
from .builders import mlp
from .graph import as_network

if TYPE_CHECKING:
    from .graph import Network

__all__ = ["Spec", "parse_spec", "network_from_spec", "format_spec", "spec_of", "ALIASES",
           "DEFAULT_ACTIVATION"]

#: Extra activation names accepted in SPECs (None: a layer without activation nodes).
ALIASES: dict[str, str | None] = {"none": None, "linear": None, "sigmoid": "logistic"}

#: Activation of every layer, the output layer included, when a SPEC gives none.
DEFAULT_ACTIVATION = "tanh"

_EXAMPLE = "2-11-9-1:tanh"


@dataclass(frozen=True)
class Spec:
    """A parsed architecture SPEC: layer sizes and one activation per layer.

    Parameters
    ----------
    sizes : tuple of int
        ``(n_inputs, hidden..., n_outputs)``.
    activations : tuple of str or None
        One activation name per layer (None: the layer has no activation nodes).

    Examples
    --------
    >>> spec = parse_spec("1-11-9-1:tanh")
    >>> spec
    Spec('1-11-9-1:tanh')
    >>> spec.sizes, spec.activations
    ((1, 11, 9, 1), ('tanh', 'tanh', 'tanh'))
    """

    sizes: tuple[int, ...]
    activations: tuple[str | None, ...]

    def build(self, rng: Any = None) -> Network:
        """Build the network with :func:`dagnet.mlp` (weights drawn when ``rng`` is given).

        Parameters
        ----------
        rng : int or numpy.random.Generator, optional
            Draw the weights uniform on [-1, 1); otherwise they are unset.

        Returns
        -------
        Network

        Examples
        --------
        >>> parse_spec("2-3-1:relu,identity").build(rng=0)
        Network(inputs=2, outputs=1, layers=2, weights=13)
        """
        return mlp(list(self.sizes), activation=list(self.activations), rng=rng)

    def __str__(self) -> str:
        return format_spec(self.sizes, self.activations)

    def __repr__(self) -> str:
        return f"Spec({str(self)!r})"


def format_spec(sizes: Any, activation: str | None | Any = DEFAULT_ACTIVATION) -> str:
    """The canonical SPEC text for ``sizes`` and ``activation`` (one name, None or a list).

    The inverse of :func:`parse_spec`: ``parse_spec(format_spec(s, a))`` gives back
    ``s`` and ``a``.

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes, inputs first.
    activation : str, None or sequence, default "tanh"
        One name for every layer, None for no activation, or one per layer.

    Returns
    -------
    str

    Examples
    --------
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

    The grammar: layer sizes joined by ``-`` (inputs first), then optionally ``:`` and one
    activation name for every layer or one per layer joined by ``,`` (``none`` for a
    layer without activation). Without ``:``, every layer gets ``tanh``.

    Parameters
    ----------
    text : str
        The SPEC.

    Returns
    -------
    Spec
        Its sizes and one activation per layer; ``.build()`` makes the network.

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
        raise SpecError(f"a SPEC is a string such as {_EXAMPLE!r}, got {type(text).__name__}; "
                        f"read a saved network file with dagnet.load(path)")
    spec = text.strip()
    head, sep, tail = spec.partition(":")
    parts = head.split("-")
    if not head or len(parts) < 2:
        raise SpecError(f"SPEC {text!r} needs at least two layer sizes joined by '-' (inputs "
                        f"first, outputs last), e.g. {_EXAMPLE!r} or '1-1:logistic'")
    sizes = []
    for part in parts:
        p = part.strip()
        if not (p.isascii() and p.isdigit()) or int(p) < 1:
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


def network_from_spec(spec: str, rng: Any = None) -> Network:
    """Build the network an architecture SPEC names (see the module docs).

    Parameters
    ----------
    spec : str
        An architecture such as ``"2-11-9-1:tanh"``; without activations every layer,
        the output layer included, gets :data:`DEFAULT_ACTIVATION`.
    rng : seed or numpy Generator, optional
        Draw the weights uniform on [-1, 1) (as :func:`dagnet.mlp`); None leaves them unset.

    Returns
    -------
    Network

    Raises
    ------
    SpecError
        A malformed SPEC (see :func:`parse_spec`).

    Examples
    --------
    >>> net = network_from_spec("2-3-1:tanh,identity", rng=0)
    >>> net.output_range(), net.n_weights
    ((-inf, inf), 13)
    """
    return parse_spec(spec).build(rng=rng)


_STRUCTURE_KEYS = ("kind", "layer", "index", "i", "j", "activation")


def _structure(net: Network) -> tuple[dict, set]:
    """Nodes with their structural attributes (no weight values) and the edges."""
    nodes = {n: tuple(a.get(k) for k in _STRUCTURE_KEYS) for n, a in net.graph.nodes(data=True)}
    return nodes, set(net.graph.edges)


def spec_of(net: Network) -> Spec | None:
    """The SPEC that builds ``net``'s structure, or None when no SPEC does.

    Weight values (and what a fit records) are ignored: only the nodes, their kinds,
    layers, indices and activations, and the edges count.

    Parameters
    ----------
    net : Network

    Returns
    -------
    Spec or None
        None for networks no SPEC describes (skip connections, mixed activations in a
        layer, output nodes, a layer without bias, ...).

    Examples
    --------
    >>> import dagnet
    >>> spec_of(dagnet.mlp([2, 3, 1], ["tanh", "identity"], rng=0))
    Spec('2-3-1:tanh,identity')
    >>> spec_of(dagnet.mlp([2, 3, 1], bias=False)) is None
    True
    """
    net = as_network(net)
    G = net.graph
    sums: dict[int, int] = {}
    acts: dict[int, set] = {}
    for attrs in G.nodes.values():
        layer = attrs.get("layer")
        if attrs.get("kind") == "sum":
            sums[layer] = sums.get(layer, 0) + 1
        elif attrs.get("kind") == "activation":
            acts.setdefault(layer, set()).add(attrs.get("activation"))
    layers = sorted(sums)
    if (not layers or layers != list(range(1, len(layers) + 1))
            or any(len(a) > 1 for a in acts.values())):
        return None
    spec = Spec((net.n_inputs, *(sums[L] for L in layers)),
                tuple(next(iter(acts[L])) if L in acts else None for L in layers))
    return spec if _structure(spec.build()) == _structure(net) else None
