"""The symbolic arrow: sympy equations, expressions and LaTeX from the graph.

One equation per computing node, in the article's notation:
``u_ij = x_i w_ij`` (weight), ``v_j = sum_i u_ij`` (sum), ``y_j = f(v_j)``
(activation) and ``x_{j+1,L+1} = y_{j,L}`` (hidden pass-through). Where the
network has several layers, the LaTeX adds the layer as a Roman-numeral subscript
at the end, as the article does ("we would add the L subscript onto the end of
everything"): ``w_{10,\\mathrm{II}}``. The sympy symbols keep the identifiers of
``net.weight_names`` (``w_10^II``); :func:`name_latex` and :func:`expr_latex` write
them in the article's notation. Everything is built with unevaluated sympy
operations, so it stays fast on wide networks.

Examples
--------
>>> import dagnet
>>> net = dagnet.linear(1)
>>> for eq in net.equations():
...     print(eq)
Eq(u_00, w_00*x_0)
Eq(u_10, w_10*x_1)
Eq(v_0, u_00 + u_10)
>>> net.expression()
w_00 + w_10*x_1
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Any

import networkx as nx
import sympy as sp

from ..core.activations import get_activation
from ..core.graph import as_network
from ..core.structure import adjacency, paused_gc
from ..errors import NetworkError, NotLayeredError
from .matrixform import matrix_equations, matrix_latex

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["symbols", "equations", "expression", "latex", "layer_table", "weight_symbols",
           "indexed_layers", "name_latex", "expr_latex", "generic_latex"]

_EQ_LETTER = {"weight": "u"}
_FORM_ERROR = "form must be 'nodes', 'indexed' or 'matrix', got {!r}"


def _split(name: str) -> tuple[str, str, str]:
    base, _, sup = name.partition("^")
    letter, _, sub = base.partition("_")
    return letter, sub, sup


def name_latex(name: str) -> str:
    r"""The LaTeX of a symbol name in the article's notation: the layer subscript at the end.

    Parameters
    ----------
    name : str
        A symbol name such as ``"w_10^II"`` (``letter_sub^LAYER``; both parts optional),
        or a gradient ``"dL/d" + name``.

    Returns
    -------
    str
        ``letter_{sub,\mathrm{LAYER}}``: the article's "subscript Roman numeral" after the
        node's own indices; a gradient as ``\frac{\partial L}{\partial ...}``.

    Examples
    --------
    >>> name_latex("x_1^II")
    'x_{1,\\mathrm{II}}'
    >>> name_latex("v_0")
    'v_{0}'
    >>> name_latex("dL/dw_10")
    '\\frac{\\partial L}{\\partial w_{10}}'
    """
    if name.startswith("dL/d"):
        return rf"\frac{{\partial L}}{{\partial {name_latex(name[4:])}}}"
    letter, sub, sup = _split(name)
    return _subscripted(letter, sub, sup)


def _subscripted(letter: str, sub: str, layer: str) -> str:
    parts = [p for p in (sub, rf"\mathrm{{{layer}}}" if layer else "") if p]
    return letter + (f"_{{{','.join(parts)}}}" if parts else "")


def _indexed_name(base: str, indices: tuple) -> str:
    r"""``w^II`` indexed by (i, j) -> ``w_{ij,\mathrm{II}}`` (commas only where needed)."""
    prefix = ""
    if base.startswith("dL/d"):
        prefix, base = base[:4], base[4:]
    letter, _, layer = base.partition("^")
    parts = [sp.latex(k) for k in indices]
    sub = "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)
    text = _subscripted(letter, sub, layer)
    return rf"\frac{{\partial L}}{{\partial {text}}}" if prefix else text


def expr_latex(expr: sp.Basic, **kwargs: Any) -> str:
    r"""``sympy.latex`` of ``expr`` with every symbol in the article's notation.

    Symbols and indexed symbols named with a layer (``w_10^II``, ``w^II[i, j]``) are
    written with the layer as the last subscript (:func:`name_latex`); the expression's
    own layout is kept (``order="none"`` unless given).

    Parameters
    ----------
    expr : sympy.Basic
        Any expression (or equation side).
    **kwargs
        Passed on to ``sympy.latex``.

    Returns
    -------
    str

    Examples
    --------
    >>> import dagnet
    >>> expr_latex(dagnet.mlp([1, 1, 1]).expression(depth=1))
    '\\tanh{\\left(v_{0,\\mathrm{II}} \\right)}'
    """
    names: dict[Any, str] = {}
    swap: dict[Any, Any] = {}
    for atom in expr.atoms(sp.Indexed):  # a plain symbol named after it: a stable order
        swap[atom] = stand_in = sp.Symbol(str(atom))
        names[stand_in] = _indexed_name(str(atom.base.label), atom.indices)
    if swap:
        expr = expr.xreplace(swap)
    for atom in expr.atoms(sp.Symbol):
        if atom not in names:
            names[atom] = name_latex(atom.name)
    kwargs.setdefault("order", "none")
    return sp.latex(expr, symbol_names=names, **kwargs)


def _lhs_name(net: Network, node: Any) -> str:
    """Name of the value a node produces: ``u_ij`` for a weight, else the node's symbol."""
    name = net.symbol_name(node)
    return "u" + name[1:] if net.graph.nodes[node]["kind"] == "weight" else name


def _lhs_names(net: Network) -> dict[Any, str]:
    """:func:`_lhs_name` of every node, validating once (not once per node)."""
    s, G = net.validate(), net.graph
    names = {}
    for n, attrs in G.nodes(data=True):
        name = s.symbol_name(G, n)
        names[n] = "u" + name[1:] if attrs["kind"] == "weight" else name
    return names


def _symbol_maker() -> Any:
    """A constructor of plain symbols ``name -> Symbol(name)``, 5x faster than sympy's.

    ``sp.Symbol(name)`` sanitizes its assumptions and goes through sympy's cache on
    every call (~5 us: 1.3 s for the 267k symbols of 2-256x3-1). A plain symbol is its
    name plus the assumptions every plain symbol shares, so it is built from those
    directly. The result is checked against ``sp.Symbol`` here, once; should a sympy
    version lay symbols out differently, ``sp.Symbol`` itself is used.
    """
    model = sp.Symbol("_dagnet_model")
    shared = (model._assumptions, model._assumptions_orig, model._assumptions0)
    new = sp.Expr.__new__

    def make(name: str) -> sp.Symbol:
        obj = new(sp.Symbol)
        obj.name = name
        obj._assumptions, obj._assumptions_orig, obj._assumptions0 = shared
        return obj

    try:
        probe, same = make("w_10^II"), sp.Symbol("w_10^II")
        ok = (probe == same and hash(probe) == hash(same) and sp.srepr(probe) == sp.srepr(same)
              and probe.is_commutative and probe.is_real is None
              and (probe + 1).free_symbols == {same} and sp.latex(probe) == sp.latex(same))
    except Exception:  # an unknown sympy layout: the slow, public path
        ok = False
    return make if ok else sp.Symbol


_symbol = _symbol_maker()


def symbols(net: Network) -> dict[Any, sp.Symbol]:
    """Map every node to the sympy symbol of the value it produces (``u_ij`` for weights).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    dict
        Node id -> ``sympy.Symbol``, named as in the article (``x_1``, ``u_10``, ``v_0``,
        ``y_0``), with the layer as a Roman superscript when there are several layers.

    Raises
    ------
    NetworkError
        The network is invalid (a subclass names the node and the fix).

    Examples
    --------
    >>> import dagnet
    >>> symbols(dagnet.linear(1))
    {'L1.x0': x_0, 'L1.x1': x_1, 'L1.v0': v_0, 'L1.w00': u_00, 'L1.w10': u_10}
    """
    net = as_network(net)
    return net.cached("symbols",
                      lambda: {n: _symbol(name) for n, name in _lhs_names(net).items()})


def weight_symbols(net: Network, weights: str) -> dict[Any, sp.Expr]:
    """Each weight node's stand-in in equations: its symbol, or its value as a sympy Float.

    Parameters
    ----------
    net : Network
        The network.
    weights : {"symbolic", "numeric"}
        Symbols ``w_ij`` (named ``w_ij^L`` where there are several layers), or the weights' values.

    Returns
    -------
    dict
        Weight node id -> ``sympy.Symbol`` or ``sympy.Float``, in weight order.

    Raises
    ------
    NetworkError
        If ``weights`` is neither "symbolic" nor "numeric".
    MissingWeightError
        If ``weights`` is "numeric" and a weight has no value.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.linear(1)
    >>> list(weight_symbols(net, "symbolic").values())
    [w_00, w_10]
    >>> net.set_weights([0.5, 2.0])
    >>> list(weight_symbols(net, "numeric").values())
    [0.500000000000000, 2.00000000000000]
    """
    net = as_network(net)
    if weights == "symbolic":
        return {n: _symbol(name) for n, name in zip(net.weight_nodes, net.weight_names)}
    if weights == "numeric":
        return {n: sp.Float(float(v)) for n, v in zip(net.weight_nodes, net.weights)}
    raise NetworkError(f"weights must be 'symbolic' or 'numeric', got {weights!r}")


def _rhs(net: Network, node: Any, args: list[sp.Expr], w: dict, inline_bias: bool) -> sp.Expr:
    """Right-hand side of a node's equation, given the values of its predecessors."""
    attrs = net.graph.nodes[node]
    kind = attrs["kind"]
    if kind == "weight":
        if inline_bias and args[0] is sp.S.One:
            return w[node]
        return sp.Mul(args[0], w[node], evaluate=False)
    if kind == "sum":
        return args[0] if len(args) == 1 else sp.Add(*args, evaluate=False)
    if kind == "activation":
        act = get_activation(attrs["activation"])
        if act.linear and act.name == "identity":
            return args[0]
        with sp.evaluate(False):
            return act.sympy(args[0])
    return args[0]  # pass-through input or output


#: What ``sp.Eq(lhs, rhs, evaluate=False)`` does with two sympy objects, without its checks
#: (3x faster on the 135k equations of 2-256x3-1).
_new_eq = sp.Basic.__new__


def equations(net: Network, form: str = "nodes", weights: str = "symbolic") -> list[sp.Eq]:
    """One ``sympy.Eq`` per computing node in topological order, or the indexed form.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    form : {"nodes", "indexed", "matrix"}
        ``"nodes"``: one equation per weight, sum, activation and hidden node.
        ``"indexed"``: per layer, the article's compact equations with ``Indexed``
        and ``Sum`` (only for fully layered networks such as :func:`dagnet.mlp`).
        ``"matrix"``: one matrix equation per dense block, any network (see
        :mod:`dagnet.symbolic.matrixform`); the compiled forward code is printed from these.
    weights : {"symbolic", "numeric"}
        Weight symbols ``w_ij``, or their current numeric values.

    Returns
    -------
    list of sympy.Eq
        ``u_ij = x_i w_ij``, ``v_j = sum_i u_ij``, ``y_j = f(v_j)`` and ``x_{j+1} = y_j``
        for hidden nodes (``"nodes"``), or the per-layer or matrix equations.

    Raises
    ------
    NetworkError
        An unknown ``form`` or ``weights``.
    NotLayeredError
        ``form="indexed"`` on a network that is not fully layered.
    MissingWeightError
        ``weights="numeric"`` and a weight has no value.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.mlp([1, 1], "tanh").equations()[-1]
    Eq(y_0, tanh(v_0))
    >>> for eq in dagnet.mlp([1, 2, 1], "tanh").equations("indexed")[:4]:
    ...     print(eq)
    Eq(x^I[0], 1)
    Eq(u^I[i, j], w^I[i, j]*x^I[i])
    Eq(v^I[j], Sum(u^I[i, j], (i, 0, 1)))
    Eq(y^I[j], tanh(v^I[j]))
    """
    net = as_network(net)
    if form == "indexed":
        return _indexed_equations(net)
    if form == "matrix":
        return matrix_equations(net)
    if form != "nodes":
        raise NetworkError(_FORM_ERROR.format(form))
    s = net.validate()
    with paused_gc():  # ~270k new acyclic objects: the collector's passes would double the time
        return _node_equations(net, s, weights)


def _node_equations(net: Network, s: Any, weights: str) -> list[sp.Eq]:
    sym = symbols(net)
    w = weight_symbols(net, weights)
    G = net.graph
    node, pred, _ = adjacency(G)
    out = []
    for n in s.order:
        preds = pred[n]
        if not preds:
            continue
        args = [sym[p] for p in preds]
        kind = node[n]["kind"]
        # Symbols and Floats are sympy objects already (and commutative): _from_args builds
        # exactly what Mul/Add(..., evaluate=False) would, 3-4x faster (132k weights in
        # 2-256x3-1).
        if kind == "weight":
            rhs = sp.Mul._from_args((args[0], w[n]), is_commutative=True)
        elif kind == "sum" and len(args) > 1:
            rhs = sp.Add._from_args(args, is_commutative=True)
        else:
            rhs = _rhs(net, n, args, w, inline_bias=False)
        out.append(_new_eq(sp.Eq, sym[n], rhs))
    return out


def expression(net: Network, output: int = 0, weights: str = "symbolic",
               depth: int | None = None) -> sp.Expr:
    """Output ``output`` written in terms of the inputs (bias nodes replaced by 1).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    output : int, default 0
        Which output (its column in the result).
    weights : {"symbolic", "numeric"}, default "symbolic"
        Weight symbols ``w_ij``, or their current numeric values.
    depth : int, optional
        How many equations are inlined along each path (None: all the way down to the
        inputs); nodes left over appear as their own symbols.

    Returns
    -------
    sympy.Expr
        Grows quickly with width and depth: for wide networks read the equations instead.

    Raises
    ------
    NetworkError
        ``output`` out of range, or an unknown ``weights``.
    MissingWeightError
        ``weights="numeric"`` and a weight has no value.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.mlp([1, 1], "logistic")
    >>> net.expression(depth=1)
    1/(1 + exp(-v_0))
    >>> net.expression()
    1/(1 + exp(-(w_00 + w_10*x_1)))
    """
    net = as_network(net)
    s = net.validate()
    target = s.output_node(output)
    if depth is not None and (not isinstance(depth, int) or depth < 0):
        raise NetworkError(f"depth must be None or an int >= 0, got {depth!r}")
    sym = symbols(net)
    w = weight_symbols(net, weights)
    G = net.graph
    memo: dict[tuple[Any, int | None], sp.Expr] = {}
    # Iterate over the ancestors in topological order: no recursion-depth limit on deep nets.
    needed = nx.ancestors(G, target) | {target}
    if depth is None:
        for n in s.order:
            if n in needed:
                memo[n, None] = _value(net, n, memo, sym, w, None)
        return memo[target, None]
    return _value_depth(net, target, depth, sym, w, memo)


def _value(net, n, memo, sym, w, _):
    kind = net.graph.nodes[n]["kind"]
    preds = list(net.graph.predecessors(n))
    if kind == "bias":
        return sp.S.One
    if not preds:
        return sym[n]
    return _rhs(net, n, [memo[p, None] for p in preds], w, inline_bias=True)


def _value_depth(net, n, d, sym, w, memo):
    key = (n, d)
    if key not in memo:
        preds = list(net.graph.predecessors(n))
        if d == 0 or not preds:
            memo[key] = sym[n]
        else:
            args = [_value_depth(net, p, d - 1, sym, w, memo) for p in preds]
            memo[key] = _rhs(net, n, args, w, inline_bias=False)
    return memo[key]


def _float_latex(value: float, digits: int | None) -> str:
    text = repr(float(value)) if digits is None else f"{value:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = rf"{mant} \cdot 10^{{{int(exp)}}}"
    return text


def latex(net: Network, form: str = "nodes", weights: str = "symbolic",
          expression: bool = False, output: int = 0, digits: int | None = None) -> str:
    """The equations as a LaTeX ``align`` block (one ``&=`` line per equation).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    form : {"nodes", "indexed", "matrix"}, default "nodes"
        As in :func:`equations`.
    weights : {"symbolic", "numeric"}, default "symbolic"
        Weight symbols ``w_ij``, or their current numeric values.
    expression : bool, default False
        Append the fully inlined output as a last line; it grows quickly with width and
        depth, so it is off by default.
    output : int, default 0
        Which output, with ``expression=True``.
    digits : int, optional
        Significant digits of numeric weights (all of ``repr(float)`` by default).

    Returns
    -------
    str
        ``\\begin{align}`` ... ``\\end{align}``, one ``&=`` line per equation.

    Raises
    ------
    NetworkError
        An unknown option, or ``output`` out of range.
    NotLayeredError
        ``form="indexed"`` on a network that is not fully layered.
    MissingWeightError
        ``weights="numeric"`` and a weight has no value.

    Examples
    --------
    >>> import dagnet
    >>> print(dagnet.linear(1).latex())
    \\begin{align}
    x_{0} &= 1 \\\\
    u_{00} &= x_{0} w_{00} \\\\
    u_{10} &= x_{1} w_{10} \\\\
    v_{0} &= u_{00} + u_{10}
    \\end{align}
    """
    net = as_network(net)
    if form == "indexed":
        lines = _indexed_latex_lines(net)
    elif form == "nodes":
        lines = _node_latex_lines(net, weights, digits)
    elif form == "matrix":
        lines = matrix_latex(net)
    else:
        raise NetworkError(_FORM_ERROR.format(form))
    if expression:
        out_name = name_latex(_lhs_name(net, net.validate().output_node(output)))
        expr = globals()["expression"](net, output=output, weights=weights)
        lines.append(f"{out_name} &= {expr_latex(expr)}")
    return "\\begin{align}\n" + " \\\\\n".join(lines) + "\n\\end{align}"


def _node_latex_lines(net: Network, weights: str, digits: int | None) -> list[str]:
    s = net.validate()
    G = net.graph
    lat = {n: name_latex(name) for n, name in _lhs_names(net).items()}
    if weights == "numeric":
        wl = {n: _float_latex(v, digits) for n, v in zip(s.weights, net.weights)}
    elif weights == "symbolic":
        wl = {n: name_latex(s.symbol_name(G, n)) for n in s.weights}
    else:
        raise NetworkError(f"weights must be 'symbolic' or 'numeric', got {weights!r}")
    acts: dict[str, str] = {}  # activation name -> its LaTeX with ARG for the argument
    lines: list[str] = []
    ones: set = set()
    for n in s.order:
        preds = list(G.predecessors(n))
        attrs = G.nodes[n]
        kind = attrs["kind"]
        if not preds:
            continue
        if kind == "weight" and G.nodes[preds[0]]["kind"] == "bias" and preds[0] not in ones:
            # the article: "we set x_0 to 1 and are holding it there" (once, before its use)
            ones.add(preds[0])
            lines.append(f"{lat[preds[0]]} &= 1")
        if kind == "weight":
            w = wl[n] if weights == "symbolic" else rf"\left({wl[n]}\right)"
            rhs = f"{lat[preds[0]]} {w}"
        elif kind == "sum":
            rhs = " + ".join(lat[p] for p in preds)
        elif kind == "activation":
            name = attrs["activation"]
            if name not in acts:
                with sp.evaluate(False):
                    acts[name] = sp.latex(get_activation(name).sympy(sp.Symbol("ARG")),
                                          order="none")
            rhs = acts[name].replace("ARG", lat[preds[0]])
        else:
            rhs = lat[preds[0]]
        lines.append(f"{lat[n]} &= {rhs}")
    return lines


# -- the layered (indexed) form ----------------------------------------------------------
def layer_table(net: Network) -> list[dict[str, Any]]:
    """Describe a fully layered network per layer, or raise :class:`NotLayeredError`.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    list of dict
        One row per layer: ``layer``, ``n_in`` (pass-through nodes, bias included),
        ``n_out``, ``bias`` (whether x_0 exists) and ``activation`` (a name or None).

    Raises
    ------
    NotLayeredError
        A layer is not dense (each sum fed by every ``x_i`` of its layer) or mixes
        activations; the message names the layer.

    Examples
    --------
    >>> import dagnet
    >>> for row in layer_table(dagnet.mlp([2, 3, 1], ["tanh", "identity"])):
    ...     print(row)
    {'layer': 1, 'n_in': 3, 'n_out': 3, 'bias': True, 'activation': 'tanh'}
    {'layer': 2, 'n_in': 4, 'n_out': 1, 'bias': True, 'activation': 'identity'}
    """
    net = as_network(net)
    s = net.validate()
    G = net.graph
    node, pred, _ = adjacency(G)  # raw dicts: views cost ~1 us per call, on 135k nodes
    by_layer: dict[int, list] = {L: [] for L in s.layers}
    for n, attrs in node.items():
        if attrs["kind"] != "weight":
            by_layer[attrs["layer"]].append(n)
    others = {n for nodes in by_layer.values() for n in nodes}  # every node but the weights
    rows = []
    for L in s.layers:
        nodes = by_layer[L]
        xs = {n for n in nodes if node[n]["kind"] in ("input", "bias")}
        sums = [n for n in nodes if node[n]["kind"] == "sum"]
        acts = {node[n].get("activation") for n in nodes if node[n]["kind"] == "activation"}
        has_act = any(node[n]["kind"] == "activation" for n in nodes)
        if not sums or len(acts) > 1:
            raise NotLayeredError(f"layer {L} is not a dense layer (sums: {len(sums)}, "
                                  f"activations: {sorted(map(str, acts))}); use form='nodes'")
        for v in sums:  # exactly one weight from every x_i of the layer (and nothing else);
            # the weights' sources, gathered at C speed (each weight has exactly one input)
            ps = pred[v]
            if (len(ps) != len(xs) or not others.isdisjoint(ps)
                    or set(chain.from_iterable(map(pred.__getitem__, ps))) != xs):
                raise NotLayeredError(
                    f"sum {v!r} is not fed by a weight from every node x_i of layer {L}; the "
                    "indexed form needs fully connected layers: use form='nodes'")
        rows.append({"layer": L, "n_in": len(xs), "n_out": len(sums),
                     "bias": any(node[x]["kind"] == "bias" for x in xs),
                     "activation": acts.pop() if has_act else None})
    return rows


def indexed_layers(net: Network) -> tuple[list[dict[str, Any]], sp.Symbol, sp.Symbol]:
    """:func:`layer_table` rows with the indexed form's names, and the indices ``i, j``.

    Each row gains ``sup`` (``"^"`` and the Roman layer, ``""`` for a one-layer network),
    ``lo``/``hi`` (the range of ``i`` over the layer's x_i) and ``value`` (the letter of
    the layer's result: ``y``, or ``v`` without an activation). Shared by the forward
    and the backward (:mod:`dagnet.symbolic.backward`) indexed forms.

    Parameters
    ----------
    net : Network
        A layered network.

    Returns
    -------
    rows : list of dict
        One per layer, as above.
    i, j : sympy.Symbol
        The summation index and the unit index (non-negative integers).

    Raises
    ------
    NotLayeredError
        If the network is not layered (see :func:`layer_table`).

    Examples
    --------
    >>> import dagnet
    >>> rows, i, j = indexed_layers(dagnet.mlp([2, 3, 1], "tanh"))
    >>> [(r["sup"], r["lo"], r["hi"], r["value"]) for r in rows]
    [('^I', 0, 2, 'y'), ('^II', 0, 3, 'y')]
    """
    net = as_network(net)
    rows = layer_table(net)
    i, j = sp.symbols("i j", integer=True, nonnegative=True)
    for row in rows:
        row["sup"] = f"^{_roman(row['layer'])}" if len(rows) > 1 else ""
        row["lo"], row["hi"] = (0, row["n_in"] - 1) if row["bias"] else (1, row["n_in"])
        row["value"] = "v" if row["activation"] is None else "y"
    return rows, i, j


def _indexed_equations(net: Network) -> list[sp.Eq]:
    rows, i, j = indexed_layers(net)
    out = []
    for k, row in enumerate(rows):
        x, w, u, v, y = (sp.IndexedBase(c + row["sup"]) for c in "xwuvy")
        if row["bias"]:
            out.append(sp.Eq(x[0], 1))
        if k:
            prev = rows[k - 1]
            out.append(sp.Eq(x[j + 1], sp.IndexedBase(prev["value"] + prev["sup"])[j],
                             evaluate=False))
        out.append(sp.Eq(u[i, j], sp.Mul(x[i], w[i, j], evaluate=False), evaluate=False))
        out.append(sp.Eq(v[j], sp.Sum(u[i, j], (i, row["lo"], row["hi"])), evaluate=False))
        if row["activation"] is not None:
            act = get_activation(row["activation"])
            with sp.evaluate(False):
                out.append(sp.Eq(y[j], act.sympy(v[j]), evaluate=False))
    return out


def _j_range(n: int, letter: str = "j", lo: int = 0) -> str:
    """``j = 0, 1, 2`` (or ``j = 0, \\ldots, 10``): the values an index runs over."""
    if n <= 4:
        return f"{letter} = " + ", ".join(map(str, range(lo, lo + n)))
    return rf"{letter} = {lo}, \ldots, {lo + n - 1}"


def _act_latex(name: str, arg: str) -> str:
    with sp.evaluate(False):
        text = sp.latex(get_activation(name).sympy(sp.Symbol("ARG")), order="none")
    return text.replace("ARG", arg)


def _indexed_latex_lines(net: Network) -> list[str]:
    """The article's compact form, one block per layer, in its notation.

    ``u_{ij,L} = x_{i,L} w_{ij,L}`` (the input first, as in every other form), the range of
    ``j`` stated on the first line that uses it (so a layer's number of units shows), and
    ``j`` written 0 where a layer has a single unit (the article's ``u_{i0}``).
    """
    rows, _, _ = indexed_layers(net)
    lines = []
    for k, row in enumerate(rows):
        layer = row["sup"][1:]
        one = row["n_out"] == 1
        jj = "0" if one else "j"

        def n(letter: str, sub: str, layer: str = layer) -> str:
            return _subscripted(letter, sub, layer)

        if row["bias"]:
            lines.append(f"{n('x', '0')} &= 1")
        if k:
            prev = rows[k - 1]
            p1 = prev["n_out"] == 1
            lhs = n("x", "1" if p1 else "j+1")
            rhs = n(prev["value"], "0" if p1 else "j", prev["sup"][1:])
            lines.append(f"{lhs} &= {rhs}" + ("" if p1 else rf" \qquad {_j_range(prev['n_out'])}"))
        lines.append(f"{n('u', 'i' + jj)} &= {n('x', 'i')} {n('w', 'i' + jj)}"
                     + ("" if one else rf" \qquad {_j_range(row['n_out'])}"))
        lines.append(f"{n('v', jj)} &= \\sum_{{i={row['lo']}}}^{{{row['hi']}}} {n('u', 'i' + jj)}")
        if row["activation"] is not None:
            lines.append(f"{n('y', jj)} &= {_act_latex(row['activation'], n('v', jj))}")
    return lines


def generic_latex(net: Network) -> str:
    r"""The layer-generic form: one set of equations for every layer ``L``.

    The article, once two layers work alike: "we can reduce this to one set of equations,
    adding a subscript capital L to represent which layer we're talking about". The last
    line lists each layer's ranges (the number of units of every layer).

    Parameters
    ----------
    net : Network
        A layered network whose layers all have a bias node and the same activation
        (or none), such as :func:`dagnet.mlp`.

    Returns
    -------
    str
        A LaTeX ``align`` block.

    Raises
    ------
    NotLayeredError
        If the network is not layered, or its layers differ in bias or activation.

    Examples
    --------
    >>> import dagnet
    >>> print(generic_latex(dagnet.mlp([1, 2, 1], None)))
    \begin{align}
    x_{0,L} &= 1 \\
    x_{j+1,L+1} &= v_{j,L} \\
    u_{ij,L} &= x_{i,L} w_{ij,L} \\
    v_{j,L} &= \sum_{i} u_{ij,L} \\
    &L = \mathrm{I}: i = 0, 1,\ j = 0, 1; \quad L = \mathrm{II}: i = 0, 1, 2,\ j = 0
    \end{align}
    """
    rows, _, _ = indexed_layers(net)
    acts = {r["activation"] for r in rows}
    if len(acts) > 1 or not all(r["bias"] for r in rows):
        raise NotLayeredError("the generic form needs every layer to have a bias node and the "
                              "same activation; use form='indexed'")
    act = acts.pop()
    value = "v" if act is None else "y"
    lines = [r"x_{0,L} &= 1", rf"x_{{j+1,L+1}} &= {value}_{{j,L}}",
             r"u_{ij,L} &= x_{i,L} w_{ij,L}", r"v_{j,L} &= \sum_{i} u_{ij,L}"]
    if act is not None:
        lines.append(rf"y_{{j,L}} &= {_act_latex(act, 'v_{j,L}')}")
    ranges = []
    for r in rows:
        i = _j_range(r["hi"] - r["lo"] + 1, "i", r["lo"])
        ranges.append(rf"L = \mathrm{{{r['sup'][1:] or 'I'}}}: {i},\ {_j_range(r['n_out'])}")
    lines.append("&" + r"; \quad ".join(ranges))
    return "\\begin{align}\n" + " \\\\\n".join(lines) + "\n\\end{align}"


def _roman(L: int) -> str:
    from ..core.structure import roman
    return roman(L)
