"""A time slider: the places mentioned on (or up to) a chosen date.

Used when the mentions carry dates (a ``date`` column, e.g. from the
``sources.csv`` sidecar). :class:`TimeSlider` is an overlay layer drawn from
the map's :class:`~geomap.maps.layers.PlaceData`; while it is switched on, a
control with a range input picks the date and a checkbox chooses between
that day alone and everything up to it. No plugin or CDN file is needed, so
it works in offline maps as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geomap.maps.layers import PlaceData
from geomap.maps.safe import LiteralMacro, script_json

__all__ = ["TimeSlider", "time_rows"]


def time_rows(place_index: Sequence[int], dates: Sequence[str]
              ) -> tuple[list[str], list[list[int]]]:
    """Distinct sorted dates and ``[place index, date index, mentions]`` rows.

    Parameters
    ----------
    place_index, dates
        One entry per dated mention: its place's index in the
        :class:`PlaceData` and its ISO date.

    Examples
    --------
    >>> time_rows([0, 0, 1, 0], ["2024-03-02", "2024-03-02", "2024-03-01", "2024-03-05"])
    (['2024-03-01', '2024-03-02', '2024-03-05'], [[0, 1, 2], [0, 2, 1], [1, 0, 1]])
    """
    days = sorted(set(dates))
    position = {d: i for i, d in enumerate(days)}
    counts: dict[tuple[int, int], int] = {}
    for index, day in zip(place_index, dates, strict=True):
        key = (int(index), position[day])
        counts[key] = counts.get(key, 0) + 1
    return days, [[i, d, n] for (i, d), n in sorted(counts.items())]


class TimeSlider(JSCSSMixin, Layer, LiteralMacro):
    """An overlay of the places mentioned on the date picked with a slider.

    Parameters
    ----------
    data : PlaceData
    dates : sequence of str
        Distinct ISO dates, sorted.
    rows : sequence of (place index, date index, mentions)
    top : int
        Mentions of the largest marker (the map's size scale).
    min_radius, max_radius : float
        Marker radius range in pixels (as the other layers).
    name : str
        Name in the layer control.
    show : bool
        Switched on when the map opens.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .geomap-timeslider { background: rgba(255,255,255,0.92); padding: 6px 10px;
            font: 12px/1.4 sans-serif; border-radius: 4px; min-width: 260px;
            box-shadow: 0 0 4px rgba(0,0,0,0.3); }
        .geomap-timeslider input[type=range] { width: 100%; margin: 4px 0; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function (group, map, places, dates, rows) {
            var minR = {{ this.min_radius }}, maxR = {{ this.max_radius }}, top = {{ this.top }};
            var control = L.control({position: "bottomleft"}), slider, label, cumulative;
            function draw() {
                var day = +slider.value, totals = {}, total = 0;
                group.clearLayers();
                for (var k = 0; k < rows.length; k++) {
                    var r = rows[k];
                    if (r[1] === day || (cumulative.checked && r[1] < day)) {
                        totals[r[0]] = (totals[r[0]] || 0) + r[2];
                        total += r[2];
                    }
                }
                Object.keys(totals).forEach(function (key) {
                    var p = places[+key], n = totals[key];
                    var marker = L.circleMarker([p[0], p[1]], {
                        radius: Math.max(minR, maxR * Math.sqrt(Math.min(n, top) / top)),
                        color: p[4], fillColor: p[4], weight: 1, opacity: 0.9,
                        fillOpacity: 0.55, index: +key, placeId: p[5], mentions: n
                    });
                    marker.bindPopup(function () { return p[2]; },
                                     {maxWidth: 420, maxHeight: 360, className: "geomap-popup"});
                    marker.bindTooltip(function () { return p[3] + " (" + n + ")"; },
                                       {sticky: true});
                    group.addLayer(marker);
                });
                label.textContent = (cumulative.checked ? "Up to " : "On ") + dates[day] + ": "
                    + total + " mention" + (total === 1 ? "" : "s");
            }
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "geomap-timeslider");
                label = L.DomUtil.create("div", "geomap-timeslider-label", div);
                slider = L.DomUtil.create("input", "", div);
                slider.type = "range";
                slider.min = 0;
                slider.max = dates.length - 1;
                slider.step = 1;
                slider.value = {{ this.start }};
                var option = L.DomUtil.create("label", "", div);
                cumulative = L.DomUtil.create("input", "", option);
                cumulative.type = "checkbox";
                cumulative.checked = {{ this.cumulative|tojson }};
                option.appendChild(document.createTextNode(" up to this date"));
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.on(slider, "input change", draw);
                L.DomEvent.on(cumulative, "change", draw);
                return div;
            };
            group.on("add", function () { control.addTo(map); draw(); });
            group.on("remove", function () { control.remove(); group.clearLayers(); });
        })({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.data.get_name() }},
           {{ this.dates }}, {{ this.rows }});
        {% endmacro %}
        """
    )

    def __init__(self, data: PlaceData, dates: Sequence[str], rows: Sequence[Sequence[int]], *,
                 top: int, min_radius: float = 3.0, max_radius: float = 30.0,
                 name: str = "By date (time slider)", show: bool = False,
                 cumulative: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "TimeSlider"
        self.data = data
        self.dates = script_json(list(dates))
        self.rows = script_json([list(r) for r in rows])
        self.count = len(dates)
        self.start = 0
        self.top = max(1, int(top))
        self.min_radius = float(min_radius)
        self.max_radius = float(max_radius)
        self.cumulative = bool(cumulative)
