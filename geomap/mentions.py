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
    "sentence",       # its context: its sentence, or a window of a longer one
                      # (at most geomap.assemble.CONTEXT_CHARS characters)
    "sentence_start",  # offset of that context in the document
)


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
