"""``make_map`` and ``write_map``: the mention table as an interactive map."""

from __future__ import annotations

import warnings
from collections import defaultdict
from html import escape
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["make_map", "write_map", "PALETTE", "DEFAULT_COLOUR"]

#: Marker colour when not colouring by category.
DEFAULT_COLOUR = "#d7301f"
#: Colours of the per-source layers, in turn.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#d62728")
_MENTION_FIELDS = ("doc", "source", "date", "url", "start", "end", "text", "sentence",
                   "sentence_start")


def _check_coordinates(table: pd.DataFrame) -> None:
    bad = table[~(table["lat"].between(-90, 90) & table["lon"].between(-180, 180))]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(
            "Expected latitude in [-90, 90] and longitude in [-180, 180] for place_id "
            f"{int(row['place_id'])} ({row['name']!r}), instead got: "
            f"({float(row['lat'])!r}, {float(row['lon'])!r})"
        )


def _mentions_by_place(df: pd.DataFrame) -> dict[int, list[dict]]:
    fields = [c for c in _MENTION_FIELDS if c in df.columns]
    grouped: dict[int, list[dict]] = defaultdict(list)
    for pid, *values in df[["place_id", *fields]].itertuples(index=False, name=None):
        grouped[int(pid)].append(dict(zip(fields, values, strict=True)))
    return grouped


def _place_colours(df: pd.DataFrame, table: pd.DataFrame, color_by: str | None,
                   words) -> tuple[list[str], dict[str, str]]:
    """Marker colour per place (table order) and the legend of colours."""
    if color_by is None:
        return [DEFAULT_COLOUR] * len(table), {}
    if color_by != "category":
        raise ConfigurationError(
            f"Expected color_by to be None or 'category', instead got: {color_by!r}"
        )
    from geomap.categories import COLOURS, categorize, dominant

    if "category" not in df.columns:
        df = categorize(df, words=words)
    main = dominant(df)
    colours = [COLOURS.get(main.get(int(pid), "other"), COLOURS["other"])
               for pid in table["place_id"]]
    used = [c for c in COLOURS if c in set(main.values())]
    return colours, {c: COLOURS[c] for c in used}


def _dated(df: pd.DataFrame, table: pd.DataFrame):
    """``(place index, ISO date)`` of the dated mentions, or None when none is dated."""
    from geomap.aggregate import iso_dates

    if "date" not in df.columns or df["date"].isna().all():
        return None
    days = iso_dates(df)
    keep = days.notna()
    if not keep.any():
        return None
    position = {int(pid): i for i, pid in enumerate(table["place_id"])}
    return [position[int(p)] for p in df.loc[keep, "place_id"]], list(days[keep])


def make_map(
    mentions: pd.DataFrame,
    *,
    m: folium.Map | None = None,
    country_shapes=None,
    layers_by_source: bool = True,
    cluster: bool | None = None,
    cluster_threshold: int = 500,
    heatmap: bool = True,
    color_by: str | None = None,
    category_words=None,
    only_categories=None,
    legend: bool = True,
    max_sentences: int = 3,
    max_source_layers: int = 10,
    min_radius: float = 3.0,
    max_radius: float = 30.0,
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
    outlines: bool | None = None,
    time_slider: bool | None = None,
    **map_options,
) -> folium.Map:
    """Draw the places of a mention table on a Leaflet map.

    Each place is a circle whose area grows with its number of mentions
    (square-root radius). Its popup gives the place's name, country,
    feature type, mentions per source and the sentences that mention it
    (the mention highlighted, linked to the article's ``url`` when that is
    ``http(s)``).

    Every string of the table is untrusted: it is HTML-escaped wherever it
    reaches the page (popups, tooltips, layer names, legend) and is never
    part of a template's source (see :mod:`geomap.maps.safe`), so text such
    as ``{{citation needed}}`` or ``<img onerror=...>`` shows as written.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mention table (:func:`geomap.mentions.to_frame`); not modified.
    m : folium.Map, optional
        Draw on this map instead of a new one.
    country_shapes : optional
        ``(ISO alpha-2 code, geometry)`` pairs or a GeoJSON FeatureCollection
        (e.g. ``list(Gazetteer.country_shapes())``): adds a choropleth of
        mentions per country, with a tooltip.
    layers_by_source : bool
        Also add one (hidden) layer per source, sized by that source's
        counts, switchable in the layer control.
    cluster : bool, optional
        Cluster nearby markers; by default when there are more than
        ``cluster_threshold`` places.
    heatmap : bool
        Add a (hidden) heat-map layer weighted by mentions.
    color_by : {None, "category"}
        Colour markers by the most frequent mention category of the place
        (see :mod:`geomap.categories`; ``category_words`` replaces its word
        list when the table has no ``category`` column).
    only_categories : str or list of str, optional
        Draw only the mentions of these categories (e.g. ``"violence"``);
        the table is categorised first when it has no ``category`` column.
    legend : bool
        Show the size scale (and colour key).
    max_sentences : int
        Sentences quoted per popup at most (long ones cut around the mention).
    max_source_layers : int
        Per-source layers for the sources with most mentions, at most.
    min_radius, max_radius : float
        Marker radius range in pixels.
    offline : bool
        Inline Leaflet and plugin files (needs ``geomap[offline]``). Tiles
        still come from the network: pass ``tiles=None`` and
        ``country_shapes`` for a map that needs none.
    tiles : str or None
        Background tiles for a new map; ``None`` for none.
    outlines : bool, optional
        Draw ``country_shapes`` as a base map (land on a sea-coloured
        background); by default when ``tiles`` is None.
    time_slider : bool, optional
        Add a "By date" layer with a slider over the mention dates; by
        default when any mention has a (parsable) ``date``.
    **map_options
        Passed to :class:`folium.Map` when ``m`` is not given.

    Returns
    -------
    folium.Map
        Renders in Jupyter through its ``_repr_html_``.

    Warns
    -----
    UserWarning
        When no mention is resolved to a place (the map is then empty).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556,
    ...           country_code="RU", feature_code="PPLC", geonameid=524901)
    >>> df = to_frame([Mention("a", 3, 9, "Moscow", p, sentence="In Moscow.")])
    >>> html = make_map(df, tiles=None).get_root().render()
    >>> "Moscow" in html
    True
    """
    import folium
    import folium.plugins

    from geomap.aggregate import by_source, places, resolved
    from geomap.maps.choropleth import PANE, SEA, country_layer, outline_layer, shapes_collection
    from geomap.maps.layers import PlaceData, PlaceLayer, radius
    from geomap.maps.legend import Legend, colour_legend_html, size_legend_html
    from geomap.maps.popup import popup_html
    from geomap.maps.safe import LayerControl, Literal

    if max_radius < min_radius or min_radius <= 0:
        raise ConfigurationError(
            "Expected 0 < min_radius <= max_radius, instead got: "
            f"min_radius={min_radius!r}, max_radius={max_radius!r}"
        )
    if only_categories is not None:
        mentions = _only_categories(mentions, only_categories, category_words)
    df = resolved(mentions)
    table = places(mentions)
    if m is None:
        map_options.setdefault("control_scale", True)
        m = folium.Map(location=map_options.pop("location", (20, 0)),
                       zoom_start=map_options.pop("zoom_start", 2), tiles=tiles, **map_options)
        # our layers need Leaflet only: leave out jQuery, Bootstrap and icon fonts
        m.default_js = [a for a in m.default_js if a[0] == "leaflet"]
        m.default_css = [a for a in m.default_css if a[0] == "leaflet_css"]
    if offline:
        from geomap.maps.offline import make_offline

        make_offline(m)
    if country_shapes is not None:
        country_shapes = shapes_collection(country_shapes)  # a generator is read once
        folium.map.CustomPane(PANE, z_index=350, pointer_events=True).add_to(m)
        if outlines if outlines is not None else tiles is None:
            m.get_root().header.add_child(
                Literal(f"<style>#{m.get_name()} {{ background: {SEA}; }}</style>"))
            outline_layer(country_shapes, pane=PANE).add_to(m)
        counts = df.groupby("country_code").size().to_dict() if len(df) else {}
        country_layer(counts, country_shapes, pane=PANE).add_to(m)
    if table.empty:
        warnings.warn("No mention is resolved to a place: the map has no markers.",
                      UserWarning, stacklevel=2)
        if country_shapes is not None:
            LayerControl(collapsed=False).add_to(m)
        return m
    _check_coordinates(table)

    per_source = by_source(mentions)
    texts = _mentions_by_place(df)
    colours, colour_key = _place_colours(df, table, color_by, category_words)
    rows = []
    for place, colour in zip(table.to_dict("records"), colours, strict=True):
        pid = int(place["place_id"])
        counts = {s: int(n) for s, n in per_source.loc[pid].items() if n}
        rows.append([round(float(place["lat"]), 4), round(float(place["lon"]), 4),
                     popup_html(place, counts, texts[pid], max_sentences=max_sentences),
                     escape(str(place["name"])), colour, pid])
    data = PlaceData(rows)
    m.add_child(data)

    top = int(table["mentions"].max())
    clustered = cluster if cluster is not None else len(table) > cluster_threshold

    def size(n):
        return radius(n, top, min_radius=min_radius, max_radius=max_radius)

    all_rows = [[i, size(n), int(n), None] for i, n in enumerate(table["mentions"])]
    m.add_child(PlaceLayer(data, all_rows, name=f"All sources ({len(table)} places)",
                           cluster=clustered))
    sources = per_source.sum().sort_values(ascending=False, kind="stable").index
    if layers_by_source and len(sources) > 1:
        position = {pid: i for i, pid in enumerate(table["place_id"])}
        for k, source in enumerate(sources[:max_source_layers]):
            column = per_source[source]
            column = column[column > 0]
            source_rows = [[position[int(pid)], size(n), int(n), PALETTE[k % len(PALETTE)]]
                           for pid, n in column.items()]
            # Leaflet's layer control writes names as HTML
            m.add_child(PlaceLayer(data, source_rows, name=f"Source: {escape(str(source))}",
                                   cluster=clustered, show=False))
    dated = _dated(df, table)
    if dated is not None and (time_slider is None or time_slider):
        from geomap.maps.timeline import TimeSlider, time_rows

        days, day_rows = time_rows(*dated)
        m.add_child(TimeSlider(data, days, day_rows, top=top, min_radius=min_radius,
                               max_radius=max_radius))
    if heatmap:
        weights = [[r[0], r[1], round(n / top, 4)] for r, n in zip(rows, table["mentions"],
                                                                    strict=True)]
        folium.plugins.HeatMap(weights, name="Heat map", show=False, radius=20).add_to(m)
    if legend:
        html = size_legend_html(top, min_radius=min_radius, max_radius=max_radius)
        if colour_key:
            html += colour_legend_html("Category", colour_key)
        m.add_child(Legend(html))
    LayerControl(collapsed=False).add_to(m)
    south, west = table["lat"].min(), table["lon"].min()
    north, east = table["lat"].max(), table["lon"].max()
    m.fit_bounds([[float(south), float(west)], [float(north), float(east)]], max_zoom=8,
                 padding=(40, 40))
    return m


def write_map(mentions: pd.DataFrame, path: str | PathLike, **options) -> Path:
    """Write the map of a mention table to an HTML file, atomically.

    The HTML is written to a temporary file in the same folder, then moved
    over ``path``: a reader never sees half a map.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mention table.
    path : str or path-like
        Where to write the ``.html`` file; its folder must exist.
    **options
        Passed to :func:`make_map`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geomap.mentions import to_frame
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> import warnings; warnings.simplefilter("ignore")
    >>> write_map(to_frame([]), out, tiles=None).exists()
    True
    """
    from geomap.files import atomic_write

    html = make_map(mentions, **options).get_root().render()
    return atomic_write(path, html)


def _only_categories(mentions: pd.DataFrame, wanted, words) -> pd.DataFrame:
    """The mentions whose category is one of ``wanted`` (validated)."""
    from geomap.categories import OTHER, categorize, load_words

    wanted = {wanted} if isinstance(wanted, str) else set(wanted)
    known = set(load_words(words)) | {OTHER}
    if "category" not in mentions.columns:
        mentions = categorize(mentions, words)
    else:
        known |= set(mentions["category"].dropna().unique())
    unknown = sorted(wanted - known)
    if unknown:
        raise ConfigurationError(
            f"Expected categories among {sorted(known)}, instead got: {unknown}")
    return mentions[mentions["category"].isin(wanted)]
