"""Tests of geomap.docfocus (``geomap.focus``): the document focus, its rules, its
output and its command."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geomap
from gazetteer.place import Place
from geomap.csvcells import is_formula
from geomap.docfocus import (
    FOCUS_COLUMNS,
    DocumentFocus,
    event_words,
    focus_of,
    focus_rows,
    format_focus,
    is_agent,
    is_dateline,
)
from geomap.mentions import Mention

FIXTURES = Path(__file__).parent / "fixtures"
CONFLICT_SMALL = FIXTURES / "conflict_small"

MOSCOW = Place(524901, "Moscow", 55.75, 37.62, "RU", "P", "PPLC", admin1="48")
RUSSIA = Place(2017370, "Russia", 60.0, 100.0, "RU", "A", "PCLI")
BELGOROD = Place(578072, "Belgorod", 50.61, 36.58, "RU", "P", "PPLA", admin1="09")
UKRAINE = Place(690791, "Ukraine", 49.0, 32.0, "UA", "A", "PCLI")
KHARKIV_OBL = Place(706482, "Kharkivska oblast", 49.61, 36.5, "UA", "A", "ADM1", admin1="07")
VOVCHANSK = Place(689304, "Vovchansk", 50.29, 36.94, "UA", "P", "PPL", admin1="07")
LYPTSI = Place(702000, "Lyptsi", 50.2, 36.43, "UA", "P", "PPL", admin1="07")
KABUL = Place(1138958, "Kabul", 34.53, 69.17, "AF", "P", "PPLC", admin1="13")
KUNDUZ = Place(1135689, "Kunduz", 36.73, 68.86, "AF", "P", "PPLA", admin1="24")
DEMIRCI = Place(1, "Demirci", 39.05, 28.66, "TR", "P", "PPL", admin1="63")
UPPER_NILE = Place(2, "Upper Nile", 10.0, 32.7, "SS", "A", "ADM1", admin1="07")
MALAKAL = Place(3, "Malakal", 9.53, 31.66, "SS", "P", "PPL", admin1="07")


def doc(text: str, *spans) -> list[Mention]:
    """Mentions of ``text``: each span is (words, place[, kind]), found in order; the
    whole text is every mention's sentence."""
    out, at = [], 0
    for words, place, *kind in spans:
        start = text.index(words, at)
        out.append(Mention("d", start, start + len(words), words, place,
                           kind=kind[0] if kind else "name", sentence=text))
        at = start + 1
    return out


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize("after", [
    " said on Sunday", " says", " has acknowledged the loss", "'s defence ministry claimed",
    "’s foreign ministry said", " officials warned", "-backed fighters", "-led coalition",
    " government troops", " authorities", " on Monday denied"])
def test_agent_patterns_are_metonyms(after):
    assert is_agent(after)


@pytest.mark.parametrize("after", [
    " overnight, officials said", "'s port was hit", " region", ", where shelling",
    " and nearby villages", "", " river", " residents fled"])
def test_location_patterns_are_not_metonyms(after):
    assert not is_agent(after)


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("", ", Ukraine (AP) — Russian", True),
    ("", " (Reuters) -Russia said", True),
    ("Headline here\n", ": Gunmen killed", True),
    ("", "/JERUSALEM (Reuters) - Strikes", True),
    ("", "-led forces", False),             # a hyphenated compound, not a dash
    ("Talks in ", " - a city", False),      # not at the start of a line
    ("", " is a city", False),
])
def test_dateline_pattern(before, after, expected):
    assert is_dateline(before, after) is expected


def test_event_words_include_the_violence_category_and_front_words():
    assert event_words("Troops captured the village; shelling displaced 300.") == [
        "troops", "captured", "shelling", "displaced"]


def test_a_capital_that_speaks_is_not_where_the_shelling_was():
    text = "Moscow said its troops shelled Vovchansk, where two people were killed."
    f = focus_of(doc(text, ("Moscow", MOSCOW), ("Vovchansk", VOVCHANSK)))
    assert (f.country_code, f.place_name, f.admin1_code) == ("UA", "Vovchansk", "UA.07")
    assert f.metonyms == "Moscow said" and f.mentions == 1
    assert "shelled" in f.event_words and "left out: Moscow said" in f.evidence


def test_a_demonym_votes_for_its_country_only():
    text = "Ukrainian drones struck Belgorod overnight, injuring four in Belgorod."
    f = focus_of(doc(text, ("Ukrainian", UKRAINE, "demonym"), ("Belgorod", BELGOROD),
                     ("Belgorod", BELGOROD)))
    assert (f.country_code, f.place_name) == ("RU", "Belgorod")
    assert f.country_confidence < 1.0


def test_a_town_beats_its_region_and_country_when_they_agree():
    text = ("Shelling hit the Kharkiv region of Ukraine. In Ukraine's north, the town of "
            "Vovchansk and Lyptsi were shelled again.")
    f = focus_of(doc(text, ("Kharkiv", KHARKIV_OBL), ("Ukraine", UKRAINE),
                     ("Ukraine", UKRAINE), ("Vovchansk", VOVCHANSK), ("Lyptsi", LYPTSI)))
    assert (f.country_code, f.admin1_code, f.place_name) == ("UA", "UA.07", "Vovchansk")
    assert "containing unit" in f.evidence and "nearby" in f.evidence


def test_the_dateline_is_evidence_but_not_the_place_of_the_events():
    text = ("KABUL, Afghanistan (AP) — Fighting raged in Kunduz on Monday as troops "
            "tried to retake Kunduz from the insurgents.")
    f = focus_of(doc(text, ("KABUL", KABUL), ("Kunduz", KUNDUZ), ("Kunduz", KUNDUZ)))
    assert (f.dateline, f.place_name, f.admin1_code) == ("KABUL", "Kunduz", "AF.24")


def test_a_country_only_one_repeated_name_supports_yields_to_a_corroborated_one():
    # one name resolved abroad, repeated; the country of the story has a unit and a town
    text = ("Fighting near Nasir. Clashes in Upper Nile State spread to Malakal. "
            "Nasir, Nasir, Nasir.")
    f = focus_of(doc(text, ("Nasir", DEMIRCI), ("Upper Nile State", UPPER_NILE),
                     ("Malakal", MALAKAL), ("Nasir", DEMIRCI), ("Nasir", DEMIRCI),
                     ("Nasir", DEMIRCI)))
    assert f.country_code == "SS"


def test_a_document_without_places_still_gets_its_row():
    rows = focus_rows(doc("Nothing here.", ), gazetteer=_NoStore(), documents=["d", "e"])
    assert [(r.doc, r.place_id, r.evidence) for r in rows] == [
        ("d", None, "no resolved place mention"), ("e", None, "no resolved place mention")]
    assert focus_of([Mention("x", 0, 3, "Foo")]).evidence == "no resolved place mention"


class _NoStore:
    """A store that knows no names (focus works on codes alone)."""

    def admin(self, *args):
        return None

    def country(self, code):
        return None

    def get(self, place_id):
        return None


# --------------------------------------------------------------------------- output

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(doc_id=_text, name=_text, evidence=_text)
def test_any_string_is_one_quoted_neutralised_csv_record_and_one_json_line(doc_id, name,
                                                                              evidence):
    row = DocumentFocus(doc_id, "UA", place_name=name, lat=-1.5, evidence=evidence)
    text = format_focus([row], "csv")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0] == list(FOCUS_COLUMNS) and len(records) == 2
    got = dict(zip(FOCUS_COLUMNS, records[1], strict=True))
    for col, value in (("doc", doc_id), ("place_name", name), ("evidence", evidence)):
        assert got[col] == ("'" + value if is_formula(value) else value)
    assert got["lat"] == "-1.5"  # numbers keep their sign
    line = format_focus([row], "jsonl")
    assert len(line.splitlines()) == 1
    back = json.loads(line)
    assert (back["doc"], back["place_name"], back["evidence"]) == (doc_id, name, evidence)


def test_csv_raw_keeps_formulas():
    row = DocumentFocus("=1+1")
    assert format_focus([row], "csv", neutralize_formulas=False).splitlines()[1].startswith(
        '"=1+1"')
    assert format_focus([row], "csv").splitlines()[1].startswith('"\'=1+1"')
    with pytest.raises(ValueError, match="Expected a format"):
        format_focus([row], "xml")


# --------------------------------------------------------------------------- with the pipeline


def test_focus_of_a_mention_table_and_of_mentions_agree():
    df = geomap.extract(CONFLICT_SMALL / "docs")
    table = geomap.focus(df)
    assert list(table.columns) == list(FOCUS_COLUMNS)
    assert list(table["doc"]) == ["a_kharkiv", "b_gaza", "c_yemen"]
    a = table.set_index("doc").loc["a_kharkiv"]
    assert (a["country_code"], a["admin1_code"], a["place_name"]) == ("UA", "UA.07",
                                                                      "Vovchansk")
    assert a["dateline"] == "KHARKIV" and a["metonyms"] == "Moscow said"
    assert a["admin1_name"] and a["country_name"] == "Ukraine"
    importlib.import_module("geomap.docfocus")  # leaves geomap.focus the function
    assert geomap.focus(df).equals(table)


def test_cli_focus_writes_one_row_per_document(tmp_path, capsys):
    from geomap.cli import main

    out = tmp_path / "focus.csv"
    assert main(["focus", str(CONFLICT_SMALL / "docs"), "-q", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["doc"] for r in rows] == ["a_kharkiv", "b_gaza", "c_yemen"]
    assert rows[1]["country_code"] == "PS" and rows[1]["admin1_code"] == "PS.GZ"
    assert main(["focus", str(CONFLICT_SMALL / "docs" / "b_gaza.txt"), "-q",
                 "--format", "jsonl"]) == 0
    line = capsys.readouterr().out
    assert json.loads(line)["doc"] == "b_gaza"
    assert main(["focus", str(CONFLICT_SMALL / "docs"), "--csv-raw", "--format",
                 "jsonl"]) == 2
    assert "--csv-raw applies to --format csv" in capsys.readouterr().err


def _shared_data() -> Path:
    shared = os.environ.get("GEOMAP_SHARED")
    base = Path(shared) if shared else Path(__file__).parents[2] / ".." / "shared"
    return (base / "data").resolve()


CONFLICT_DEV = _shared_data() / "conflict-dev"


@pytest.mark.corpus
@pytest.mark.skipif(not (CONFLICT_DEV / "gold.json").is_file(),
                    reason=f"conflict-dev not found at {CONFLICT_DEV} (set GEOMAP_SHARED)")
def test_conflict_dev_focus_meets_its_targets():
    """benchmarks/bench_focus.py's figures: country >= 95 %, place within 100 km >= 80 %."""
    from gazetteer.distance import haversine_km
    from geomap.documents import Document
    from geomap.evaluate import load_corpus
    from geomap.pipeline import Pipeline

    corpus = load_corpus(CONFLICT_DEV)
    pipe = Pipeline()
    country = place = 0
    for d in corpus.documents:
        f = focus_of(pipe.mentions(Document(id=d.doc_id, text=d.text)), pipe.gazetteer)
        country += f.country_code == d.focus.country
        place += f.lat is not None and haversine_km(f.lat, f.lon, d.focus.lat,
                                                    d.focus.lon) <= 100
    n = len(corpus.documents)
    assert country / n >= 0.95 and place / n >= 0.80, (country, place, n)
