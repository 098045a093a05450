"""From the mention table to one row per place.

The mention table (see :mod:`geomap.mentions`) has one row per mention; maps
and exports want one row per *place*, with how often, in how many documents
and by which sources it was mentioned. Unresolved mentions (no ``place_id``)
are left out. The caller's frame is never modified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PLACE_COLUMNS", "places", "by_source", "by_category", "iso_dates", "resolved"]

#: Columns of the place table returned by :func:`places`, in order.
PLACE_COLUMNS: tuple[str, ...] = (
    "place_id",
    "name",
    "lat",
    "lon",
    "geonameid",
    "country_code",
    "country_name",  # the country's English name
    "admin1_code",   # GeoNames "CC.A1", and the division's name where known
    "admin1_name",
    "admin2_code",   # "CC.A1.A2"
    "admin2_name",
    "feature_class",
    "feature_code",
    "feature_name",  # the feature code in words ("capital", "sea")
    "written_names",  # the distinct names as written in the documents, sorted, "; "-joined
    "mentions",      # number of mentions
    "documents",     # number of distinct documents
    "sources",       # number of distinct sources
    "source_names",  # distinct sources, sorted, "; "-joined
    "first_date",    # earliest ISO date among the mentions, or None
    "last_date",     # latest ISO date among the mentions, or None
)

_NEEDED = ("doc", "source", "place_id", "name", "lat", "lon")
_PLACE_ATTRS = ("name", "lat", "lon", "geonameid", "country_code", "country_name",
                "admin1_code", "admin1_name", "admin2_code", "admin2_name", "feature_class",
                "feature_code", "feature_name")


def _check(mentions) -> None:
    missing = [c for c in _NEEDED if c not in getattr(mentions, "columns", ())]
    if missing:
        raise InputError(
            f"Expected a mention table with columns {list(_NEEDED)}, "
            f"instead got one missing: {missing}"
        )


def resolved(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions that were resolved to a place, as a new frame.

    Rows without ``place_id`` or without coordinates are dropped; optional
    columns of the mention table that are absent are added as missing.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556)
    >>> df = to_frame([Mention("a", 0, 6, "Moscow", p), Mention("a", 9, 12, "Foo")])
    >>> len(resolved(df))
    1
    """
    _check(mentions)
    df = mentions[mentions["place_id"].notna() & mentions["lat"].notna()
                  & mentions["lon"].notna()].copy()
    for col in ("date", "text", *_PLACE_ATTRS[3:]):
        if col not in df.columns:
            df[col] = None
    df["source"] = df["source"].where(df["source"].notna(), df["doc"]).astype(str)
    df["place_id"] = df["place_id"].astype("int64")
    return df


def iso_dates(df: pd.DataFrame) -> pd.Series:
    """The ``date`` column as ISO ``YYYY-MM-DD`` strings (NaN when missing or unparsable).

    Examples
    --------
    >>> import pandas as pd
    >>> iso_dates(pd.DataFrame({"date": ["2024-03-02T10:00:00Z", "March 4, 2024", None]})).tolist()
    ['2024-03-02', '2024-03-04', nan]
    """
    import pandas as pd

    parsed = pd.to_datetime(df["date"], errors="coerce", utc=True, format="mixed")
    return parsed.dt.strftime("%Y-%m-%d")


def places(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved place, with mention, document and source counts.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mention table (:func:`geomap.mentions.to_frame`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PLACE_COLUMNS`, sorted by ``mentions`` (most first),
        then ``name``; index ``0..n-1``. ``first_date``/``last_date`` are
        ``None`` where no mention of the place has a (parsable) date. An
        empty table (or one without resolved mentions) gives an empty frame
        with the same columns.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556,
    ...           country_code="RU", feature_code="PPLC", geonameid=524901)
    >>> df = to_frame([Mention("a", 0, 6, "Moscow", p, source="TASS"),
    ...                Mention("b", 0, 6, "Moscow", p, source="BBC")])
    >>> row = places(df).iloc[0]
    >>> (row["name"], int(row["mentions"]), int(row["sources"]), row["source_names"])
    ('Moscow', 2, 2, 'BBC; TASS')
    """
    import pandas as pd

    df = resolved(mentions)
    if df.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in PLACE_COLUMNS})
        for col in ("place_id", "mentions", "documents", "sources"):
            out[col] = out[col].astype("int64")
        for col in ("lat", "lon"):
            out[col] = out[col].astype("float64")
        out["geonameid"] = out["geonameid"].astype("Int64")
        return out
    df["_date"] = iso_dates(df)
    grouped = df.groupby("place_id", sort=False)
    out = grouped[list(_PLACE_ATTRS)].first()
    out["written_names"] = grouped["text"].agg(
        lambda s: "; ".join(sorted({" ".join(t.split()) for t in s if isinstance(t, str)})))
    out["mentions"] = grouped.size()
    out["documents"] = grouped["doc"].nunique()
    out["sources"] = grouped["source"].nunique()
    out["source_names"] = grouped["source"].agg(lambda s: "; ".join(sorted(set(s))))
    out["first_date"] = grouped["_date"].min()
    out["last_date"] = grouped["_date"].max()
    out = out.reset_index()
    for col in ("first_date", "last_date"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    out["geonameid"] = out["geonameid"].astype("Int64")
    out = out.sort_values(["mentions", "name", "place_id"], ascending=[False, True, True],
                          kind="stable")
    return out[list(PLACE_COLUMNS)].reset_index(drop=True)


def by_source(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mention counts per place (rows, ``place_id``) and source (columns).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556)
    >>> df = to_frame([Mention("a", 0, 6, "Moscow", p, source="TASS"),
    ...                Mention("a", 9, 15, "Moscow", p, source="TASS")])
    >>> int(by_source(df).loc[524901, "TASS"])
    2
    """
    import pandas as pd

    df = resolved(mentions)
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name="place_id", dtype="int64"))
    table = pd.crosstab(df["place_id"], df["source"])
    table.columns = [str(c) for c in table.columns]
    table.columns.name = "source"
    return table.astype("int64")


def by_category(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mention counts per place (rows, ``place_id``) and category (columns).

    ``mentions`` needs a ``category`` column (:func:`geomap.categories.categorize`).
    The columns are the table's ``attrs["categories"]`` (set by
    ``categorize``: every category of its word list, even unused), then any
    other category found, alphabetically.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.mentions import Mention, to_frame
    >>> p = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556)
    >>> df = to_frame([Mention("a", 0, 6, "Moscow", p)]).assign(category="violence")
    >>> by_category(df).to_dict("index")
    {524901: {'violence': 1}}
    """
    import pandas as pd

    if "category" not in mentions.columns:
        raise InputError("Expected a mention table with a 'category' column "
                         "(see geomap.categories.categorize), instead got none")
    df = resolved(mentions)
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name="place_id", dtype="int64"))
    table = pd.crosstab(df["place_id"], df["category"].astype(str))
    known = [str(c) for c in mentions.attrs.get("categories", ())]
    table = table.reindex(columns=known + sorted(set(table.columns) - set(known)),
                          fill_value=0)
    table.columns.name = "category"
    return table.astype("int64")
