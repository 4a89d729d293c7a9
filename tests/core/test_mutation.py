"""Issue 18, items 1 and 13: a compiled network (forward and gradient) and validate()'s
cache follow every mutation of the graph, through the API or ``net.graph`` directly, or
refuse with StaleCompileError; never a silent answer for the old structure."""

import copy
import pickle

import networkx as nx
import numpy as np
import pytest
from netgen import random_dag, reference_forward

import dagnet
from dagnet.compiled.backprop import compile_gradient


def _acts(net):
    return [n for n, a in net.graph.nodes(data=True) if a["kind"] == "activation"]


def _weights(net):
    return [n for n, a in net.graph.nodes(data=True) if a["kind"] == "weight"]


def _rewire(net, gen):
    """Move one weight to another sum: same node and edge counts, another structure."""
    G = net.graph
    sums = [n for n, a in G.nodes(data=True) if a["kind"] == "sum"]
    for w in gen.permutation(_weights(net)):
        (old,) = G.successors(w)
        others = [s for s in sums if s != old and len(G.pred[old]) > 1]
        if others:
            G.remove_edge(w, old)
            G.add_edge(w, others[int(gen.integers(len(others)))])
            return
    G.nodes[sums[0]]["index"] = 77  # a one-weight network: a renamed sum instead


def _drop_edge_by_hand(G):
    u, v = next(iter(G.edges))
    del G.succ[u]._atlas[v]  # the adjacency dicts behind networkx's read-only views
    G.pred[v]._atlas.pop(u)


# Every way the graph API and net.graph allow a change (value changes are not structure).
MUTATIONS = {
    "set activation": lambda net, gen: net.graph.nodes[_acts(net)[0]].__setitem__(
        "activation", "relu") if _acts(net) else net.graph.nodes[_weights(net)[0]].__setitem__(
        "i", 55),
    "update attrs": lambda net, gen: net.graph.nodes[_weights(net)[0]].update(layer=9),
    "setdefault new attr": lambda net, gen: net.graph.nodes[_weights(net)[0]].setdefault(
        "extra", 1),
    "del attr": lambda net, gen: net.graph.nodes[_weights(net)[0]].pop("name"),
    "nx.set_node_attributes": lambda net, gen: nx.set_node_attributes(
        net.graph, {_acts(net)[-1] if _acts(net) else _weights(net)[-1]: "sigmoid"},
        "activation"),
    "rewire keeping counts": _rewire,
    "remove edge": lambda net, gen: net.graph.remove_edge(*next(iter(net.graph.edges))),
    "remove node": lambda net, gen: net.graph.remove_node(_weights(net)[-1]),
    "add node": lambda net, gen: net.graph.add_node("stray", kind="sum", layer=1, index=40),
    "add edge": lambda net, gen: net.graph.add_edge(net.inputs[0], net.outputs[0]),
    "add edges from": lambda net, gen: net.graph.add_edges_from([(net.outputs[0],
                                                                  net.inputs[0])]),
    "relabel in place": lambda net, gen: nx.relabel_nodes(
        net.graph, {_weights(net)[0]: "renamed"}, copy=False),
    "clear edges": lambda net, gen: net.graph.clear_edges(),
    "clear": lambda net, gen: net.graph.clear(),
    "api weight": lambda net, gen: net.add_weight(net.add_input(9), next(
        n for n, a in net.graph.nodes(data=True) if a["kind"] == "sum"), 0.5),
    "adjacency dicts": lambda net, gen: _drop_edge_by_hand(net.graph),
    "replace graph": lambda net, gen: setattr(net, "graph", random_dag(999).graph),
}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("how", sorted(MUTATIONS))
def test_compiled_functions_follow_or_refuse_every_mutation(how, seed):
    net = random_dag(seed)
    X = np.random.default_rng(seed).normal(size=(5, len(net.inputs)))
    f, grad = net.compile(), net.gradient
    y = np.zeros((5, len(net.outputs)))
    before = f(X)
    np.testing.assert_allclose(before, reference_forward(net, X), rtol=1e-9, atol=1e-12)
    g = net.cached("probe", lambda: object())
    MUTATIONS[how](net, np.random.default_rng(seed))
    with pytest.raises(dagnet.StaleCompileError):
        f(X)
    try:
        fresh = net.compile()
    except dagnet.DagnetError:
        return  # the mutation broke the network: refused, as it must be
    assert net.cached("probe", lambda: object()) is not g  # the derived values are rebuilt
    np.testing.assert_allclose(fresh(X if fresh.n_inputs == X.shape[1] else
                                     np.zeros((5, fresh.n_inputs))),
                               reference_forward(net, X if fresh.n_inputs == X.shape[1]
                                                 else np.zeros((5, fresh.n_inputs))),
                               rtol=1e-9, atol=1e-12)
    assert grad is not None and y is not None


def test_the_compiled_gradient_refuses_a_stale_structure():
    net = dagnet.mlp([2, 3, 1], rng=0)
    X, y = np.ones((4, 2)), np.zeros((4, 1))
    g = compile_gradient(net)
    before = g(X, y).loss
    net.graph.nodes["L1.y0"]["activation"] = "relu"
    with pytest.raises(dagnet.StaleCompileError):
        g(X, y)
    assert net.gradient(X, y).loss != before  # recompiled: follows the new activation


def test_weight_values_are_not_structure():
    net = dagnet.mlp([1, 3, 1], rng=0)
    f = net.compile()
    X = np.linspace(-1, 1, 4)[:, None]
    net.graph.nodes["L1.w10"]["value"] = 3.0
    net.set_weights(net.weights * 2)
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12)


def test_the_issue_reproducer_activation_and_rewire():
    net = dagnet.mlp([1, 2, 1], rng=1)
    f = net.compile()
    X = np.array([[0.7]])
    f(X)
    net.graph.nodes["L2.y0"]["activation"] = "relu"
    with pytest.raises(dagnet.StaleCompileError, match="compile"):
        f(X)
    np.testing.assert_allclose(net.compile()(X), reference_forward(net, X), rtol=1e-12)


def test_validate_sees_a_cycle_made_after_it_ran():
    """Item 13: a cycle made by rewiring after validate() (same counts) is found."""
    net = dagnet.mlp([1, 1, 1], activation="identity", rng=0)
    net.validate()
    G = net.graph
    edges = G.number_of_edges()
    G.remove_edge("L1.x1", "L1.w10")
    G.add_edge("L2.v0", "L1.w10")  # w_10 of layer I now reads layer II's sum: a cycle
    assert G.number_of_edges() == edges
    for stage in (net.validate, net.compile, lambda: dagnet.to_dot(net), net.equations):
        with pytest.raises(dagnet.CycleError, match="cycle"):
            stage()


def test_tracking_survives_copy_deepcopy_pickle_and_from_graph():
    base = dagnet.mlp([1, 2, 1], rng=0)
    X = np.ones((2, 1))
    copies = [base.copy(), copy.deepcopy(base), pickle.loads(pickle.dumps(base)),
              dagnet.Network.from_graph(nx.DiGraph(base.graph))]
    for net in copies:
        f = net.compile()
        f(X)
        net.graph.nodes["L1.y1"]["activation"] = "relu"
        with pytest.raises(dagnet.StaleCompileError):
            f(X)
    assert base.compile()(X).shape == (2, 1)  # the original is untouched


def test_a_plain_networkx_graph_is_tracked_by_snapshot():
    G = nx.DiGraph(dagnet.mlp([1, 2, 1], rng=0).graph)
    assert type(G) is nx.DiGraph
    net = dagnet.Network(G)
    f = net.compile()
    X = np.ones((3, 1))
    f(X)
    G.nodes["L1.w10"]["value"] = 5.0  # a value: followed
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12)
    G.nodes["L1.y0"]["activation"] = "relu"
    with pytest.raises(dagnet.StaleCompileError):
        f(X)
