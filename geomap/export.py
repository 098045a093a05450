"""Write the mention table and its places to files GIS tools read.

- :func:`places_geojson` / :func:`write_geojson`: one RFC 7946 Feature per place.
- :func:`mentions_geojson` / :func:`write_mentions_geojson`: one Feature per mention.
- :func:`write_csv`, :func:`write_parquet`: the mention table itself.
- :func:`write_gpkg`: places and mentions as two GeoPackage layers (pyogrio).

Every writer is atomic: it writes a temporary file in the target's folder
and moves it over the target.
"""

from __future__ import annotations

import json
import os
import tempfile
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "atomic_write",
    "places_geojson",
    "write_geojson",
]

#: Decimal places kept in coordinates (about 1 cm).
PRECISION = 7


def atomic_write(path: str | PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and :func:`os.replace`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(p, "hi").read_text()
    'hi'
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _scalar(value):
    """A JSON scalar: missing values (None, NaN, NA) become None, numpy to Python."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):  # pd.NA
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point",
            "coordinates": [round(float(lon), PRECISION), round(float(lat), PRECISION)]}


def places_geojson(mentions: pd.DataFrame) -> dict:
    """The places of a mention table as an RFC 7946 FeatureCollection.

    One Point Feature per place (``[lon, lat]``, at most 7 decimals), with
    the integer ``id`` = ``place_id`` and flat properties: ``place_id``,
    ``name``, ``geonameid`` (int or null), ``country_code``,
    ``feature_class``, ``feature_code``, ``mentions``, ``documents``,
    ``sources``, ``source_names`` and, when any mention has a date,
    ``first_date``/``last_date`` (ISO dates or null).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556,
    ...           country_code="RU", feature_code="PPLC", geonameid=524901)
    >>> fc = places_geojson(to_frame([Mention("a", 0, 6, "Moscow", p)]))
    >>> fc["features"][0]["geometry"]["coordinates"]
    [37.61556, 55.75222]
    """
    from geomap.aggregate import places

    table = places(mentions)
    keys = ["place_id", "name", "geonameid", "country_code", "feature_class", "feature_code",
            "mentions", "documents", "sources", "source_names"]
    if table["first_date"].notna().any():
        keys += ["first_date", "last_date"]
    features = []
    for row in table.to_dict("records"):
        props = {k: _scalar(row[k]) for k in keys}
        for k in ("place_id", "geonameid", "mentions", "documents", "sources"):
            if props[k] is not None:
                props[k] = int(props[k])
        features.append({
            "type": "Feature",
            "id": int(row["place_id"]),
            "geometry": _point(row["lon"], row["lat"]),
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def _dump(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_geojson(mentions: pd.DataFrame, path: str | PathLike) -> Path:
    """Write :func:`places_geojson` to ``path`` (UTF-8), atomically; returns the path."""
    return atomic_write(path, _dump(places_geojson(mentions)))
