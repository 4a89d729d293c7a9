"""The loader's one-pass schema check agrees with the published schema.

dagnet checks network documents with plain Python (``dagnet.io.schema_check.schema_problem``);
the published JSON Schema stays the reference. Here a few hundred seeded documents (valid
files of several networks, and mutations aimed at every rule of the schema: types, limits,
patterns, the kind-dependent keys, extra attributes, the header) get the same verdict from
the pass and from the ``jsonschema`` library reading ``network-v1.schema.json``.

JSON Schema patterns are ECMA-262 regular expressions, in which ``$`` is the end of the
text; Python's ``re`` also lets ``$`` match before a final newline, so the reference
validator here reads ``pattern`` with ``\\Z`` for a final ``$`` (otherwise it would accept the
id ``"L1.x1\\n"``, which the schema's pattern refuses). Beyond the schema dagnet refuses text
that is not valid Unicode (a lone surrogate) and numbers beyond 64 bits or not finite; the
expected verdict says so explicitly.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import subprocess
import sys

import jsonschema
import pytest
from jsonschema.exceptions import ValidationError

import dagnet
from dagnet import io
from dagnet.io import schema_check

N_DOCS = 400


def _ecma_pattern(validator, pattern, instance, schema):
    anchored = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
    if validator.is_type(instance, "string") and not re.search(anchored, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


REFERENCE = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                         {"pattern": _ecma_pattern})(io.schema())


def _beyond_schema_ok(item) -> bool:
    """dagnet's own rules: valid Unicode text, finite numbers, integers within 64 bits."""
    stack = [item]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str):
            try:
                x.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(x, float) and not math.isfinite(x):
            return False
        elif isinstance(x, int) and not isinstance(x, bool) and abs(x) > 2**63 - 1:
            return False
    return True


def expected(doc) -> bool:
    return REFERENCE.is_valid(doc) and _beyond_schema_ok(doc)


def _bases() -> list[dict]:
    skip = dagnet.Network()
    x0, x1 = skip.add_bias(), skip.add_input(1)
    v0 = skip.add_sum(0)
    skip.add_weight(x0, v0, 0.5), skip.add_weight(x1, v0)
    y0 = skip.add_activation(v0, "relu")
    v1 = skip.add_sum(0, layer=2)
    skip.add_weight(y0, v1, 1.0, i=1), skip.add_weight(x1, v1, -2.0, i=2)
    skip.add_output(v1)
    skip.graph.graph["title"] = "skip"
    skip.graph.nodes["L1.x1"]["note"] = "the input"
    skip.graph.edges["L1.x1", "L1.w10"]["width"] = 2
    nets = [dagnet.linear(1, rng=0), dagnet.logistic(2), dagnet.mlp([2, 3, 1], rng=1),
            dagnet.mlp([1, 2, 2], ["relu", "identity"]), skip]
    return [io.to_document(net) for net in nets]


VALUES = [None, True, False, 0, 1, -1, 2, 1.0, 1.5, -0.0, 1e6, 1e6 + 1, 10**6, 10**6 + 1,
          2**63 - 1, 2**63, float("inf"), "", "x", "x_1", "w_10", "v_0", "y_2", "α_1", "Δx_1",
          "x_1\n", "a\nb", "L1.x0\n", "\x7f", "tab\there", "a" * 64, "a" * 65, "a" * 256,
          "a" * 257, "a" * 1000, "a" * 1001, "a" * 10000, "a" * 10001, "x\ud800", [], {}, [1],
          {"a": 1}, "input", "bias", "weight", "sum", "activation", "output", "neuron", "tanh",
          "relu", "L1.x1", "L1.v0", "network", "__import__('os')"]
KEYS = ["id", "kind", "layer", "index", "i", "j", "name", "activation", "value", "source",
        "target", "note", "_x", "x1", "a" * 64, "a" * 65, "1a", "a-b", "a\n", "", "é",
        "version", "format"]
TOP = ["dagnet", "directed", "multigraph", "graph", "nodes", "edges"]


def _mutate(rng: random.Random, doc: dict) -> dict:
    op = rng.choice(["node_set", "node_set", "node_del", "node_add", "edge_set", "edge_del",
                     "top_set", "top_del", "top_add", "header", "graph", "wide", "kind",
                     "retype", "append"])
    nodes, edges = doc["nodes"], doc["edges"]
    node, edge = rng.choice(nodes), rng.choice(edges) if edges else {}
    if op == "node_set":
        node[rng.choice(KEYS[:10])] = rng.choice(VALUES)
    elif op == "node_del":
        node.pop(rng.choice(list(node)), None)
    elif op == "node_add":
        node[rng.choice(KEYS)] = rng.choice(VALUES)
    elif op == "edge_set" and edge:
        edge[rng.choice(["source", "target", "note", "id", "a-b"])] = rng.choice(VALUES)
    elif op == "edge_del" and edge:
        edge.pop(rng.choice(list(edge)))
    elif op == "top_set":
        doc[rng.choice(TOP)] = rng.choice(VALUES)
    elif op == "top_del":
        del doc[rng.choice(TOP)]
    elif op == "top_add":
        doc[rng.choice(KEYS)] = rng.choice(VALUES)
    elif op == "header":
        header = doc["dagnet"]
        key = rng.choice(["format", "version", "extra"])
        if rng.random() < 0.2:
            header.pop(rng.choice(list(header)), None)
        else:
            header[key] = rng.choice([1, 1.0, 2, True, "1", "network", "graph", None])
    elif op == "graph":
        doc["graph"][rng.choice(KEYS)] = rng.choice(VALUES)
    elif op == "wide":  # maxProperties: 64 keys at most
        for k in range(rng.choice([57, 58, 59, 60, 64])):
            node[f"extra{k}"] = k
    elif op == "kind":  # the kind-dependent keys (the schema's if/then/else)
        node["kind"] = rng.choice(["input", "bias", "weight", "sum", "activation", "output"])
    elif op == "retype":
        key = rng.choice(["nodes", "edges"])
        doc[key] = {str(k): v for k, v in enumerate(doc[key])}
    elif op == "append":
        (nodes if rng.random() < 0.5 else edges).append(rng.choice(VALUES))
    return doc


def documents(n: int = N_DOCS, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    bases = _bases()
    docs = [copy.deepcopy(b) for b in bases]  # the valid files themselves
    while len(docs) < n:
        doc = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            try:
                doc = _mutate(rng, doc)
            except (TypeError, KeyError, IndexError, AttributeError):
                break  # an earlier mutation changed the shape this one needs
        docs.append(doc)
    return docs


def test_the_pass_and_the_published_schema_agree_on_seeded_documents():
    verdicts = []
    for doc in documents():
        want = expected(doc)
        problem = schema_check.schema_problem(doc)
        assert (problem is None) == want, (problem, json.dumps(doc, default=repr)[:400])
        verdicts.append(want)
    # both kinds are well represented: the mutations break files, some keep them valid
    assert sum(verdicts) >= 40 and len(verdicts) - sum(verdicts) >= 200


def test_the_column_checks_and_the_node_by_node_checks_agree():
    """The pass decides a column of values at a time and explains node by node; both ways
    give the same verdict on every node list (the column way may only be stricter)."""
    R = schema_check._rules()
    for doc in documents(seed=15):
        nodes = doc.get("nodes")
        if not isinstance(nodes, list):
            continue
        by_node = all(schema_check._node_problem(R, node) is None for node in nodes)
        by_column = schema_check._nodes_pass(R, nodes)
        assert by_column <= by_node
        assert (schema_check._first_bad_node(R, nodes) is None) == by_node


@pytest.mark.parametrize("mutate, place, words", [
    (lambda d: d["nodes"][1].update(layer=0), "nodes[1].layer (node 'L1.v1')",
     "0 is not an integer from 1 to 1000000"),
    (lambda d: d["nodes"][0].update(kind="neuron"), "nodes[0].kind (node 'L1.v0')",
     "one of input, bias, weight, sum, activation, output"),
    (lambda d: d["nodes"][2].update(index=1), "nodes[2].index (node 'L1.w00')",
     "a weight node has no 'index': remove it"),
    (lambda d: d["nodes"][0].pop("index"), "nodes[0] (node 'L1.v0')",
     "the key 'index' is missing"),
    (lambda d: d["nodes"][0].update({"bad key": 1}), "nodes[0] (node 'L1.v0')",
     "the attribute name 'bad key' is not allowed"),
    (lambda d: d["edges"][1].update(target=7), "edges[1].target",
     "7 is not a node id"),
    (lambda d: d.update(extra=1), "the document", "the key 'extra' is not part of the format"),
    (lambda d: d["graph"].update(title=[1]), "graph.title", "an array of 1 items is not a string"),
])
def test_messages_name_the_json_path_the_value_and_the_fix(mutate, place, words):
    doc = io.to_document(dagnet.mlp([1, 2, 1], rng=0))
    mutate(doc)
    with pytest.raises(dagnet.NetworkFileError) as info:
        io.from_json(json.dumps(doc), source="net.json")
    message = str(info.value)
    assert message.startswith(f"net.json: {place}: "), message
    assert words in message and "network-v1.schema.json" in message


def test_deeply_nested_values_are_a_clear_error_not_a_crash():
    """jsonschema-rs alone raised ValueError on deep documents; the pass never recurses."""
    doc = io.to_document(dagnet.linear(1))
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    doc["nodes"][0]["note"] = deep
    assert "nodes[0].note" in schema_check.schema_problem(doc)
    text = json.dumps(io.to_document(dagnet.linear(1)))
    text = text.replace('"graph": {}', '"graph": {"a": ' + "[" * 900 + "]" * 900 + "}")
    with pytest.raises(dagnet.NetworkFileError, match="nested more than 32"):
        io.from_json(text)


def test_loading_and_saving_need_no_json_schema_library(tmp_path):
    """jsonschema is a test tool now ([dev]), not something dagnet imports to run."""
    path = tmp_path / "net.json"
    code = ("import sys, dagnet; net = dagnet.mlp([2, 3, 1], rng=0); "
            f"dagnet.save(net, {str(path)!r}); dagnet.load({str(path)!r}); "
            "dagnet.io.to_graphml(net, " + repr(str(tmp_path / "n.graphml")) + "); "
            "print(sorted(m for m in sys.modules if 'jsonschema' in m))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
