"""Issue 13, classes 3 and 4: outputs other tools read as they were written,
and of a size linear in the input.

- CSV (``extract --format csv`` and ``export --csv``): every text cell quoted,
  so a line break of any kind stays in its field (Python's csv module,
  pandas, a reader fed line by line); formulas neutralised (OWASP "CSV
  Injection") unless raw values are asked for; numbers stay numbers.
- JSON Lines and GeoJSON: no raw character :meth:`str.splitlines` breaks at.
- A mention's context is a bounded window of its sentence, at its offset.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.place import Place
from geomap.assemble import CONTEXT_CHARS, assemble, window
from geomap.csvcells import FORMULA_CHARS, LINE_BREAKS, PREFIX, is_formula, neutralize
from geomap.documents import Document
from geomap.engines.writer import format_mentions, header
from geomap.export import mentions_geojson, write_csv, write_mentions_geojson
from geomap.mentions import COLUMNS, Mention, to_frame
from geomap.resolution import Resolution
from geomap.spans import Span

SANTIAGO = Place(id=3871336, name="Santiago", lat=-33.45694, lon=-70.64827, country_code="CL",
                 feature_class="P", feature_code="PPLC", geonameid=3871336)
BASE = Mention(doc="a", start=9, end=17, text="Santiago", place=SANTIAGO, score=0.75,
               source="src", date="2024-01-02", url="https://example.org/a",
               sentence="Talks in Santiago.", sentence_start=0)
TEXT_FIELDS = ("doc", "source", "date", "url", "text", "sentence")
NUMBER_COLUMNS = ("start", "end", "place_id", "geonameid", "lat", "lon", "score",
                  "sentence_start")
FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", " =1+1", "\n@x", "\u3000=x",
            "\uff1dcmd", '=HYPERLINK("http://evil","click")', "-", "@"]


def expected(value: str, neutral: bool = True) -> str:
    """What a CSV reader gets back for a text cell holding ``value``."""
    return PREFIX + value if neutral and is_formula(value) else value


def csv_text(mentions, neutral=True) -> str:
    return header("csv") + format_mentions(mentions, "csv", neutralize_formulas=neutral)


def read_all_ways(text: str) -> list[list[list[str]]]:
    """The records of CSV ``text`` as Python's csv module reads it from a file
    opened as its documentation says, from lines (:meth:`str.splitlines`), and
    pandas (as strings)."""
    ways = [list(csv.reader(io.StringIO(text, newline=""))),
            list(csv.reader(text.splitlines(keepends=True)))]
    df = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    ways.append([list(df.columns), *df.values.tolist()])
    return ways


# -- CSV: line breaks ---------------------------------------------------------------------

@pytest.mark.parametrize("brk", list(LINE_BREAKS) + ["\r\n"])
def test_csv_line_break_in_any_text_field_stays_in_its_record(brk):
    mentions = [replace(BASE, **{f: f"x{brk}y{brk}"}) for f in TEXT_FIELDS]
    mentions.append(replace(BASE, place=replace(SANTIAGO, name=f"San{brk}tiago")))
    text = csv_text(mentions)
    for records in read_all_ways(text):
        assert len(records) == 1 + len(mentions)
        for m, record in zip(mentions, records[1:], strict=True):
            assert dict(zip(COLUMNS, record, strict=True)) == {
                k: "" if v is None else str(v) for k, v in m.as_record().items()}
    # a reader with universal newlines (a lone CR read as a line break) still
    # sees one record per mention
    with_universal = list(csv.reader(io.StringIO(text, newline=None)))
    assert len(with_universal) == 1 + len(mentions)


def test_lone_cr_is_quoted_in_both_csv_outputs(tmp_path):
    m = replace(BASE, source="BBC\rNews")
    assert '"BBC\rNews"' in format_mentions([m], "csv")
    path = write_csv(to_frame([m]), tmp_path / "m.csv")
    assert '"BBC\rNews"' in path.read_bytes().decode("utf-8")
    for records in read_all_ways(path.read_bytes().decode("utf-8")):
        assert len(records) == 2 and "BBC\rNews" in records[1]


# -- CSV: formulas --------------------------------------------------------------------------

@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_formulas_are_neutralised_by_default_and_raw_on_request(payload, tmp_path):
    assert is_formula(payload) and neutralize(payload) == PREFIX + payload
    mentions = [replace(BASE, **{f: payload}) for f in TEXT_FIELDS]
    mentions.append(replace(BASE, kind=payload, place=replace(
        SANTIAGO, name=payload, country_code=payload, feature_class=payload,
        feature_code=payload)))
    for neutral in (True, False):
        for records in read_all_ways(csv_text(mentions, neutral)):
            for m, record in zip(mentions, records[1:], strict=True):
                row = dict(zip(COLUMNS, record, strict=True))
                for k, v in m.as_record().items():
                    if isinstance(v, str):
                        assert row[k] == expected(v, neutral), k
        frame = to_frame(mentions)
        back = pd.read_csv(write_csv(frame, tmp_path / "m.csv", neutralize_formulas=neutral),
                           dtype={c: str for c in TEXT_FIELDS}, keep_default_na=False)
        for k in ("doc", "source", "text", "sentence", "name", "kind", "feature_code"):
            assert list(back[k]) == [expected(v, neutral) for v in frame[k]], k


def test_text_that_is_no_formula_is_left_alone():
    for value in ["Kyiv", "", " ", "'=quoted already", "a=b", "1-2", "2024-01-02", "\n", "x@y",
                  "https://example.org/?a=-1"]:
        assert not is_formula(value) and neutralize(value) == value
    assert FORMULA_CHARS >= set("=+-@\t\r")


def test_numbers_stay_numbers_negative_coordinates_included(tmp_path):
    m = replace(BASE, doc="-12", sentence_start=0)
    line = format_mentions([m], "csv")
    assert ",-33.45694,-70.64827," in line and "\"'-12\"" in line
    for text in (csv_text([m]), write_csv(to_frame([m]), tmp_path / "m.csv").read_bytes().decode()):
        df = pd.read_csv(io.StringIO(text))
        for col in NUMBER_COLUMNS:
            assert df[col].dtype.kind in "if", col
        assert (df.loc[0, "lat"], df.loc[0, "lon"]) == (-33.45694, -70.64827)
        assert df.loc[0, "score"] == 0.75 and df.loc[0, "start"] == 9
        assert df.loc[0, "doc"] == "'-12"


def test_export_neutralises_any_text_column_and_name_not_numbers(tmp_path):
    frame = to_frame([BASE])
    frame["category"] = pd.Series(["=cmd"], dtype="category")
    frame["@note"] = pd.array(["+x"], dtype="string")
    frame["n"] = [-5]
    back = pd.read_csv(write_csv(frame, tmp_path / "m.csv"))
    assert list(back.columns)[-3:] == ["category", "'@note", "n"]
    assert (back.loc[0, "category"], back.loc[0, "'@note"], back.loc[0, "n"]) == (
        "'=cmd", "'+x", -5)
    assert list(frame.columns)[-2] == "@note" and frame.loc[0, "category"] == "=cmd"  # unchanged


# -- JSON Lines and GeoJSON -----------------------------------------------------------------

def test_json_lines_escape_every_line_break():
    mentions = [replace(BASE, **{f: f"a{c}b"}) for f in TEXT_FIELDS for c in LINE_BREAKS]
    mentions.append(replace(BASE, place=replace(SANTIAGO, name="San\u2028tiago")))
    out = format_mentions(mentions, "jsonl")
    assert not set(out[:-1].replace("\n", "")) & set(LINE_BREAKS)
    lines = out.splitlines()
    assert len(lines) == len(mentions)
    assert [json.loads(line) for line in lines] == [m.as_record() for m in mentions]
    assert len(io.StringIO(out, newline=None).readlines()) == len(mentions)


def test_geojson_holds_no_raw_line_break(tmp_path):
    m = replace(BASE, sentence="In\u2028Santiago\x85\u2029.", source="a\rb")
    path = write_mentions_geojson(to_frame([m]), tmp_path / "m.geojson", categorize=False)
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) == 1
    assert json.loads(text) == mentions_geojson(to_frame([m]), categorize=False)


# -- any string in any field ----------------------------------------------------------------

FIELD_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    FORMULAS + list(LINE_BREAKS) + ['"', '""', ",", "'", " ", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({f: FIELD_TEXT for f in (*TEXT_FIELDS, "name")}),
                min_size=1, max_size=4), st.booleans())
def test_any_string_in_any_field_gives_one_record_per_mention(fields, neutral):
    mentions = [replace(BASE, place=replace(SANTIAGO, name=f.pop("name")), **f)
                for f in fields]
    records = [m.as_record() for m in mentions]
    text = csv_text(mentions, neutral)
    for rows in read_all_ways(text):
        assert rows[0] == list(COLUMNS) and len(rows) == 1 + len(mentions)
        for record, row in zip(records, rows[1:], strict=True):
            got = dict(zip(COLUMNS, row, strict=True))
            for k in (*TEXT_FIELDS, "name"):
                assert got[k] == expected(record[k], neutral), k
            assert float(got["lon"]) == SANTIAGO.lon
    lines = format_mentions(mentions, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == records


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({f: FIELD_TEXT for f in TEXT_FIELDS}), min_size=1,
                max_size=3))
def test_any_string_in_the_exported_csv_reads_back(tmp_path, fields):
    frame = to_frame([replace(BASE, **f) for f in fields])
    text = write_csv(frame, tmp_path / "m.csv").read_bytes().decode("utf-8")
    for rows in read_all_ways(text):
        assert len(rows) == 1 + len(fields)
        for f, row in zip(fields, rows[1:], strict=True):
            got = dict(zip(COLUMNS, row, strict=True))
            assert {k: got[k] for k in f} == {k: expected(v) for k, v in f.items()}


# -- class 4: bounded context ---------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab \n."), min_size=1, max_size=400), st.data(),
       st.integers(4, 120))
def test_window_holds_the_span_and_at_most_size_characters(text, data, size):
    s0 = data.draw(st.integers(0, len(text) - 1))
    s1 = data.draw(st.integers(s0 + 1, len(text)))
    start = data.draw(st.integers(s0, s1 - 1))
    end = data.draw(st.integers(start + 1, s1))
    a, b = window(text, s0, s1, start, end, size)
    assert s0 <= a <= start and end <= b <= s1
    if s1 - s0 <= size:
        assert (a, b) == (s0, s1)
    else:
        assert b - a <= max(size, end - start)
        # an edge inside a word only when no space was near enough (24 characters)
        if a > s0 and not text[a - 1].isspace():
            assert not any(c.isspace() for c in text[a:min(start, a + 24)])
        if b < s1 and not text[b].isspace():
            assert not any(c.isspace() for c in text[max(end, b - 24):b])
        assert a == start or not text[a].isspace()
        assert b == end or not text[b - 1].isspace()


def test_context_is_a_window_at_its_offset_in_a_long_sentence():
    text = "Talks " + "went on and on " * 40 + "in Santiago " + "and on " * 60 + "today."
    at = text.index("Santiago")
    span = Span(at, at + 8, "Santiago", "santiago", sentence=0)
    doc = Document("a", "Intro. " + text)
    [m] = assemble(doc, 7, text, [(0, len(text))], [Resolution(span, SANTIAGO, 0.9)])
    assert len(m.sentence) <= CONTEXT_CHARS and "Santiago" in m.sentence
    assert doc.text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
    assert doc.text[m.start:m.end] == "Santiago"
    assert m.sentence.startswith(("went", "on", "and")) and m.sentence.endswith(("and", "on"))
    # a short sentence stays whole
    [m] = assemble(Document("a", "Talks in Santiago."), 0, "Talks in Santiago.", [(0, 18)],
                   [Resolution(Span(9, 17, "Santiago", "santiago"), SANTIAGO, 0.9)])
    assert (m.sentence, m.sentence_start) == ("Talks in Santiago.", 0)


def test_mentions_close_together_share_their_window():
    text = "UK " * 2000
    spans = [Span(i, i + 2, "UK", "uk") for i in range(0, len(text), 3)]
    ms = assemble(Document("a", text), 0, text, [], [Resolution(s, SANTIAGO, 0.9) for s in spans],
                  context=120)
    assert len(ms) == 2000
    assert all(len(m.sentence) <= 120 and m.sentence_start <= m.start and
               m.end <= m.sentence_start + len(m.sentence) and
               text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
               for m in ms)
    distinct = {id(m.sentence): m.sentence for m in ms}
    # a window per ~30 characters of text (context // 4), not one per mention
    assert len(distinct) <= len(text) // 25
    assert sum(map(len, distinct.values())) <= 5 * len(text)


@pytest.mark.parametrize("unit", ["UK ", "Santiago, ", "Paris, London, Moscow, Kyiv, "])
def test_output_is_linear_in_a_text_without_sentence_breaks(gaz, unit):
    from geomap.pipeline import Pipeline

    pipe = Pipeline(gaz)
    sizes = {}
    for n in (2_000, 4_000):
        text = (unit * (n // len(unit) + 1))[:n]
        ms = pipe.mentions(Document("d", text))
        assert len(ms) >= n // 40
        assert all(len(m.sentence) <= CONTEXT_CHARS for m in ms)
        assert all(text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
                   for m in ms)
        sizes[n] = {fmt: len(format_mentions(ms, fmt).encode()) for fmt in ("jsonl", "csv")}
        for fmt, size in sizes[n].items():
            # a record: ~330 bytes, ~500 with the names of issue 15, + its context
            assert size <= 900 * len(ms), fmt
    for fmt in ("jsonl", "csv"):
        assert sizes[4_000][fmt] <= 2.2 * sizes[2_000][fmt], fmt
