"""A network as a standalone numpy module: the ``.py`` export of :func:`dagnet.io.export`.

The module holds the code :mod:`dagnet.compiled.forward` generates (``_prepare`` gathers the block
matrices from the weight vector, ``_forward`` evaluates the blocks) and everything it
reads, written out: the index arrays as integer literals, the activation functions, the
weights (when set) and a ``forward(X, weights=None)`` that allocates the block buffers.
It imports numpy only, never dagnet. The text is the same on every run.

Activations: a numpy ufunc (``tanh``) is written as ``np.<name>``, the other built-in
ones as the source of their numpy functions in :mod:`dagnet.core.activations` (and ``_cat``
as its source in :mod:`dagnet.compiled.kernel`, one of its ``HELPERS``), so the module runs
the very code dagnet runs.
An activation registered by the user has no source dagnet could write: the module gets a
stub ``_f_<name>`` that raises ``NotImplementedError`` naming it, and a note at the top
saying what to fill in.

Examples
--------
>>> import runpy, tempfile, os, numpy as np, dagnet
>>> net = dagnet.mlp([1, 3, 1], rng=0)
>>> path = os.path.join(tempfile.mkdtemp(), "net.py")
>>> with open(path, "w") as fh:
...     _ = fh.write(module_source(net))
>>> forward = runpy.run_path(path)["forward"]
>>> X = np.linspace(-1, 1, 5)[:, None]
>>> bool(np.allclose(forward(X), net.compile()(X), rtol=1e-12, atol=1e-12))
True
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.activations import BUILTIN, get_activation
from ..core.graph import as_network
from ..errors import MissingWeightError
from .kernel import HELPERS

if TYPE_CHECKING:
    from ..core.graph import Network

_FORWARD = '''def forward(X, weights=None):
    """The network's outputs for inputs X.

    X has shape (n, N_INPUTS); weights shape (N_WEIGHTS,) in WEIGHT_NAMES order, or
    (K, N_WEIGHTS) for K weight vectors at once (default: WEIGHTS). Returns an array of
    shape (n, N_OUTPUTS), or (K, n, N_OUTPUTS).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != N_INPUTS:
        raise ValueError(f"X must have shape (n, {N_INPUTS}), got {X.shape}")
    if weights is None:
        if WEIGHTS is None:
            raise ValueError("the network was exported without weights; pass weights=...")
        weights = WEIGHTS
    w = np.asarray(weights, dtype=float)
    if w.ndim not in (1, 2) or w.shape[-1] != N_WEIGHTS:
        raise ValueError(f"weights must have shape ({N_WEIGHTS},) or (K, {N_WEIGHTS}) in "
                         f"WEIGHT_NAMES order, got {w.shape}")
    lead = w.shape[:-1]
    wx = np.concatenate([w, np.zeros(lead + (1,)), np.ones(lead + (1,))], axis=-1)
    n = X.shape[0]
    out = np.empty(lead + (n, N_OUTPUTS))
    _forward(X, out, [np.empty(lead + (n, m)) for m in WIDTHS], *_prepare(wx))
    return out
'''


def _wrapped(items: list[str], indent: str, rest: str | None = None) -> str:
    """``items`` joined by ", " into lines of at most 100 characters, the first indented by
    ``indent``, the others by ``rest`` (default: the same); an item is never split, so
    string literals stay whole."""
    rest = indent if rest is None else rest
    lines, line, start = [], indent, indent
    for k, item in enumerate(items):
        piece = item + ("," if k < len(items) - 1 else "")
        if line != start and len(line) + 1 + len(piece) > 100:
            lines.append(line)
            line = start = rest
        line += ("" if line == start else " ") + piece
    return "\n".join([*lines, line])


def _int_array(name: str, a: np.ndarray) -> str:
    """``name = np.array(...)`` with the integers written out: on one line when it fits,
    else wrapped (a matrix: each row starting a line)."""
    rows = [[str(int(x)) for x in r] for r in (a if a.ndim == 2 else a[None])]
    text = ", ".join("[" + ", ".join(r) + "]" for r in rows)
    one = f"{name} = np.array([{text}], dtype=np.intp)\n" if a.ndim == 2 else \
        f"{name} = np.array({text}, dtype=np.intp)\n"
    if len(one) <= 101:
        return one
    if a.ndim == 1:
        body = _wrapped(rows[0], "    ")
    else:  # "[" on the first number of a row, "]" on its last
        body = "\n".join(_wrapped([f"[{r[0]}", *r[1:-1], f"{r[-1]}]"] if len(r) > 1
                                   else [f"[{r[0]}]"], "    ", "     ") + "," for r in rows)
    return f"{name} = np.array([\n{body}\n], dtype=np.intp)\n"


def _activation(name: str, code: str) -> tuple[str, str | None]:
    """The source of ``code`` (``_f_<suffix>``, activation ``name``'s numpy form), and
    ``code`` again when it is only a stub."""
    act = get_activation(name)
    fn = act.numpy
    if isinstance(fn, np.ufunc) and getattr(np, fn.__name__, None) is fn:
        return f"{code} = np.{fn.__name__}\n", None
    if any(a.numpy is fn for a in BUILTIN):  # dagnet's own function: its source
        return f"{inspect.getsource(fn)}\n\n{code} = {fn.__name__}\n", None
    message = (f"activation {name!r} was registered with dagnet by the user; "
               f"write its numpy form in {code}")
    return (f"def {code}(v, out=None):\n"
            f"    # {name!r}(v) elementwise (into out, and returned, when out is given).\n"
            f"    raise NotImplementedError({message!r})\n"), code


def module_source(net: Network, **options: Any) -> str:
    """The text of a standalone numpy module that evaluates ``net`` (see the module docs).

    ``options`` go to :meth:`Network.compile` (always with ``fused=False``: the module
    runs numpy only).
    """
    net = as_network(net)
    f = net.compile(**{**options, "fused": False})
    kernel = f.kernel
    try:
        weights: np.ndarray | None = net.weights
    except MissingWeightError:
        weights = None
    acts, arrays, stubs = [], [], []
    functions = {f"_f_{suffix}": name for name, suffix in f.functions.items()}
    for key, value in kernel.consts.items():
        if key in functions:
            text, stub = _activation(functions[key], key)
            acts.append(text)
            stubs += [stub] if stub else []
        else:
            arrays.append(_int_array(key, np.asarray(value)))
    head = [f"# numpy code generated by dagnet from {net!r}.",
            "# A standalone module (numpy only): forward(X, weights) evaluates the network."]
    if stubs:
        head.append("# To fill in: " + ", ".join(stubs)
                    + " (activations registered by the user, not built into dagnet).")
    names = _wrapped([repr(n) for n in f.weight_names], "    ")
    lines = [*head, "", "import numpy as np", "", "",
             f"N_INPUTS = {f.n_inputs}",
             f"N_OUTPUTS = {f.n_outputs}",
             f"N_WEIGHTS = {f.n_weights}",
             "#: The order of a weight vector.",
             f"WEIGHT_NAMES = (\n{names}\n)" if f.n_weights else "WEIGHT_NAMES = ()"]
    if weights is None:
        lines.append("#: The network's weights were not set when it was exported.")
        lines.append("WEIGHTS = None")
    else:
        lines.append("#: The network's weights when it was exported, in WEIGHT_NAMES order.")
        values = _wrapped([repr(float(x)) for x in weights], "    ")
        lines.append(f"WEIGHTS = np.array([\n{values}\n])" if f.n_weights
                     else "WEIGHTS = np.zeros(0)")
    lines.append("#: Columns of the block buffers _forward fills.")
    lines.append(f"WIDTHS = {tuple(int(w) for w in kernel.widths)!r}")
    text = "\n".join(lines) + "\n\n\n"
    if acts:
        text += "# -- activations\n" + "\n\n".join(acts) + "\n\n"
    for name, helper in HELPERS.items():  # the helpers the code calls, from their source
        if f"{name}(" in f.source:
            text += inspect.getsource(helper) + "\n\n"
    text += _FORWARD + "\n\n"
    if arrays:
        text += ("# -- where the block matrices come from: indices into the weight vector "
                 "followed by\n# 0 and 1 (index N_WEIGHTS reads 0, N_WEIGHTS + 1 reads 1)\n"
                 + "".join(arrays) + "\n\n")
    text += "# -- the code dagnet generated (CompiledNetwork.source)\n" + f.source
    return text
