"""The :class:`Mention` value object and the mention table built from it.

The mention table (a :class:`pandas.DataFrame`, one row per place mention) is
the contract between the pipeline and everything after it: aggregation, maps,
export and evaluation all read these columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gazetteer.place import Place

__all__ = ["Mention", "COLUMNS", "to_frame"]

#: Columns of the mention table, in order.
COLUMNS: tuple[str, ...] = (
    "doc",            # document id (file name without extension, or given)
    "source",         # outlet / source name
    "date",           # ISO date string or None
    "url",            # URL or None
    "start",          # 0-based character offset into the document text
    "end",            # end-exclusive offset
    "text",           # the words in the document, == document[start:end]
    "name",           # the place's name
    "place_id",       # stable integer id (GeoNames id, or a curated id)
    "geonameid",      # GeoNames id or None (nullable Int64)
    "lat",
    "lon",
    "country_code",   # ISO 3166-1 alpha-2 or None
    "feature_class",  # GeoNames feature class
    "feature_code",   # GeoNames feature code (PCLI, ADM1, PPLC, RGN ...)
    "score",          # 0..1 confidence of the resolution
    "kind",           # "name" | "demonym" (adjective such as "Armenian")
    "sentence",       # the sentence the mention stands in
    "sentence_start",  # offset of that sentence in the document
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One place mention in one document.

    ``place`` is ``None`` for a recognised toponym that could not be resolved.

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

    def as_record(self) -> dict:
        """The mention as one row of the mention table."""
        p = self.place
        return {
            "doc": self.doc,
            "source": self.source if self.source is not None else self.doc,
            "date": self.date,
            "url": self.url,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "name": p.name if p else None,
            "place_id": p.id if p else None,
            "geonameid": p.geonameid if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country_code": p.country_code if p else None,
            "feature_class": p.feature_class if p else None,
            "feature_code": p.feature_code if p else None,
            "score": self.score,
            "kind": self.kind,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
        }


# The slots' descriptors, for building a Mention without its frozen __init__
# (which sets each field through object.__setattr__).
_new = object.__new__
(_set_doc, _set_start, _set_end, _set_text, _set_place, _set_score, _set_kind, _set_source,
 _set_date, _set_url, _set_sentence, _set_sentence_start) = (
    vars(Mention)[name].__set__ for name in (
        "doc", "start", "end", "text", "place", "score", "kind", "source", "date", "url",
        "sentence", "sentence_start"))


def _mention(doc: str, start: int, end: int, text: str, place: Place | None, score: float,
             kind: str, source: str | None, date: str | None, url: str | None,
             sentence: str, sentence_start: int) -> Mention:
    """``Mention(...)`` with every field given, in order, in a third of the time:
    the pipeline makes one per mention."""
    m = _new(Mention)
    _set_doc(m, doc)
    _set_start(m, start)
    _set_end(m, end)
    _set_text(m, text)
    _set_place(m, place)
    _set_score(m, score)
    _set_kind(m, kind)
    _set_source(m, source)
    _set_date(m, date)
    _set_url(m, url)
    _set_sentence(m, sentence)
    _set_sentence_start(m, sentence_start)
    return m


def to_frame(mentions: Iterable[Mention]):
    """Build the mention table from mentions.

    Integer id columns use pandas' nullable ``Int64`` so that a missing
    GeoNames id stays ``<NA>`` instead of turning the column into floats.
    """
    import pandas as pd

    df = pd.DataFrame([m.as_record() for m in mentions], columns=list(COLUMNS))
    for col in ("start", "end", "sentence_start"):
        df[col] = df[col].astype("int64")
    for col in ("place_id", "geonameid"):
        df[col] = df[col].astype("Int64")
    for col in ("lat", "lon", "score"):
        df[col] = df[col].astype("float64")
    return df
