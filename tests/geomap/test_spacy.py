"""The spaCy integration: the ``"geomap"`` component (registered through the
``spacy_factories`` entry point) and the recognisers backed by a spaCy
pipeline (:mod:`geomap.spacy_recognizer`).

Real spaCy throughout, without a trained model: ``spacy.blank("en")`` with an
``entity_ruler`` of our own patterns gives real entities (PERSON, ORG, GPE).
"""

from __future__ import annotations

import pickle
from importlib.metadata import entry_points

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

spacy = pytest.importorskip("spacy")

from gazetteer.names import fold  # noqa: E402
from geomap.errors import ConfigurationError  # noqa: E402
from geomap.pipeline import Pipeline  # noqa: E402
from geomap.recognize import Recognizer  # noqa: E402
from geomap.spacy_component import GeomapComponent, SpanPlace, entity_label  # noqa: E402
from geomap.spacy_recognizer import (  # noqa: E402
    SpacyRecognizer,
    VetoingRecognizer,
    load_nlp,
    spacy_recognizer,
    vetoing_recognizer,
)
from geomap.spans import Span  # noqa: E402
from geomap.text import sentence_spans  # noqa: E402

PATTERNS = [
    {"label": "PERSON", "pattern": "Jordan Peterson"},
    {"label": "PERSON", "pattern": "Lincoln"},
    {"label": "ORG", "pattern": "Bank of England"},
    {"label": "ORG", "pattern": "Lyon"},                  # a model's mistake, to be kept
    {"label": "NORP", "pattern": "Armenian"},
    {"label": "GPE", "pattern": "the Gaza Strip"},
    {"label": "GPE", "pattern": "Geneva"},
    {"label": "GPE", "pattern": "Qzxville"},              # no such place
    {"label": "LOC", "pattern": "Dead Sea"},
]


def ruler_nlp():
    """A real spaCy pipeline whose entities are :data:`PATTERNS`."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


@pytest.fixture(scope="module")
def nlp_geomap(gazetteer_path):
    """The ruler's pipeline with the geomap component added by name, writing doc.ents."""
    nlp = ruler_nlp()
    nlp.add_pipe("geomap", config={"gazetteer": str(gazetteer_path), "write_ents": True})
    return nlp


@pytest.fixture(scope="module")
def pipeline(gaz):
    return Pipeline(gazetteer=gaz)


def _places(nlp, text, key="geomap"):
    """``(start_char, end_char, span._.place)`` of the spans ``nlp`` writes for ``text``."""
    doc = nlp(text)
    return [(s.start_char, s.end_char, s._.place) for s in doc.spans[key]]


def _pipeline_with(gaz, recognizer) -> Pipeline:
    return Pipeline(gaz, recognizer=recognizer)


# -- the component -------------------------------------------------------------------------
def test_component_is_registered_through_the_entry_point():
    (ep,) = [e for e in entry_points(group="spacy_factories") if e.name == "geomap"]
    assert ep.value == "geomap.spacy_component:make_geomap"
    # a fresh spaCy process knows the factory without importing geomap first
    import subprocess
    import sys

    code = ("import spacy, sys; nlp = spacy.blank('en'); nlp.add_pipe('geomap'); "
            "print(nlp.pipe_names, type(nlp.get_pipe('geomap')).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['geomap'] GeomapComponent"


def test_component_writes_places_to_doc_spans(nlp_geomap):
    doc = nlp_geomap("Talks in Geneva ended. Armenian troops left the Dead Sea shore.")
    got = {s.text: s for s in doc.spans["geomap"]}
    assert set(got) == {"Geneva", "Armenian", "Dead Sea"}
    geneva = got["Geneva"]._.place
    assert isinstance(geneva, SpanPlace)
    assert (geneva.country_code, geneva.feature_class, geneva.kind) == ("CH", "P", "name")
    assert abs(geneva.lat - 46.2) < 0.1 and abs(geneva.lon - 6.15) < 0.1
    assert geneva.geonameid == geneva.id and got["Geneva"].kb_id_ == str(geneva.id)
    assert 0 < geneva.score <= 1
    assert [got[k].label_ for k in ("Geneva", "Armenian", "Dead Sea")] == ["GPE", "NORP", "LOC"]
    assert got["Armenian"]._.place.country_code == "AM"
    assert got["Armenian"]._.place.kind == "demonym"
    with pytest.raises(AttributeError):
        geneva.lat = 0.0                       # a frozen value


def test_component_agrees_with_the_pipeline(nlp_geomap, pipeline):
    text = "Shelling hit Donetsk and Mariupol, Ukraine said from Kyiv."
    doc = nlp_geomap(text)
    expected = [(m.start, m.end, m.place.id) for m in pipeline.process(text, keep_unresolved=False)]
    assert [(s.start_char, s.end_char, s._.place.id) for s in doc.spans["geomap"]] == expected


def test_write_ents_keeps_the_entities_already_there(nlp_geomap):
    doc = nlp_geomap("Jordan Peterson flew from Lyon to Geneva.")
    ents = [(e.text, e.label_) for e in doc.ents]
    # the ruler's ORG "Lyon" stays (a place overlapping an entity is left out of
    # doc.ents, not out of doc.spans); Geneva was the ruler's GPE already
    assert ents == [("Jordan Peterson", "PERSON"), ("Lyon", "ORG"), ("Geneva", "GPE")]
    assert "Lyon" in [s.text for s in doc.spans["geomap"]]


def test_write_ents_adds_places_no_entity_covers(gazetteer_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("geomap", config={"gazetteer": str(gazetteer_path), "write_ents": True})
    doc = nlp("Flooding in Lyon and along the Dead Sea.")
    assert [(e.text, e.label_, e.kb_id_ != "") for e in doc.ents] == [
        ("Lyon", "GPE", True), ("Dead Sea", "LOC", True)]
    assert doc.ents[0]._.place.country_code == "FR"


def test_ents_filter_is_configurable(gazetteer_path):
    nlp = ruler_nlp()
    nlp.add_pipe("geomap", config={
        "gazetteer": str(gazetteer_path), "write_ents": True,
        "ents_filter": {"@misc": "spacy.prioritize_new_ents_filter.v1"}})
    doc = nlp("Jordan Peterson flew from Lyon to Geneva.")
    assert ("Lyon", "GPE") in [(e.text, e.label_) for e in doc.ents]


def test_write_ents_off_leaves_doc_ents_alone(gazetteer_path):
    nlp = ruler_nlp()
    nlp.add_pipe("geomap", config={"gazetteer": str(gazetteer_path), "spans_key": "places"})
    doc = nlp("Jordan Peterson flew from Lyon to Marseille.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Jordan Peterson", "PERSON"),
                                                      ("Lyon", "ORG")]
    assert [s.text for s in doc.spans["places"]] == ["Lyon", "Marseille"]
    assert "geomap" not in doc.spans


@pytest.mark.parametrize("feature_class, kind, label", [
    ("P", "name", "GPE"), ("A", "name", "GPE"), ("S", "name", "FAC"), ("R", "name", "FAC"),
    ("H", "name", "LOC"), ("L", "name", "LOC"), ("T", "name", "LOC"), ("A", "demonym", "NORP"),
])
def test_entity_label(feature_class, kind, label):
    assert entity_label(feature_class, kind) == label


def test_component_config_errors(gazetteer_path):
    nlp = spacy.blank("en")
    with pytest.raises(ConfigurationError, match="spans_key"):
        nlp.add_pipe("geomap", config={"spans_key": ""})
    with pytest.raises(ConfigurationError, match="Pipeline"):
        GeomapComponent().pipeline = object()


def test_another_place_extension_is_not_overwritten():
    from spacy.tokens import Span as SpacySpan

    SpacySpan.remove_extension("place")
    try:
        SpacySpan.set_extension("place", default=None)       # someone else's
        with pytest.raises(ConfigurationError, match="Span._.place"):
            GeomapComponent()
    finally:
        SpacySpan.remove_extension("place")
        GeomapComponent()                                      # ours again
    assert SpacySpan.has_extension("place")


def test_to_disk_keeps_the_config_not_the_gazetteer(nlp_geomap, gazetteer_path, tmp_path):
    text = "Talks in Geneva, then Lyon."
    before = _places(nlp_geomap, text)
    nlp_geomap.to_disk(tmp_path / "pipe")
    files = [p.name for p in (tmp_path / "pipe").rglob("*")]
    assert "geomap" not in files and not any(f.endswith(".sqlite") for f in files)
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.get_pipe_config("geomap")["gazetteer"] == str(gazetteer_path)
    assert loaded.get_pipe("geomap").write_ents is True
    assert _places(loaded, text) == before


def test_pickled_component_reopens_its_gazetteer(nlp_geomap):
    comp = nlp_geomap.get_pipe("geomap")
    assert comp.pipeline is not None      # opened
    copy = pickle.loads(pickle.dumps(comp))
    assert copy._pipeline is None         # the store is not pickled...
    assert (copy.gazetteer, copy.spans_key, copy.write_ents) == (
        comp.gazetteer, comp.spans_key, comp.write_ents)
    doc = copy(spacy.blank("en")("Talks in Geneva."))
    assert [s._.place.country_code for s in doc.spans["geomap"]] == ["CH"]  # ...reopened


def test_places_survive_doc_serialisation(nlp_geomap):
    from spacy.tokens import Doc, DocBin

    doc = nlp_geomap("Talks in Geneva. Armenian troops left.")
    again = Doc(nlp_geomap.vocab).from_bytes(doc.to_bytes())
    assert [s._.place for s in again.spans["geomap"]] == [s._.place for s in doc.spans["geomap"]]
    bin_ = DocBin(store_user_data=True, docs=[doc])
    (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp_geomap.vocab)
    assert [s._.place for s in back.spans["geomap"]] == [s._.place for s in doc.spans["geomap"]]


def test_nlp_pipe_matches_calls(nlp_geomap):
    texts = ["Talks in Geneva.", "", "Nothing here.", "Rain in Lyon and Marseille."]
    one = [_places(nlp_geomap, t) for t in texts]
    assert [[(s.start_char, s.end_char, s._.place) for s in d.spans["geomap"]]
            for d in nlp_geomap.pipe(texts, batch_size=2)] == one
    assert [[(s.start_char, s.end_char, s._.place) for s in d.spans["geomap"]]
            for d in nlp_geomap.pipe(texts, n_process=2, batch_size=2)] == one
    assert any(one)


def test_component_uses_a_pipeline_set_on_it(gaz, gazetteer_path):
    nlp = ruler_nlp()
    comp = nlp.add_pipe("geomap", config={"gazetteer": str(gazetteer_path)})
    text = "Shares of the Bank of England rose in London."
    assert [text[a:b] for a, b, _ in _places(nlp, text)] == ["England", "London"]
    comp.pipeline = _pipeline_with(gaz, VetoingRecognizer(Recognizer(gaz), ruler_nlp(),
                                                          labels=("PERSON", "ORG")))
    assert [text[a:b] for a, b, _ in _places(nlp, text)] == ["London"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["Geneva", "Lyon", " ", ", ", "\n", "Armenian", "Jordan",
                                 "the", "Dead Sea", "-", "'s", "x", "\u00e9", "\u2019", "."]),
                max_size=12).map("".join) | st.text(max_size=60))
def test_component_spans_are_places_of_the_text(nlp_geomap, text):
    doc = nlp_geomap(text)
    for s in doc.spans["geomap"]:
        assert doc.text[s.start_char:s.end_char] == s.text
        assert s._.place is not None and s.kb_id_ == str(s._.place.id)
        assert s.label_ in {"GPE", "LOC", "FAC", "NORP"}
    ents = sorted((e.start, e.end) for e in doc.ents)
    assert all(a[1] <= b[0] for a, b in zip(ents, ents[1:]))


# -- the recognisers ------------------------------------------------------------------------
def test_spacy_recognizer_spans_are_the_place_entities():
    text = "Jordan Peterson said: rain in the Gaza Strip's south. Geneva; Qzxville."
    spans = SpacyRecognizer(ruler_nlp()).recognize(text)
    assert [(s.text, s.key, s.kind, s.sentence) for s in spans] == [
        ("Gaza Strip", "gaza strip", "name", 0), ("Geneva", "geneva", "name", 1),
        ("Qzxville", "qzxville", "name", 1)]
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_spacy_recognizer_norp_gives_demonyms():
    spans = SpacyRecognizer(ruler_nlp(), labels=("GPE", "NORP")).recognize(
        "Armenian troops left Geneva.")
    assert [(s.text, s.kind) for s in spans] == [("Armenian", "demonym"), ("Geneva", "name")]


def test_spacy_recognizer_spans_are_resolved_by_geomap(gaz):
    pipe = _pipeline_with(gaz, SpacyRecognizer(ruler_nlp(), gazetteer=gaz))
    got = [(m.text, m.place and m.place.country_code) for m in pipe.process(
        "Talks in Geneva; strikes in the Gaza Strip; Qzxville sank.")]
    assert got == [("Geneva", "CH"), ("Gaza Strip", "PS"), ("Qzxville", None)]


def test_the_stays_when_the_gazetteer_knows_it(gaz):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "The Hague"}])
    assert gaz.has_name("the hague")
    assert [s.text for s in SpacyRecognizer(nlp, gazetteer=gaz).recognize("In The Hague.")] == [
        "The Hague"]
    assert [s.text for s in SpacyRecognizer(nlp).recognize("In The Hague.")] == ["Hague"]


def test_vetoing_recognizer_drops_matches_inside_people_and_organisations(gaz):
    text = "Shares of the Bank of England rose, Lincoln said in London."
    base = Recognizer(gaz)
    assert [s.text for s in base.recognize(text)] == ["England", "Lincoln", "London"]
    trace: list = []
    assert [s.text for s in VetoingRecognizer(base, ruler_nlp()).recognize(text)] == [
        "England", "Lincoln", "London"]                # by default only a PERSON vetoes
    vr = VetoingRecognizer(base, ruler_nlp(), labels=("PERSON", "ORG"))
    kept = vr.recognize(text, sentence_spans(text), trace)
    # "longer": the ORG contains "England" and is longer; "Lincoln" alone is no veto
    assert [s.text for s in kept] == ["Lincoln", "London"]
    assert [(s.text, why) for s, why in trace if why.startswith("spaCy")] == [
        ("England", "spaCy ORG 'Bank of England'")]
    overlap = VetoingRecognizer(base, ruler_nlp(), labels=("PERSON", "ORG"),
                                mode="overlap").recognize(text)
    assert [s.text for s in overlap] == ["London"]


def test_demonyms_are_not_vetoed_by_default(gaz):
    text = "Armenian troops left."
    assert [s.text for s in VetoingRecognizer(Recognizer(gaz), ruler_nlp(),
                                              mode="overlap").recognize(text)] == ["Armenian"]
    assert VetoingRecognizer(Recognizer(gaz), ruler_nlp(), labels=("NORP",),
                             mode="overlap").recognize(text) == []


def test_recognizers_pickle(gaz):
    sr = SpacyRecognizer(ruler_nlp())
    vr = VetoingRecognizer(_Fixed(), ruler_nlp(), labels=("ORG",))
    text = "Shares of the Bank of England rose in Geneva."
    assert pickle.loads(pickle.dumps(sr)).recognize(text) == sr.recognize(text)
    back = pickle.loads(pickle.dumps(vr))
    assert (back.labels, back.mode) == (vr.labels, vr.mode)
    assert back.recognize(text) == vr.recognize(text) == [Span(38, 44, "Geneva", "geneva")]


class _Fixed:
    """A recogniser of two fixed spans (module level: it pickles)."""

    def recognize(self, text, sentences=None):
        return [Span(22, 29, "England", "england"), Span(38, 44, "Geneva", "geneva")]


def test_factories_build_as_pipeline_specs_do(gaz):
    assert isinstance(spacy_recognizer(gaz, nlp=ruler_nlp()), SpacyRecognizer)
    vr = vetoing_recognizer(gaz, nlp=ruler_nlp(), labels=("PERSON",))
    assert isinstance(vr.base, Recognizer) and vr.labels == {"PERSON"}


def test_pipeline_spec_builds_the_spacy_recognizers_by_name(gazetteer_path, tmp_path):
    from geomap.pipeline import PipelineConfig, PipelineSpec

    ruler_nlp().to_disk(tmp_path / "ruler")      # a pipeline by path, as a model by name
    text = "Shares of the Bank of England rose in Geneva."
    for factory, labels in (("vetoing_recognizer", ("PERSON", "ORG")),
                            ("spacy_recognizer", ("GPE",))):
        spec = PipelineSpec(str(gazetteer_path),
                            recognizer=f"geomap.spacy_recognizer:{factory}",
                            config=PipelineConfig(
                                recognizer_options={"nlp": str(tmp_path / "ruler"),
                                                    "labels": labels}))
        pipe = pickle.loads(pickle.dumps(spec)).build()
        assert [m.text for m in pipe.process(text, keep_unresolved=True)] == ["Geneva"]


def test_load_nlp_keeps_the_components_that_set_entities(tmp_path):
    nlp = ruler_nlp()
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "p")
    assert load_nlp(str(tmp_path / "p")).pipe_names == ["entity_ruler"]
    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ConfigurationError, match="no component that sets entities"):
        load_nlp(tmp_path / "blank")


def test_recognizer_option_errors():
    with pytest.raises(ConfigurationError, match="string 'GPE'"):
        SpacyRecognizer(ruler_nlp(), labels="GPE")
    with pytest.raises(ConfigurationError, match="non-empty"):
        VetoingRecognizer(_Fixed(), ruler_nlp(), labels=())
    with pytest.raises(ConfigurationError, match="mode"):
        VetoingRecognizer(_Fixed(), ruler_nlp(), mode="inside")
    with pytest.raises(ConfigurationError, match="as base"):
        VetoingRecognizer(object(), ruler_nlp())
    with pytest.raises(ConfigurationError, match="cannot load the spaCy pipeline"):
        load_nlp("no_such_geomap_test_pipeline")
    with pytest.raises(ConfigurationError, match="spaCy Language"):
        load_nlp(42)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["the Gaza Strip", "Geneva", "Jordan Peterson", "'s", "’s",
                                 " ", ".", "The ", "x", "Lyon", "\n\n", "é"]),
                max_size=10).map("".join) | st.text(max_size=40))
def test_spacy_recognizer_spans_hold_on_any_text(text):
    spans = _SR.recognize(text)
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
        assert s.key == fold(s.text) and s.key
        assert 0 <= s.sentence < max(1, len(sentence_spans(text)))


_SR = SpacyRecognizer(ruler_nlp())


def test_two_names_in_one_token_give_one_span_with_its_own_place(nlp_geomap):
    # spaCy's English tokenizer keeps "Geneva’Lyon" as one token: both names
    # expand to it, and the span carries the first place, id and extension alike
    for text in ("Geneva’Lyon", "Flights Paris’Berlin were cut."):
        doc = nlp_geomap(text)
        spans = doc.spans["geomap"]
        assert len({(s.start_char, s.end_char) for s in spans}) == len(spans)
        for s in spans:
            assert s._.place is not None and s.kb_id_ == str(s._.place.id)
