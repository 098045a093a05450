"""Source: the ``countryinfo`` package (country centres, spellings, demonyms, outlines).

Each country is one JSON file in ``countryinfo/data/``.  This source patches
the country places (defined by :mod:`gazetteer.sources.geonamescache`) with the
``latlng`` centre and the ``geoJSON`` outline, and adds ``altSpellings`` as
alternate names and ``demonym`` as a demonym.  ``geoJSON`` is either a mapping
or the text of a Python literal (older releases); both are accepted.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, cast

from gazetteer.sources._util import keep_name
from gazetteer.sources.base import NameLink, PlacePatch, Record, Ref, package_version

__all__ = ["CountryInfo", "outline_wkb"]

_ISO_LIKE = re.compile(r"[A-Z]{2,3}")


class CountryInfo:
    """Records from the data files of the ``countryinfo`` package."""

    name = "countryinfo"

    def version(self) -> str:
        return package_version("countryinfo")

    def records(self) -> Iterator[Record]:
        folder = files("countryinfo") / "data"
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if not entry.name.endswith(".json"):
                continue
            data = json.loads(entry.read_text(encoding="utf-8"))
            code = (data.get("ISO") or {}).get("alpha2")
            if not code:
                continue
            ref = Ref("country", code.upper())
            changes = {}
            if data.get("latlng") and len(data["latlng"]) == 2:
                changes = {"lat": float(data["latlng"][0]), "lon": float(data["latlng"][1]),
                           "derived": False}
            yield PlacePatch(ref, changes, outline_wkb(data.get("geoJSON")))
            for alt in (data.get("name"), *data.get("altSpellings", ())):
                if alt and keep_name(alt) and not _ISO_LIKE.fullmatch(alt):
                    yield NameLink(ref, alt, "alternate")
            if data.get("demonym"):
                yield NameLink(ref, data["demonym"], "demonym")


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
