"""SPEC strings: parsing, building, canonical text and every error path."""

from __future__ import annotations

import numpy as np
import pytest

import dagnet
from dagnet.core.spec import format_spec, network_from_spec, parse_spec, spec_of
from dagnet.errors import DagnetError, SpecError


def n_weights(sizes):
    """Independent count: every layer has (inputs + bias) x outputs weights."""
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


@pytest.mark.parametrize("text, sizes, acts", [
    ("2-11-9-1:tanh", (2, 11, 9, 1), ("tanh",) * 3),
    ("1-1:logistic", (1, 1), ("logistic",)),
    ("1-1:sigmoid", (1, 1), ("logistic",)),
    ("1-100-1:none", (1, 100, 1), (None, None)),
    ("1-100-1:linear", (1, 100, 1), (None, None)),
    ("1-100-1:Linear", (1, 100, 1), (None, None)),
    ("2-11-9-1", (2, 11, 9, 1), ("tanh",) * 3),
    ("2-11-9-1:tanh,tanh,identity", (2, 11, 9, 1), ("tanh", "tanh", "identity")),
    (" 2 - 3 - 1 : relu , none ", (2, 3, 1), ("relu", None)),
    ("3-2:RELU", (3, 2), ("relu",)),
])
def test_parse_valid(text, sizes, acts):
    spec = parse_spec(text)
    assert spec.sizes == sizes
    assert spec.activations == acts
    net = network_from_spec(text, rng=0)
    assert (net.n_inputs, net.n_outputs) == (sizes[0], sizes[-1])
    assert net.n_weights == n_weights(sizes)
    kinds = [a["kind"] for _, a in net.graph.nodes(data=True)]
    n_acts = sum(b for b, a in zip(sizes[1:], acts) if a is not None)
    assert kinds.count("activation") == n_acts


def test_built_network_equals_mlp():
    a = network_from_spec("2-3-1:tanh,identity", rng=5)
    b = dagnet.mlp([2, 3, 1], activation=["tanh", "identity"], rng=5)
    assert a.weight_names == b.weight_names
    np.testing.assert_array_equal(a.weights, b.weights)
    X = np.random.default_rng(1).normal(size=(7, 2))
    np.testing.assert_allclose(a.compile()(X), b.compile()(X), rtol=0, atol=0)


def test_unset_weights_without_rng():
    net = network_from_spec("1-2-1")
    with pytest.raises(dagnet.MissingWeightError):
        _ = net.weights


@pytest.mark.parametrize("text", ["2-11-9-1:tanh", "1-100-1:none", "2-3-1:tanh,identity",
                                  "1-1:logistic"])
def test_canonical_text_round_trips(text):
    spec = parse_spec(text)
    assert str(spec) == text
    assert parse_spec(str(spec)) == spec
    assert repr(spec) == f"Spec({text!r})"


def test_format_spec():
    assert format_spec([1, 100, 1], None) == "1-100-1:none"
    assert format_spec((2, 1), "logistic") == "2-1:logistic"
    assert format_spec([2, 3, 1], [None, "tanh"]) == "2-3-1:none,tanh"


@pytest.mark.parametrize("text, words", [
    ("", ["at least two layer sizes"]),
    ("3", ["at least two layer sizes"]),
    ("3:tanh", ["at least two layer sizes"]),
    ("1-x-1", ["bad layer size 'x'", "2-11-9-1:tanh"]),
    ("1-0-1", ["bad layer size '0'"]),
    ("1--1", ["bad layer size ''"]),
    ("1-2.5-1", ["bad layer size '2.5'"]),
    ("1--2-1", ["bad layer size"]),
    ("1-1:cosh", ["unknown activation 'cosh'", "tanh", "logistic"]),
    ("1-1:", ["empty activation"]),
    ("1-2-1:tanh,", ["empty activation"]),
    ("1-2-3-1:tanh,relu", ["2 activations for 3 layers", "tanh,tanh,identity"]),
])
def test_bad_specs(text, words):
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    msg = str(info.value)
    for w in words:
        assert w in msg
    assert issubclass(SpecError, DagnetError) and isinstance(info.value, ValueError)


def test_not_a_string():
    with pytest.raises(SpecError, match="a SPEC is a string"):
        parse_spec(3)


def test_a_path_is_not_a_spec(tmp_path):
    """core reads architectures only; a file path is an error that points at dagnet.load."""
    with pytest.raises(SpecError, match=r"dagnet\.load"):
        network_from_spec(tmp_path / "net.json")
    with pytest.raises(SpecError, match="at least two layer sizes"):
        network_from_spec("net.json")


def test_core_spec_imports_no_later_stage():
    """core must not import upward (io, learn, cli, ...), not even lazily inside a function."""
    import ast
    import inspect

    import dagnet.core.spec as mod

    tree = ast.parse(inspect.getsource(mod))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "attr", getattr(n.func, "id", "")) == "import_module"]
    assert calls == []
    later = ("io", "learn", "cli", "gallery", "compiled", "symbolic", "draw", "plot")
    for name in imported:
        assert not any(name == f"..{s}" or name.startswith((f"..{s}.", f"dagnet.{s}"))
                       for s in later), name


@pytest.mark.parametrize("text", ["2-11-9-1:tanh", "1-100-1:none", "2-3-1:tanh,identity",
                                  "1-1:logistic", "3-4-4-2:relu,none,sigmoid", "2-11-9-1"])
def test_spec_of_reads_the_spec_back(text):
    net = network_from_spec(text, rng=3)
    assert spec_of(net) == parse_spec(text)
    dagnet.fit(net, np.zeros((2, net.n_inputs)), np.zeros((2, net.n_outputs)), steps=1,
               progress=False)
    assert spec_of(net) == parse_spec(text)  # what a fit records is not structure


def test_spec_of_networks_no_spec_builds():
    assert spec_of(dagnet.mlp([2, 3, 1], bias=False)) is None
    net = dagnet.mlp([1, 2, 1], rng=0)
    net.graph.nodes["L2.y0"]["activation"] = "logistic"  # the one output node: still a SPEC
    assert spec_of(net) == parse_spec("1-2-1:tanh,logistic")
    net.graph.nodes["L1.y0"]["activation"] = "relu"  # two activations in one layer
    assert spec_of(net) is None
    skip = dagnet.mlp([1, 2, 1], rng=0)
    skip.add_weight("L1.x1", "L2.v0", 0.5, i=9)  # a skip connection from input 1 to the output
    assert spec_of(skip) is None
