"""Tests of geomap.evaluate: corpus readers, span matching, metrics, harness."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from geopy.distance import great_circle

from gazetteer.place import Place
from geomap.errors import ConfigurationError, InputError
from geomap.evaluate import (
    MAX_ERROR_KM,
    VIEWS,
    CorpusStats,
    EvaluationResult,
    GoldDataWarning,
    GoldDocument,
    GoldFocus,
    GoldToponym,
    apply_view,
    auc,
    evaluate,
    evaluate_corpus,
    evaluate_views,
    load_corpus,
    match_lenient,
    match_strict,
    prf,
    read_corpus,
    resolution_scores,
)
from geomap.mentions import Mention

FIXTURES = Path(__file__).parent / "fixtures"
LGL_SMALL = FIXTURES / "lgl_small.xml"
GEOVIRUS_SMALL = FIXTURES / "geovirus_small.xml"
CONFLICT_SMALL = FIXTURES / "conflict_small"


def _shared_data() -> Path:
    """``../shared/data`` beside the repository root, or ``$GEOMAP_SHARED/data``."""
    shared = os.environ.get("GEOMAP_SHARED")
    base = Path(shared) if shared else Path(__file__).parents[2] / ".." / "shared"
    return (base / "data").resolve()


# --------------------------------------------------------------------------- readers


def test_lgl_reader_reads_spans_coordinates_and_ids():
    docs = load_corpus(LGL_SMALL, format="lgl").documents
    assert [d.doc_id for d in docs] == ["101", "102", "103"]
    alexandria, rapides, pineville, ball = docs[0].toponyms
    assert alexandria == GoldToponym(0, 10, "Alexandria", 31.3113, -92.4451, 4314550, "Alexandria")
    assert rapides.geonameid == 4338356 and rapides.point == (31.1669, -92.4835)
    # no <gaztag>: kept for recognition, without coordinates
    assert (pineville.text, pineville.point, pineville.geonameid) == ("Pineville", None, None)
    # invalid latitude: kept without coordinates, id kept
    assert (ball.text, ball.has_coordinates, ball.geonameid) == ("Ball", False, 4315110)
    assert docs[2].toponyms == ()


def test_lgl_reader_repairs_or_drops_bad_spans_and_reports_them():
    corpus = load_corpus(LGL_SMALL)
    assert corpus.format == "lgl"
    doc = corpus.documents[1]
    # sorted by offset; Lafayette moved from 26 to 24; Mobile and Shreveport dropped
    assert [(t.start, t.end, t.text) for t in doc.toponyms] == [
        (11, 22, "Baton Rouge"),
        (24, 33, "Lafayette"),
    ]
    assert corpus.issue_counts() == {
        "bad-coordinates": 1,
        "repaired-span": 1,
        "dropped-span": 1,
        "bad-offsets": 1,
    }
    repaired = next(i for i in corpus.issues if i.kind == "repaired-span")
    assert (repaired.doc_id, repaired.start, repaired.phrase, repaired.detail) == (
        "102",
        "26",
        "Lafayette",
        "-2",
    )
    assert corpus.stats == CorpusStats(
        documents=3, toponyms=6, with_coordinates=4, with_geonameid=5
    )


def test_geovirus_reader_converts_one_based_offsets():
    corpus = load_corpus(GEOVIRUS_SMALL)
    assert corpus.format == "geovirus"
    first = corpus.documents[0]
    assert first.text.startswith("Flu in Pandi, Bulacan & Central Luzon")  # &amp; decoded
    for t in first.toponyms:
        assert first.text[t.start : t.end] == t.text
    pandi = first.toponyms[0]
    assert (pandi.start, pandi.end, pandi.text) == (7, 12, "Pandi")  # <start>8</start>
    assert pandi.name == "Pandi, Bulacan"  # from the Wikipedia page
    # sorted by offset although Central Luzon comes before Bulacan in the file
    assert [t.text for t in first.toponyms] == [
        "Pandi",
        "Bulacan",
        "Central Luzon",
        "Manila",
        "Cebu",
        "Davao",
    ]


def test_geovirus_reader_handles_missing_and_invalid_coordinates():
    corpus = load_corpus(GEOVIRUS_SMALL)
    by_text = {t.text: t for d in corpus.documents for t in d.toponyms}
    assert by_text["Manila"].point is None  # no <lat>/<lon>
    assert by_text["Cebu"].point is None  # latitude 95
    assert by_text["Bulacan"].point == (15.0, 121.08)
    assert corpus.issue_counts() == {"bad-coordinates": 1}
    assert corpus.stats == CorpusStats(2, 8, 6, 0)


def test_geovirus_documents_with_the_same_source_get_distinct_ids():
    docs = load_corpus(GEOVIRUS_SMALL).documents
    assert [d.doc_id for d in docs] == ["Flu_in_the_Philippines", "Flu_in_the_Philippines#2"]


def test_read_corpus_warns_about_gold_issues():
    with pytest.warns(GoldDataWarning, match="1 dropped-span"):
        docs = read_corpus(LGL_SMALL)
    assert len(docs) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<articles><article><text>x</text></article></articles>", "Unknown corpus format"),
        ("<articles><article>", "not well-formed XML"),
    ],
)
def test_unreadable_corpora_raise_input_error(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_corpus(path)


def test_missing_corpus_file_raises_input_error_from_cause(tmp_path):
    with pytest.raises(InputError, match="Cannot read corpus") as info:
        read_corpus(tmp_path / "nope.xml")
    assert isinstance(info.value.__cause__, OSError)


def test_unknown_format_name_lists_valid_ones():
    with pytest.raises(ConfigurationError, match="valid formats are: lgl, geovirus"):
        load_corpus(LGL_SMALL, format="conll")


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("gold", "predicted", "strict", "lenient"),
    [
        # same spans
        ([(0, 5), (10, 15)], [(0, 5), (10, 15)], {0: 0, 1: 1}, {0: 0, 1: 1}),
        # boundary differences: lenient only
        ([(0, 13)], [(0, 8)], {}, {0: 0}),
        # touching is not overlapping (end-exclusive)
        ([(0, 5)], [(5, 9)], {}, {}),
        # one prediction covering two gold spans matches one of them
        ([(0, 8), (9, 15)], [(0, 15)], {}, {0: 0}),
        # two predictions inside one gold span: one match, one spurious
        ([(0, 15)], [(0, 8), (9, 15)], {}, {0: 0}),
        # a repeated prediction matches once
        ([(3, 7)], [(3, 7), (3, 7)], {0: 0}, {0: 0}),
        # exact span preferred over a larger overlapping one
        ([(5, 10)], [(0, 12), (5, 10)], {0: 1}, {0: 1}),
        # maximum matching: (2, 11) goes to the 2nd gold so (0, 3) can take the 1st
        ([(0, 8), (9, 15)], [(2, 11), (0, 3)], {}, {0: 1, 1: 0}),
        ([], [(0, 3)], {}, {}),
        ([(0, 3)], [], {}, {}),
    ],
)
def test_matching(gold, predicted, strict, lenient):
    assert match_strict(gold, predicted) == strict
    assert match_lenient(gold, predicted) == lenient


# --------------------------------------------------------------------------- metrics


def test_prf_edge_cases():
    assert prf(2, 4, 8) == prf(2, 4, 8)
    s = prf(2, 4, 8)
    assert (s.precision, s.recall) == (0.5, 0.25)
    assert s.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert prf(0, 3, 3).f1 == 0.0
    assert math.isnan(prf(0, 0, 3).precision) and math.isnan(prf(0, 0, 3).f1)


def test_auc_matches_the_published_formula():
    errors = [100.0, 0.0, 20039.0, 10.0, 1500.0]
    ys = np.log(np.array(sorted(errors)) + 1)
    expected = np.trapezoid(ys) / (np.log(20039) * (len(errors) - 1))
    assert auc(errors) == pytest.approx(expected)
    # by hand: sorted logs y = [0, ln 11, ln 101, ln 1501, ln 20040]
    y = [0.0, math.log(11), math.log(101), math.log(1501), math.log(20040)]
    by_hand = sum((a + b) / 2 for a, b in zip(y, y[1:], strict=False)) / (math.log(20039) * 4)
    assert auc(errors) == pytest.approx(by_hand)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [([0.0, 0.0, 0.0], 0.0), ([5.0], math.log(6) / math.log(20039))],
)
def test_auc_small_cases(errors, expected):
    assert auc(errors) == pytest.approx(expected)
    assert math.isnan(auc([]))


def test_resolution_scores_threshold_is_inclusive():
    r = resolution_scores([160.9, 161.0, 161.1, MAX_ERROR_KM], unresolved=1)
    assert r.accuracy_161 == 0.5
    assert r.median_km == pytest.approx(161.05)
    assert r.mean_km == pytest.approx((160.9 + 161.0 + 161.1 + 20039) / 4)
    assert r.unresolved == 1


# --------------------------------------------------------------------------- harness

KYIV = Place(id=703448, name="Kyiv", lat=50.45466, lon=30.5238, country_code="UA")
NYC = Place(id=5128581, name="New York City", lat=40.71427, lon=-74.00597, country_code="US")
PARIS_FR = Place(id=2988507, name="Paris", lat=48.85341, lon=2.3488, country_code="FR")
TEXAS = Place(id=4736286, name="Texas", lat=31.25044, lon=-99.25061, feature_code="ADM1")

TEXT = "Shelling in Kyiv and Kharkiv; talks in New York City and Paris, Texas."
GOLD = GoldDocument(
    "d1",
    TEXT,
    (
        GoldToponym(12, 16, "Kyiv", 50.4501, 30.5234),
        GoldToponym(21, 28, "Kharkiv", 49.9935, 36.2304),
        GoldToponym(39, 52, "New York City", 40.7128, -74.0060),
        GoldToponym(57, 62, "Paris", 33.6609, -95.5555, name="Paris, Texas"),
        GoldToponym(64, 69, "Texas"),  # no gold coordinates
    ),
)

#: What the toy geoparser finds: surface string -> place (None = unresolved).
KNOWN = {"Shelling": None, "Kyiv": KYIV, "Kharkiv": None, "New York": NYC, "Paris": PARIS_FR,
         "Texas": TEXAS}  # fmt: skip


def toy_predict(text: str) -> list[Mention]:
    """Every occurrence of every known string, resolved as in ``KNOWN``."""
    out = []
    for surface, place in KNOWN.items():
        i = text.find(surface)
        while i != -1:
            out.append(Mention("", i, i + len(surface), surface, place))
            i = text.find(surface, i + 1)
    return out


def test_gold_fixture_is_consistent():
    for t in GOLD.toponyms:
        assert TEXT[t.start : t.end] == t.text


@pytest.fixture(scope="module")
def result_and_errors(tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "errors.tsv"
    return evaluate([GOLD], toy_predict, errors_path=path), path


def test_recognition_strict_and_lenient(result_and_errors):
    r, _ = result_and_errors
    # predictions: Shelling (spurious), Kyiv, Kharkiv, New York (boundary), Paris, Texas
    assert (r.predicted, r.predicted_resolved, r.gold_toponyms) == (6, 4, 5)
    assert (r.strict.tp, r.strict.precision, r.strict.recall) == (4, 4 / 6, 4 / 5)
    assert (r.lenient.tp, r.lenient.precision, r.lenient.recall) == (5, 5 / 6, 1.0)
    assert r.lenient.f1 == pytest.approx(2 * (5 / 6) / (5 / 6 + 1))


def test_resolution_counts_unresolved_as_max_error(result_and_errors):
    r, _ = result_and_errors
    kyiv = great_circle((50.4501, 30.5234), KYIV.point).km
    nyc = great_circle((40.7128, -74.0060), NYC.point).km
    paris = great_circle((33.6609, -95.5555), PARIS_FR.point).km
    assert kyiv < 1 and nyc < 1 and 7000 < paris < 9000
    errors = sorted([kyiv, MAX_ERROR_KM, nyc, paris])  # Kharkiv unresolved
    res = r.resolution
    assert (res.n, res.unresolved) == (4, 1)
    assert res.accuracy_161 == 0.5
    assert res.mean_km == pytest.approx(sum(errors) / 4)
    assert res.median_km == pytest.approx((errors[1] + errors[2]) / 2)
    ys = [math.log(1 + e) for e in errors]
    area = (ys[0] + ys[1]) / 2 + (ys[1] + ys[2]) / 2 + (ys[2] + ys[3]) / 2
    assert res.auc == pytest.approx(area / (math.log(20039) * 3))


def test_end_to_end_f1_161(result_and_errors):
    r, _ = result_and_errors
    # true positives: Kyiv and New York City; precision over all 6 predicted
    # mentions (Texas has no gold coordinates: counted, as unverifiable);
    # recall over the 4 gold toponyms with coordinates
    assert r.unverifiable == 1
    e = r.end_to_end
    assert (e.tp, e.predicted, e.gold) == (2, 6, 4)
    assert (e.precision, e.recall) == (pytest.approx(1 / 3), 0.5)
    assert e.f1 == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))


def test_error_log_lists_each_mistake_with_context(result_and_errors):
    r, path = result_and_errors
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    kinds = [(row["kind"], row["gold_text"] or row["predicted_text"]) for row in rows]
    assert kinds == [
        ("spurious", "Shelling"),
        ("unresolved", "Kharkiv"),
        ("boundary", "New York City"),
        ("misplaced", "Paris"),
    ]
    boundary = rows[2]
    assert boundary["predicted_text"] == "New York"
    assert "[[New York City]]" in boundary["context"]
    misplaced = rows[3]
    assert misplaced["gold_place"] == "Paris, Texas"
    assert misplaced["predicted_place"].startswith("Paris (FR")
    assert 7000 < float(misplaced["distance_km"]) < 9000
    assert r.top_spurious == (("Shelling", 1),)
    assert dict(r.top_misplaced) == {"Paris": 1, "Kharkiv": 1}
    assert r.top_missed == ()
    assert r.errors_path == str(path)


def test_missed_toponyms_and_empty_predictions():
    r = evaluate([GOLD], lambda text: [])
    assert (r.strict.tp, r.strict.recall, r.lenient.recall) == (0, 0.0, 0.0)
    assert math.isnan(r.strict.precision)
    assert r.resolution.n == 0 and math.isnan(r.resolution.accuracy_161)
    assert dict(r.top_missed) == {t.text: 1 for t in GOLD.toponyms}
    json.loads(r.to_json())  # NaN is written as null


def test_same_geonames_id_is_the_right_place_whatever_the_coordinates():
    doc = GoldDocument(
        "us", "In the U.S. today.", (GoldToponym(7, 11, "U.S.", 39.76, -98.5, 6252001),)
    )
    usa = Place(6252001, "United States", 38.0, -97.0, "US", "A", "PCLI", geonameid=6252001)
    assert great_circle((39.76, -98.5), usa.point).km > 161

    def predict(text):
        return [Mention("", 7, 11, "U.S.", usa)]

    r = evaluate([doc], predict, match_ids=True)
    assert (r.resolution.accuracy_161, r.resolution.mean_km, r.same_id_far) == (1.0, 0.0, 1)
    assert r.end_to_end.tp == 1
    strict = evaluate([doc], predict)  # the default: distance to the gold coordinates
    assert (strict.resolution.accuracy_161, strict.same_id_far) == (0.0, 0)


def test_predictions_with_bad_offsets_are_counted_not_fatal():
    def predict(text):
        return [Mention("", 12, 16, "Kiev", KYIV), Mention("", 60, 999, "x")]

    with pytest.warns(RuntimeWarning, match="2 predicted mentions"):
        r = evaluate([GOLD], predict)
    assert r.offset_mismatches == 2
    assert (r.predicted, r.strict.tp) == (1, 1)


def test_result_table_and_json(result_and_errors):
    r, _ = result_and_errors
    table = r.table()
    assert "recognition, strict" in table and "accuracy@161 km  0.500" in table
    assert "documents/s" in table
    d = json.loads(r.to_json())
    assert d["recognition"]["lenient"]["tp"] == 5
    assert d["end_to_end_161"]["recall"] == 0.5
    assert d["resolution"]["unresolved"] == 1
    assert isinstance(r, EvaluationResult)
    with pytest.raises(AttributeError):
        r.documents = 3  # frozen


def test_evaluate_corpus_prints_and_writes(tmp_path, capsys):
    json_path = tmp_path / "metrics.json"
    errors_path = tmp_path / "errors.tsv"
    r = evaluate_corpus(
        GEOVIRUS_SMALL, toy_predict, errors_path=errors_path, json_path=json_path, limit=1
    )
    out = capsys.readouterr().out
    assert "(geovirus): 2 documents, 8 toponyms, 6 with coordinates" in out
    assert "gold data issues: 1 bad-coordinates" in out
    assert r.documents == 1 and r.gold_toponyms == 6
    assert json.loads(json_path.read_text())["documents"] == 1
    assert errors_path.read_text(encoding="utf-8").startswith("kind\tdoc_id\t")


def test_evaluate_corpus_rejects_negative_limit():
    with pytest.raises(ConfigurationError, match="limit must be >= 0"):
        evaluate_corpus(LGL_SMALL, toy_predict, limit=-1)


# --------------------------------------------------------------------------- conflict-dev format


def test_conflict_dev_reader_reads_marks_radius_and_focus():
    corpus = load_corpus(CONFLICT_SMALL)
    assert corpus.format == "conflict-dev" and corpus.issues == ()
    assert [d.doc_id for d in corpus.documents] == ["a_kharkiv", "b_gaza", "c_yemen"]
    a = corpus.documents[0]
    assert a.focus == GoldFocus("UA", "Kharkiv", "Vovchansk", 50.2908, 36.9411,
                                "shelling; ADM1 UA.07")
    by_text = {t.text: t for t in a.toponyms}
    assert (by_text["Russian"].kind, by_text["Russian"].radius_km) == ("demonym", 2500.0)
    assert by_text["Moscow"].metonym and not by_text["Vovchansk"].metonym
    assert by_text["KHARKIV"].radius_km == 0.0 and by_text["KHARKIV"].name == "kharkiv"
    for doc in corpus.documents:
        assert [t.start for t in doc.toponyms] == sorted(t.start for t in doc.toponyms)
        for t in doc.toponyms:
            assert doc.text[t.start : t.end] == t.text
    # the gold file names the same corpus as its folder
    assert load_corpus(CONFLICT_SMALL / "gold.json").documents == corpus.documents


def _conflict_corpus(tmp_path, entries, texts):
    (tmp_path / "docs").mkdir()
    for name, text in texts.items():
        (tmp_path / "docs" / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps({"docs": entries}), encoding="utf-8")
    return tmp_path


def test_conflict_dev_reader_accounts_for_every_bad_entry(tmp_path):
    top = {"start": 0, "end": 4, "phrase": "Kyiv", "lat": 50.45, "lon": 30.52, "kind": "name"}
    path = _conflict_corpus(tmp_path, [
        {"id": "ok", "toponyms": [dict(top, radius_km="wide"),
                                  dict(top, start=9, end=13, phrase="Lviv")]},
        {"id": "../../etc/passwd", "toponyms": []},       # not a plain file name
        {"id": "absent", "toponyms": [top]},              # no text file
        "not an object",
        {"id": "ok2", "toponyms": [dict(top, lat=float("nan"), metonym="yes"), 7]},
    ], {"ok": "Kyiv and Kyiv", "ok2": "Kyiv"})
    corpus = load_corpus(path)
    assert [d.doc_id for d in corpus.documents] == ["ok", "ok2"]
    assert corpus.issue_counts() == {"bad-radius": 1, "dropped-span": 1, "bad-document": 2,
                                     "missing-document": 1, "bad-coordinates": 1,
                                     "bad-offsets": 1}
    ok, ok2 = corpus.documents
    assert [(t.start, t.radius_km) for t in ok.toponyms] == [(0, 0.0)]
    # "yes" is not true: only JSON true marks a metonym
    assert ok2.toponyms[0].metonym is False and ok2.toponyms[0].point is None
    assert ok.focus is None


@pytest.mark.parametrize("content", ["{", "[1, 2]", '{"docs": 3}'])
def test_conflict_dev_reader_names_the_file_when_it_is_not_the_format(tmp_path, content):
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="gold.json"):
        load_corpus(tmp_path)


def test_format_is_detected_from_the_first_character_or_the_folder(tmp_path):
    assert load_corpus(LGL_SMALL).format == "lgl"
    copy = tmp_path / "gold.data"
    copy.write_bytes(b"\xef\xbb\xbf  " + (CONFLICT_SMALL / "gold.json").read_bytes())
    (tmp_path / "docs").symlink_to(CONFLICT_SMALL / "docs")
    assert load_corpus(copy).format == "conflict-dev"
    with pytest.raises(InputError, match="Cannot read corpus file"):
        load_corpus(tmp_path / "missing")


MOSCOW = Place(id=524901, name="Moscow", lat=55.75, lon=37.62, country_code="RU")
RUSSIA = Place(id=2017370, name="Russia", lat=60.0, lon=100.0, country_code="RU",
               feature_class="A", feature_code="PCLI")
VIEW_TEXT = "Moscow said Russian troops hit Kyiv; Odesa too."
VIEW_DOC = GoldDocument("v", VIEW_TEXT, (
    GoldToponym(0, 6, "Moscow", 55.75, 37.62, metonym=True),
    GoldToponym(12, 19, "Russian", 60.0, 100.0, kind="demonym", radius_km=2500.0),
    GoldToponym(31, 35, "Kyiv", 50.4501, 30.5234),
    GoldToponym(37, 42, "Odesa", 46.48, 30.73),
))


def view_predict(text):
    # the demonym resolved 1,400 km from the gold point (within its extent);
    # "Moscow said" found; Odesa missed; a spurious "troops"
    far = Place(id=1, name="Russia", lat=58.0, lon=75.0, country_code="RU")
    return [Mention("v", 0, 6, "Moscow", MOSCOW), Mention("v", 12, 19, "Russian", far,
                                                           kind="demonym"),
            Mention("v", 20, 26, "troops", MOSCOW), Mention("v", 31, 35, "Kyiv", KYIV)]


def test_views_keep_the_gold_they_name_and_ignore_only_what_they_drop():
    assert list(VIEWS) == ["all", "no-demonyms", "no-metonyms", "names-literal"]
    r = evaluate_views([VIEW_DOC], view_predict)
    assert [(n, v.gold_toponyms, v.predicted, v.lenient.tp) for n, v in r.items()] == [
        ("all", 4, 4, 3), ("no-demonyms", 3, 3, 2), ("no-metonyms", 3, 3, 2),
        ("names-literal", 2, 2, 1)]
    # the spurious "troops" stays in every view: it overlaps no dropped gold
    lit = r["names-literal"]
    assert (lit.lenient.precision, lit.lenient.recall) == (0.5, 0.5)
    # area-aware: the demonym is 1,400 km off its point but inside its extent
    assert r["all"].resolution.accuracy_161 == pytest.approx(2 / 3)
    assert r["all"].resolution.accuracy_161_area == 1.0
    assert r["all"].gold_areal == 1 and r["names-literal"].gold_areal == 0
    one = evaluate([VIEW_DOC], view_predict, view="names-literal")
    assert (one.view, one.lenient, one.resolution) == ("names-literal", lit.lenient,
                                                       lit.resolution)


def test_a_view_ignores_predicted_demonyms_even_where_the_gold_has_none():
    doc = GoldDocument("x", "Ukrainian drones", ())
    kept, preds = apply_view(VIEWS["no-demonyms"], doc,
                             [Mention("x", 0, 9, "Ukrainian", KYIV, kind="demonym")])
    assert preds == []
    assert apply_view(VIEWS["no-metonyms"], doc, [Mention("x", 0, 9, "Ukrainian")])[1] != []


def test_unknown_view_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="valid views are: all, no-demonyms"):
        evaluate_views([VIEW_DOC], view_predict, ("literal",))


def test_evaluate_corpus_prints_views_for_a_corpus_with_marks(tmp_path, capsys):
    json_path = tmp_path / "m.json"
    r = evaluate_corpus(CONFLICT_SMALL, lambda text: [], json_path=json_path)
    out = capsys.readouterr().out
    assert "(conflict-dev): 3 documents, 23 toponyms" in out
    assert "names-literal" in out and "area acc@161" in out
    d = json.loads(json_path.read_text())
    assert set(d["views"]) == set(VIEWS) and d["views"]["names-literal"]["gold"]["toponyms"] == 18
    assert r.view == "all" and r.gold_toponyms == 23
    evaluate_corpus(LGL_SMALL, toy_predict)  # no marks: one view, no views table
    assert "names-literal" not in capsys.readouterr().out


# --------------------------------------------------------------------------- real corpora

DATA = _shared_data()


@pytest.mark.corpus
@pytest.mark.skipif(
    not DATA.is_dir(), reason=f"gold corpora not found at {DATA} (set GEOMAP_SHARED)"
)
@pytest.mark.parametrize(
    ("relpath", "fmt", "stats"),
    [
        ("LGL/lgl.xml", "lgl", CorpusStats(588, 5088, 4462, 4462)),
        ("GeoVirus/GeoVirus.xml", "geovirus", CorpusStats(229, 2167, 2167, 0)),
    ],
)
def test_real_corpora(relpath, fmt, stats):
    corpus = load_corpus(DATA / relpath)
    assert corpus.format == fmt
    assert corpus.stats == stats
    assert corpus.issues == ()
    for doc in corpus.documents:
        for t in doc.toponyms:
            assert doc.text[t.start : t.end] == t.text

    gold = {d.text: d for d in corpus.documents}

    def oracle(text):
        return [
            Mention("", t.start, t.end, t.text, Place(1, t.text, t.lat, t.lon) if t.point else None)
            for t in gold[text].toponyms
        ]

    r = evaluate(corpus.documents[:50], oracle)
    assert r.strict.f1 == r.lenient.f1 == 1.0
    # a perfect system's end-to-end precision is capped by gold toponyms without coordinates
    assert r.end_to_end.recall == 1.0
    assert r.end_to_end.precision == (r.predicted - r.unverifiable) / r.predicted
    assert r.resolution.accuracy_161 == 1.0 and r.resolution.auc == 0.0


CONFLICT_DEV = DATA / "conflict-dev"


@pytest.mark.corpus
@pytest.mark.skipif(not (CONFLICT_DEV / "score.py").is_file(),
                    reason=f"conflict-dev not found at {CONFLICT_DEV} (set GEOMAP_SHARED)")
def test_conflict_dev_figures_agree_with_the_corpus_scorer(tmp_path):
    """geomap evaluate's views give score.py's figures for the same mentions."""
    import subprocess
    import sys

    from geomap.documents import Document
    from geomap.engines.writer import format_mentions
    from geomap.pipeline import Pipeline

    corpus = load_corpus(CONFLICT_DEV)
    assert corpus.issues == () and corpus.stats == CorpusStats(25, 494, 494, 0)
    assert all(d.focus is not None and d.focus.country for d in corpus.documents)
    pipe = Pipeline()
    found = {d.text: pipe.mentions(Document(id=d.doc_id, text=d.text))  # as extract does
             for d in corpus.documents}
    mentions = tmp_path / "m.jsonl"
    mentions.write_text("".join(format_mentions(m, "jsonl") for m in found.values()),
                        encoding="utf-8")
    summary = tmp_path / "s.json"
    subprocess.run([sys.executable, str(CONFLICT_DEV / "score.py"), str(mentions), "-q",
                    "--json", str(summary)], check=True, capture_output=True)
    theirs = {v["view"]: v for v in json.loads(summary.read_text())["results"]}
    ours = evaluate_views(corpus.documents, lambda text: found[text])
    for name, r in ours.items():
        t = theirs[name]
        assert (r.gold_toponyms, r.predicted, r.lenient.tp) == (t["gold"], t["system"],
                                                                 t["matched"])
        assert r.lenient.f1 == pytest.approx(t["F1"])
        assert r.resolution.accuracy_161 == pytest.approx(t["acc161"])
        assert r.resolution.accuracy_161_area == pytest.approx(t["acc161_area"])
        assert r.end_to_end.f1 == pytest.approx(t["F1_161"])


def test_cli_evaluate_reads_a_conflict_dev_folder_or_its_gold_file(tmp_path, capsys):
    from geomap.cli import main

    for corpus in (CONFLICT_SMALL, CONFLICT_SMALL / "gold.json"):
        assert main(["evaluate", str(corpus), "-q", "--json", str(tmp_path / "m.json")]) == 0
        assert "names-literal" in capsys.readouterr().out
        assert json.loads((tmp_path / "m.json").read_text())["views"]["all"]["documents"] == 3
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["evaluate", str(empty)]) == 2
    assert "gold.json: no such file or directory" in capsys.readouterr().err


def test_area_aware_match_counts_a_prediction_inside_the_gold_country():
    """A country's point is a convention (Wikipedia's and GeoNames' differ): with the
    gazetteer, a prediction inside the gold country counts as right area-aware,
    the plain accuracy is unchanged, and every resolved prediction is judged for
    the calibration of score."""
    from gazetteer import Gazetteer
    from gazetteer.place import Place
    from geomap.evaluate import GoldDocument, GoldToponym, evaluate
    from geomap.evaluate.areas import gold_area, inside
    from geomap.mentions import Mention

    gaz = Gazetteer.open(progress=False)
    try:
        france = GoldToponym(9, 15, "France", 46.6, 1.9, name="https://en.wikipedia.org/wiki/France")
        assert gold_area(france, gaz) == ("FR", None)
        assert gold_area(GoldToponym(0, 4, "Lyon", 45.76, 4.83), gaz) is None
        far = Place(id=1, name="Lille", lat=50.63, lon=3.06, country_code="FR", admin1="32",
                    feature_class="P", feature_code="PPLA", population=230_000)
        assert inside(far, ("FR", None)) and not inside(far, ("BE", None))
        doc = GoldDocument("d", "Rain hit France today.", (france,))
        r = evaluate([doc], lambda t: [Mention("d", 9, 15, "France", far, score=0.9),
                                       Mention("d", 0, 4, "Rain", far, score=0.2)],
                     gazetteer=gaz)
        assert r.resolution.accuracy_161 == 0.0 and r.resolution.accuracy_161_area == 1.0
        assert sorted(r.calibration) == [(0.2, 0, 0), (0.9, 0, 1)]
        assert r.ece == pytest.approx(0.55) and r.ece_area == pytest.approx(0.15)
    finally:
        gaz.close()
