"""Untrusted inputs: folder entries of every kind (issue 13, class 5) and what is a
text and what is a path (class 7). Real files, FIFOs, links and permissions."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geomap
from geomap.documents import MAX_BYTES, read_documents
from geomap.errors import InputError, InputNotFoundError, InputTypeError
from geomap.report import RunReport


@pytest.fixture
def deadline():
    """Fail (instead of hanging) when reading blocks, e.g. on opening a FIFO."""
    def expired(signum, frame):
        raise TimeoutError("reading the inputs blocked")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _by_name(entries, folder) -> dict:
    return {Path(s.input).relative_to(folder).as_posix(): s.reason for s in entries}


# -- class 5: every folder entry is read or reported -----------------------------------

@pytest.fixture
def hostile(tmp_path):
    """A folder with one entry of each kind a folder can hold."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Shelling hit Stepanakert on Friday.", encoding="utf-8")
    (d / "loop_a.txt").symlink_to("loop_b.txt")
    (d / "loop_b.txt").symlink_to("loop_a.txt")
    (d / "up").symlink_to("..")                      # a folder link to its parent
    (d / "dangling.txt").symlink_to("missing.txt")
    os.mkfifo(d / "pipe.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "sub").mkdir()
    (d / "sub" / "inner.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (d / "notes").write_text("no suffix", encoding="utf-8")
    return d


def test_every_folder_entry_is_read_or_reported(hostile, deadline):
    report = RunReport()
    docs = list(read_documents(hostile, report))
    assert [d.id for d in docs] == ["good"] == report.processed
    assert _by_name(report.skipped, hostile) == {
        "loop_a.txt": "symbolic link loop, not read",
        "loop_b.txt": "symbolic link loop, not read",
        "dangling.txt": "dangling symbolic link (to 'missing.txt'), not read",
        "pipe.txt": "not a regular file (a FIFO), not read",
        "zero.txt": "not a regular file (a character device), not read",
    }
    ignored = _by_name(report.ignored, hostile)
    assert set(ignored) == {"up", "sub", "photo.jpg", "notes"}
    assert ignored["sub"].startswith("sub-folder, not read (folders are not read recursively")
    assert ignored["photo.jpg"].startswith("not a document type, not read (geomap reads .txt")
    entries = {p.name for p in hostile.iterdir()}
    assert entries == {"good.txt"} | set(_by_name(report.skipped, hostile)) | set(ignored)
    assert report.to_dict()["ignored"][0]["input"].endswith("notes")
    assert "1 document processed, 5 skipped, 4 not read" in report.summary()


def test_a_socket_is_refused(deadline):
    with tempfile.TemporaryDirectory() as d:           # a short path: sockets allow ~100 bytes
        s = socket.socket(socket.AF_UNIX)
        s.bind(os.path.join(d, "s.txt"))
        try:
            report = RunReport()
            assert list(read_documents(Path(d), report)) == []
            reasons = [x.reason for x in report.skipped]
            assert reasons == ["not a regular file (a socket), not read",
                               f"folder has no {'/'.join(geomap.documents._ALL_SUFFIXES)} files"]
        finally:
            s.close()


def test_fifo_and_devices_given_as_inputs_are_refused_unopened(hostile, tmp_path, deadline):
    report = RunReport()
    good = hostile / "good.txt"
    docs = list(read_documents([Path("/dev/zero"), hostile / "pipe.txt", good,
                                Path("/dev/null")], report))
    assert [d.id for d in docs] == ["good"]
    assert [(s.input, s.reason) for s in report.skipped] == [
        ("/dev/zero", "not a regular file (a character device), not read"),
        (str(hostile / "pipe.txt"), "not a regular file (a FIFO), not read"),
        ("/dev/null", "not a regular file (a character device), not read"),
    ]
    report = RunReport()
    assert list(read_documents(str(hostile / "pipe.txt"), report)) == []   # alone, as a str
    assert report.skipped[0].reason == "not a regular file (a FIFO), not read"


def test_a_link_loop_given_on_its_own_is_reported(hostile):
    report = RunReport()
    assert list(read_documents(hostile / "loop_a.txt", report)) == []
    assert report.skipped[0].reason == "symbolic link loop, not read"
    report = RunReport()
    assert list(read_documents(hostile / "dangling.txt", report)) == []
    assert report.skipped[0].reason.startswith("dangling symbolic link")


def _unprivileged(fn):
    """``fn()`` (JSON-able result) run as a user the file permissions apply to: as
    root, in a forked child that drops to ``nobody`` (root reads a mode-000 file)."""
    if os.geteuid() != 0:
        return fn()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                       # the child: never returns
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            out = json.dumps(fn()).encode()
            os.write(w, out)
        except BaseException as e:
            os.write(w, json.dumps({"child error": repr(e)}).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def test_unreadable_file_and_folders_are_reported_and_the_rest_read():
    with tempfile.TemporaryDirectory() as top:         # reachable by the unprivileged user
        os.chmod(top, 0o755)
        d = Path(top) / "in"
        d.mkdir()
        (d / "good.txt").write_text("Talks in Geneva.", encoding="utf-8")
        (d / "secret.txt").write_text("Talks in Moscow.", encoding="utf-8")
        (d / "locked").mkdir()
        (d / "locked" / "inner.txt").write_text("Talks in Paris.", encoding="utf-8")
        os.chmod(d / "secret.txt", 0o000)
        os.chmod(d / "locked", 0o000)
        os.chmod(d, 0o755)

        def read():
            report = RunReport()
            docs = [x.id for x in read_documents(d, report)]
            docs += [x.id for x in read_documents([d / "locked", d / "good.txt"], report)]
            return docs, [[s.input, s.reason] for s in report.skipped], \
                [s.input for s in report.ignored]

        try:
            got = _unprivileged(read)
        finally:
            os.chmod(d / "locked", 0o755)
        assert "child error" not in got, got
        docs, skipped, ignored = got
    assert docs == ["good", "good"]                   # (ids are made unique per call)
    assert skipped == [[str(d / "secret.txt"), "cannot read: Permission denied"],
                       [str(d / "locked"), "cannot read folder: Permission denied"]]
    assert ignored == [str(d / "locked")]                # as an entry: a sub-folder


def test_size_cap_refuses_large_files_and_records_by_name(tmp_path):
    assert MAX_BYTES == 100_000_000
    (tmp_path / "big.txt").write_text("Talks in Geneva. " * 100, encoding="utf-8")
    (tmp_path / "small.txt").write_text("Talks in Paris.", encoding="utf-8")
    (tmp_path / "rows.csv").write_text('text\n"' + "x" * 2000 + '"\nTalks in Rome.\n',
                                       encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": "y" * 2000}) + "\n"
                                         '{"text": "Talks in Oslo."}\n', encoding="utf-8")
    report = RunReport()
    docs = list(read_documents(tmp_path, report, max_bytes=1000))
    assert [d.text for d in docs] == ["Talks in Rome.", "Talks in Oslo.", "Talks in Paris."]
    skipped = {s.input.replace(str(tmp_path) + "/", ""): s.reason for s in report.skipped}
    assert skipped == {
        "big.txt": "larger than the size limit (1,700 bytes > 1,000); raise it with "
                   "max_bytes= (--max-bytes on the command line)",
        "rows.csv: row 1 (line 2)": "malformed CSV: record larger than the size limit "
                                    "(1,000 characters)",
        "rows.jsonl: line 1": "line larger than the size limit (1,000 characters)",
    }
    report = RunReport()
    assert list(read_documents([io.BytesIO(b"z" * 2000)], report, max_bytes=1000)) == []
    assert report.skipped[0].reason.startswith("larger than the size limit (more than 1,000")
    with pytest.raises(InputTypeError, match="max_bytes must be a positive int"):
        read_documents(tmp_path, max_bytes=0)


def test_one_bad_entry_never_raises(tmp_path, deadline):
    # every kind of bad entry at once, given as a list of Paths: no exception, all named
    (tmp_path / "ok.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "loop").symlink_to("loop")
    os.mkfifo(tmp_path / "f.csv")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\x00\x00\x00\x01")
    (tmp_path / "t.parquet").write_bytes(b"not parquet")
    report = RunReport()
    docs = list(read_documents(sorted(tmp_path.iterdir()), report))
    assert [d.id for d in docs] == ["ok"]
    assert len(report.skipped) == 4


# -- class 7: a text is a text, a path is a path --------------------------------------

def test_strings_in_a_list_are_texts_never_paths(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Talks in Moscow.", encoding="utf-8")
    texts = ["Talks in Ankara.", str(secret), str(tmp_path), "/dev/zero", "seeds.csv"]
    docs = list(read_documents(texts))
    assert [(d.id, d.text) for d in docs] == [(f"doc{i}", t) for i, t in enumerate(texts)]
    assert all(d.path is None for d in docs)


_paths = st.sampled_from(["/etc/passwd", ".", "/dev/zero", "README.md", "seeds", "x.csv", "-"])
_surrogates = st.sampled_from(["\ud800", "\udce9", "\udfff"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(), _paths, st.lists(st.one_of(st.text(max_size=5),
                                                                 _surrogates)).map("".join))))
def test_any_list_of_str_is_read_as_that_many_texts(texts):
    report = RunReport()
    docs = list(read_documents(texts, report))
    kept = [(f"doc{i}", t) for i, t in enumerate(texts) if t.strip()]
    assert [d.id for d in docs] == [i for i, _ in kept] == report.processed
    for d, (_, t) in zip(docs, kept, strict=True):
        expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in t)
        assert d.text == expected and d.path is None
        d.text.encode("utf-8")                       # writable: no lone surrogate left
    assert len(report.skipped) == len(texts) - len(kept)
    assert {s.reason for s in report.skipped} <= {"empty document"}


@pytest.mark.parametrize("given", ["Talks in Ankara.", "talks.txt", "a\x00b", "x" * 5000,
                                   Path("missing.txt"), "Line one.\nLine two."])
def test_a_path_on_its_own_must_exist(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as err:
        read_documents(given)                         # on the call, before any reading
    assert isinstance(err.value, InputNotFoundError) and isinstance(err.value, InputError)
    message = str(err.value)
    assert message.startswith("no such file or folder: ")
    assert "pass them as a list" in message or "pass a list of them: [" in message


def test_a_missing_path_in_a_list_of_paths_is_named_before_reading(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Talks in Geneva.", encoding="utf-8")
    report = RunReport()
    with pytest.raises(InputNotFoundError, match="missing.txt") as err:
        read_documents([good, tmp_path / "missing.txt"], report)
    assert "to read texts, pass them as a list of str" in str(err.value)
    assert report.processed == [] and report.skipped == []


@pytest.mark.parametrize("given", [b"Talks in Ankara.", bytearray(b"x"), memoryview(b"x"),
                                   ["Talks in Ankara.", b"Talks in Paris."]])
def test_bytes_are_a_type_error(given):
    with pytest.raises(TypeError, match="decode it first") as err:
        read_documents(given)
    assert isinstance(err.value, InputTypeError)


def test_a_list_mixing_texts_and_paths_is_a_type_error(tmp_path):
    (tmp_path / "a.txt").write_text("Talks in Geneva.", encoding="utf-8")
    with pytest.raises(InputTypeError, match="mixing texts .str. and paths .Path."):
        read_documents(["Talks in Ankara.", tmp_path / "a.txt"])


def test_other_items_are_reported_by_position(tmp_path):
    report = RunReport()
    docs = list(read_documents(["Talks in Ankara.", None, 3.5, float("nan")], report))
    assert [d.id for d in docs] == ["doc0"]
    assert [(s.input, s.reason) for s in report.skipped] == [
        ("item 1", "no text (a missing value)"),
        ("item 2", "not a text (float); give texts as str"),
        ("item 3", "no text (a missing value)")]
    with pytest.raises(InputTypeError, match="cannot read documents from a int"):
        read_documents(5)


def test_an_open_binary_file_is_one_text(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Talks in Genève.".encode("cp1252"))

    class Stdin(io.BytesIO):
        name = "<stdin>"

    report = RunReport()
    with f.open("rb") as fh:
        docs = list(read_documents([fh, Stdin("Talks in Zürich.".encode())], report))
    assert [(d.id, d.text) for d in docs] == [("latin", "Talks in Genève."),
                                              ("stdin", "Talks in Zürich.")]
    assert report.notes == [f"{f}: not UTF-8, read as cp1252"]


def test_extract_reads_texts_in_a_list_and_refuses_a_lone_text(gaz, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Troops entered Stepanakert.", encoding="utf-8")
    df = geomap.extract(["Talks in Ankara.", str(secret)], gazetteer=gaz)
    assert df["doc"].tolist() == ["doc0"] and df["text"].tolist() == ["Ankara"]
    with pytest.raises(FileNotFoundError, match=r'pass a list of them: \["Talks in Ankara."\]'):
        geomap.extract("Talks in Ankara.", gazetteer=gaz)
    with pytest.raises(TypeError, match="decode it first"):
        geomap.extract(b"Talks in Ankara.", gazetteer=gaz)
    assert geomap.extract(secret, gazetteer=gaz)["text"].tolist() == ["Stepanakert"]


def test_items_of_a_generator_are_checked_as_they_come(tmp_path):
    report = RunReport()
    items = (x for x in ["Talks in Ankara.", tmp_path / "missing.txt", Path("a\x00b")])
    assert [d.text for d in read_documents(items, report)] == ["Talks in Ankara."]
    assert [(s.input, s.reason) for s in report.skipped] == [
        (str(tmp_path / "missing.txt"), "no such file or folder"),
        ("'a\\x00b'", "not a file name (it holds a NUL character)")]
    with pytest.raises(InputTypeError, match="cannot read documents from a dict"):
        read_documents({"a": "Talks in Ankara."})
