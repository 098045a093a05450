"""The seeds through the real CLI: places found, placed right, and no false places."""

import json
import re

import pytest
from run_cli import ROOT, SEEDS, geomap_cli


@pytest.fixture(scope="module")
def records(gazetteer_path):
    proc = geomap_cli("extract", str(SEEDS), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def by_text(records, text, doc=None):
    return [r for r in records if r["text"] == text and (doc is None or r["doc"] == doc)]


def test_offsets_point_into_the_original_text(records):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert records
    for r in records:
        assert texts[r["doc"]][r["start"]:r["end"]] == r["text"]
        assert 0 <= r["score"] <= 1


def test_record_fields(records):
    need = {"doc", "source", "start", "end", "text", "name", "geonameid", "lat", "lon",
            "country_code", "feature_class", "feature_code", "score"}
    assert need <= set(records[0])


def test_sources_from_sidecar(records):
    assert {r["source"] for r in records if r["doc"] == "004_4747c5db1bbbb3e5"} == {"G1"}
    assert {r["source"] for r in records if r["doc"] == "000_5d2bf229be0e025c"} == {
        "000_5d2bf229be0e025c"}


@pytest.mark.parametrize("text, geonameid, country", [
    ("Stepanakert", 146970, "AZ"),
    ("Shushi", 147105, "AZ"),
    ("Moscow", 524901, "RU"),
    ("Yerevan", 616052, "AM"),
    ("Ashgabat", 162183, "TM"),
    ("Ankara", 323786, "TR"),
])
def test_cities_placed_right(records, text, geonameid, country):
    hits = by_text(records, text)
    assert hits, f"{text} not found"
    assert {(r["geonameid"], r["country_code"]) for r in hits} == {(geonameid, country)}


def test_geneva_is_in_switzerland(records):
    hits = by_text(records, "Geneva")
    assert len({r["doc"] for r in hits}) >= 2
    assert {r["country_code"] for r in hits} == {"CH"}


@pytest.mark.parametrize("text", ["Nagorno-Karabakh", "Nagorno-Karbakh", "Nagorno Karabakh"])
def test_nagorno_karabakh_and_its_spellings(records, text):
    hits = by_text(records, text)
    assert hits, f"{text} not found"
    assert {r["name"] for r in hits} == {"Nagorno-Karabakh"}
    for r in hits:
        assert 39.0 < r["lat"] < 40.5 and 45.5 < r["lon"] < 47.5


@pytest.mark.parametrize("text", ["Karabakh", "Caucasus", "Middle East"])
def test_regions(records, text):
    hits = by_text(records, text)
    assert hits, f"{text} not found"
    assert all(r["feature_class"] in ("L", "A") for r in hits)


@pytest.mark.parametrize("text, country", [
    ("Armenia", "AM"), ("Azerbaijan", "AZ"), ("Russia", "RU"), ("Turkey", "TR"),
    ("Syria", "SY"), ("United States", "US"), ("U.S.", "US"), ("France", "FR"),
    ("Turkmenistan", "TM"), ("Switzerland", "CH"),
])
def test_countries(records, text, country):
    hits = by_text(records, text)
    assert hits, f"{text} not found"
    assert {(r["country_code"], r["feature_code"][:3]) for r in hits} == {(country, "PCL")}


@pytest.mark.parametrize("text, country", [
    ("Armenian", "AM"), ("Azerbaijani", "AZ"), ("Russian", "RU"), ("Azeri", "AZ"),
])
def test_demonyms_are_the_country(records, text, country):
    hits = by_text(records, text)
    assert hits, f"{text} not found"
    assert {(r["country_code"], r["kind"]) for r in hits} == {(country, "demonym")}


def test_soviet_union_is_one_historical_place(records):
    hits = by_text(records, "Soviet Union")
    assert hits
    assert not by_text(records, "Union")


@pytest.mark.parametrize("false_place", ["Vladimir", "Of", "Enter", "Leave", "Reply", "Minsk",
                                         "Union", "Putin", "Presse"])
def test_no_false_places(records, false_place):
    assert by_text(records, false_place) == []


def test_persons_are_not_places(records):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for doc, text in texts.items():
        for m in re.finditer(r"Vladimir Putin|Nikol Pashinyan|Ilham Aliyev", text):
            assert not [r for r in records if r["doc"] == doc
                        and r["start"] < m.end() and r["end"] > m.start()]


def test_csv_format(gazetteer_path, tmp_path):
    out = tmp_path / "m.csv"
    proc = geomap_cli("extract", str(SEEDS / "004_4747c5db1bbbb3e5.txt"), "--format", "csv",
                  "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    df = pd.read_csv(out)
    assert "Stepanakert" in set(df["text"])


def test_bad_inputs_one_line_each_and_the_rest_processed(gazetteer_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Shelling hit Stepanakert on Friday.", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\x00\x00JFIF")
    report = tmp_path / "report.json"
    proc = geomap_cli("extract", str(good), str(binary), str(tmp_path / "nope.txt"),
                  "--report", str(report))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("geomap: error:")]
    assert len(errors) == 2
    assert any("photo.txt: binary file" in e for e in errors)
    assert any("nope.txt: no such file or directory" in e for e in errors)
    assert [json.loads(x)["text"] for x in proc.stdout.splitlines()] == ["Stepanakert"]
    rep = json.loads(report.read_text())
    assert rep["processed"] == 1 and rep["skipped"] == 2


def test_empty_input_fails_clearly(gazetteer_path, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = geomap_cli("extract", str(empty))
    assert proc.returncode == 2
    assert "empty.txt: empty document" in proc.stderr
    assert "no documents could be processed" in proc.stderr


def test_evaluate_command_on_a_small_corpus(gazetteer_path, tmp_path):
    corpus = ROOT / "tests" / "geomap" / "fixtures" / "geovirus_small.xml"
    errors, metrics = tmp_path / "errors.tsv", tmp_path / "metrics.json"
    proc = geomap_cli("evaluate", str(corpus), "--errors", str(errors), "--json", str(metrics),
                  "-q")
    assert proc.returncode == 0, proc.stderr
    assert "recognition, lenient" in proc.stdout and "accuracy@161 km" in proc.stdout
    result = json.loads(metrics.read_text())
    assert result["documents"] >= 1
    assert 0 <= result["recognition"]["lenient"]["f1"] <= 1
    assert 0 <= result["end_to_end_161"]["f1"] <= 1
    assert errors.read_text().startswith("kind\t")


def test_explain_lists_candidates_and_rejections(gazetteer_path):
    proc = geomap_cli("explain", "--text", "Vladimir Putin met officials in Geneva.")
    assert proc.returncode == 0, proc.stderr
    assert "'Geneva'" in proc.stdout and "population" in proc.stdout
    assert "'Vladimir'" in proc.stdout and "not a place here" in proc.stdout
