"""Checking what a caller gives as a point or a place name, before any lookup.

:meth:`gazetteer.Gazetteer.nearest` and :class:`gazetteer.GazetteerGeocoder`
take coordinates and queries from anywhere (a form, a table, a URL). What
is not a latitude in [-90, 90] and a longitude in [-180, 180] (NaN, None, a
string, a bool, 200) or not a usable place name is refused here with
:class:`~gazetteer.errors.InvalidQueryError` (a ``ValueError``) saying what
was expected and what came, instead of an unpacking error deep inside, or
the nearest place to a point that is not on Earth.

Examples
--------
>>> check_point(46.2, 6.15)
(46.2, 6.15)
>>> check_point(200, 0)
Traceback (most recent call last):
...
gazetteer.errors.InvalidQueryError: Expected latitude in [-90, 90], instead got: 200
>>> parse_point("46.2, 6.15")
(46.2, 6.15)
>>> check_query("  Geneva ")
'Geneva'
"""

from __future__ import annotations

import numbers
import re

from gazetteer.errors import InvalidQueryError

__all__ = ["check_point", "parse_point", "check_query", "check_text_option",
           "MAX_QUERY_CHARS"]

#: A place name (with its comma-separated qualifiers) longer than this is refused.
MAX_QUERY_CHARS = 1_000
_SHOWN_CHARS = 80
# two decimal numbers separated by a comma, a semicolon or blanks
_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+")


def _shown(value: object) -> str:
    """``repr(value)``, cut to a readable length for a message."""
    text = repr(value)
    if len(text) > _SHOWN_CHARS:
        text = f"{text[:_SHOWN_CHARS - 20]}...{text[-15:]} ({len(text):,} characters)"
    return text


def _number(value: object, what: str, bound: int) -> float:
    """``value`` as a float in [-bound, bound], or InvalidQueryError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidQueryError(f"Expected {what} as a number, instead got: {_shown(value)}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as e:
        raise InvalidQueryError(
            f"Expected {what} as a number, instead got: {_shown(value)}") from e
    if not -bound <= number <= bound:        # NaN fails both comparisons
        raise InvalidQueryError(f"Expected {what} in [-{bound}, {bound}], "
                                f"instead got: {_shown(value)}")
    return number


def check_point(lat: object, lon: object) -> tuple[float, float]:
    """``(lat, lon)`` as floats, once each is a real number within range.

    Parameters
    ----------
    lat, lon : real number
        Degrees; ``int``, ``float`` or a NumPy number. ``bool`` is not a number here.

    Raises
    ------
    InvalidQueryError
        A value that is not a real number, is NaN or infinite, or is outside
        [-90, 90] (latitude) or [-180, 180] (longitude).

    Examples
    --------
    >>> check_point(-17, 179.99)
    (-17.0, 179.99)
    >>> check_point(float("nan"), 0)
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected latitude in [-90, 90], instead got: nan
    >>> check_point(None, 0)
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected latitude as a number, instead got: None
    """
    return _number(lat, "latitude", 90), _number(lon, "longitude", 180)


def parse_point(query: object) -> tuple[float, float]:
    """The ``(lat, lon)`` of what :meth:`GazetteerGeocoder.reverse` takes.

    A ``"lat, lon"`` string (comma, semicolon or blanks between two decimal
    numbers), a string geopy's :meth:`~geopy.point.Point.from_string` reads
    (degrees, arcminutes and arcseconds, N/S/E/W), a ``(lat, lon)`` pair or a
    :class:`geopy.point.Point`. Values are checked as :func:`check_point`
    does; a longitude outside [-180, 180] is refused, not wrapped.

    Raises
    ------
    InvalidQueryError
        Anything else: ``None``, a string of one or three numbers, a triple,
        a value out of range.

    Examples
    --------
    >>> parse_point((39.8177, 46.7528))
    (39.8177, 46.7528)
    >>> parse_point("41 30m 0s N 81 0m 0s W")
    (41.5, -81.0)
    >>> parse_point("1, 2, 3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected a point as 'latitude, longitude', ...: '1, 2, 3'
    """
    if isinstance(query, str):
        return _parse_string(query)
    try:
        from geopy.point import Point
    except ImportError:                                # pragma: no cover - geopy is optional
        Point = None
    if Point is not None and isinstance(query, Point):
        return check_point(query.latitude, query.longitude)
    if isinstance(query, (tuple, list)):
        if len(query) != 2:
            raise InvalidQueryError(
                f"Expected a (latitude, longitude) pair, instead got: {_shown(query)}")
        return check_point(query[0], query[1])
    raise InvalidQueryError("Expected a point as 'latitude, longitude', a (latitude, longitude) "
                            f"pair or a geopy Point, instead got: {_shown(query)}")


def _parse_string(text: str) -> tuple[float, float]:
    parts = _SEPARATOR.split(text.strip())
    try:
        numbers_ = [float(p) for p in parts]
    except ValueError:
        return _parse_degrees(text)
    if len(numbers_) != 2:
        raise InvalidQueryError(
            f"Expected a point as 'latitude, longitude', instead got: {_shown(text)}")
    return check_point(numbers_[0], numbers_[1])


def _parse_degrees(text: str) -> tuple[float, float]:
    """Degrees, arcminutes and arcseconds, read with geopy's pattern, unnormalised."""
    bad = InvalidQueryError(
        f"Expected a point as 'latitude, longitude', instead got: {_shown(text)}")
    try:
        from geopy.point import Point
    except ImportError as e:                           # pragma: no cover - geopy is optional
        raise bad from e
    if len(text) > Point._MAX_STRING_LENGTH:           # geopy's guard against slow matching
        raise bad
    match = re.fullmatch(Point.POINT_PATTERN, text.replace("''", '"'))
    if match is None or match.group("latitude_degrees") is None \
            or match.group("longitude_degrees") is None:
        raise bad
    g = match.group
    try:
        lat = Point.parse_degrees(g("latitude_degrees"), g("latitude_arcminutes") or 0.0,
                                  g("latitude_arcseconds") or 0.0,
                                  g("latitude_direction_front") or g("latitude_direction_back"))
        lon = Point.parse_degrees(g("longitude_degrees"), g("longitude_arcminutes") or 0.0,
                                  g("longitude_arcseconds") or 0.0,
                                  g("longitude_direction_front") or g("longitude_direction_back"))
    except (TypeError, ValueError) as e:
        raise bad from e
    return check_point(lat, lon)


def check_query(query: object) -> str:
    """A place name to look up, stripped: a non-empty ``str`` of at most
    :data:`MAX_QUERY_CHARS` characters.

    Raises
    ------
    InvalidQueryError
        Not a string, blank, or too long.

    Examples
    --------
    >>> check_query(None)
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected a non-empty place name, instead got: None
    """
    if not isinstance(query, str) or not query.strip():
        raise InvalidQueryError(f"Expected a non-empty place name, instead got: {_shown(query)}")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidQueryError(f"Expected a place name of at most {MAX_QUERY_CHARS:,} "
                                f"characters, instead got one of {len(query):,}")
    return query.strip()


def check_text_option(value: object, what: str) -> str | None:
    """A filter such as a country code or a feature class: ``None`` or a ``str``.

    Examples
    --------
    >>> check_text_option("ch", "country")
    'ch'
    >>> check_text_option(41, "country")
    Traceback (most recent call last):
    ...
    gazetteer.errors.InvalidQueryError: Expected country as a string or None, instead got: 41
    """
    if value is None or isinstance(value, str):
        return value
    raise InvalidQueryError(f"Expected {what} as a string or None, instead got: {_shown(value)}")
