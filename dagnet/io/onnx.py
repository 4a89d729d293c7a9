"""ONNX in and out: :func:`from_onnx` reads dense feed-forward graphs, :func:`to_onnx` writes
any network.

Reading treats the file as data: it is parsed by onnx's protobuf loader only (no external
data files, no custom operators, nothing executed, never unpickled) and interpreted op by op
on the way from the graph's input to the chosen output:

=======================  ==================================================================
op                       read as
=======================  ==================================================================
``MatMul``, ``Gemm``     a new layer's weights (``Gemm``: ``alpha``, ``beta``, ``transB``)
``Add``                  the layer's bias (a constant broadcast over the rows)
``Tanh``, ``Sigmoid``,   the layer's activation (``Sigmoid`` is ``logistic``)
``Relu``
``Identity``, ``Cast``   nothing (``Cast`` to float or double only; dagnet computes in float64)
``Softmax`` (last op)    nothing: the outputs are the logits, as :func:`dagnet.from_sklearn`
                         reads a multi-class classifier
=======================  ==================================================================

Weights (initializers or ``Constant`` nodes) must be float32 or float64; float32 is widened
to float64 exactly. Any other op on the path is refused with a
:class:`~dagnet.ModelImportError` naming the op and the node; so is a malformed file.

Writing lowers the network to the same dense blocks as ``net.compile()``
(:class:`dagnet.core.blocks.Plan`): each block is a ``MatMul`` and an ``Add`` (``Gather`` and
``Concat`` pick its inputs when it reads some columns or several earlier blocks, as skip
connections do), each activation group one ``Tanh``, ``Sigmoid`` or ``Relu``. A layered
network becomes the plain ``MatMul``/``Add``/activation chain that :func:`from_onnx` reads
back. The graph computes in float64: input ``X`` (n, n_inputs), output ``Y`` (n, n_outputs).

Examples
--------
>>> import os, tempfile, numpy as np, onnxruntime, dagnet
>>> net = dagnet.mlp([2, 3, 1], rng=0)
>>> path = dagnet.to_onnx(net, os.path.join(tempfile.mkdtemp(), "net.onnx"))
>>> X = np.random.default_rng(0).normal(size=(4, 2))
>>> session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
>>> bool(np.allclose(session.run(None, {"X": X})[0], net.compile()(X), rtol=0, atol=1e-12))
True
>>> back = dagnet.from_onnx(path)
>>> bool(np.array_equal(back.weights, net.weights))
True
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..core.atomic import write_bytes
from ..core.blocks import ONES, ActGroup, Plan, extend_weights, runs
from ..core.extras import needs
from ..core.graph import Network, as_network
from ..errors import ModelImportError, NetworkFileError
from .dense import Dense, dense_network, float_array

__all__ = ["from_onnx", "to_onnx", "ONNX_ACTIVATIONS"]

#: dagnet activation names <-> ONNX ops.
ONNX_ACTIVATIONS = {"tanh": "Tanh", "logistic": "Sigmoid", "relu": "Relu"}
_FROM_OP = {op: name for name, op in ONNX_ACTIVATIONS.items()}
_PASS = ("Identity", "Cast")
#: Largest .onnx file read (bytes).
MAX_ONNX_BYTES = 512 * 2**20


# -- reading ------------------------------------------------------------------------------
def _load(source: Any, onnx: Any) -> tuple[Any, str]:
    """The ModelProto of a path, bytes or ModelProto, and a name for messages."""
    if isinstance(source, onnx.ModelProto):
        return source, "the ONNX model"
    if isinstance(source, (bytes, bytearray)):
        data, where = bytes(source), "the ONNX bytes"
    elif isinstance(source, (str, os.PathLike)):
        where = os.fspath(source)
        try:
            with open(source, "rb") as fh:
                data = fh.read(MAX_ONNX_BYTES + 1)
        except OSError as exc:
            raise NetworkFileError(f"cannot read {where}: {exc.strerror or exc}") from None
        if len(data) > MAX_ONNX_BYTES:
            raise ModelImportError(f"{where}: more than {MAX_ONNX_BYTES} bytes; too big to read")
    else:
        raise ModelImportError(f"from_onnx takes a path, bytes or onnx.ModelProto, got "
                               f"{type(source).__name__}")
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)  # protobuf only: no external data, no code
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input
        raise ModelImportError(f"{where}: not an ONNX model ({type(exc).__name__}: "
                               f"{str(exc)[:200]}); export it again from its source") from None
    if not model.graph.node and not model.graph.output:
        raise ModelImportError(f"{where}: not an ONNX model (no graph); export it again")
    return model, where


def _constants(graph: Any, helper: Any, where: str) -> dict[str, np.ndarray]:
    consts: dict[str, np.ndarray] = {}
    tensors = [(t.name, t) for t in graph.initializer]
    tensors += [(node.output[0], a.t) for node in graph.node if node.op_type == "Constant"
                for a in node.attribute if a.name == "value" and node.output]
    for name, t in tensors:
        if t.data_location == 1:  # EXTERNAL: a file beside the model; never opened
            raise ModelImportError(f"{where}: tensor {name!r} keeps its data in an external "
                                   "file, which from_onnx does not read: save the model with "
                                   "its weights inside")
        try:
            consts[name] = helper.to_array(t)
        except Exception as exc:  # noqa: BLE001 - malformed tensor data
            raise ModelImportError(f"{where}: tensor {name!r} is malformed ({exc})") from None
    return consts


class _Reader:
    """Interprets the nodes on the path to one output as dense layers (see the module docs)."""

    def __init__(self, graph: Any, consts: dict, where: str):
        self.graph, self.consts, self.where = graph, consts, where
        inputs = [i.name for i in graph.input if i.name not in consts]
        if len(inputs) != 1:
            raise ModelImportError(f"{where}: the graph has {len(inputs)} inputs {inputs}; "
                                   "from_onnx reads models of one input matrix")
        self.input = inputs[0]
        elem = graph.input[[i.name for i in graph.input].index(self.input)].type.tensor_type
        if elem.elem_type not in (1, 11):  # FLOAT, DOUBLE
            raise ModelImportError(f"{where}: input {self.input!r} has ONNX element type "
                                   f"{elem.elem_type}; from_onnx reads float or double inputs")
        self.producer = {out: node for node in graph.node for out in node.output}

    def needed(self, output: str) -> list:
        """The nodes that ``output`` depends on, in graph order."""
        need, stack = set(), [output]
        while stack:
            name = stack.pop()
            node = self.producer.get(name)
            if node is None or id(node) in need:
                continue
            need.add(id(node))
            stack += list(node.input)
        return [n for n in self.graph.node if id(n) in need and n.op_type != "Constant"]

    def layers(self, output: str) -> list[Dense]:
        layers: list[Dense] = []
        # state of a tensor: ("open", k) = layer k's sums; ("closed", k) = its values;
        # ("softmax", k) = the softmax of layer k's sums
        state: dict[str, tuple[str, int]] = {self.input: ("closed", 0)}
        for node in self.needed(output):
            self._step(node, state, layers)
        if output not in state:
            raise ModelImportError(f"{self.where}: output {output!r} does not depend on the "
                                   f"input {self.input!r}")
        return layers

    def _refuse(self, node: Any, why: str) -> ModelImportError:
        return ModelImportError(f"{self.where}: node {node.name or node.output[0]!r} "
                                f"({node.op_type}): {why}")

    def _tensor_input(self, node: Any, state: dict) -> tuple[str, int]:
        known = [state[i] for i in node.input if i in state]
        if len(known) > 1:
            raise self._refuse(node, "reads the input along more than one path (a skip "
                               "connection); from_onnx reads chains of dense layers")
        if not known:
            raise self._refuse(node, "computes from constants only; from_onnx reads ops "
                               "applied to the input's values")
        return known[0]

    def _const(self, node: Any, name: str) -> np.ndarray:
        if name not in self.consts:
            raise self._refuse(node, f"its input {name!r} is not a constant")
        return float_array(self.consts[name], f"{self.where}: tensor {name!r}")

    def _step(self, node: Any, state: dict, layers: list[Dense]) -> None:
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            raise self._refuse(node, f"op of domain {node.domain!r} is not supported")
        status, k = self._tensor_input(node, state)
        if status == "softmax" and op not in _PASS:
            raise self._refuse(node, "follows a Softmax; from_onnx reads a Softmax only as the "
                               "last op")
        if op in ("MatMul", "Gemm"):
            if status == "open":  # two products in a row: a layer without activation
                status = "closed"
            W, b = self._product(node, state, op)
            if W.shape[0] != (layers[-1].W.shape[1] if layers else W.shape[0]):
                raise self._refuse(node, f"weights of shape {W.shape} after a layer of "
                                   f"{layers[-1].W.shape[1]} values")
            layers.append(Dense(W, b, None))
            state[node.output[0]] = ("open", len(layers))
        elif op == "Add":
            if status != "open":
                raise self._refuse(node, "adds a constant to values that are not a layer's "
                                   "sums (Add must follow MatMul)")
            const = [i for i in node.input if i not in state]
            b = self._const(node, const[0]).reshape(-1) if len(const) == 1 else None
            if b is None or b.shape not in ((layers[-1].b.size,), (1,)):
                raise self._refuse(node, "the bias does not match the layer's "
                                   f"{layers[-1].b.size} sums")
            layers[-1].b = layers[-1].b + b
            state[node.output[0]] = ("open", k)
        elif op in _FROM_OP:
            if status != "open":
                raise self._refuse(node, "an activation must follow a MatMul/Gemm (and Add)")
            layers[-1].activation = _FROM_OP[op]
            state[node.output[0]] = ("closed", k)
        elif op in _PASS:
            self._check_cast(node)
            state[node.output[0]] = (status, k)
        elif op == "Softmax" and status == "open":
            state[node.output[0]] = ("softmax", k)
        else:
            raise self._refuse(node, "unsupported op; from_onnx reads MatMul, Gemm, Add, Tanh, "
                               "Sigmoid, Relu, Identity, Cast and a final Softmax")

    def _check_cast(self, node: Any) -> None:
        if node.op_type == "Cast":
            to = [a.i for a in node.attribute if a.name == "to"]
            if to not in ([1], [11]):
                raise self._refuse(node, f"casts to ONNX type {to}; only float and double "
                                   "are supported")

    def _product(self, node: Any, state: dict, op: str) -> tuple[np.ndarray, np.ndarray]:
        if node.input[0] not in state or len(node.input) < 2 or node.input[1] in state:
            raise self._refuse(node, "must multiply the values by a constant weight matrix "
                               "(values first)")
        W = self._const(node, node.input[1])
        attrs = {a.name: a for a in node.attribute}
        if op == "Gemm":
            if attrs.get("transA") is not None and attrs["transA"].i:
                raise self._refuse(node, "transA=1 is not supported")
            if attrs.get("transB") is not None and attrs["transB"].i:
                W = W.T
            W = W * (attrs["alpha"].f if "alpha" in attrs else 1.0)
        if W.ndim != 2:
            raise self._refuse(node, f"weights of shape {W.shape}; a matrix is needed")
        b = np.zeros(W.shape[1])
        if op == "Gemm" and len(node.input) > 2 and node.input[2]:
            c = self._const(node, node.input[2]).reshape(-1)
            beta = attrs["beta"].f if "beta" in attrs else 1.0
            if c.shape not in ((W.shape[1],), (1,)):
                raise self._refuse(node, f"bias of shape {c.shape} for {W.shape[1]} sums")
            b = b + beta * c
        return W, b


def from_onnx(model: Any, output: str | None = None) -> Network:
    """An ONNX model of dense layers as an explicit network (see the module docs).

    Parameters
    ----------
    model : str, path, bytes or onnx.ModelProto
        The ``.onnx`` file, its bytes, or a loaded model.
    output : str, optional
        The graph output to read. None: the first output whose path the supported ops
        compute (a skl2onnx classifier's ``probabilities``, not its ``label``).

    Returns
    -------
    Network
        One layer per ``MatMul``/``Gemm``.

    Raises
    ------
    MissingExtraError
        onnx is not installed.
    ModelImportError
        A malformed file, an unsupported op (naming op and node), shapes that do not chain,
        a non-float dtype.
    NetworkFileError
        The file cannot be read.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.from_onnx(b"not onnx at all")
    Traceback (most recent call last):
    ...
    dagnet.errors.ModelImportError: the ONNX bytes: not an ONNX model ...
    """
    with needs("onnx", "dagnet.from_onnx"):
        import onnx
        from onnx import numpy_helper as helper
    proto, where = _load(model, onnx)
    reader = _Reader(proto.graph, _constants(proto.graph, helper, where), where)
    names = [o.name for o in proto.graph.output]
    if output is not None:
        if output not in names:
            raise ModelImportError(f"{where}: no output named {output!r}; outputs: {names}")
        return dense_network(reader.layers(output))
    first: ModelImportError | None = None
    for name in names:
        try:
            layers = reader.layers(name)
        except ModelImportError as exc:
            first = first or exc
            continue
        return dense_network(layers)
    raise first or ModelImportError(f"{where}: the graph has no output")


# -- writing ------------------------------------------------------------------------------
class _Writer:
    """Emits the ONNX nodes of a :class:`Plan` (one tensor per var)."""

    def __init__(self, onnx: Any, helper: Any, n_inputs: int):
        self.onnx, self.helper = onnx, helper
        self.nodes: list = []
        self.inits: list = []
        self.names = ["X", None]  # var -> tensor name; var 1 (ones) made when first read

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(self.helper.from_array(value, name))
        return name

    def op(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def var(self, v: int) -> str:
        if v == ONES and self.names[ONES] is None:
            shape = self.op("Shape", ["X"], "rows_shape", start=0, end=1)
            width = self.const("one_column", np.array([1], dtype=np.int64))
            full = self.op("Concat", [shape, width], "ones_shape", axis=0)
            value = self.helper.from_array(np.array([1.0]), "one")
            self.names[ONES] = self.op("ConstantOfShape", [full], "ones", value=value)
        return self.names[v]

    def gather(self, locs: list, widths: list, tag: str) -> str:
        """The tensor of the columns ``locs`` side by side."""
        parts = []
        for k, (v, a, b) in enumerate(runs(locs)):
            if a == 0 and b == widths[v]:
                parts.append(self.var(v))
            else:
                cols = self.const(f"{tag}_cols{k}", np.arange(a, b, dtype=np.int64))
                parts.append(self.op("Gather", [self.var(v), cols], f"{tag}_part{k}", axis=1))
        if len(parts) == 1:
            return parts[0]
        return self.op("Concat", parts, f"{tag}_in", axis=1)


def _matrices(block: Any, wx: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """A sum block's ``W`` (d, m) and ``B`` (m,) from the extended weights."""
    W = None
    if block.index is not None:
        W = wx[block.index]
        if block.dups is not None:
            np.add.at(W, (block.dups[0], block.dups[1]), wx[block.dups[2]])
    m = len(block.nodes)
    B = np.zeros(m) if block.bias is None else wx[block.bias]
    if block.bias_dups is not None:
        np.add.at(B, block.bias_dups[0], wx[block.bias_dups[1]])
    return W, B


def to_onnx(net: Any, path: str | os.PathLike) -> str:
    """Write ``net`` as an ONNX model (atomically); return the path.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        Any network with its weights set (layered or not, skip connections included) whose
        activations are identity, logistic, tanh or relu.
    path : str or path
        The ``.onnx`` file to write.

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    MissingExtraError
        onnx is not installed.
    ModelImportError
        An activation ONNX has no op for.
    MissingWeightError
        A weight is unset.
    NetworkFileError
        The file cannot be written.

    Examples
    --------
    >>> import os, tempfile, onnx, dagnet
    >>> p = to_onnx(dagnet.linear(2, rng=0), os.path.join(tempfile.mkdtemp(), "plane.onnx"))
    >>> [node.op_type for node in onnx.load(p).graph.node]
    ['MatMul', 'Add']
    """
    net = as_network(net)
    with needs("onnx", "dagnet.to_onnx"):
        import onnx
        from onnx import numpy_helper as helper
    wx = extend_weights(net.weights)
    plan = Plan(net)
    w = _Writer(onnx, helper, net.n_inputs)
    for block in plan.blocks:
        tag = f"b{block.var}"
        src = w.gather(block.srcs, plan.width, tag) if block.srcs else None
        if isinstance(block, ActGroup):
            if block.name not in ONNX_ACTIVATIONS:
                raise ModelImportError(f"activation {block.name!r} (node {block.nodes[0]!r}) has "
                                       f"no ONNX op; to_onnx writes "
                                       f"{', '.join(ONNX_ACTIVATIONS)} and identity")
            w.names.append(w.op(ONNX_ACTIVATIONS[block.name], [src], f"{tag}_y"))
            continue
        W, B = _matrices(block, wx)
        if W is None:  # sums of bias terms only: ones (n, 1) @ B (1, m)
            W, B, src = B[None, :], np.zeros_like(B), w.var(ONES)
        prod = w.op("MatMul", [src, w.const(f"{tag}_W", W)], f"{tag}_xw")
        w.names.append(w.op("Add", [prod, w.const(f"{tag}_B", B)], f"{tag}_v"))
    out = w.gather(plan.outputs, plan.width, "out")
    if w.nodes and w.nodes[-1].output[0] == out:  # the last op's result is the output
        w.nodes[-1].output[0] = "Y"
    else:
        w.op("Identity", [out], "Y")
    graph = onnx.helper.make_graph(
        w.nodes, "dagnet",
        [onnx.helper.make_tensor_value_info("X", onnx.TensorProto.DOUBLE, ["n", net.n_inputs])],
        [onnx.helper.make_tensor_value_info("Y", onnx.TensorProto.DOUBLE,
                                            ["n", net.n_outputs])],
        w.inits)
    model = onnx.helper.make_model(graph, producer_name="dagnet",
                                   opset_imports=[onnx.helper.make_opsetid("", 17)])
    model.ir_version = 8
    try:
        onnx.checker.check_model(model)
    except Exception as exc:  # noqa: BLE001 - a bug here, said plainly
        raise ModelImportError(f"the ONNX graph written for {net!r} does not check: {exc}") \
            from exc
    try:
        return write_bytes(path, model.SerializeToString())
    except OSError as exc:
        raise NetworkFileError(f"cannot write {os.fspath(path)!s}: {exc.strerror or exc}") \
            from exc
