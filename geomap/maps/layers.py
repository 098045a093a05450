"""Leaflet layers of place markers, drawn from one shared data array.

:class:`PlaceData` writes each place once (position, packed popup, name,
colour, id, country) with the page's string table; the :class:`PlaceLayer` is
filled from it by the filter panel (:mod:`geomap.maps.filters`), which redraws
it when a filter changes. Popups are built from the packed data when opened
(:data:`geomap.maps.popup.RENDER_JS`), so 10,000 places still open quickly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geomap.maps.popup import RENDER_JS
from geomap.maps.safe import LiteralMacro, script_json

__all__ = ["PlaceData", "PlaceLabels", "PlaceLayer", "radius", "script_json"]

_MARKERCLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"


def radius(count: float, max_count: float, *, min_radius: float = 3.0,
           max_radius: float = 30.0) -> float:
    """Marker radius in pixels on a square-root scale (area ~ count).

    Examples
    --------
    >>> radius(100, 100), radius(25, 100), radius(0, 100)
    (30.0, 15.0, 3.0)
    """
    if max_count <= 0:
        return min_radius
    return round(max(min_radius, max_radius * math.sqrt(count / max_count)), 2)


class PlaceData(JSCSSMixin, LiteralMacro):
    """The marker places of a map, once, and the page's string table.

    In the page, ``places`` holds one row per place: ``[lat, lon, packed
    popup, name, colour, place_id, country index]`` (the popup packed by
    :func:`~geomap.maps.popup.popup_data`, the name as it is: both shown as
    text); the country index points into the filter panel's shaded countries
    (-1 for none). ``strings`` is the :class:`~geomap.maps.popup.Strings`
    table of the packed popups, and ``popup(packed, strings)`` builds a
    popup's DOM.

    Parameters
    ----------
    rows : sequence of sequence
    strings : sequence of str
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .geomap-popup h4 { margin: 0 0 4px 0; }
        .geomap-popup table { border-collapse: collapse; margin: 4px 0; }
        .geomap-popup td, .geomap-popup th { padding: 1px 6px; border-bottom: 1px solid #ddd;
            text-align: left; }
        .geomap-popup ul { padding-left: 16px; margin: 4px 0; }
        .geomap-popup mark { background: #ffe066; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.json }};
            {{ this.get_name() }}.popup = {{ this.render_js }};
        {% endmacro %}
        """
    )

    def __init__(self, rows: Sequence[Sequence], strings: Sequence[str] = ()):
        super().__init__()
        self._name = "PlaceData"
        self.json = script_json({"places": [list(r) for r in rows], "strings": list(strings)})
        self.render_js = RENDER_JS


class PlaceLayer(JSCSSMixin, Layer, LiteralMacro):
    """The layer of circle markers of a :class:`PlaceData`, filled by the filter panel.

    :class:`~geomap.maps.filters.MapFilters` draws one marker per place with
    mentions passing the filters (radius on the map's size scale).

    Parameters
    ----------
    data : PlaceData
    name : str
        Name in the layer control.
    cluster : bool
        Group nearby markers into clusters (Leaflet.markercluster) up to
        zoom 9 (from zoom 10 on, every place is its own marker); a cluster
        shows the sum of its places' mentions.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.cluster -%}
        if ({{ this._parent.get_name() }}.getMaxZoom() === Infinity) {
            {{ this._parent.get_name() }}.setMaxZoom(18);  // clustering needs one (no tiles)
        }
        {%- endif %}
        var {{ this.get_name() }} = {% if this.cluster -%}
            L.markerClusterGroup({
                // all at once: faster than chunks for 10,000 markers, and a chunked load
                // breaks (markercluster's _moveEnd) when the opening view moves meanwhile
                disableClusteringAtZoom: 10,  // town scale: fewer zoom levels to index
                iconCreateFunction: function (cluster) {
                    var total = 0, children = cluster.getAllChildMarkers();
                    for (var i = 0; i < children.length; i++) {
                        total += children[i].options.mentions;
                    }
                    var size = total < 10 ? "small" : (total < 100 ? "medium" : "large");
                    return L.divIcon({
                        html: "<div><span>" + total + "</span></div>",
                        className: "marker-cluster marker-cluster-" + size,
                        iconSize: new L.Point(40, 40)
                    });
                }
            });
        {%- else -%}
            L.featureGroup();
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: PlaceData, *, name: str, cluster: bool = False,
                 show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PlaceLayer"
        self.data = data
        self.cluster = cluster
        if cluster:
            self.default_js = [("markerclusterjs", _MARKERCLUSTER + "leaflet.markercluster.js")]
            self.default_css = [
                ("markerclustercss", _MARKERCLUSTER + "MarkerCluster.css"),
                ("markerclusterdefaultcss", _MARKERCLUSTER + "MarkerCluster.Default.css"),
            ]


class PlaceLabels(Layer, LiteralMacro):
    """A layer of place names (no markers), filled by the filter panel.

    :class:`~geomap.maps.filters.MapFilters` writes the names of the places
    with the most mentions passing the filters next to their markers, as
    text: the offline map's readers find their way without tiles.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str = "Place names", show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PlaceLabels"
