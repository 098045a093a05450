"""Words around a name that say what kind of place it is (issue 17): local news
names institutions after towns and counties ("the Berea Police Department",
"Columbus Council", "Paris High School", "the mayor of X"); such a name is a
town or a county, not a country or a first-level division. The
``institution`` part (a fitted weight, like ``type word``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer.place import Place
from geomap.resolve import Resolver, _institutions, _Weights
from geomap.resolve_reference import ReferenceResolver, institution_part, institutions
from geomap.resolver_model import DEFAULT_MODEL, HAND_MODEL
from geomap.spans import Span
from tests.geomap.test_resolve_reference import agree

_ON = HAND_MODEL.replace(institution_bonus=1.0)


def _span(text: str, name: str, kind: str = "name") -> Span:
    start = text.index(name)
    return Span(start, start + len(name), name, name.lower(), kind=kind)


@pytest.mark.parametrize("text, name, cued", [
    ("Call the Delta Police Department at once.", "Delta", True),
    ("Two Hanover police officers found them.", "Hanover", True),
    ("She spoke to Hanover's council on Monday.", "Hanover", True),
    ("He was on Columbus Council until 1993.", "Columbus", True),
    ("Students at Dayton High School won.", "Dayton", True),
    ("The Dublin City Council met.", "Dublin", True),
    ("Decatur city officials met.", "Decatur", True),
    ("He is the mayor of Toledo now.", "Toledo", True),
    ("Portland selectmen hired a lawyer.", "Portland", True),
    # not what local news names after a town: a state's or a country's too
    ("A Texas high school team won.", "Texas", False),     # (lower-case: no proper name)
    ("The Texas Fire Service said so.", "Texas", False),
    ("He died in a Georgia jail.", "Georgia", False),
    ("Shelling hit Kharkiv overnight.", "Kharkiv", False),
    ("The Kharkiv region was shelled.", "Kharkiv", False),
])
def test_a_local_institution_after_the_name_is_a_cue(text, name, cued):
    spans = [_span(text, name)]
    assert institutions(spans, text, _ON) == [cued]
    assert _institutions(spans, text, _Weights(_ON)) == [cued]


def test_a_demonym_is_no_town_and_the_part_off_cues_nothing():
    text = "Iraqi police said the Basra police chief was hurt."
    spans = [_span(text, "Iraqi", kind="demonym"), _span(text, "Basra")]
    assert institutions(spans, text, _ON) == [False, True]
    assert _institutions(spans, text, _Weights(_ON)) == [False, True]
    assert institutions(spans, text, HAND_MODEL.replace(institution_bonus=0.0)) == \
        [False, False]


def _place(code: str, fclass: str) -> Place:
    return Place(id=1, name="X", lat=0.0, lon=0.0, country_code="US",
                 feature_class=fclass, feature_code=code)


@pytest.mark.parametrize("fclass, code, sign", [
    ("P", "PPL", 1), ("P", "PPLC", 1), ("A", "ADM2", 1), ("A", "ADM3", 1),
    ("A", "ADM1", -1), ("A", "PCLI", -1), ("L", "RGN", -1), ("H", "STM", -1),
])
def test_towns_and_minor_divisions_gain_and_other_places_lose(fclass, code, sign):
    m = HAND_MODEL.replace(institution_bonus=2.5)
    assert institution_part(_place(code, fclass), m) == sign * 2.5


@pytest.mark.parametrize("text, name", [
    ("Portland selectmen voted on Tuesday to hire a lawyer.", "Portland"),
    ("Delta police said a man was hurt on Monday.", "Delta"),
])
def test_the_cue_turns_a_lone_name_from_a_division_abroad_to_a_town(gaz, rec, text, name):
    spans = rec(text)
    off = Resolver(gaz, DEFAULT_MODEL.replace(institution_bonus=0.0)).resolve(spans, text)
    heavy = DEFAULT_MODEL.replace(institution_bonus=3.0)
    agree(Resolver(gaz, heavy), ReferenceResolver(gaz, heavy), spans, text)
    on = Resolver(gaz, heavy).resolve(spans, text)
    before = next(r for r in off if r.span.text == name)
    after = next(r for r in on if r.span.text == name)
    assert before.place.feature_code == "ADM1"
    assert after.place.feature_class == "P"
    assert "institution" in after.explain()


def test_the_shipped_model_has_the_part_on_and_engine_and_reference_agree(gaz, rec):
    assert DEFAULT_MODEL.institution_bonus > 0.0
    text = ("The Athens City Council met; Athens police and the mayor of Paris spoke. "
            "Columbus Council and Dayton High School, Ohio, in the United States.")
    agree(Resolver(gaz), ReferenceResolver(gaz), rec(text), text)


_WORDS = ["Police", "police", "High", "high", "School", "City", "city", "Council", "hall",
          "mayor", "of", "the", "Fire", "Department", "X", "'s", "\u2019s", "officials", "OF"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=6), st.lists(st.sampled_from(_WORDS),
       max_size=4), st.sampled_from(["", " ", "  ", "'s ", ".", "\u2019s "]),
       st.sampled_from(["name", "demonym"]))
def test_engine_and_reference_find_the_same_cues_in_any_text(before, after, gap, kind):
    # (any words around a name, the name at the text's start or end too)
    head = " ".join(before) + (" " if before else "")
    text = head + "Name" + gap + " ".join(after)
    spans = [Span(len(head), len(head) + 4, "Name", "name", kind=kind)]
    assert institutions(spans, text, _ON) == _institutions(spans, text, _Weights(_ON))
