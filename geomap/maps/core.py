"""``make_map`` and ``write_map``: the mention table as an interactive map."""

from __future__ import annotations

import warnings
from html import escape
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["make_map", "write_map", "DEFAULT_COLOUR", "CDN_NOTICE"]

#: Marker colour when not colouring by category.
DEFAULT_COLOUR = "#d7301f"
#: Columns shown in a place's popup when the mention table has them.
_PLACE_EXTRAS = ("display_name", "country_name", "admin1_name", "admin2_name",
                 "feature_name")


def _check_coordinates(table: pd.DataFrame) -> None:
    bad = table[~(table["lat"].between(-90, 90) & table["lon"].between(-180, 180))]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(
            "Expected latitude in [-90, 90] and longitude in [-180, 180] for place_id "
            f"{int(row['place_id'])} ({row['name']!r}), instead got: "
            f"({float(row['lat'])!r}, {float(row['lon'])!r})"
        )


def _place_colours(df: pd.DataFrame, table: pd.DataFrame, color_by: str | None
                   ) -> tuple[list[str], dict[str, str]]:
    """Marker colour per place (table order) and the legend of colours.

    ``df`` has a ``category`` column when ``color_by`` is ``"category"``.
    """
    if color_by is None or table.empty:
        return [DEFAULT_COLOUR] * len(table), {}
    from geomap.categories import COLOURS, dominant

    main = dominant(df)
    colours = [COLOURS.get(main.get(int(pid), "other"), COLOURS["other"])
               for pid in table["place_id"]]
    present = set(main.values())
    used = [c for c in COLOURS if c in present] + sorted(present - set(COLOURS))
    return colours, {c: COLOURS.get(c, COLOURS["other"]) for c in used}


def _country_level(df: pd.DataFrame, codes: set[str]) -> pd.Series:
    """Mentions of a country as a whole (its names, feature codes PCL*, and demonyms).

    Only those of a country in ``codes`` (the shaded ones): the others stay markers.
    """
    import pandas as pd

    if df.empty or not codes:
        return pd.Series(False, index=df.index)
    feature = df["feature_code"].astype("string").fillna("")
    kind = (df["kind"].astype("string").fillna("") if "kind" in df.columns
            else pd.Series("", index=df.index))
    whole = feature.str.startswith("PCL") | (kind == "demonym")
    return whole & df["country_code"].isin(codes)


def _first_values(df: pd.DataFrame, key: str, columns: tuple[str, ...]) -> dict:
    """``{key value: {column: first non-missing value}}`` for the columns present."""
    present = [c for c in columns if c in df.columns]
    if not present or df.empty:
        return {}
    first = df.groupby(key, sort=False)[present].first()
    return {k: {c: v for c, v in row.items() if isinstance(v, str) and v}
            for k, row in first.to_dict("index").items()}


def _focus_bounds(table: pd.DataFrame, *, near_km: float = 500.0, area_km: float = 1000.0,
                  enough: float = 0.5, share: float = 0.8):
    """Where the map opens: the area most of the sub-national mentions are in.

    The centre is the place with the most mentions within ``near_km`` of
    it (each place weighs its mentions; the 200 most mentioned places are
    tried); the view is the box of the places within ``area_km`` of the
    centre, when they hold at least ``enough`` of the mentions. Otherwise
    (mentions spread over the world) it is the box of the middle ``share``
    of the mentions in latitude and longitude. So talks in Geneva or a
    statement from Moscow do not pull the view off a war in the Caucasus.
    Country-level places (PCL*) are left out when there are others. None for
    no places.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"lat": [40.0, 40.5, 46.2, 55.7], "lon": [44.5, 45.0, 6.1, 37.6],
    ...                   "mentions": [10, 10, 3, 6], "feature_code": ["PPL"] * 4})
    >>> _focus_bounds(t)
    [[40.0, 44.5], [40.5, 45.0]]
    """
    import numpy as np

    if table.empty:
        return None
    local = table[~table["feature_code"].astype("string").fillna("").str.startswith("PCL")]
    if not local.empty:
        table = local
    lat = np.radians(table["lat"].to_numpy(float))
    lon = np.radians(table["lon"].to_numpy(float))
    weights = table["mentions"].to_numpy(float)
    candidates = np.argsort(-weights, kind="stable")[:200]

    def km_from(i):
        a = (np.sin((lat - lat[i]) / 2) ** 2
             + np.cos(lat[i]) * np.cos(lat) * np.sin((lon - lon[i]) / 2) ** 2)
        return 12742.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))

    scores = [weights[km_from(i) <= near_km].sum() for i in candidates]
    centre = candidates[int(np.argmax(scores))]
    inside = km_from(centre) <= area_km
    if weights[inside].sum() >= enough * weights.sum():
        lats, lons = table["lat"].to_numpy(float)[inside], table["lon"].to_numpy(float)[inside]
        return [[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]]
    cut = (1 - share) / 2

    def quantiles(values):
        order = values.argsort(kind="stable")
        cumulative = weights[order].cumsum() / weights.sum()
        low = values[order][min(len(order) - 1, int((cumulative < cut).sum()))]
        high = values[order][min(len(order) - 1, int((cumulative < 1 - cut).sum()))]
        return float(low), float(high)

    (south, north), (west, east) = (quantiles(table["lat"].to_numpy(float)),
                                    quantiles(table["lon"].to_numpy(float)))
    return [[south, west], [north, east]]


#: Shown on an online map when its script files did not load (no CDN reachable).
CDN_NOTICE = (
    '<div id="geomap-cdn-notice" hidden style="position:absolute;z-index:10000;top:0;left:0;'
    'right:0;padding:10px 14px;background:#fff3cd;color:#5c4400;font:14px/1.4 sans-serif;'
    'border-bottom:1px solid #e0c36c">This map could not load its script files (Leaflet) '
    "from the internet, so it cannot be drawn here. Write it with <code>geomap map "
    "--offline</code> (or <code>make_map(..., offline=True)</code>) for a map that needs no "
    "network.</div>"
    "<script>(function () {{ var missing = typeof L === \"undefined\"{checks};"
    ' if (missing) {{ document.getElementById("geomap-cdn-notice").hidden = false; }} }})();'
    "</script>"
)


def make_map(
    mentions: pd.DataFrame,
    *,
    m: folium.Map | None = None,
    country_shapes=None,
    country_markers: bool | None = None,
    cluster: bool | None = None,
    cluster_threshold: int = 500,
    heatmap: bool = True,
    color_by: str | None = None,
    category_words=None,
    only_categories=None,
    legend: bool = True,
    max_sentences: int = 3,
    min_radius: float = 3.0,
    max_radius: float = 30.0,
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
    outlines: bool | None = None,
    time_slider: bool | None = None,
    labels: int = 15,
    **map_options,
) -> folium.Map:
    """Draw the places of a mention table on a Leaflet map.

    Sub-national places are circles whose area grows with their number of
    mentions (square-root radius). Mentions of a country as a whole (its
    names, GeoNames feature codes ``PCL*``, and demonyms such as
    "Armenian") shade the country instead (sequential purples, a different
    palette from the markers') and are listed in its popup; the tooltip gives
    the country's mentions and how many are of the country itself. A filter
    panel lists every source (searchable), the categories and a date range:
    each change redraws the markers, the heat map and the shading together.
    The map opens on the box holding the middle 80% of the sub-national
    mentions. Each popup gives the place's name, country, admin1, feature
    type, the names as written, mentions per source and the sentences that
    mention it (the mention highlighted, linked to the article's ``url``
    when that is ``http(s)``, with its source and date).

    Every string of the table is untrusted: it is HTML-escaped wherever it
    reaches the page (popups, tooltips, legend) or set as ``textContent``
    (the filter panel), and is never part of a template's source (see
    :mod:`geomap.maps.safe`), so text such as ``{{citation needed}}`` or
    ``<img onerror=...>`` shows as written.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mention table (:func:`geomap.mentions.to_frame`); not modified.
        Optional columns ``display_name``, ``country_name``,
        ``admin1_name`` and ``feature_name`` are shown in the popups.
    m : folium.Map, optional
        Draw on this map instead of a new one.
    country_shapes : optional
        ``(ISO alpha-2 code, geometry)`` pairs or a GeoJSON FeatureCollection
        (e.g. ``list(Gazetteer.country_shapes())``): adds the shading of
        mentions per country.
    country_markers : bool, optional
        Also draw country-level mentions as markers (at the country's
        point). By default only when there are no ``country_shapes``; a
        country missing from the shapes always keeps its marker.
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
        Show the size scale and the colour keys (markers, shading).
    max_sentences : int
        Sentences quoted per popup at most (long ones cut around the mention).
    min_radius, max_radius : float
        Marker radius range in pixels.
    offline : bool
        Inline Leaflet and plugin files (needs ``geomap[offline]``). Tiles
        still come from the network: pass ``tiles=None`` and
        ``country_shapes`` for a map that needs none. An online map shows a
        notice when its script files cannot be loaded.
    tiles : str or None
        Background tiles for a new map; ``None`` for none.
    outlines : bool, optional
        Draw ``country_shapes`` as a base map (land on a sea-coloured
        background); by default when ``tiles`` is None.
    time_slider : bool, optional
        Add the date range to the filter panel; by default when any mention
        has a (parsable) ``date``.
    labels : int
        Write the names of this many places (those with the most mentions
        passing the filters) on the map, in a "Place names" layer; 0 for none.
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

    from geomap.aggregate import iso_dates, places, resolved
    from geomap.maps.choropleth import PANE, SEA, country_layer, outline_layer, shapes_collection
    from geomap.maps.filters import SHADES, MapFilters, filter_rows, shade_bins
    from geomap.maps.layers import PlaceData, PlaceLabels, PlaceLayer
    from geomap.maps.legend import Legend, colour_legend_html, shade_legend_html, size_legend_html
    from geomap.maps.popup import Strings, popup_data, summaries
    from geomap.maps.safe import LayerControl, Literal, root_figure

    if isinstance(labels, bool) or not isinstance(labels, int) or labels < 0:
        raise ConfigurationError(f"Expected labels to be an integer >= 0, instead got: {labels!r}")
    if max_radius < min_radius or min_radius <= 0:
        raise ConfigurationError(
            "Expected 0 < min_radius <= max_radius, instead got: "
            f"min_radius={min_radius!r}, max_radius={max_radius!r}"
        )
    if only_categories is not None:
        mentions = _only_categories(mentions, only_categories, category_words)
    df = resolved(mentions)
    if color_by is not None and color_by != "category":
        raise ConfigurationError(
            f"Expected color_by to be None or 'category', instead got: {color_by!r}"
        )
    if color_by == "category" and "category" not in df.columns:
        from geomap.categories import categorize

        df = categorize(df, words=category_words)
    shapes = shapes_collection(country_shapes) if country_shapes is not None else None
    codes = {code for code, _ in shapes} if shapes else set()
    if country_markers is None:
        country_markers = shapes is None
    whole = _country_level(df, set() if country_markers else codes)
    local = df[~whole]
    table = places(local)
    _check_coordinates(table)
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
    clustered = cluster if cluster is not None else len(table) > cluster_threshold
    if not offline:
        checks = (" || !L.markerClusterGroup" if clustered else "") + (
            " || !L.heatLayer" if heatmap and len(table) else "")
        root_figure(m).html.add_child(Literal(CDN_NOTICE.format(checks=checks)))
    if df.empty:
        warnings.warn("No mention is resolved to a place: the map has no markers.",
                      UserWarning, stacklevel=2)

    # the countries shaded: those with mentions, their own or of places in them
    country_counts = df.groupby("country_code").size().to_dict() if len(df) else {}
    shown = sorted(c for c in country_counts if c in codes)
    country_index = {code: i for i, code in enumerate(shown)}
    shading = None
    if shapes is not None:
        folium.map.CustomPane(PANE, z_index=350, pointer_events=True).add_to(m)
        if outlines if outlines is not None else tiles is None:
            root_figure(m).header.add_child(
                Literal(f"<style>#{m.get_name()} {{ background: {SEA}; }}</style>"))
            outline_layer(shapes, pane=PANE).add_to(m)
        shading = country_layer(country_counts, shapes, pane=PANE)
        shading.add_to(m)
    if df.empty:
        if shapes is not None:
            LayerControl(collapsed=False).add_to(m)
        return m

    extras = _first_values(local, "place_id", _PLACE_EXTRAS[1:])
    named = local[local["kind"] != "demonym"] if "kind" in local.columns else local
    for pid, values in _first_values(named, "place_id", _PLACE_EXTRAS[:1]).items():
        extras.setdefault(pid, {}).update(values)  # "Armenian (Armenia)" is no heading
    colours, colour_key = _place_colours(local, table, color_by)
    position = {int(pid): i for i, pid in enumerate(table["place_id"])}
    strings = Strings()
    about = summaries(local, "place_id", max_sentences=max_sentences)
    rows = []
    for place, colour in zip(table.to_dict("records"), colours, strict=True):
        pid = int(place["place_id"])
        place.update(extras.get(pid, {}))
        rows.append([round(float(place["lat"]), 4), round(float(place["lon"]), 4),
                     popup_data(place, about[pid], strings),
                     str(place.get("display_name") or place["name"]), colour, pid,
                     country_index.get(place["country_code"], -1)])
    countries = _country_rows(df, whole, shown, max_sentences, strings)
    data = PlaceData(rows, strings.values)
    m.add_child(data)

    # the filter rows: every mention, to its marker or (-1 - i) to its country
    sources = df["source"].astype(str).value_counts(sort=True)
    sources = sources.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    source_index = {s: i for i, s in enumerate(sources.index)}
    if "category" in df.columns:
        from geomap.categories import COLOURS, OTHER

        category_counts = df["category"].astype(str).value_counts()
        names = [c for c in COLOURS if c in category_counts] + sorted(
            set(category_counts.index) - set(COLOURS))
        categories = [(c, COLOURS.get(c, COLOURS[OTHER]), int(category_counts[c]))
                      for c in names]
        category_index = {c: i for i, c in enumerate(names)}
        mention_categories = [category_index[c]
                              for c in df["category"].astype(str).to_numpy(object)]
    else:
        categories, mention_categories = [], [0] * len(df)
    days = iso_dates(df) if "date" in df.columns else None
    dates: list[str] = []
    day_index = [-1] * len(df)
    if days is not None and days.notna().any() and time_slider is not False:
        dates = sorted(set(days.dropna()))
        where = {d: i for i, d in enumerate(dates)}
        day_index = [where.get(d, -1) if isinstance(d, str) else -1
                     for d in days.to_numpy(object)]
    targets = [-1 - country_index[c] if w else position[int(p)]
               for p, c, w in zip(df["place_id"].to_numpy(), df["country_code"].to_numpy(object),
                                  whole.to_numpy(), strict=True)]
    flat = filter_rows(targets, [source_index[s]
                                 for s in df["source"].astype(str).to_numpy(object)],
                       mention_categories, day_index)

    top = int(table["mentions"].max()) if len(table) else 1
    markers = PlaceLayer(data, name="Places (sub-national)" if not country_markers
                         else "Places", cluster=clustered)
    m.add_child(markers)
    label_layer = None
    if labels > 0:
        label_layer = PlaceLabels()
        m.add_child(label_layer)
    heat = None
    if heatmap:
        # its points are set by the filter panel when the page opens
        heat = folium.plugins.HeatMap([], name="Heat map", show=False, radius=20)
        heat.add_to(m)
    country_top = max([country_counts[c] for c in shown] + [1])
    bins = shade_bins(country_top)
    m.add_child(MapFilters(
        data, markers, flat, sources=[(s, int(n)) for s, n in sources.items()],
        categories=categories, dates=dates, undated=-1 in day_index,
        countries=countries, heat=heat, shading=shading, top=top, bins=bins,
        min_radius=min_radius, max_radius=max_radius, labels=label_layer, label_count=labels))
    if legend:
        html = size_legend_html(top, min_radius=min_radius, max_radius=max_radius)
        html += colour_legend_html("Marker colour", colour_key or {"place": DEFAULT_COLOUR})
        if shading is not None and shown:
            html += shade_legend_html("Mentions per country", bins,
                                      SHADES[len(SHADES) - len(bins):])
        m.add_child(Legend(html))
    LayerControl(collapsed=False).add_to(m)
    bounds = _focus_bounds(table)
    if bounds is not None:
        # clear of the filter panel (left) and the legend (right)
        m.fit_bounds(bounds, max_zoom=8, padding_top_left=(250, 30),
                     padding_bottom_right=(170, 30))
    return m


def _country_rows(df: pd.DataFrame, whole: pd.Series, shown: list[str],
                  max_sentences: int, strings) -> list[list]:
    """``[code (escaped), packed popup, name]`` of each shaded country (``shown`` order)."""
    from geomap.maps.popup import Summary, popup_data, summaries

    own = df[whole]
    about = summaries(own, "country_code", max_sentences=max_sentences)
    names = _first_values(df, "country_code", ("country_name",))
    pcl = own[own["feature_code"].astype("string").fillna("").str.startswith("PCL")]
    place_names = pcl.groupby("country_code")["name"].first().to_dict() if len(pcl) else {}
    every = df.groupby("country_code").size().to_dict()
    mine = own.groupby("country_code").size().to_dict() if len(own) else {}
    out = []
    for code in shown:
        name = (names.get(code, {}).get("country_name") or place_names.get(code) or code)
        n_own = int(mine.get(code, 0))
        popup = popup_data(
            {"name": name, "country_code": code, "country_name": name,
             "feature_name": "country", "mentions": n_own},
            about.get(code) or Summary(), strings,
            note=f"Shaded by all its {every.get(code, 0)} mention(s): {n_own} of the "
                 f"country itself (names, demonyms), {every.get(code, 0) - n_own} of places "
                 "in it.")
        out.append([escape(code), popup, str(name)])
    return out


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
