"""The engine's "located elsewhere" test, found from the name's occurrences,
answers as :func:`geomap.rules.located_elsewhere` (the regular expression
over the whole text) does, for any text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import _locative_before
from geomap.recognizer_model import RecognizerModel
from geomap.rules import located_elsewhere

_LOCATIVES = RecognizerModel().locatives
# locatives, names, white space of several kinds, word and non-word characters
_PIECES = st.sampled_from(["in", "near", "at", "into", "Paris", "Paris.", "St.", "Pa",
                           "ris", " ", "  ", "\n", "\u00a0", "\t", "_", "-", ".", "x",
                           "\u00e9", "1", "inParis", "Zin"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join),
       st.sampled_from(["Paris", "Paris.", "St.", "Pa", "x", "_x", "\u00e9Z"]))
def test_locative_before_is_the_expression(text, name):
    assert _locative_before(text, name, _LOCATIVES) == located_elsewhere(text, name, _LOCATIVES)


def test_locative_before_examples():
    assert _locative_before("Fighting in  Paris, said Paris.", "Paris", _LOCATIVES)
    assert not _locative_before("Paris said. Within Parisian", "Paris", _LOCATIVES)
    assert not _locative_before("margin Paris", "Paris", _LOCATIVES)
    assert _locative_before("near\nSt. Louis", "St.", frozenset({"near"})) is False
    assert _locative_before("near\nSt.Louis", "St.", frozenset({"near"})) is True
