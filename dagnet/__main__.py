"""``python -m dagnet``: the same as the ``dagnet`` command (see :mod:`dagnet.cli`)."""

from .cli.parser import main

if __name__ == "__main__":
    raise SystemExit(main())
