"""Documents: reading a collection of texts from files, strings or frames.

Every input is accounted for: :func:`read_documents` yields the documents it
could read and records, in a :class:`RunReport`, each one it had to skip and
why, so that one bad file never costs the others.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError

__all__ = ["Document", "RunReport", "Skipped", "read_documents", "TEXT_SUFFIXES"]

#: File endings read as plain text when a folder is given.
TEXT_SUFFIXES = (".txt", ".md")
#: Name of the per-folder metadata sidecar: ``file,source,date,url``.
SIDECAR = "sources.csv"


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
class Skipped:
    """An input that could not be processed, and why."""

    input: str
    reason: str


@dataclass
class RunReport:
    """What happened to every input of a run.

    ``processed`` holds document ids, ``skipped`` the inputs that failed with
    their reasons, ``notes`` anything worth telling (e.g. a fallback encoding).
    """

    processed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append(Skipped(str(what), reason))

    def to_dict(self) -> dict:
        return {
            "processed": len(self.processed),
            "skipped": len(self.skipped),
            "documents": list(self.processed),
            "errors": [{"input": s.input, "reason": s.reason} for s in self.skipped],
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        return f"{len(self.processed)} documents processed, {len(self.skipped)} skipped"


def read_documents(inputs, report: RunReport | None = None) -> Iterator[Document]:
    """Yield :class:`Document` values from flexible inputs.

    Parameters
    ----------
    inputs
        A path (file or folder) or a list of paths; a single string that is
        not an existing path is *not* guessed at: pass texts as a list of
        :class:`Document` or use a :class:`pandas.DataFrame` with a ``text``
        column (and optional ``doc``, ``source``, ``date``, ``url``). A list
        of plain strings is read as texts when none of them is an existing
        path, and named ``doc0``, ``doc1``...
    report
        Where skipped inputs are recorded. Inputs that fail are skipped with a
        reason; the rest are still yielded.

    Examples
    --------
    >>> [d.id for d in read_documents(["Fighting near Shusha.", "Talks in Geneva."])]
    ['doc0', 'doc1']
    """
    report = report if report is not None else RunReport()
    for doc in _iter_inputs(inputs, report):
        if not doc.text.strip():
            report.skip(doc.path or doc.id, "empty document")
            continue
        report.processed.append(doc.id)
        yield doc


def _iter_inputs(inputs, report: RunReport) -> Iterator[Document]:
    if _is_frame(inputs):
        yield from _from_frame(inputs, report)
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
            yield from _from_path(Path(item), report)
        else:
            report.skip(repr(item)[:80], f"unsupported input type {type(item).__name__}")


def _looks_like_path(s: str) -> bool:
    return len(s) < 4096 and "\n" not in s and (os.path.exists(s) or s.endswith(TEXT_SUFFIXES))


def _is_frame(obj) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def _from_frame(df, report: RunReport) -> Iterator[Document]:
    if "text" not in df.columns:
        raise InputError(f"DataFrame has no 'text' column (columns: {list(df.columns)})")
    cols = {c: (c in df.columns) for c in ("doc", "source", "date", "url")}
    for i, row in enumerate(df.itertuples(index=False)):
        rec = row._asdict()
        doc_id = str(rec["doc"]) if cols["doc"] and _present(rec["doc"]) else f"doc{i}"
        text = rec["text"]
        if not isinstance(text, str):
            report.skip(f"row {i} ({doc_id})", "text is not a string")
            continue
        yield Document(
            id=doc_id,
            text=text,
            source=_opt(rec, "source", cols),
            date=_opt(rec, "date", cols),
            url=_opt(rec, "url", cols),
        )


def _present(v) -> bool:
    return v is not None and v == v and str(v) != ""


def _opt(rec, key, cols):
    if not cols[key]:
        return None
    v = rec[key]
    return str(v) if _present(v) else None


def _from_path(path: Path, report: RunReport) -> Iterator[Document]:
    if not path.exists():
        report.skip(path, "no such file or directory")
        return
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES)
        if not files:
            report.skip(path, f"folder has no {'/'.join(TEXT_SUFFIXES)} files")
            return
        meta = _read_sidecar(path / SIDECAR, report)
        for f in files:
            yield from _from_file(f, report, meta.get(f.name, {}))
        return
    meta = _read_sidecar(path.parent / SIDECAR, report)
    yield from _from_file(path, report, meta.get(path.name, {}))


def _from_file(path: Path, report: RunReport, meta: dict) -> Iterator[Document]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        report.skip(path, f"cannot read file: {e.strerror or e}")
        return
    try:
        text, encoding = decode(raw)
    except InputError as e:
        report.skip(path, str(e))
        return
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        report.notes.append(f"{path}: not UTF-8, read as {encoding}")
    yield Document(
        id=path.stem,
        text=text,
        source=meta.get("source") or None,
        date=meta.get("date") or None,
        url=meta.get("url") or None,
        path=str(path),
        encoding=encoding,
    )


def decode(raw: bytes) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (BOM allowed) first, then Windows-1252.

    Raises :class:`InputError` for binary data (NUL bytes).
    """
    if b"\x00" in raw[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as e:
        raise InputError(f"undecodable bytes at offset {e.start} (tried UTF-8, cp1252)") from e


def _read_sidecar(path: Path, report: RunReport) -> dict[str, dict]:
    """Read ``sources.csv`` (``file,source,date,url``) if present."""
    if not path.is_file():
        return {}
    out: dict[str, dict] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "file" not in reader.fieldnames:
                report.notes.append(f"{path}: no 'file' column, ignored")
                return {}
            for line, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                if not name:
                    report.notes.append(f"{path}:{line}: empty 'file', row ignored")
                    continue
                out[name] = {k: (row.get(k) or "").strip() for k in ("source", "date", "url")}
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        report.notes.append(f"{path}: cannot read sidecar ({e}), ignored")
    return out
