"""A country choropleth of mention counts.

Country outlines come from the caller (e.g. ``Gazetteer.country_shapes()``),
as ``(ISO alpha-2 code, geometry)`` pairs or as a GeoJSON-like
FeatureCollection, so the map layer does not depend on any gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import folium

from geomap.errors import ConfigurationError
from geomap.maps.safe import LiteralMacro

__all__ = ["CODE_KEYS", "PANE", "SEA", "CountryShapes", "shapes_collection", "country_layer",
           "outline_layer"]

#: Feature properties looked at (in order) for a country's alpha-2 code.
CODE_KEYS = ("country_code", "iso_a2", "ISO_A2", "ISO3166-1-Alpha-2", "iso2", "code")
#: Leaflet pane of the country layers: below the markers (overlayPane, 400),
#: so switching the choropleth on again never covers them.
PANE = "geomap-countries"
#: Map background behind the outline base map.
SEA = "#d4e4ee"


class CountryShapes(folium.GeoJson, LiteralMacro):
    """:class:`folium.GeoJson` whose output is never re-templated (see :mod:`.safe`).

    Country shapes come from the caller: their properties are data, not template.
    """


def _pane_option(pane: str | None) -> dict[str, Any]:
    """Keywords that put a layer in the Leaflet pane ``pane``, if one is named
    (folium passes keywords it does not know on to Leaflet as options)."""
    return {"pane": pane} if pane else {}


def _geometry(geom) -> dict:
    if hasattr(geom, "__geo_interface__"):
        geom = geom.__geo_interface__
    if not isinstance(geom, Mapping) or "type" not in geom:
        raise ConfigurationError(
            f"Expected a geometry (GeoJSON mapping or object with __geo_interface__) "
            f"for a country shape, instead got: {geom!r:.80}"
        )
    return dict(geom)


def _code(feature: Mapping) -> str | None:
    props = feature.get("properties") or {}
    for key in CODE_KEYS:
        if props.get(key):
            return str(props[key]).upper()
    fid = feature.get("id")
    return str(fid).upper() if isinstance(fid, str) and len(fid) == 2 else None


def shapes_collection(country_shapes) -> list[tuple[str, dict]]:
    """Normalise ``country_shapes`` to ``[(code, GeoJSON geometry), ...]``.

    Accepts ``(code, geometry)`` pairs (geometries as mappings or objects
    with ``__geo_interface__``, e.g. shapely), a GeoJSON FeatureCollection
    mapping, or anything whose ``__geo_interface__`` is one (a GeoDataFrame).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> shapes_collection([("ch", box(6, 46, 10, 48))])[0][0]
    'CH'
    """
    if hasattr(country_shapes, "__geo_interface__"):
        country_shapes = country_shapes.__geo_interface__
    if isinstance(country_shapes, Mapping):
        if country_shapes.get("type") != "FeatureCollection":
            raise ConfigurationError(
                "Expected country_shapes as (code, geometry) pairs or a GeoJSON "
                f"FeatureCollection, instead got a mapping of type: {country_shapes.get('type')!r}"
            )
        out = []
        for feature in country_shapes.get("features", []):
            code = _code(feature)
            if code and feature.get("geometry"):
                out.append((code, _geometry(feature["geometry"])))
        return out
    if isinstance(country_shapes, str | bytes) or not isinstance(country_shapes, Iterable):
        raise ConfigurationError(
            "Expected country_shapes as (code, geometry) pairs or a GeoJSON "
            f"FeatureCollection, instead got: {country_shapes!r:.80}"
        )
    out = []
    for item in country_shapes:
        try:
            code, geom = item
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"Expected a (code, geometry) pair in country_shapes, instead got: {item!r:.80}"
            ) from exc
        out.append((str(code).upper(), _geometry(geom)))
    return out


def country_layer(counts: Mapping[str, int], country_shapes, *, name: str = "Mentions by country",
                  show: bool = True, pane: str | None = None):
    """A :class:`folium.GeoJson` layer shading each country by its mention count.

    Parameters
    ----------
    counts : mapping
        Mentions per ISO alpha-2 code.
    country_shapes
        See :func:`shapes_collection`.

    Returns
    -------
    folium.GeoJson
        Shaded in :data:`~geomap.maps.filters.SHADES` (sequential purples)
        by :func:`~geomap.maps.filters.shade_bins`; countries without
        mentions are drawn faintly; in ``pane`` when given. Its
        ``country_code`` properties are HTML-escaped. Tooltips and popups
        are bound (and the shading redrawn) by the map's filter panel
        (:class:`~geomap.maps.filters.MapFilters`). Its output is never
        compiled as a template.
    """
    from geomap.maps.filters import SHADES, shade_bins

    pairs = shapes_collection(country_shapes)
    top = max([int(counts.get(code, 0)) for code, _ in pairs] + [1])
    bins = shade_bins(top)
    shades = SHADES[len(SHADES) - len(bins):]
    features = []
    for code, geom in pairs:
        n = int(counts.get(code, 0))
        fill = next((c for b, c in zip(bins, shades, strict=True) if n <= b), shades[-1])
        features.append({
            "type": "Feature",
            # Leaflet writes tooltips as HTML
            "properties": {"country_code": escape(code), "mentions": n,
                           "fill": fill if n else "#cccccc"},
            "geometry": geom,
        })
    collection = {"type": "FeatureCollection", "features": features}
    return CountryShapes(
        collection,
        name=name,
        show=show,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#666666",
            "weight": 0.5,
            "fillOpacity": 0.7 if f["properties"]["mentions"] else 0.12,
        },
        highlight_function=lambda f: {"weight": 2, "color": "#333333"},
        **_pane_option(pane),
    )


def outline_layer(country_shapes, *, pane: str | None = None):
    """Country outlines as a base map (for maps without tiles, e.g. offline).

    A plain, non-interactive :class:`folium.GeoJson` that is not listed in
    the layer control. Combine with a sea-coloured map background
    (:data:`SEA`).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> layer = outline_layer([("CH", box(6, 46, 10, 48))])
    >>> layer.control, len(layer.data["features"])
    (False, 1)
    """
    features = [{"type": "Feature", "properties": {"country_code": escape(code)},
                 "geometry": geom}
                for code, geom in shapes_collection(country_shapes)]
    return CountryShapes(
        {"type": "FeatureCollection", "features": features},
        name="Country outlines",
        control=False,
        style_function=lambda f: {"fillColor": "#f4f1ea", "fillOpacity": 1,
                                  "color": "#9a9a9a", "weight": 0.6},
        interactive=False,
        **_pane_option(pane),
    )
