"""The error log of an evaluation: one readable row per mistake.

Kinds of mistake, per gold toponym or predicted mention:

``missed``
    a gold toponym no prediction overlaps (recognition false negative);
``spurious``
    a prediction that overlaps no gold toponym (recognition false positive);
``boundary``
    a prediction overlaps a gold toponym but its span differs (counts for
    lenient recognition, against strict recognition);
``unresolved``
    a recognised toponym with gold coordinates and no predicted place;
``misplaced``
    a recognised toponym resolved more than 161 km from the gold place.

A boundary error can come with an unresolved or misplaced one for the same
toponym.  The log is a TSV file (UTF-8, tab-separated, one header line,
tabs and newlines in text replaced by spaces), sorted by document and
offset, which reads well in a spreadsheet, ``column -t -s $'\\t'`` or
``pandas.read_csv(path, sep="\\t")``.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from os import PathLike
from pathlib import Path
from typing import cast

from geomap.errors import InputError

__all__ = ["ErrorRecord", "KINDS", "CONTEXT_CHARS", "context", "write_errors", "most_common"]

#: Kinds of error, in the order of the module docstring.
KINDS: tuple[str, ...] = ("missed", "spurious", "boundary", "unresolved", "misplaced")

#: Characters of document text shown on each side of an error.
CONTEXT_CHARS = 30


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """One row of the error log.

    ``start`` and ``end`` are the gold span, or the predicted span for
    spurious mentions.  Fields that do not apply to the kind are ``None``
    (written as empty cells).

    Examples
    --------
    >>> r = ErrorRecord("missed", "d1", 3, 8, "Paris", context="In [[Paris]].")
    >>> r.kind, r.predicted_text
    ('missed', None)
    """

    kind: str
    doc_id: str
    start: int
    end: int
    gold_text: str | None = None
    predicted_text: str | None = None
    gold_place: str | None = None
    gold_lat: float | None = None
    gold_lon: float | None = None
    predicted_place: str | None = None
    predicted_lat: float | None = None
    predicted_lon: float | None = None
    distance_km: float | None = None
    context: str = ""


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The span marked ``[[...]]`` with ``width`` characters around, on one line.

    Examples
    --------
    >>> context("Flooding hit\\nDhaka on Monday.", 13, 18, width=6)
    '…g hit [[Dhaka]] on Mo…'
    """
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    out = (
        ("…" if start > width else "")
        + left
        + "[["
        + text[start:end]
        + "]]"
        + right
        + ("…" if end + width < len(text) else "")
    )
    return " ".join(out.split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1000 else f"{value:.1f}"
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def write_errors(records: Iterable[ErrorRecord], path: str | PathLike) -> int:
    """Write error records to a TSV file, sorted by document and offset.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    rows = sorted(records, key=lambda r: (r.doc_id, r.start, r.end, KINDS.index(r.kind)))
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            writer.writerow([fld.name for fld in fields(ErrorRecord)])
            for r in rows:
                writer.writerow([_cell(v) for v in astuple(r)])
    except OSError as err:
        raise InputError(f"Cannot write error log {path}: {err}") from err
    return len(rows)


def most_common(
    records: Iterable[ErrorRecord], kinds: str | tuple[str, ...], n: int = 10
) -> tuple[tuple[str, int], ...]:
    """The ``n`` most frequent strings among errors of some kinds.

    The gold text is counted, or the predicted text for spurious mentions.

    Examples
    --------
    >>> rs = [ErrorRecord("spurious", "d", 0, 4, predicted_text=t) for t in "A B A".split()]
    >>> most_common(rs, "spurious")
    (('A', 2), ('B', 1))
    """
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    counts = Counter(
        r.predicted_text if r.kind == "spurious" else r.gold_text
        for r in records
        if r.kind in kinds
    )
    # the evaluation writes the predicted text on every spurious row and the gold
    # text on every other row, so the keys counted are strings
    return cast("tuple[tuple[str, int], ...]", tuple(counts.most_common(n)))
