"""The pipeline and the local engine: pieces, streaming, identical results, properties."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.documents import Document, RunReport
from geomap.engines import batches, get_engine, ordered, run
from geomap.errors import ConfigurationError
from geomap.pipeline import Pipeline, split_document

SEED_TEXT = ("Shelling hit Stepanakert on Friday, officials in Yerevan said. Talks in Geneva "
             "were postponed. Armenian and Azerbaijani troops fought near Shusha.\n\n")


@pytest.fixture(scope="module")
def pipe(gaz):
    return Pipeline(gaz)


def test_split_document_covers_the_text_at_breaks():
    text = "".join(f"Paragraph {i} about Geneva.\n\n" for i in range(200))
    pieces = list(split_document(Document("d", text), 500))
    assert "".join(p.text for p, _ in pieces) == text
    assert all(len(p.text) <= 500 and p.text.endswith("\n\n") for p, _ in pieces)
    assert [o for _, o in pieces] == [sum(len(p.text) for p, _ in pieces[:k])
                                      for k in range(len(pieces))]


def test_split_document_without_breaks_still_cuts():
    pieces = list(split_document(Document("d", "x" * 1000), 300))
    assert [len(p.text) for p, _ in pieces] == [300, 300, 300, 100]


def test_long_document_in_pieces_keeps_offsets(gaz):
    text = SEED_TEXT * 400          # ~60 KB
    small = Pipeline(gaz, chunk_chars=5_000)
    ms = small.mentions(Document("big", text))
    assert len(ms) >= 400 * 4
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
    # pieces resolve like the whole document, as each piece holds whole paragraphs
    assert [(m.start, m.place.id) for m in ms] == [
        (m.start, m.place.id) for m in Pipeline(gaz).mentions(Document("big", text))]


def test_batches_are_bounded():
    docs = [(Document(str(i), "x" * 100), 0) for i in range(10)]
    assert [len(b) for b in batches(docs, max_chars=250)] == [3, 3, 3, 1]
    assert [len(b) for b in batches(docs, max_pieces=4)] == [4, 4, 2]


def test_ordered_keeps_order_and_bounds_read_ahead():
    submitted = []

    class Done:
        def __init__(self, v):
            self.v = v

        def result(self):
            return self.v

        def cancel(self):
            pass

    def items():
        for i in range(10):
            # at most `window` submitted and not collected when the next is read
            assert len(submitted) - len(out) <= 3
            yield i

    out = []
    for r in ordered(lambda i: submitted.append(i) or Done(i * 2), items(), window=3):
        out.append(r)
    assert out == [i * 2 for i in range(10)]


def test_unknown_engine_lists_the_valid_ones():
    with pytest.raises(ConfigurationError, match="valid engines: dask, local"):
        get_engine("spark")


def _records(inputs, gazetteer_path, **options):
    report = RunReport()
    text = b"".join(t for _, t in run(inputs, fmt="jsonl", report=report,
                                     gazetteer_path=gazetteer_path, **options))
    return [json.loads(line) for line in text.splitlines()], report


def test_pool_gives_the_same_records_as_one_process(gazetteer_path, tmp_path):
    for i in range(40):
        (tmp_path / f"d{i:02d}.txt").write_text(SEED_TEXT * (1 + i % 3), encoding="utf-8")
    one, r1 = _records(tmp_path, gazetteer_path, jobs=1)
    two, r2 = _records(tmp_path, gazetteer_path, jobs=2)
    assert one == two and len(one) > 40
    assert r2.engine == "local (2 processes)" and r1.engine == "local (1 process)"
    assert r1.processed == r2.processed and r1.mentions == r2.mentions == len(one)


def test_stream_matches_the_mention_table(gazetteer_path, gaz):
    from geomap.pipeline import extract

    texts = [SEED_TEXT, "Nothing here.", "Fighting near Shusha."]
    recs, report = _records(texts, gazetteer_path)
    df = extract(texts, gazetteer=gaz)
    assert [(r["doc"], r["start"], r["place_id"]) for r in recs] == list(
        zip(df["doc"], df["start"], df["place_id"], strict=True))
    assert report.mentions == len(df)


# -- properties -----------------------------------------------------------------

_WORDS = ["Geneva", "Stepanakert", "Nagorno-Karabakh", "Nagorno-Karbakh", "Armenian", "U.S.",
          "the", "of", "President", "Vladimir", "Putin", "Moscow", "New", "York", "Of",
          "Springfield", ",", ".", "\n", "\n\n", "Ş", "İstanbul", "Genève", "'s", "-", "  ",
          "ǅ", "ﬁ", "ẞ", "Σ", "Mr.", "USA", "St.", "Louis", "Karabakh", "Azeris"]
_texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=5)), max_size=30).map("".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts)
def test_arbitrary_text_never_crashes_and_offsets_point_into_it(pipe, text):
    for m in pipe.mentions(Document("d", text), keep_unresolved=True):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert 0 <= m.score <= 1
        assert text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(_WORDS), min_size=50, max_size=200).map(" ".join),
       size=st.integers(min_value=20, max_value=400))
def test_offsets_hold_across_pieces(pipe, text, size):
    whole = pipe.chunk_chars
    pipe.chunk_chars = size
    try:
        mentions = pipe.mentions(Document("d", text), keep_unresolved=True)
    finally:
        pipe.chunk_chars = whole
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


def test_a_document_the_pipeline_fails_on_is_skipped_and_the_rest_go_on(
        gazetteer_path, monkeypatch):
    real = Pipeline.piece_mentions

    def flaky(self, doc, offset=0, **kw):
        if "CRASH" in doc.text:
            raise RuntimeError("boom")
        return real(self, doc, offset, **kw)

    monkeypatch.setattr(Pipeline, "piece_mentions", flaky)
    recs, report = _records(["Talks in Geneva.", "CRASH in Moscow.", "Fighting near Shusha."],
                            gazetteer_path, jobs=1)
    assert [r["doc"] for r in recs] == ["doc0", "doc2"]
    assert report.processed == ["doc0", "doc2"]
    assert [(s.input, s.reason) for s in report.skipped] == [
        ("doc1", "processing failed: RuntimeError: boom")]


# -- components and the spec ------------------------------------------------------

def test_a_custom_recognizer_through_the_protocol(gaz):
    from custom_components import WordList

    from geomap.components import Recognizer

    rec = WordList(gaz)
    assert isinstance(rec, Recognizer)
    pipe = Pipeline(gaz, recognizer=rec)
    found = pipe.process("Talks in Geneva and Paris; Moscow said no.")
    assert [(m.text, m.place.country_code) for m in found] == [("Geneva", "CH"),
                                                               ("Moscow", "RU")]
    assert rec.calls == 1


def test_a_component_without_its_method_is_refused(gaz):
    with pytest.raises(ConfigurationError, match="not a Recognizer"):
        Pipeline(gaz, recognizer=object())
    with pytest.raises(ConfigurationError, match="not a Resolver"):
        Pipeline(gaz, resolver=object())


def test_the_spec_pickles_and_builds_what_it_describes(gazetteer_path):
    import pickle

    from custom_components import WordList

    from geomap.pipeline import PipelineConfig, PipelineSpec

    config = PipelineConfig(chunk_chars=1_000, recognizer_options={"words": ("Moscow",)},
                            resolver_options={"rounds": 2})
    spec = PipelineSpec(gazetteer_path, config, recognizer=WordList)
    assert spec.recognizer == "custom_components:WordList"   # travels by name
    back = pickle.loads(pickle.dumps(spec))
    assert back == spec and hash(back) == hash(spec)
    assert back != spec.with_(chunk_chars=999)
    pipe = back.build()
    try:
        assert type(pipe.recognizer) is WordList and pipe.recognizer.words == ("Moscow",)
        assert pipe.resolver.rounds == 2 and pipe.chunk_chars == 1_000
        assert [m.text for m in pipe.process("Geneva, Moscow.")] == ["Moscow"]
    finally:
        pipe.gazetteer.close()


def test_a_class_defined_in_a_function_cannot_travel():
    from geomap.pipeline import PipelineSpec

    class Local:
        def __init__(self, gazetteer):
            pass

        def recognize(self, text, sentences=None):
            return []

    with pytest.raises(ConfigurationError, match="cannot be named for another process"):
        PipelineSpec(recognizer=Local)
    with pytest.raises(ConfigurationError, match="cannot load 'custom_components:Nothing'"):
        PipelineSpec(recognizer="custom_components:Nothing").build()
    with pytest.raises(ConfigurationError, match="not a Recognizer"):
        PipelineSpec(recognizer="custom_components:not_a_recognizer").build()


def test_the_default_spec_is_todays_pipeline(gaz):
    from geomap.pipeline import PipelineSpec
    from geomap.recognize import Recognizer
    from geomap.resolve import Resolver

    built = PipelineSpec().build(gaz)
    assert type(built.recognizer) is Recognizer and type(built.resolver) is Resolver
    doc = Document("d", SEED_TEXT * 3)
    assert built.mentions(doc) == Pipeline(gaz).mentions(doc)


def test_the_config_keeps_unresolved_names_by_default_when_told(gaz):
    from custom_components import WordList

    from geomap.pipeline import PipelineConfig

    rec = WordList(gaz, words=("Qwxzzyq",))
    doc = Document("d", "Talks in Qwxzzyq.")
    assert Pipeline(gaz, recognizer=rec).mentions(doc) == []
    kept = Pipeline(gaz, recognizer=rec, config=PipelineConfig(keep_unresolved=True))
    assert [(m.text, m.place) for m in kept.mentions(doc)] == [("Qwxzzyq", None)]


def _folder_of(tmp_path, n=24):
    for i in range(n):
        (tmp_path / f"d{i:02d}.txt").write_text(SEED_TEXT * (1 + i % 3), encoding="utf-8")
    return tmp_path


def test_the_local_engine_builds_its_workers_from_the_spec(gazetteer_path, tmp_path):
    from geomap.pipeline import PipelineSpec

    folder = _folder_of(tmp_path)
    spec = PipelineSpec(gazetteer_path, recognizer="custom_components:WordList")
    one, r1 = _records(folder, None, jobs=1, spec=spec)
    two, r2 = _records(folder, None, jobs=2, spec=spec)
    assert one == two and r2.engine == "local (2 processes)"
    assert {r["text"] for r in one} == {"Geneva"}          # the word list's, in every worker
    default, _ = _records(folder, gazetteer_path, jobs=2)
    assert {"Stepanakert", "Geneva"} <= {r["text"] for r in default}


def test_extract_takes_a_spec(gaz):
    from geomap.pipeline import PipelineSpec, extract

    df = extract([SEED_TEXT, "Moscow and Geneva."], gazetteer=gaz,
                 spec=PipelineSpec(recognizer="custom_components:WordList"))
    assert list(df["text"]) == ["Geneva", "Moscow", "Geneva"]


def test_trace_explains_with_any_recognizer(pipe, gaz):
    from custom_components import WordList

    text = "Vladimir Putin met officials in Geneva."
    resolutions, rejected = pipe.trace(text)
    assert [r.span.text for r in resolutions] == ["Geneva"] and resolutions[0].candidates
    assert rejected                          # geomap's recogniser says what it turned down
    resolutions, rejected = Pipeline(gaz, recognizer=WordList(gaz)).trace(text)
    assert [r.span.text for r in resolutions] == ["Geneva"] and rejected == []


def test_the_spec_carries_the_stages_models_to_the_workers(gazetteer_path):
    import pickle
    from dataclasses import replace

    from geomap.engines.worker import pipeline
    from geomap.pipeline import PipelineConfig, PipelineSpec
    from geomap.recognizer_model import RecognizerModel
    from geomap.resolver_model import ResolverModel

    resolver_model = ResolverModel()
    config = PipelineConfig(recognizer_options={"model": RecognizerModel()},
                            resolver_options={"model": resolver_model})
    spec = pickle.loads(pickle.dumps(PipelineSpec(gazetteer_path, config)))
    pipe = pipeline(spec)
    assert pipe is pipeline(spec) and pipe.resolver.model == resolver_model
    other = spec.with_(resolver_options={"model": replace(resolver_model, rounds=1)})
    assert pipeline(other) is not pipe          # another model, another pipeline
