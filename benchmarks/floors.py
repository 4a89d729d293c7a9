"""What the size benchmarks share: how one run is timed, and the json floors of save and load.

``scaling.py`` and ``bench_io.py`` compare dagnet's save and load with what :mod:`json` and
networkx alone take for the same graph on the same disk; both measure the same floors.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable

import networkx as nx


def timed(fn: Callable[..., object], setup: Callable[[], object] | None = None) -> float:
    """Seconds of one run of ``fn()`` (or of ``fn(setup())``, the setup not timed), garbage
    collected before it."""
    arg = setup() if setup is not None else None
    gc.collect()
    t0 = time.perf_counter()
    fn(arg) if setup is not None else fn()
    return time.perf_counter() - t0


def save_floor(G: nx.DiGraph, path: str) -> None:
    """``json.dumps(nx.node_link_data(G))`` written to ``path``: the floor of a save."""
    with open(path, "w") as fh:
        fh.write(json.dumps(nx.node_link_data(G, edges="edges")))


def load_floor(path: str) -> nx.DiGraph:
    """``json.loads`` + ``nx.node_link_graph`` of ``path``: the floor of a load."""
    with open(path) as fh:
        return nx.node_link_graph(json.loads(fh.read()), edges="edges")
