"""How dagnet's costs grow with network size, next to the networkx floor, in one run.

For MLPs ``[2, w, w, 1]`` from about 1e2 to 1e6 weights this times, each the minimum of a
few runs (a step that has a floor interleaved with it): build (:func:`dagnet.mlp` with
random weights), compile of that fresh network, validate + compile of a copy (no cache
helps; the copy is not timed), the first save of a fresh network and a load (JSON, schema
check included), a simplified diagram
(``to_dot``) and the per-node equations; and the floor each could approach: networkx's
``add_nodes_from`` + ``add_edges_from`` of the same nodes and edges,
``json.dumps(node_link_data)`` written to the same disk, and ``json.loads`` +
``node_link_graph``. It writes the table (time, floor, ratio) and
``benchmarks/scaling.png``: time against weights on log-log axes, a straight line of
slope 1 being linear growth.

Run by ``make bench``: ``python benchmarks/scaling.py [--quick] [--max-weights N] [--out FILE]``
(``--quick``: up to about 1e5 weights, a minute or two; the full run goes to 1e6).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable

import floors
import networkx as nx
import numpy as np
from report import write_block

import dagnet

HERE = os.path.dirname(os.path.abspath(__file__))
#: Hidden widths w of [2, w, w, 1]: n_weights = w * w + 5 w + 1, about 1e2 .. 1e6.
WIDTHS = (8, 29, 97, 313, 997)


def best(fn: Callable[..., object], repeat: int,
         setup: Callable[[], object] | None = None) -> float:
    """The fastest of ``repeat`` runs, garbage collected before each; with ``setup``, each
    run times ``fn(setup())`` and not the setup."""
    return min(floors.timed(fn, setup) for _ in range(repeat))


def best_pair(fn: Callable[..., object], floor: Callable[[], object], repeat: int,
              setup: Callable[[], object] | None = None) -> tuple[float, float]:
    """:func:`best` of ``fn`` and of its ``floor``, interleaved run by run, so that both
    see the same state of the machine and of the process's memory."""
    pairs = [(floors.timed(fn, setup), floors.timed(floor)) for _ in range(repeat)]
    return min(a for a, _ in pairs), min(b for _, b in pairs)


def measure(width: int, tmp: str, repeat: int) -> dict[str, float]:
    sizes = [2, width, width, 1]
    net = dagnet.mlp(sizes, "tanh", rng=0)
    G = net.graph
    nodes, edges = list(G.nodes(data=True)), list(G.edges())
    path, floor_path = os.path.join(tmp, "net.json"), os.path.join(tmp, "floor.json")
    dagnet.save(net, path)

    def floor_build():
        H = nx.DiGraph()
        H.add_nodes_from(nodes)
        H.add_edges_from(edges)

    def floor_save():
        floors.save_floor(G, floor_path)

    def floor_load():
        floors.load_floor(floor_path)

    floor_save()

    def draw():
        dagnet.to_dot(net, "simplified")

    def fresh():
        return dagnet.mlp(sizes, "tanh", rng=0)

    build, build_floor = best_pair(fresh, floor_build, repeat)
    save, save_floor = best_pair(lambda n: dagnet.save(n, path), floor_save, repeat,
                                 fresh)  # the first save of a network just built
    load, load_floor = best_pair(lambda: dagnet.load(path), floor_load, repeat)
    row = {
        "weights": float(net.n_weights),
        "build": build,
        "build floor": build_floor,
        "compile (fresh)": best(lambda n: n.compile(), repeat, fresh),
        "validate + compile": best(lambda n: n.compile(), repeat, net.copy),
        "save": save,
        "save floor": save_floor,
        "load": load,
        "load floor": load_floor,
        "draw (simplified)": best(draw, repeat),
    }
    if net.n_weights <= 200_000:  # per-node sympy equations: ~1 s per 1e5 weights
        row["equations"] = best(lambda n: n.equations(), 1, fresh)
    return row


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(time) on log(weights): 1 is linear growth."""
    return float(np.polyfit(np.log10(xs), np.log10(ys), 1)[0])


def plot(rows: list[dict[str, float]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    xs = [r["weights"] for r in rows]
    keys = [k for k in rows[0] if k != "weights"]
    for k in keys:
        pts = [(r["weights"], r[k]) for r in rows if k in r]
        style = "--" if "floor" in k else "-"
        ax.plot(*zip(*pts), style, marker="o", label=f"{k} (slope {slope(*zip(*pts)):.2f})")
    ref = np.array([xs[0], xs[-1]])
    ax.plot(ref, rows[0]["build"] * ref / xs[0], ":", color="grey", label="slope 1 (linear)")
    ax.set(xscale="log", yscale="log", xlabel="weights of [2, w, w, 1]", ylabel="seconds",
           title="dagnet's costs against network size (dashed: networkx floors)")
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    from dagnet.core.atomic import atomic_path
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)


def table(rows: list[dict[str, float]]) -> str:
    keys = [k for k in rows[0] if k != "weights"]
    lines = ["| weights | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for r in rows:
        lines.append(f"| {r['weights']:.3g} | "
                     + " | ".join(f"{r[k]:.3g} s" if k in r else "-" for k in keys) + " |")
    ratios = ["", "| weights | build / floor | compile (fresh) / build floor | "
                  "validate + compile (copy) / build floor | save / floor | load / floor | "
                  "draw / build |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratios.append(f"| {r['weights']:.3g} | {r['build'] / r['build floor']:.2f} | "
                      f"{r['compile (fresh)'] / r['build floor']:.2f} | "
                      f"{r['validate + compile'] / r['build floor']:.2f} | "
                      f"{r['save'] / r['save floor']:.2f} | {r['load'] / r['load floor']:.2f} | "
                      f"{r['draw (simplified)'] / r['build']:.3f} |")
    fits = {k: slope([r["weights"] for r in rows if k in r], [r[k] for r in rows if k in r])
            for k in keys}
    slopes = ", ".join(f"{k} {v:.2f}" for k, v in fits.items())
    return "\n".join(lines + ratios + ["", f"Log-log slopes (1 = linear): {slopes}."])


def summary(rows: list[dict[str, float]]) -> str:
    """The ratio table and slopes of :func:`table`, for the README."""
    ratios = table(rows).split("\n\n", 1)[1]
    return ("Around evaluation (`benchmarks/scaling.py`, dagnet / the same work done by "
            "networkx and `json` alone, same run; [plot](benchmarks/scaling.png)):\n\n" + ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-weights", type=float, default=1.1e6,
                        help="largest network to time (default: about 1e6 weights)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: up to about 1e5 weights, at most 2 runs per "
                             "measurement (1 at 1e5)")
    parser.add_argument("--out", help="put the table into this Markdown file")
    parser.add_argument("--readme", help="put the summary (ratios to the floors, slopes) into "
                                         "this Markdown file")
    parser.add_argument("--png", default=os.path.join(HERE, "scaling.png"))
    args = parser.parse_args(argv)
    if args.quick:
        args.max_weights, args.repeat = min(args.max_weights, 2e5), min(args.repeat, 2)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for w in WIDTHS:
            if w * w + 5 * w + 1 > args.max_weights:
                break
            big = w >= (300 if args.quick else 500)  # 1e5 weights (quick) or 1e6: one run
            rows.append(measure(w, tmp, 1 if big else args.repeat))
            print(", ".join(f"{k} {v:.3g}" for k, v in rows[-1].items()), file=sys.stderr)
    text = ("### Growth with size (time against weights; floors: networkx and json alone)\n\n"
            + table(rows) + "\n\n![scaling](scaling.png)")
    print(text)
    plot(rows, args.png)
    if args.out:
        write_block(args.out, "scaling", text)
    if args.readme:
        write_block(args.readme, "scaling", summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
