"""Save and load of big networks against the networkx floor, measured in one run.

For 784-128-10 and 2-256-256-256-1 this times, interleaved and each the minimum of a few
runs, :func:`dagnet.save` and :func:`dagnet.load` (JSON with its schema check and the
network validation; GraphML) next to what networkx and :mod:`json` alone take for the same
graph on the same disk: ``json.dumps(nx.node_link_data(G))`` written to a file,
``json.loads`` + ``nx.node_link_graph`` of that file, ``nx.write_graphml`` and
``nx.read_graphml``. Issue 14's target: every ratio <= 1.5.

"save json" saves the same network again (its file order and schema verdict are kept per
structure); "first save json" saves a network just built by ``mlp`` and "first save of a
loaded network" one just read by ``load`` (made untimed before each run), against the same
floor.

    python benchmarks/bench_io.py [--repeat N] [--nets 784-128-10,2-256-256-256-1]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable

import networkx as nx
from floors import load_floor, save_floor, timed

import dagnet

NETS = {"784-128-10": [784, 128, 10], "2-256-256-256-1": [2, 256, 256, 256, 1]}
TARGET = 1.5


Step = Callable[[], object] | tuple[Callable[[], object], Callable[[object], object]]


def _timed(step: Step) -> float:
    """Seconds of one run of ``step``: a callable, or (setup, run) with only
    ``run(setup())`` timed."""
    return timed(step[1], step[0]) if isinstance(step, tuple) else timed(step)


def jobs(net: dagnet.Network, tmp: str, sizes: list[int]) -> dict[str, Step]:
    """The timed steps, in pairs (dagnet, floor)."""
    G = net.graph
    p = {k: os.path.join(tmp, k) for k in ("net.json", "floor.json", "net.graphml",
                                           "floor.graphml", "fresh.json", "back.json")}

    def floor_save() -> None:
        save_floor(G, p["floor.json"])

    def floor_load() -> None:
        load_floor(p["floor.json"])

    return {
        "save json": lambda: dagnet.save(net, p["net.json"]),
        "save json floor": floor_save,
        "first save json": (lambda: dagnet.mlp(sizes, "tanh", rng=0),
                            lambda fresh: dagnet.save(fresh, p["fresh.json"])),
        "first save json floor": floor_save,
        "first save of a loaded network": (lambda: dagnet.load(p["net.json"]),
                                           lambda back: dagnet.save(back, p["back.json"])),
        "first save of a loaded network floor": floor_save,
        "load json": lambda: dagnet.load(p["net.json"]),
        "load json floor": floor_load,
        "save graphml": lambda: dagnet.save(net, p["net.graphml"]),
        "save graphml floor": lambda: nx.write_graphml(G, p["floor.graphml"]),
        "load graphml": lambda: dagnet.load(p["net.graphml"]),
        "load graphml floor": lambda: nx.read_graphml(p["floor.graphml"]),
    }


def measure(sizes: list[int], repeat: int) -> dict[str, float]:
    net = dagnet.mlp(sizes, "tanh", rng=0)
    with tempfile.TemporaryDirectory() as tmp:
        dagnet.save(net, os.path.join(tmp, "net.json"))  # read by the loading steps
        steps = jobs(net, tmp, sizes)
        best = {k: float("inf") for k in steps}
        for _ in range(repeat):  # interleaved: each round times every step once
            for k, fn in steps.items():
                best[k] = min(best[k], _timed(fn))
    return best


def table(rows: dict[str, dict[str, float]]) -> str:
    lines = [f"| network | step | dagnet | floor | ratio | <= {TARGET:.1f} |",
             "|---|---|---|---|---|---|"]
    for name, row in rows.items():
        for step in ("save json", "first save json", "first save of a loaded network",
                     "load json", "save graphml", "load graphml"):
            t, f = row[step], row[f"{step} floor"]
            lines.append(f"| {name} | {step} | {t:.3g} s | {f:.3g} s | {t / f:.2f} | "
                         f"{'yes' if t / f <= TARGET else 'no'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (minimum kept)")
    parser.add_argument("--nets", default=",".join(NETS), help="comma-separated names")
    args = parser.parse_args(argv)
    rows = {}
    for name in args.nets.split(","):
        rows[name] = measure(NETS[name], args.repeat)
        print(name, ", ".join(f"{k} {v:.3g}" for k, v in rows[name].items()), file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
