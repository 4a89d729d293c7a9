"""The chain kernel (dagnet.compiled.fused.chain): runs of thin dense blocks in one call.

What the printer turns into a chain (and what it must not), and the chained networks
against the node-by-node interpreter: widths and depths, activations, weight draws (the
input shared by every draw or one per draw), row counts around the kernel's chunk, no
rows, NaN and inf."""

import numpy as np
import pytest
from netgen import reference_forward

import dagnet
from dagnet.compiled import fused as kernels


def forward_body(f) -> str:
    return f.source.split("def _forward")[1]


def check(net, X, f, draws=4, seed=5):
    """``f`` equals the interpreter on X, for the net's weights and for ``draws`` draws."""
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12, atol=1e-12)
    W = net.sample_weights(draws, rng=seed, low=-2, high=2)
    got = f(X, weights=W)
    assert got.shape == (draws, len(X), net.n_outputs)
    for k in range(draws):
        np.testing.assert_allclose(got[k], reference_forward(net, X, W[k]),
                                   rtol=1e-12, atol=1e-12)


def test_the_articles_mlp_is_one_chain_call_and_a_wide_net_none():
    """The chain replaces every block of 1-11-9-1; no chain in a wide net, nor without a
    fast activation (the fused code is then the numpy code), nor with fused=False."""
    f = dagnet.mlp([1, 11, 9, 1], "tanh", rng=0).compile()
    body = forward_body(f)
    assert "_chain(X, C1, _NC1, _AC1, V3)  # activations tanh, tanh, tanh" in body
    assert body.count("_chain(") == 1
    assert "np.matmul" not in body and "_fused(" not in body and "_bias_act(" not in body
    assert "C1 = np.ascontiguousarray(_wx[..., _IC1])" in f.source  # once per weight vector
    for sizes in ([2, 256, 256, 256, 1], [784, 128, 10]):
        assert "_chain" not in dagnet.mlp(sizes, "tanh", rng=0).compile().source
    assert "_chain" not in dagnet.mlp([1, 11, 9, 1], "tanh").compile(fused=False).source
    for act in (None, "identity", "logistic"):
        net = dagnet.mlp([2, 5, 5, 1], act, rng=0)
        assert net.compile().source == net.compile(fused=False).source


def test_chains_stop_at_the_width_and_size_limits():
    wide, side = kernels.CHAIN_WIDTH, int(kernels.CHAIN_MACS ** 0.5)
    for sizes, chained in (([1, wide, 1], True), ([1, wide + 1, 1], False),
                           ([wide + 1, 3, 1], False), ([1, 3, wide + 1, 2, 2, 2], True),
                           ([1, side, side, 1], True), ([1, side + 1, side + 1, 1], False)):
        net = dagnet.mlp(sizes, "tanh", rng=1)
        f = net.compile()
        assert ("_chain(" in f.source) is chained, sizes
        check(net, np.random.default_rng(0).uniform(-3, 3, size=(37, sizes[0])), f, draws=2)


@pytest.mark.parametrize("sizes, act", [
    ([1, 11, 9, 1], "tanh"), ([2, 16, 16, 3], "relu"), ([1, 1, 1], "tanh"),
    ([3, 5, 7, 2, 4], ["tanh", "relu", "identity", "tanh"]),
    ([2, 33, 17, 6, 1], ["relu", "tanh", "tanh", "identity"]),
    ([1, 64, 64, 1], "tanh"), ([4, 2, 9, 2], ["identity", "relu", "relu"]),
])
@pytest.mark.parametrize("rows", [0, 1, 255, 256, 257, 1000])
def test_chained_networks_equal_the_interpreter(sizes, act, rows):
    net = dagnet.mlp(sizes, act, rng=3)
    f = net.compile()
    assert "_chain(X, C1" in f.source
    X = np.random.default_rng(rows).uniform(-6, 6, size=(rows, sizes[0]))
    check(net, X, f)


@pytest.mark.parametrize("chunk", [1, 7, 300])
def test_chains_in_units_of_rows_and_of_draws(chunk):
    """Units of a few rows, and of a few draws of a large stack (the kernel's draw axis
    sliced per unit)."""
    net = dagnet.mlp([2, 9, 5, 3], "tanh", rng=4)
    f = net.compile(chunk_rows=chunk)
    assert "_chain(" in f.source
    X = np.random.default_rng(1).uniform(-4, 4, size=(611, 2))
    check(net, X, f, draws=3)
    W = net.sample_weights(40, rng=2)
    got = f(X[:20], weights=W)
    for k in (0, 17, 39):
        np.testing.assert_allclose(got[k], reference_forward(net, X[:20], W[k]),
                                   rtol=1e-12, atol=1e-12)


def test_a_chain_after_a_wide_block_takes_one_input_per_draw():
    net = dagnet.mlp([1, 200, 4, 4, 1], "tanh", rng=6)  # V1 too wide: V2 is per draw
    f = net.compile()
    assert "_chain(V2, C1, _NC1, _AC1, V4)" in f.source
    check(net, np.random.default_rng(2).uniform(-3, 3, size=(300, 1)), f, draws=5)


def test_an_activation_without_a_fast_path_breaks_the_chain():
    net = dagnet.mlp([1, 4, 4, 4, 1], ["tanh", "logistic", "tanh", "relu"], rng=2)
    f = net.compile()
    body = forward_body(f)
    # blocks 1-2 chained (block 2 without activation, then logistic), blocks 3-4 chained
    assert "_chain(X, C1, _NC1, _AC1, V2)  # activations tanh, none" in body
    assert "_chain(V2, C2, _NC2, _AC2, V4)  # activations tanh, relu" in body
    assert body.index("V2 = _f_logistic(V2)") < body.index("_chain(V2")
    check(net, np.random.default_rng(3).uniform(-6, 6, size=(500, 1)), f)


def test_a_hidden_value_read_elsewhere_is_not_inside_a_chain():
    """An output that reads layer 1 (or 2) keeps that layer's value: the chain starts after
    it (or ends with it)."""
    for hidden, line in (("L1.y2", "_chain(V1, C1, _NC1, _AC1, V3)"),
                         ("L2.y2", "_chain(X, C1, _NC1, _AC1, V2)")):
        net = dagnet.mlp([1, 4, 4, 1], "tanh", rng=0)
        net.add_output("L3.y0", 0)
        net.add_output(hidden, 1)
        f = net.compile()
        assert line in f.source
        check(net, np.random.default_rng(4).uniform(-3, 3, size=(100, 1)), f)


def test_non_finite_inputs_give_what_the_numpy_code_gives():
    for act in ("tanh", "relu"):
        net = dagnet.mlp([2, 6, 5, 3], act, rng=1)
        f = net.compile()
        assert "_chain(" in f.source
        X = np.array([[np.inf, 0.0], [-np.inf, 1.0], [np.nan, 0.0], [1e308, -1e308],
                      [0.0, -0.0], [5e-324, 2.0], [1e200, 1e200]] * 50)
        with np.errstate(invalid="ignore", over="ignore"):
            got, want = f(X), net.compile(fused=False)(X)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        assert np.isnan(got[2]).all()  # the NaN row
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)  # NaN where NaN


def test_the_kernel_against_numpy_with_a_draw_axis():
    """chain() directly: the input shared by every draw or one per draw, weights per draw
    or shared, every FAST activation and none."""
    rng = np.random.default_rng(7)
    dims = np.array([3, 6, 5, 2], dtype=np.int64)
    acts = np.array([kernels.FAST["tanh"], 0, kernels.FAST["relu"]], dtype=np.int64)
    K, n = 3, 700
    layers = [(rng.normal(size=(K, d, m)), rng.normal(size=(K, m)))
              for d, m in zip(dims[:-1], dims[1:])]
    P = np.concatenate([np.concatenate([W.reshape(K, -1), B], axis=1) for W, B in layers], axis=1)
    f = [np.tanh, lambda v: v, lambda v: np.maximum(v, 0.0)]

    def want(S, k):
        h = S
        for (W, B), fn in zip(layers, f):
            h = fn(h @ W[k] + B[k])
        return h

    for S in (rng.normal(size=(n, 3)) * 3, rng.normal(size=(K, n, 3)) * 3):
        V = np.empty((K, n, 2))
        kernels.chain(S, P, dims, acts, V)
        for k in range(K):
            np.testing.assert_allclose(V[k], want(S if S.ndim == 2 else S[k], k),
                                       rtol=1e-12, atol=1e-12)
    V = np.empty((n, 2))  # one weight vector, no draw axis
    kernels.chain(S[0], P[1], dims, acts, V)
    np.testing.assert_allclose(V, want(S[0], 1), rtol=1e-12, atol=1e-12)
    V = np.empty((K, n, 2))  # weights shared by every draw, input per draw
    kernels.chain(S, P[:1], dims, acts, V)
    np.testing.assert_allclose(V[2], want(S[2], 0), rtol=1e-12, atol=1e-12)


def test_random_mlps_with_chains_equal_the_interpreter():
    """Random sizes and activations (every built-in, and none): most have a chain."""
    rng = np.random.default_rng(11)
    chains = 0
    for seed in range(40):
        sizes = [int(s) for s in rng.integers(1, 13, size=int(rng.integers(3, 7)))]
        acts = [str(a) for a in rng.choice(["identity", "logistic", "tanh", "relu", "tanh"],
                                           size=len(sizes) - 1)]
        net = dagnet.mlp(sizes, acts, rng=seed)
        f = net.compile()
        chains += "_chain(" in f.source
        X = np.random.default_rng(seed).normal(size=(300, sizes[0])) * 3
        check(net, X, f, draws=2, seed=seed)
    assert chains >= 20
