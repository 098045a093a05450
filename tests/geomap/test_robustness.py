"""Bad input through the real CLI: every document accounted for, outputs atomic."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from run_cli import ROOT, geomap_cli

from geomap.engines.writer import MentionWriter


@pytest.fixture
def messy(tmp_path):
    """A folder with one of each kind of input, good and bad."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Shelling hit Stepanakert on Friday.", encoding="utf-8")
    (d / "latin.txt").write_bytes("Talks in Genève were postponed.".encode("cp1252"))
    (d / "empty.md").write_text("  \n", encoding="utf-8")
    (d / "photo.txt").write_bytes(b"\xff\xd8\xff\x00\x00JFIF")
    (d / "rows.csv").write_text('doc,body\nr1,"Fighting near Shusha."\nr2,"a","b"\n'
                                'good,"Talks in Moscow."\n', encoding="utf-8")
    (d / "lines.jsonl").write_text('{"body": "Armenian troops."}\nnot json\n', encoding="utf-8")
    return d


def test_every_document_accounted_for(messy, tmp_path, gazetteer_path):
    out, rep = tmp_path / "m.jsonl", tmp_path / "run.json"
    proc = geomap_cli("extract", str(messy), "--text-column", "body", "-o", str(out),
                  "--report", str(rep))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(rep.read_text())
    assert report["documents"] == ["good", "latin", "lines:1", "r1", "good~2"]
    errors = {e["input"].replace(str(messy) + "/", ""): e["reason"] for e in report["errors"]}
    assert errors == {
        "empty.md": "empty document",
        "photo.txt": "binary file (contains NUL bytes), not text",
        "lines.jsonl: line 2": "invalid JSON: Expecting value at column 1",
        "rows.csv: row 2 (line 3)": "malformed CSV row: 3 fields, header has 2",
    }
    assert any("latin.txt: not UTF-8, read as cp1252" in n for n in report["notes"])
    assert any("duplicate document id 'good'" in n for n in report["notes"])
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert report["mentions"] == len(records)
    assert {r["text"] for r in records} >= {"Stepanakert", "Genève", "Shusha", "Moscow"}
    for line in ("rows.csv: row 2 (line 3): malformed CSV row", "photo.txt: binary file"):
        assert line in proc.stderr
    assert "5 documents processed, 4 skipped" in proc.stderr
    assert "geoparsing" not in proc.stderr          # no progress bar: stderr is not a terminal


def test_quiet_prints_only_problems(messy, tmp_path, gazetteer_path):
    proc = geomap_cli("extract", str(messy / "good.txt"), "-q", "-o", str(tmp_path / "m.csv"),
                  "--format", "csv")
    assert proc.returncode == 0 and proc.stderr == ""
    assert (tmp_path / "m.csv").read_text().splitlines()[0].startswith("doc,source,date,url")


def test_missing_text_column_names_the_file_and_columns(tmp_path, gazetteer_path):
    f = tmp_path / "t.csv"
    f.write_text("title,body\nx,Talks in Geneva.\n", encoding="utf-8")
    proc = geomap_cli("extract", str(f))
    assert proc.returncode == 2
    assert f"{f}: no 'text' column (columns: ['title', 'body'])" in proc.stderr


def test_writer_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "m.jsonl"
    target.write_text("old complete output\n")
    with pytest.raises(RuntimeError):
        with MentionWriter(target, "jsonl") as w:
            w.write('{"doc": "a"}\n')
            raise RuntimeError("killed")
    assert target.read_text() == "old complete output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.jsonl"]
    with MentionWriter(target, "jsonl") as w:
        w.write('{"doc": "b"}\n')
        assert target.read_text() == "old complete output\n"   # not visible until done
    assert target.read_text() == '{"doc": "b"}\n'


def test_large_document_in_pieces(tmp_path, gazetteer_path):
    paragraph = ("Shelling hit Stepanakert on Friday, officials in Yerevan said. Talks in "
                 "Geneva were postponed.\n\n")
    text = paragraph * 2_000             # 200 KB: above the piece size
    f = tmp_path / "big.txt"
    f.write_text(text, encoding="utf-8")
    out, rep = tmp_path / "m.jsonl", tmp_path / "r.json"
    proc = geomap_cli("extract", str(f), "-o", str(out), "--report", str(rep))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 3 * 2_000
    assert all(text[r["start"]:r["end"]] == r["text"] for r in records)
    assert any("processed in 4 pieces" in n for n in json.loads(rep.read_text())["notes"])


@pytest.mark.parametrize("damage", ["truncate", "stale"])
def test_damaged_gazetteer_cache_is_reported_and_rebuilt(damage, tmp_path, gazetteer_path,
                                                         monkeypatch):
    import sqlite3

    import gazetteer.build  # noqa: F401 - the module whose build() is replaced
    from gazetteer import Gazetteer
    from gazetteer.errors import GazetteerCorruptError
    from gazetteer.store import check_store

    store = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gazetteer_path, store)
    if damage == "truncate":
        with store.open("r+b") as fh:
            fh.truncate(os.path.getsize(store) // 2)
        expected = "truncated"
    else:
        con = sqlite3.connect(store)
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        con.commit()
        con.close()
        expected = "stale: schema is '0'"
    assert expected in check_store(store)
    with pytest.raises(GazetteerCorruptError, match=f"cannot be used: .*{expected.split(':')[0]}"):
        Gazetteer.open(store, build=False)
    built = []

    def fake_build(path, *, extra_sources=(), progress=True):   # the real one takes 30 s
        built.append(path)
        assert list(extra_sources) == []                # this store recorded none
        shutil.copyfile(gazetteer_path, path)

    monkeypatch.setattr(sys.modules["gazetteer.build"], "build", fake_build)
    with Gazetteer.open(store) as gaz:
        assert gaz.candidates("Geneva")
    assert built == [store] and check_store(store) is None


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_only_on_a_terminal_and_not_quiet(tmp_path, gazetteer_path, quiet):
    import pty

    inputs = tmp_path / "in"            # (an output in the input folder is refused)
    inputs.mkdir()
    for i in range(3):
        (inputs / f"d{i}.txt").write_text("Talks in Geneva.", encoding="utf-8")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    args = [sys.executable, "-m", "geomap.cli", "extract", str(inputs), "-o",
            str(tmp_path / "m.jsonl")] + (["-q"] if quiet else [])
    proc = subprocess.run(args, cwd=ROOT, stderr=slave, stdout=subprocess.DEVNULL, timeout=600)
    os.close(slave)
    seen = b""
    try:
        while chunk := os.read(master, 65536):
            seen += chunk
    except OSError:     # EIO once the terminal is drained
        pass
    os.close(master)
    assert proc.returncode == 0
    assert (b"geoparsing" in seen) is (not quiet)


def test_hostile_folder_through_the_cli(tmp_path, gazetteer_path):
    """Issue 13, classes 5 and 6 end to end: nothing hangs, nothing aborts the run,
    every entry is in the report, the malformed last row makes the exit status 1."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_bytes("Talks in Genève, Zürich and São Paulo".encode() + b"\x92.")
    (d / "loop.txt").symlink_to("loop.txt")
    os.mkfifo(d / "pipe.txt")
    (d / "sub").mkdir()
    (d / "rows.csv").write_text('doc,text\nr1,"Talks in Moscow."\nr2,"Talks in Baku.\n',
                                encoding="utf-8")
    out, rep = tmp_path / "m.jsonl", tmp_path / "run.json"
    proc = geomap_cli("extract", str(d), "-o", str(out), "--report", str(rep))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(rep.read_text())
    assert report["documents"] == ["good", "r1"]
    errors = {e["input"].replace(str(d) + "/", ""): e["reason"] for e in report["errors"]}
    assert errors == {
        "loop.txt": "symbolic link loop, not read",
        "pipe.txt": "not a regular file (a FIFO), not read",
        "rows.csv: row 2 (line 3)": "malformed CSV: unclosed quote: a quoted field opened on "
                                    "this line runs to the end of the file; the next line is "
                                    "read as the next row",
    }
    assert [e["input"] for e in report["ignored"]] == [str(d / "sub")]
    assert f"{d / 'good.txt'}: 1 undecodable byte read as U+FFFD (utf-8)" in report["notes"]
    found = {json.loads(line)["text"] for line in out.read_text().splitlines()}
    assert found == {"Genève", "Zürich", "São Paulo", "Moscow"}
