"""Offline GeoNames-backed gazetteer: a SQLite store of places and names.

Examples
--------
>>> import gazetteer
>>> gazetteer.fold("Nagorno-Karabakh")
'nagorno karabakh'
>>> with gazetteer.Gazetteer.open() as gaz:                 # doctest: +SKIP
...     gaz.candidates("Stepanakert")[0].place.geonameid
146970
"""

import os

if os.environ.get("GEOMAP_PURE_PYTHON"):      # the store is compiled too: see geomap.speedups
    from geomap.speedups import use_pure_python

    use_pure_python()

from gazetteer import errors  # noqa: E402
from gazetteer.build import build
from gazetteer.candidate import Candidate
from gazetteer.errors import (
    GazetteerBuildError,
    GazetteerCorruptError,
    GazetteerError,
    GazetteerImportError,
    MissingExtraError,
)
from gazetteer.names import fold
from gazetteer.place import CURATED_ID_BASE, Place
from gazetteer.store import Gazetteer

__all__ = [
    "Place", "Candidate", "Gazetteer", "build", "fold", "GazetteerGeocoder", "errors",
    "CURATED_ID_BASE", "GazetteerError", "GazetteerBuildError", "GazetteerCorruptError",
    "GazetteerImportError", "MissingExtraError", "default_path",
]


def __getattr__(name: str):
    # Lazy: the geocoder pulls in geopy.
    if name == "GazetteerGeocoder":
        from gazetteer.geocoder import GazetteerGeocoder

        return GazetteerGeocoder
    if name == "default_path":
        from gazetteer.paths import default_path

        return default_path
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
