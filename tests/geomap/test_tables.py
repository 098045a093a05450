"""Table rows (issue 13, class 6): no row lost without a word. Unclosed CSV quotes,
undecodable bytes named by row (also after the first megabyte), pandas missing values."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.documents import read_documents
from geomap.report import RunReport

ROWS = [("a", "Talks in Geneva.", "AFP", "2020-10-01"),
        ("b", "Shelling in Shusha, officials said.", "AP", "2020-10-02"),
        ("c", "Fighting near Stepanakert.", "Reuters", "2020-10-03"),
        ("d", "Talks in Moscow.", "TASS", "2020-10-04"),
        ("e", 'A "quoted" word in Baku.', "BBC", "2020-10-05")]


def _csv(rows) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["doc", "text", "source", "date"])
    w.writerows(rows)
    return out.getvalue()


def _unclose(text: str, k: int) -> str:
    """``text`` with the quote that closes row ``k``'s text field removed."""
    lines = text.split("\n")
    doc, body = lines[k + 1].split(",", 1)
    quoted = body.startswith('"')
    field = body.split('",', 1) if quoted else body.split(",", 1)
    lines[k + 1] = f'{doc},"{field[0].lstrip(chr(34))},{field[1]}'
    return "\n".join(lines)


@pytest.mark.parametrize("k", range(len(ROWS)))
def test_an_unclosed_quote_names_its_row_and_later_rows_are_read(tmp_path, k):
    f = tmp_path / "news.csv"
    f.write_text(_unclose(_csv(ROWS), k), encoding="utf-8")
    report = RunReport()
    docs = list(read_documents(f, report))
    expected = [r for i, r in enumerate(ROWS) if i != k]
    assert [(d.id, d.text, d.source, d.date) for d in docs] == expected
    (skip,) = report.skipped
    assert skip.input == f"{f}: row {k + 1} (line {k + 2})"
    assert skip.reason.startswith("malformed CSV: unclosed quote: a quoted field opened on "
                                  "this line runs to ")
    assert not report.ok                           # the run is partial: exit status 1


def test_an_unclosed_quote_with_no_quote_after_it(tmp_path):
    f = tmp_path / "news.csv"
    f.write_text('doc,text,source\na,"Talks in Geneva.,AFP\nb,Talks in Moscow.,TASS\n'
                 'c,Talks in Baku.,BBC\n', encoding="utf-8")
    report = RunReport()
    assert [(d.id, d.source) for d in read_documents(f, report)] == [("b", "TASS"),
                                                                      ("c", "BBC")]
    (skip,) = report.skipped
    assert skip.input.endswith("news.csv: row 1 (line 2)")
    assert "runs to the end of the file" in skip.reason


def test_multi_line_quoted_texts_still_work(tmp_path):
    text = 'First paragraph, in Geneva.\r\n\r\nSecond, "quoted", in Moscow.\nThird\rline.'
    f = tmp_path / "news.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([("doc", "text"), ("a", text),
                                                          ("b", "Talks in Baku.")])
    report = RunReport()
    docs = list(read_documents(f, report))
    assert [d.id for d in docs] == ["a", "b"] and report.skipped == []
    assert docs[0].text == text


_field = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                 min_size=1).filter(str.strip)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_field, _field), min_size=1, max_size=8))
def test_any_well_formed_csv_reads_back_exactly(tmp_path_factory, rows):
    f = tmp_path_factory.mktemp("csv") / "t.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "source"])
        w.writerows(rows)
    report = RunReport()
    docs = list(read_documents(f, report))
    assert report.skipped == []
    assert [(d.text, d.source) for d in docs] == rows


def test_a_stray_quote_inside_one_line_is_read_as_before(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('doc,text\na,"He said "hi" in Geneva"\nb,Talks.\n', encoding="utf-8")
    report = RunReport()
    assert [d.id for d in read_documents(f, report)] == ["a", "b"]
    assert report.skipped == []


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_bad_byte_after_the_first_megabyte_names_its_row(tmp_path, kind):
    n = 60_000                                       # ~1.5 MB of rows
    rows = [f"Talks {i} in Genève." for i in range(n)]
    bad = 50_000
    if kind == "csv":
        lines = ["doc,text"] + [f"r{i},{t}" for i, t in enumerate(rows)]
        where = f"row {bad + 1} (line {bad + 2})"
    else:
        lines = [f'{{"doc": "r{i}", "text": "{t}"}}' for i, t in enumerate(rows)]
        where = f"line {bad + 1}"
    data = "\n".join(lines).encode("utf-8") + b"\n"
    cut = data.index(f"Talks {bad} in".encode())
    f = tmp_path / f"t.{kind}"
    f.write_bytes(data[:cut] + b"\xff" + data[cut:])
    assert cut > 1 << 20
    report = RunReport()
    docs = list(read_documents(f, report))
    assert len(docs) == n and report.skipped == []
    assert docs[bad].text == f"\ufffdTalks {bad} in Genève."
    assert docs[bad + 1].text == rows[bad + 1] and docs[0].text == rows[0]
    assert report.notes == [f"{f}: {where}: 1 undecodable byte read as U+FFFD"]


def test_many_damaged_rows_are_noted_up_to_a_limit(tmp_path):
    from geomap.tables import ROW_NOTES

    f = tmp_path / "t.csv"
    rows = b"".join(f"r{i},Genève Zürich {i}".encode() + b"\x92\n" for i in range(50))
    f.write_bytes(b"doc,text\n" + rows)
    report = RunReport()
    assert len(list(read_documents(f, report))) == 50
    assert len(report.notes) == ROW_NOTES + 1
    assert report.notes[-1] == f"{f}: {50 - ROW_NOTES} more rows with undecodable bytes read " \
                               "as U+FFFD"


def test_legacy_table_is_read_in_its_encoding(tmp_path):
    f = tmp_path / "t.csv"
    f.write_bytes("doc,text\na,Talks in Genève.\nb,São Paulo.\n".encode("cp1252"))
    report = RunReport()
    assert [d.text for d in read_documents(f, report)] == ["Talks in Genève.", "São Paulo."]
    assert report.notes == [f"{f}: not UTF-8, read as cp1252"]


# -- pandas inputs ----------------------------------------------------------------------

def _frames():
    data = {"doc": ["a", None, "c", "d"],
            "text": ["Talks in Geneva.", "Talks in Moscow.", None, "Talks in Baku."],
            "source": ["AFP", None, "AP", None],
            "date": [None, "2020-10-02", None, "2020-10-04"]}
    yield "string", pd.DataFrame(data).astype("string")
    yield "pyarrow", pd.read_csv(io.StringIO(pd.DataFrame(data).to_csv(index=False)),
                                 dtype_backend="pyarrow")
    yield "object", pd.DataFrame(data)


@pytest.mark.parametrize("kind, df", list(_frames()))
def test_missing_values_in_frames(kind, df):
    report = RunReport()
    docs = list(read_documents(df, report))
    assert [(d.id, d.source, d.date) for d in docs] == [
        ("a", "AFP", None), ("doc1", "doc1", "2020-10-02"), ("d", "d", "2020-10-04")]
    assert [(s.input, s.reason) for s in report.skipped] == [
        ("row 2 (c)", "no text in column 'text' (a missing value)")]


def test_na_only_in_source():
    df = pd.DataFrame({"text": ["Talks in Geneva.", "Talks in Baku."],
                       "source": pd.array([pd.NA, "AFP"], dtype="string[pyarrow]")})
    assert [d.source for d in read_documents(df)] == ["doc0", "AFP"]


def test_non_text_values_are_errors_naming_the_row():
    df = pd.DataFrame({"text": ["Talks in Geneva.", 5, ["Talks"], b"Talks in Baku.",
                                float("nan"), pd.NA, "Talks in Moscow."]})
    report = RunReport()
    assert [d.id for d in read_documents(df, report)] == ["doc0", "doc6"]
    assert [(s.input, s.reason) for s in report.skipped] == [
        ("row 1 (doc1)", "text in column 'text' is not a string (int: 5)"),
        ("row 2 (doc2)", "text in column 'text' is not a string (list: ['Talks'])"),
        ("row 3 (doc3)", "text in column 'text' is bytes, not a string: decode it first"),
        ("row 4 (doc4)", "no text in column 'text' (a missing value)"),
        ("row 5 (doc5)", "no text in column 'text' (a missing value)")]


def test_extract_of_a_pyarrow_frame_with_na(gaz):
    import geomap

    df = pd.read_csv(io.StringIO("text,source\nTalks in Geneva.,\n,AFP\n"),
                     dtype_backend="pyarrow")
    report = RunReport()
    out = geomap.extract(df, gazetteer=gaz, report=report)
    assert out["text"].tolist() == ["Geneva"] and out["source"].tolist() == ["doc0"]
    assert [s.input for s in report.skipped] == ["row 1 (doc1)"]
