"""Source: a user's own CSV of places.

Required columns ``name, lat, lon``; optional ``alternate_names``
(``|``-separated), ``country_code``, ``feature_class``, ``feature_code``,
``population``, ``geonameid``, ``id``.  A row with a ``geonameid`` (or ``id``)
of a place already in the store replaces that place.  Rows without either
get a stable id ``USER_ID_BASE + crc32(name, lat, lon) % 10**8``.

Examples
--------
>>> from gazetteer import build                              # doctest: +SKIP
>>> build(extra_sources=[UserCSV("my_places.csv")])
"""

from __future__ import annotations

import csv
import math
import zlib
from collections.abc import Iterator
from pathlib import Path

from gazetteer.errors import GazetteerImportError
from gazetteer.place import CURATED_ID_BASE, Place
from gazetteer.sources.base import PlaceRecord, Record, file_sha256

__all__ = ["UserCSV", "USER_ID_BASE"]

USER_ID_BASE = CURATED_ID_BASE + 200_000_000
_REQUIRED = ("name", "lat", "lon")


class UserCSV:
    """Places from a CSV file (see the module docstring for its columns)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = f"user_csv:{self.path.name}"

    def spec(self) -> dict:
        """How to make this source again (recorded in the store, so that a
        rebuild of a stale store keeps it): see :mod:`gazetteer.sources.registry`."""
        return {"type": "user_csv", "path": str(self.path.resolve())}

    @classmethod
    def from_spec(cls, spec: dict) -> UserCSV:
        """The source :meth:`spec` describes."""
        return cls(spec["path"])

    def files(self) -> list[Path]:
        """The files it reads."""
        return [self.path]

    def version(self) -> str:
        if not self.path.exists():
            raise GazetteerImportError(f"{self.path}: no such file")
        return file_sha256(self.path)

    def records(self) -> Iterator[Record]:
        try:
            f = open(self.path, newline="", encoding="utf-8-sig")
        except OSError as e:
            raise GazetteerImportError(f"{self.path}: cannot read it: {e}") from e
        with f:
            reader = csv.DictReader(f)
            missing = [c for c in _REQUIRED if c not in (reader.fieldnames or ())]
            if missing:
                raise GazetteerImportError(
                    f"{self.path}, line 1: missing required column(s) {', '.join(missing)}; "
                    f"the header is {reader.fieldnames}")
            for row in reader:
                try:
                    yield _record(row)
                except (ValueError, TypeError) as e:
                    raise GazetteerImportError(
                        f"{self.path}, line {reader.line_num}: {e}") from e


def _record(row: dict) -> PlaceRecord:
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    name = get("name")
    if not name:
        raise ValueError("the name is empty")
    lat, lon = float(get("lat")), float(get("lon"))
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"Expected finite lat and lon, instead got: {lat}, {lon}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"lat must be in [-90, 90] and lon in [-180, 180], instead got: "
                         f"{lat}, {lon}")
    geonameid = int(get("geonameid")) if get("geonameid") else None
    if get("id"):
        pid = int(get("id"))
    elif geonameid is not None:
        pid = geonameid
    else:
        pid = USER_ID_BASE + zlib.crc32(f"{name}|{lat}|{lon}".encode()) % 10**8
    code = get("country_code").upper() or None
    if code is not None and len(code) != 2:
        raise ValueError(f"country_code must be an ISO alpha-2 code, instead got: {code!r}")
    place = Place(id=pid, name=name, lat=lat, lon=lon, country_code=code,
                  feature_class=get("feature_class") or "P",
                  feature_code=get("feature_code") or "PPL",
                  population=int(get("population") or 0), geonameid=geonameid,
                  source="user_csv")
    names = [(name, "name")]
    names += [(a.strip(), "alternate") for a in get("alternate_names").split("|") if a.strip()]
    return PlaceRecord(place, tuple(names))
