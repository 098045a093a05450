"""Surnames that are also place names (issue 14, class 7): the evidence that a
word is a person's surname ("Tom Jackson", "Matthew D. Flores", "Flores,
26,") carries to its later bare mentions, but never where the document uses
it as a place ("in Jackson", "Jackson, Miss.", "Jackson County"). Engine and
reference agree on each example (real gazetteer)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.recognize import Recognizer
from geomap.recognize_reference import ReferenceRecognizer
from geomap.recognizer_model import RecognizerModel
from geomap.rules import why


def _both(gaz, model=None):
    return Recognizer(gaz, model), ReferenceRecognizer(gaz, model)


def _texts(gaz, text, model=None):
    rec, ref = _both(gaz, model)
    a, b = [s.text for s in rec(text)], [s.text for s in ref.recognize(text)]
    assert a == b
    return a


@pytest.mark.parametrize("text, name", [
    # a full name, then the bare surname
    ("Dr. Anna Lincoln spoke on Monday. Lincoln said the plan works.", "Lincoln"),
    ("Sergeant Tom Jackson was hurt. Jackson, 31, is recovering.", "Jackson"),
    # an initial is evidence of its own ("Carlos M. Flores")
    ("The victim, Carlos M. Flores of Reno, died. Flores had just left the Army.", "Flores"),
    # a name with an age after it, news style
    ("Flores, 26, had just left the Army. His family said Flores loved music.", "Flores"),
    # a first-level division too small to be known by that name (Uruguay's Flores,
    # New Zealand's Nelson) is no shield for a person's surname
    ("Council member Sara Nelson spoke. Nelson said the vote was close.", "Nelson"),
])
def test_a_surname_carries_to_its_later_mentions(gaz, text, name):
    assert name not in _texts(gaz, text)


@pytest.mark.parametrize("text, name, count", [
    # the same surname, used as a place: after a locative, before a state or
    # country after a comma, before a place-type word
    ("Dr. Anna Lincoln spoke on Monday. Later she moved to Lincoln, Nebraska, with her family.",
     "Lincoln", 1),
    ("Sergeant Tom Jackson was hurt. He grew up in Jackson, Miss., and in Jackson County.",
     "Jackson", 1),
    ("Council member Sara Nelson spoke. Nelson, New Zealand, was quiet.", "Nelson", 1),
    ("Sheriff Ed Butler spoke. Butler County deputies came.", "Butler County", 1),
    # a country or a populous state is never taken for a surname, here or later
    ("Coach Ann Georgia spoke. Georgia said it would appeal.", "Georgia", 2),
])
def test_a_surname_used_as_a_place_is_kept(gaz, text, name, count):
    assert _texts(gaz, text).count(name) == count


def test_a_direction_initial_is_no_person(gaz):
    # "W. Columbia" is West Columbia: Columbia is no surname after it
    text = "Shots were fired in W. Columbia on Monday. Police in Columbia said more."
    assert "Columbia" in _texts(gaz, text)
    # another capital letter is an initial
    assert "Columbia" not in _texts(gaz, "We met Ann K. Columbia on Monday. Columbia said more.")


def test_an_initial_glued_to_another_is_no_person(gaz):
    # "U.S. Lansing": the S of U.S. is not an initial
    text = "The U.S. Lansing office closed. Lansing police said more."
    assert "Lansing" in _texts(gaz, text)


@pytest.mark.parametrize("text, name", [
    ("Flores, 26, had just left the Army. His family said Flores loved music.", "Flores"),
    ("The victim, Carlos M. Flores of Reno, died. Flores had just left the Army.", "Flores"),
])
def test_the_new_evidence_goes_through_the_person_name_rule(gaz, text, name):
    rec, ref = _both(gaz)
    for r in (rec, ref):
        trace: list = []
        r.recognize(text, trace=trace)
        assert (name, why("person-name")) in [(s.text, w) for s, w in trace]
    off = RecognizerModel(disabled=frozenset({"person-name"}))
    assert name in _texts(gaz, text, off)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filler=st.text(alphabet="abcdefgh ,.", max_size=80),
       use=st.sampled_from(["He moved to Jackson, Mississippi.", "He lives in Jackson.",
                            "The Jackson County jail is full."]))
def test_a_place_use_is_never_a_surname(gaz, filler, use):
    text = f"Sergeant Tom Jackson was hurt, {filler} said. {use}"
    assert any(t.startswith("Jackson") for t in _texts(gaz, text))
