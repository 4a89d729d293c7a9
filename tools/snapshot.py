"""Write every deterministic text output of dagnet for a fixed set of networks into a folder.

Run it before and after a refactor and compare the folders (``diff -r``): DOT text, LaTeX
(every form), node-link JSON, GraphML, the generated forward and gradient code and the
standalone ``.py`` export must stay byte-identical. Uses only the public API.

    python tools/snapshot.py OUT_DIR
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import dagnet


def _rand(net, seed):
    net.randomize(rng=seed)
    return net


SPECS = {
    "linear1": lambda: _rand(dagnet.linear(1), 5),
    "linear2": lambda: _rand(dagnet.linear(2), 6),
    "logistic1": lambda: _rand(dagnet.logistic(1), 7),
    "mlp-1-11-9-1": lambda: dagnet.mlp([1, 11, 9, 1], "tanh", rng=0),
    "mlp-2-16-16-3": lambda: dagnet.mlp([2, 16, 16, 3], ["relu", "tanh", "logistic"], rng=1),
    "mlp-1-100-1": lambda: dagnet.mlp([1, 100, 1], None, rng=2),
    "mlp-2-3-1": lambda: dagnet.mlp([2, 3, 1], "tanh", rng=3),
    "mlp-3-4-4-2": lambda: dagnet.mlp([3, 4, 4, 2], "relu", rng=4),
}


def skip_net() -> dagnet.Network:
    net = dagnet.Network()
    x0, x1, x2 = net.add_bias(), net.add_input(1), net.add_input(2)
    v0 = net.add_sum(0)
    net.add_weight(x0, v0, 0.1), net.add_weight(x1, v0, -0.4), net.add_weight(x2, v0, 0.7)
    y0 = net.add_activation(v0, "tanh")
    b2, h = net.add_bias(2), net.add_input(1, 2, source=y0)
    s = net.add_input(2, 2, source=x1)  # skip connection
    v = net.add_sum(0, 2)
    net.add_weight(b2, v, 0.3), net.add_weight(h, v, 1.5), net.add_weight(s, v, -2.0)
    net.add_activation(v, "logistic")
    return net


def write(out: Path, name: str, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    (out / name).write_bytes(data)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    nets = {k: f() for k, f in SPECS.items()}
    nets["skip"] = skip_net()
    for key, net in nets.items():
        for style in ("explicit", "simplified"):
            for theme in ("plain", "retro"):
                write(out, f"{key}.{style}.{theme}.dot", dagnet.to_dot(net, style, theme=theme))
        write(out, f"{key}.values.dot", dagnet.to_dot(net, "explicit", show_values=True))
        for form in ("nodes", "indexed", "matrix"):
            try:
                write(out, f"{key}.{form}.tex", net.latex(form=form))
                write(out, f"{key}.{form}.eqs.txt", "\n".join(map(str, net.equations(form=form))))
            except dagnet.DagnetError as exc:
                write(out, f"{key}.{form}.err", type(exc).__name__)
        write(out, f"{key}.numeric.tex", net.latex(weights="numeric"))
        write(out, f"{key}.expr.txt", str(net.expression(weights="numeric")))
        for loss in ("mse", "cross_entropy"):
            try:
                write(out, f"{key}.backward.{loss}.tex", dagnet.backward_latex(net, loss))
            except dagnet.DagnetError as exc:
                write(out, f"{key}.backward.{loss}.err", type(exc).__name__)
        write(out, f"{key}.forward.py", net.compile().source)
        g = dagnet.compile_gradient(net)
        src = getattr(g, "source", None)
        if src is not None:
            write(out, f"{key}.gradient.py", src)
        for suffix in (".json", ".graphml", ".tex", ".py", ".dot"):
            path = out / f"{key}.export{suffix}"
            dagnet.export(net, path)
        write(out, f"{key}.save.json", Path(dagnet.save(net, out / f"{key}.s.json")).read_bytes())
    digest = hashlib.sha256()
    for p in sorted(out.iterdir()):
        digest.update(p.name.encode() + p.read_bytes())
    print(f"{len(list(out.iterdir()))} files, sha256 {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
