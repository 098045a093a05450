"""Documents: reading a collection of texts from files, tables, strings or frames.

Every input is accounted for: :func:`read_documents` yields the documents it
could read and records, in a :class:`~geomap.report.RunReport`, each file,
row or line it had to skip and why, so that one bad input never costs the
others. Reading streams: files and table rows are read one at a time.

Inputs
------
* ``.txt`` / ``.md``: the text as read (UTF-8, else a detected encoding);
* ``.html`` / ``.htm``: the main text, extracted with trafilatura
  (``pip install geomap[html]``); offsets refer to the extracted text;
* ``.csv``, ``.jsonl`` / ``.ndjson``, ``.parquet``: one document per row, a
  ``text`` column and optional ``doc``, ``source``, ``date``, ``url`` columns
  (names configurable with :class:`Columns`);
* folders of any of these (a ``sources.csv`` sidecar, ``file,source,date,url``,
  gives the metadata of the text and HTML files);
* a list of texts, of :class:`Document` values, or a :class:`pandas.DataFrame`.

Duplicate document ids are made unique (``a``, ``a~2``...) with a note.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.report import RunReport, Skipped

__all__ = ["Document", "Columns", "RunReport", "Skipped", "read_documents", "decode",
           "TEXT_SUFFIXES", "HTML_SUFFIXES", "TABLE_SUFFIXES"]

#: File endings read as plain text.
TEXT_SUFFIXES = (".txt", ".md")
#: File endings read as HTML pages (main text extracted).
HTML_SUFFIXES = (".html", ".htm")
#: File endings read as tables, one document per row.
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
#: Name of the per-folder metadata sidecar: ``file,source,date,url``.
SIDECAR = "sources.csv"
_ALL_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES


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
    seen: set = field(default_factory=set)


def read_documents(inputs, report: RunReport | None = None, *,
                   columns: Columns | None = None) -> Iterator[Document]:
    """Yield :class:`Document` values from flexible inputs.

    Parameters
    ----------
    inputs
        A path (file or folder) or a list of paths; a list of plain strings
        is read as texts when none of them is an existing path, and named
        ``doc0``, ``doc1``...; a list of :class:`Document`; a
        :class:`pandas.DataFrame` with a ``text`` column (and optional
        ``doc``, ``source``, ``date``, ``url``).
    report
        Where processed documents and skipped inputs are recorded. Inputs
        that fail are skipped with a reason; the rest are still yielded.
    columns
        Column names of table inputs, default ``text``, ``doc``...

    Raises
    ------
    InputError
        A DataFrame without the text column.

    Examples
    --------
    >>> [d.id for d in read_documents(["Fighting near Shusha.", "Talks in Geneva."])]
    ['doc0', 'doc1']
    """
    state = _State(report if report is not None else RunReport(), columns or Columns())
    for doc in _iter_inputs(inputs, state):
        if not doc.text.strip():
            state.report.skip(doc.path or doc.id, "empty document")
            continue
        doc = _unique(doc, state)
        state.report.processed.append(doc.id)
        yield doc


def _unique(doc: Document, state: _State) -> Document:
    if doc.id not in state.seen:
        state.seen.add(doc.id)
        return doc
    k = 2
    while f"{doc.id}~{k}" in state.seen:
        k += 1
    new = f"{doc.id}~{k}"
    state.seen.add(new)
    where = f" ({doc.path})" if doc.path else ""
    state.report.note(f"duplicate document id {doc.id!r}{where} renamed {new!r}")
    return Document(new, doc.text, doc.source if doc.source != doc.id else None, doc.date,
                    doc.url, doc.path, doc.encoding)


def _iter_inputs(inputs, state: _State) -> Iterator[Document]:
    if _is_frame(inputs):
        yield from _from_frame(inputs, state)
        return
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    items = list(inputs)
    if items and all(isinstance(x, str) for x in items) and not any(
        _looks_like_path(x) for x in items
    ):
        for i, text in enumerate(items):
            yield Document(id=f"doc{i}", text=text)
        return
    for item in items:
        if isinstance(item, Document):
            yield item
        elif isinstance(item, (str, os.PathLike)):
            yield from _from_path(Path(item), state)
        else:
            state.report.skip(repr(item)[:80], f"unsupported input type {type(item).__name__}")


def _looks_like_path(s: str) -> bool:
    return len(s) < 4096 and "\n" not in s and (os.path.exists(s) or s.endswith(_ALL_SUFFIXES))


def _is_frame(obj) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


# -- tables ---------------------------------------------------------------------

def _from_frame(df, state: _State) -> Iterator[Document]:
    cols = state.columns
    if cols.text not in df.columns:
        raise InputError(f"DataFrame has no {cols.text!r} column (columns: {list(df.columns)})")
    names = [cols.text] + [c for c in cols.optional().values() if c in df.columns]
    for i, values in enumerate(df[names].itertuples(index=False, name=None)):
        doc = _row_document(dict(zip(names, values, strict=True)), f"doc{i}", state,
                            f"row {i}", path=None)
        if doc is not None:
            yield doc


def _row_document(row: dict, default_id: str, state: _State, where: str,
                  path: str | None) -> Document | None:
    """A document from one table row, or None (recorded as skipped)."""
    cols = state.columns
    raw_id = row.get(cols.doc)
    doc_id = str(raw_id) if _present(raw_id) else default_id
    text = row.get(cols.text)
    if not isinstance(text, str):
        if text is None or text != text:
            state.report.skip(f"{where} ({doc_id})", f"no text in column {cols.text!r}")
        else:
            state.report.skip(f"{where} ({doc_id})",
                              f"text is not a string ({type(text).__name__})")
        return None
    if not text.strip():
        state.report.skip(f"{where} ({doc_id})", "empty document")
        return None
    return Document(id=doc_id, text=text, source=_opt(row.get(cols.source)),
                    date=_opt(row.get(cols.date)), url=_opt(row.get(cols.url)), path=path)


def _present(v) -> bool:
    return v is not None and v == v and str(v) != ""


def _opt(v):
    return str(v) if _present(v) else None


def _missing_text(path: Path, found, state: _State) -> None:
    state.report.skip(path, f"no {state.columns.text!r} column (columns: {list(found)}); "
                            "name the text column with --text-column")


def _from_csv(path: Path, state: _State) -> Iterator[Document]:
    try:
        encoding = _sniff_encoding(path)
        fh = path.open(newline="", encoding=encoding, errors="strict")
    except (OSError, InputError) as e:
        state.report.skip(path, _reason(e))
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as e:
            state.report.skip(path, f"cannot read the header: {e}")
            return
        if not header:
            state.report.skip(path, "empty table")
            return
        header = [h.strip() for h in header]
        if state.columns.text not in header:
            _missing_text(path, header, state)
            return
        row_no = 0
        while True:
            row_no += 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as e:
                state.report.skip(f"{path}: row {row_no} (line {reader.line_num})",
                                  f"malformed CSV, rest of the file not read: {e}")
                return
            if not fields:
                continue
            if len(fields) != len(header):
                state.report.skip(f"{path}: row {row_no} (line {reader.line_num})",
                                  f"malformed CSV row: {len(fields)} fields, "
                                  f"header has {len(header)}")
                continue
            row = dict(zip(header, fields, strict=True))
            doc = _row_document(row, f"{path.stem}:{row_no}", state, f"{path}: row {row_no}",
                                str(path))
            if doc is not None:
                yield doc


def _from_jsonl(path: Path, state: _State) -> Iterator[Document]:
    try:
        encoding = _sniff_encoding(path)
        fh = path.open(encoding=encoding, errors="strict")
    except (OSError, InputError) as e:
        state.report.skip(path, _reason(e))
        return
    with fh:
        line_no = 0
        while True:
            try:
                line = fh.readline()
            except UnicodeDecodeError as e:
                state.report.skip(f"{path}: line {line_no + 1}",
                                  f"undecodable bytes, rest of the file not read: {e}")
                return
            if not line:
                break
            line_no += 1
            if not line.strip():
                continue
            where = f"{path}: line {line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                state.report.skip(where, f"invalid JSON: {e.msg} at column {e.colno}")
                continue
            if not isinstance(row, dict):
                state.report.skip(where, f"expected a JSON object, got {type(row).__name__}")
                continue
            if state.columns.text not in row:
                state.report.skip(where, f"no {state.columns.text!r} field "
                                         f"(fields: {list(row)[:10]})")
                continue
            doc = _row_document(row, f"{path.stem}:{line_no}", state, where, str(path))
            if doc is not None:
                yield doc


def _from_parquet(path: Path, state: _State) -> Iterator[Document]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        state.report.skip(path, "reading Parquet needs pyarrow: pip install 'geomap[parquet]'")
        return
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError...
        state.report.skip(path, f"not a readable Parquet file: {e}")
        return
    found = pf.schema_arrow.names
    if state.columns.text not in found:
        _missing_text(path, found, state)
        return
    wanted = [state.columns.text] + [c for c in state.columns.optional().values() if c in found]
    row_no = 0
    try:
        for batch in pf.iter_batches(batch_size=1024, columns=wanted):
            for row in batch.to_pylist():
                row_no += 1
                doc = _row_document(row, f"{path.stem}:{row_no}", state,
                                    f"{path}: row {row_no}", str(path))
                if doc is not None:
                    yield doc
    except Exception as e:
        state.report.skip(f"{path}: row {row_no + 1}", f"cannot read the rest of the file: {e}")


# -- files ----------------------------------------------------------------------

def _from_path(path: Path, state: _State) -> Iterator[Document]:
    if not path.exists():
        state.report.skip(path, "no such file or directory")
        return
    if path.is_dir():
        # by name (as paths in one folder sort); the directory entries tell
        # which are files, mostly without a stat call each
        with os.scandir(path) as entries:
            names = sorted(e.name for e in entries if e.is_file())
        names = [n for n in names
                 if os.path.splitext(n)[1].lower() in _ALL_SUFFIXES and n != SIDECAR]
        if not names:
            state.report.skip(path, f"folder has no {'/'.join(_ALL_SUFFIXES)} files")
            return
        meta = _read_sidecar(path / SIDECAR, state.report)
        # (paths as strings: thousands of files, each looked at a few times)
        folder = os.fspath(path)
        for name in names:
            yield from _from_file(name if folder == "." else os.path.join(folder, name),
                                  state, meta.get(name, {}))
        return
    meta = _read_sidecar(path.parent / SIDECAR, state.report)
    yield from _from_file(os.fspath(path), state, meta.get(path.name, {}))


def _from_file(path: str, state: _State, meta: dict) -> Iterator[Document]:
    stem, suffix = os.path.splitext(os.path.basename(path))
    suffix = suffix.lower()
    if suffix == ".csv":
        yield from _from_csv(Path(path), state)
        return
    if suffix in (".jsonl", ".ndjson"):
        yield from _from_jsonl(Path(path), state)
        return
    if suffix == ".parquet":
        yield from _from_parquet(Path(path), state)
        return
    report = state.report
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as e:
        report.skip(path, f"cannot read file: {e.strerror or e}")
        return
    try:
        text, encoding = decode(raw)
    except InputError as e:
        report.skip(path, str(e))
        return
    del raw
    if encoding not in ("utf-8", "ascii"):
        report.note(f"{path}: not UTF-8, read as {encoding}")
    if suffix in HTML_SUFFIXES:
        try:
            text = html_text(text)
        except InputError as e:
            report.skip(path, str(e))
            return
    yield Document(
        id=stem,
        text=text,
        source=meta.get("source") or None,
        date=meta.get("date") or None,
        url=meta.get("url") or None,
        path=path,
        encoding=encoding,
    )


def html_text(html: str) -> str:
    """The main text of an HTML page (trafilatura), without boilerplate.

    Raises :class:`InputError` when trafilatura is missing or finds no text.
    """
    try:
        import trafilatura
    except ImportError as e:
        raise InputError("reading HTML needs trafilatura: pip install 'geomap[html]'") from e
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True,
                                   favor_recall=True)
    except Exception as e:  # lxml errors on pathological markup
        raise InputError(f"cannot parse HTML: {e}") from e
    if not text or not text.strip():
        raise InputError("no main text found in the HTML page")
    return text


# -- decoding -------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_BOM_STARTS = frozenset(bom[:1] for bom, _ in _BOMS)   # (most files start otherwise)


def decode(raw: bytes) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (a BOM allowed, also UTF-16/32 with a BOM),
    else the encoding charset-normalizer detects (Windows-1252 preferred
    among equally good guesses), else Windows-1252.

    Returns ``(text, encoding)``; ``encoding`` is ``"utf-8"`` for UTF-8 with
    or without a BOM.

    Raises
    ------
    InputError
        Binary data (NUL bytes without a UTF-16/32 BOM) or bytes no encoding
        decodes.

    Examples
    --------
    >>> decode("Genève".encode("cp1252"))
    ('Genève', 'cp1252')
    """
    for bom, enc in _BOMS if raw[:1] in _BOM_STARTS else ():
        if raw.startswith(bom):
            try:
                return raw.decode(enc), "utf-8" if enc == "utf-8-sig" else enc
            except UnicodeDecodeError as e:
                raise InputError(f"undecodable bytes at offset {e.start} "
                                 f"(the file starts with a {enc} byte-order mark)") from e
    if b"\x00" in raw[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first = e
    enc = _detect(raw)
    try:
        return raw.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        pass
    raise InputError(f"undecodable bytes at offset {first.start} "
                     f"(tried UTF-8 and {enc})") from first


def _detect(raw: bytes) -> str:
    """The most likely legacy encoding of ``raw`` (charset-normalizer), default cp1252."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return "cp1252"
    sample = raw if len(raw) <= 1 << 20 else raw[: 1 << 20]
    results = list(from_bytes(sample, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le",
                                                    "utf_32", "utf_32_be", "utf_32_le"]))
    if not results:
        return "cp1252"
    best = results[0]
    # Short texts give ties: prefer Windows-1252, the usual legacy encoding of news.
    for r in results:
        if (r.encoding == "cp1252" and r.chaos <= best.chaos + 0.01
                and r.coherence >= best.coherence - 0.1):
            return "cp1252"
    return best.encoding


def _sniff_encoding(path: Path) -> str:
    """Encoding of a table file, judged on its first megabyte."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\x00" in head[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 4:  # a character cut by the sample's end
            return "utf-8"
    return _detect(head)


def _reason(e: Exception) -> str:
    if isinstance(e, OSError):
        return f"cannot read file: {e.strerror or e}"
    return str(e)


def _read_sidecar(path: Path, report: RunReport) -> dict[str, dict]:
    """Read ``sources.csv`` (``file,source,date,url``) if present."""
    if not path.is_file():
        return {}
    out: dict[str, dict] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "file" not in reader.fieldnames:
                report.note(f"{path}: no 'file' column, ignored")
                return {}
            for line, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                if not name:
                    report.note(f"{path}:{line}: empty 'file', row ignored")
                    continue
                out[name] = {k: (row.get(k) or "").strip() for k in ("source", "date", "url")}
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        report.note(f"{path}: cannot read sidecar ({e}), ignored")
    return out
