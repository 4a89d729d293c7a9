"""The public API is re-exported explicitly and every name resolves."""

import dagnet
import dagnet.errors


def test_all_names_exist_and_are_unique():
    assert len(dagnet.__all__) == len(set(dagnet.__all__))
    for name in dagnet.__all__:
        assert getattr(dagnet, name) is not None, name


def test_every_error_class_is_public_and_a_dagnet_error():
    for name in dagnet.errors.__all__:
        cls = getattr(dagnet.errors, name)
        assert issubclass(cls, dagnet.DagnetError)
        assert getattr(dagnet, name) is cls, f"dagnet.{name} is not re-exported"
