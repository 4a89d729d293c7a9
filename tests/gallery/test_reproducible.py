"""The gallery's files are the same whether or not numba is installed: it evaluates with
the plain numpy code (``compile(fused=False)``), since the fused kernels round differently
in the last bit and can move a contour by a pixel (17-relu-surface.png did)."""

from pathlib import Path

import pytest

from dagnet.compiled import fused
from dagnet.gallery import build_gallery

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not fused.available(), reason="needs numba (the [dev] extra has it)")
def test_gallery_files_do_not_depend_on_the_fused_kernels(tmp_path, monkeypatch):
    build_gallery(tmp_path / "with", only=[17])
    monkeypatch.setattr(fused, "available", lambda: False)
    build_gallery(tmp_path / "without", only=[17])
    names = sorted(p.name for p in (tmp_path / "with").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "without").iterdir())
    assert "17-relu-surface.png" in names
    differ = [n for n in names if n.endswith((".png", ".gif", ".svg"))
              and Path(tmp_path / "with" / n).read_bytes()
              != Path(tmp_path / "without" / n).read_bytes()]
    assert differ == []
