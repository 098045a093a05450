"""Streaming, atomic output of mention records (JSON Lines or CSV).

Records are formatted where they are made (in worker processes, when there
are any) and appended as text; the file appears under its name only when the
run completes (:func:`gazetteer.atomic.atomic_file`: a temp file in the same
folder, synced, then :func:`os.replace`), so a killed run never leaves a
half-written file that looks complete.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
from collections.abc import Iterable
from json.encoder import encode_basestring as _encode_basestring
from pathlib import Path
from typing import Any

from geomap.admins import AdminNames
from geomap.csvcells import quote, text_cell
from geomap.features import feature_name
from geomap.files import atomic_file
from geomap.mentions import COLUMNS, PLACE_COLUMNS, Mention, display_name

__all__ = ["FORMATS", "format_mentions", "header", "MentionWriter"]

FORMATS = ("jsonl", "csv")


def format_mentions(mentions: Iterable[Mention], fmt: str, *,
                    neutralize_formulas: bool = True, gazetteer=None) -> str:
    """The mentions as text in format ``fmt`` (``"jsonl"`` or ``"csv"``, no header).

    JSON Lines: one record per line for any line reader (every character
    :meth:`str.splitlines` breaks at is escaped in strings). CSV: text cells
    quoted, numbers and missing values bare, and, unless
    ``neutralize_formulas`` is false, a text cell that a spreadsheet would
    take for a formula prefixed with ``'`` (:mod:`geomap.csvcells`).
    ``gazetteer`` (the one the places came from) gives the divisions' names
    (:class:`~geomap.admins.AdminNames`); without it they are empty.

    Examples
    --------
    >>> format_mentions([Mention(doc="a", start=0, end=6, text="Geneva")], "csv")[:16]
    '"a","a",,,0,6,"G'
    >>> print(format_mentions([Mention(doc="=1+1", start=0, end=6, text="Geneva")], "csv"))
    "'=1+1","'=1+1",,,0,6,"Geneva",,,,,,,,,,,,,,,,0.0,"name","",0
    <BLANKLINE>
    """
    names = _admin_names(gazetteer)
    if fmt == "jsonl":
        return _json_lines(mentions, names)
    if fmt == "csv":
        return _csv_lines(mentions, neutralize_formulas, names)
    raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")


_json_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
#: The line breaks (for str.splitlines) that JSON leaves raw, and their escapes
#: (the encoder escapes the others, control characters)
_RAW_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _no_breaks(encoded: str) -> str:
    """JSON text with the line breaks it holds raw (only in strings) escaped
    (callers skip ASCII text, which holds none)."""
    for raw, escaped in _RAW_BREAKS:
        if raw in encoded:
            encoded = encoded.replace(raw, escaped)
    return encoded


def _encode(value) -> str:
    """``value`` as JSON on one line for any line reader."""
    text = _json_encode(value)
    return text if text.isascii() else _no_breaks(text)


_PLACE_FIELDS = PLACE_COLUMNS
#: Each place column's name as a JSON member's start ('"name": ')
_PLACE_KEYS = tuple(f"{_encode(k)}: " for k in _PLACE_FIELDS)
_NO_PLACE = ", ".join(f"{k}null" for k in _PLACE_KEYS)
#: What follows '"display_name": ' in a record without a place
_UNPLACED = f"null, {_NO_PLACE}"
_PLACES: dict = {}          # id(place) -> (place, names, its JSON fields), bounded
#: The AdminNames of each gazetteer formatted with (id -> (gazetteer, names)), and without
_NAMES: dict = {}
_NO_GAZETTEER = AdminNames()


def _admin_names(gazetteer) -> AdminNames:
    """The (cached) :class:`~geomap.admins.AdminNames` of ``gazetteer``."""
    if gazetteer is None:
        return _NO_GAZETTEER
    known = _NAMES.get(id(gazetteer))
    if known is None or known[0] is not gazetteer:
        if len(_NAMES) >= 16:
            _NAMES.clear()
        known = _NAMES[id(gazetteer)] = (gazetteer, AdminNames(gazetteer))
    return known[1]


def _place_values(place, names: AdminNames) -> tuple:
    """The values of the place columns (:data:`~geomap.mentions.PLACE_COLUMNS`)."""
    a = names.of(place)
    return (place.name, place.id, place.geonameid, place.lat, place.lon, place.country_code,
            a.country_name, a.admin1_code, a.admin1_name, a.admin2_code, a.admin2_name,
            place.feature_class, place.feature_code,
            feature_name(place.feature_code, place.feature_class))


def _json(value) -> str:
    """``value`` as :func:`json.dumps` writes it (``ensure_ascii=False``), a
    non-finite float as ``null``; the common types without the encoder's set-up."""
    kind = type(value)
    if kind is str:
        text = _encode_basestring(value)
        return text if text.isascii() else _no_breaks(text)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    if value is None:
        return "null"
    return _encode(value)


def _place_json(place, names: AdminNames) -> str:
    """The place columns of a record as JSON members, cached per place."""
    if place is None:
        return _NO_PLACE
    return _place_entry(place, names)[2]


def _place_entry(place, names: AdminNames) -> tuple:
    """``(place, names, its columns as JSON members, its name, the name's
    display_name as JSON and those members, the name as JSON)``, cached per
    place: the fifth is what follows ``"display_name": `` when the name is
    written as the place's (:func:`~geomap.mentions.display_name` is then the
    name, whatever the kind), the last the mention's ``text`` then."""
    # by the object (hashing a place hashes all its fields); the entry holds
    # the place, so that its id is not reused while the entry is there
    known = _PLACES.get(id(place))
    if known is not None and known[0] is place and known[1] is names:
        return known
    if len(_PLACES) >= 65536:
        _PLACES.clear()
    values = _place_values(place, names)
    text = ", ".join([k + _json(v) for k, v in zip(_PLACE_KEYS, values)])
    name = place.name
    named = _json(name)
    known = _PLACES[id(place)] = (place, names, text, name, f"{named}, {text}", named)
    return known


#: (text, name, kind) -> display_name as JSON, and as a CSV cell (per neutralize_formulas)
_DISPLAY: dict = {"json": {}, True: {}, False: {}}


def _display(text, place, kind, how) -> str:
    """The mention's ``display_name`` (:func:`~geomap.mentions.display_name`)
    formatted ``how`` (``"json"``, or a CSV cell neutralised or not), cached."""
    if place is None:
        return "null" if how == "json" else ""
    name = place.name
    # the usual case, the name as the place's: the name whatever the kind
    key = text if text == name else (text, name, kind)
    cache = _DISPLAY[how]
    shown = cache.get(key)
    if shown is None:
        if len(cache) >= 65536:
            cache.clear()
        value = display_name(text, name, kind)
        shown = cache[key] = _json(value) if how == "json" else _csv_text(value, how)
    return shown


_UNSET: Any = object()
#: A score's JSON (its repr) by its value, bounded: scores are rounded to 4
#: decimals, so a run writes few distinct ones, and writing a float costs
#: more than finding it
_SCORES: dict[float, str] = {}


def _score_repr(score: float) -> str:
    """``repr(score)`` (a finite float), kept in :data:`_SCORES`."""
    if len(_SCORES) >= 65536:
        _SCORES.clear()
    written = _SCORES[score] = float.__repr__(score)
    return written


def _json_lines(mentions: Iterable[Mention], names: AdminNames = _NO_GAZETTEER) -> str:
    """JSON Lines records: for each mention the same text as
    ``json.dumps(m.as_record())`` with non-finite numbers as ``null``, built
    from pieces, and with the characters :meth:`str.splitlines` breaks at
    that JSON leaves raw (U+0085, U+2028, U+2029) escaped: one record per
    line for any line reader. A place's part is encoded once
    (:func:`_place_json`); the document's fields, the sentence and the kind,
    once for the mentions in a row that share them (the mentions of one
    document, of one sentence).
    """
    lines: list[str] = []
    append = lines.append
    places = _PLACES
    scores = _SCORES
    doc = source = date = url = sentence = kind = _UNSET
    head = said = kind_json = ""
    # a number's own value in the usual case (the f-string writes it), its JSON otherwise
    start: Any
    end: Any
    score: Any
    at: Any
    for m in mentions:
        if m.doc is not doc or m.source is not source or m.date is not date or m.url is not url:
            doc, source, date, url = m.doc, m.source, m.date, m.url
            head = (f'{{"doc": {_json(doc)}, "source": {_json(doc if source is None else source)}, '
                    f'"date": {_json(date)}, "url": {_json(url)}, "start": ')
        if m.sentence is not sentence and m.sentence != sentence:
            sentence = m.sentence
            if type(sentence) is str:       # (as _json writes it, without its call)
                said = _encode_basestring(sentence)
                if not said.isascii():
                    said = _no_breaks(said)
            else:
                said = _json(sentence)
        if m.kind is not kind:
            kind = m.kind
            kind_json = _json(kind)
        start, end, text, score, at = m.start, m.end, m.text, m.score, m.sentence_start
        place = m.place
        written = None          # the text's JSON, when known
        if place is None:
            placed = _UNPLACED
        else:
            known = places.get(id(place))
            if known is None or known[0] is not place or known[1] is not names:
                known = _place_entry(place, names)
            if text == known[3] and type(text) is str:
                placed = known[4]
                written = known[5]
            else:
                placed = f"{_display(text, place, kind, 'json')}, {known[2]}"
        if (type(start) is int and type(end) is int and type(at) is int and type(text) is str
                and type(score) is float and score - score == 0.0):
            # the usual types: the f-string writes the numbers as json.dumps does,
            # the score (one of few values: rounded) as its kept repr
            shown = scores.get(score)
            if shown is None or score == 0.0:       # (0.0 and -0.0 are one key)
                shown = _score_repr(score)
            score = shown
            if written is not None:
                text = written
            else:
                text = _encode_basestring(text)
                if not text.isascii():
                    text = _no_breaks(text)
        else:
            start, end, text, score, at = map(_json, (start, end, text, score, at))
        append(f'{head}{start}, "end": {end}, "text": {text}, "display_name": {placed}, '
               f'"score": {score}, "kind": {kind_json}, "sentence": {said}, '
               f'"sentence_start": {at}}}\n')
    return "".join(lines)


_NO_PLACE_CSV = "," * (len(_PLACE_FIELDS) - 1)
_PLACES_CSV: dict = {True: {}, False: {}}     # as _PLACES, per neutralize_formulas


def _csv_number(value) -> str:
    """A number as the csv module writes it; a missing or non-finite one empty."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else ""
    if value is None:
        return ""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return str(value)


def _csv_text(value, neutral: bool) -> str:
    """A text column's cell: quoted text (:func:`~geomap.csvcells.text_cell`),
    a number bare (an id given as one), a missing value empty."""
    if type(value) is str:
        return text_cell(value, neutralize_formulas=neutral)
    if value is None or isinstance(value, (int, float)):
        return _csv_number(value)
    return text_cell(str(value), neutralize_formulas=neutral)


#: Which place columns are numbers (written bare), the others text (quoted)
_PLACE_NUMBERS = tuple(c in ("place_id", "geonameid", "lat", "lon") for c in _PLACE_FIELDS)


def _place_csv(place, neutral: bool, names: AdminNames) -> str:
    """The place columns of a CSV record, cached per place."""
    if place is None:
        return _NO_PLACE_CSV
    cache = _PLACES_CSV[neutral]
    known = cache.get(id(place))
    if known is not None and known[0] is place and known[1] is names:
        return known[2]
    if len(cache) >= 65536:
        cache.clear()
    text = ",".join(_csv_number(v) if number else _csv_text(v, neutral)
                    for v, number in zip(_place_values(place, names), _PLACE_NUMBERS))
    cache[id(place)] = (place, names, text)
    return text


def _csv_lines(mentions: Iterable[Mention], neutral: bool,
               names: AdminNames = _NO_GAZETTEER) -> str:
    """CSV records in :data:`~geomap.mentions.COLUMNS` order, built from
    pieces as :func:`_json_lines` builds its records."""
    lines = []
    doc = source = date = url = sentence = kind = _UNSET
    head = said = kind_cell = ""
    for m in mentions:
        if m.doc is not doc or m.source is not source or m.date is not date or m.url is not url:
            doc, source, date, url = m.doc, m.source, m.date, m.url
            head = ",".join((_csv_text(doc, neutral),
                             _csv_text(doc if source is None else source, neutral),
                             _csv_text(date, neutral), _csv_text(url, neutral), ""))
        if m.sentence is not sentence and m.sentence != sentence:
            sentence = m.sentence
            said = _csv_text(sentence, neutral)
        if m.kind is not kind:
            kind = m.kind
            kind_cell = _csv_text(kind, neutral)
        text, place = m.text, m.place
        lines.append(f"{head}{_csv_number(m.start)},{_csv_number(m.end)},"
                     f"{_csv_text(text, neutral)},"
                     f"{_display(text, place, kind, neutral)},"
                     f"{_place_csv(place, neutral, names)},"
                     f"{_csv_number(m.score)},{kind_cell},{said},"
                     f"{_csv_number(m.sentence_start)}\n")
    return "".join(lines)


def header(fmt: str) -> str:
    """What the output starts with (the CSV header line)."""
    return ",".join(COLUMNS) + "\n" if fmt == "csv" else ""


class MentionWriter:
    """Append formatted records to ``path`` (or stdout when ``path`` is None),
    as UTF-8.

    Use as a context manager: the file is written atomically
    (:func:`gazetteer.atomic.atomic_file`), moved into place on a clean exit
    and its temporary file removed on an error.
    """

    def __init__(self, path: str | os.PathLike | None, fmt: str = "jsonl"):
        if fmt not in FORMATS:
            raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")
        self.path = Path(path) if path is not None else None
        self.fmt = fmt
        self._file = contextlib.ExitStack()
        self._fh: Any = None

    def __enter__(self) -> MentionWriter:
        if self.path is None:
            # the bytes go to stdout's buffer, after what its text layer holds;
            # a stdout without one (a notebook's) takes text
            sys.stdout.flush()
            self._fh = getattr(sys.stdout, "buffer", None) or sys.stdout
        else:
            self._fh = self._file.enter_context(atomic_file(self.path))
        self.write(header(self.fmt))
        return self

    def write(self, data: bytes | str) -> None:
        """Append ``data``: UTF-8 bytes (as the engines send records) or text."""
        if not data:
            return
        if self._fh is sys.stdout:
            self._fh.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        else:
            self._fh.write(data.encode("utf-8") if isinstance(data, str) else data)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.path is None:
            self._fh.flush()
            return
        self._file.__exit__(exc_type, exc, tb)
