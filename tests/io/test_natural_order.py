"""The quick natural order of node ids (numpy, for the builders' ids) is the general one."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dagnet
from dagnet.io import files


def _general(ids: list[str]) -> list[str]:
    return sorted(ids, key=files._natural)


def _quick(ids: list[str]) -> list[str]:
    return [ids[k] for k in files._natural_places(ids).tolist()]


@pytest.mark.parametrize("sizes", [[1, 1], [2, 3, 1], [12, 11, 10], [3, 120, 2], [101, 1, 2]])
def test_builder_ids_take_the_quick_path_in_the_general_order(sizes, monkeypatch):
    ids = list(dagnet.mlp(sizes).graph.nodes)
    random.Random(0).shuffle(ids)
    expected = _general(ids)
    calls = []
    monkeypatch.setattr(files, "_natural", lambda n: calls.append(n) or (_ for _ in ()).throw(
        AssertionError("the general sort ran")))
    assert _quick(ids) == expected
    assert not calls


_DIGITS = st.text("0123456789", min_size=1, max_size=4)
_BUILDERISH = st.builds(
    lambda layer, letter, i, j: f"L{layer}.{letter}{i}" + (f"_{j}" if j is not None else ""),
    _DIGITS, st.sampled_from("vwxyab"), _DIGITS, st.none() | _DIGITS)
_ODD = st.sampled_from(["L1.x", "L1.W3", "L01.x1", "Lx.1", "L1.x1_", "L1.x1_2_3", "x10", "x2",
                        "L1.x\u0661", "L1.xy1", "L1.x1\n", "a\nL1.x1", "", "L1.x" + "9" * 19,
                        "L" + "1" * 19 + ".x1", "L1.x00", "L1.x0_0", "L1.x0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_BUILDERISH, unique=True, max_size=40),
       st.lists(_ODD, unique=True, max_size=3))
def test_quick_order_equals_general_order_on_fuzzed_ids(ids, odd):
    for some in (ids, ids + [n for n in odd if n not in ids]):
        random.Random(len(some)).shuffle(some)
        assert _quick(list(some)) == _general(some)


def test_huge_digit_runs_and_leading_zeros():
    ids = ["L1.x" + "9" * 18, "L1.x" + "1" + "0" * 17, "L1.x007", "L1.x7", "L1.x07", "L2.w0_0",
           "L2.w00", "L2.w0", "L10.v1", "L9.v1"]
    assert _quick(ids) == _general(ids)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=80),
       st.integers(0, 2**16), st.booleans())
def test_edge_order_is_by_the_places_of_source_then_target(edges, seed, builder):
    ids = [f"L1.x{k}" if builder else f"n{k}" for k in range(31)]
    random.Random(seed).shuffle(ids)
    edges = sorted(set(edges))
    random.Random(seed + 1).shuffle(edges)
    src = np.array([u for u, _ in edges], dtype=np.intp)
    dst = np.array([v for _, v in edges], dtype=np.intp)
    order = _general(ids)
    place = {n: k for k, n in enumerate(order)}
    expected = sorted(((ids[u], ids[v]) for u, v in edges),
                      key=lambda e: (place[e[0]], place[e[1]]))
    found = files._file_order(ids, src, dst)
    assert found.nodes == tuple(order) and found.pairs() == expected


def test_the_cached_file_order_follows_changes_of_the_structure_and_the_weights():
    from dagnet.io import to_json

    net = dagnet.mlp([2, 3, 1], rng=0)
    first = to_json(net)
    net.set_weights([0.5] * len(net.weights))  # same structure: the cached order, new values
    assert to_json(net) == to_json(net.copy()) != first
    _ = net.add_weight(net.add_input(10), "L1.v1", 1.0)  # new node and edges
    text = to_json(net)
    assert '"L1.x10"' in text and text == to_json(net.copy())
