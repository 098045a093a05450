"""Source: the curated CSV files in ``gazetteer/data/``.

* ``places.csv`` -- regions, conflict zones and historical entities the
  packaged sources lack.  ``n`` is fixed per row: the place id is
  ``CURATED_ID_BASE + n`` and never changes (do not renumber; append).
* ``features.csv`` -- physical features (oceans, seas, gulfs, straits,
  rivers, lakes, deserts, ranges, valleys, peninsulas, islands) and conflict
  infrastructure (camps, border crossings, dams, power plants, bridges, air
  bases, ports), with their GeoNames feature class and code, the countries
  they touch (``country_codes``, ``|``-separated; the place's own country
  is set only when there is one) and, for areal features, an extent
  (``south, west, north, east``; ``west > east`` crosses the antimeridian).
  ``n`` shares the id space of ``places.csv``.
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

__all__ = ["Curated", "DATA_DIR", "CURATED_FILES", "FEATURE_CLASSES", "feature_extent",
           "extent_contains"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CURATED_FILES = ("places.csv", "features.csv", "names.csv", "alternate_names.csv", "demonyms.csv",
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
        yield from self._rows("features.csv", _feature)
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


def _feature(row: dict) -> PlaceRecord:
    """A row of ``features.csv``: checked, then a place like ``places.csv``'s."""
    n = int(row["n"])
    lat, lon = float(row["lat"]), float(row["lon"])
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    fclass, fcode = row["feature_class"].strip(), row["feature_code"].strip()
    if fclass not in FEATURE_CLASSES or not fcode.isalnum() or not fcode.isupper():
        raise ValueError(f"feature class must be one of {sorted(FEATURE_CLASSES)} and the "
                         f"code upper-case letters, instead got: {fclass!r}, {fcode!r}")
    countries = [c for c in row["country_codes"].split("|") if c]
    if any(len(c) != 2 or not c.isupper() for c in countries):
        raise ValueError(f"country codes must be ISO alpha-2, instead got: "
                         f"{row['country_codes']!r}")
    extent = feature_extent(row)
    if extent is not None and not extent_contains(extent, lat, lon):
        raise ValueError(f"the extent {extent} does not contain the point {lat}, {lon}")
    geonameid = int(row["geonameid"]) if row["geonameid"].strip() else None
    place = Place(
        id=CURATED_ID_BASE + n, name=row["name"], lat=lat, lon=lon,
        country_code=countries[0] if len(countries) == 1 else None,
        feature_class=fclass, feature_code=fcode, population=0,
        geonameid=geonameid, source="curated")
    names = [(row["name"], "name")]
    names += [(a, "alternate") for a in row["alternate_names"].split("|") if a.strip()]
    return PlaceRecord(place, tuple(names))


#: The GeoNames feature classes ``features.csv`` holds: A (divisions), H
#: (water), L (areas, ports), P (places), S (spots, buildings), T (terrain),
#: V (vegetation).
FEATURE_CLASSES = frozenset("AHLPSTV")


def feature_extent(row: dict) -> tuple[float, float, float, float] | None:
    """The ``(south, west, north, east)`` extent of a ``features.csv`` row, or
    ``None`` when its four cells are empty; anything else is a ``ValueError``.

    Examples
    --------
    >>> feature_extent({"south": "45", "west": "34.8", "north": "47.3", "east": "39.3"})
    (45.0, 34.8, 47.3, 39.3)
    >>> feature_extent({"south": "", "west": "", "north": "", "east": ""}) is None
    True
    """
    cells = [row[k].strip() for k in ("south", "west", "north", "east")]
    if not any(cells):
        return None
    south, west, north, east = (float(c) for c in cells)
    if not (-90.0 <= south <= north <= 90.0 and -180.0 <= west <= 180.0
            and -180.0 <= east <= 180.0):
        raise ValueError(f"extent out of range or south > north: {cells}")
    return south, west, north, east


def extent_contains(extent: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    """Does ``extent`` (``west > east`` crossing the antimeridian) contain the point?

    Examples
    --------
    >>> extent_contains((-60.0, 120.0, 66.0, -70.0), 0.0, -160.0)   # the Pacific
    True
    >>> extent_contains((40.9, 27.4, 46.7, 41.8), 50.0, 30.0)
    False
    """
    south, west, north, east = extent
    if not south <= lat <= north:
        return False
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def _name(row: dict) -> NameLink:
    if row["kind"] not in KIND_RANK:
        raise ValueError(f"kind must be one of {sorted(KIND_RANK)}, instead got: {row['kind']!r}")
    return NameLink(Ref.parse(row["target"]), row["name"], row["kind"], required=True)
