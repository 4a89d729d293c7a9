"""Learning: fit a network's weights to data with the compiled gradient.

:func:`fit` runs a loss (:mod:`dagnet.core.losses`) and an optimizer
(:mod:`dagnet.learn.optimizers`) over the compiled gradient (:mod:`dagnet.compiled.backprop`)
and writes the fitted weights back into the network's weight nodes. It returns a
:class:`History` with the loss at every step.

Input normalization (``normalize=True``, the default) follows the article's
advice: the optimizer works on inputs with mean 0 and unit spread, and the
scaling is then *folded into the weights* that read the inputs
(``w_ij -> w_ij / s_i`` and the bias weight of the same sum
``w_0j -> w_0j - sum_i m_i w_ij / s_i``), so the fitted network computes the
true function of the raw inputs. ``net.compile()(X)``, the equations, the
diagrams and the plots all see that function; nothing needs to remember to
normalize again. Folding is exact when every read of an input is a weight into
a sum that has a bias weight (every :func:`dagnet.mlp`); an input read otherwise
is only rescaled (no bias to absorb the shift) or left as is (read without a
weight). :mod:`dagnet.learn.scaling` does the change of coordinates.

Which function a fit starts from:

* a network that has not been fitted yet (random or unset weights): its weights
  are taken as weights *for the normalized inputs*, which is what an
  initialization means (drawn on [-1, 1) for the raw inputs 1000..1010, every
  tanh would start saturated);
* a network fitted before: from exactly the function it computes (its raw-input
  weights are converted to the normalized coordinates of the new data), so a
  second ``fit`` continues the first.

A fit records the normalization it folded in on every network input node, as
the attributes ``input_mean`` and ``input_scale`` (0 and 1 after
``normalize=False``); their presence is what marks a network as fitted. They are
plain floats, so network files keep them. To start from hand-set raw-input weights,
fit with ``normalize=False``.

Examples
--------
>>> import numpy as np, dagnet
>>> x = np.linspace(-3, 3, 40)[:, None]
>>> net = dagnet.mlp([1, 8, 1], activation=["tanh", "identity"], rng=0)
>>> history = dagnet.fit(net, x, np.sin(x), steps=300, lr=0.05, rng=0, progress=False)
>>> history
History(steps=300, loss='mse', optimizer='adam', lr=0.05, first=..., last=..., final=...)
>>> bool(history.final_loss < history.losses[0] / 50)
True
>>> fitted = net.compile()(x)                       # raw inputs: the scaling is folded in
>>> bool(np.isclose(np.mean((fitted - np.sin(x)) ** 2), history.final_loss, rtol=1e-9))
True
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from ..compiled.backprop import compile_gradient
from ..core.blocks import extend_weights
from ..core.graph import Network, as_network
from ..core.losses import Loss, get_loss
from ..core.spec import format_spec, spec_of
from ..errors import FitError
from .optimizers import make_optimizer
from .scaling import INPUT_MEAN, INPUT_SCALE, InputScaling, is_fitted

__all__ = ["fit", "fit_csv", "History", "read_csv"]


@dataclass(frozen=True, repr=False, eq=False)
class History:
    """What a fit did: the loss at every step and the settings it ran with.

    Returned by :func:`fit`; ``len(history)`` is the number of steps.

    Parameters
    ----------
    losses : ndarray (steps,)
        The loss on each step's batch, before that step's update.
    final_loss : float
        The loss on all the data at the fitted weights.
    loss, optimizer : str
        Names of the loss and the optimizer.
    lr : float
        The learning rate used.
    batch_size : int or None
        Points per step (None: all of them).
    input_mean, input_scale : ndarray (n_inputs,) or None
        The normalization folded into the weights (None when ``normalize=False``).

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> X = np.linspace(-1, 1, 20)[:, None]
    >>> hist = dagnet.fit(dagnet.linear(1, rng=0), X, 3 * X + 1, steps=200, lr=0.1, rng=0)
    >>> hist.steps, hist.loss, hist.optimizer
    (200, 'mse', 'adam')
    >>> bool(hist.final_loss < 1e-3 < hist.losses[0])
    True
    """

    losses: np.ndarray
    final_loss: float
    loss: str
    optimizer: str
    lr: float
    batch_size: int | None = None
    input_mean: np.ndarray | None = None
    input_scale: np.ndarray | None = None

    @property
    def steps(self) -> int:
        """Number of optimizer steps taken.

        Examples
        --------
        >>> import numpy as np, dagnet
        >>> X = np.zeros((4, 1))
        >>> dagnet.fit(dagnet.linear(1, rng=0), X, X, steps=7, rng=0).steps
        7
        """
        return len(self.losses)

    def __len__(self) -> int:
        return len(self.losses)

    def __repr__(self) -> str:
        first = f"{self.losses[0]:.4g}" if len(self.losses) else "-"
        last = f"{self.losses[-1]:.4g}" if len(self.losses) else "-"
        return (f"History(steps={self.steps}, loss={self.loss!r}, optimizer={self.optimizer!r}, "
                f"lr={self.lr:g}, first={first}, last={last}, final={self.final_loss:.4g})")


def _check_output_range(row: Loss, net: Network) -> None:
    if row.output_range is None or net.n_outputs != 1:
        return
    lo, hi = net.output_range(0)
    if lo < row.output_range[0] or hi > row.output_range[1]:
        spec = _spec_ending_in(net, "logistic")
        example = (f"SPEC {spec!r}" if spec is not None else
                   "e.g. dagnet.mlp([2, 16, 1], activation=['tanh', 'logistic'])")
        raise FitError(
            f"loss {row.name!r} with one output reads it as a probability in "
            f"{list(row.output_range)}, but this network's output ranges over ({lo}, {hi}); "
            f"end the network with a logistic activation ({example}), or give it one output "
            "per class")


def _spec_ending_in(net: Network, activation: str) -> str | None:
    """``net``'s SPEC with ``activation`` on its output layer; None if no SPEC builds ``net``."""
    spec = spec_of(net)
    if spec is None:
        return None
    return format_spec(spec.sizes, [*spec.activations[:-1], activation])


def _batches(n: int, batch_size: int | None, gen: np.random.Generator):
    """Endless index arrays: None (all points) or shuffled batches, epoch after epoch."""
    if batch_size is None or batch_size >= n:
        while True:
            yield None
    while True:
        order = gen.permutation(n)
        for a in range(0, n, batch_size):
            yield order[a:a + batch_size]


def _progress(show: bool | None, steps: int):
    if show is None:
        show = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not show:
        return None
    from tqdm.auto import tqdm  # imported only when a bar is shown

    return tqdm(total=steps, desc="fit", unit="step", file=sys.stderr, leave=False)


def fit(net: Network, X: Any, y: Any, *, loss: str | Loss = "mse", optimizer: Any = "adam",
        steps: int = 1000, lr: float | None = None, batch_size: int | None = None,
        rng: Any = None, normalize: bool = True, progress: bool | None = None) -> History:
    """Fit the weights of ``net`` to inputs ``X`` and targets ``y``; return the :class:`History`.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        Its weights are the starting point and are overwritten by the fitted ones (in a
        DiGraph: its weight nodes' ``value``).
        Weights that are unset are drawn first, uniform on [-1, 1) (the article's
        draw), from ``rng``.
    X : array (n_points, n_inputs)
        The inputs, one row per point.
    y : array
        Targets in the form the loss reads (see :mod:`dagnet.core.losses`).
    loss : {"mse", "cross_entropy"} or Loss
    optimizer : {"adam", "sgd"} or object with ``step(w, g)``
    steps : int
        Number of optimizer steps (one batch each).
    lr : float, optional
        Learning rate (default: the optimizer's, 0.01 for adam, 0.1 for sgd).
    batch_size : int, optional
        Points per step, shuffled every pass over the data; None: all points.
    rng : seed or numpy Generator, optional
        Source of the batch order and of unset weights.
    normalize : bool
        Optimize on inputs scaled to mean 0 and unit spread, then fold the scaling
        into the weights, so ``net`` keeps taking raw inputs. Before a network's
        first fit its weights are read as weights for the normalized inputs; after
        it, fitting continues from the function it computes (see the module docs).
    progress : bool, optional
        Show a tqdm progress bar (None: only when stderr is a terminal).

    Returns
    -------
    History
        The loss at every step, the final loss on all the data, and the settings.

    Raises
    ------
    FitError
        Unknown loss or optimizer, targets unsuited to the loss, or a loss that
        became NaN or infinite (the network's weights are then left unchanged).
    ShapeError
        ``X`` or ``y`` has the wrong shape.

    See Also
    --------
    dagnet.gradient : the loss gradient each step follows.

    Examples
    --------
    The article's 1-11-9-1 network learns a sine (Adam, full batch):

    >>> import numpy as np, dagnet
    >>> X = np.linspace(-3, 3, 64)[:, None]
    >>> net = dagnet.mlp([1, 11, 9, 1], ["tanh", "tanh", "identity"], rng=0)
    >>> hist = dagnet.fit(net, X, np.sin(X), steps=500, lr=0.01, rng=0)
    >>> bool(hist.losses[-1] < hist.losses[0] / 20)
    True
    >>> bool(np.abs(net.compile()(X) - np.sin(X)).max() < 0.2)   # net now holds the fit
    True
    """
    graph, net = net, as_network(net)  # a DiGraph gets its fitted weights back below
    g = compile_gradient(net)
    X = g.inputs(X)
    row = get_loss(loss)
    n = X.shape[0]
    _check_points(X)
    T = row.targets(y, n, g.n_outputs)
    _check_output_range(row, net)
    opt = make_optimizer(optimizer, lr)
    _check_steps(steps, batch_size)
    gen = np.random.default_rng(rng)
    _fill_unset_weights(net, gen)
    scaling = InputScaling(net, X) if normalize else None
    Z = scaling.transform(X) if scaling is not None else X
    n_w = g.n_weights
    if scaling is not None and is_fitted(net):  # continue from the same function
        wx = extend_weights(scaling.to_z(net.weights))
    else:  # an initialization: weights for the (normalized) inputs the optimizer sees
        wx = extend_weights(net.weights)
    w = wx[:n_w]  # a view: the optimizer's in-place steps update what the code reads
    rate = f"lr={getattr(opt, 'lr', '?')}"
    run, value_grad = g.run, row.value_and_gradient

    def loss_of(Z: np.ndarray, T: np.ndarray, wx: np.ndarray) -> tuple[float, np.ndarray]:
        return run(Z, T, wx, value_grad)

    # A diverging fit raises FitError below; numpy's overflow warnings would only repeat it.
    with np.errstate(over="ignore", invalid="ignore"):
        losses = _descend(loss_of, Z, T, wx, n_w, opt, int(steps),
                          _batches(n, batch_size, gen), rate, progress)
        final = float(loss_of(Z, T, wx)[0])
    if not (math.isfinite(final) and np.isfinite(w).all()):
        raise FitError(f"the loss became {final} after the last step; lower the learning rate "
                       f"({rate} now)")
    net.set_weights(scaling.to_raw(w) if scaling is not None else w)
    _record_scaling(net, scaling)
    if graph is not net:
        _write_back(net, graph)
    return History(losses, final, row.name, getattr(opt, "name", type(opt).__name__),
                   float(getattr(opt, "lr", math.nan)), batch_size,
                   None if scaling is None else scaling.mean,
                   None if scaling is None else scaling.scale)



def _check_points(X: np.ndarray) -> None:
    if X.shape[0] == 0:
        raise FitError("X has no rows; fitting needs at least one point")
    if not np.isfinite(X).all():
        raise FitError("X contains NaN or inf; remove or fill those rows before fitting")


def _check_steps(steps: Any, batch_size: Any) -> None:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise FitError(f"steps must be an int >= 0, got {steps!r}")
    if batch_size is not None and (isinstance(batch_size, bool)
                                   or not isinstance(batch_size, (int, np.integer))
                                   or batch_size < 1):
        raise FitError(f"batch_size must be None (all points) or an int >= 1, got {batch_size!r}")


def _descend(loss_of: Any, Z: np.ndarray, T: np.ndarray, wx: np.ndarray, n_w: int, opt: Any,
             steps: int, batches: Any, rate: str, progress: bool | None) -> np.ndarray:
    """The optimizer's steps on ``wx[:n_w]`` in place (one batch each); the loss per step."""
    w = wx[:n_w]  # a view: the optimizer's in-place steps update what the code reads
    losses = np.empty(steps)
    bar = _progress(progress, steps)
    every = 50
    try:
        for step, idx in zip(range(steps), batches):
            if idx is None:
                value, grad = loss_of(Z, T, wx)
            else:
                value, grad = loss_of(Z[idx], T[idx], wx)
            if not math.isfinite(value):
                raise FitError(f"the loss became {value} at step {step}; lower the learning "
                               f"rate ({rate} now) or check X and y for extreme values")
            losses[step] = value
            opt.step(w, grad[:n_w])
            if bar is not None and (step + 1) % every == 0:
                bar.update(every)
                bar.set_postfix(loss=f"{value:.4g}", refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return losses


def _record_scaling(net: Network, scaling: InputScaling | None) -> None:
    """Leave the folded normalization on every input node (``input_mean``, ``input_scale``)."""
    nodes = net.graph.nodes
    for k, x in enumerate(net.inputs):
        nodes[x][INPUT_MEAN] = float(scaling.mean[k]) if scaling is not None else 0.0
        nodes[x][INPUT_SCALE] = float(scaling.scale[k]) if scaling is not None else 1.0

def _write_back(net: Network, graph: Any) -> None:
    """Copy what fit changed (weight values, the input scaling) into the DiGraph it was given."""
    for n, attrs in net.graph.nodes(data=True):
        for key in ("value", INPUT_MEAN, INPUT_SCALE):
            if key in attrs:
                graph.nodes[n][key] = attrs[key]


def _fill_unset_weights(net: Network, gen: np.random.Generator) -> None:
    nodes = net.graph.nodes
    unset = [n for n in net.weight_nodes if nodes[n].get("value") is None]
    if unset:
        draws = gen.uniform(-1.0, 1.0, size=len(unset))
        for node, value in zip(unset, draws.tolist()):
            nodes[node]["value"] = value


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode_csv(raw: bytes, path: str) -> str:
    """The text of a CSV file: UTF-8, or the encoding its byte-order mark names."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FitError(f"the CSV file {path!r} is not {encoding.upper()} text (byte "
                       f"{raw[exc.start]:#04x} at offset {exc.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise FitError(f"the CSV file {path!r} is not UTF-8 text (it holds NUL bytes: UTF-16 "
                       "without a byte-order mark?); save it as UTF-8")
    return text


def read_csv(path: str | Any, delimiter: str = ",") -> tuple[list[str] | None, np.ndarray]:
    """Read a numeric CSV: (header names or None, float array (rows, columns)).

    A first row that is not all numbers is taken as the header. The file is UTF-8 (with or
    without a byte-order mark), or UTF-16/UTF-32 with a byte-order mark.
    """
    import csv
    import io

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise FitError(f"cannot read the CSV file {str(path)!r}: {exc.strerror}") from exc
    text = _decode_csv(raw, str(path))
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                if r and any(c.strip() for c in r)]
    except csv.Error as exc:
        raise FitError(f"the CSV file {str(path)!r} cannot be read as CSV: {exc}; one row per "
                       "point, numbers separated by the delimiter") from None
    if not rows:
        raise FitError(f"the CSV file {str(path)!r} is empty; it needs one row per point")

    def numbers(r: list[str]) -> list[float] | None:
        try:
            return [float(c) for c in r]
        except ValueError:
            return None

    header = None
    if numbers(rows[0]) is None:
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    data = []
    for line, r in enumerate(rows, start=2 if header else 1):
        vals = numbers(r)
        if vals is None or len(vals) != len(rows[0]):
            raise FitError(f"{str(path)!r} line {line}: expected {len(rows[0])} numbers, got "
                           f"{r!r}; every row needs the same numeric columns")
        data.append(vals)
    if not data:
        raise FitError(f"the CSV file {str(path)!r} has a header but no data rows")
    return header, np.array(data, dtype=float)


def fit_csv(net: Network, csv_path: str | Any, *, loss: str = "mse", optimizer: str = "adam",
            steps: int = 1000, lr: float | None = None, batch_size: int | None = None,
            rng: Any = 0, normalize: bool = True, delimiter: str = ",",
            history_path: str | Any = None,
            progress: bool | None = None) -> tuple[Network, History]:
    """Fit a network to a CSV of inputs and targets (what ``dagnet fit`` runs).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network to fit, in place (a DiGraph: its weight nodes' ``value``); build one
        from a SPEC with
        :func:`dagnet.network_from_spec` (``"2-16-16-1:tanh,tanh,identity"`` for tanh hidden
        layers and an identity output: a SPEC with one activation puts it on every layer,
        the output included). Unset weights are drawn from ``rng``.
    csv_path : path
        One row per point (an optional header row first): the first ``n_inputs``
        columns are the inputs, the rest the targets, as :mod:`dagnet.core.losses` reads
        them (``n_outputs`` columns, or one column of class labels 0..K-1 for
        cross-entropy with K outputs).
    loss, optimizer, steps, lr, batch_size, rng, normalize
        As in :func:`fit`; ``rng`` defaults to 0 so a command gives the same result
        every run.
    delimiter : str
        The CSV's column separator.
    history_path : path, optional
        Also write the loss per step there as a CSV (``step,loss``), atomically.
    progress : bool, optional
        As in :func:`fit`.

    Returns
    -------
    (Network, History)
        ``net`` itself (a DiGraph: the Network around a copy of it), fitted, and the fit's
        history.

    Raises
    ------
    FitError
        ``net`` is not a Network, the CSV cannot be read or has too few columns, an mse
        target lies outside the range the network's output activation can reach (a tanh
        output and targets in [0, 10]: the message names the SPEC with an identity output),
        or :func:`fit` fails.

    Examples
    --------
    >>> import os, tempfile, numpy as np, dagnet
    >>> path = os.path.join(tempfile.mkdtemp(), "line.csv")
    >>> x = np.linspace(-1, 1, 20)
    >>> _ = open(path, "w").write("x,y\\n" + "".join(f"{a},{3 * a + 1}\\n" for a in x))
    >>> net = dagnet.network_from_spec("1-1:none")
    >>> fitted, history = fit_csv(net, path, steps=400, lr=0.1, progress=False)
    >>> fitted is net, np.round(net.weights, 3).tolist(), bool(history.final_loss < 1e-6)
    (True, [1.0, 3.0], True)
    >>> fit_csv(dagnet.network_from_spec("1-1:tanh"), path, steps=1)
    Traceback (most recent call last):
    ...
    dagnet.errors.FitError: ... identity activation (SPEC '1-1:identity') ...
    """
    if not isinstance(net, (Network, nx.DiGraph)):
        raise FitError(f"fit_csv fits a Network, got {type(net).__name__}; build one from a "
                       f"SPEC first, e.g. dagnet.network_from_spec('2-16-16-1:tanh,tanh,"
                       f"identity')")
    graph, net = net, as_network(net)  # a DiGraph gets its fitted weights back below
    _, data = read_csv(csv_path, delimiter)
    n_in = net.n_inputs
    if data.shape[1] <= n_in:
        raise FitError(f"{str(csv_path)!r} has {data.shape[1]} columns but the network has "
                       f"{n_in} inputs; add target columns after the input columns")
    X, targets = data[:, :n_in], data[:, n_in:]
    if get_loss(loss).name == "mse":
        _check_reachable(net, targets, csv_path)
    y = targets[:, 0] if targets.shape[1] == 1 else targets
    history = fit(net, X, y, loss=loss, optimizer=optimizer, steps=steps, lr=lr,
                  batch_size=batch_size, rng=rng, normalize=normalize, progress=progress)
    if graph is not net:
        _write_back(net, graph)
    if history_path is not None:
        from ..core.atomic import write_text

        write_text(history_path, "step,loss\n" + "".join(
            f"{k},{v!r}\n" for k, v in enumerate(history.losses.tolist())))
    return net, history


def _check_reachable(net: Network, targets: np.ndarray, csv_path: Any) -> None:
    """Fail when a target column lies outside the range its output activation can reach."""
    if targets.shape[1] != net.n_outputs:
        return  # fit's own check of the targets' shape says what is wrong
    for j in range(net.n_outputs):
        lo, hi = net.output_range(j)
        t_lo, t_hi = float(targets[:, j].min()), float(targets[:, j].max())
        if not (t_lo < lo or t_hi > hi):  # NaN targets pass here: fit reports them
            continue
        spec = _spec_ending_in(net, "identity")
        fix = f" (SPEC {spec!r})" if spec is not None else ""
        raise FitError(f"the targets in {str(csv_path)!r} (column {net.n_inputs + j + 1}) "
                       f"range over [{t_lo:g}, {t_hi:g}], but output {j} of the network only "
                       f"reaches ({lo:g}, {hi:g}) through its last activation, so no fit can "
                       f"get there: end the network with an identity activation{fix} for an "
                       f"output without bounds, or scale the targets into ({lo:g}, {hi:g})")
