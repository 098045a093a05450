"""The nickname rule's guard: a name is nicknamed only next to a quote.

:func:`geomap.rules.in_nicknamed_name` answers false at once unless
:func:`geomap.rules.may_be_nicknamed` (a few character tests), and the
recogniser asks it only then (:func:`geomap.recognize._may_be_nicknamed`);
these properties hold the guard to the unguarded test, for any text.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import _Ctx, _may_be_nicknamed
from geomap.rules import (
    OPENING_QUOTES,
    _nicknamed,
    has_opening_quote,
    in_nicknamed_name,
    may_be_nicknamed,
)
from geomap.text import sentence_spans

# the characters the nickname patterns look at, and a few others
_ALPHABET = "Aab Zz\u00e9\u00c9 \u201c\u201d\"\u00ab\u00bb,.;:!?\n-'1("


@st.composite
def _texts_and_spans(draw):
    text = draw(st.text(alphabet=_ALPHABET, min_size=1, max_size=120))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=400, deadline=None)
@given(_texts_and_spans())
def test_nicknamed_needs_an_opening_quote_near(case):
    text, start, end = case
    assert in_nicknamed_name(text, start, end) == _nicknamed(text, start, end)
    if _nicknamed(text, start, end):
        assert may_be_nicknamed(text, start, end)


@settings(max_examples=200, deadline=None)
@given(_texts_and_spans())
def test_context_finds_the_same_quotes(case):
    text, start, end = case
    ctx = _Ctx(text, sentence_spans(text))
    assert ctx.quoted(start - 64, end + 2) == has_opening_quote(text, max(0, start - 64),
                                                                end + 2)
    assert _may_be_nicknamed(ctx, start, end) == may_be_nicknamed(text, start, end)


def test_nicknames_are_found_with_the_guard():
    t = "The cartel of Joaquín “El Chapo” Guzmán split, said Tom \"Big\" Jones."
    for w in ("Joaquín", "El Chapo", "Guzmán", "Tom", "Big", "Jones"):
        k = t.index(w)
        assert in_nicknamed_name(t, k, k + len(w)), w
    k = t.index("cartel")
    assert not has_opening_quote(t, max(0, k - 64), k + 8)
    assert set(OPENING_QUOTES) == {"\u201c", '"', "\u00ab"}


_PIECES = st.sampled_from(["Joaquín", "El Chapo", "Guzmán", "said", " ", " ", "\u201c", "\u201d",
                           '"', "\u00ab", "\u00bb", ",", ".", "(", "\n", "x" * 20])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join), st.data())
def test_guard_holds_on_nickname_like_texts(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if _nicknamed(text, start, end):
        assert may_be_nicknamed(text, start, end)
    ctx = _Ctx(text, sentence_spans(text))
    assert _may_be_nicknamed(ctx, start, end) == may_be_nicknamed(text, start, end)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join) | st.text(alphabet=_ALPHABET, max_size=70))
def test_a_nickname_before_ends_the_window_with_a_closing_quote(window):
    from geomap.rules import _NICK_BEFORE, CLOSING_QUOTES

    if _NICK_BEFORE.search(window) is not None:
        assert window[-1:] == " " and window[-2:-1] in set(CLOSING_QUOTES)
