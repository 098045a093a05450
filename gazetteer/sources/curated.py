"""Source: the curated CSV files in ``gazetteer/data/``.

* ``places.csv`` -- regions, conflict zones, seas and historical entities the
  packaged sources lack.  ``n`` is fixed per row: the place id is
  ``CURATED_ID_BASE + n`` and never changes (do not renumber; append).
* ``names.csv`` -- more names for any place: abbreviations, short forms,
  historical names and metonyms.  ``target`` is ``country:XX``,
  ``admin:US.CA``, ``geonameid:524901`` or ``curated:N``.
* ``alternate_names.csv`` -- documented English/news spellings of GeoNames
  places that cities500 lacks.
* ``demonyms.csv`` -- adjectives and demonyms of countries.
* ``coordinates.csv`` -- corrected coordinates for places whose packaged
  point is off (``target`` as in ``names.csv``).

Every row has a ``provenance`` column saying where the fact comes from.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from gazetteer.errors import GazetteerImportError
from gazetteer.place import CURATED_ID_BASE, Place
from gazetteer.sources.base import (
    KIND_RANK,
    NameLink,
    PlacePatch,
    PlaceRecord,
    Record,
    Ref,
    file_sha256,
)

__all__ = ["Curated", "DATA_DIR", "CURATED_FILES"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CURATED_FILES = ("places.csv", "names.csv", "alternate_names.csv", "demonyms.csv",
                 "coordinates.csv")


class Curated:
    """Records from the curated files (``folder`` defaults to ``gazetteer/data``)."""

    name = "curated"

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else DATA_DIR

    def version(self) -> str:
        return file_sha256(*(self.folder / f for f in CURATED_FILES))

    def records(self) -> Iterator[Record]:
        yield from self._rows("places.csv", _place)
        yield from self._rows("names.csv", _name)
        yield from self._rows("alternate_names.csv", lambda r: NameLink(
            Ref("geonameid", int(r["geonameid"])), r["name"], "alternate", required=True))
        yield from self._rows("demonyms.csv", lambda r: NameLink(
            Ref("country", r["country_code"]), r["demonym"], "demonym", required=True))
        yield from self._rows("coordinates.csv", lambda r: PlacePatch(
            Ref.parse(r["target"]), {"lat": float(r["lat"]), "lon": float(r["lon"]),
                                "derived": False}))

    def _rows(self, filename: str, convert) -> Iterator[Record]:
        path = self.folder / filename
        with open(path, newline="", encoding="utf-8") as f:
            for line_no, row in enumerate(csv.DictReader(f), 2):
                try:
                    if not (row.get("provenance") or "").strip():
                        raise ValueError("the provenance column is empty")
                    yield convert(row)
                except (KeyError, ValueError, TypeError) as e:
                    raise GazetteerImportError(f"{path}, line {line_no}: {e}") from e


def _place(row: dict) -> PlaceRecord:
    n = int(row["n"])
    place = Place(
        id=CURATED_ID_BASE + n, name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
        country_code=row["country_code"] or None, feature_class=row["feature_class"],
        feature_code=row["feature_code"], population=int(row["population"] or 0),
        geonameid=None, source="curated")
    names = [(row["name"], "name")]
    names += [(a, "alternate") for a in row["alternate_names"].split("|") if a.strip()]
    return PlaceRecord(place, tuple(names))


def _name(row: dict) -> NameLink:
    if row["kind"] not in KIND_RANK:
        raise ValueError(f"kind must be one of {sorted(KIND_RANK)}, instead got: {row['kind']!r}")
    return NameLink(Ref.parse(row["target"]), row["name"], row["kind"], required=True)
