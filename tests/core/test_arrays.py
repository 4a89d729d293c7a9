"""Issue 18, item 17 (and 11): every array entry point takes real numbers only; anything
else (text, bytes, complex, objects, dates, integers beyond float64) is one DagnetError
naming it. float32 and integer input is computed in float64."""

import numbers

import numpy as np
import pytest

import dagnet
import dagnet.plot
from dagnet.core.arrays import as_real_array

NET = dagnet.mlp([2, 3, 1], rng=0)
GOOD_X = np.array([[0.5, -1.0]])

BAD = [  # (value, words the message must name)
    (np.array([["1", "2"]]), "<U1"), (np.array([[b"1", b"2"]]), "|S1"),
    (np.array([[1 + 1j, 2]]), "complex128"), ([[1 + 0j, 2]], "complex"),
    (np.array([[1, None]], dtype=object), "NoneType"), ([[10**400, 1]], "too large"),
    (np.array([["2020-01-01", "2020-01-02"]], dtype="datetime64[D]"), "datetime64"),
    ([["a", "b"]], "text"), ({"a": 1}, "dict"), ([[1, [2]]], "list"),
]


def _entry_points(value):
    """Every public way an array reaches dagnet (X, weights, targets), with value put in."""
    w = NET.weights
    return {
        "compile X": lambda: NET.compile()(value),
        "gradient X": lambda: NET.gradient(value, np.zeros((1, 1))),
        "fit X": lambda: dagnet.fit(NET.copy(), value, np.zeros((1, 1)), steps=1),
        "gradient y": lambda: NET.gradient(GOOD_X, value),
        "fit y": lambda: dagnet.fit(NET.copy(), GOOD_X, value, steps=1),
        "compile weights": lambda: NET.compile()(GOOD_X, weights=_as_weights(value, w)),
        "gradient weights": lambda: NET.gradient(GOOD_X, np.zeros((1, 1)),
                                                 weights=_as_weights(value, w)),
        "set_weights": lambda: NET.copy().set_weights(_as_weights(value, w)),
        "plot weights": lambda: dagnet.plot.family(dagnet.mlp([1, 2, 1]),
                                                   weights=_as_weights(value, np.zeros(7))),
        "classify X": lambda: dagnet.plot.classify(NET, value),
    }


def _as_weights(value, w):
    """The bad value in a weight vector of the right length (its kind kept)."""
    arr = np.asarray(value, dtype=object if not isinstance(value, np.ndarray) else None)
    if arr.ndim == 0:
        return value
    worst = max(arr.ravel(), key=lambda v: not isinstance(v, numbers.Real))
    flat = [worst] * len(w)
    return np.array(flat, dtype=arr.dtype) if isinstance(value, np.ndarray) else flat


@pytest.mark.parametrize("value, words", BAD, ids=[w for _, w in BAD])
def test_every_entry_point_refuses_non_real_arrays(value, words):
    for name, call in _entry_points(value).items():
        try:
            call()
        except dagnet.DagnetError:
            continue
        pytest.fail(f"{name} accepted {value!r}")


@pytest.mark.parametrize("value, words", BAD, ids=[w for _, w in BAD])
def test_the_message_names_the_dtype(value, words):
    with pytest.raises(dagnet.ShapeError, match=f"X must be .*{words.replace('|', '.')}"):
        NET.compile()(value)


def test_real_dtypes_are_computed_in_float64():
    f = NET.compile()
    want = f(GOOD_X)
    for X in (GOOD_X.astype(np.float32), np.array([[1, 0]]), np.array([[True, False]]),
              [[0.5, -1]], np.array([[1, 0]], dtype=np.uint8)):
        got = f(X)
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, f(np.asarray(X, dtype=np.float64)), rtol=0)
    assert as_real_array(np.float32([0.1]), "x")[0] == np.float64(np.float32(0.1))
    np.testing.assert_array_equal(want, f(GOOD_X))


def test_the_issue_reproducers_no_silent_conversion():
    f = NET.compile()
    with pytest.warns(None) if False else _no_warning():
        with pytest.raises(dagnet.ShapeError, match="complex"):
            f(np.array([[1 + 1j, 2]]))
    with pytest.raises(dagnet.WeightError, match="<U"):
        f(GOOD_X, weights=np.array([str(v) for v in NET.weights]))
    with pytest.raises(dagnet.WeightError, match="too large"):
        f(GOOD_X, weights=[10**400] * NET.n_weights)


class _no_warning:
    def __enter__(self):
        import warnings
        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


@pytest.mark.parametrize("key, value", [
    ("kind", np.array(["input"])), ("kind", ["input"]), ("kind", 3),
    ("index", 10**400), ("index", np.array([1])), ("layer", np.array([1, 2])),
    ("layer", 10**18), ("name", 5), ("name", ["x_1"]), ("value", 10**400),
    ("activation", ["tanh"]), ("i", 2**70),
])
def test_odd_attribute_types_are_one_network_error(key, value):
    """Item 11: attribute types from outside are refused, not a TypeError/OverflowError."""
    net = dagnet.mlp([1, 1], rng=0)
    node = {"value": "L1.w10", "i": "L1.w10", "activation": "L1.y0"}.get(key, "L1.x1")
    net.graph.nodes[node][key] = value
    with pytest.raises(dagnet.WeightError if key == "value" else dagnet.DagnetError):
        net.compile()(np.zeros((1, 1)))


@pytest.mark.parametrize("labels", [{"L1.x1": 5}, {"L1.x1": None}, ["a"], "L1.x1"])
def test_diagram_labels_must_be_text(labels):
    with pytest.raises(dagnet.DiagramError, match="labels"):
        dagnet.to_dot(NET, labels=labels)


def test_diagram_labels_are_escaped():
    text = dagnet.to_dot(NET, labels={"L1.x1": "<b>x</b> & y"})
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt; &amp; y" in text
