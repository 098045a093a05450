"""The engine's test of a gap between two tokens of a name (a fast path for
a single space) answers as :data:`geomap.rules.NAME_GAP` does."""

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import _joined
from geomap.rules import NAME_GAP


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" -\u2013'\u2019.\nab,", max_size=6), st.data())
def test_joined_is_the_expression(text, data):
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(end, len(text)))
    assert _joined(text, end, start) == (NAME_GAP.match(text[end:start]) is not None)


def test_joined_examples():
    assert _joined("New York", 3, 4)
    assert _joined("Nagorno-Karabakh", 7, 8)
    assert not _joined("Paris, Texas", 5, 7)
    assert _joined("St. Louis", 2, 4)
