"""Reading primitives: the :class:`Document` value, a table's :class:`Columns`,
the state of one reading run, bounded opens of regular files, and a table row
made into a document.

:mod:`geomap.documents` (files, folders, streams, frames) and
:mod:`geomap.tables` (CSV, JSON Lines and Parquet rows) both build on these;
they live apart from both so that neither imports the other's internals (no
import cycle). :mod:`geomap.documents` re-exports the public names.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import stat
from dataclasses import dataclass, field

from geomap.errors import InputError
from geomap.report import RunReport

__all__ = ["Document", "Columns", "MAX_BYTES"]

#: Default size limit, in bytes, of a document file (and in characters, of a
#: table record): larger ones are refused with a note of the limit.
MAX_BYTES = 100_000_000


@dataclass(frozen=True, slots=True)
class Document:
    """One input text and what is known about it.

    Examples
    --------
    >>> Document(id="a", text="Troops left Shusha.").source
    'a'
    """

    id: str
    text: str
    source: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    encoding: str | None = None

    def __post_init__(self):
        if self.source is None or self.source == "":
            object.__setattr__(self, "source", self.id)


@dataclass(frozen=True, slots=True)
class Columns:
    """Column names of a table input (CSV, JSON Lines, Parquet, DataFrame).

    Examples
    --------
    >>> Columns(text="body").text
    'body'
    """

    text: str = "text"
    doc: str = "doc"
    source: str = "source"
    date: str = "date"
    url: str = "url"

    def optional(self) -> dict[str, str]:
        return {"doc": self.doc, "source": self.source, "date": self.date, "url": self.url}


@dataclass
class _State:
    report: RunReport
    columns: Columns
    max_bytes: int = MAX_BYTES
    seen: set = field(default_factory=set)
    sidecars: dict = field(default_factory=dict)


_BYTES = (bytes, bytearray, memoryview)


def _short(text: str) -> str:
    return json.dumps(text if len(text) <= 40 else text[:37] + "...", ensure_ascii=False)


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"not a regular file ({kind}), not read"


def _stat_problem(path: str, e: OSError) -> str:
    """Why ``path`` cannot be looked at, from the error of ``os.stat``."""
    if e.errno == errno.ELOOP:
        return "symbolic link loop, not read"
    if e.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"dangling symbolic link (to {os.readlink(path)!r}), not read"
        return "no such file or folder"
    return f"cannot read: {e.strerror or e}"


def _open_regular(path: str, max_bytes: int | None):
    """``path`` opened for binary reading, and its size, if it is a regular file
    (a FIFO cannot block the open: ``O_NONBLOCK``) not larger than ``max_bytes``.

    Raises :class:`InputError` with the reason otherwise.
    """
    fd, size = _open_fd(path, max_bytes)
    try:
        return io.FileIO(fd, "rb", closefd=True), size
    except BaseException:
        os.close(fd)
        raise


def _read_regular(path: str, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file not larger than
    ``max_bytes`` (as :func:`_open_regular` opens it and :func:`_read_bounded`
    reads it, on the descriptor: no file object).

    Raises :class:`InputError` with the reason otherwise, and :class:`OSError`
    when a read fails.
    """
    fd, size = _open_fd(path, max_bytes)
    try:
        return _read_by(functools.partial(os.read, fd), max_bytes, size)
    finally:
        os.close(fd)


def _open_fd(path: str, max_bytes: int | None) -> tuple[int, int]:
    """``path``'s descriptor, opened for reading, and its size: see :func:`_open_regular`."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise InputError(_stat_problem(path, e)) from e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(_not_regular(st.st_mode))
        if max_bytes is not None and st.st_size > max_bytes:
            raise InputError(_too_large(st.st_size, max_bytes))
        os.set_blocking(fd, True)
        return fd, st.st_size
    except BaseException:
        os.close(fd)
        raise


def _too_large(size: int, limit: int) -> str:
    return (f"larger than the size limit ({size:,} bytes > {limit:,}); raise it with "
            "max_bytes= (--max-bytes on the command line)")


def _read_bounded(fh, max_bytes: int, size: int | None = None):
    """All of ``fh`` (bytes, or str from a text stream) unless it is larger than
    ``max_bytes``: then :class:`InputError`, having read at most ``max_bytes + 1``.
    ``size`` (the file's, when known: a regular file's at its opening) sets
    how much each read asks for (one more byte than that: a file grown since
    is read on), and a read that gives the rest of that size and less than it
    asked for is the last."""
    return _read_by(fh.read, max_bytes, size)


def _read_by(read, max_bytes: int, size: int | None = None):
    """:func:`_read_bounded` with the file's ``read``."""
    step = size + 1 if size is not None else 1 << 20
    parts = []
    total = 0
    while total <= max_bytes:
        ask = min(step, max_bytes + 1 - total)
        part = read(ask)                 # (a raw file may read less)
        if not part:
            break
        parts.append(part)
        total += len(part)
        if total == size and len(part) < ask:
            # the whole file, as large as it was when opened, in a read that
            # stopped short of what it asked for: at the end (no read for
            # the end to say so)
            break
    raw = parts[0][:0].join(parts) if parts else b""
    if len(raw) > max_bytes:
        raise InputError(f"larger than the size limit (more than {max_bytes:,} bytes); raise "
                         "it with max_bytes= (--max-bytes on the command line)")
    return raw


def _row_document(row: dict, default_id: str, state: _State, where: str,
                  path: str | None) -> Document | None:
    """A document from one table row, or None (recorded as skipped)."""
    cols = state.columns
    doc_id = _opt(row.get(cols.doc)) or default_id
    text = row.get(cols.text)
    if not isinstance(text, str):
        if _missing(text):
            reason = f"no text in column {cols.text!r} (a missing value)"
        elif isinstance(text, _BYTES):
            reason = f"text in column {cols.text!r} is bytes, not a string: decode it first"
        else:
            reason = (f"text in column {cols.text!r} is not a string "
                      f"({type(text).__name__}: {_short(repr(text))[1:-1]})")
        state.report.skip(f"{where} ({doc_id})", reason)
        return None
    if not text.strip():
        state.report.skip(f"{where} ({doc_id})", "empty document")
        return None
    return Document(id=doc_id, text=str(text), source=_opt(row.get(cols.source)),
                    date=_opt(row.get(cols.date)), url=_opt(row.get(cols.url)), path=path)


def _missing(v) -> bool:
    """Whether ``v`` is a missing value: None, NaN, NaT or ``pd.NA``."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(v != v)                 # NaN
    except Exception:                       # arrays, objects without a truth value
        return False


def _opt(v) -> str | None:
    """A metadata value as text; None when missing or empty."""
    if _missing(v):
        return None
    s = str(v)
    return s if s != "" else None
