"""The :class:`Mention` value object and the mention table built from it.

The mention table (a :class:`pandas.DataFrame`, one row per place mention) is
the contract between the pipeline and everything after it: aggregation, maps,
export and evaluation all read these columns.

Besides the place's GeoNames fields, a record holds what an analyst reads:
the name as written (``text``) and for display (``display_name``: the
written name with the gazetteer's name in brackets when they differ, as
"Stepanakert (Khankendi)"), the country's and the divisions' names
(:mod:`geomap.admins`) and the feature type in words
(:mod:`geomap.features`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazetteer.place import Place
from geomap.admins import AdminNames
from geomap.features import feature_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Mention", "COLUMNS", "PLACE_COLUMNS", "display_name", "to_frame", "parse_dates"]

#: Columns of the mention table, in order.
COLUMNS: tuple[str, ...] = (
    "doc",            # document id (file name without extension, or given)
    "source",         # outlet / source name
    "date",           # ISO date string or None
    "url",            # URL or None
    "start",          # 0-based character offset into the document text
    "end",            # end-exclusive offset
    "text",           # the words in the document, == document[start:end]
    "display_name",   # for display: "Written (Name)" when they differ, else the name
    "name",           # the place's name (the gazetteer's primary name)
    "place_id",       # stable integer id (GeoNames id, or a curated id)
    "geonameid",      # GeoNames id or None (nullable Int64)
    "lat",
    "lon",
    "country_code",   # ISO 3166-1 alpha-2 or None
    "country_name",   # the country's English name
    "admin1_code",    # GeoNames first-order division code "CC.A1" (AZ.61) or None
    "admin1_name",    # its name, where the gazetteer knows it
    "admin2_code",    # second-order division "CC.A1.A2" or None
    "admin2_name",
    "feature_class",  # GeoNames feature class
    "feature_code",   # GeoNames feature code (PCLI, ADM1, PPLC, RGN ...)
    "feature_name",   # the feature code in words ("capital", "sea", "refugee camp")
    "score",          # 0..1 confidence of the resolution
    "kind",           # "name" | "demonym" (adjective such as "Armenian")
    "sentence",       # its context: its sentence, or a window of a longer one
                      # (at most geomap.assemble.CONTEXT_CHARS characters)
    "sentence_start",  # offset of that context in the document
)

#: The columns that depend only on the place (in :data:`COLUMNS` order).
PLACE_COLUMNS: tuple[str, ...] = COLUMNS[COLUMNS.index("name"):COLUMNS.index("feature_name") + 1]

_STATIC = AdminNames()


def _fold(name: str) -> str:
    """``name`` compared loosely: case, accents, hyphens and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.replace("-", " ").replace("\u2019", "'").split())


def display_name(text: str | None, name: str | None, kind: str = "name") -> str | None:
    """The name to show for a mention: the place's ``name``, preceded by the
    name as written (``text``) when it is another name of it.

    The written name differs when it is not the same word up to case,
    accents, hyphens and spacing: an English or former spelling
    ("Stepanakert" for Khankendi, "Kiev" for Kyiv). A demonym ("Armenian")
    shows the place's name alone. ``None`` when there is no place.

    Examples
    --------
    >>> display_name("Stepanakert", "Khankendi")
    'Stepanakert (Khankendi)'
    >>> display_name("KYIV", "Kyiv"), display_name("Armenian", "Armenia", "demonym")
    ('Kyiv', 'Armenia')
    >>> display_name("Nagorno Karabakh", "Nagorno-Karabakh")
    'Nagorno-Karabakh'
    """
    if name is None:
        return None
    if kind != "name" or not text:
        return name
    written = " ".join(text.split())
    if not written or written == name or _fold(written) == _fold(name):
        return name
    return f"{written} ({name})"


@dataclass(frozen=True, slots=True)
class Mention:
    """One place mention in one document.

    ``place`` is ``None`` for a recognised toponym that could not be resolved.
    ``sentence`` is the mention's context, ``document[sentence_start:][:len(sentence)]``:
    the sentence it stands in, or in a sentence longer than
    :data:`geomap.assemble.CONTEXT_CHARS` a window of it around the mention
    (the pipeline's mentions; see :func:`geomap.assemble.window`).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> p = Place(id=524901, name="Moscow", lat=55.75, lon=37.62, country_code="RU")
    >>> m = Mention(doc="a", start=3, end=9, text="Moscow", place=p, score=0.9)
    >>> m.as_record()["lat"]
    55.75
    """

    doc: str
    start: int
    end: int
    text: str
    place: Place | None = None
    score: float = 0.0
    kind: str = "name"
    source: str | None = None
    date: str | None = None
    url: str | None = None
    sentence: str = ""
    sentence_start: int = 0

    def as_record(self, names: AdminNames | None = None) -> dict:
        """The mention as one row of the mention table.

        ``names`` gives the country's and the divisions' names (a
        :class:`~geomap.admins.AdminNames` on the gazetteer); without it,
        division names are ``None``.
        """
        p = self.place
        admin = (names if names is not None else _STATIC).of(p)
        return {
            "doc": self.doc,
            "source": self.source if self.source is not None else self.doc,
            "date": self.date,
            "url": self.url,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "display_name": display_name(self.text, p.name, self.kind) if p else None,
            "name": p.name if p else None,
            "place_id": p.id if p else None,
            "geonameid": p.geonameid if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country_code": p.country_code if p else None,
            "country_name": admin.country_name,
            "admin1_code": admin.admin1_code,
            "admin1_name": admin.admin1_name,
            "admin2_code": admin.admin2_code,
            "admin2_name": admin.admin2_name,
            "feature_class": p.feature_class if p else None,
            "feature_code": p.feature_code if p else None,
            "feature_name": feature_name(p.feature_code, p.feature_class) if p else None,
            "score": self.score,
            "kind": self.kind,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
        }


def to_frame(mentions: Iterable[Mention], *, gazetteer=None, report=None):
    """Build the mention table from mentions.

    Integer id columns use pandas' nullable ``Int64`` so that a missing
    GeoNames id stays ``<NA>`` instead of turning the column into floats.
    ``date`` becomes a datetime column (:func:`parse_dates`) when every date
    parses; otherwise it keeps the dates as given and ``report`` (a
    :class:`~geomap.documents.RunReport`) gets a note naming one that does
    not. ``gazetteer`` gives the divisions' names (:class:`~geomap.admins.AdminNames`).

    Examples
    --------
    >>> df = to_frame([Mention("a", 0, 6, "Geneva", date="2023-09-20")])
    >>> str(df["date"].dtype), df.loc[0, "date"].isoformat()
    ('datetime64[ns]', '2023-09-20T00:00:00')
    """
    import pandas as pd

    names = AdminNames(gazetteer) if gazetteer is not None else _STATIC
    df = pd.DataFrame([m.as_record(names) for m in mentions], columns=list(COLUMNS))
    for col in ("start", "end", "sentence_start"):
        df[col] = df[col].astype("int64")
    for col in ("place_id", "geonameid"):
        df[col] = df[col].astype("Int64")
    for col in ("lat", "lon", "score"):
        df[col] = df[col].astype("float64")
    dates, bad = parse_dates(df["date"])
    if bad is None:
        df["date"] = dates
    elif report is not None:
        doc = df.loc[df["date"] == bad, "doc"].iloc[0]
        report.notes.append(f"date: {bad[:60]!r} (document {str(doc)[:200]!r}) is not a date "
                            "geomap reads: the date column keeps the dates as given")
    return df


def parse_dates(values: pd.Series) -> tuple[pd.Series | None, str | None]:
    """``values`` (a Series of date strings or missing values) as datetimes.

    ISO 8601 dates and times, and the common written forms ("20 September
    2023"); a time with an offset is converted to UTC, and the column holds
    naive UTC datetimes. Returns ``(parsed, None)``, or ``(None, value)`` with
    the first value that does not parse.

    Examples
    --------
    >>> import pandas as pd
    >>> parsed, bad = parse_dates(pd.Series(["2023-09-20T10:00:00+02:00", None]))
    >>> parsed.tolist()[0].isoformat(), bad
    ('2023-09-20T08:00:00', None)
    >>> parse_dates(pd.Series(["2023-09-20", "yesterday"]))[1]
    'yesterday'
    """
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return values, None
    seen: dict[str, pd.Timestamp] = {}
    for v in values.dropna().unique():
        try:
            if not isinstance(v, str):
                raise TypeError(v)
            t = pd.Timestamp(pd.to_datetime(v, format="mixed"))
            if t is pd.NaT:
                raise ValueError(v)
            if t.tzinfo is not None:
                t = t.tz_convert("UTC").tz_localize(None)
            seen[v] = t.as_unit("ns")
        except (ValueError, TypeError, OverflowError):
            return None, str(v)
    return pd.to_datetime(values.map(seen), errors="coerce").astype("datetime64[ns]"), None
