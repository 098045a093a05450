"""Atomic file writes: the one way geomap and the gazetteer replace a file.

A write never leaves a half-written file under the destination's name: the
data goes to a temporary file in the destination's folder (so that the
rename stays on one file system and is atomic), is flushed to disk
(:func:`os.fsync`), and only then renamed over the destination with
:func:`os.replace`. On any error, the temporary file is removed and the
destination keeps its old content (or stays absent).

The file gets the mode ``open(path, "w")`` would give a new file under the
process's umask (:func:`new_file_mode`), not the private ``0600`` of
:func:`tempfile.mkstemp`, nor whatever a library writing by path chooses
(SQLite makes ``0644`` whatever the umask), so outputs are as readable as
any other file the user writes.

Three forms, for three kinds of writer:

* :func:`atomic_write` — the whole content at once;
* :func:`atomic_file` — a binary file object to stream into (a context manager);
* :func:`atomic_path` — a temporary path for a library that writes by path
  (SQLite, pyarrow, GDAL), moved into place when the block ends.

This module is in :mod:`gazetteer` because :mod:`gazetteer` does not import
:mod:`geomap`; :mod:`geomap.files` gives the same functions to geomap.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "atomic_file", "atomic_path", "new_file_mode", "read_stamped",
           "write_stamped"]


def atomic_write(path: str | PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (text as UTF-8).

    The folder is created if needed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.txt"
    >>> atomic_write(p, "hi").read_text()
    'hi'
    >>> oct(p.stat().st_mode & 0o777) == oct(new_file_mode())
    True
    """
    path = Path(path)
    with atomic_file(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@contextlib.contextmanager
def atomic_file(path: str | PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; ``path`` gets it
    when the block ends without an error.

    The file is a temporary one beside ``path`` (the folder is created if
    needed), with the mode of a new file. On a clean exit it is flushed,
    synced and renamed over ``path``; on an error it is removed and ``path``
    is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> with atomic_file(p) as f:
    ...     _ = f.write(b"{}\\n")
    ...     p.exists()
    False
    >>> p.read_bytes()
    b'{}\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), new_file_mode())     # mkstemp makes 0600
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


@contextlib.contextmanager
def atomic_path(path: str | PathLike, *, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that takes a path
    (SQLite, pyarrow, GDAL); ``path`` gets what was written there when the
    block ends without an error.

    The temporary path does not exist when the block starts (a writer may
    insist on creating its file); it ends in ``suffix`` (give ``path``'s, for
    a writer that picks its format by the extension). On a clean exit the
    file written there gets the mode of a new file, is synced and renamed
    over ``path``; on an error it is removed and ``path`` is left as it was.

    Raises
    ------
    FileNotFoundError
        If the block ends without error but wrote nothing at the path.

    Examples
    --------
    >>> import sqlite3, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.sqlite"
    >>> with atomic_path(p, suffix=".sqlite") as tmp:
    ...     con = sqlite3.connect(tmp)
    ...     with con:
    ...         _ = con.execute("CREATE TABLE t (x)")
    ...     con.close()
    >>> sqlite3.connect(p).execute("SELECT name FROM sqlite_master").fetchall()
    [('t',)]
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name in the folder, freed for the writer to create
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        yield tmp
        os.chmod(tmp, new_file_mode())
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def read_stamped(path: str | PathLike, stamp: str) -> list[str] | None:
    """The lines of a derived-data file (a cache beside a store) whose first
    line is ``stamp``; ``None`` when it is missing, unreadable or stale.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "x.txt"
    >>> write_stamped(f, "v1", ["a", "b"]); read_stamped(f, "v1"), read_stamped(f, "v2")
    (['a', 'b'], None)
    """
    try:
        with Path(path).open(encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") != stamp:
                return None
            return fh.read().split("\n")[:-1]
    except (OSError, UnicodeDecodeError):
        return None


def write_stamped(path: str | PathLike, stamp: str, lines: list[str]) -> None:
    """Write a derived-data file, ``stamp`` then ``lines``, atomically
    (:func:`atomic_write`); a folder that cannot be written just means no file."""
    try:
        atomic_write(path, stamp + "\n" + "".join(line + "\n" for line in lines))
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Sync the folder's entries (the rename), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The mode ``open(..., "w")`` would give a new file under the current umask.

    Read from ``/proc/self/status`` where the kernel gives it (Linux 4.7 and
    later), so that no other thread ever sees a changed umask; elsewhere the
    umask is read by setting it and putting it back.

    Examples
    --------
    >>> mask = os.umask(0o027); new_file_mode() == 0o640; _ = os.umask(mask)
    True
    """
    return 0o666 & ~_umask()


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
