"""Issue 18, item 5: atomic writes keep the replaced file's mode (a private file stays
private), write through symbolic links, and leave no temporary file behind after SIGTERM
(cleaned at once) or SIGKILL (cleaned by the next write of the same file). Real signals,
in a child process."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dagnet
from dagnet.core.atomic import TEMP_MARK, write_text
from dagnet.draw.render import render_diagram
from dagnet.io import files

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {
    "save": lambda net, p: dagnet.save(net, p),
    "export .py": lambda net, p: files.export(net, p),
    "render_diagram .dot": lambda net, p: render_diagram(net, p),
}
SUFFIX = {"save": ".json", "export .py": ".py", "render_diagram .dot": ".dot"}


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444 | 0o200])
def test_replacing_a_file_keeps_its_mode(tmp_path, writer, mode):
    path = tmp_path / f"net{SUFFIX[writer]}"
    path.write_text("old")
    os.chmod(path, mode)
    WRITERS[writer](dagnet.linear(1, rng=0), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert path.read_text() != "old"


def test_a_new_file_gets_the_umask_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o640


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symlink_is_written_through(tmp_path, writer):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / f"net{SUFFIX[writer]}"
    target.write_text("old")
    os.chmod(target, 0o600)
    link = tmp_path / f"link{SUFFIX[writer]}"
    link.symlink_to(target)
    WRITERS[writer](dagnet.linear(1, rng=0), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() != "old" and link.read_text() == target.read_text()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == [target.name]


_CHILD = textwrap.dedent("""
    import sys, time
    import dagnet
    import dagnet.core.atomic as atomic

    real_open = open

    class Slow:
        def __init__(self, fh):
            self.fh = fh
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.fh.close()
        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            print("writing", flush=True)
            time.sleep(60)

    atomic.open = lambda f, mode="r", *a, **k: Slow(real_open(f, mode, *a, **k))
    dagnet.save(dagnet.mlp([2, 3, 1], rng=0), sys.argv[1])
""")


def _killed_midway(path: Path, sig: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "writing"
    assert any(TEMP_MARK in p.name for p in path.parent.iterdir())  # the write is under way
    child.send_signal(sig)
    child.wait(timeout=30)
    return child


def test_sigterm_during_save_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "net.json"
    dagnet.save(dagnet.linear(1, rng=0), path)
    before = path.read_bytes()
    child = _killed_midway(path, signal.SIGTERM)
    assert child.returncode == -signal.SIGTERM  # ended as SIGTERM ends a process
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]
    assert path.read_bytes() == before


def test_the_next_write_removes_what_sigkill_left(tmp_path):
    path = tmp_path / "net.json"
    dagnet.save(dagnet.linear(1, rng=0), path)
    child = _killed_midway(path, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir() if p.name != "net.json"]
    assert len(left) == 1 and TEMP_MARK in left[0]  # SIGKILL cannot be caught ...
    live = tmp_path / f".net.json{TEMP_MARK}{os.getppid()}-abc.tmp.json"
    live.write_text("a live process is still writing this")
    other = tmp_path / f".other.json{TEMP_MARK}{child.pid}-abc.tmp.json"
    other.write_text("another target's")
    dagnet.save(dagnet.linear(1, rng=1), path)  # ... the next write of the file cleans up
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["net.json", live.name,
                                                                other.name])
    assert dagnet.load(path).weights.tolist() == dagnet.linear(1, rng=1).weights.tolist()


def test_sigterm_handler_is_restored_after_a_write(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    write_text(tmp_path / "a.txt", "x")
    assert signal.getsignal(signal.SIGTERM) is before


def test_missing_folders_of_the_target_are_made(tmp_path):
    target = tmp_path / "a" / "b" / "net.txt"
    write_text(target, "x")
    assert target.read_text() == "x"
    assert [p.name for p in target.parent.iterdir()] == ["net.txt"]  # no temporary file left
