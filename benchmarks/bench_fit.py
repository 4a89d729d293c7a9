"""Benchmark: dagnet.fit against a hand-written numpy backprop, in the same run.

The task: a 2-16-16-1 network (tanh hidden layers, identity output), mean squared
error, Adam, 200 points, 1,000 full-batch steps, both starting from the same
weights. Both sides do the same arithmetic, so their final losses must agree;
the table reports the best of ``--repeat`` timings and the ratio. dagnet's time
includes compiling the gradient of a freshly built network (building it is not
timed); ``normalize=True`` starts from the same weights read for normalized
inputs, so its final loss differs.

For scale: micrograd, the best-known explicit-graph teaching engine, takes about
160 s for 100 steps of a network of this size.

Run: ``python benchmarks/bench_fit.py [--repeat 7] [--steps 1000]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

import dagnet

SIZES = [2, 16, 16, 1]
N_POINTS = 200


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """200 points in [-2, 2]^2 and a smooth target."""
    gen = np.random.default_rng(seed)
    X = gen.uniform(-2.0, 2.0, size=(N_POINTS, 2))
    y = np.sin(X[:, 0]) * np.cos(X[:, 1])
    return X, y


def numpy_fit(X: np.ndarray, y: np.ndarray, w0: np.ndarray, steps: int, lr: float) -> float:
    """Hand-written forward, backward and Adam for the 2-16-16-1 net; returns the final loss.

    Written the way a careful numpy programmer would: all parameters in one flat
    vector (per-layer matrices are views of it), so Adam is one vectorized update;
    in-place activations; bias gradients as ``ones @ delta``.
    """
    layers, k = [], 0
    for d, m in zip(SIZES[:-1], SIZES[1:]):  # dagnet's order: layer, j, then i (i = 0: bias)
        block = w0[k:k + m * (d + 1)].reshape(m, d + 1)
        layers += [block[:, 1:].T, block[:, 0]]
        k += m * (d + 1)
    theta = np.concatenate([p.ravel() for p in layers])
    grad = np.empty_like(theta)
    views, gviews, k = [], [], 0
    for p in layers:
        views.append(theta[k:k + p.size].reshape(p.shape))
        gviews.append(grad[k:k + p.size].reshape(p.shape))
        k += p.size
    W1, b1, W2, b2, W3, b3 = views
    gW1, gb1, gW2, gb2, gW3, gb3 = gviews
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    t = y[:, None]
    n = len(X)
    ones = np.ones(n)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        h1 = X @ W1
        h1 += b1
        np.tanh(h1, out=h1)
        h2 = h1 @ W2
        h2 += b2
        np.tanh(h2, out=h2)
        out = h2 @ W3
        out += b3
        d3 = (out - t) * (2.0 / n)
        np.matmul(h2.T, d3, out=gW3)
        np.matmul(ones, d3, out=gb3)
        d2 = d3 @ W3.T
        d2 *= 1.0 - h2 * h2
        np.matmul(h1.T, d2, out=gW2)
        np.matmul(ones, d2, out=gb2)
        d1 = d2 @ W2.T
        d1 *= 1.0 - h1 * h1
        np.matmul(X.T, d1, out=gW1)
        np.matmul(ones, d1, out=gb1)
        m *= beta1
        m += (1.0 - beta1) * grad
        v *= beta2
        v += (1.0 - beta2) * (grad * grad)
        m_hat = m / (1.0 - beta1 ** step)
        v_hat = v / (1.0 - beta2 ** step)
        theta -= lr * m_hat / (np.sqrt(v_hat) + eps)
    out = np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3
    return float(np.mean((out - t) ** 2))


def fresh_net(w0: np.ndarray) -> dagnet.Network:
    net = dagnet.mlp(SIZES, activation=["tanh", "tanh", "identity"])
    net.set_weights(w0)
    return net


def dagnet_fit(net: dagnet.Network, X: np.ndarray, y: np.ndarray, steps: int, lr: float,
               normalize: bool = False) -> float:
    """dagnet.fit on a freshly built network: the timing includes compiling its gradient."""
    return dagnet.fit(net, X, y, steps=steps, lr=lr, normalize=normalize,
                      progress=False).final_loss


def interleaved_ms(fns: dict, repeat: int) -> tuple[dict, dict]:
    """Best-of-``repeat`` milliseconds per function, the runs interleaved (fair under load)."""
    times: dict = {k: [] for k in fns}
    results: dict = {}
    for _ in range(repeat):
        for key, fn in fns.items():
            start = time.perf_counter()
            results[key] = fn()
            times[key].append(time.perf_counter() - start)
    return {k: 1e3 * min(v) for k, v in times.items()}, results


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args(argv)
    X, y = data()
    net = dagnet.mlp(SIZES, activation=["tanh", "tanh", "identity"])
    w0 = net.sample_weights(rng=1)
    lr = 0.01
    rows = []
    for threads in (None, 1):
        label = "default" if threads is None else str(threads)
        with threadpool_limits(limits=threads, user_api="blas"):
            nets = [fresh_net(w0) for _ in range(2 * args.repeat)]  # built outside the clock
            ms, res = interleaved_ms({
                "numpy": lambda: numpy_fit(X, y, w0, args.steps, lr),
                "dagnet": lambda nets=nets: dagnet_fit(nets.pop(), X, y, args.steps, lr),
                "dagnet_norm": lambda nets=nets: dagnet_fit(nets.pop(), X, y, args.steps, lr,
                                                            True),
            }, args.repeat)
        t_np, t_dn, t_dz = ms["numpy"], ms["dagnet"], ms["dagnet_norm"]
        loss_np, loss_dn, loss_dz = res["numpy"], res["dagnet"], res["dagnet_norm"]
        if not np.isclose(loss_np, loss_dn, rtol=1e-6):
            raise SystemExit(f"final losses differ: numpy {loss_np!r}, dagnet {loss_dn!r}")
        rows.append({"threads": label, "numpy_ms": t_np, "dagnet_ms": t_dn,
                     "dagnet_norm_ms": t_dz, "loss": loss_dn, "loss_norm": loss_dz})
    print(f"2-16-16-1 (tanh, tanh, identity), {N_POINTS} points, {args.steps} full-batch Adam "
          f"steps, best of {args.repeat}\n")
    print("| BLAS threads | hand-written numpy ms | dagnet.fit ms | ratio | "
          "dagnet.fit normalize=True ms | final loss (numpy = dagnet) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['threads']} | {r['numpy_ms']:.1f} | {r['dagnet_ms']:.1f} | "
              f"{r['dagnet_ms'] / r['numpy_ms']:.2f} | {r['dagnet_norm_ms']:.1f} | "
              f"{r['loss']:.3g} |")
    return rows


if __name__ == "__main__":
    main()
