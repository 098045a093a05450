"""The engine's nickname test (:func:`geomap.recognize._nicknamed`, character
tests) against the rule's definition (:func:`geomap.rules._nicknamed`, regular
expressions): the same answer for any text and span."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from geomap import recognize, rules

# the characters the patterns tell apart: quotes, punctuation, white space,
# brackets, word characters that are letters (cased or not), decimal digits,
# other digits ("²", a word character but no decimal digit), underscores
_ALPHABET = ("Aab Zz\u00e9\u00c9 \u201c\u201d\"\u00ab\u00bb,.;:!?\n-'\u2019_1(\t\u00a0"
             "\u00b2\u0663\u05d0")


@st.composite
def _cases(draw, texts):
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


_PIECES = st.sampled_from(["Joaquín", "El Chapo", "Guzmán", "said", "de", "(", " ", " ", " ",
                           "\u201c", "\u201d", '"', "\u00ab", "\u00bb", ",", ".", "\n", "x" * 20,
                           "Y" * 9, "3", "\u00b2", "O'Neil", "al-Bashir", "_"])


@settings(max_examples=600, deadline=None)
@given(_cases(st.text(alphabet=_ALPHABET, min_size=1, max_size=120)))
def test_engine_nickname_is_the_rule_on_any_text(case):
    text, start, end = case
    assert recognize._nicknamed(text, start, end) == rules._nicknamed(text, start, end)


@settings(max_examples=600, deadline=None)
@given(_cases(st.lists(_PIECES, min_size=1, max_size=16).map("".join)))
def test_engine_nickname_is_the_rule_on_nickname_like_text(case):
    text, start, end = case
    assert recognize._nicknamed(text, start, end) == rules._nicknamed(text, start, end)


_WORDS = st.sampled_from(["Joaquín", "El Chapo", "Guzmán", "said", "Tom", "x" * 31, "X" * 27,
                          "Ab cd", "O'Neil", "al-Bashir", "3", "\u00b2b", "_A", "É1", "Ab. C",
                          "Ab, C", ""])
_GAPS = st.sampled_from([" ", " ", " ", "\u00a0", "\n", "(", "-", "", "  ", " ("])
_MARKS = st.sampled_from(["\u201c", "\u201d", '"', "\u00ab", "\u00bb", ",", ".", "?", ""])
_ANY = _WORDS | _GAPS | _MARKS


@st.composite
def _nickname_shaped(draw):
    """Text shaped like 'First “Nick” Last', each part drawn from near misses
    too, with other pieces around, and a span of whole pieces."""
    pieces = draw(st.lists(_ANY, max_size=3))
    pieces += [draw(_WORDS), draw(_GAPS), draw(_MARKS), draw(_WORDS), draw(_MARKS),
               draw(_GAPS), draw(_WORDS)]
    pieces += draw(st.lists(_ANY, max_size=3))
    i = draw(st.integers(0, len(pieces) - 1))
    j = draw(st.integers(i, min(len(pieces) - 1, i + 3)))
    start, end = len("".join(pieces[:i])), len("".join(pieces[:j + 1]))
    return "".join(pieces), start, max(end, start + 1)


@settings(max_examples=1500, deadline=None)
@given(_nickname_shaped())
def test_engine_nickname_is_the_rule_on_nickname_shaped_text(case):
    text, start, end = case
    assume(end <= len(text))
    assert recognize._nicknamed(text, start, end) == rules._nicknamed(text, start, end)


def test_engine_nickname_finds_each_route():
    t = "The cartel of Joaquín “El Chapo” Guzmán split, said Tom \"Big\" Jones."
    for w in ("Joaquín", "El Chapo", "Guzmán", "Tom", "Big", "Jones"):
        k = t.index(w)
        assert recognize._nicknamed(t, k, k + len(w)), w
    # a quotation is no nickname; nor a name with a long or punctuated "nickname"
    for t, w in (('He said. "There is flu now in Egypt," Hassan Bushra said.', "Egypt"),
                 ("Omar “a very long nickname that goes on and on” Benghazi", "Benghazi"),
                 ("Omar “Tripoli, Libya” Benghazi", "Benghazi")):
        k = t.index(w)
        assert not recognize._nicknamed(t, k, k + len(w)), t
        assert not rules._nicknamed(t, k, k + len(w)), t
