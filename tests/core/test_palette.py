"""The palette: one row per theme, and every picture dagnet makes takes its colours from it."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest

import dagnet
from dagnet import plot
from dagnet.core import palette
from dagnet.errors import DiagramError, PlotError, SpecError
from dagnet.gallery import page
from dagnet.gallery.mathtext import render_equations

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-f]{6}")

#: (text, what it is drawn on): pairs that must stay readable in every theme
READABLE = [("text", "node_fill"), ("ink", "background"), ("layer_text", "layer_fill"),
            ("bias_text", "bias_fill"), ("muted", "background"), ("plot_text", "background"),
            ("plot_light", "background"), ("equation_text", "background"),
            ("page_text", "background"), ("page_heading", "background"),
            ("page_text", "page_panel")]


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two "#rrggbb" colours (1 = same, 21 = black on white)."""
    def luminance(colour: str) -> float:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert _contrast("#04253a", "#04253a") == 1.0


@pytest.mark.parametrize("name", sorted(palette.THEMES))
def test_every_row_has_every_key_with_a_valid_value(name):
    row = palette.THEMES[name]
    assert set(row) == set(palette.KEYS)
    for key, value in row.items():
        if key.endswith("cmap"):
            assert value in matplotlib.colormaps, key
        elif key in ("series", "classes", "categories"):
            assert isinstance(value, tuple) and all(HEX.fullmatch(c) for c in value), key
        else:
            assert isinstance(value, str) and HEX.fullmatch(value), key
    assert len(row["series"]) >= 3 and len(set(row["series"])) == len(row["series"])
    assert len(row["classes"]) == 2 and row["classes"][0] != row["classes"][1]
    assert row["positive"] != row["negative"]
    for text, ground in READABLE:
        assert _contrast(row[text], row[ground]) >= 3.0, (text, ground)


def test_the_article_row_is_the_articles_retro_rocks_look():
    art = palette.THEMES["article"]
    assert (art["background"], art["ink"], art["accent"], art["layer_fill"]) == (
        "#04253a", "#d4d2b7", "#4c837a", "#4c837a")
    # Retro Rocks' green, salmon ("peach") and blue as categories A, B, C (issue 13: its
    # lavender, the article's first output colour, was too close to its blue); lavender next
    assert art["series"][:4] == ("#b3de69", "#fa8174", "#81b1d2", "#bfbbd9")
    assert palette.THEMES["plain"]["background"] == "#ffffff"


def test_the_alias_resolves_and_unknown_names_list_the_choices():
    assert palette.THEME_ALIASES == {"retro": "article"}
    for alias, name in palette.THEME_ALIASES.items():
        assert alias not in palette.THEMES
        assert palette.theme_name(alias) == name
        assert palette.theme(alias) is palette.THEMES[name]
    assert [palette.theme_name(n) for n in palette.THEMES] == list(palette.THEMES)
    listed = "use one of 'article', 'plain' (or 'retro', an alias of 'article')"
    for bad, error in (("neon", DiagramError), (None, PlotError), ("Article", SpecError)):
        with pytest.raises(error, match=re.escape(f"unknown theme {bad!r}; {listed}")):
            palette.theme(bad, error=error)
    assert plot.get_style("retro") == plot.get_style("article")
    assert set(plot.STYLES) == set(palette.THEMES)


def test_diagrams_plots_equations_and_the_page_take_their_colours_from_the_table(
        monkeypatch, tmp_path):
    """Patch colours of the "article" row: each medium draws with the patched ones."""
    patched = {"background": "#0a0b0c", "ink": "#123456", "accent": "#234567",
               "plot_text": "#345678", "series": ("#456789", "#56789a", "#6789ab"),
               "equation_text": "#789abc", "page_panel": "#89abcd"}
    for key, value in patched.items():
        monkeypatch.setitem(palette.THEMES["article"], key, value)
    net = dagnet.mlp([1, 2, 1])

    for theme in ("article", "retro"):
        dot = dagnet.to_dot(net, theme=theme)
        assert 'bgcolor="#0a0b0c"' in dot and 'color="#123456"' in dot
        assert 'color="#234567"' in dot  # the layer boxes' outline

    fig, ax = plot.new_figure("article")
    res = plot.family(net, n=2, rng=0, ax=ax, style="article")
    assert mcolors.to_hex(fig.get_facecolor()) == "#0a0b0c"
    assert mcolors.to_hex(ax.xaxis.label.get_color()) == "#345678"
    assert [mcolors.to_hex(line[0].get_color()) for line in res.lines] == ["#456789", "#56789a"]
    plt.close(fig)

    svg = Path(render_equations([("y", "x")], tmp_path / "eq.svg", theme="retro")).read_text()
    assert "fill: #0a0b0c" in svg and "fill: #789abc" in svg

    html = page.html([], {}, theme="article")
    assert "background: #0a0b0c" in html and "background: #89abcd" in html
    assert "solid #234567" in html


def test_no_colour_is_written_outside_the_palette():
    """Hex colours and colormap names appear in dagnet's code only in core/palette.py."""
    colour = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{3}){1,2}\b|[\"'](?:magma|RdYlGn)[\"']")
    table = ROOT / "dagnet" / "core" / "palette.py"
    found = [f"{path.relative_to(ROOT)}:{i}: {line.strip()}"
             for path in sorted((ROOT / "dagnet").rglob("*.py")) if path != table
             for i, line in enumerate(path.read_text().splitlines(), 1)
             if colour.search(line)]
    assert found == []
