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
from json.encoder import encode_basestring as _encode_str
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
        return "".join(map(_json_line, mentions))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for m in mentions:
            r = _clean(m.as_record())
            w.writerow(r[c] for c in COLUMNS)
        return buf.getvalue()
    raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_PLACE_FIELDS = COLUMNS[COLUMNS.index("name"):COLUMNS.index("feature_code") + 1]
_NO_PLACE = ", ".join(f"{_encode(k)}: null" for k in _PLACE_FIELDS)
_PLACES: dict = {}          # place -> its JSON fields, bounded


def _json(value) -> str:
    """``value`` as :func:`json.dumps` writes it (``ensure_ascii=False``), a
    non-finite float as ``null``; the common types without the encoder's set-up."""
    kind = type(value)
    if kind is str:
        return _encode_str(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    if value is None:
        return "null"
    return _encode(value)


def _place_json(place) -> str:
    """The place columns of a record as JSON members, cached per place."""
    if place is None:
        return _NO_PLACE
    text = _PLACES.get(place)
    if text is None:
        if len(_PLACES) >= 65536:
            _PLACES.clear()
        values = (place.name, place.id, place.geonameid, place.lat, place.lon,
                  place.country_code, place.feature_class, place.feature_code)
        text = _PLACES[place] = ", ".join(
            f"{_encode(k)}: {_json(v)}" for k, v in zip(_PLACE_FIELDS, values))
    return text


def _json_line(m: Mention) -> str:
    """One JSON Lines record: the same text as ``json.dumps(m.as_record())``
    with non-finite numbers as ``null``, built from pieces (a place's part is
    encoded once)."""
    source = m.source if m.source is not None else m.doc
    return (f'{{"doc": {_json(m.doc)}, "source": {_json(source)}, "date": {_json(m.date)}, '
            f'"url": {_json(m.url)}, "start": {_json(m.start)}, "end": {_json(m.end)}, '
            f'"text": {_json(m.text)}, {_place_json(m.place)}, "score": {_json(m.score)}, '
            f'"kind": {_json(m.kind)}, "sentence": {_json(m.sentence)}, '
            f'"sentence_start": {_json(m.sentence_start)}}}\n')


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
