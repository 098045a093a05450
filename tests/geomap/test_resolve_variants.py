"""Transliteration variants hidden by an exact hit (issue 14, class 5): when
the name as written is only a weak name in the store (an alternate name of
some other place, or a place without population), the candidates of the
keys sharing its transliteration skeleton join its own, each with the
``variant`` part, and such a candidate needs the document's support to win."""

from __future__ import annotations

import pytest

from geomap.errors import ConfigurationError
from geomap.resolve import Resolver, _weak
from geomap.resolve_reference import ReferenceResolver, weak
from geomap.resolver_model import DEFAULT_MODEL, ResolverModel
from tests.geomap.test_resolve_reference import agree

#: (text, the name, the country the document means). Each name is, as
#: written, only an alternate name of places elsewhere; the place meant is
#: known by another romanisation of it.
_CASES = [
    ("A car bomb exploded in Iskandariyah, south of Baghdad, killing four, Iraqi "
     "police said.", "Iskandariyah", "IQ"),
    ("Shelling hit Levoberezhnyj and Kharkiv overnight, Ukrainian officials said.",
     "Levoberezhnyj", "UA"),
]


def _by_text(resolutions, name):
    return next(r for r in resolutions if r.span.text == name)


@pytest.mark.parametrize("text, name, country", _CASES)
def test_a_variant_spelling_of_the_place_meant_is_found_behind_a_weak_exact_hit(
        gaz, rec, text, name, country):
    spans = rec(text)
    assert name in [s.text for s in spans]
    off = _by_text(Resolver(gaz, DEFAULT_MODEL.replace(variant_lookup="off"))
                   .resolve(spans, text), name)
    agree(Resolver(gaz), ReferenceResolver(gaz), spans, text)
    on = _by_text(Resolver(gaz).resolve(spans, text), name)
    assert off.place is None or off.place.country_code != country
    assert on.place is not None and on.place.country_code == country
    # the winner came by a variant: it carries the part, the name's own candidates do not
    assert dict(on.candidates[0].parts)["variant"] == DEFAULT_MODEL.variant
    own = {c.place.id for c in gaz.candidates(name)}
    for c in on.candidates:
        assert ("variant" in dict(c.parts)) is (c.place.id not in own)


def test_a_variant_candidate_without_support_in_the_document_does_not_win(gaz, rec):
    # the same name, in a story that says nothing of Iraq: the variant's place
    # needs support (the unsupported rule), so it is not the answer
    text = "Iskandariyah won the match 2-1 on Sunday, its coach said."
    spans = rec(text)
    agree(Resolver(gaz), ReferenceResolver(gaz), spans, text)
    r = _by_text(Resolver(gaz).resolve(spans, text), "Iskandariyah")
    iraq = [c for c in r.candidates if c.place.country_code == "IQ"]
    assert iraq and "unsupported" in dict(iraq[0].parts)
    assert r.place is None or r.place.country_code != "IQ"


def test_a_strong_exact_hit_keeps_its_candidates_alone(gaz, rec):
    # "Kharkiv" is a populated place's own name: no variant joins it unless
    # the model asks for variants always
    text = "Shelling hit Kharkiv and Kupiansk overnight."
    spans = rec(text)
    weak_only = Resolver(gaz).resolve(spans, text)
    off = Resolver(gaz, DEFAULT_MODEL.replace(variant_lookup="off")).resolve(spans, text)
    assert [[c.place.id for c in r.candidates] for r in weak_only] == \
        [[c.place.id for c in r.candidates] for r in off]
    for model in (DEFAULT_MODEL.replace(variant_lookup="always"),
                  DEFAULT_MODEL.replace(variant_lookup="off", variant=-2.0)):
        agree(Resolver(gaz, model), ReferenceResolver(gaz, model), spans, text)


def test_weak_is_only_alternate_names_or_no_population(gaz):
    strong = gaz.candidates("Kharkiv")
    assert not weak(strong) and not _weak(strong)
    alternate_only = gaz.candidates("Iskandariyah")
    assert all(c.kind != "name" for c in alternate_only)
    assert weak(alternate_only) and _weak(alternate_only)
    assert weak([]) and _weak([])


def test_the_engine_reuses_its_cached_spellings_with_variants(gaz, rec):
    engine = Resolver(gaz)
    text = _CASES[0][0]
    spans = rec(text)
    first = [(r.place, r.confidence) for r in engine.resolve(spans, text)]
    again = [(r.place, r.confidence) for r in engine.resolve(spans, text)]
    assert first == again


@pytest.mark.parametrize("value", ["sometimes", ""])
def test_the_model_refuses_an_unknown_variant_lookup(value):
    with pytest.raises(ConfigurationError):
        ResolverModel(variant_lookup=value)
    with pytest.raises(ConfigurationError):
        ResolverModel.from_dict({"variant_lookup": value})
