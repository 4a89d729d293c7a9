"""The peer benchmark's engines compute what dagnet computes (checked before any timing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
pytestmark = pytest.mark.slow


def test_every_installed_peer_agrees_with_dagnet_to_1e_10():
    done = subprocess.run([sys.executable, str(BENCH / "peers.py"), "--check"],
                          capture_output=True, text=True, timeout=600, cwd=BENCH)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stderr.splitlines() if " @ " in line]
    assert len(rows) == 3
    for row in rows:  # numpy and sympy are always there; the others when installed
        assert "numpy plain agrees" in row and "sympy lambdify (cse) agrees" in row
        for peer in ("torch", "jax jit", "onnxruntime"):
            assert f"{peer} agrees" in row or f"{peer} not installed" in row


def test_a_peer_that_disagrees_stops_the_benchmark(monkeypatch):
    sys.path.insert(0, str(BENCH))
    try:
        import peers
    finally:
        sys.path.remove(str(BENCH))

    def wrong(wl):
        return lambda X, W: peers.numpy_peer(wl)(X, W) + 1e-9

    monkeypatch.setattr(peers, "PEERS", {"numpy plain": wrong})
    with pytest.raises(SystemExit, match="numpy plain disagrees with dagnet"):
        peers.measure(peers.QUICK[0], 1, check_only=True)
