"""Table files: one document per row of a CSV, JSON Lines or Parquet file.

Tables are streamed row by row, so they have no size limit as files; each
record (CSV) or line (JSON Lines) larger than the reader's ``max_bytes``
characters, and each Parquet text longer than that, is skipped by name. CSV
and JSON Lines files are decoded by :func:`geomap.decoding.sniff_encoding`
with their undecodable bytes read as U+FFFD, and every row that had any is
named in a note (the first :data:`ROW_NOTES` of a file, then a count). A CSV
row with an unclosed quote is skipped by name and the rows after it are read
(:mod:`geomap.csvrecords`). A file that grows while read is read as it was
when opened.

Used by :func:`geomap.documents.read_documents`; the functions here take its
reading state.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from geomap.csvrecords import BadRecord, records
from geomap.decoding import ESCAPE, replace_escaped, sniff_encoding
from geomap.errors import InputError
from geomap.reading import Document, _open_regular, _row_document, _State
from geomap.report import RunReport

__all__ = ["from_csv", "from_jsonl", "from_parquet", "ROW_NOTES"]

#: At most this many notes per table file name a row read with U+FFFD.
ROW_NOTES = 20


class _RowNotes:
    """The rows of one table that had undecodable bytes: noted, up to :data:`ROW_NOTES`."""

    def __init__(self, path: str, report: RunReport):
        self.path, self.report, self.more = path, report, 0
        self.count = 0

    def add(self, row: str, n: int) -> None:
        self.count += 1
        if self.count <= ROW_NOTES:
            self.report.note(f"{self.path}: {row}: {n} undecodable byte{'s' if n != 1 else ''} "
                             "read as U+FFFD")
        else:
            self.more += 1

    def clean(self, fields, row: str) -> list[str]:
        """``fields`` with their escaped bytes as U+FFFD, noted for ``row``."""
        out, total = [], 0
        for f in fields:
            f, n = replace_escaped(f)
            total += n
            out.append(f)
        if total:
            self.add(row, total)
        return out

    def close(self) -> None:
        if self.more:
            self.report.note(f"{self.path}: {self.more} more rows with undecodable bytes "
                             "read as U+FFFD")


class _Bounded(io.RawIOBase):
    """The first ``size`` bytes of a file (a file that grows is read as it was opened)."""

    def __init__(self, fh, size: int):
        self.fh, self.left = fh, size

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self.left <= 0:
            return 0
        n = self.fh.readinto(memoryview(buf)[:self.left]) or 0
        self.left -= n
        return n

    def close(self) -> None:
        self.fh.close()
        super().close()


def _text_stream(path: str, state: _State, newline: str | None) -> io.TextIOWrapper:
    """The table file ``path`` opened as text (its bytes escaped by
    :data:`~geomap.decoding.ESCAPE`), with a note when it is not UTF-8."""
    fh, size = _open_regular(path, None)
    try:
        encoding = sniff_encoding(fh)
    except BaseException:
        fh.close()
        raise
    if encoding not in ("utf-8", "utf-8-sig"):
        state.report.note(f"{path}: not UTF-8, read as {encoding}")
    return io.TextIOWrapper(io.BufferedReader(_Bounded(fh, size)), encoding=encoding,
                            errors=ESCAPE, newline=newline)


def _open(path: str, state: _State, newline: str | None) -> io.TextIOWrapper | None:
    try:
        return _text_stream(path, state, newline)
    except InputError as e:
        state.report.skip(path, str(e))
    except OSError as e:
        state.report.skip(path, f"cannot read file: {e.strerror or e}")
    return None


def _missing_text(path: str, found, state: _State) -> None:
    state.report.skip(path, f"no {state.columns.text!r} column (columns: {list(found)}); "
                            "name the text column with --text-column")


def from_csv(path: str, state: _State) -> Iterator[Document]:
    """The documents of the rows of the CSV file ``path``."""
    fh = _open(path, state, "")
    if fh is None:
        return
    report = state.report
    notes = _RowNotes(path, report)
    stem = _stem(path)
    row_no = 0
    with fh:
        try:
            rows = records(fh, max_chars=state.max_bytes)
            head = next(rows, None)
            if isinstance(head, BadRecord):
                report.skip(path, f"cannot read the header: {head.reason}")
                return
            if head is None or not head.fields:
                report.skip(path, "empty table")
                return
            header = [h.strip() for h in notes.clean(head.fields, "header")]
            if state.columns.text not in header:
                _missing_text(path, header, state)
                return
            for rec in rows:
                row_no += 1
                where = f"{path}: row {row_no} ({rec.lines})"
                if isinstance(rec, BadRecord):
                    report.skip(where, f"malformed CSV: {rec.reason}")
                    continue
                if not rec.fields:
                    continue
                if len(rec.fields) != len(header):
                    report.skip(where, f"malformed CSV row: {len(rec.fields)} fields, "
                                       f"header has {len(header)}")
                    continue
                fields = notes.clean(rec.fields, f"row {row_no} ({rec.lines})")
                doc = _row_document(dict(zip(header, fields, strict=True)), f"{stem}:{row_no}",
                                    state, f"{path}: row {row_no}", path)
                if doc is not None:
                    yield doc
        except OSError as e:
            report.skip(f"{path}: row {row_no + 1}", f"cannot read the rest of the file: "
                                                      f"{e.strerror or e}")
        finally:
            notes.close()


def from_jsonl(path: str, state: _State) -> Iterator[Document]:
    """The documents of the lines of the JSON Lines file ``path``."""
    import json

    fh = _open(path, state, None)
    if fh is None:
        return
    report, limit = state.report, state.max_bytes
    notes = _RowNotes(path, report)
    stem = _stem(path)
    line_no = 0
    with fh:
        try:
            while line := fh.readline(limit + 1):
                line_no += 1
                where = f"{path}: line {line_no}"
                if len(line) > limit and not line.endswith("\n"):
                    while line and not line.endswith("\n"):       # drop the rest of it
                        line = fh.readline(limit + 1)
                    report.skip(where, f"line larger than the size limit ({limit:,} "
                                       "characters)")
                    continue
                if not line.strip():
                    continue
                (line,) = notes.clean([line], f"line {line_no}")
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    report.skip(where, f"invalid JSON: {e.msg} at column {e.colno}")
                    continue
                if not isinstance(row, dict):
                    report.skip(where, f"expected a JSON object, got {type(row).__name__}")
                    continue
                if state.columns.text not in row:
                    report.skip(where, f"no {state.columns.text!r} field "
                                       f"(fields: {list(row)[:10]})")
                    continue
                doc = _row_document(row, f"{stem}:{line_no}", state, where, path)
                if doc is not None:
                    yield doc
        except OSError as e:
            report.skip(f"{path}: line {line_no + 1}", f"cannot read the rest of the file: "
                                                        f"{e.strerror or e}")
        finally:
            notes.close()


def from_parquet(path: str, state: _State) -> Iterator[Document]:
    """The documents of the rows of the Parquet file ``path``."""
    report = state.report
    try:
        import pyarrow.parquet as pq
    except ImportError:
        report.skip(path, "reading Parquet needs pyarrow: pip install 'geomap[parquet]'")
        return
    try:
        fh, _ = _open_regular(path, None)
    except InputError as e:
        report.skip(path, str(e))
        return
    with fh:
        try:
            pf = pq.ParquetFile(fh)
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError...
            report.skip(path, f"not a readable Parquet file: {e}")
            return
        found = pf.schema_arrow.names
        text = state.columns.text
        if text not in found:
            _missing_text(path, found, state)
            return
        wanted = [text] + [c for c in state.columns.optional().values() if c in found]
        stem = _stem(path)
        row_no = 0
        try:
            for batch in pf.iter_batches(batch_size=1024, columns=wanted):
                for row in batch.to_pylist():
                    row_no += 1
                    value = row.get(text)
                    if isinstance(value, str) and len(value) > state.max_bytes:
                        report.skip(f"{path}: row {row_no}", f"text larger than the size "
                                                             f"limit ({state.max_bytes:,} "
                                                             "characters)")
                        continue
                    doc = _row_document(row, f"{stem}:{row_no}", state,
                                        f"{path}: row {row_no}", path)
                    if doc is not None:
                        yield doc
        except Exception as e:
            report.skip(f"{path}: row {row_no + 1}", f"cannot read the rest of the file: {e}")


def _stem(path: str) -> str:
    import os

    return os.path.splitext(os.path.basename(path))[0]
