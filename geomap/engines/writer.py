"""Streaming, atomic output of mention records (JSON Lines or CSV).

Records are formatted where they are made (in worker processes, when there
are any) and appended as text; the file appears under its name only when the
run completes (temp file in the same folder + :func:`os.replace`), so a killed
run never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from geomap.mentions import COLUMNS, Mention

__all__ = ["FORMATS", "format_mentions", "header", "MentionWriter"]

FORMATS = ("jsonl", "csv")


def _clean(record: dict) -> dict:
    for k in ("lat", "lon", "score"):
        v = record[k]
        if v is not None and not math.isfinite(v):
            record[k] = None
    return record


def format_mentions(mentions: Iterable[Mention], fmt: str) -> str:
    """The mentions as text in format ``fmt`` (``"jsonl"`` or ``"csv"``, no header).

    Examples
    --------
    >>> format_mentions([Mention(doc="a", start=0, end=6, text="Geneva")], "csv")[:9]
    'a,a,,,0,6'
    """
    if fmt == "jsonl":
        dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        return "".join(dumps(_clean(m.as_record())) + "\n" for m in mentions)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for m in mentions:
            r = _clean(m.as_record())
            w.writerow(r[c] for c in COLUMNS)
        return buf.getvalue()
    raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")


def header(fmt: str) -> str:
    """What the output starts with (the CSV header line)."""
    return ",".join(COLUMNS) + "\n" if fmt == "csv" else ""


class MentionWriter:
    """Append formatted text to ``path`` (or stdout when ``path`` is None).

    Use as a context manager: the file is moved into place on a clean exit
    and the temp file removed on an error.
    """

    def __init__(self, path: str | os.PathLike | None, fmt: str = "jsonl"):
        if fmt not in FORMATS:
            raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")
        self.path = Path(path) if path is not None else None
        self.fmt = fmt
        self._tmp = None
        self._fh = None

    def __enter__(self) -> MentionWriter:
        if self.path is None:
            self._fh = sys.stdout
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._fh.write(header(self.fmt))
        return self

    def write(self, text: str) -> None:
        if text:
            self._fh.write(text)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.path is None:
            self._fh.flush()
            return
        try:
            self._fh.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
        finally:
            if exc_type is not None or not self.path.exists():
                Path(self._tmp).unlink(missing_ok=True)
