"""Issue 18, item 4: a GraphML file with a DOCTYPE or an entity declaration is refused in
every encoding XML allows (expat's view of the document, not a byte search); the same file
without the declaration loads in each encoding expat reads."""

import codecs
import re

import pytest

import dagnet
from dagnet.io import files

ENCODINGS = [  # (python codec, byte-order mark, name in the XML declaration)
    ("utf-8", b"", "UTF-8"), ("utf-8", codecs.BOM_UTF8, "UTF-8"),
    ("utf-16-le", b"", "UTF-16"), ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    ("utf-16-be", b"", "UTF-16"), ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
]
DECLARATIONS = [
    '<!DOCTYPE graphml [<!ENTITY boom "x">]>',
    '<!DOCTYPE graphml SYSTEM "file:///etc/passwd">',
    '<!doctype graphml [<!ENTITY % p SYSTEM "http://example.invalid/x">]>',
]


@pytest.fixture(scope="module")
def graphml_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "net.graphml"
    files.to_graphml(dagnet.linear(2, rng=0), path)
    return path.read_text(encoding="utf-8")


def _encode(text: str, codec: str, bom: bytes, name: str) -> bytes:
    text = re.sub(r"encoding=.utf-8.", f'encoding="{name}"', text, count=1, flags=re.I)
    return bom + text.encode(codec)


@pytest.mark.parametrize("codec, bom, name", ENCODINGS)
def test_a_plain_graphml_loads_in_every_encoding(tmp_path, graphml_text, codec, bom, name):
    path = tmp_path / "n.graphml"
    path.write_bytes(_encode(graphml_text, codec, bom, name))
    net = files.from_graphml(path)
    assert net.weight_names == dagnet.linear(2).weight_names


@pytest.mark.parametrize("declaration", DECLARATIONS)
@pytest.mark.parametrize("codec, bom, name", ENCODINGS)
def test_declarations_are_refused_in_every_encoding(tmp_path, graphml_text, codec, bom, name,
                                                    declaration):
    head, rest = graphml_text.split("?>", 1)
    path = tmp_path / "evil.graphml"
    path.write_bytes(_encode(f"{head}?>{declaration}{rest}", codec, bom, name))
    with pytest.raises(dagnet.NetworkFileError, match="DOCTYPE or ENTITY|not valid GraphML"):
        files.from_graphml(path)


@pytest.mark.parametrize("codec, bom", [("utf-32-le", codecs.BOM_UTF32_LE),
                                        ("utf-32-be", b"")])
def test_utf32_which_expat_does_not_read_is_a_clean_error(tmp_path, graphml_text, codec, bom):
    head, rest = graphml_text.split("?>", 1)
    path = tmp_path / "n.graphml"
    path.write_bytes(_encode(f"{head}?>{DECLARATIONS[0]}{rest}", codec, bom, "UTF-32"))
    with pytest.raises(dagnet.NetworkFileError):
        files.from_graphml(path)
