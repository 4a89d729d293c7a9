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


def test_public_functions_and_methods_are_annotated():
    """Type hints on the public API: every parameter and every return of dagnet.__all__ and
    dagnet.plot.__all__ (functions, and the public methods of dagnet's classes)."""
    import inspect

    from dagnet import plot

    missing = []

    def check(name, fn):
        sig = inspect.signature(fn)
        missing.extend(f"{name}({p.name})" for p in sig.parameters.values()
                       if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty)
        if sig.return_annotation is inspect.Signature.empty:
            missing.append(f"{name} -> ?")

    for mod in (dagnet, plot):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                check(name, obj)
            elif inspect.isclass(obj) and obj.__module__.startswith("dagnet"):
                for attr, fn in vars(obj).items():
                    if inspect.isfunction(fn) and not attr.startswith("_"):
                        check(f"{name}.{attr}", fn)
    assert missing == []
