"""Documents: reading a collection of texts from files, tables, strings or frames.

Every input is accounted for: :func:`read_documents` yields the documents it
could read and records, in a :class:`~geomap.report.RunReport`, each file,
row or line it had to skip and why, and each folder entry it did not read
(a sub-folder, a file of another type), so that one bad input never costs the
others and nothing is left out silently. Reading streams: files and table rows
are read one at a time.

What is a text and what is a path
---------------------------------
* A ``str`` or :class:`os.PathLike` given **on its own** is a path, and must
  exist (else :class:`~geomap.errors.InputNotFoundError`, a
  :class:`FileNotFoundError`); a list of :class:`~pathlib.Path` values is a
  list of paths, each of which must exist.
* Every ``str`` **in a list** (or any other iterable) is a text, never a path:
  ``["Talks in Ankara.", "/etc/passwd"]`` is two texts.
* A list mixing ``str`` and ``Path`` values is ambiguous and a
  :class:`~geomap.errors.InputTypeError` (a :class:`TypeError`); so are
  ``bytes``: decode them first.
* An open binary file (``sys.stdin.buffer``) is read as one text document,
  named ``stdin`` or after its file name.
* A list or tuple is checked on the call; the items of another iterable (a
  generator) as they come: a ``str`` is a text, a ``Path`` a path (a missing
  one skipped in the report), ``bytes`` an :class:`InputTypeError`.

Inputs
------
* ``.txt`` / ``.md`` (and any file named explicitly): the text, decoded by
  :func:`geomap.decoding.decode` (UTF-8, mostly-UTF-8 with its bad bytes
  counted, UTF-16/32, else a detected legacy encoding, each with a note);
* ``.html`` / ``.htm``: the main text, extracted with trafilatura
  (``pip install geomap[html]``); offsets refer to the extracted text;
* ``.csv``, ``.jsonl`` / ``.ndjson``, ``.parquet``: one document per row, a
  ``text`` column and optional ``doc``, ``source``, ``date``, ``url`` columns
  (names configurable with :class:`Columns`); a malformed row is skipped by
  name and the rows after it are read (:mod:`geomap.csvrecords`);
* folders of any of these (a ``sources.csv`` sidecar, ``file,source,date,url``,
  gives the metadata of the text and HTML files). Folders are not read
  recursively: a sub-folder is reported as not read, as are files of other
  types;
* a list of texts, of :class:`Document` values, or a :class:`pandas.DataFrame`.

Refused, each with its reason in the report: paths that are not regular files
(FIFOs, devices, sockets: never opened for reading), dangling symbolic links and
link loops, unreadable files and folders, files (and table records) larger
than ``max_bytes`` (default :data:`MAX_BYTES`), binary files.

Duplicate document ids are made unique (``a``, ``a~2``...) with a note.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Any

from geomap.decoding import decode, replace_surrogates
from geomap.errors import InputError, InputNotFoundError, InputTypeError
from geomap.reading import (
    _BYTES,
    MAX_BYTES,
    Columns,
    Document,
    _missing,
    _not_regular,
    _open_regular,
    _read_bounded,
    _read_regular,
    _row_document,
    _short,
    _stat_problem,
    _State,
)
from geomap.report import RunReport, Skipped

__all__ = ["Document", "Columns", "RunReport", "Skipped", "read_documents", "decode",
           "html_text", "html_page", "HtmlPage", "MAX_BYTES", "TEXT_SUFFIXES", "HTML_SUFFIXES",
           "TABLE_SUFFIXES", "SIDECAR"]

#: File endings read as plain text.
TEXT_SUFFIXES = (".txt", ".md")
#: File endings read as HTML pages (main text extracted).
HTML_SUFFIXES = (".html", ".htm")
#: File endings read as tables, one document per row.
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
#: Name of the per-folder metadata sidecar: ``file,source,date,url``.
SIDECAR = "sources.csv"
_ALL_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES








def read_documents(inputs, report: RunReport | None = None, *, columns: Columns | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[Document]:
    """Yield :class:`Document` values from flexible inputs.

    Parameters
    ----------
    inputs
        A path (``str`` or :class:`os.PathLike`: a file or folder) given on
        its own, which must exist; a list of :class:`~pathlib.Path` values; a
        list of texts (every ``str`` in a list is a text, named ``doc0``,
        ``doc1``... by position); a list of :class:`Document`; an open binary
        file (one text); a :class:`pandas.DataFrame` with a ``text`` column
        (and optional ``doc``, ``source``, ``date``, ``url``).
    report
        Where processed documents, skipped inputs and folder entries not read
        are recorded, each with its reason; the rest are still yielded.
    columns
        Column names of table inputs, default ``text``, ``doc``...
    max_bytes
        Files larger than this (bytes) and table records larger than this
        (characters) are skipped with their size in the report.

    Raises
    ------
    InputNotFoundError
        A path given on its own, or a ``Path`` in a list, does not exist (also
        a :class:`FileNotFoundError`). Raised on the call, before anything is
        read.
    InputTypeError
        ``bytes``, a list mixing ``str`` texts and ``Path`` paths, or an input
        of no supported type (also a :class:`TypeError`).
    InputError
        A DataFrame without the text column.

    Examples
    --------
    >>> [d.id for d in read_documents(["Fighting near Shusha.", "Talks in Geneva."])]
    ['doc0', 'doc1']
    >>> read_documents("Talks in Geneva.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geomap.errors.InputNotFoundError: no such file or folder: 'Talks in Geneva.' (a str on ...
    """
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise InputTypeError(f"max_bytes must be a positive int, instead got: {max_bytes!r}")
    state = _State(report if report is not None else RunReport(), columns or Columns(),
                   max_bytes)
    return _accounted(_items(inputs, state), state)


def _accounted(docs: Iterator[Document], state: _State) -> Iterator[Document]:
    for doc in docs:
        text = doc.text
        if not text or text.isspace():      # (not text.strip(), without its copy)
            state.report.skip(doc.path or doc.id, "empty document")
            continue
        doc = _unique(_writable(doc, state), state)
        state.report.processed.append(doc.id)
        yield doc


def _writable(doc: Document, state: _State) -> Document:
    """``doc`` without lone surrogates (which no UTF-8 output can hold), with a note."""
    fields = (doc.id, doc.text, doc.source, doc.date, doc.url)
    if all(v is None or v.isascii() for v in fields):
        return doc
    ident, replaced = replace_surrogates(doc.id)
    text, n = replace_surrogates(doc.text)
    replaced += n
    meta: list[str | None] = []
    for v in (doc.source, doc.date, doc.url):
        if v is not None:
            v, n = replace_surrogates(v)
            replaced += n
        meta.append(v)
    if not replaced:
        return doc
    source, date, url = meta
    state.report.note(f"{doc.path or ident}: {replaced} lone surrogate"
                      f"{'s' if replaced != 1 else ''} (not text) read as U+FFFD")
    return Document(ident, text, source if doc.source != doc.id else None,
                    date, url, doc.path, doc.encoding)


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


# -- what the inputs are ----------------------------------------------------------



def _items(inputs, state: _State) -> Iterator[Document]:
    """Check ``inputs`` (on the call) and return the iterator of their documents."""
    if _is_frame(inputs):
        _check_frame(inputs, state.columns)
        return _from_frame(inputs, state)
    if isinstance(inputs, _BYTES):
        raise InputTypeError(f"{type(inputs).__name__} is not text: decode it first "
                             "(data.decode('utf-8')) and pass a list of texts, or write it "
                             "to a file and pass the file's Path")
    if isinstance(inputs, Document):
        return iter([inputs])
    if isinstance(inputs, (str, os.PathLike)):
        _must_exist([inputs], alone=True)
        return _from_path(_normal(inputs), state)
    if _is_stream(inputs):
        return _from_stream(inputs, 0, state)
    if not isinstance(inputs, Iterable) or isinstance(inputs, (Mapping, Set)):
        raise InputTypeError(f"cannot read documents from a {type(inputs).__name__}: give a "
                             "path, a list of texts, of Paths or of Documents, or a DataFrame")
    if isinstance(inputs, (list, tuple)):
        kinds = {_kind(item, i) for i, item in enumerate(inputs)}
        if {"text", "path"} <= kinds:
            raise InputTypeError("a list mixing texts (str) and paths (Path): every str in a "
                                 "list is a text; give paths as Path values in a list of "
                                 "their own, or texts as Document values")
        _must_exist([x for x in inputs if isinstance(x, os.PathLike)], alone=False)
    return _from_items(inputs, state)


def _kind(item, i: int) -> str:
    if isinstance(item, str):
        return "text"
    if isinstance(item, os.PathLike):
        return "path"
    if isinstance(item, _BYTES):
        raise InputTypeError(f"item {i} is {type(item).__name__}, not text: decode it first "
                             "(data.decode('utf-8'))")
    return "other"


def _must_exist(paths: list, *, alone: bool) -> None:
    """Raise :class:`InputNotFoundError` naming each of ``paths`` that does not exist."""
    missing = [p for p in paths if not _exists(p)]
    if not missing:
        return
    names = ", ".join(repr(os.fspath(p)) for p in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    how = ("a str on its own is a path; to read texts, pass a list of them: "
           f"[{_short(os.fspath(missing[0]))}]" if alone and isinstance(missing[0], str) else
           "to read texts, pass them as a list of str")
    raise InputNotFoundError(f"no such file or folder: {names}{more} ({how})")


def _normal(path) -> str:
    """``path`` as the string of its :class:`~pathlib.Path` (``./x/`` is ``x``)."""
    from pathlib import Path

    return os.fspath(Path(path))


def _exists(path) -> bool:
    """Whether ``path`` names something (a dangling link or a link loop counts: it is
    reported with its reason when read)."""
    try:
        os.lstat(path)
    except (OSError, ValueError):       # ENOENT, ENOTDIR, ENAMETOOLONG; NUL in the name
        return False
    return True




def _is_frame(obj) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def _is_stream(obj) -> bool:
    return callable(getattr(obj, "read", None)) and not isinstance(obj, (str, os.PathLike))


def _from_items(items: Iterable, state: _State) -> Iterator[Document]:
    for i, item in enumerate(items):
        kind = _kind(item, i)
        if kind == "text":
            yield Document(id=f"doc{i}", text=item)
        elif kind == "path":
            yield from _from_path(_normal(item), state)
        elif isinstance(item, Document):
            yield item
        elif _is_stream(item):
            yield from _from_stream(item, i, state)
        elif _missing(item):
            state.report.skip(f"item {i}", "no text (a missing value)")
        else:
            state.report.skip(f"item {i}", f"not a text ({type(item).__name__}); "
                                           "give texts as str")


# -- files and folders --------------------------------------------------------------







def _from_path(path: str, state: _State) -> Iterator[Document]:
    for file, meta in _path_files(path, state):
        yield from _from_file(file, state, meta)


def _path_files(path: str, state: _State) -> Iterator[tuple[str, dict]]:
    """The files ``path`` (a file or a folder) stands for, each with its
    ``sources.csv`` metadata, in reading order; what cannot be read is
    recorded in ``state.report`` (the dask engine's workers read the files)."""
    try:
        st = os.stat(path)
    except OSError as e:
        state.report.skip(path, _stat_problem(path, e))
        return
    except ValueError:
        state.report.skip(repr(path), "not a file name (it holds a NUL character)")
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _folder_files(path, state)
    elif stat.S_ISREG(st.st_mode):
        head, name = os.path.split(path)
        yield path, _sidecar(head or ".", state).get(name, {})
    else:
        state.report.skip(path, _not_regular(st.st_mode))


def _folder_files(folder: str, state: _State) -> Iterator[tuple[str, dict]]:
    report = state.report
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        report.skip(folder, f"cannot read folder: {e.strerror or e}")
        return
    files = []
    for entry in entries:
        # (paths as strings: thousands of files, each looked at a few times)
        path = entry.name if folder == "." else os.path.join(folder, entry.name)
        if entry.name == SIDECAR:
            continue
        try:
            if entry.is_file():          # mostly from the directory entry, no stat call
                regular, mode = True, 0
            else:
                mode = os.stat(path).st_mode
                regular = stat.S_ISREG(mode)
        except OSError as e:
            report.skip(path, _stat_problem(path, e))
            continue
        if stat.S_ISDIR(mode):
            report.ignore(path, "sub-folder, not read (folders are not read recursively; "
                                "give it as an input of its own)")
        elif not regular:
            report.skip(path, _not_regular(mode))
        elif os.path.splitext(entry.name)[1].lower() not in _ALL_SUFFIXES:
            report.ignore(path, f"not a document type, not read (geomap reads "
                                f"{' '.join(_ALL_SUFFIXES)})")
        else:
            files.append((entry.name, path))
    if not files:
        report.skip(folder, f"folder has no {'/'.join(_ALL_SUFFIXES)} files")
        return
    meta = _sidecar(folder, state)
    for name, path in files:
        yield path, meta.get(name, {})








def _from_file(path: str, state: _State, meta: dict) -> Iterator[Document]:
    stem, suffix = os.path.splitext(os.path.basename(path))
    suffix = suffix.lower()
    if suffix in TABLE_SUFFIXES:
        from geomap import tables

        read = {".csv": tables.from_csv, ".parquet": tables.from_parquet}.get(
            suffix, tables.from_jsonl)
        yield from read(path, state)
        return
    report = state.report
    try:
        raw = _read_regular(path, state.max_bytes)
        got = decode(raw)
    except InputError as e:
        report.skip(path, str(e))
        return
    except OSError as e:
        report.skip(path, f"cannot read file: {e.strerror or e}")
        return
    del raw
    text = got.text
    _decoding_notes(path, got.encoding, got.replaced, report)
    if suffix not in HTML_SUFFIXES:
        yield Document(stem, text, meta.get("source") or None, meta.get("date") or None,
                       meta.get("url") or None, path, got.encoding)
        return
    try:
        page = html_page(text)
    except InputError as e:
        report.skip(path, str(e))
        return
    # sources.csv first, then the page's own metadata
    yield Document(
        id=stem,
        text=page.text,
        source=meta.get("source") or page.site,
        date=meta.get("date") or page.date,
        url=meta.get("url") or page.url,
        path=path,
        encoding=got.encoding,
    )


def _decoding_notes(where: str, encoding: str, replaced: int, report: RunReport) -> None:
    if encoding not in ("utf-8", "ascii"):
        report.note(f"{where}: not UTF-8, read as {encoding}")
    if replaced:
        report.note(f"{where}: {replaced} undecodable byte{'s' if replaced != 1 else ''} "
                    f"read as U+FFFD ({encoding})")


def _from_stream(fh, i: int, state: _State) -> Iterator[Document]:
    """One text document from an open file (``sys.stdin.buffer``)."""
    name = getattr(fh, "name", None)
    where = "stdin" if name in ("<stdin>", 0) else (
        os.fspath(name) if isinstance(name, (str, os.PathLike)) else f"item {i}")
    doc_id = "stdin" if where == "stdin" else (
        os.path.splitext(os.path.basename(where))[0] if isinstance(name, (str, os.PathLike))
        else f"doc{i}")
    try:
        raw = _read_bounded(fh, state.max_bytes)
    except InputError as e:
        state.report.skip(where, str(e))
        return
    except OSError as e:
        state.report.skip(where, f"cannot read: {e.strerror or e}")
        return
    if isinstance(raw, str):
        yield Document(doc_id, raw)
        return
    try:
        got = decode(bytes(raw))
    except InputError as e:
        state.report.skip(where, str(e))
        return
    _decoding_notes(where, got.encoding, got.replaced, state.report)
    yield Document(doc_id, got.text, encoding=got.encoding)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """The main text of an HTML page and what its metadata says (each ``None``
    when it does not say): ``date`` (ISO ``YYYY-MM-DD``), ``site`` (the site's
    name, else its host name) and ``url`` (its canonical address)."""

    text: str
    date: str | None = None
    site: str | None = None
    url: str | None = None


#: Longest metadata value kept from a page (a longer one is cut)
_META_CHARS = 2000


def _meta(value) -> str | None:
    """A metadata value on one line, bounded; ``None`` when empty."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:_META_CHARS]
    return value or None


def html_page(html: str) -> HtmlPage:
    """The main text of an HTML page (trafilatura), without boilerplate, and
    its date, site name and URL from the page's metadata.

    Raises :class:`InputError` when trafilatura is missing or finds no text.
    """
    try:
        import trafilatura
    except ImportError as e:
        raise InputError("reading HTML needs trafilatura: pip install 'geomap[html]'") from e
    try:
        doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                          favor_recall=True, with_metadata=True)
    except Exception as e:  # lxml errors on pathological markup
        raise InputError(f"cannot parse HTML: {e}") from e

    def get(key: str) -> Any:
        if isinstance(doc, dict):                  # trafilatura 1.x
            return doc.get(key)
        return getattr(doc, key, None)

    text = get("text") if doc is not None else None
    if not text or not text.strip():
        raise InputError("no main text found in the HTML page")
    return HtmlPage(text, _meta(get("date")), _meta(get("sitename")) or _meta(get("hostname")),
                    _meta(get("url")))


def html_text(html: str) -> str:
    """The main text of an HTML page (:func:`html_page`).

    Raises :class:`InputError` when trafilatura is missing or finds no text.
    """
    return html_page(html).text


def _sidecar(folder: str, state: _State) -> dict[str, dict]:
    """The ``sources.csv`` metadata of ``folder`` (read once per run)."""
    if folder not in state.sidecars:
        state.sidecars[folder] = _read_sidecar(os.path.join(folder, SIDECAR), state)
    return state.sidecars[folder]


def _read_sidecar(path: str, state: _State) -> dict[str, dict]:
    """Read ``sources.csv`` (``file,source,date,url``) if present."""
    import csv

    report = state.report
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno != errno.ENOENT or os.path.islink(path):
            report.note(f"{path}: {_stat_problem(path, e)}, ignored")
        return {}
    if not stat.S_ISREG(st.st_mode):
        if not stat.S_ISDIR(st.st_mode):
            report.note(f"{path}: {_not_regular(st.st_mode)}, ignored")
        return {}
    out: dict[str, dict] = {}
    try:
        fh, size = _open_regular(path, state.max_bytes)
        with fh:
            text = decode(_read_bounded(fh, state.max_bytes, size)).text
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames is None or "file" not in reader.fieldnames:
            report.note(f"{path}: no 'file' column, ignored")
            return {}
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                report.note(f"{path}:{line}: empty 'file', row ignored")
                continue
            out[name] = {k: (row.get(k) or "").strip() for k in ("source", "date", "url")}
    except (OSError, InputError, csv.Error) as e:
        report.note(f"{path}: cannot read sidecar ({e}), ignored")
    return out


# -- table rows (CSV, JSON Lines, Parquet and DataFrame rows: geomap.tables) -------

def _check_frame(df, cols: Columns) -> None:
    if cols.text not in df.columns:
        raise InputError(f"DataFrame has no {cols.text!r} column (columns: {list(df.columns)})")


def _from_frame(df, state: _State) -> Iterator[Document]:
    cols = state.columns
    names = [cols.text] + [c for c in cols.optional().values() if c in df.columns]
    for i, values in enumerate(df[names].itertuples(index=False, name=None)):
        doc = _row_document(dict(zip(names, values, strict=True)), f"doc{i}", state,
                            f"row {i}", path=None)
        if doc is not None:
            yield doc






