"""Saving skips the node-by-node schema columns only where they cannot have changed.

A network fresh from :func:`dagnet.mlp` (its attributes written by the builder,
``Structure.built``) or saved before with the same structure is written after checking only
what can change without the structure: weight values (and that only weights hold one) and
activation names. These tests check the builder's promise against the full pass and the
published schema, that the full pass is skipped exactly then, and that every change that
keeps the structure is still caught.
"""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest

import dagnet
from dagnet import io
from dagnet.errors import NetworkError, NetworkFileError, WeightError
from dagnet.io import schema_check


@pytest.fixture
def full_passes(monkeypatch):
    """Count the full node passes of the schema check."""
    calls = []
    original = schema_check._nodes_pass
    monkeypatch.setattr(schema_check, "_nodes_pass",
                        lambda R, nodes: calls.append(len(nodes)) or original(R, nodes))
    return calls


BUILT = [
    ([1, 1], "tanh", True, None),
    ([2, 3, 1], ["relu", None], True, 0),
    ([3, 12, 11, 2], "logistic", False, 1),
    ([1, 11, 9, 1], ["tanh", "tanh", "identity"], True, 2),
    ([12, 101, 3], None, True, 3),
]


@pytest.mark.parametrize("sizes, activation, bias, rng", BUILT)
def test_what_a_builder_writes_follows_the_published_schema(sizes, activation, bias, rng):
    net = dagnet.mlp(sizes, activation, bias=bias, rng=rng)
    assert net.validate().built
    doc = io.to_document(net)
    assert schema_check.schema_problem(doc) is None  # every column, checked
    assert jsonschema.Draft202012Validator(io.schema()).is_valid(doc)
    assert io.to_document(net.copy()) == doc  # the copy is checked in full: same document


def test_the_full_pass_runs_once_per_structure(full_passes, tmp_path):
    built = dagnet.mlp([2, 3, 1], rng=0)
    io.save(built, tmp_path / "a.json")
    assert full_passes == []  # the builder's attributes: only values and activations
    hand = built.copy()
    assert not hand.validate().built
    io.save(hand, tmp_path / "b.json")
    hand.set_weights(np.arange(len(hand.weights), dtype=float))  # values: same structure
    io.save(hand, tmp_path / "c.json")
    assert full_passes == [len(hand.graph)]
    hand.graph.nodes["L1.x1"]["note"] = "a new attribute"  # the structure changed
    io.save(hand, tmp_path / "d.json")
    assert len(full_passes) == 2
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    assert io.load(tmp_path / "c.json").weights.tolist() == hand.weights.tolist()


def test_a_value_put_on_a_sum_after_building_is_refused(tmp_path):
    net = dagnet.mlp([2, 3, 1], rng=0)
    key = net.structure_key
    net.graph.nodes["L1.v0"]["value"] = 1.0  # a value does not change the structure key
    assert net.structure_key == key
    with pytest.raises(NetworkFileError, match=r"L1\.v0.*value"):
        io.save(net, tmp_path / "net.json")
    assert not (tmp_path / "net.json").exists()


def test_weight_values_set_after_building_are_checked_and_converted(tmp_path):
    net = dagnet.mlp([2, 3, 1], rng=0)
    io.save(net, tmp_path / "first.json")
    w = net.validate().weights[0]
    net.graph.nodes[w]["value"] = np.float64(0.25)  # numpy scalar: written as a float
    text = io.to_json(net)
    twin = net.copy()
    twin.graph.nodes[w]["value"] = 0.25  # a float: every node as it is
    assert io.to_json(twin) == text  # the careful way writes the same file
    node = next(n for n in json.loads(text)["nodes"] if n["id"] == w)
    assert node["value"] == 0.25 and type(node["value"]) is float
    net.graph.nodes[w]["value"] = "0.25"
    with pytest.raises(WeightError, match=w):
        io.to_json(net)


def test_a_long_activation_name_is_still_refused(tmp_path):
    name = "f" + "x" * 1000  # an identifier the registry takes, longer than the schema allows
    dagnet.register_activation(name, sympy=lambda v: v, numpy=lambda v: v, linear=True)
    try:
        net = dagnet.mlp([1, 2, 1], name, rng=0)
        assert net.validate().built
        with pytest.raises(NetworkFileError, match="activation"):
            io.save(net, tmp_path / "net.json")
        assert not (tmp_path / "net.json").exists()
    finally:
        dagnet.unregister_activation(name)


def test_a_changed_name_after_a_save_is_checked_again(tmp_path):
    net = dagnet.mlp([2, 3, 1], rng=0)
    io.save(net, tmp_path / "net.json")
    net.graph.nodes["L1.w00"]["name"] = "w 00"  # not a symbol: the structure key moves
    with pytest.raises((NetworkError, NetworkFileError)):
        io.save(net, tmp_path / "net.json")
    assert io.load(tmp_path / "net.json").graph.nodes["L1.w00"]["name"] == "w_00"


def test_the_quick_check_falls_back_to_the_full_one(full_passes):
    doc = io.to_document(dagnet.mlp([2, 3, 1], rng=0))
    doc["nodes"][0]["layer"] = 0  # a column the promise covers: not looked at
    assert schema_check.schema_problem(doc, known_nodes=True) is None
    doc["nodes"][0]["value"] = 1.0  # a sum holding a value: the full pass names it
    problem = schema_check.schema_problem(doc, known_nodes=True)
    assert problem is not None and problem.startswith("nodes[0]")
    assert full_passes


def test_nodes_as_laid_give_the_verdict_and_the_document_names_the_node():
    doc = io.to_document(dagnet.mlp([2, 3, 1], rng=0))
    laid = doc["nodes"][::-1]  # the same dicts, another order
    assert schema_check.schema_problem(doc, nodes_as_laid=laid) is None
    doc["nodes"][2]["layer"] = 0
    doc["nodes"][5]["layer"] = 0
    for known in (False, True):
        problem = schema_check.schema_problem(doc, known_nodes=known, nodes_as_laid=laid)
        assert problem is None if known else problem.startswith("nodes[2].layer")


@pytest.mark.parametrize("sizes", [[1, 1], [2, 3, 1], [3, 12, 11, 2]])
def test_save_writes_the_pieces_of_to_json_in_order(tmp_path, sizes):
    net = dagnet.mlp(sizes, rng=0)
    net.graph.graph["title"] = "a net"
    path = io.save(net, tmp_path / "net.json")
    text = io.to_json(net)
    assert (tmp_path / "net.json").read_bytes() == text.encode("ascii")
    assert json.loads(text)["graph"] == {"title": "a net"}
    assert io.to_json(io.load(path)) == text
