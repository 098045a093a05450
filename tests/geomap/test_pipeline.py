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
