"""Map legends: the marker size scale and the category colours."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from folium.template import Template

from geomap.maps.layers import radius
from geomap.maps.safe import LiteralMacro, script_json

__all__ = ["Legend", "legend_counts", "size_legend_html", "colour_legend_html",
           "shade_legend_html"]


def legend_counts(max_count: int) -> list[int]:
    """Up to three round mention counts to explain the size scale.

    Examples
    --------
    >>> legend_counts(1), legend_counts(7), legend_counts(1234)
    ([1], [1, 7], [1, 100, 1234])
    """
    if max_count <= 1:
        return [1]
    mid = 10 ** int(math.log10(max_count / 2)) if max_count >= 20 else 0
    return sorted({1, mid, max_count} - {0})


def size_legend_html(max_count: int, *, min_radius: float, max_radius: float) -> str:
    """HTML of the size scale: one circle per count of :func:`legend_counts`."""
    rows = []
    for count in legend_counts(max_count):
        r = radius(count, max_count, min_radius=min_radius, max_radius=max_radius)
        d = 2 * r + 2
        rows.append(
            f'<div class="geomap-legend-row"><svg width="{2 * max_radius + 2:.0f}" '
            f'height="{d:.0f}"><circle cx="{max_radius + 1:.0f}" cy="{r + 1:.2f}" r="{r}" '
            'fill="#888" fill-opacity="0.4" stroke="#444"/></svg>'
            f"<span>{count} mention{'s' if count != 1 else ''}</span></div>"
        )
    return "<b>Mentions</b>" + "".join(rows)


def colour_legend_html(title: str, colours: Mapping[str, str]) -> str:
    """HTML of a colour key such as the mention categories."""
    rows = "".join(
        f'<div class="geomap-legend-row"><i style="background:{escape(c)}"></i>'
        f"<span>{escape(str(label))}</span></div>"
        for label, c in colours.items()
    )
    return f"<b>{escape(title)}</b>{rows}"


def shade_legend_html(title: str, bins, shades) -> str:
    """HTML of the country shading's classes: one swatch per class of counts.

    Examples
    --------
    >>> html = shade_legend_html("Mentions per country", [1, 4], ["#ccc", "#333"])
    >>> "1</span>" in html and "2&ndash;4</span>" in html
    True
    """
    rows, low = [], 1
    for high, colour in zip(bins, shades, strict=True):
        label = str(high) if high == low else f"{low}&ndash;{high}"
        rows.append(f'<div class="geomap-legend-row"><i class="geomap-shade" '
                    f'style="background:{escape(colour)}"></i><span>{label}</span></div>')
        low = high + 1
    return f"<b>{escape(title)}</b>" + "".join(rows)


class Legend(LiteralMacro):
    """A Leaflet control in a map corner holding legend HTML.

    The HTML is set as it is: labels in it must be escaped already (as
    :func:`colour_legend_html` does).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .geomap-legend { background: rgba(255,255,255,0.9); padding: 6px 8px;
            font: 12px/1.3 sans-serif; border-radius: 4px;
            box-shadow: 0 0 4px rgba(0,0,0,0.3); }
        .geomap-legend-row { display: flex; align-items: center; gap: 6px; }
        .geomap-legend-row i { width: 12px; height: 12px; display: inline-block;
            border-radius: 6px; opacity: 0.8; }
        .geomap-legend-row i.geomap-shade { border-radius: 0; opacity: 0.7;
            border: 1px solid #666; }
        .geomap-legend b { display: block; margin-top: 4px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "geomap-legend");
            div.innerHTML = {{ this.html }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.html = script_json(html)
        self.position = position
