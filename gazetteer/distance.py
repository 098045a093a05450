"""Great-circle distance between two points, for the gazetteer's layers.

The store's :meth:`~gazetteer.Gazetteer.nearest` and the checks of
:mod:`gazetteer.sources.division_points` measure the same way; this module
sits below both (a source may not import the store).

Examples
--------
>>> round(haversine_km(46.2044, 6.1432, 48.8566, 2.3522))     # Geneva to Paris
410
>>> haversine_km(10.0, 20.0, 10.0, 20.0)
0.0
"""

from __future__ import annotations

import math

__all__ = ["haversine_km", "EARTH_KM"]

#: The mean Earth radius (IUGG), in km.
EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))
