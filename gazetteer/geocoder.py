"""A geopy geocoder backed by the offline gazetteer (no network)."""

from __future__ import annotations

import dataclasses

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.coordinates import check_query, check_text_option, parse_point
from gazetteer.errors import InvalidQueryError
from gazetteer.place import Place
from gazetteer.sources.base import KIND_RANK
from gazetteer.store import Gazetteer

__all__ = ["GazetteerGeocoder"]


class GazetteerGeocoder(Geocoder):
    """Geocode place names and reverse-geocode points from the local store.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        An open store; default :meth:`Gazetteer.open` on the cache.
    **kwargs
        Passed to :class:`geopy.geocoders.base.Geocoder` (unused: no requests
        are made).

    Examples
    --------
    >>> geo = GazetteerGeocoder()                           # doctest: +SKIP
    >>> geo.geocode("Geneva, Switzerland").address          # doctest: +SKIP
    'Geneva, Geneva, Switzerland'
    >>> geo.reverse("46.2, 6.15").raw["name"]               # doctest: +SKIP
    'Geneva'

    Bad arguments (a latitude of 200, NaN, ``None``, three numbers, an empty
    or non-string query) raise :class:`~gazetteer.errors.InvalidQueryError`,
    a ``ValueError`` saying what was expected, as geopy's geocoders do:

    >>> geo.reverse((200, 0))                               # doctest: +SKIP
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected latitude in [-90, 90], instead got: 200
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.open()

    def geocode(self, query: str, *, exactly_one: bool = True, country: str | None = None,
                feature_class: str | None = None, limit: int | None = None,
                timeout=None) -> Location | list[Location] | None:
        """Locations for ``query``: ``"Geneva"``, ``"Geneva, Switzerland"``, ``"Paris, TX"``.

        Trailing comma-separated parts narrow the search: a country name or
        ISO code becomes the country filter, another name an admin filter.
        ``country`` takes a name or an ISO alpha-2 code.

        Raises
        ------
        InvalidQueryError
            A ``ValueError``: ``query`` is not a string, is blank, is only
            commas or longer than
            :data:`~gazetteer.coordinates.MAX_QUERY_CHARS`; an option has the
            wrong type (``limit`` must be a positive int or None).
        """
        query = check_query(query)
        country = check_text_option(country, "country")
        feature_class = check_text_option(feature_class, "feature_class")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise InvalidQueryError(
                f"Expected limit as a positive int or None, instead got: {limit!r}")
        parts = [part.strip() for part in query.split(",") if part.strip()]
        if not parts:
            raise InvalidQueryError(f"Expected a place name, instead got: {query!r}")
        head, *qualifiers = parts
        code = self._country_code(country) if country else None
        admins: list[Place] = []
        for q in qualifiers:
            found = self._country_code(q)
            if found and code is None:
                code = found
            else:
                admins += [p for p in self.gazetteer.lookup(q, feature_class="A")
                           if p.feature_code in ("ADM1", "ADM2")]
        cands = self.gazetteer.candidates(head, country=code, feature_class=feature_class)
        if admins:
            inside = [c for c in cands if any(_within(c.place, a) for a in admins)]
            cands = inside or cands
        cands.sort(key=lambda c: (KIND_RANK[c.kind] >= KIND_RANK["demonym"],
                                  -c.place.population))
        locations = [self._location(c.place, matched=c.matched, kind=c.kind) for c in cands]
        if limit is not None:
            locations = locations[:limit]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(self, query, *, exactly_one: bool = True, feature_class: str | None = "P",
                timeout=None) -> Location | list[Location] | None:
        """The nearest place to ``query`` (``"lat, lon"``, ``(lat, lon)`` or a Point).

        Raises
        ------
        InvalidQueryError
            A ``ValueError``: ``query`` is not one of those, or a coordinate
            is not a number in [-90, 90] (latitude) or [-180, 180]
            (longitude); see :func:`gazetteer.coordinates.parse_point`.
        """
        lat, lon = parse_point(query)
        place = self.gazetteer.nearest(lat, lon, feature_class=feature_class)
        if place is None:
            return None if exactly_one else []
        loc = self._location(place)
        return loc if exactly_one else [loc]

    def _country_code(self, text: str) -> str | None:
        text = text.strip()
        if len(text) == 2 and text.isalpha() and text.isupper():
            return text if self.gazetteer.country(text) else None
        for p in self.gazetteer.lookup(text, feature_class="A"):
            if p.is_country and p.country_code:
                return p.country_code
        return None

    def _location(self, place: Place, **extra) -> Location:
        parts = [place.name]
        if place.feature_code not in ("ADM1",) and not place.is_country and place.admin1:
            admin = self.gazetteer.admin(place.country_code, place.admin1)
            if admin is not None:
                parts.append(admin.name)
        if not place.is_country and place.country_code:
            country = self.gazetteer.country(place.country_code)
            if country is not None:
                parts.append(country.name)
        raw = dataclasses.asdict(place) | extra
        return Location(", ".join(parts), Point(place.lat, place.lon), raw)


def _within(place: Place, admin: Place) -> bool:
    if place.country_code != admin.country_code or place.admin1 != admin.admin1:
        return False
    return admin.feature_code == "ADM1" or place.admin2 == admin.admin2
