"""Readable names of GeoNames feature codes (``PPLC`` -> ``"capital"``).

The table is ours (``geomap/data/feature_names.csv``, one ``code,name`` row
per code): short English words an analyst reads in a record or a popup. A
code it does not hold reads as its feature class's word (``"populated
place"`` for ``P``...), and as ``None`` without one.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

__all__ = ["CLASS_NAMES", "feature_name", "feature_names"]

#: The word for each GeoNames feature class, for codes the table lacks.
CLASS_NAMES: dict[str, str] = {
    "A": "administrative division", "H": "water body", "L": "area", "P": "populated place",
    "R": "road or railway", "S": "facility", "T": "terrain feature", "U": "undersea feature",
    "V": "vegetation",
}


@functools.cache
def feature_names() -> dict[str, str]:
    """The table: feature code -> readable name.

    Examples
    --------
    >>> feature_names()["CMPRF"]
    'refugee camp'
    """
    raw = resources.files("geomap").joinpath("data/feature_names.csv").read_bytes()
    # newline="": the csv module reads the line endings itself
    with io.StringIO(raw.decode("utf-8"), newline="") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


def feature_name(code: str | None, feature_class: str | None = None) -> str | None:
    """The readable name of feature ``code`` (of class ``feature_class``).

    Examples
    --------
    >>> feature_name("PPLC"), feature_name("SEA"), feature_name("ADM1")
    ('capital', 'sea', 'first-order administrative division')
    >>> feature_name("XYZ", "T"), feature_name(None)
    ('terrain feature', None)
    """
    if code is not None:
        name = feature_names().get(code)
        if name is not None:
            return name
    return CLASS_NAMES.get(feature_class) if feature_class is not None else None
