"""Issue 18, item 6: sizes that would need more than 100 GB are refused at once, with a
SizeLimitError naming the size and the limit; an explicit argument raises the limit."""

import time

import networkx as nx
import numpy as np
import pytest

import dagnet
from dagnet.cli import main


def _fast(call):
    start = time.perf_counter()
    with pytest.raises(dagnet.SizeLimitError) as info:
        call()
    assert time.perf_counter() - start < 5  # estimated, not attempted
    return str(info.value)


def test_mlp_of_ten_billion_nodes_is_refused():
    message = _fast(lambda: dagnet.mlp([1, 100_000, 100_000, 1]))
    assert "10,001,000,007 nodes" in message and "10 TB" in message
    assert "max_nodes=" in message and "5 GB" in message


def test_a_spec_of_a_huge_layer_is_refused():
    message = _fast(lambda: dagnet.network_from_spec("99999999999999999999-1"))
    assert "PB" in message


def test_the_node_limit_is_an_argument():
    with pytest.raises(dagnet.SizeLimitError, match="limit of 2 kB"):
        dagnet.mlp([2, 3, 1], max_nodes=2)
    n = len(dagnet.mlp([2, 3, 1]).graph)
    assert len(dagnet.mlp([2, 3, 1], max_nodes=n).graph) == n == 28  # the estimate is exact
    with pytest.raises(dagnet.SizeLimitError):
        dagnet.mlp([2, 3, 1], max_nodes=n - 1)


def test_a_weight_stack_over_100_gb_is_refused():
    net = dagnet.mlp([1, 11, 9, 1])
    message = _fast(lambda: net.sample_weights(10**9, rng=0))
    assert "(1000000000, 140)" in message and "1.1e+03 GB" in message or "TB" in message
    assert net.sample_weights(3, rng=0, max_bytes=8 * 3 * 140).shape == (3, 140)
    assert net.sample_weights(rng=0, max_bytes=8 * 140).shape == (140,)  # exactly fits
    with pytest.raises(dagnet.SizeLimitError, match=r"\(140,\)"):
        net.sample_weights(rng=0, max_bytes=8 * 140 - 1)


def test_a_result_over_100_gb_is_refused_before_computing():
    f = dagnet.mlp([1, 2, 1], rng=0).compile()
    X = np.zeros((10**6, 1))
    message = _fast(lambda: f(X, weights=np.zeros((20_000, 7))))  # 160 GB of results
    assert "(20000, 1000000, 1)" in message and "160 GB" in message
    small = dagnet.mlp([1, 2, 1], rng=0).compile(max_bytes=8 * 10)
    assert small(np.zeros((10, 1))).shape == (10, 1)
    with pytest.raises(dagnet.SizeLimitError):
        small(np.zeros((11, 1)))


@pytest.mark.parametrize("key, value", [("layer", 10**18), ("index", 10**18)])
def test_from_graph_with_a_huge_layer_or_index_is_refused(key, value):
    G = nx.DiGraph()
    G.add_node("x", kind="input", index=1)
    G.add_node("w", kind="weight", i=1, j=0, value=1.0)
    G.add_node("v", kind="sum", index=0)
    G.add_edges_from([("x", "w"), ("w", "v")])
    G.nodes["x"][key] = value
    start = time.perf_counter()
    with pytest.raises(dagnet.NetworkError, match="at most"):
        dagnet.Network.from_graph(G)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("argv", [["equations", "1-100000-100000-1"],
                                  ["draw", "99999999999999999999-1"],
                                  ["plot", "1-11-9-1", "--n", "100000000"]])
def test_the_cli_refuses_in_one_line(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("dagnet: error: ") and "limit" in err
    assert time.perf_counter() - start < 10
