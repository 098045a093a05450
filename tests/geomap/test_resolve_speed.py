"""The resolve engine's shortcuts give what the plain code gives."""

from hypothesis import given
from hypothesis import strategies as st

from geomap.resolve import _word_at


def _plain_word_at(text: str, i: int) -> str:
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j].lower()


def test_word_at_reads_ascii_and_other_letters():
    text = "the Berea Police, Zürich\u2019s Ωmega [x] @home `q {z"
    assert _word_at(text, 4) == "berea"
    assert _word_at(text, 18) == "zürich"
    assert _word_at(text, 27) == "ωmega"
    assert _word_at(text, 33) == ""          # "[" is no letter
    assert [_word_at(text, text.index(c) + 1) for c in "@`{"] == ["home", "q", "z"]
    assert _word_at(text, len(text)) == ""


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_word_at_is_the_plain_scan(text, i):
    assert _word_at(text, i) == _plain_word_at(text, i)


def test_word_at_on_every_ascii_character():
    for c in map(chr, range(128)):
        assert _word_at(f"{c}ab", 0) == _plain_word_at(f"{c}ab", 0), repr(c)
