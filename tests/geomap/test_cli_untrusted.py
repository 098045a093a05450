"""The command line with careless or hostile arguments (issue 13, class 7 and the smaller items).

A PATH is always a path (a typo is an error naming it, ``-`` is standard
input), options and output files are checked before any work, outputs get
the permissions of any new file, and a closed pipe ends the run quietly.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_cli import ROOT, SEEDS, geomap_cli

from geomap.cli import EXIT_PIPE, byte_size, main, printable

GEOMAP = Path(sys.executable).parent / "geomap"
ARTICLE = "Shelling hit Stepanakert on Friday; talks resumed in Geneva."


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "in" / "article.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def no_gazetteer(tmp_path, monkeypatch):
    """An empty cache folder: opening the gazetteer would build a store in it."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def unread_stdin(monkeypatch):
    """Standard input holding a document; its position tells whether it was read."""
    return _stdin(monkeypatch, b"Talks in Ankara.")


def _stdin(monkeypatch, data: bytes) -> io.BytesIO:
    """Standard input holding ``data``, named as the real one is."""
    raw = io.BytesIO(data)
    raw.name = "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    return raw


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# -- a PATH is a path ------------------------------------------------------------

def test_a_missing_path_is_an_error_naming_it_and_the_others_are_read(gazetteer_path, article):
    proc = geomap_cli("extract", "seedz", str(article))
    assert proc.returncode == 1, proc.stderr
    assert "geomap: error: seedz: no such file or directory" in proc.stderr.splitlines()
    assert {r["doc"] for r in records(proc.stdout)} == {"article"}


def test_a_missing_path_alone_reads_nothing_and_exits_2(gazetteer_path, tmp_path, capsys,
                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "seedz"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "geomap: error: seedz: no such file or directory" in err.splitlines()


_ARGV_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
                     min_size=1, max_size=40)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_ARGV_TEXT)
def test_any_missing_path_is_never_read_as_text(gazetteer_path, tmp_path, capsys, monkeypatch,
                                                 name):
    monkeypatch.chdir(tmp_path)  # empty: nothing there but what the name might reach
    if name == "-" or os.path.lexists(name):
        return
    capsys.readouterr()
    assert main(["extract", "--", name]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "geomap: error:" in err
    if name.strip():
        assert f"{printable(str(Path(name)))}: no such file or directory" in err


def test_dash_reads_standard_input_as_one_document(gazetteer_path, tmp_path):
    proc = subprocess.run([str(GEOMAP), "extract", "-", "--report", str(tmp_path / "r.json")],
                          input=b"Talks in Ankara and Geneva.", capture_output=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = records(proc.stdout.decode())
    assert {r["doc"] for r in found} == {"stdin"}
    assert {r["text"] for r in found} == {"Ankara", "Geneva"}
    assert json.loads((tmp_path / "r.json").read_text())["processed"] == 1


def test_standard_input_over_max_bytes_is_refused(gazetteer_path, monkeypatch, capsys):
    _stdin(monkeypatch, b"Talks in Ankara. " * 10)
    assert main(["extract", "-", "--max-bytes", "100"]) == 2
    err = capsys.readouterr().err
    assert "geomap: error: stdin: larger than the size limit" in err
    assert "100 bytes" in err


def test_max_bytes_refuses_a_larger_file_and_reads_the_rest(gazetteer_path, article, capsys):
    big = article.parent / "big.txt"
    big.write_text("Talks in Ankara. " * 20, encoding="utf-8")
    assert main(["extract", str(big), str(article), "--max-bytes", "300"]) == 1
    out, err = capsys.readouterr()
    assert f"geomap: error: {big}: larger than the size limit (340 bytes > 300)" in err
    assert {r["doc"] for r in records(out)} == {"article"}


@pytest.mark.parametrize("text, size", [("100", 100), ("100M", 100 * 2 ** 20),
                                        ("100MB", 10 ** 8), ("1 GiB", 2 ** 30),
                                        ("64k", 65536), ("2KB", 2000)])
def test_byte_sizes(text, size):
    assert byte_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-1", "1.5M", "100Q", "1iB", "100 MBB"])
def test_byte_sizes_refused(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="size in bytes"):
        byte_size(text)


# -- checked before any work -------------------------------------------------------

BAD_OPTIONS = [
    (["extract", "-", "-"], "- (standard input) can be given only once"),
    (["extract", "-", "--jobs", "0"], "--jobs: expected an integer >= 1"),
    (["extract", "-", "--jobs", "many"], "--jobs: expected an integer >= 1"),
    (["extract", "-", "--engine", "dask", "--jobs", "2"], "--jobs applies to --engine local"),
    (["extract", "-", "--max-bytes", "lots"], "--max-bytes: expected a size in bytes"),
    (["extract", "-", "--text-column", " "], "--text-column is empty"),
    (["extract", "-", ""], "PATH '' is empty"),
    (["explain", "-", "--top", "-2"], "--top: expected an integer >= 0"),
    (["explain", "-", "--text", "Talks in Ankara."], "give PATH(s) or --text, not both"),
    (["evaluate", "corpus.xml", "--limit", "-1"], "--limit: expected an integer >= 0"),
    (["evaluate", "corpus.xml"], "CORPUS_FILE corpus.xml: no such file or directory"),
    (["evaluate", "/dev/zero"], "CORPUS_FILE /dev/zero: not a regular file"),
    (["export", "-"], "give at least one of --places"),
    (["map", "-", "-o", "m.html", "--only-category", "violense"],
     "--only-category: unknown 'violense'; valid categories: violence, diplomacy, "
     "humanitarian, other"),
    (["map", "-", "-o", "m.html", "--categories", "words.json", "--only-category", "violence"],
     "--only-category: unknown 'violence'; valid categories: sport, other"),
    (["map", "-", "-o", "m.html", "--categories", "bad.json"],
     "Cannot read category words from bad.json"),
    (["map", "-", "-o", "m.html", "--categories", "nope.json"], "--categories nope.json:"),
    (["export", "-", "--csv", "m.csv", "--categories", "."], "--categories .: not a regular"),
    (["map", "-", "-o", "-"], "-o - (standard output) is not supported here"),
    (["extract", "-", "--csv-raw"], "--csv-raw applies to --format csv"),
]


@pytest.mark.parametrize("argv, message", BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_options_stop_before_any_work(argv, message, tmp_path, monkeypatch, capsys,
                                          no_gazetteer, unread_stdin):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "words.json").write_text('{"sport": ["match*"]}', encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"sport": ', encoding="utf-8")
    try:
        status = main(argv)
    except SystemExit as e:  # argparse's own errors
        status = e.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert unread_stdin.tell() == 0, "an input was read"
    assert list(no_gazetteer.iterdir()) == [], "the gazetteer was opened"
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".html", ".csv")]


def test_a_categories_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "words.json"
    os.mkfifo(fifo)
    proc = geomap_cli("map", "-", "-o", str(tmp_path / "m.html"), "--categories", str(fifo),
                      timeout=60)
    assert proc.returncode == 2
    assert f"--categories {fifo}: not a regular file" in proc.stderr


def _output_cases(folder: Path, article: Path):
    return [
        (["extract", str(article), "-o", str(article)], "is the input"),
        (["map", str(folder), "-o", str(article)], "is in the input folder"),
        (["extract", str(article), "-o", str(folder / "link.txt")], "is the input"),
        (["extract", str(article), "-o", str(folder / "r.json"), "--report",
          str(folder / "." / "r.json")], "-o and --report name the same file"),
        (["export", str(article), "--places", "p.json", "--mentions", "p.json"],
         "--places and --mentions name the same file"),
        (["extract", str(article), "-o", str(folder)], "is a folder"),
        (["map", str(article), "-o", str(folder.parent)], "is a folder"),
        (["extract", str(folder), "-o", str(folder / "new.jsonl")], "is in the input folder"),
        (["export", str(folder), "--csv", str(folder / "out.csv")], "is in the input folder"),
        (["extract", str(article), "-o", str(folder / "sources.csv")],
         "is the sources.csv metadata"),
        (["extract", str(article), "-o", str(article / "x.jsonl")], "is not a folder"),
        (["evaluate", str(article), "--errors", "e.tsv", "--json", "e.tsv"],
         "--errors and --json name the same file"),
        (["map", str(article), "-o", "words.json", "--categories", "words.json"], "is the input"),
        (["evaluate", str(article), "--json", str(article)], "is the input"),
    ]


def test_outputs_that_are_inputs_other_outputs_or_folders_are_refused(
        tmp_path, article, monkeypatch, capsys, no_gazetteer):
    monkeypatch.chdir(tmp_path)
    (article.parent / "link.txt").symlink_to(article)
    (tmp_path / "words.json").write_text('{"sport": ["match*"]}', encoding="utf-8")
    for argv, message in _output_cases(article.parent, article):
        before = article.read_bytes()
        assert main(argv) == 2, argv
        assert message in capsys.readouterr().err, argv
        assert article.read_bytes() == before
        assert list(no_gazetteer.iterdir()) == []
    assert sorted(p.name for p in article.parent.iterdir()) == ["article.txt", "link.txt"]


def test_an_output_next_to_an_input_file_is_fine(gazetteer_path, article, capsys):
    out = article.parent / "article.jsonl"
    assert main(["extract", str(article), "-o", str(out), "-q"]) == 0, capsys.readouterr().err
    assert {r["text"] for r in records(out.read_text())} == {"Stepanakert", "Geneva"}


def test_dash_as_extract_output_is_standard_output(gazetteer_path, article, capsys,
                                                   tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(article), "-o", "-", "-q"]) == 0
    assert {r["text"] for r in records(capsys.readouterr().out)} == {"Stepanakert", "Geneva"}
    assert not (tmp_path / "-").exists()


# -- output permissions ------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_every_output_file_gets_the_mode_of_a_new_file(gazetteer_path, article, tmp_path,
                                                       umask, capsys):
    out = tmp_path / "out"
    corpus = ROOT / "tests" / "geomap" / "fixtures" / "geovirus_small.xml"
    runs = [
        ["extract", str(article), "-o", str(out / "m.jsonl"), "--report", str(out / "r1.json")],
        ["extract", str(article), "--format", "csv", "-o", str(out / "m.csv")],
        ["map", str(article), "-o", str(out / "m.html"), "--geojson", str(out / "g.json"),
         "--report", str(out / "r2.json")],
        ["export", str(article), "--places", str(out / "p.json"),
         "--mentions", str(out / "mm.json"), "--csv", str(out / "e.csv"),
         "--parquet", str(out / "e.parquet"), "--gpkg", str(out / "e.gpkg"),
         "--report", str(out / "r3.json")],
        ["evaluate", str(corpus), "--errors", str(out / "errors.tsv"),
         "--json", str(out / "metrics.json"), "-q"],
    ]
    old = os.umask(umask)
    try:
        for argv in runs:
            assert main([*argv, *(["-q"] if argv[0] != "evaluate" else [])]) == 0, \
                capsys.readouterr().err
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
    assert len(modes) == 14, sorted(modes)
    assert modes == dict.fromkeys(modes, 0o666 & ~umask)


# -- a closed pipe -------------------------------------------------------------------

def test_a_closed_pipe_ends_quietly(gazetteer_path):
    script = (f"'{GEOMAP}' extract '{SEEDS}' | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}; "
              f"'{GEOMAP}' explain '{SEEDS}' | true; echo ${{PIPESTATUS[0]}}")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.stderr == ""
    assert proc.stdout.split() == [str(EXIT_PIPE)] * 2


# -- no traceback ----------------------------------------------------------------------

def test_unreadable_table_and_binary_input_give_one_line_each(gazetteer_path, tmp_path):
    (tmp_path / "t.parquet").write_bytes(b"PAR1 not really")
    (tmp_path / "x.jsonl").write_bytes(b"\x00\x01{")
    proc = geomap_cli("extract", str(tmp_path / "t.parquet"), str(tmp_path / "x.jsonl"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert all(line.startswith("geomap: ") for line in proc.stderr.splitlines())


# -- spreadsheet formulas ------------------------------------------------------------

def test_export_csv_neutralises_formulas_unless_csv_raw(gazetteer_path, tmp_path, capsys):
    doc = tmp_path / "=HYPERLINK(1).txt"
    doc.write_text("Clashes near Ankara.", encoding="utf-8")
    assert main(["export", str(doc), "--csv", str(tmp_path / "safe.csv"), "-q"]) == 0
    assert main(["export", str(doc), "--csv", str(tmp_path / "raw.csv"), "--csv-raw", "-q"]) == 0
    import pandas as pd

    assert set(pd.read_csv(tmp_path / "safe.csv")["doc"]) == {"'=HYPERLINK(1)"}
    assert set(pd.read_csv(tmp_path / "raw.csv")["doc"]) == {"=HYPERLINK(1)"}


# -- names on the terminal ------------------------------------------------------------

_FILE_NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"),
                     min_size=1, max_size=30).filter(lambda s: s not in (".", ".."))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_FILE_NAME)
def test_any_file_name_reaches_the_terminal_as_one_printable_line(gazetteer_path, tmp_path,
                                                                  capsys, name):
    folder = tmp_path / "names"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.txt"
    try:
        path.write_bytes(b"")  # an empty document: one error line naming it
    except OSError:  # too long a name for the file system
        return
    capsys.readouterr()
    try:
        assert main(["extract", str(path)]) == 2
    finally:
        path.unlink()
    err = capsys.readouterr().err
    lines = err.split("\n")
    assert lines.pop() == ""
    assert all(line.startswith("geomap: ") for line in lines), err
    assert not any(c in err for c in "\x1b\r\x85\u2028\u2029\u202e\x07")
    assert len(lines) == 3  # the document, the summary, "no documents could be processed"


def test_extract_csv_raw_differs_only_in_the_formula_cells(gazetteer_path, tmp_path, capsys):
    doc = tmp_path / "=HYPERLINK(1).txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(doc), "--format", "csv", "-q"]) == 0
    safe = capsys.readouterr().out
    assert main(["extract", str(doc), "--format", "csv", "--csv-raw", "-q"]) == 0
    raw = capsys.readouterr().out
    assert safe.count('"\'=HYPERLINK(1)"') == 4  # doc and source of two mentions
    assert '"\'=' not in raw
    assert raw == safe.replace('"\'=HYPERLINK(1)"', '"=HYPERLINK(1)"')


def test_gazetteer_info_never_builds(tmp_path, capsys, no_gazetteer):
    store = tmp_path / "typo" / "gazetteer.sqlite"
    assert main(["gazetteer", "info", "--path", str(store)]) == 2
    assert f"The gazetteer store {store} cannot be used" in capsys.readouterr().err
    assert not store.parent.exists()


def test_folder_entries_not_read_are_named_on_stderr(gazetteer_path, tmp_path, capsys):
    folder = tmp_path / "news"
    (folder / "photos").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    names = [f"img{i:02}.png" for i in range(25)]
    for name in names:
        (folder / name).write_bytes(b"\x89PNG")
    report = tmp_path / "report.json"
    assert main(["extract", str(folder), "--report", str(report), "-q"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("geomap: note: ")]
    assert len(notes) == 21
    assert notes[0].startswith(f"geomap: note: {folder / names[0]}: ")
    assert notes[-1] == f"geomap: note: 6 more folder entries not read (listed in {report})"
    ignored = json.loads(report.read_text())["ignored"]
    assert {Path(e["input"]).name for e in ignored} == {*names, "photos"}
