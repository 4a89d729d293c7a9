"""Other libraries' networks in and out: GraphML for networkx, scikit-learn, PyTorch, ONNX.

Every importer and exporter is checked differentially on random networks against the
library itself (predict / predict_proba, module.double(), torch autograd, onnxruntime), and
every bad model must end in one dagnet error.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from netgen import random_dag, skip_net

import dagnet
from dagnet.cli import main

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
torch = pytest.importorskip("torch")
sk_nn = pytest.importorskip("sklearn.neural_network")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-12


def ort_run(model_or_path, X):
    data = model_or_path if isinstance(model_or_path, (str, Path)) else \
        model_or_path.SerializeToString()
    session = ort.InferenceSession(str(data) if isinstance(data, Path) else data,
                                   providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return session.run(None, {name: X})


def points(n_inputs, n=40, seed=0):
    return np.random.default_rng(seed).normal(scale=2.0, size=(n, n_inputs))


# -- networkx GraphML ----------------------------------------------------------------------
def test_save_and_load_honour_graphml_and_types_are_declared(tmp_path):
    net = dagnet.mlp([2, 3, 2], activation=["tanh", "logistic"], rng=0)
    path = dagnet.save(net, tmp_path / "n.graphml")
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<graphml" in text  # not JSON
    for name, kind in [("layer", "long"), ("index", "long"), ("i", "long"), ("value", "double"),
                       ("kind", "string"), ("activation", "string")]:
        assert f'attr.name="{name}" attr.type="{kind}"' in text, name
    back = dagnet.load(path)
    assert np.array_equal(back.weights, net.weights)
    assert back.weight_names == net.weight_names
    G = nx.read_graphml(path)  # plain networkx reads the types back
    assert G.nodes["L1.w10"]["value"] == net.graph.nodes["L1.w10"]["value"]
    assert type(G.nodes["L1.w10"]["i"]) is int and type(G.nodes["L2.y1"]["layer"]) is int
    X = points(2)
    np.testing.assert_array_equal(dagnet.Network.from_graph(G).compile()(X), net.compile()(X))


# -- scikit-learn ---------------------------------------------------------------------------
def _fit(model, X, y):
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(8))
def test_from_sklearn_equals_predict_on_random_models(seed):
    rng = np.random.default_rng(seed)
    n_in = int(rng.integers(1, 5))
    hidden = tuple(int(h) for h in rng.integers(1, 7, size=int(rng.integers(1, 4))))
    act = ["identity", "logistic", "tanh", "relu"][seed % 4]
    X = rng.normal(size=(60, n_in))
    Xt = points(n_in, seed=seed + 100)
    # regressor, one and several outputs
    n_out = 1 + seed % 3
    y = X @ rng.normal(size=(n_in, n_out))
    settings = dict(hidden_layer_sizes=hidden, activation=act, max_iter=30, random_state=seed)
    reg = _fit(sk_nn.MLPRegressor(**settings), X, y[:, 0] if n_out == 1 else y)
    net = dagnet.from_sklearn(reg)
    assert net.n_inputs == n_in and net.n_outputs == n_out and len(net.layers) == len(hidden) + 1
    got = net.compile()(Xt)
    np.testing.assert_allclose(got, reg.predict(Xt).reshape(len(Xt), -1), rtol=0, atol=TOL)
    # classifiers: binary (logistic output), multi-class (softmax of the logits)
    for n_classes in (2, 3 + seed % 3):
        labels = rng.integers(0, n_classes, size=len(X))
        labels[:n_classes] = np.arange(n_classes)
        clf = _fit(sk_nn.MLPClassifier(**settings), X, labels)
        out = dagnet.from_sklearn(clf).compile()(Xt)
        proba = clf.predict_proba(Xt)
        if n_classes == 2:
            np.testing.assert_allclose(out[:, 0], proba[:, 1], rtol=0, atol=TOL)
        else:
            assert out.shape == (len(Xt), n_classes)
            np.testing.assert_allclose(softmax(out), proba, rtol=0, atol=TOL)
            assert np.array_equal(clf.classes_[out.argmax(axis=1)], clf.predict(Xt))


def test_from_sklearn_multilabel():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = (X[:, :2] > 0).astype(int)
    clf = _fit(sk_nn.MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=0), X, Y)
    assert clf.out_activation_ == "logistic"
    np.testing.assert_allclose(dagnet.from_sklearn(clf).compile()(X), clf.predict_proba(X),
                               rtol=0, atol=TOL)


def test_from_sklearn_refuses_bad_models():
    from sklearn.linear_model import LinearRegression

    with pytest.raises(dagnet.ModelImportError, match="got LinearRegression"):
        dagnet.from_sklearn(LinearRegression())
    with pytest.raises(dagnet.ModelImportError, match="is not fitted"):
        dagnet.from_sklearn(sk_nn.MLPRegressor())
    model = _fit(sk_nn.MLPRegressor(hidden_layer_sizes=(2,), max_iter=5, random_state=0),
                 points(2), points(1)[:, 0])
    model.coefs_[1] = model.coefs_[1].astype(np.int64)
    with pytest.raises(dagnet.ModelImportError, match=r"coefs_\[1\] has dtype int64"):
        dagnet.from_sklearn(model)
    model.coefs_[1] = np.ones((3, 1))  # 3 rows after a layer of 2
    with pytest.raises(dagnet.ModelImportError, match=r"layer 2 has weights of shape \(3, 1\)"):
        dagnet.from_sklearn(model)


# -- PyTorch --------------------------------------------------------------------------------
def random_sequential(seed):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    sizes = [int(s) for s in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    mods = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(torch.nn.Linear(a, b, bias=bool(rng.random() < 0.8)))
        act = rng.choice(["Tanh", "Sigmoid", "ReLU", "Identity", "none"])
        if act != "none":
            mods.append(getattr(torch.nn, act)())
        if k == 0 and rng.random() < 0.5:  # a nested Sequential is read in order
            mods = [torch.nn.Sequential(*mods)]
    return torch.nn.Sequential(*mods), sizes


@pytest.mark.parametrize("seed", range(12))
def test_from_torch_equals_the_module_and_its_autograd(seed):
    module, sizes = random_sequential(seed)
    net = dagnet.from_torch(module)
    assert (net.n_inputs, net.n_outputs, len(net.layers)) == (sizes[0], sizes[-1], len(sizes) - 1)
    X = points(sizes[0], seed=seed)
    double = module.double()
    np.testing.assert_allclose(net.compile()(X), double(torch.from_numpy(X)).detach().numpy(),
                               rtol=0, atol=TOL)
    # dagnet's backprop against torch autograd, for mse (mean over every entry)
    T = np.random.default_rng(seed + 1).normal(size=(len(X), sizes[-1]))
    mine = dagnet.gradient(net, X, T, loss="mse")
    double.zero_grad()
    loss = ((double(torch.from_numpy(X)) - torch.from_numpy(T)) ** 2).mean()
    loss.backward()
    grads = []
    for layer in (m for m in double.modules() if isinstance(m, torch.nn.Linear)):
        gb = layer.bias.grad.numpy() if layer.bias is not None else None
        gW = layer.weight.grad.numpy().T
        for j in range(gW.shape[1]):  # dagnet's order: layer, then j, then i (0: bias)
            grads.append(gb[j] if gb is not None else np.nan)
            grads.extend(gW[:, j])
    grads = np.array(grads)
    has = ~np.isnan(grads)  # a Linear without bias: its bias weight has no torch gradient
    assert abs(mine.loss - loss.item()) <= 1e-10 * max(1.0, abs(loss.item()))
    np.testing.assert_allclose(mine.gradient[has], grads[has], rtol=0, atol=1e-10)


def test_from_torch_refuses_bad_modules():
    nn = torch.nn
    with pytest.raises(dagnet.ModelImportError, match="module '1' is a LSTM"):
        dagnet.from_torch(nn.Sequential(nn.Linear(2, 2), nn.LSTM(2, 2)))
    with pytest.raises(dagnet.ModelImportError, match="module '0.1' is a Conv1d"):
        dagnet.from_torch(nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.Conv1d(1, 1, 1))))
    with pytest.raises(dagnet.ModelImportError, match="got Linear; wrap the layers"):
        dagnet.from_torch(nn.Linear(2, 2))
    with pytest.raises(dagnet.ModelImportError, match=r"module '2' \(Tanh\) does not follow"):
        dagnet.from_torch(nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Tanh()))
    with pytest.raises(dagnet.ModelImportError, match="has dtype torch.float16"):
        dagnet.from_torch(nn.Sequential(nn.Linear(2, 2).half()))
    with pytest.raises(dagnet.ModelImportError, match=r"layer 2 has weights of shape \(3, 1\)"):
        dagnet.from_torch(nn.Sequential(nn.Linear(2, 2), nn.Linear(3, 1)))
    with pytest.raises(dagnet.ModelImportError, match="no nn.Linear layer"):
        dagnet.from_torch(nn.Sequential(nn.Identity()))


# -- ONNX in --------------------------------------------------------------------------------
def onnx_model(layers, dtype=np.float64, gemm=False, extra=()):
    """A hand-made ONNX model: per layer (W, b, op) as MatMul+Add or Gemm (transB, alpha)."""
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    nodes, inits, cur = [], [], "input"
    for k, (W, b, op) in enumerate(layers):
        if gemm:
            inits += [numpy_helper.from_array((W.T / 2).astype(dtype), f"W{k}"),
                      numpy_helper.from_array((b / 4).astype(dtype), f"b{k}")]
            nodes.append(helper.make_node("Gemm", [cur, f"W{k}", f"b{k}"], [f"s{k}"],
                                          name=f"gemm{k}", transB=1, alpha=2.0, beta=4.0))
        else:
            inits += [numpy_helper.from_array(W.astype(dtype), f"W{k}"),
                      numpy_helper.from_array(b[None, :].astype(dtype), f"b{k}")]
            nodes += [helper.make_node("MatMul", [cur, f"W{k}"], [f"p{k}"], name=f"mm{k}"),
                      helper.make_node("Add", [f"b{k}", f"p{k}"], [f"s{k}"], name=f"add{k}")]
        cur = f"s{k}"
        if op:
            nodes.append(helper.make_node(op, [cur], [f"a{k}"], name=f"act{k}"))
            cur = f"a{k}"
    nodes += [helper.make_node(*e[:3], name=e[3]) for e in extra]
    last = nodes[-1].output[0]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("input", elem, [None, layers[0][0].shape[0]])],
        [helper.make_tensor_value_info(last, elem, [None, layers[-1][0].shape[1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def random_layers(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    return [(rng.normal(size=(a, b)), rng.normal(size=b),
             rng.choice(["Tanh", "Sigmoid", "Relu", "Identity", ""]))
            for a, b in zip(sizes[:-1], sizes[1:])]


@pytest.mark.parametrize("seed", range(10))
def test_from_onnx_equals_onnxruntime(seed, tmp_path):
    layers = random_layers(seed)
    model = onnx_model(layers, gemm=seed % 2 == 1)
    path = tmp_path / "m.onnx"
    path.write_bytes(model.SerializeToString())
    X = points(layers[0][0].shape[0], seed=seed)
    for source in (path, str(path), model, path.read_bytes()):
        net = dagnet.from_onnx(source)
        np.testing.assert_allclose(net.compile()(X), ort_run(model, X)[0], rtol=0, atol=TOL)
    assert len(net.layers) == len(layers)


def test_from_onnx_widens_float32_exactly():
    layers = random_layers(3)
    model = onnx_model(layers, dtype=np.float32)
    net = dagnet.from_onnx(model)
    expected = np.concatenate([np.vstack([b.astype(np.float32), W.astype(np.float32)]).T.ravel()
                               for W, b, _ in layers]).astype(np.float64)
    assert np.array_equal(net.weights, expected)  # every float32 weight, exactly
    X = points(layers[0][0].shape[0]).astype(np.float32)
    np.testing.assert_allclose(net.compile()(X.astype(np.float64)), ort_run(model, X)[0],
                               rtol=1e-4, atol=1e-5)  # onnxruntime computes in float32 here


def test_from_onnx_refuses_bad_models(tmp_path):
    W, b = np.ones((2, 2)), np.zeros(2)
    bad = onnx_model([(W, b, "Tanh")], extra=[("Sin", ["a0"], ["sin"], "the_sine")])
    with pytest.raises(dagnet.ModelImportError, match=r"node 'the_sine' \(Sin\): unsupported op"):
        dagnet.from_onnx(bad)
    bad = onnx_model([(W, b, "Tanh"), (np.ones((3, 1)), np.zeros(1), "")])
    with pytest.raises(dagnet.ModelImportError, match=r"node 'mm1' \(MatMul\): weights of shape "
                                                      r"\(3, 1\) after a layer of 2 values"):
        dagnet.from_onnx(bad)
    bad = onnx_model([(W, b, "Tanh")])
    bad.graph.initializer[0].CopyFrom(numpy_helper.from_array(np.ones((2, 2), np.int64), "W0"))
    with pytest.raises(dagnet.ModelImportError, match="tensor 'W0' has dtype int64"):
        dagnet.from_onnx(bad)
    custom = onnx_model([(W, b, "")], extra=[("Tanh", ["s0"], ["t"], "evil")])
    custom.graph.node[-1].domain = "com.example.code"
    with pytest.raises(dagnet.ModelImportError, match="node 'evil' .* domain 'com.example.code'"):
        dagnet.from_onnx(custom)
    external = onnx_model([(W, b, "")])
    tensor = external.graph.initializer[0]
    tensor.data_location = TensorProto.EXTERNAL
    tensor.ClearField("raw_data")
    tensor.external_data.add(key="location", value="/etc/passwd")
    with pytest.raises(dagnet.ModelImportError, match="external file, which from_onnx does not"):
        dagnet.from_onnx(external)
    good = onnx_model([(W, b, "Tanh")]).SerializeToString()
    for k, data in enumerate([b"", b"\x00" * 10, b"garbage \xff\xfe", good[: len(good) // 2],
                              good[:-3]]):
        path = tmp_path / f"bad{k}.onnx"
        path.write_bytes(data)
        with pytest.raises(dagnet.ModelImportError, match=str(path)):
            dagnet.from_onnx(path)
    with pytest.raises(dagnet.NetworkFileError, match="cannot read"):
        dagnet.from_onnx(tmp_path / "missing.onnx")
    with pytest.raises(dagnet.ModelImportError, match="takes a path, bytes or onnx.ModelProto"):
        dagnet.from_onnx(12)


def test_missing_extras_name_the_pip_extra(monkeypatch):
    for module, call, extra in [("onnx", lambda: dagnet.from_onnx(b""), "onnx"),
                                ("onnx", lambda: dagnet.to_onnx(dagnet.linear(1, rng=0), "x"),
                                 "onnx"),
                                ("torch", lambda: dagnet.from_torch(None), "torch"),
                                ("sklearn.neural_network", lambda: dagnet.from_sklearn(None),
                                 "sklearn")]:
        monkeypatch.setitem(sys.modules, module, None)  # import fails
        with pytest.raises(dagnet.MissingExtraError,
                           match=rf"pip install 'dagnet\[{extra}\]'"):
            call()
        monkeypatch.undo()


# -- ONNX out -------------------------------------------------------------------------------
def _check_to_onnx(net, tmp_path, seed=0):
    path = dagnet.to_onnx(net, tmp_path / "out.onnx")
    X = points(net.n_inputs, seed=seed)
    np.testing.assert_allclose(ort_run(Path(path), X)[0], net.compile()(X), rtol=0, atol=TOL)
    return path


@pytest.mark.parametrize("seed", range(25))
def test_to_onnx_equals_compile_on_random_dags(seed, tmp_path):
    _check_to_onnx(random_dag(seed), tmp_path, seed)  # skip connections, direct inputs, ...


def test_to_onnx_on_hand_built_and_layered_networks(tmp_path):
    _check_to_onnx(skip_net(), tmp_path)  # bias into a later layer, duplicate weights, outputs
    for sizes, act in [([3, 5, 4, 2], ["relu", "tanh", "logistic"]), ([1, 1], None),
                       ([2, 6, 1], "identity")]:
        net = dagnet.mlp(sizes, activation=act, rng=1)
        path = _check_to_onnx(net, tmp_path)
        back = dagnet.from_onnx(path)  # a layered network reads back as itself
        assert np.array_equal(back.weights, net.weights)
        X = points(sizes[0])
        np.testing.assert_array_equal(back.compile()(X), net.compile()(X))
    bias_only = dagnet.Network()  # a sum of the bias alone, and an input as an output
    x1, b = bias_only.add_input(1), bias_only.add_bias()
    v = bias_only.add_sum(0)
    bias_only.add_weight(b, v, 0.75)
    bias_only.add_output(v, 0)
    bias_only.add_output(x1, 1)
    _check_to_onnx(bias_only, tmp_path)


def test_to_onnx_refuses_what_onnx_cannot_say(tmp_path):
    dagnet.register_activation("cube", sympy=lambda v: v**3, numpy=lambda v: v**3)
    try:
        net = dagnet.mlp([1, 2, 1], activation="cube", rng=0)
        with pytest.raises(dagnet.ModelImportError, match="activation 'cube' .* has no ONNX op"):
            dagnet.to_onnx(net, tmp_path / "cube.onnx")
    finally:
        dagnet.unregister_activation("cube")
    with pytest.raises(dagnet.MissingWeightError):
        dagnet.to_onnx(dagnet.mlp([1, 2, 1]), tmp_path / "unset.onnx")
    assert not (tmp_path / "unset.onnx").exists()


# -- the command line -----------------------------------------------------------------------
def test_cli_reads_onnx_wherever_it_reads_a_spec(tmp_path, capsys):
    net = dagnet.mlp([2, 3, 1], rng=0)
    path = str(dagnet.to_onnx(net, tmp_path / "model.onnx"))
    dagnet.save(net, tmp_path / "model.json")
    assert main(["draw", str(tmp_path / "model.json")]) == 0
    from_json = capsys.readouterr().out
    assert main(["draw", path]) == 0
    assert capsys.readouterr().out == from_json  # the same network as the saved one
    assert main(["equations", path, "--numeric"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == main_equation_line(net)
    (tmp_path / "broken.onnx").write_bytes(b"\x08\x01junk")
    assert main(["draw", str(tmp_path / "broken.onnx")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "broken.onnx" in err[0] and "not an ONNX model" in err[0]


def main_equation_line(net):
    eq = net.equations(weights="numeric")[0]
    import sympy as sp

    return f"{sp.sstr(eq.lhs, order='none')} = {sp.sstr(eq.rhs, order='none')}"


# -- a real model end to end (examples/explain_sklearn_model.py) ----------------------------
def test_explain_sklearn_model_example(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import explain_sklearn_model as example
    finally:
        sys.path.remove(str(ROOT / "examples"))
    result = example.explain(tmp_path)
    net, model, grid = result["net"], result["model"], result["grid"]
    assert net.n_inputs == 2 and net.n_outputs == 3
    assert result["regions_agree"]
    assert np.array_equal(result["classes"].ravel(), model.predict(grid))  # checked here too
    assert len(set(result["classes"].ravel().tolist())) == 3  # all three species drawn
    np.testing.assert_allclose(softmax(net.compile()(grid)), model.predict_proba(grid), rtol=0,
                               atol=TOL)
    onnx_out = result["onnx_net"].compile()(grid)
    np.testing.assert_allclose(onnx_out, net.compile()(grid), rtol=0, atol=TOL)
    names = sorted(p.name for p in result["files"])
    assert {"iris-explicit.dot", "iris-simplified.dot", "iris-regions.png"} <= set(names)
    assert '"L2.w52"' in (tmp_path / "iris-explicit.dot").read_text()  # every weight box


def test_explain_sklearn_model_script_runs(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "explain_sklearn_model.py"),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg",
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "regions equal model.predict at all 14400 grid points: True" in done.stdout
    assert "largest output difference 0.0e+00" in done.stdout
