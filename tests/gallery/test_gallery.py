"""`dagnet gallery` end to end: every file, valid; the page in headless Chromium; reproducible."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from dagnet.cli import main
from dagnet.gallery.build import DEFAULT_FRAMES, FAMILY_DRAWS, step_files
from dagnet.gallery.demos import DEMOS
from dagnet.gallery.page import referenced_files
from dagnet.gallery.steps import ARTICLE, learned_file, select, select_learned

pytestmark = pytest.mark.slow  # builds the whole gallery, opens it in Chromium

ROOT = Path(__file__).resolve().parents[2]
FRAMES = 3  # few frames keep the test fast; the frame count is still checked exactly
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery") / "diagrams"
    code = main(["gallery", "--out", str(out), "--frames", str(FRAMES), "--quiet"])
    assert code == 0
    return out


def expected_files():
    names = [name for row in ARTICLE for name in step_files(row).values()]
    return names + [learned_file(d) for d in DEMOS] + ["index.html", "README.md"]


@functools.cache
def compare_caption() -> str:
    """The comparison's caption, drawn again here (seed 0, as the gallery fixture)."""
    import matplotlib.pyplot as plt

    from dagnet.gallery.comparison import draw_comparison

    res = draw_comparison([9, 10], seed=0, n=FAMILY_DRAWS)
    plt.close(res.figure)
    return res.caption


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_file_exists_and_is_valid(gallery):
    written = sorted(p.name for p in gallery.iterdir())
    assert written == sorted(expected_files())  # nothing missing, nothing extra (no temp files)
    for name in written:
        path = gallery / name
        assert path.stat().st_size > 0, name
        suffix = path.suffix
        if suffix == ".svg":
            root = ET.parse(path).getroot()
            assert root.tag.endswith("svg"), name
        elif suffix == ".png":
            with Image.open(path) as im:
                im.verify()
            with Image.open(path) as im:
                assert im.format == "PNG" and min(im.size) > 10, name
        elif suffix == ".gif":
            with Image.open(path) as im:
                assert im.format == "GIF" and im.n_frames == FRAMES, name
        elif suffix == ".tex":
            text = path.read_text()
            assert "\\begin{align}" in text and text.rstrip().endswith("\\end{align}"), name


def test_plots_have_the_articles_size(gallery):
    with Image.open(gallery / "10-tanh-3-layers-family.png") as im:
        assert im.size == (1200, 675)  # 8 x 4.5 inches at 150 dpi
    with Image.open(gallery / "10-tanh-3-layers.gif") as im:
        assert im.size[0] == 640
    with Image.open(gallery / "10-tanh-3-layers-compare.png") as im:
        assert im.size == (1800, 675)  # two 6 x 4.5 inch panels
    for demo in DEMOS:
        with Image.open(gallery / learned_file(demo)) as im:
            assert im.size == (1200, 675), demo.slug


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs: list[str] = []
        self.sections: list[str] = []
        self.captions: list[str] = []
        self.explanations: list[str] = []
        self.figcaptions: list[str] = []
        self._in_caption = False
        self._in_explain = False
        self._in_figcaption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a["src"])
            assert a.get("alt"), f"image {a['src']} has no alt text"
        if tag == "section":
            self.sections.append(a["id"])
        self._in_caption = tag == "p" and a.get("class") == "caption"
        self._in_explain = tag == "p" and a.get("class") == "explain"
        self._in_figcaption = tag == "figcaption"

    def handle_data(self, data):
        if self._in_caption:
            self.captions.append(data)
            self._in_caption = False
        if self._in_explain:
            self.explanations.append(data)
            self._in_explain = False
        if self._in_figcaption:
            self.figcaptions.append(data)
            self._in_figcaption = False


def test_index_walks_through_the_article(gallery):
    page = (gallery / "index.html").read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(page)
    assert tags.sections == [f"step-{r.number}" for r in ARTICLE] + ["learned", "deviations"]
    assert tags.captions == [r.caption for r in ARTICLE] + [d.takeaway for d in DEMOS]
    # every step's explanation, right under its caption, escaped (HTML reads back the text)
    assert tags.explanations == [r.explanation for r in ARTICLE]
    for row in ARTICLE:
        caption = page.index(f'<p class="caption">{escape(row.caption)}</p>')
        assert page.index(f'<p class="explain">{escape(row.explanation)}</p>') > caption
    # step 10 compares itself with step 9: the figure and its measured caption
    section = page.split('<section id="step-10">')[1].split("</section>")[0]
    assert '<img src="10-tanh-3-layers-compare.png"' in section
    assert f"<figcaption>{escape(compare_caption())}</figcaption>" in section
    refs = referenced_files(page)
    missing = [r for r in refs if not (gallery / r).is_file()]
    assert missing == []
    # Every picture, LaTeX file and animation is on the page, in the article's order.
    order = [int(r[:2]) for r in refs]
    assert order == sorted(order)
    for row in ARTICLE:
        files = step_files(row)
        for role, name in files.items():
            if role.endswith(".png") and role.startswith(("explicit", "simplified")):
                assert name in refs  # diagram PNGs are linked from their SVGs
            else:
                assert name in tags.imgs or name in refs, name
    # "What it learned": after the steps, each picture with a caption of measured numbers.
    assert [name for name in tags.imgs if "-learned-" in name] == [learned_file(d)
                                                                  for d in DEMOS]
    measured = [c for c in tags.figcaptions if "steps" in c]
    assert len(measured) == len(DEMOS)
    assert all(any(ch.isdigit() for ch in c.split("steps", 1)[1]) for c in measured)
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_readme_has_the_same_walk_through(gallery):
    text = (gallery / "README.md").read_text(encoding="utf-8")
    refs = referenced_files(text)
    assert [r for r in refs if not (gallery / r).is_file()] == []
    positions = [text.index(f"## {r.number}. {r.title}") for r in ARTICLE]
    assert positions == sorted(positions)
    for row in ARTICLE:
        assert f"**{row.caption}**\n\n{row.explanation}\n\nNetwork `{row.spec}`" in text
        assert step_files(row)["animation"] in refs
    compare = text.index("](10-tanh-3-layers-compare.png)")
    assert text.index("## 10. ") < compare < text.index("## 11. ")
    assert text.index(f"*{compare_caption()}*") > compare
    assert text.count("```math") == len(ARTICLE)
    learned = text.index("## What it learned")
    assert learned > positions[-1]
    for demo in DEMOS:
        assert text.index(f"**{demo.takeaway}**") > learned
        assert learned_file(demo) in refs


def test_same_command_same_files(gallery, tmp_path):
    """A second run, in another process and with --only, writes byte-identical files."""
    rows, demos = select_learned(["line", "6", "plane", "10", "smooth-boundaries"])
    assert [d.slug for d in demos] == ["smooth-boundaries"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="123")
    done = subprocess.run(
        [sys.executable, "-m", "dagnet", "gallery", "--out", str(tmp_path), "--frames",
         str(FRAMES), "--quiet", "--only", *[r.slug for r in rows], "smooth-boundaries"],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    for row in rows:
        for name in step_files(row).values():
            assert digest(tmp_path / name) == digest(gallery / name), name
    name = learned_file(demos[0])
    assert digest(tmp_path / name) == digest(gallery / name)
    page = (tmp_path / "index.html").read_text()
    assert page.count("<section") == 6  # four steps, "What it learned" and the deviations
    # the caption is the fit's: running the same example here gives the same text
    caption = demos[0](tmp_path / "again.png", seed=0)["caption"]
    assert caption in page and caption in (gallery / "index.html").read_text()


def test_no_learned(tmp_path):
    assert main(["gallery", "--out", str(tmp_path), "--only", "1", "learned", "--no-learned",
                 "--frames", str(FRAMES), "--quiet", "--jobs", "1"]) == 0
    assert not list(tmp_path.glob("*-learned-*"))
    page = (tmp_path / "index.html").read_text()
    assert page.count("<section") == 2 and "What it learned" not in page  # + deviations


def test_seed_changes_the_draws(gallery, tmp_path):
    assert main(["gallery", "--out", str(tmp_path), "--only", "8", "--seed", "1",
                 "--frames", str(FRAMES), "--quiet", "--jobs", "1"]) == 0  # in this process
    name = step_files(select(["8"])[0])
    assert digest(tmp_path / name["animation"]) != digest(gallery / name["animation"])
    assert digest(tmp_path / name["explicit.svg"]) == digest(gallery / name["explicit.svg"])


def test_theme_takes_the_palettes_names(tmp_path):
    """"retro" (the palette's alias of "article") writes byte for byte what "article" writes;
    an unknown theme is refused with the names listed."""
    from dagnet.errors import SpecError
    from dagnet.gallery.build import build_gallery

    kw = {"only": ["1"], "frames": 2, "learned": False, "jobs": 1, "progress": False}
    article = build_gallery(tmp_path / "article", theme="article", **kw)
    retro = build_gallery(tmp_path / "retro", theme="retro", **kw)
    assert [p.name for p in article.files] == [p.name for p in retro.files]
    assert len(article.files) >= 8
    for a, r in zip(article.files, retro.files):
        assert digest(a) == digest(r), a.name
    with pytest.raises(SpecError, match="unknown theme 'neon'; use one of 'article', 'plain'"):
        build_gallery(tmp_path / "neon", theme="neon", **kw)
    assert not (tmp_path / "neon").exists()


def test_list(capsys):
    assert main(["gallery", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(ARTICLE) + len(DEMOS)
    assert lines[3].split()[:3] == ["4", "linear-100-hidden", "1-100-1:none"]
    assert lines[17].split()[:3] == ["18", "smooth-regression", "(fitted)"]


# -- the page in a real browser ------------------------------------------------------------
def chromium_path() -> str:
    path = (os.environ.get("DAGNET_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
    if not path:
        pytest.fail("headless Chromium is needed for this test: run 'make env' (it installs "
                    "Debian's chromium package) or set DAGNET_CHROMIUM=/path/to/chromium")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def served(gallery):
    handler = functools.partial(_Quiet, directory=str(gallery))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_page_in_headless_chromium(served, gallery):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                    if r.status >= 400 else None)
            page.goto(served, wait_until="load")
            page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
            title = page.title()
        finally:
            browser.close()
    assert problems == []
    assert title.startswith("What do neural networks learn?")
    expected = sum(1 + len(r.plots) + 1 + (2 if r.explicit else 1) for r in ARTICLE)
    expected += len(DEMOS)  # one picture per "What it learned" item
    expected += sum("compare" in step_files(r) for r in ARTICLE)  # step 10's comparison
    assert len(images) == expected
    assert [src for src, width in images if width <= 0] == []


def test_without_graphviz_one_line_error(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=str(tmp_path / "empty-bin"))
    done = subprocess.run([sys.executable, "-m", "dagnet", "gallery", "--out",
                           str(tmp_path / "out"), "--only", "1", "--quiet"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dagnet: error: ")
    assert "Graphviz" in lines[0] or "dot" in lines[0]
    assert not (tmp_path / "out" / "index.html").exists()


def test_out_is_a_file(tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("x")
    assert main(["gallery", "--out", str(target), "--only", "1", "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("dagnet: error: cannot access") and str(target) in err


#: What make gallery writes and the repository commits in diagrams/; its text outputs are
#: compared byte for byte (the images depend on the matplotlib and Pillow versions).
COMMITTED = ROOT / "diagrams"


def _as_committed(text: str) -> str:
    """The fixture's text with its frame count (FRAMES, for speed) as make gallery writes it."""
    return (text.replace(f"{FRAMES} random draws, one per second",
                         f"{DEFAULT_FRAMES} random draws, one per second")
                .replace(f"shows {FRAMES} successive", f"shows {DEFAULT_FRAMES} successive"))


def test_the_committed_gallery_is_what_the_gallery_makes(gallery):
    made = sorted(p.name for p in gallery.iterdir())
    assert sorted(p.name for p in COMMITTED.iterdir() if p.name != ".gitkeep") == made, \
        "diagrams/ is stale: run make gallery and commit diagrams/"
    texts = [n for n in made if n.endswith(("-explicit.svg", "-simplified.svg", ".tex"))
             or n in ("README.md", "index.html")]
    assert len(texts) >= 2 * len(ARTICLE) + 2  # per step a simplified diagram and its TeX
    stale = [n for n in texts if _as_committed((gallery / n).read_text(encoding="utf-8"))
             != (COMMITTED / n).read_text(encoding="utf-8")]
    assert not stale, f"diagrams/ is stale ({stale[:5]}): run make gallery and commit diagrams/"

