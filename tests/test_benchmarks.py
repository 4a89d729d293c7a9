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


def test_the_growth_benchmark_writes_its_table_and_log_log_plot(tmp_path):
    out, png = tmp_path / "RESULTS.md", tmp_path / "scaling.png"
    out.write_text("# results\n\n<!-- scaling: start -->\nold\n<!-- scaling: end -->\n")
    done = subprocess.run([sys.executable, str(BENCH / "scaling.py"), "--max-weights", "1200",
                           "--repeat", "1", "--out", str(out), "--png", str(png)],
                          capture_output=True, text=True, timeout=600, cwd=BENCH)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert text.startswith("# results") and "old" not in text
    assert text.count("| 105 |") == 2 and text.count("| 987 |") == 2  # times and ratios
    assert "Log-log slopes" in text and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
