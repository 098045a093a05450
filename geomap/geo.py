"""The mention table and the place table as GeoDataFrames (geopandas).

For analysis in geopandas (``.explore()``, spatial joins): the same rows and
columns as the GeoPackage export's layers, points in EPSG:4326. Needs the
``gis`` extra (``pip install 'geomap[gis]'``), imported only when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "to_geodataframe"]

#: What :func:`to_geodataframe` can make
KINDS = ("mentions", "places")


def to_geodataframe(mentions: pd.DataFrame, kind: str = "mentions", *,
                    categorize: bool = True):
    """The resolved mentions, or the places, of a mention table as a GeoDataFrame.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mention table (:func:`geomap.extract`).
    kind : {"mentions", "places"}
        One point per resolved mention (the table's columns and
        ``category``), or one per place (:func:`geomap.export.place_table`,
        indexed by ``place_id``, as the GeoJSON's feature ids).
    categorize : bool
        Add the ``category`` column when the table has none.

    Returns
    -------
    geopandas.GeoDataFrame
        Points in EPSG:4326; ``geonameid`` a nullable integer, dates datetimes.

    Raises
    ------
    MissingExtraError
        When geopandas is not installed (``pip install 'geomap[gis]'``).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=616052, name="Yerevan", lat=40.18, lon=44.51, country_code="AM")
    >>> gdf = to_geodataframe(to_frame([Mention("a", 9, 16, "Yerevan", p)]), "places")
    >>> gdf.crs.to_epsg(), gdf.index.tolist(), gdf.geometry.iloc[0].x
    (4326, [616052], 44.51)
    """
    if kind not in KINDS:
        raise ConfigurationError(f"Expected kind among {KINDS}, instead got: {kind!r}")
    try:
        import geopandas  # noqa: F401
    except ImportError as e:
        raise MissingExtraError(
            "a GeoDataFrame needs geopandas: pip install 'geomap[gis]'") from e
    from geomap.aggregate import resolved
    from geomap.export import _categorized, _points, place_table

    if kind == "places":
        gdf = _points(place_table(mentions, categorize=categorize), dates_as_days=False)
        return gdf.set_index("place_id", drop=False).rename_axis(None)
    return _points(_categorized(resolved(mentions), categorize).reset_index(drop=True),
                   dates_as_days=False)
