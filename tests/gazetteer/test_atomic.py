"""Tests of gazetteer.atomic: a write replaces the file whole or not at all."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from gazetteer.atomic import atomic_file, atomic_path, atomic_write, new_file_mode


def _leftovers(folder, keep=("out.txt",)):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_atomic_write_replaces_the_content_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    assert atomic_write(target, "new ü") == target
    assert target.read_bytes() == "new ü".encode()
    atomic_write(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert _leftovers(tmp_path) == []


def test_an_error_mid_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="mid-write"):
        with atomic_file(target) as f:
            f.write(b"half of the new")
            raise RuntimeError("mid-write")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_an_error_mid_write_leaves_no_file_where_there_was_none(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("partial")
            raise KeyboardInterrupt
    assert _leftovers(tmp_path, keep=()) == []


def test_a_killed_process_leaves_the_old_file_whole(tmp_path):
    """The process dies (no cleanup runs) half-way through: the destination
    still holds its old content; only a hidden temporary file is left."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    code = textwrap.dedent(f"""
        import os
        from gazetteer.atomic import atomic_file
        with atomic_file({str(target)!r}) as f:
            f.write(b"half of the new")
            f.flush()
            os._exit(9)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr
    assert target.read_text() == "old"
    (left,) = _leftovers(tmp_path)
    assert left.startswith(".out.txt.") and left.endswith(".tmp")


def test_the_temporary_file_is_in_the_destination_folder(tmp_path):
    target = tmp_path / "sub" / "deeper" / "out.txt"     # folders made as needed
    with atomic_file(target):
        seen = sorted(p.name for p in target.parent.iterdir())
    assert len(seen) == 1 and seen[0].startswith(".out.txt.")
    with atomic_path(target, suffix=".gpkg") as tmp:
        assert tmp.parent == target.parent and tmp.name.endswith(".gpkg")
        assert not tmp.exists()                          # the writer creates it
        tmp.write_text("by path")
    assert target.read_text() == "by path"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_files_get_the_mode_of_a_new_file_under_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        assert new_file_mode() == 0o666 & ~mask
        a = atomic_write(tmp_path / "a.txt", "x")
        with atomic_path(tmp_path / "b.sqlite", suffix=".sqlite") as tmp:
            con = sqlite3.connect(tmp)       # SQLite makes 0644 whatever the umask
            with con:
                con.execute("CREATE TABLE t (x)")
            con.close()
        with open(tmp_path / "c.txt", "w") as f:     # what open() gives
            f.write("x")
    finally:
        os.umask(old)
    want = (tmp_path / "c.txt").stat().st_mode & 0o777
    assert a.stat().st_mode & 0o777 == want
    assert (tmp_path / "b.sqlite").stat().st_mode & 0o777 == want


def test_replacing_a_file_does_not_keep_its_old_mode(tmp_path):
    """The new content is a new file: it has a new file's mode (as today's
    outputs have), not a mode the old one was given by hand."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o600)
    atomic_write(target, "new")
    assert target.stat().st_mode & 0o777 == new_file_mode()


def test_a_block_that_writes_nothing_by_path_fails_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(FileNotFoundError):
        with atomic_path(target):
            pass
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []
