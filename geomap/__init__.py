"""geomap: find the places news articles mention, resolve them offline, map them.

The public API is flat and imported lazily, so ``import geomap`` stays fast::

    import geomap
    df = geomap.extract("seeds/")          # mention table (pandas) of a folder
    df = geomap.extract(["Talks in Ankara.", "Shelling in Shusha."])   # of texts
    m = geomap.make_map(df)                # folium.Map
    f = geomap.focus(df)                   # one row per document: where its events happened
    g = geomap.to_geodataframe(df, kind="places")   # geopandas, EPSG:4326 ('geomap[gis]')

A ``str`` (or ``Path``) on its own is a path and must exist; every ``str`` in a
list is a text; ``bytes`` are refused (decode them first). See
:func:`geomap.documents.read_documents`.
"""

from __future__ import annotations

import importlib
import os

if os.environ.get("GEOMAP_PURE_PYTHON"):      # see geomap.speedups
    from geomap.speedups import use_pure_python

    use_pure_python()

__all__ = [
    "extract", "Pipeline", "read_documents", "Document", "RunReport", "Mention", "COLUMNS",
    "make_map", "write_map", "places_geojson", "write_geojson", "places", "focus",
    "to_geodataframe", "GeomapError", "InputError", "InputNotFoundError", "InputTypeError",
    "ConfigurationError",
]
__version__ = "0.1.0"

_LAZY = {
    "extract": "geomap.pipeline", "Pipeline": "geomap.pipeline",
    "read_documents": "geomap.documents", "Document": "geomap.documents",
    "RunReport": "geomap.documents", "Mention": "geomap.mentions", "COLUMNS": "geomap.mentions",
    "make_map": "geomap.maps", "write_map": "geomap.maps",
    "places_geojson": "geomap.export", "write_geojson": "geomap.export",
    "places": "geomap.aggregate", "focus": "geomap.docfocus", "to_geodataframe": "geomap.geo",
    "GeomapError": "geomap.errors", "InputError": "geomap.errors",
    "InputNotFoundError": "geomap.errors", "InputTypeError": "geomap.errors",
    "ConfigurationError": "geomap.errors",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
