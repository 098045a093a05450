"""Decoding (issue 13, class 6): mostly-UTF-8 text stays UTF-8 with its bad bytes
counted, legacy code pages only where UTF-8 clearly fails, UTF-16/32 without a
byte-order mark, binary refused."""

from __future__ import annotations

import doctest
import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geomap.csvrecords
import geomap.decoding
from geomap.decoding import Decoded, decode, mostly_utf8, sniff_encoding
from geomap.documents import read_documents
from geomap.errors import InputError
from geomap.report import RunReport

CITIES = "Talks in Genève, Zürich and São Paulo were postponed."


@pytest.mark.parametrize("module", [geomap.decoding, geomap.csvrecords])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_one_stray_byte_in_utf8_is_read_as_utf8_with_a_note(tmp_path, gaz):
    f = tmp_path / "news.txt"
    f.write_bytes(CITIES.encode("utf-8").replace(b"were", b"w\x92ere"))
    report = RunReport()
    (doc,) = read_documents(f, report)
    assert doc.text == CITIES.replace("were", "w\ufffdere") and doc.encoding == "utf-8"
    assert report.notes == [f"{f}: 1 undecodable byte read as U+FFFD (utf-8)"]
    import geomap

    found = geomap.extract(f, gazetteer=gaz)["text"].tolist()
    assert found == ["Genève", "Zürich", "São Paulo"]


@pytest.mark.parametrize("text, encoding", [
    ("Genève est une ville de Suisse, où les négociations ont eu lieu.", "cp1252"),
    ("Обстрел Степанакерта продолжается, сообщили в Ереване.", "cp1251"),
    ("Genève", "cp1252"),
])
def test_legacy_encodings_where_utf8_clearly_fails(text, encoding):
    assert decode(text.encode(encoding)) == Decoded(text, encoding)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [CITIES, "Talks in Ереван and Tbilisi, then in Baku."])
def test_wide_encodings_without_a_byte_order_mark(tmp_path, encoding, text):
    assert decode(text.encode(encoding)) == Decoded(text, encoding)
    f = tmp_path / "t.csv"
    f.write_bytes(f'doc,text\na,"{text}"\n'.encode(encoding))
    report = RunReport()
    (doc,) = read_documents(f, report)
    assert doc.text == text and report.notes == [f"{f}: not UTF-8, read as {encoding}"]


@pytest.mark.parametrize("raw", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    struct.pack("<200h", *range(200)),                 # NULs every second byte, not text
    struct.pack("<100i", *range(100)),
    bytes(range(256)) * 4,
])
def test_binary_is_refused(raw):
    with pytest.raises(InputError, match="binary file"):
        decode(raw)


_stray = st.sampled_from([*range(0x80, 0xC0), 0xC0, 0xC1, *range(0xF5, 0x100)]).map(
    lambda b: bytes([b]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.characters(exclude_characters="\x00\ufffd",
                                        exclude_categories=("Cs",)), _stray),
                min_size=1))
def test_utf8_text_with_few_bad_bytes_per_accent_is_utf8(parts):
    """Bytes that can never start or continue a sequence, put between characters:
    each is one U+FFFD, and the characters are all kept."""
    text = "".join(p for p in parts if isinstance(p, str))
    bad = sum(isinstance(p, bytes) for p in parts)
    raw = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in parts)
    if b"\x00" in raw[:8192]:
        return
    accents = sum(not c.isascii() for c in text)
    got = decode(raw)
    if bad == 0 or (accents and mostly_utf8(bad, accents)):
        assert (got.encoding, got.replaced) == ("utf-8", bad)
        assert got.text.replace("\ufffd", "") == text
    else:
        assert got.encoding != "utf-8"


def test_mostly_utf8_rule():
    assert mostly_utf8(1, 1) and mostly_utf8(3, 1) and mostly_utf8(30, 10)
    assert not mostly_utf8(1, 0) and not mostly_utf8(4, 1) and not mostly_utf8(11, 1)


def test_tables_are_judged_on_their_first_non_ascii_megabyte():
    ascii_head = b"doc,text\n" + b"a,Talks in Geneva.\n" * 80_000          # 1.5 MB
    assert sniff_encoding(io.BytesIO(ascii_head + "b,Genève\n".encode("cp1252"))) == "cp1252"
    assert sniff_encoding(io.BytesIO(ascii_head + "b,Genève\n".encode())) == "utf-8"
    assert sniff_encoding(io.BytesIO(ascii_head)) == "utf-8"
    damaged = "b,Genève Zürich São Paulo\n".encode() + b"c,\x92\n"
    assert sniff_encoding(io.BytesIO(ascii_head + damaged)) == "utf-8"
    fh = io.BytesIO("\ufeffdoc,text\n".encode("utf-8"))
    assert sniff_encoding(fh) == "utf-8-sig" and fh.tell() == 0


@given(st.text(alphabet=st.one_of(st.characters(blacklist_categories=()),
                                  st.sampled_from("\ud800\udbff\udc00\udfff\ud7ff\ue000é€😀"))))
def test_replace_surrogates_is_the_pattern_substitution(text):
    """Every surrogate code point (lone or as a would-be pair) becomes U+FFFD
    and is counted; text without one comes back as it is."""
    import re

    from geomap.decoding import replace_surrogates

    expected = re.subn("[\ud800-\udfff]", "\ufffd", text)
    assert replace_surrogates(text) == expected
    if not expected[1]:
        assert replace_surrogates(text)[0] is text
