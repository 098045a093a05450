"""Reading documents: folders, sidecars, strings, frames, and bad input."""

import pandas as pd
import pytest

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
    docs = list(read_documents([good, empty, binary, latin, tmp_path / "missing.txt"], report))
    assert [d.id for d in docs] == ["good", "latin"]
    assert docs[1].text == "Genève" and docs[1].encoding == "cp1252"
    reasons = {s.input.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert reasons == {
        "empty.txt": "empty document",
        "bin.txt": "binary file (contains NUL bytes), not text",
        "missing.txt": "no such file or directory",
    }
    assert report.processed == ["good", "latin"]
    assert any("cp1252" in n for n in report.notes)


def test_decode_utf8_bom():
    assert decode("\ufeffYerevan".encode()) == ("Yerevan", "utf-8")


def test_document_source_defaults_to_id():
    assert Document(id="x", text="t").source == "x"
    assert Document(id="x", text="t", source="").source == "x"
