"""Resolution as model, reference and engine (issue 16): the plain reference
(geomap.resolve_reference) and the engine (geomap.resolve, compiled where
built) give equal resolutions on the corpora and on generated text, and a
weight changed in the model (geomap.resolver_model) moves both alike."""

from __future__ import annotations

import doctest
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap import resolver_model
from geomap.errors import ConfigurationError
from geomap.resolve import Resolver
from geomap.resolve_reference import ReferenceResolver
from geomap.resolver_model import DEFAULT_MODEL, HAND_MODEL, ResolverModel
from tests.geomap.test_evaluate import _shared_data


def decided(resolutions) -> list:
    """Everything a resolution says, floats by repr (so -0.0 is not 0.0)."""
    return [(r.span, r.place.id if r.place else None, repr(r.confidence),
             [(c.place.id, repr(c.score), [(n, repr(v)) for n, v in c.parts])
              for c in r.candidates])
            for r in resolutions]


def agree(engine, reference, spans, text) -> list:
    """Assert the engine and the reference resolve alike (with and without
    kept candidates); return the decisions."""
    full = decided(engine.resolve(spans, text))
    assert full == decided(reference.resolve(spans, text)), text[:200]
    bare = decided(engine.resolve(spans, text, keep_candidates=0))
    assert bare == [(*d[:3], []) for d in full]
    return full


# -- the model ------------------------------------------------------------------------

def test_the_model_examples_hold():
    assert doctest.testmod(resolver_model).failed == 0


def test_the_model_is_a_frozen_hashable_picklable_value():
    m = ResolverModel()
    with pytest.raises(AttributeError):
        m.type_bonus = 1.0          # type: ignore[misc]
    assert pickle.loads(pickle.dumps(m)) == m == HAND_MODEL
    assert hash(m.replace(qualifier=2.0)) == hash(ResolverModel(qualifier=2.0))
    assert ResolverModel.from_json(m.to_json()) == m
    fitted = m.replace(feature_bonus=(("PCLI", 5.0),), nearby=((100.0, 2.0),),
                       type_words=(("wadi", frozenset({"H.WAD"})),))
    assert ResolverModel.from_json(fitted.to_json()) == fitted
    assert ResolverModel.from_dict({"qualifier": 2}).qualifier == 2.0


def test_the_default_model_is_the_shipped_fit_and_loads_fast():
    import json
    import time
    from importlib.resources import files

    shipped = json.loads(files("geomap.data").joinpath("resolver_params.json").read_text())
    weights = ResolverModel.from_dict(shipped["weights"])
    assert DEFAULT_MODEL == HAND_MODEL.replace(
        **{k: getattr(weights, k) for k in shipped["weights"]})
    assert ResolverModel.fitted() == DEFAULT_MODEL
    t0 = time.perf_counter()
    ResolverModel.fitted()
    assert time.perf_counter() - t0 < 0.05       # (10 ms on a quiet machine)


@pytest.mark.parametrize("text", ["[1]", '{"weights": 3}', "{", '{"weights": {"x": 1}}'])
def test_a_bad_parameter_file_is_a_configuration_error(text):
    with pytest.raises(ConfigurationError):
        ResolverModel.fitted(text)


@pytest.mark.parametrize("data", [
    {"no_such_weight": 1.0},
    {"type_bonus": "heavy"},
    {"max_candidates": 2.5},
    {"nearby": [[500.0, 0.4], [50.0, 1.5]]},        # not ascending
    {"rounds": 0},
])
def test_the_model_refuses_bad_values(data):
    with pytest.raises(ConfigurationError):
        ResolverModel.from_dict(data)


def test_bad_json_is_a_configuration_error():
    for text in ("{", "[1, 2]"):
        with pytest.raises(ConfigurationError):
            ResolverModel.from_json(text)


# -- reference and engine: equal ------------------------------------------------------

@pytest.fixture(scope="module")
def both(gaz):
    return Resolver(gaz), ReferenceResolver(gaz)


@pytest.mark.corpus
def test_reference_and_engine_agree_on_the_corpora(rec, both):
    from geomap.evaluate import read_corpus

    data = _shared_data()
    corpora = [data / "LGL" / "lgl.xml", data / "GeoVirus" / "GeoVirus.xml"]
    if not all(p.exists() for p in corpora):
        pytest.skip(f"corpora not found under {data}")
    engine, reference = both
    mentions = chosen = 0
    for path in corpora:
        for doc in read_corpus(path):
            out = agree(engine, reference, rec(doc.text), doc.text)
            mentions += len(out)
            chosen += sum(1 for d in out if d[1] is not None)
    assert mentions > 7000 and chosen > 6000


_JOINS = [" and ", ", ", " in ", " near ", " of ", " (", ". The ", " across the ",
          " from ", " said officials in ", " and the "]
_AFTER = ["", "", "", " region", " river", " city", " City", " province", " counties",
          " Sea", " oblast", ", Texas", ", Illinois", "."]


@pytest.fixture(scope="module")
def names(gaz):
    pool = gaz.prominent_names()
    assert len(pool) > 1000
    # a slice of the prominent names, and names that need context and type words
    return sorted(pool)[::40] + [
        "Paris", "Geneva", "Springfield", "Moscow", "Georgia", "Kharkiv", "Dnipro", "Gaza",
        "Red Sea", "Kunduz", "Tskhinvali", "Lima", "Kofa", "Alexandria", "Odessa",
        "Charlotte", "Richmond", "Palestine", "Texas", "Atlantic", "Yerevan", "Dublin"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_reference_and_engine_agree_on_generated_text(rec, both, names, data):
    n = data.draw(st.integers(1, 9))
    parts = ["The"[:data.draw(st.integers(0, 3))] + " "]
    for _ in range(n):
        parts += [data.draw(st.sampled_from(names)), data.draw(st.sampled_from(_AFTER)),
                  data.draw(st.sampled_from(_JOINS))]
    text = "".join(parts).strip() + "."
    agree(*both, rec(text), text)


# -- a weight moves both --------------------------------------------------------------

_TEXTS = [
    "Geneva, Ill. officials met in Paris, Texas, while talks in Geneva, Moscow and "
    "Yerevan went on. Springfield and Richmond police said Anderson County was calm.",
    "Drones struck the Zaporizhzhia region overnight; boats crossed the Dnipro, near "
    "Kherson, and Kunduz and Baghlan provinces were flooded.",
    "Lima and Arequipa were flooded; Santiago sent aid. Tskhinvali residents watched, and "
    "trucks reached Kofa on Monday.",
    "Anderson County deputies arrested a Palestine man. The Palestine police chief said "
    "Texas law applies in Athens and Tyler.",
    "Ships were attacked in the Red Sea near Yemen and the Gulf of Aden; Georgia and "
    "Tbilisi protested, and Alexandria, Cairo and Dublin sent envoys.",
    "RICHMOND (Reuters) - Officials said.\nPARIS, Texas \u2014 Police in Athens and "
    "Springfield said.",
    "Refugees from Sudan and Libya crossed into Adre, Tine and Faya; Israeli officials "
    "said boats bound for Gaza were stopped.",
    "Gunmen struck Iskandariyah and Levoberezhnyj; Sukreh and Kassale were calm, and "
    "Hassake, Kharkov and Aleppo were shelled.",
    "Portland selectmen met, Delta police and the Athens City Council said; the mayor of "
    "Jordan and Berea's council agreed.",
]


@pytest.mark.parametrize("changes", [
    {"population_weight": 0.3},
    {"feature_bonus": (("PCLI", 1.0), ("ADM1", 5.0), ("PPLC", 4.0))},
    {"type_bonus": 1.0, "article_bonus": 0.5},
    {"qualifier": 0.0, "seat_division": 1.0, "curated": -2.0},
    {"country_base": 2.0, "country_share": 0.5, "admin1_share": 8.0},
    {"nearby": ((20.0, 0.5), (1000.0, 3.0))},           # not nearest-best
    {"isolated": 1.5, "isolation_min_others": 1},       # a positive part: the bounds follow
    {"isolated": 0.0, "isolated_confidence": 0.5},
    {"context_margin": 0.0},
    {"type_words": (("region", frozenset({"P"})), ("the", frozenset({"P"})))},
    {"rounds": 1},
    {"largest": 3.0, "population_weight": 0.0},
    {"other_name": -4.0},
    {"dateline": -6.0},
    {"unsupported": -1.0, "unsupported_population": 100_000},   # issue 14's rule, wider
    {"neighbour_base": 3.0, "neighbour_share": 2.0},    # issue 17: across a border
    {"neighbour_base": 2.0, "neighbour_supports": False},
    {"neighbour_base": 0.0, "neighbour_share": 0.0},
    {"variant_lookup": "always", "variant": -2.0},      # issue 14: variants of a name
    {"variant_lookup": "off"},
    {"variant": 1.0, "unsupported": 0.0},
    {"institution_bonus": 3.0},                         # issue 17: "Berea police"
    {"institution_bonus": 0.0},
])
def test_a_weight_changed_in_the_model_moves_engine_and_reference_alike(
        gaz, rec, both, changes):
    model = DEFAULT_MODEL.replace(**changes)
    engine, reference = Resolver(gaz, model), ReferenceResolver(gaz, model)
    moved = False
    for text in _TEXTS:
        spans = rec(text)
        default = decided(both[0].resolve(spans, text))
        changed = agree(engine, reference, spans, text)
        moved = moved or changed != default
    assert moved, f"{changes} changed nothing"


def test_the_engine_reads_its_weights_from_the_model_when_compiled_too(gaz, rec):
    # the type word's part is the model's type_bonus, in the explanation as in the score
    text = "Fighting in the Kharkiv region and near Izium."
    r = {x.span.text: x for x in Resolver(gaz, ResolverModel(type_bonus=7.25))
         .resolve(rec(text), text)}["Kharkiv"]
    assert dict(r.candidates[0].parts)["type word"] == 7.25
    assert "type word +7.25" in r.explain()


# -- the parts added for the fit (issue 17) --------------------------------------------

@pytest.mark.parametrize("text, opens", [
    ("GENEVA (Reuters) - Talks went on.", True),
    ("Talks.\nKYIV, Ukraine \u2014 Shelling went on.", True),
    ("Talks in Geneva, then Paris.", False),        # not at a line's start
    ("Geneva talks went on.", False),               # no comma, bracket or dash after it
])
def test_a_dateline_opens_a_line_and_is_followed_by_a_comma_bracket_or_dash(text, opens):
    from geomap.resolve import _is_dateline
    from geomap.resolve_reference import is_dateline
    from geomap.spans import Span

    word = next(w for w in ("GENEVA", "KYIV", "Geneva") if w in text)
    start = text.index(word)
    span = Span(start, start + len(word), word, word.lower())
    assert is_dateline(span, text) is opens
    assert _is_dateline(span, text) is opens


def test_the_largest_and_dateline_parts_go_to_the_most_populous_candidate(gaz, rec):
    text = "RICHMOND (AP) - Officials met."
    model = HAND_MODEL.replace(largest=0.5, dateline=1.25)
    r = {x.span.text: x for x in Resolver(gaz, model).resolve(rec(text), text)}["RICHMOND"]
    most = max(c.place.population for c in r.candidates)
    for c in r.candidates:
        parts = dict(c.parts)
        top = c.place.population == most
        assert (parts.get("largest") == 0.5) is top
        assert (parts.get("dateline") == 1.25) is top


def test_explain_shows_each_parts_contribution_to_the_lead(gaz, rec):
    text = "Talks in Paris, Texas went on."
    r = Resolver(gaz).resolve(rec(text), text)[0]
    line = r.explain().splitlines()[-1]
    lead = r.candidates[0].score - r.candidates[1].score
    assert line.strip().startswith(f"winner - runner-up {lead:+.2f}:")
    assert "qualifier" in line
