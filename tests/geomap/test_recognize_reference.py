"""The recogniser as model, rules, reference and engine (issue 16).

The reference (geomap/recognize_reference.py, plain Python) and the engine
(geomap/recognize.py, compiled when built) find the same spans on the
evaluation corpora and on generated text; a change to the model moves both
alike; every rule has an id that traces show and can be switched off.
"""

from __future__ import annotations

import pickle
import warnings
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import ConfigurationError
from geomap.recognize import Recognizer
from geomap.recognize_reference import ReferenceRecognizer
from geomap.recognizer_model import RecognizerModel
from geomap.rules import ORDER, REJECTIONS, RULES, why
from tests.geomap.test_evaluate import _shared_data


@pytest.fixture(scope="module")
def ref(gaz):
    return ReferenceRecognizer(gaz)


def _both(gaz, **changes):
    model = replace(RecognizerModel(), **changes)
    return Recognizer(gaz, model), ReferenceRecognizer(gaz, model)


def _texts(spans):
    return [s.text for s in spans]


def _traced(rec, text):
    trace: list = []
    spans = rec.recognize(text, trace=trace)
    return spans, trace


# -- the corpora ---------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["LGL/lgl.xml", "GeoVirus/GeoVirus.xml"])
def test_reference_and_engine_agree_on_the_corpora(rec, ref, corpus):
    from geomap.evaluate import read_corpus

    path = _shared_data() / corpus
    if not path.exists():
        pytest.skip(f"{path} is not there")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = read_corpus(path)
    differ = [d.doc_id for d in docs if rec.recognize(d.text) != ref.recognize(d.text)]
    assert differ == []


# -- generated text --------------------------------------------------------------
_WORDS = ["Geneva", "Paris", "Texas", "Georgia", "Jordan", "Gaza", "Strip", "Armenian",
          "Azeris", "Will", "Enter", "Reading", "President", "Mr.", "said", "in", "the", "The",
          "of", "Bank", "America", "Army", "Syrian", "Front", "Hamas", "fighters", "USS",
          "Kharkov", "Nagorno-Karbakh", "Deir", "ez-Zor", "al", "virus", "Lassa", "fever",
          "UK", "NATO", "KYIV", "Ukraine", "(AP)", "—", "May", "North", "Springfield", "Ill.",
          "Dan", "Adkins", "Paris-based", "France-Presse", "US$", "A/California/7/2009",
          "Mount", "Hermon", "Police", "Department", "Minsk", "Group", "the", "near", "\n",
          ",", ".", "-", "Vladimir", "Putin", "Mosul", "el-Fasher", "Kachin", "Independence"]


def _join(pieces: list[str]) -> str:
    out = ""
    for p in pieces:
        out += p if p in (",", ".", "\n") or not out or out.endswith("\n") else " " + p
    return out


_text = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=25).map(_join),
    st.lists(st.one_of(st.sampled_from(_WORDS),
                       st.sampled_from(_WORDS).map(str.upper),
                       st.sampled_from(_WORDS).map(str.lower),
                       st.text(alphabet="AbcdeÉz .,-'\n/$", max_size=6)),
             max_size=20).map("".join),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_text)
def test_reference_and_engine_agree_on_any_text(rec, ref, text):
    (a, ta), (b, tb) = _traced(rec, text), _traced(ref, text)
    assert a == b
    assert ta == tb


# -- the model moves both --------------------------------------------------------
@pytest.mark.parametrize("changes, text, before, after", [
    # raise the common-word thresholds and "Enter" (a town) is kept
    ({"common_word_zipf": 6.0, "very_common_word_zipf": 6.0},
     "They will Enter the hall.", [], ["Enter"]),
    # a word added to a word list: a new title makes the next name a person's
    ({"titles": RecognizerModel().titles | {"ambassadress"}},
     "Then the ambassadress Geneva arrived.", ["Geneva"], []),
    ({"disease_words": RecognizerModel().disease_words | {"wobbles"}},
     "Cases of Geneva wobbles rose.", ["Geneva"], []),
    # without first names, "George" before a prominent name is a place again
    ({"first_names": frozenset()}, "A statue of George Washington stands.", [],
     ["George", "Washington"]),
    # without "road" as a route word, the two ends are a hyphenated name again
    ({"route_words": RecognizerModel().route_words - {"road"}},
     "Shells hit the Kramatorsk-Sloviansk road.", ["Kramatorsk", "Sloviansk"], []),
])
def test_a_model_change_moves_reference_and_engine_alike(gaz, changes, text, before, after):
    rec0, ref0 = _both(gaz)
    rec1, ref1 = _both(gaz, **changes)
    assert _texts(rec0(text)) == _texts(ref0.recognize(text)) == before
    assert _texts(rec1(text)) == _texts(ref1.recognize(text)) == after


def test_the_model_is_frozen_picklable_and_checked():
    m = RecognizerModel(disabled=frozenset({"person-name"}))
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(AttributeError):
        m.common_word_zipf = 1.0  # type: ignore[misc]
    with pytest.raises(ConfigurationError, match="common_word_zipf"):
        RecognizerModel(common_word_zipf=2.0)
    with pytest.raises(ConfigurationError, match="no-such-rule"):
        RecognizerModel(disabled=frozenset({"no-such-rule"}))
    with pytest.raises(ConfigurationError, match="no-candidate"):
        RecognizerModel(disabled=frozenset({"no-candidate"}))


def test_the_keyword_still_sets_the_threshold(gaz):
    assert Recognizer(gaz, common_word_zipf=5.0).model.common_word_zipf == 5.0


# -- the rules, one by one ---------------------------------------------------------
# (rule id, a text where the rule turns a match down, the match's text)
_REJECTED = [
    ("organisation-list", "Hamas said the talks ended.", "Hamas"),
    ("ship-name", "The USS Mason fired twice.", "Mason"),
    ("organisation-head", "Troops of the Kachin Independence Army advanced.", "Kachin"),
    ("direction-or-time", "They met in North Geneva before May ended.", "North"),
    ("acronym", "Talks with ROME officials ended.", "ROME"),
    ("compound-word", "They love Paris-esque streets.", "Paris"),
    ("currency", "It cost US$ 40 in total.", "US"),
    ("disease", "A case of Lassa fever was found.", "Lassa"),
    ("code", "The strain A/Perth/16/2009 spread.", "Perth"),
    ("hyphenated-name", "Agence France-Presse reported it.", "France"),
    ("firm-name", "They sued Fresno & Welch yesterday.", "Fresno"),
    ("short-word", "They drove to Rye yesterday.", "Rye"),
    ("compound-tail", "They drank Coca-Cola there.", "Cola"),
    ("after-title", "Then Mayor Houston spoke to us.", "Houston"),
    ("after-first-name", "We spoke to Kwame Fresno yesterday.", "Fresno"),
    ("after-initial", "We read J. Denver yesterday.", "Denver"),
    ("saint", "They marched on St. Fresno's Day.", "Fresno"),
    ("nickname", "Fighters of Omar “Tripoli” Benghazi returned.", "Benghazi"),
    ("person-name", "Coach Dan Adkins arrived. Later we heard Adkins sing.", "Adkins"),
    ("speaker", "The plan is good, Adkins said.", "Adkins"),
    ("armed-group", "Later the Dilla fighters advanced.", "Dilla"),
    ("head-of-name", "He works at the Bank of America now.", "Bank"),
    ("longer-name", "Vladimir Putin spoke.", "Vladimir"),
    ("very-common-word", "Please tell us what Will decided.", "Will"),
    ("common-word", "Please tell us what Enter decided.", "Enter"),
    ("sentence-start-common-word", "Harmony was the theme.", "Harmony"),
]


def test_every_rejection_rule_has_an_example():
    assert {r for r, _, _ in _REJECTED} == {r.id for r in REJECTIONS} - {"no-candidate"}


@pytest.mark.parametrize("rule_id, text, name", _REJECTED, ids=[r for r, _, _ in _REJECTED])
def test_a_rule_is_shown_in_the_trace_and_can_be_switched_off(gaz, rule_id, text, name):
    rec, ref = _both(gaz)
    for r in (rec, ref):
        spans, trace = _traced(r, text)
        assert name not in _texts(spans)
        assert (name, why(rule_id)) in [(s.text, w) for s, w in trace]
    off_rec, off_ref = _both(gaz, disabled=frozenset({rule_id}))
    a, b = _traced(off_rec, text), _traced(off_ref, text)
    assert a == b
    # switched off, the rule neither rejects the match nor is named in a trace
    assert rule_id not in " ".join(w for _, w in a[1]).split(":")
    assert a != _traced(rec, text)


@pytest.mark.parametrize("rule_id, text, name, on, off", [
    # the demonym rule keeps a demonym the later rules would turn down
    ("demonym", "The Armenian Wrestling Federation met.", "Armenian", True, False),
    # headlines: a Title Case line's capitals say nothing
    ("headline", "Geneva Talks Stall As Winter Nears\nTalks went on.", "Geneva", True, False),
    # a dateline's short capitals are a place, not an acronym
    ("dateline", "BENI, Congo (AP) — Fighting went on.", "BENI", True, False),
    ("back-reference", "Gaza Strip was shelled. Aid entered the Strip on Monday.", "Strip",
     True, False),
    ("fuzzy", "Clashes in Nagorno-Karbakh went on.", "Nagorno-Karbakh", True, False),
    ("variant", "Syrian forces entered Dayr az Zawr and Homs.", "Dayr az Zawr", True, False),
])
def test_other_rules_can_be_switched_off(gaz, rule_id, text, name, on, off):
    rec, ref = _both(gaz)
    off_rec, off_ref = _both(gaz, disabled=frozenset({rule_id}))
    assert (name in _texts(rec(text))) is on
    assert _texts(rec(text)) == _texts(ref.recognize(text))
    assert (name in _texts(off_rec(text))) is off
    assert _texts(off_rec(text)) == _texts(off_ref.recognize(text))


def test_variant_support_is_traced_and_can_be_switched_off(gaz):
    text = "Talks in Columbus, Ohio. Then Malloy spoke on Kharkov matters."
    name = "Malloy"
    rec, ref = _both(gaz)
    off_rec, off_ref = _both(gaz, disabled=frozenset({"variant-support"}))
    spans, trace = _traced(rec, text)
    assert _traced(ref, text) == (spans, trace)
    assert name not in _texts(spans)
    assert (name, why("variant-support")) in [(s.text, w) for s, w in trace]
    assert name in _texts(off_rec(text)) and off_rec(text) == off_ref.recognize(text)


def test_every_rule_is_documented_and_named():
    assert [r.id for r in ORDER][:2] == ["no-candidate", "organisation-list"]
    for rule in RULES.values():
        assert rule.doc and rule.reason and rule.id == rule.id.lower()
        assert why(rule.id).startswith(rule.id + ": ")
