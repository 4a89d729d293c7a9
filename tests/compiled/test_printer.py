"""The block-code printer is the one source of the forward code of compile() and of the
compiled gradient: what it prints for a block shows up in both, and the values the gradient's
forward pass computes are compile()'s outputs."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netgen import random_dag, reference_forward, skip_net

import dagnet
from dagnet.compiled import printer
from dagnet.compiled.printer import BlockCode, ForwardCode, GradientCode
from dagnet.core.blocks import ActGroup, SumBlock, extend_weights
from dagnet.symbolic.matrixform import MatrixForm


def gradient_outputs(net, X, w):
    """The network outputs the compiled gradient's forward pass computes (its ``_OUT``),
    caught by the loss function it is handed."""
    seen = []

    def loss(out, T):
        seen.append(out.copy())
        return 0.0, np.zeros_like(out)

    dagnet.compile_gradient(net).run(X, None, extend_weights(w), loss)
    (out,) = seen
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_the_gradients_forward_values_are_compiles_outputs_on_random_dags(seed):
    net = random_dag(seed, max_layers=5, max_width=5)
    gen = np.random.default_rng(seed)
    X = gen.normal(size=(7, net.n_inputs))
    w = net.sample_weights(rng=seed, low=-1.5, high=1.5)
    got = gradient_outputs(net, X, w)
    expected = net.compile()(X, weights=w)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    # and both are the network (an interpreter sharing no code with the printer)
    np.testing.assert_allclose(expected, reference_forward(net, X, w), rtol=1e-9, atol=1e-12)


def test_the_forward_values_agree_on_every_kind_of_block():
    """skip_net: gathered sources, doubled weights, a bias-only sum, several outputs."""
    net = skip_net()
    X = np.random.default_rng(1).normal(size=(9, net.n_inputs))
    np.testing.assert_allclose(gradient_outputs(net, X, net.weights),
                               net.compile()(X), rtol=1e-12, atol=1e-14)


def test_a_change_to_how_blocks_are_printed_shows_up_in_both(monkeypatch):
    """Patch the printer's shared block-matrix gathering and activation lookup: compile()
    and compile_gradient() both change, in text and in value."""
    gathered = BlockCode._block_matrix
    function = BlockCode._function
    monkeypatch.setattr(BlockCode, "_block_matrix",
                        lambda self, name, idx, dups: [*gathered(self, name, idx, dups),
                                                       f"# patched {name}"])
    monkeypatch.setattr(BlockCode, "_function", lambda self, name: function(self, "relu"))
    net = dagnet.mlp([2, 3, 2], "tanh", rng=4)  # compiled after the patch: not cached
    f, g = net.compile(), dagnet.compile_gradient(net)
    assert f.source.count("# patched ") == g.source.count("# patched ") == 4  # W, B per layer
    assert "_f_tanh" not in f.source and "_f_tanh" not in g.source
    X = np.random.default_rng(0).normal(size=(6, 2))
    as_relu = dagnet.mlp([2, 3, 2], "relu")
    as_relu.set_weights(net.weights)
    expected = reference_forward(as_relu, X)
    np.testing.assert_allclose(f(X), expected, rtol=1e-12)
    np.testing.assert_allclose(gradient_outputs(net, X, net.weights), expected, rtol=1e-12)


def test_the_two_targets_read_one_walk_of_the_equations():
    """Same blocks in the same order, each reading the same columns: the forward names the
    values by the form's symbols, the gradient by block number."""
    net = skip_net()
    form = MatrixForm(net)
    fwd, grad = ForwardCode(form), GradientCode(form)
    assert fwd.plan is grad.plan is form.plan
    # the same index arrays (named by the form's numbers, or the plan's) and activations
    fa, ga = list(fwd.consts.values()), list(grad.consts.values())
    assert len(fa) == len(ga) > 0
    for a, b in zip(fa, ga):
        assert a is b
    assert [k for k in fwd.consts if k.startswith("_f_")] == \
        [k for k in grad.consts if k.startswith("_f_")]
    sums = [b for b in form.plan.blocks if isinstance(b, SumBlock)]
    acts = [b for b in form.plan.blocks if isinstance(b, ActGroup)]
    assert grad.n_blocks == len(sums) + len(acts)
    for k, block in enumerate(form.plan.blocks, start=1):
        assert grad.names[block.var] == f"{'V' if block in sums else 'Y'}{k}"
    # the gradient keeps every gathered input, the forward code prints it in place
    assert any(s.startswith("S") for s in grad.inputs.values())
    assert "_cat(" in fwd.source() and "np.concatenate" not in fwd.source()


def test_a_bias_read_as_a_value_is_one_column_of_ones_in_both():
    net = dagnet.Network()
    b, x1 = net.add_bias(), net.add_input(1)
    v = net.add_sum(0)
    net.add_weight(x1, v, 2.0)
    net.add_weight(b, v, 0.5)
    y = net.add_activation(b, "tanh", index=7)
    net.add_output(v, 0)
    net.add_output(y, 1)
    net.add_output(b, 2)
    form = MatrixForm(net)
    for code in (ForwardCode(form), GradientCode(form)):
        assert code.body.count("_1 = np.ones((X.shape[0], 1))") == 1
    X = np.array([[1.0], [-3.0]])
    expected = np.column_stack([2 * X[:, 0] + 0.5, np.full(2, np.tanh(1.0)), np.ones(2)])
    np.testing.assert_allclose(net.compile()(X), expected, rtol=1e-15)
    np.testing.assert_allclose(gradient_outputs(net, X, net.weights), expected, rtol=1e-15)


def test_the_printer_module_is_where_both_get_their_code():
    from dagnet.compiled import backprop, forward
    assert forward.ForwardCode is printer.ForwardCode
    assert backprop.GradientCode is printer.GradientCode
    assert not hasattr(backprop, "_Source") and not hasattr(forward, "_Source")
