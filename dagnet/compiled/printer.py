"""The block-code printer: the forward pass as numpy code, printed from the matrix form.

Both compiled arrows run the network forward block by block: ``net.compile()``
(:mod:`dagnet.compiled.forward`) and the forward part of ``compile_gradient()``
(:mod:`dagnet.compiled.backprop`). Both get that code from here, printed from one source,
the matrix equations of :class:`~dagnet.symbolic.matrixform.MatrixForm`
(``net.equations(form="matrix")``). One walk over the equations reads every block the same
way and prints its parts the same way:

* a value matrix (``X``, ``V1``, ``Y2``) prints as its name in the code, a
  ``MatrixSlice`` as a slice of its columns, a ``BlockMatrix`` as the join of its parts
  and ``1_n`` as the column of ones ``_1`` (made once, when a bias is read as a value);
* a sum block ``V = S W + 1_n B``: the block matrices ``W`` and ``B`` gathered from the
  extended weight vector ``_wx`` (:func:`~dagnet.core.blocks.extend_weights`) with the
  plan's index arrays (weights on a shared slot added with ``np.add.at``), then the
  product: a broadcast product when ``S`` has one column, a matrix product otherwise;
* an activation group ``Y = f.(S)``: the registry's numpy form ``_f_<name>`` on ``S``.

Two targets write the statements:

* :class:`ForwardCode` (``compile()``): ``_prepare(_wx)`` gathers the block matrices for
  any leading draw axes, ``_forward`` writes each block into a preallocated buffer
  (``np.matmul(S, W, out=V)``), an activation in place where the form says it overwrites
  its sum, with a comment stating each block's equation;
* :class:`GradientCode` (the start of ``compile_gradient()``'s ``_run``): plain
  expressions on 2-D arrays that keep every value the backward pass reads again, the
  pre-activation ``V<b>``, the activation ``Y<b>`` and any gathered input (``S<b>``,
  ``A<b>``), named by block number ``b`` of the plan.

Examples
--------
One matrix form, both targets (``Y1 = relu.(V1)`` overwrites ``V1`` in the forward code;
the gradient keeps ``V1`` and ``Y2`` for its backward pass):

>>> import dagnet
>>> from dagnet.symbolic.matrixform import MatrixForm
>>> form = MatrixForm(dagnet.mlp([2, 2, 1], ["relu", "identity"]))
>>> forward = ForwardCode(form).source()
>>> print(forward[forward.index("def _forward"):])
def _forward(X, OUT, _V, W1, B1, W2, B2):
    V1, V2 = _V
    # V1 = X @ W1 + B1
    np.matmul(X, W1, out=V1)
    V1 += B1
    V1 = _f_relu(V1)
    # V2 = V1 @ W2 + B2
    np.matmul(V1, W2, out=V2)
    V2 += B2
    OUT[...] = V2
<BLANKLINE>
>>> code = GradientCode(form)
>>> print("\\n".join(code.body + [f"_OUT = {code.out}"]))
W1 = _wx[_I1]
B1 = _wx[_J1]
V1 = X @ W1
V1 += B1
Y2 = _f_relu(V1)
W3 = _wx[_I3]
B3 = _wx[_J3]
V3 = Y2 @ W3
V3 += B3
_OUT = V3
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from sympy.printing.printer import Printer

from ..core.activations import BUILTIN, get_activation
from ..core.blocks import ONES, ActGroup, SumBlock, X

_BUILTIN_NAMES = frozenset(a.name for a in BUILTIN)
_WORD = re.compile(r"[A-Za-z_]\w*")

if TYPE_CHECKING:
    from ..symbolic.matrixform import MatrixForm

__all__ = ["BlockCode", "ForwardCode", "GradientCode"]


def _matrix(name: str, index: str, idx: np.ndarray, dups: tuple | None, consts: dict,
            lead: str) -> list[str]:
    """Code for ``name = _wx[index]`` with the weights of shared slots added (``dups`` of a
    :class:`~dagnet.core.blocks.SumBlock`), its index arrays stored in ``consts`` as
    ``index`` and ``_D<name>_0``, ``_D<name>_1``, ..., ``_D<name>_k``; ``lead`` is "..., "
    when ``_wx`` has leading (draw) axes."""
    consts[index] = idx
    lines = [f"{name} = _wx[{lead}{index}]"]
    if dups is not None:
        *at, ks = dups
        where = []
        for axis, a in enumerate(at):
            consts[f"_D{name}_{axis}"] = a
            where.append(f"_D{name}_{axis}")
        consts[f"_D{name}_k"] = ks
        slots = ", ".join(["Ellipsis", *where] if lead else where)
        slots += "," if len(where) == 1 and not lead else ""  # a tuple of one
        lines.append(f"np.add.at({name}, ({slots}), _wx[{lead}_D{name}_k])")
    return lines


class _Values(Printer):
    """A value expression of the matrix form as code: a matrix symbol as its name in the
    code, a ``MatrixSlice`` as ``part`` (``{var}``, ``{a}``, ``{b}``), a ``BlockMatrix``
    as ``cat`` (``{parts}``) and ``1_n`` as ``_1`` (written once, when first read)."""

    printmethod = "_dagnet_numpy"

    def __init__(self, code: BlockCode):
        super().__init__()
        self.code = code

    def _print_MatrixSymbol(self, expr: Any) -> str:
        return self.code.symbols[expr.name]

    def _print_MatrixSlice(self, expr: Any) -> str:
        a, b, _ = expr.colslice
        return self.code.part.format(var=self._print(expr.parent), a=a, b=b)

    def _print_BlockMatrix(self, expr: Any) -> str:
        return self.code.cat.format(parts=", ".join(map(self._print, expr.blocks)))

    def _print_OneMatrix(self, expr: Any) -> str:
        self.code._one_column()
        return "_1"


class BlockCode:
    """The forward pass of a matrix form as code: the walk over its equations both targets
    share (see the module docs). A target writes the statements of a block in ``_sum``
    and ``_activation``; every value expression it prints goes through ``_code``, every
    block matrix through ``_block_matrix`` and every activation through ``_function``.

    Parameters
    ----------
    form : MatrixForm
        The equations to print (its ``plan`` gives the index arrays and block order).

    Attributes
    ----------
    body : list of str
        The statements, in evaluation order (not indented).
    out : str
        The code of the network's outputs (the right-hand side of ``OUT``).
    consts : dict
        Names the code reads -> their values (index arrays, ``_f_<name>`` activations).
    functions : dict
        Activation name -> its suffix in the code (see :meth:`suffix`).
    names : dict
        Plan var (:data:`~dagnet.core.blocks.X`, ``ONES``, block vars) -> the name of
        its value in the code.
    symbols : dict
        Name of each value matrix of the form (``X``, ``V1``, ``Y1``) -> its name in the
        code.
    inputs : dict
        Block var -> the code of the block's input ``S`` (sum blocks with sources and
        activation groups).
    n_blocks : int
        Blocks the code computes values for.
    """

    #: Code of columns ``{a}:{b}`` of a value ``{var}``, and of values side by side.
    part = ""
    cat = ""
    #: Index prefix for the leading (draw) axes of ``_wx``.
    lead = ""

    def __init__(self, form: MatrixForm):
        self.form = form
        self.plan = form.plan
        self.body: list[str] = []
        self.consts: dict[str, Any] = {}
        self.functions: dict[str, str] = {}
        self.names: dict[int, str] = {X: "X", ONES: "_1"}
        self.symbols: dict[str, str] = {"X": "X"}
        self.inputs: dict[int, str] = {}
        self.n_blocks = 0
        self._ones = False
        self._printer = _Values(self)
        *eqs, out = form.equations
        for b, (block, eq) in enumerate(zip(self.plan.blocks, eqs), start=1):
            if isinstance(block, SumBlock):
                terms = eq.rhs.args if isinstance(eq.rhs, sp.MatAdd) else (eq.rhs,)
                bias = [t.args[1] for t in terms if isinstance(t.args[0], sp.OneMatrix)]
                prod = [t.args for t in terms if not isinstance(t.args[0], sp.OneMatrix)]
                src, w = prod[0] if prod else (None, None)
                self._sum(b, block, eq.lhs, src, w, bias[0] if bias else None)
            else:
                self._activation(b, block, eq.lhs, eq.rhs.expr,
                                self.form.functions[eq.rhs.function])
        self.out = self._code(out.rhs)

    # -- shared by the targets ------------------------------------------------------------
    def _code(self, expr: Any) -> str:
        """The code of a value expression of the form (may write ``_1`` first)."""
        return self._printer.doprint(expr)

    def _one_column(self) -> None:
        """Write the column of ones ``_1`` (once): a bias read as a value."""
        if not self._ones:
            self._ones = True
            self.body.append("_1 = np.ones((X.shape[0], 1))")

    def _name(self, block: SumBlock | ActGroup, lhs: Any, code: str) -> str:
        """Name the value ``lhs`` of ``block`` ``code`` in the code; returns ``code``."""
        self.symbols[lhs.name] = self.names[block.var] = code
        return code

    def _block_matrix(self, name: str, idx: np.ndarray, dups: tuple | None) -> list[str]:
        """Code gathering the block matrix ``W<k>`` (or ``B<k>``) from ``_wx`` with the
        index array ``idx`` (kept as ``_I<k>``, or ``_J<k>``) and the shared slots ``dups``."""
        index = f"_{'I' if name[0] == 'W' else 'J'}{name[1:]}"
        return _matrix(name, index, idx, dups, self.consts, self.lead)

    def suffix(self, name: str) -> str:
        """The suffix of activation ``name``'s functions in the code (``_f_<suffix>``).

        A built-in activation's own name (dagnet's ASCII words); ``u0``, ``u1``, ... for
        the user's activations in order of appearance, never their text: Python folds
        identifiers to NFKC, so ``"ﬁ"`` and ``"fi"`` would be one name.
        """
        if name not in self.functions:
            users = sum(k != v for k, v in self.functions.items())
            self.functions[name] = name if name in _BUILTIN_NAMES else f"u{users}"
        return self.functions[name]

    def _function(self, name: str) -> str:
        """The code's name ``_f_<suffix>`` of the registry's numpy form of activation ``name``."""
        fn = f"_f_{self.suffix(name)}"
        self.consts[fn] = get_activation(name).numpy
        return fn

    # -- written by each target -----------------------------------------------------------
    def _sum(self, b: int, block: SumBlock, lhs: Any, src: Any, w: Any, bias: Any) -> None:
        """Statements of sum block number ``b``: ``lhs = src w + 1 bias`` (``src`` and
        ``w`` None without sources, ``bias`` None without a bias term)."""
        raise NotImplementedError

    def _activation(self, b: int, group: ActGroup, lhs: Any, src: Any, name: str) -> None:
        """Statements of block number ``b``, ``lhs = f.(src)`` with activation ``name``."""
        raise NotImplementedError


@dataclass
class _Dense:
    """A printed dense block ``var = src @ w + b`` (``d`` inputs, ``m`` outputs) that a
    chain may take: its first body line ``at`` (its comment), its end ``end`` (set once its
    lines are final), and the code of its fused activation (0: none)."""

    var: str
    src: str
    w: str
    b: str
    d: int
    m: int
    at: int
    act: int = 0
    end: int = -1


class ForwardCode(BlockCode):
    """``_prepare`` and ``_forward`` of ``compile()`` (see the module docs).

    Attributes
    ----------
    prep : list of str
        The body of ``_prepare(_wx)``.
    mats : list of str
        The block matrices ``_prepare`` returns and ``_forward`` takes, in order.
    buffers : list of (str, int)
        The preallocated block outputs ``_forward`` fills: name and columns.
    macs : int
        Multiply-adds per row of the largest block product.

    Parameters
    ----------
    form : MatrixForm
        The equations to print.
    fused : bool
        Print a block ``V = S W + B`` and the activation of :data:`~dagnet.compiled.fused.FAST`
        that overwrites it as calls of the fused kernels (:mod:`dagnet.compiled.fused`, which
        must be available): ``_fused(S, W, B, V, _A_<f>)`` when ``S`` has at most
        :data:`~dagnet.compiled.fused.FUSE_FAN_IN` columns, else the product and
        ``_bias_act(B, V, _A_<f>)``; then each run of thin blocks that feed only each
        other as one ``_chain(S, C<c>, _NC<c>, _AC<c>, V)`` (:func:`~dagnet.compiled.fused.chain`).
    """

    part = "{var}[..., {a}:{b}]"
    cat = "_cat([{parts}])"
    lead = "..., "

    def __init__(self, form: MatrixForm, fused: bool = False):
        self.prep: list[str] = []
        self.mats: list[str] = []
        self.buffers: list[tuple[str, int]] = []
        self.macs = 0
        self.fused = fused
        self._fusable: dict[str, tuple] = {}  # sum var -> (body index, S, W, B, d)
        self._dense: list[_Dense] = []  # the blocks with a bias, in order
        super().__init__(form)
        if fused:
            self._chains()

    def _gather(self, name: str, idx: np.ndarray, dups: tuple | None) -> None:
        self.prep += self._block_matrix(name, idx, dups)
        self.mats.append(name)

    def _sum(self, b: int, block: SumBlock, lhs: Any, src: Any, w: Any, bias: Any) -> None:
        self.n_blocks += 1
        var = self._name(block, lhs, lhs.name)
        plus = ""
        if w is not None:
            d, m = map(int, w.shape)  # plain ints: sympy Integers would slow every call
            self.macs = max(self.macs, d * m)
            self._gather(w.name, block.index, block.dups)
        if bias is not None:
            B = bias.name
            self._gather(B, block.bias, block.bias_dups)
            self.prep.append(f"{B} = {B}[..., None, :]")
            plus = f" + {B}" if w is not None else ""
        if w is None:
            self.body += [f"# {var} = {B}", f"{var}[...] = {B}"]
        else:
            s = self.inputs[block.var] = self._code(src)
            if d == 1:  # fan-in 1: a broadcast product beats a matrix product with inner size 1
                self.body += [f"# {var} = {s} * {w.name}{plus}",
                              f"np.multiply({s}, {w.name}, out={var})"]
            else:
                self.body += [f"# {var} = {s} @ {w.name}{plus}",
                              f"np.matmul({s}, {w.name}, out={var})"]
            if bias is not None:
                self.body.append(f"{var} += {B}")
                self._fusable[var] = (len(self.body) - 2, s, w.name, B, d)
                if block.dups is None and block.bias_dups is None:
                    self._dense.append(_Dense(var, s, w.name, B, d, m, len(self.body) - 3))
        self.buffers.append((var, int(lhs.shape[1])))

    def _fuse(self, var: str, function: Any) -> bool:
        """Rewrite the block just printed into ``var`` with the fused kernel of the
        activation whose numpy form is ``function`` (see the class docs); False when it does
        not apply."""
        from .fused import FAST, FUSE_FAN_IN

        kernels = {get_activation(n).numpy: n for n in FAST}
        name = kernels.get(function)
        if not self.fused or name is None or var not in self._fusable:
            return False
        at, s, w, b, d = self._fusable.pop(var)
        if at + 2 != len(self.body):  # something was printed after the block's bias
            return False
        code = f"_A_{name}"
        self.consts[code] = FAST[name]
        if self._dense and self._dense[-1].var == var:
            self._dense[-1].act = FAST[name]
        if d <= FUSE_FAN_IN:
            self.consts["_fused"] = _fused_kernels()[0]
            self.body[at:] = [f"_fused({s}, {w}, {b}, {var}, {code})"]
        else:
            self.consts["_bias_act"] = _fused_kernels()[1]
            self.body[at + 1:] = [f"_bias_act({b}, {var}, {code})"]
        return True

    def _chains(self) -> None:
        """Rewrite each run of two or more dense blocks that feed only each other, all no
        wider than :data:`~dagnet.compiled.fused.CHAIN_WIDTH` nor larger than
        :data:`~dagnet.compiled.fused.CHAIN_MACS`, each with a fused or no
        activation and one at least with a fused one, as one call
        ``_chain(S, C<c>, _NC<c>, _AC<c>, V)`` (see :func:`~dagnet.compiled.fused.chain`):
        ``_prepare`` gathers the run's weights into ``C<c>``, the widths are ``_NC<c>``
        and the activations' codes ``_AC<c>``."""
        from .fused import CHAIN_MACS, CHAIN_WIDTH

        reads = self._reads()
        runs: list[list[_Dense]] = []
        for rec in self._dense:
            rec.end = rec.at + (2 if self.body[rec.at + 1].startswith("_fused(") else 3)
            prev = runs[-1][-1] if runs and runs[-1] else None
            if max(rec.d, rec.m) > CHAIN_WIDTH or rec.d * rec.m > CHAIN_MACS:
                runs.append([])
            elif prev is not None and prev.end == rec.at and rec.src == prev.var and (
                    reads.get(prev.var) == [prev.at + 1, rec.at + 1]):
                runs[-1].append(rec)
            else:
                runs.append([rec])
        runs = [run for run in runs if len(run) > 1 and any(r.act for r in run)]
        calls = [self._chain(c, run) for c, run in enumerate(runs, start=1)]
        for run, call in reversed(list(zip(runs, calls))):  # later lines first
            self.body[run[0].at:run[-1].end] = [self.body[r.at] for r in run] + [call]

    def _reads(self) -> dict[str, list[int]]:
        """Name -> the lines of the body that use it, besides comments and a block's bias
        statements (``V += B``, ``_bias_act(B, V, f)``), and -1 when the outputs read it."""
        reads: dict[str, list[int]] = {}
        for i, ln in enumerate(self.body):
            if not ln.startswith(("#", "_bias_act(")) and " += " not in ln:
                for name in dict.fromkeys(_WORD.findall(ln)):
                    reads.setdefault(name, []).append(i)
        for name in dict.fromkeys(_WORD.findall(self.out)):
            reads.setdefault(name, []).append(-1)
        return reads

    def _chain(self, c: int, run: list[_Dense]) -> str:
        """Chain call number ``c`` for the blocks ``run`` (records of ``_dense``): its
        constants and its ``_prepare`` line; returns the call."""
        from .fused import FAST, chain

        self.consts["_chain"] = chain
        self.consts[f"_IC{c}"] = np.concatenate(
            [np.concatenate([np.ravel(self.consts[f"_I{r.w[1:]}"]),
                             np.ravel(self.consts[f"_J{r.b[1:]}"])]) for r in run])
        self.consts[f"_NC{c}"] = np.array([run[0].d] + [r.m for r in run], dtype=np.int64)
        self.consts[f"_AC{c}"] = np.array([r.act for r in run], dtype=np.int64)
        self.prep.append(f"C{c} = np.ascontiguousarray(_wx[..., _IC{c}])")
        self.mats.append(f"C{c}")
        names = {code: name for name, code in FAST.items()}
        acts = ", ".join(names.get(r.act, "none") for r in run)
        return f"_chain({run[0].src}, C{c}, _NC{c}, _AC{c}, {run[-1].var})  # activations {acts}"

    def _activation(self, b: int, group: ActGroup, lhs: Any, src: Any, name: str) -> None:
        fn = self._function(name)
        overwrites = self.form.overwrites
        if lhs.name in overwrites:  # in place: Y1 = f.(V1) written into V1's buffer
            var = self._name(group, lhs, self.symbols[overwrites[lhs.name]])
            self.inputs[group.var] = var
            if self._fuse(var, self.consts[fn]):
                return
            self.body.append(f"{fn}({var}, out={var})" if isinstance(self.consts[fn], np.ufunc)
                             else f"{var} = {fn}({var})")
            return
        self.n_blocks += 1
        s = self.inputs[group.var] = self._code(src)
        self.body.append(f"{self._name(group, lhs, lhs.name)} = {fn}({s})")

    def source(self) -> str:
        """The generated module text (see the module docs for an example).

        Returns
        -------
        str
            ``_prepare(_wx)`` (extended weights, any leading draw axes -> the block
            matrices ``mats``) and ``_forward(X, OUT, _V, *mats)`` (fills ``OUT`` using the
            preallocated buffers ``_V``).
        """
        mats = ", ".join(self.mats)
        lines = ["def _prepare(_wx):"]
        lines += [f"    {ln}" for ln in self.prep] or ["    pass"]
        lines.append(f"    return ({mats}{',' if len(self.mats) == 1 else ''})")
        lines.append("")
        lines.append(f"def _forward(X, OUT, _V{', ' if mats else ''}{mats}):")
        if self.buffers:
            names = ", ".join(v for v, _ in self.buffers)
            lines.append(f"    {names}{',' if len(self.buffers) == 1 else ''} = _V")
        lines += [f"    {ln}" for ln in self.body]
        lines.append(f"    OUT[...] = {self.out}")
        return "\n".join(lines) + "\n"


def _fused_kernels() -> tuple:
    """The fused kernels' entry points (imported when a target fuses a block)."""
    from .fused import bias_act, fused
    return fused, bias_act


class GradientCode(BlockCode):
    """The forward statements of the compiled gradient's ``_run`` (see the module docs):
    every value the backward pass reads is kept under ``names`` and ``inputs``."""

    part = "{var}[:, {a}:{b}]"
    cat = "np.concatenate([{parts}], axis=1)"
    lead = ""
    #: The array module's zeros, and whether a bias may be added in place (``+=``).
    zeros = "np.zeros"
    in_place = True

    def _input(self, block: SumBlock | ActGroup, src: Any, keep: str) -> str:
        """The block's input, kept as ``keep`` when gathered from several places."""
        s = self._code(src)
        if isinstance(src, sp.BlockMatrix):
            self.body.append(f"{keep} = {s}")
            s = keep
        self.inputs[block.var] = s
        return s

    def _sum(self, b: int, block: SumBlock, lhs: Any, src: Any, w: Any, bias: Any) -> None:
        self.n_blocks += 1
        var = self._name(block, lhs, f"V{b}")
        W, B = f"W{b}", f"B{b}"
        if w is not None:
            self.body += self._block_matrix(W, block.index, block.dups)
            s = self._input(block, src, f"S{b}")
        if bias is not None:
            self.body += self._block_matrix(B, block.bias, block.bias_dups)
        if w is None:
            self.body.append(f"{var} = {B} + {self.zeros}((X.shape[0], 1))")
        elif int(w.shape[0]) == 1:
            self.body.append(f"{var} = {s} * {W}" + (f" + {B}" if bias is not None else ""))
        elif self.in_place:
            self.body.append(f"{var} = {s} @ {W}")
            if bias is not None:
                self.body.append(f"{var} += {B}")
        else:
            self.body.append(f"{var} = {s} @ {W}" + (f" + {B}" if bias is not None else ""))

    def _activation(self, b: int, group: ActGroup, lhs: Any, src: Any, name: str) -> None:
        self.n_blocks += 1
        fn = self._function(name)
        var = self._name(group, lhs, f"Y{b}")
        self.body.append(f"{var} = {fn}({self._input(group, src, f'A{b}')})")
