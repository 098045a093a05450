"""One filter panel that drives the markers, the heat map and the country shading.

The mentions of a map are written once, aggregated as rows
``[target, source, category, date, mentions]`` (:func:`filter_rows`), where
``target`` is a marker place's index in the
:class:`~geomap.maps.layers.PlaceData` or ``-1 - i`` for country ``i`` (its
country-level mentions: the country's own names and demonyms). The panel
(:class:`MapFilters`, a Leaflet control) has a searchable list of every
source, the categories and a date range; each change sums the rows that pass
and redraws the marker layer (sizes on the map's fixed scale), the heat map
and the shading of the countries (on the legend's fixed classes) together.

Names reach the page as JSON (:func:`~geomap.maps.safe.script_json`) and are
shown with ``textContent``: a source called ``<img onerror=...>`` is listed as
written. No plugin or CDN file is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from folium.template import Template

from geomap.maps.safe import LiteralMacro, script_json

__all__ = ["SHADES", "MapFilters", "filter_rows", "shade_bins"]

#: Sequential purples of the country shading (light to dark); the markers use
#: the categorical colours, so the two never look alike.
SHADES = ("#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")


def shade_bins(top: int, classes: int = len(SHADES)) -> list[int]:
    """Upper bounds of the shading classes for counts up to ``top`` (square-root steps).

    Class ``k`` holds the counts ``bins[k-1] < n <= bins[k]``; bounds are
    distinct and the last is ``top``.

    Examples
    --------
    >>> shade_bins(100)
    [4, 16, 36, 64, 100]
    >>> shade_bins(2)
    [1, 2]
    """
    top = max(1, int(top))
    bounds = sorted({max(1, round(top * (k / classes) ** 2)) for k in range(1, classes + 1)})
    return bounds


def filter_rows(targets: Sequence[int], sources: Sequence[int], categories: Sequence[int],
                dates: Sequence[int]) -> list[int]:
    """Mentions counted by ``(target, source, category, date)``, flattened 5 by 5.

    Each argument has one entry per mention (indexes; ``-1`` date for an
    undated mention). Flat and sorted, the target written as the difference
    from the row before (the first from 0), so that 100,000 mentions stay
    small in the page.

    Examples
    --------
    >>> filter_rows([0, 0, 1], [0, 0, 1], [0, 0, 0], [2, 2, -1])
    [0, 0, 0, 2, 2, 1, 1, 0, -1, 1]
    >>> filter_rows([-2, 5, 5], [0, 0, 1], [0, 0, 0], [0, 0, 0])
    [-2, 0, 0, 0, 1, 7, 0, 0, 0, 1, 0, 1, 0, 0, 1]
    """
    counts: dict[tuple[int, int, int, int], int] = {}
    for key in zip(targets, sources, categories, dates, strict=True):
        counts[key] = counts.get(key, 0) + 1
    flat: list[int] = []
    before = 0
    for (t, s, c, d), n in sorted(counts.items()):
        flat += [t - before, s, c, d, n]
        before = t
    return flat


class MapFilters(LiteralMacro):
    """The filter panel of a map, and the code that redraws its layers.

    Parameters
    ----------
    data : PlaceData
        The marker places.
    markers : Layer
        The marker layer (:class:`~geomap.maps.layers.PlaceLayer`), filled here.
    rows : list of int
        :func:`filter_rows`.
    sources : sequence of (name, mentions)
    categories : sequence of (name, colour, mentions)
        Empty for no category filter.
    dates : sequence of str
        Distinct ISO dates, sorted (empty for no date filter).
    countries : sequence of (code, packed popup, name)
        The shaded countries; ``code`` as in the country layer's
        ``country_code`` property (HTML-escaped there), the popup packed by
        :func:`~geomap.maps.popup.popup_data` on the data's string table, the
        name as it is (shown as text).
    heat, shading : optional
        The heat-map layer (leaflet.heat) and the country layer (GeoJson).
    labels : optional
        A :class:`~geomap.maps.layers.PlaceLabels` layer: filled with the
        names of the ``label_count`` places with the most mentions passing
        the filters (set as text).
    top : int
        Mentions of the largest marker (the fixed size scale).
    bins : list of int
        :func:`shade_bins` of the country counts.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .geomap-filters { background: rgba(255,255,255,0.94); padding: 4px 8px;
            font: 12px/1.35 sans-serif; border-radius: 4px; width: 230px;
            box-shadow: 0 0 4px rgba(0,0,0,0.3); }
        .geomap-filters summary { font-weight: bold; cursor: pointer; }
        .geomap-filters fieldset { border: 0; border-top: 1px solid #ddd; margin: 4px 0 0 0;
            padding: 4px 0 0 0; }
        .geomap-filters legend { font-weight: bold; padding: 0; }
        .geomap-filters input[type=search] { width: 100%; box-sizing: border-box; }
        .geomap-filters input[type=range] { width: 100%; margin: 1px 0; }
        .geomap-filter-list { max-height: 150px; overflow-y: auto; }
        .geomap-filter-list label { display: block; white-space: nowrap; overflow: hidden;
            text-overflow: ellipsis; }
        .geomap-filter-list i { width: 10px; height: 10px; display: inline-block;
            border-radius: 5px; margin: 0 3px; }
        .geomap-filters button { font-size: 11px; padding: 0 4px; margin: 2px 2px 2px 0; }
        .geomap-filter-status { color: #333; margin-top: 2px; }
        .geomap-label span { font: bold 12px/1.2 sans-serif; color: #222; white-space: nowrap;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
        .geomap-country-label span { font: italic 13px/1.2 sans-serif; color: #3f007d;
            white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map, data, markers, heat, shading, labels, d) {
            var places = data.places;
            var sourceOn = d.sources.map(function () { return true; });
            var categoryOn = d.categories.map(function () { return true; });
            var first = 0, last = d.dates.length - 1, undated = true;
            var nPlaces = places.length, nCountries = d.countries.length;
            var codeIndex = {}, status, fromLabel, toLabel;
            d.countries.forEach(function (c, i) { codeIndex[c[0]] = i; });
            function el(tag, parent, text) {
                var e = L.DomUtil.create(tag, "", parent);
                if (text !== undefined) { e.textContent = text; }
                return e;
            }
            function shade(n) {
                if (!n) { return null; }
                for (var k = 0; k < d.bins.length; k++) {
                    if (n <= d.bins[k]) { return d.shades[k + d.shades.length - d.bins.length]; }
                }
                return d.shades[d.shades.length - 1];
            }
            function radius(n) {
                return Math.max(d.minR, d.maxR * Math.sqrt(Math.min(n, d.top) / d.top));
            }
            function marker(i, n) {
                var p = places[i], colour = p[4];
                var m = L.circleMarker([p[0], p[1]], {
                    radius: radius(n), color: colour, fillColor: colour, weight: 1,
                    opacity: 0.95, fillOpacity: 0.6, index: i, placeId: p[5], mentions: n
                });
                m.bindPopup(function () { return data.popup(p[2], data.strings); },
                            {maxWidth: 420, maxHeight: 360, className: "geomap-popup"});
                m.bindTooltip(function () {
                    return document.createTextNode(p[3] + " (" + n + ")");
                }, {sticky: true});
                return m;
            }
            var labelled = [];
            function placeLabels() {
                // in order of mentions, leaving out a name that would cover one placed
                labels.clearLayers();
                var boxes = [];
                function put(latlng, name, className, dx) {
                    var p = map.latLngToContainerPoint(latlng);
                    var box = [p.x + dx, p.y - 8, p.x + dx + 4 + 7 * name.length, p.y + 8];
                    if (boxes.some(function (b) {
                        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
                    })) { return; }
                    boxes.push(box);
                    var text = document.createElement("span");
                    text.textContent = name;
                    L.marker(latlng, {
                        interactive: false, keyboard: false,
                        icon: L.divIcon({className: className, html: text, iconSize: null,
                                         iconAnchor: [-dx, 8]})
                    }).addTo(labels);
                }
                labelled.forEach(function (i) {
                    put([places[i][0], places[i][1]], places[i][3], "geomap-label", 6);
                });
                if (shading) {  // the shaded countries' names, where no place name is
                    shading.eachLayer(function (layer) {
                        var i = codeIndex[layer.feature.properties.country_code];
                        if (i === undefined || !(layer.geomapCounts || [0])[0]) { return; }
                        var name = d.countries[i][2];
                        put(layer.getBounds().getCenter(), name, "geomap-country-label",
                            -3.5 * name.length);
                    });
                }
            }
            if (labels) { map.on("zoomend", placeLabels); }
            function draw() {
                var totals = new Array(nPlaces).fill(0), own = new Array(nCountries).fill(0),
                    all = new Array(nCountries).fill(0), rows = d.rows, mentions = 0, t = 0;
                for (var k = 0; k < rows.length; k += 5) {
                    t += rows[k];  // written as the difference from the row before
                    var day = rows[k + 3], n = rows[k + 4];
                    if (!sourceOn[rows[k + 1]]) { continue; }
                    if (d.categories.length && !categoryOn[rows[k + 2]]) { continue; }
                    if (day < 0 ? !undated : (day < first || day > last)) { continue; }
                    mentions += n;
                    if (t >= 0) {
                        totals[t] += n;
                        var c = places[t][6];
                        if (c >= 0) { all[c] += n; }
                    } else {
                        own[-1 - t] += n;
                        all[-1 - t] += n;
                    }
                }
                var drawn = [], weights = [];
                for (var i = 0; i < nPlaces; i++) {
                    if (totals[i] > 0) {
                        drawn.push(marker(i, totals[i]));
                        weights.push([places[i][0], places[i][1],
                                      Math.min(1, totals[i] / d.top)]);
                    }
                }
                markers.clearLayers();
                if (markers.addLayers) { markers.addLayers(drawn); }
                else { drawn.forEach(function (m) { markers.addLayer(m); }); }
                if (heat) { heat.setLatLngs(weights); }
                if (shading) {
                    shading.eachLayer(function (layer) {
                        var i = codeIndex[layer.feature.properties.country_code];
                        var n = i === undefined ? 0 : all[i];
                        layer.geomapCounts = i === undefined ? null : [all[i], own[i]];
                        layer.setStyle({fillColor: shade(n) || "#cccccc",
                                        fillOpacity: n ? 0.7 : 0.12});
                    });
                }
                if (labels) {  // after the shading: its counts name countries
                    labelled = drawn.map(function (m) { return m.options.index; })
                        .sort(function (a, b) { return totals[b] - totals[a] || a - b; })
                        .slice(0, d.labels);
                    placeLabels();
                }
                status.textContent = drawn.length + " place" + (drawn.length === 1 ? "" : "s")
                    + " \\u00b7 " + mentions + " mention" + (mentions === 1 ? "" : "s");
                if (fromLabel) {
                    fromLabel.textContent = "From " + d.dates[first];
                    toLabel.textContent = "to " + d.dates[last];
                }
                map.fire("geomap:filtered", {places: drawn.length, mentions: mentions});
            }
            if (shading) {
                shading.eachLayer(function (layer) {
                    var i = codeIndex[layer.feature.properties.country_code];
                    if (i === undefined) { return; }
                    layer.bindPopup(function () {
                        return data.popup(d.countries[i][1], data.strings);
                    },
                                    {maxWidth: 420, maxHeight: 360, className: "geomap-popup"});
                    layer.bindTooltip(function () {
                        var n = layer.geomapCounts || [0, 0];
                        return document.createTextNode(d.countries[i][2] + ": " + n[0]
                            + " mention" + (n[0] === 1 ? "" : "s") + " (" + n[1]
                            + " of the country itself)");
                    }, {sticky: true});
                });
            }
            function checklist(parent, items, on, search) {
                var box = el("div", parent), boxes = [];
                box.className = "geomap-filter-list";
                items.forEach(function (item, i) {
                    var label = el("label", box), input = el("input", label);
                    input.type = "checkbox";
                    input.checked = true;
                    input.value = i;
                    if (item.length > 2) {
                        var swatch = el("i", label);
                        swatch.style.background = item[1];
                    }
                    label.appendChild(document.createTextNode(" " + item[0] + " ("
                        + item[item.length - 1] + ")"));
                    label.title = item[0];
                    L.DomEvent.on(input, "change", function () { on[i] = input.checked; draw(); });
                    boxes.push([label, input, String(item[0]).toLowerCase()]);
                });
                function setVisible(value) {
                    boxes.forEach(function (b) {
                        if (b[0].style.display !== "none") {
                            b[1].checked = value;
                            on[+b[1].value] = value;
                        }
                    });
                    draw();
                }
                var all = el("button", parent, "all"), none = el("button", parent, "none");
                all.type = none.type = "button";
                L.DomEvent.on(all, "click", function () { setVisible(true); });
                L.DomEvent.on(none, "click", function () { setVisible(false); });
                if (search) {
                    L.DomEvent.on(search, "input", function () {
                        var q = search.value.toLowerCase();
                        boxes.forEach(function (b) {
                            b[0].style.display = b[2].indexOf(q) >= 0 ? "" : "none";
                        });
                    });
                }
                parent.insertBefore(box, all);
            }
            var control = L.control({position: "topleft"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "geomap-filters");
                var details = el("details", div), summary = el("summary", details, "Filters");
                details.open = true;
                status = el("div", div);
                status.className = "geomap-filter-status";
                var sources = el("fieldset", details);
                sources.className = "geomap-filter-sources";
                el("legend", sources, "Sources (" + d.sources.length + ")");
                var search = el("input", sources);
                search.type = "search";
                search.placeholder = "filter sources";
                checklist(sources, d.sources, sourceOn, search);
                if (d.categories.length) {
                    var cats = el("fieldset", details);
                    cats.className = "geomap-filter-categories";
                    el("legend", cats, "Categories");
                    checklist(cats, d.categories, categoryOn, null);
                }
                if (d.dates.length) {
                    var dates = el("fieldset", details);
                    dates.className = "geomap-filter-dates";
                    el("legend", dates, "Dates");
                    fromLabel = el("div", dates);
                    var from = el("input", dates);
                    toLabel = el("div", dates);
                    var to = el("input", dates);
                    [from, to].forEach(function (r, j) {
                        r.type = "range"; r.min = 0; r.max = d.dates.length - 1; r.step = 1;
                        r.value = j ? d.dates.length - 1 : 0;
                        r.className = j ? "geomap-date-to" : "geomap-date-from";
                    });
                    L.DomEvent.on(from, "input change", function () {
                        first = +from.value;
                        if (first > last) { last = first; to.value = last; }
                        draw();
                    });
                    L.DomEvent.on(to, "input change", function () {
                        last = +to.value;
                        if (last < first) { first = last; from.value = first; }
                        draw();
                    });
                    if (d.undated) {
                        var option = el("label", dates), box = el("input", option);
                        box.type = "checkbox";
                        box.checked = true;
                        box.className = "geomap-undated";
                        option.appendChild(document.createTextNode(" undated mentions"));
                        L.DomEvent.on(box, "change", function () {
                            undated = box.checked;
                            draw();
                        });
                    }
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo(map);
            draw();
        })({{ this._parent.get_name() }}, {{ this.data.get_name() }},
           {{ this.markers.get_name() }},
           {{ this.heat.get_name() if this.heat else "null" }},
           {{ this.shading.get_name() if this.shading else "null" }},
           {{ this.labels.get_name() if this.labels else "null" }},
           {{ this.json }});
        {% endmacro %}
        """
    )

    def __init__(self, data, markers, rows: list[int], *, sources: Sequence[Sequence],
                 categories: Sequence[Sequence] = (), dates: Sequence[str] = (),
                 undated: bool = False, countries: Sequence[Sequence] = (), heat=None,
                 shading=None, top: int, bins: Sequence[int] = (1,),
                 min_radius: float = 3.0, max_radius: float = 30.0, labels=None,
                 label_count: int = 0):
        super().__init__()
        self._name = "MapFilters"
        self.data = data
        self.markers = markers
        self.labels = labels
        self.heat = heat
        self.shading = shading
        self.json = script_json({
            "rows": list(rows), "sources": [list(s) for s in sources],
            "categories": [list(c) for c in categories], "dates": list(dates),
            "undated": bool(undated and dates), "countries": [list(c) for c in countries],
            "top": max(1, int(top)), "bins": list(bins), "shades": list(SHADES),
            "minR": float(min_radius), "maxR": float(max_radius), "labels": int(label_count),
        })
