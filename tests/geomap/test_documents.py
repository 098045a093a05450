"""Reading documents: folders, sidecars, strings, frames, and bad input."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.decoding import Decoded
from geomap.documents import Document, RunReport, decode, read_documents
from geomap.errors import InputError


def test_folder_with_sidecar(tmp_path):
    (tmp_path / "a.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Shelling in Shushi.", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    (tmp_path / "sources.csv").write_text("file,source,date,url\na.txt,AFP,2020-10-09,\n")
    docs = list(read_documents(tmp_path))
    assert [d.id for d in docs] == ["a", "b"]
    assert (docs[0].source, docs[0].date, docs[0].url) == ("AFP", "2020-10-09", None)
    assert docs[1].source == "b"  # no sidecar row: each document is its own source


def test_folder_paths_as_pathlib_writes_them(tmp_path, monkeypatch):
    # file paths are built as strings; they read as the Path of the file would
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "b.tar.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "x" / ".hidden.md").write_text("Talks in Moscow.", encoding="utf-8")
    (tmp_path / "x" / "c.TXT").write_text("Talks in Paris.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for folder in ("x", "x/", "./x", tmp_path / "x"):
        docs = list(read_documents(folder))
        paths = sorted(Path(folder).iterdir())
        assert [(d.id, d.path) for d in docs] == [(p.stem, str(p)) for p in paths]
    monkeypatch.chdir(tmp_path / "x")
    assert [d.path for d in read_documents(".")] == [".hidden.md", "b.tar.txt", "c.TXT"]


def test_strings_and_frame():
    docs = list(read_documents(["Fighting near Shusha.", "Talks in Geneva."]))
    assert [(d.id, d.source) for d in docs] == [("doc0", "doc0"), ("doc1", "doc1")]
    df = pd.DataFrame({"text": ["x in Moscow", "y"], "doc": ["d1", "d2"], "source": ["S", None]})
    docs = list(read_documents(df))
    assert [(d.id, d.source) for d in docs] == [("d1", "S"), ("d2", "d2")]


def test_frame_without_text_column():
    with pytest.raises(InputError, match="no 'text' column"):
        list(read_documents(pd.DataFrame({"body": ["x"]})))


def test_bad_inputs_are_reported_and_others_kept(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Talks in Geneva.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Genève".encode("cp1252"))
    report = RunReport()
    docs = list(read_documents([good, empty, binary, latin], report))
    assert [d.id for d in docs] == ["good", "latin"]
    assert docs[1].text == "Genève" and docs[1].encoding == "cp1252"
    reasons = {s.input.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert reasons == {
        "empty.txt": "empty document",
        "bin.txt": "binary file (contains NUL bytes), not text",
    }
    assert report.processed == ["good", "latin"]
    assert any("cp1252" in n for n in report.notes)


def test_decode_utf8_bom():
    assert decode("\ufeffYerevan".encode()) == Decoded("Yerevan", "utf-8")


def test_document_source_defaults_to_id():
    assert Document(id="x", text="t").source == "x"
    assert Document(id="x", text="t", source="").source == "x"


# -- more inputs: HTML, tables, encodings, duplicates ----------------------------

from geomap.documents import Columns  # noqa: E402


def test_csv_rows_with_configurable_columns_and_bad_rows(tmp_path):
    f = tmp_path / "news.csv"
    f.write_text('id,body,outlet\n'
                 'a,"Talks in Geneva, again.",AFP\n'
                 'b,"Too, many",fields,here\n'
                 'c,,AP\n'
                 'd,"Shelling in Shushi.",\n', encoding="utf-8")
    report = RunReport()
    docs = list(read_documents(f, report, columns=Columns(text="body", doc="id",
                                                           source="outlet")))
    assert [(d.id, d.source) for d in docs] == [("a", "AFP"), ("d", "d")]
    assert docs[0].text == "Talks in Geneva, again."
    skipped = {s.input.split("news.csv: ", 1)[1]: s.reason for s in report.skipped}
    assert skipped == {"row 2 (line 3)": "malformed CSV row: 4 fields, header has 3",
                       "row 3 (c)": "empty document"}


def test_csv_without_text_column_is_skipped_with_the_columns_named(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("title,body\nx,y\n", encoding="utf-8")
    report = RunReport()
    assert list(read_documents(f, report)) == []
    (s,) = report.skipped
    assert s.input.endswith("t.csv") and "no 'text' column" in s.reason
    assert "['title', 'body']" in s.reason and "--text-column" in s.reason


def test_jsonl_lines(tmp_path):
    f = tmp_path / "t.jsonl"
    f.write_text('{"text": "Talks in Geneva.", "doc": "j1", "date": "2020-10-09"}\n'
                 '{broken\n\n[1]\n{"text": 5}\n{"text": "Moscow said."}\n', encoding="utf-8")
    report = RunReport()
    docs = list(read_documents(f, report))
    assert [(d.id, d.date) for d in docs] == [("j1", "2020-10-09"), ("t:6", None)]
    reasons = [(s.input.rsplit(": ", 1)[-1], s.reason.split(":")[0]) for s in report.skipped]
    assert reasons == [("line 2", "invalid JSON"), ("line 4", "expected a JSON object, got list"),
                       ("line 5 (t:5)", "text in column 'text' is not a string (int")]


def test_parquet_rows(tmp_path):
    pytest.importorskip("pyarrow")
    f = tmp_path / "t.parquet"
    pd.DataFrame({"text": ["Talks in Geneva.", None], "url": ["http://x", None]}).to_parquet(f)
    report = RunReport()
    docs = list(read_documents(f, report))
    assert [(d.id, d.url) for d in docs] == [("t:1", "http://x")]
    assert report.skipped[0].reason == "no text in column 'text' (a missing value)"


def test_html_main_text(tmp_path):
    pytest.importorskip("trafilatura")
    f = tmp_path / "page.html"
    f.write_text("<html><body><nav>Home | World</nav><article><p>Shelling hit Stepanakert on "
                 "Friday, officials in Yerevan said, and the talks planned in Geneva were "
                 "postponed once again.</p></article></body></html>", encoding="utf-8")
    (doc,) = read_documents(f)
    assert "Stepanakert" in doc.text and "Home | World" not in doc.text


def test_html_without_text_is_skipped(tmp_path):
    pytest.importorskip("trafilatura")
    f = tmp_path / "empty.html"
    f.write_text("<html><body></body></html>", encoding="utf-8")
    report = RunReport()
    assert list(read_documents(f, report)) == []
    assert "no main text" in report.skipped[0].reason


@pytest.mark.parametrize("text, encoding", [
    ("Обстрел Степанакерта продолжается, сообщили в Ереване. Переговоры в Женеве.", "cp1251"),
    ("Genève est une ville de Suisse, où les négociations ont eu lieu.", "cp1252"),
])
def test_detected_encodings_are_named(tmp_path, text, encoding):
    f = tmp_path / "x.txt"
    f.write_bytes(text.encode(encoding))
    report = RunReport()
    (doc,) = read_documents(f, report)
    assert (doc.text, doc.encoding) == (text, encoding)
    assert report.notes == [f"{f}: not UTF-8, read as {encoding}"]


def test_utf16_with_bom_is_text_not_binary():
    assert decode("Talks in Genève".encode("utf-16")) == Decoded("Talks in Genève", "utf-16")


def test_duplicate_ids_are_renamed_with_a_note(tmp_path):
    (tmp_path / "a.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Shelling in Shushi.", encoding="utf-8")
    df = pd.DataFrame({"doc": ["a", "a"], "text": ["x", "y"]})
    report = RunReport()
    docs = list(read_documents([tmp_path / "a.md", tmp_path / "a.txt"], report))
    docs += list(read_documents(df, report))
    assert [d.id for d in docs][:2] == ["a", "a~2"]
    assert docs[1].source == "a~2"
    assert any("duplicate document id 'a'" in n and "'a~2'" in n for n in report.notes)


def test_sidecar_is_not_read_as_a_table(tmp_path):
    (tmp_path / "a.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,source\na.txt,AFP\n", encoding="utf-8")
    report = RunReport()
    assert [d.source for d in read_documents(tmp_path, report)] == ["AFP"]
    assert report.skipped == []


@pytest.mark.parametrize("module", ["geomap.documents", "geomap.tables", "geomap.report"])
def test_doctests(module):
    import doctest
    import importlib

    assert doctest.testmod(importlib.import_module(module)).failed == 0


class _Chunked:
    """A raw file that gives at most ``sizes[k]`` bytes at its k-th read (then
    what was asked), counting its reads and the bytes asked for."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.at, self.reads, self.asked = data, sizes, 0, 0, 0

    def read(self, n: int) -> bytes:
        k = min(n, self.sizes[self.reads]) if self.reads < len(self.sizes) else n
        self.reads += 1
        self.asked = max(self.asked, self.at + n)
        part = self.data[self.at:self.at + max(1, k)]
        self.at += len(part)
        return part


@given(st.binary(max_size=300), st.lists(st.integers(0, 400), max_size=6),
       st.integers(0, 300), st.integers(1, 400))
def test_bounded_read_is_the_whole_file_or_refused(data, sizes, told, limit):
    """Whatever size the file had at its opening (``told``: it may have grown
    or shrunk since) and however short its reads: all of it when it has at
    most ``limit`` bytes, else InputError, never asking past ``limit + 1``."""
    from geomap.errors import InputError
    from geomap.reading import _read_bounded

    fh = _Chunked(data, sizes)
    if len(data) > limit:
        with pytest.raises(InputError):
            _read_bounded(fh, limit, told)
    else:
        got = _read_bounded(fh, limit, told)
        # a short read that ends at the size told is taken as the end: the
        # rest, written since the opening, may be left (as a read a moment
        # sooner would); any other short read is read on from
        assert data.startswith(got)
        assert got == data or (len(got) == told and fh.reads <= len(sizes))
    assert fh.asked <= limit + 1


def test_a_regular_file_is_read_without_a_read_for_its_end(tmp_path, monkeypatch):
    """One read for a file of the size it had at its opening; the bytes as written."""
    import os

    from geomap.reading import _read_regular

    path = tmp_path / "a.txt"
    path.write_bytes(b"Talks in Geneva.\n")
    reads = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    assert _read_regular(str(path), 1000) == b"Talks in Geneva.\n"
    assert reads == [18]
    path.write_bytes(b"")
    assert _read_regular(str(path), 1000) == b""


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab\u200b"),
               max_size=6))
def test_a_document_of_white_space_is_empty(text):
    """Skipped as empty exactly when its text strips to nothing."""
    report = RunReport()
    docs = list(read_documents([Document("d", text)], report))
    assert (not docs) == (not text.strip())
    assert [s.reason for s in report.skipped] == ([] if docs else ["empty document"])
