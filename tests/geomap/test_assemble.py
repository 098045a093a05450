"""Tests of geomap.assemble's score arithmetic: the compiled engine gives the
float the readable reference (:meth:`geomap.calibration.ScoreModel.probability`)
gives, for any model and any features, and on every mention of the corpora."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.assemble import (
    FEATURES,
    _logit,
    _logit_shipped,
    _probability,
    _probability_of,
    _round4,
    _Terms,
    _vector_of,
    assemble,
    features,
)
from geomap.calibration import ScoreModel, load_model
from tests.geomap.test_evaluate import _shared_data

_N = len(FEATURES)
# features as the pipeline makes them: many exact zeros (either sign), 1s, and graded values
_value = st.one_of(st.just(0.0), st.just(-0.0), st.just(1.0), st.floats(-2.0, 2.0))
_weight = st.floats(-20.0, 20.0)


@st.composite
def _models(draw):
    """A model over the real features, with pairs in any order: runs of one
    first feature, the same first feature in separate runs, squares."""
    pairs = draw(st.lists(st.tuples(st.integers(0, _N - 1), st.integers(0, _N - 1)),
                          max_size=60))
    return ScoreModel(FEATURES, tuple(draw(st.lists(_weight, min_size=_N, max_size=_N))),
                      draw(st.one_of(st.just(0.0), st.just(-0.0), _weight)), 0.4, {},
                      tuple(pairs),
                      tuple(draw(st.lists(_weight, min_size=len(pairs), max_size=len(pairs)))))


@given(_models(), st.lists(_value, min_size=_N, max_size=_N))
def test_probability_is_the_reference_float(model, x):
    terms = _Terms(model)
    assert _logit(x, terms) == model.logit(x)      # (0.0 == -0.0)
    assert _probability(x, terms) == model.probability(x)


@given(st.lists(_value, min_size=_N, max_size=_N))
def test_shipped_model_probability_is_the_reference_float(x):
    model = load_model()
    assert _logit(x, _Terms(model)) == model.logit(x)
    assert _probability(x, _Terms(model)) == model.probability(x)


def test_shipped_model_is_written_out():
    """The shipped model's pairs are those _logit_shipped adds (a refit with
    other pairs would run the generic _logit: the same floats, slower)."""
    assert _Terms(load_model()).shipped


@given(st.lists(_value, min_size=_N, max_size=_N), st.lists(_weight, min_size=_N + 53,
                                                            max_size=_N + 53))
def test_written_out_logit_is_the_reference_float(x, weights):
    """_logit_shipped adds what _logit adds, in its order, for any weights of
    the shipped pairs, and its features are the list's."""
    shipped = load_model()
    model = ScoreModel(FEATURES, tuple(weights[:_N]), weights[_N], 0.25, {}, shipped.pairs,
                       tuple(weights[_N + 1:]))
    terms = _Terms(model)
    assert terms.shipped
    v = _vector_of(x)
    assert v.as_list() == x
    assert _logit_shipped(v, terms) == _logit(x, terms) == model.logit(x)
    assert _round4(_probability_of(v, terms)) == model.probability(x)


@given(_models(), st.lists(_value, min_size=_N, max_size=_N))
def test_probability_of_any_model_is_the_reference_float(model, x):
    terms = _Terms(model)
    assert _round4(_probability_of(_vector_of(x), terms)) == model.probability(x)


@given(st.floats(0.0, 1.0))
def test_round4_is_round(p):
    assert _round4(p) == round(p, 4)


def test_round4_is_round_at_and_beside_every_half():
    """Where ``p * 10**4`` lies at or next to a half, the nearest integer is a
    matter of the last bit: ``round`` decides there, the same way."""
    for k in range(10_000):
        half = (k + 0.5) / 10_000
        below, above = math.nextafter(half, 0.0), math.nextafter(half, 1.0)
        for p in (k / 10_000, half, below, above, math.nextafter(above, 1.0),
                  math.nextafter(below, 0.0)):
            assert _round4(p) == round(p, 4), p


@pytest.mark.slow
@pytest.mark.corpus
def test_assembled_scores_are_the_reference_on_the_corpora(gazetteer_path):
    """Every mention of LGL and GeoVirus (kept with or without a place): its
    score is ScoreModel.probability of its features, 0 without a place."""
    from geomap.documents import Document
    from geomap.evaluate import read_corpus
    from geomap.pipeline import Pipeline
    from geomap.text import sentence_spans

    data = _shared_data()
    corpora = [data / "LGL" / "lgl.xml", data / "GeoVirus" / "GeoVirus.xml"]
    if not all(p.exists() for p in corpora):
        pytest.skip(f"corpora not found under {data}")
    model = load_model()
    pipe = Pipeline()
    placed = 0
    for path in corpora:
        for doc in read_corpus(path):
            text = doc.text
            sentences = sentence_spans(text)
            rs = pipe.resolver.resolve(pipe.recognizer.recognize(text, sentences), text,
                                       keep_candidates=0)
            ms = assemble(Document(str(doc.doc_id), text), 0, text, sentences, rs,
                          keep_unresolved=True)
            xs = features(text, sentences, rs)
            assert len(ms) == len(xs) == len(rs)
            for m, x in zip(ms, xs):
                assert m.score == (0.0 if x is None else model.probability(x))
                placed += x is not None
    assert placed > 6000


def _reference_own_features(place, name, key, freqs):
    """Features 3-14 (the place's) and 17, 18, 20, 21 (the name's), written out."""
    fc, code, pop = place.feature_class, place.feature_code, place.population
    country = code.startswith("PCL") or code == "TERR"
    freq = freqs.get(name.lower(), 0.0)
    return ([math.log10(pop + 1) / 7.0 if pop > 0 else 0.0, float(pop <= 0), float(country),
             float(code == "ADM1"), float(fc == "A" and not country and code != "ADM1"),
             float(fc == "P"), float(code == "PPLC"), float(fc == "H"), float(fc == "T"),
             float(fc == "L"), float(fc in ("S", "V", "R", "U")),
             float(place.source == "curated")],
            [float(name.lower() != key), float(len(name) > 1 and name.isupper()),
             float(" " in name),
             max(0.0, (math.log10(freq) + 9.0 - 3.0) / 4.0) if freq > 0.0 else 0.0])


def test_features_kept_per_place_and_name_are_each_ones_own():
    """A place's and a name's own features are made once and kept: a place
    equal but for its code or population, and a name with another key, get
    their own, however often each is seen."""
    from gazetteer.place import Place
    from geomap.frequencies import common_english_frequencies
    from geomap.resolution import Resolution
    from geomap.spans import Span

    freqs = common_english_frequencies()
    places = [Place(id=1, name="Reading", lat=51.45, lon=-0.97, country_code="GB",
                    feature_class=fc, feature_code=code, population=pop, source=source)
              for fc, code, pop, source in [("P", "PPLA2", 318014, "geonames"),
                                            ("P", "PPLC", 318014, "geonames"),
                                            ("A", "ADM1", 0, "geonames"),
                                            ("H", "STM", 0, "curated"),
                                            ("A", "PCLI", 5, "geonames")]]
    spans = [("Reading", "reading"), ("READING", "reading"), ("Reading", "readings"),
             ("New Reading", "new reading")]
    for _ in range(3):
        for place in places:
            for name, key in spans:
                text = f"{name} and more."
                r = Resolution(Span(0, len(name), name, key, sentence=0), place, 0.5)
                x = features(text, [(0, len(text))], [r])[0]
                own_place, own_name = _reference_own_features(place, name, key, freqs)
                assert x[3:15] == own_place
                assert [x[17], x[18], x[20], x[21]] == own_name


def test_the_mention_maker_sets_every_field_in_order():
    # assemble names Mention's fields for the C maker; a new field would be left unset
    import dataclasses

    from geomap import assemble as asm
    from geomap.mentions import Mention

    assert tuple(f.name for f in dataclasses.fields(Mention)) == asm._FIELDS


@given(st.text(min_size=1, max_size=40), st.booleans(), st.integers(0, 10**6),
       st.none() | st.text(max_size=5))
def test_assembled_mentions_are_the_mentions_their_fields_make(name, placed, offset, source):
    """A mention assemble makes (by the C maker when it is built, else by the
    slots' descriptors) is the Mention its fields make: equal, same hash and
    repr, picklable, frozen."""
    import dataclasses
    import pickle

    from gazetteer.place import Place
    from geomap.documents import Document
    from geomap.mentions import Mention
    from geomap.resolution import Resolution
    from geomap.spans import Span

    place = Place(id=1, name="Geneva", lat=46.2, lon=6.1, country_code="CH",
                  feature_class="P", feature_code="PPLA", population=183981)
    text = f"In {name}."
    doc = Document("d", "x" * offset + text, source=source, date="2024-01-02", url=None)
    r = Resolution(Span(3, 3 + len(name), name, name.lower(), sentence=0),
                   place if placed else None, 0.5)
    (made,) = assemble(doc, offset, text, [(0, len(text))], [r], keep_unresolved=True)
    want = Mention(doc="d", start=3 + offset, end=3 + len(name) + offset, text=name,
                   place=r.place, score=made.score, kind="name", source=doc.source,
                   date="2024-01-02", url=None, sentence=text, sentence_start=offset)
    assert type(made) is Mention
    assert made == want and hash(made) == hash(want) and repr(made) == repr(want)
    assert pickle.loads(pickle.dumps(made)) == want
    assert (made.score > 0.0) is placed
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 1  # type: ignore[misc]
