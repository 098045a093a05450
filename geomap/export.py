"""Write the mention table and its places to files GIS tools read.

- :func:`places_geojson` / :func:`write_geojson`: one RFC 7946 Feature per place;
  :func:`places_csv` the same table as CSV; :func:`format_places` either (``geomap places``).
- :func:`mentions_geojson` / :func:`write_mentions_geojson`: one Feature per mention.
- :func:`write_csv`, :func:`write_parquet`: the mention table itself.
- :func:`write_gpkg`: places and mentions as two GeoPackage layers (pyogrio).

Every writer is atomic: it writes a temporary file in the target's folder
and moves it over the target.
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import MissingExtraError
from geomap.files import atomic_path, atomic_write

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "atomic_write",
    "place_table",
    "places_geojson",
    "places_csv",
    "format_places",
    "write_geojson",
    "mentions_geojson",
    "write_mentions_geojson",
    "spreadsheet_safe",
    "write_csv",
    "write_parquet",
    "write_gpkg",
]

#: Decimal places kept in coordinates (about 1 cm).
PRECISION = 7


def _scalar(value):
    """A JSON scalar: missing values (None, NaN, NA) become None, numpy to Python."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):  # pd.NA
        return None
    if hasattr(value, "isoformat"):            # a datetime: a date at midnight
        text = value.isoformat()
        return text.removesuffix("T00:00:00")
    if hasattr(value, "item"):
        value = value.item()
    return value


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point",
            "coordinates": [round(float(lon), PRECISION), round(float(lat), PRECISION)]}


def _categorized(mentions: pd.DataFrame, categorize: bool) -> pd.DataFrame:
    if categorize and "category" not in mentions.columns:
        from geomap.categories import categorize as add_category

        return add_category(mentions)
    return mentions


def place_table(mentions: pd.DataFrame, *, categorize: bool = True) -> pd.DataFrame:
    """:func:`geomap.aggregate.places` plus a ``mentions_<category>`` count per category.

    The categories are the table's ``category`` column, else
    :func:`geomap.categories.categorize` with the built-in words when
    ``categorize``; without either, no category columns are added.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569)
    >>> t = place_table(to_frame([Mention("a", 9, 15, "Geneva", p, sentence="Talks in Geneva.")]))
    >>> t[["mentions_diplomacy", "mentions_violence"]].to_dict("records")
    [{'mentions_diplomacy': 1, 'mentions_violence': 0}]
    """
    from geomap.aggregate import by_category, places

    mentions = _categorized(mentions, categorize)
    table = places(mentions)
    if "category" not in mentions.columns or table.empty:
        return table
    counts = by_category(mentions).add_prefix("mentions_")
    table = table.join(counts, on="place_id")
    table[counts.columns] = table[counts.columns].fillna(0).astype("int64")
    return table


def places_geojson(mentions: pd.DataFrame, *, categorize: bool = True) -> dict:
    """The places of a mention table as an RFC 7946 FeatureCollection.

    One Point Feature per place (``[lon, lat]``, at most 7 decimals), with
    the integer ``id`` = ``place_id`` and flat properties: ``place_id``,
    ``name``, ``geonameid`` (int or null), ``country_code``,
    ``feature_class``, ``feature_code``, ``mentions``, ``documents``,
    ``sources``, ``source_names``, when any mention has a date
    ``first_date``/``last_date`` (ISO dates or null), and the mentions per
    category, ``mentions_<category>`` (see :func:`place_table`).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556,
    ...           country_code="RU", feature_code="PPLC", geonameid=524901)
    >>> fc = places_geojson(to_frame([Mention("a", 0, 6, "Moscow", p)]))
    >>> fc["features"][0]["geometry"]["coordinates"]
    [37.61556, 55.75222]
    """
    table = place_table(mentions, categorize=categorize)
    keys = _place_keys(table)
    per_category = [c for c in table.columns if c.startswith("mentions_")]
    features = []
    for row in table.to_dict("records"):
        props = {k: _scalar(row[k]) for k in keys}
        for k in ("place_id", "geonameid", "mentions", "documents", "sources", *per_category):
            if props[k] is not None:
                props[k] = int(props[k])
        features.append({
            "type": "Feature",
            "id": int(row["place_id"]),
            "geometry": _point(row["lon"], row["lat"]),
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def _place_keys(table: pd.DataFrame) -> list[str]:
    """The per-place columns written (GeoJSON properties), in order."""
    keys = ["place_id", "name", "geonameid", "country_code", "country_name", "admin1_code",
            "admin1_name", "admin2_code", "admin2_name", "feature_class", "feature_code",
            "feature_name", "written_names", "mentions", "documents", "sources", "source_names"]
    if table["first_date"].notna().any():
        keys += ["first_date", "last_date"]
    return keys + [c for c in table.columns if c.startswith("mentions_")]


def places_csv(mentions: pd.DataFrame, *, neutralize_formulas: bool = True,
               categorize: bool = True) -> str:
    """The places of a mention table as CSV: the columns of :func:`places_geojson`'s
    properties, with ``lat`` and ``lon`` after ``name``.

    Quoted and spreadsheet-safe as :func:`write_csv` (``neutralize_formulas``).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556, country_code="RU")
    >>> print(places_csv(to_frame([Mention("a", 0, 6, "Moscow", p)]))[:47])
    "place_id","name","lat","lon","geonameid","coun
    """
    import csv

    table = place_table(mentions, categorize=categorize)
    keys = _place_keys(table)
    table = table[[*keys[:2], "lat", "lon", *keys[2:]]]
    if neutralize_formulas:
        table = spreadsheet_safe(table)
    return table.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)


def format_places(mentions: pd.DataFrame, fmt: str, *, neutralize_formulas: bool = True) -> str:
    """The per-place table as text: ``"csv"`` (:func:`places_csv`) or ``"geojson"`` (the
    text :func:`write_geojson` writes).

    Examples
    --------
    >>> from geomap.mentions import to_frame
    >>> format_places(to_frame([]), "geojson")
    '{"type":"FeatureCollection","features":[]}'
    """
    if fmt == "csv":
        return places_csv(mentions, neutralize_formulas=neutralize_formulas)
    if fmt == "geojson":
        return _dump(places_geojson(mentions))
    from geomap.errors import ConfigurationError

    raise ConfigurationError(f"Expected format 'csv' or 'geojson', instead got: {fmt!r}")


#: Characters :meth:`str.splitlines` breaks at that JSON leaves raw in strings.
_RAW_BREAKS = ("\x85", "\u2028", "\u2029")


def _dump(collection: dict) -> str:
    """One line of JSON: the line breaks it would hold raw (in strings) escaped."""
    text = json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for c in _RAW_BREAKS:
        if c in text:
            text = text.replace(c, f"\\u{ord(c):04x}")
    return text


def write_geojson(mentions: pd.DataFrame, path: str | PathLike, *,
                  categorize: bool = True) -> Path:
    """Write :func:`places_geojson` to ``path`` (UTF-8), atomically; returns the path."""
    return atomic_write(path, _dump(places_geojson(mentions, categorize=categorize)))


#: Properties of a mention Feature, in order (``category`` when known).
MENTION_PROPERTIES = ("doc", "source", "date", "url", "start", "end", "text", "display_name",
                      "name", "place_id", "geonameid", "country_code", "country_name",
                      "admin1_code", "admin1_name", "admin2_code", "admin2_name",
                      "feature_code", "feature_name", "kind", "score", "sentence", "category")


def mentions_geojson(mentions: pd.DataFrame, *, categorize: bool = True) -> dict:
    """One RFC 7946 Point Feature per resolved mention.

    Properties: the document (``doc``, ``source``, ``date``, ``url``), the
    mention (``start``, ``end`` offsets, ``text``, ``kind``, ``score``,
    ``sentence``), its place (``name``, ``place_id``, ``geonameid``,
    ``country_code``, ``feature_code``) and its ``category`` (the table's
    column, else :func:`geomap.categories.categorize` when ``categorize``).
    Feature ids are ``0..n-1`` in table order; unresolved mentions are left out.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569)
    >>> fc = mentions_geojson(to_frame([Mention("a", 9, 15, "Geneva", p,
    ...                                         sentence="Talks in Geneva.")]))
    >>> fc["features"][0]["properties"]["category"]
    'diplomacy'
    """
    from geomap.aggregate import resolved

    df = _categorized(resolved(mentions), categorize)
    keys = [k for k in MENTION_PROPERTIES if k in df.columns]
    features = []
    for i, row in enumerate(df.to_dict("records")):
        props = {k: _scalar(row[k]) for k in keys}
        for k in ("start", "end", "place_id", "geonameid"):
            if props.get(k) is not None:
                props[k] = int(props[k])
        if props.get("score") is not None:
            props["score"] = float(props["score"])
        features.append({"type": "Feature", "id": i,
                         "geometry": _point(row["lon"], row["lat"]), "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_mentions_geojson(mentions: pd.DataFrame, path: str | PathLike, *,
                           categorize: bool = True) -> Path:
    """Write :func:`mentions_geojson` to ``path``, atomically; returns the path."""
    return atomic_write(path, _dump(mentions_geojson(mentions, categorize=categorize)))


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) a spreadsheet would take
    for a formula neutralised (:func:`geomap.csvcells.neutralize`).

    Only text changes: numbers (negative coordinates among them) and missing
    values are kept, and so is ``frame`` (a column that changes is replaced
    in a shallow copy).

    Examples
    --------
    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"doc": ["=1+1", "Kyiv"], "lon": [-2.0, 30.5]})).to_dict()
    {'doc': {0: "'=1+1", 1: 'Kyiv'}, 'lon': {0: -2.0, 1: 30.5}}
    """
    import pandas as pd

    from geomap.csvcells import is_formula, neutralize

    out = frame
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        if series.dtype.kind in "biufcmM":       # numbers, booleans, datetimes
            continue
        values = series.astype(object).tolist()
        if not any(isinstance(v, str) and is_formula(v) for v in values):
            continue
        if out is frame:
            out = frame.copy(deep=False)
        out.isetitem(i, pd.Series([neutralize(v) if isinstance(v, str) else v for v in values],
                                  index=frame.index, dtype=object))
    if any(isinstance(c, str) and is_formula(c) for c in frame.columns):
        out = out.copy(deep=False) if out is frame else out
        out.columns = [neutralize(c) if isinstance(c, str) else c for c in frame.columns]
    return out


def write_csv(mentions: pd.DataFrame, path: str | PathLike, *,
              neutralize_formulas: bool = True) -> Path:
    """Write the mention table as UTF-8 CSV (header, no index), atomically.

    Every text cell is quoted (a line break of any kind stays in its field),
    numbers are bare, and, unless ``neutralize_formulas`` is false, text a
    spreadsheet would take for a formula gets a ``'`` before it
    (:func:`spreadsheet_safe`, :mod:`geomap.csvcells`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geomap.mentions import to_frame, COLUMNS
    >>> p = write_csv(to_frame([]), pathlib.Path(tempfile.mkdtemp()) / "m.csv")
    >>> p.read_text().strip() == ",".join(f'"{c}"' for c in COLUMNS)
    True
    """
    import csv

    table = spreadsheet_safe(mentions) if neutralize_formulas else mentions
    return atomic_write(path, table.to_csv(index=False, lineterminator="\n",
                                           quoting=csv.QUOTE_NONNUMERIC))


def _replace(path: Path, write) -> Path:
    """``write(tmp)`` (a writer by path), then the file moved to ``path``
    atomically with a new file's mode (:func:`gazetteer.atomic.atomic_path`;
    SQLite, for a GeoPackage, makes 0644 whatever the umask)."""
    with atomic_path(path, suffix=path.suffix) as tmp:
        write(tmp)
    return path


def write_parquet(mentions: pd.DataFrame, path: str | PathLike) -> Path:
    """Write the mention table as Parquet, atomically (needs ``geomap[parquet]``).

    Raises
    ------
    MissingExtraError
        When pyarrow is not installed.
    """
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise MissingExtraError(
            "writing Parquet needs pyarrow: pip install 'geomap[parquet]'"
        )
    path = Path(path)
    return _replace(path, lambda tmp: mentions.to_parquet(tmp, engine="pyarrow", index=False))


def _points(df: pd.DataFrame, *, dates_as_days: bool = True):
    """``df`` as a GeoDataFrame of points in EPSG:4326 for GDAL: nullable
    integers stay integers (with nulls), ISO date columns become datetimes, and
    those with no time of day (all at midnight, no time zone) days
    (``datetime.date``: a GDAL Date field, when written through Arrow) when
    ``dates_as_days``."""
    import geopandas
    import pandas as pd

    from geomap.mentions import parse_dates

    out = df.copy()
    for col in ("date", "first_date", "last_date"):
        if col in out.columns and not pd.api.types.is_datetime64_any_dtype(out[col]):
            parsed, bad = parse_dates(out[col])
            if bad is None:
                out[col] = parsed
        if (dates_as_days and col in out.columns
                and pd.api.types.is_datetime64_any_dtype(out[col])
                and getattr(out[col].dt, "tz", None) is None
                and (out[col].dropna() == out[col].dropna().dt.normalize()).all()):
            out[col] = pd.Series([d.date() if pd.notna(d) else None for d in out[col]],
                                 index=out.index, dtype=object)
    return geopandas.GeoDataFrame(out, geometry=geopandas.points_from_xy(df["lon"], df["lat"]),
                                  crs="EPSG:4326")


def write_gpkg(mentions: pd.DataFrame, path: str | PathLike, *,
               categorize: bool = True) -> Path:
    """Write a GeoPackage with layers ``places`` and ``mentions``, atomically.

    ``places`` is :func:`place_table`; ``mentions`` the resolved rows of the
    mention table (with ``category``). The fields are those of the GeoJSON:
    ``place_id`` is the places' feature id, ``geonameid`` an integer with
    nulls, and dates are GDAL Date fields, or DateTime where a value has a
    time of day (Date needs pyarrow, which ``geomap[gis]`` installs; without
    it every date is a DateTime). Needs pyogrio and geopandas
    (``geomap[gis]``).

    Raises
    ------
    MissingExtraError
        When pyogrio or geopandas is not installed.
    """
    try:
        import geopandas  # noqa: F401
        import pyogrio
    except ImportError as exc:
        raise MissingExtraError(
            "writing a GeoPackage needs pyogrio and geopandas: pip install 'geomap[gis]'"
        ) from exc
    import importlib.util

    from geomap.aggregate import resolved

    path = Path(path)
    mentions = _categorized(mentions, categorize)
    arrow = importlib.util.find_spec("pyarrow") is not None  # writes Date fields

    def write(tmp: Path) -> None:
        # the places' feature id is place_id, as in the GeoJSON
        pyogrio.write_dataframe(_points(place_table(mentions), dates_as_days=arrow), tmp,
                                layer="places", driver="GPKG", use_arrow=arrow,
                                layer_options={"FID": "place_id"})
        pyogrio.write_dataframe(_points(resolved(mentions), dates_as_days=arrow), tmp,
                                layer="mentions", driver="GPKG", append=True, use_arrow=arrow)

    return _replace(path, write)
