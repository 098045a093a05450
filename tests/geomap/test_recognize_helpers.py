"""The engine's shortcuts against what they stand for: the C span maker
(``geomap/_typos.c``'s ``slot_maker``) against :class:`~geomap.spans.Span`'s
constructor, and the character tests against the ``str`` methods they spare
a call of, on any text (:func:`geomap.text.is_upper`'s in ``test_text.py``)."""

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import recognize
from geomap.spans import Span

_FIELDS = ("start", "end", "text", "key", "kind", "fuzzy", "sentence")


def _maker():
    if recognize._TYPOS is None:
        pytest.skip("the C extension is not built (pure Python install)")
    return recognize._TYPOS.slot_maker


def test_the_span_maker_sets_every_field_in_order():
    # the engine names Span's fields; a new field would be left unset
    assert tuple(f.name for f in dataclasses.fields(Span)) == _FIELDS


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.text(max_size=8), st.text(max_size=8),
       st.sampled_from(["name", "demonym"]), st.booleans(), st.integers(0, 10**4))
def test_a_kept_match_is_the_span_its_fields_make(start, end, text, key, kind, fuzzy, sentence):
    made = recognize._Match(start, end, text, key, kind, fuzzy, sentence).span()
    span = Span(start, end, text, key, kind, fuzzy, sentence)
    assert type(made) is Span
    assert made == span and hash(made) == hash(span) and repr(made) == repr(span)
    assert pickle.loads(pickle.dumps(made)) == span
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 1  # type: ignore[misc]


def test_the_span_maker_takes_only_writable_object_slots():
    slot_maker = _maker()
    make = slot_maker(Span, _FIELDS)
    assert make(1, 5, "Gaza", "gaza", "name", False, 0) == Span(1, 5, "Gaza", "gaza")
    with pytest.raises(TypeError):
        make(1, 5)                                   # one value per slot
    with pytest.raises(TypeError):
        make(1, 5, "Gaza", "gaza", "name", False, sentence=0)

    class Open:                                      # a __dict__: no slots only
        pass

    for cls, names, error in ((Span, ("nope",), ValueError), (Span, ("start", "start"), ValueError),
                              (Span, (1,), TypeError), (Span, ("__init__",), ValueError),
                              (int, (), TypeError), (Open, (), TypeError),
                              (Span, ("x",) * 17, ValueError)):
        with pytest.raises(error):
            slot_maker(cls, names)
    with pytest.raises(TypeError):
        slot_maker("Span", _FIELDS)


_CHARS = st.characters(codec="utf-8") | st.sampled_from("aZ_0\u00b2\u0663\u00e9\u00c9\u2160\u24b6")


@settings(max_examples=500, deadline=None)
@given(_CHARS)
def test_character_tests_are_the_methods(c):
    assert recognize._upper(c) == c.isupper()
    assert recognize._letter(c) == (c.isalnum() and not c.isdecimal())
    assert recognize._alpha_first(c + "x") == c.isalpha()
    assert recognize._name_char(c) == (c.isalnum() or c in "_'\u2019-")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZb0 9", max_size=12))
def test_plain_is_its_pattern(text):
    import re

    assert recognize._plain(text.split(" ")) == bool(re.fullmatch(r"[a-z0-9]+(?: [a-z0-9]+)*",
                                                                   text))


def _spelling_by_letters(matched):
    # what a gazetteer spelling is, by its letters (case_compatible's definition)
    letters = [c for c in matched if c.isalpha()]
    if not any(c.isupper() for c in letters):
        return recognize._NO_CAPITAL
    if len(letters) <= 5 and all(c.isupper() for c in letters):
        return recognize._CODE
    return recognize._CAPITALISED


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="aZbY. -'1\u00e9\u00c9\u01c5\u24b6", max_size=9)
       | st.text(alphabet="ABCDEFGH. ", max_size=9))
def test_a_spelling_is_told_by_its_letters(matched):
    assert recognize._spelling(matched) == _spelling_by_letters(matched)
