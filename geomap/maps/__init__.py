"""Interactive maps of the mention table.

One module per part: :mod:`~geomap.maps.popup` (popup HTML),
:mod:`~geomap.maps.layers` (marker layers), :mod:`~geomap.maps.legend`,
:mod:`~geomap.maps.choropleth` (countries), :mod:`~geomap.maps.offline`
(inlined assets), :mod:`~geomap.maps.safe` (untrusted text: never template
source, escaped in HTML, links only ``http(s)``) and :mod:`~geomap.maps.core`
(``make_map``, ``write_map``).
folium is imported only when a map is made.
"""

from geomap.maps.core import make_map, write_map

__all__ = ["make_map", "write_map"]
