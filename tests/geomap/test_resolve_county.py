"""The ``county`` part: a town and the county holding it, named in one document,
lift each other (candidates, not choices, so that both escape a wrong first guess)."""

from __future__ import annotations

import pytest

from geomap.recognize import Recognizer
from geomap.resolve import Resolver
from geomap.resolve_reference import ReferenceResolver, nested
from geomap.resolver_model import DEFAULT_MODEL


@pytest.fixture(scope="module")
def run(gaz):
    rec, res = Recognizer(gaz), Resolver(gaz)

    def resolve(text, model=None):
        r = res if model is None else Resolver(gaz, model)
        return {x.span.text: x for x in r.resolve(rec(text), text, keep_candidates=5)}

    return resolve


def _parts(r):
    return dict(r.candidates[0].parts)


def test_the_shipped_model_weighs_it():
    assert DEFAULT_MODEL.county > 0


def test_a_town_and_its_county_lift_each_other(run):
    # Athens, Alabama lies in Limestone County, Alabama; the larger Athens is in Georgia
    text = "Deputies in Limestone County arrested two men. The Athens police chief spoke."
    out = run(text)
    athens, county = out["Athens"], out["Limestone County"]
    assert athens.place.admin1 == county.place.admin1 == "AL"
    assert "county" in _parts(athens) and "county" in _parts(county)
    # without the part the two names still agree through the admin1 part, but the
    # county part is what each one's explanation shows
    off = run(text, DEFAULT_MODEL.replace(county=0.0))
    assert "county" not in _parts(off["Athens"])


def test_no_lift_without_a_nesting_pair(run):
    out = run("Shelling hit Kharkiv and Izium on Monday.")
    assert all("county" not in _parts(r) for r in out.values() if r.candidates)


def test_a_name_does_not_lift_itself(gaz):
    # one key repeated: its own towns and counties never count
    rec = Recognizer(gaz)
    text = "Washington said. Washington replied."
    spans = rec(text)
    ref = ReferenceResolver(gaz)
    found = [ref.candidates(s, "")[0] for s in spans]
    assert nested(spans, found, DEFAULT_MODEL) == [frozenset(), frozenset()]


def test_engine_and_reference_agree_with_the_part(gaz):
    rec = Recognizer(gaz)
    model = DEFAULT_MODEL.replace(county=3.0)
    for text in ["Deputies in Limestone County arrested two men. The Athens police chief spoke.",
                 "The fair opens in Lebanon next week. Warren County approved the budget.",
                 "Paris and Henry County schools closed; Paris police said roads iced."]:
        spans = rec(text)
        a = Resolver(gaz, model).resolve(spans, text, keep_candidates=5)
        b = ReferenceResolver(gaz, model).resolve(spans, text, keep_candidates=5)
        assert [(x.place, x.confidence, x.candidates) for x in a] == \
            [(y.place, y.confidence, y.candidates) for y in b]
