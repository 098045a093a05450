"""What the engine's profile of a name's candidates relies on: a spelling is
in capitals ("U.S.", "U. S.") by :meth:`str.isupper` of the spelling itself,
full stops and spaces having no case."""

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="UuSsÜü. -1\u01c5", max_size=8) | st.text(max_size=8))
def test_full_stops_and_spaces_do_not_change_isupper(spelling):
    assert spelling.replace(".", "").replace(" ", "").isupper() == spelling.isupper()
