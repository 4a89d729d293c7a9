"""One match of the newline-joined column says the same as a match of each string."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagnet.io import schema_check as sc

_PATTERNS = [p for p in (sc.schema()["$defs"]["id"].get("pattern"),
                         sc.schema()["$defs"]["key"].get("pattern"),
                         sc.schema()["$defs"]["node"]["properties"]["name"].get("pattern"))
             if p is not None]


def test_the_schema_patterns_take_the_joined_match():
    assert len(_PATTERNS) == 3
    assert all(sc._lines_matcher(p[1:-1]) is not None for p in _PATTERNS)


@pytest.mark.parametrize("body", ["a.b", "[^a]", r"\s", "(?s:a)", "a\nb", r"[^\d]", r"a\Sb",
                                  "[\n]", "[\t-\r]", "(?:a|\n)", r"[^\d\n]+(?:a)?", "a(b)\\1"])
def test_patterns_that_may_match_a_newline_are_checked_one_by_one(body):
    assert sc._lines_matcher(body) is None


_TEXT = st.text(st.sampled_from("aZ_09,\n\x00\x7f\u03b1\u0661 .") | st.characters(), max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_PATTERNS + ["^[a-z]+$", r"^\d*x?$", "^[^a-c]+$"]),
       st.lists(_TEXT, max_size=8))
def test_joined_match_equals_each_match(pattern, values):
    each = all(re.fullmatch(pattern[1:-1], v) for v in values)
    assert sc._all_match(pattern)(values) == each
