"""Areal gold toponyms: the country or first-level division a gold toponym names.

A country's or a province's coordinates are a convention: Wikipedia's point
for a country and GeoNames' lie up to 340 km apart, so a prediction of the
right country can be "wrong" by 161 km. The area-aware match counts a
prediction that lies inside the gold country (or first-level division) as
right for an areal gold toponym. This module finds which gold toponyms are
areal, and their area, from the gazetteer:

- a gold toponym with a GeoNames id (LGL) is areal when the gazetteer's place
  of that id is a country (``PCL*``, ``TERR``) or a first-level division
  (``ADM1``);
- otherwise (GeoVirus, conflict-dev) when its text (or its gold name, a
  Wikipedia title for GeoVirus) names such a place in the gazetteer whose
  point lies within :data:`AREA_MATCH_KM` of the gold coordinates (the
  nearest one, if several).

An area is ``(country code, None)`` for a country and ``(country code,
admin1 code)`` for a first-level division; a place lies inside it when its
codes match (:func:`inside`).
"""

from __future__ import annotations

from urllib.parse import unquote

from geomap.evaluate.corpora import GoldToponym
from geomap.evaluate.metrics import distance_km

__all__ = ["AREA_MATCH_KM", "Area", "gold_area", "inside"]

#: How far a same-named country or division's point may lie from the gold point.
AREA_MATCH_KM = 1000.0

#: ``(country code, admin1 code or None)``.
Area = tuple[str, str | None]

_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "PCLH", "TERR"})


def _area_of(place) -> Area | None:
    if not place.country_code:
        return None
    if place.feature_code in _COUNTRY_CODES:
        return (place.country_code, None)
    if place.feature_code == "ADM1" and place.admin1:
        return (place.country_code, place.admin1)
    return None


def gold_area(t: GoldToponym, gazetteer) -> Area | None:
    """The area ``t`` names, or ``None`` when it is not a country or first-level
    division (or has no coordinates).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> class Gaz:
    ...     def by_geonameid(self, i):
    ...         return Place(id=i, name="France", lat=46, lon=2, country_code="FR",
    ...                      feature_class="A", feature_code="PCLI")
    >>> gold_area(GoldToponym(0, 6, "France", 46.2, 2.2, 3017382, "France"), Gaz())
    ('FR', None)
    """
    point = t.point
    if point is None:
        return None
    if t.geonameid is not None and hasattr(gazetteer, "by_geonameid"):
        place = gazetteer.by_geonameid(t.geonameid)
        return _area_of(place) if place is not None else None
    names = {t.text}
    if t.name:
        names.add(unquote(t.name.rsplit("/", 1)[-1]).replace("_", " "))
    best: tuple[float, Area] | None = None
    for name in names:
        for place in gazetteer.lookup(name):
            area = _area_of(place)
            if area is None:
                continue
            d = distance_km(point, place.point)
            if d <= AREA_MATCH_KM and (best is None or d < best[0]):
                best = (d, area)
    return best[1] if best is not None else None


def inside(place, area: Area | None) -> bool:
    """Does ``place`` lie in ``area`` (by its country and admin1 codes)?

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> lyon = Place(id=1, name="Lyon", lat=45.7, lon=4.8, country_code="FR", admin1="84")
    >>> inside(lyon, ("FR", None)), inside(lyon, ("FR", "11")), inside(lyon, None)
    (True, False, False)
    """
    if area is None or place is None or place.country_code != area[0]:
        return False
    return area[1] is None or place.admin1 == area[1]
