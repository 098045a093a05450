"""The store's SQL schema, in one place: tables, indexes, version, ``meta`` keys.

:mod:`gazetteer.build` writes a store with it, :mod:`gazetteer.add` changes
one, :mod:`gazetteer.store` reads one; none of them spells a table itself.

The tables (all in one SQLite file):

* ``meta (key, value)`` -- :data:`SCHEMA_VERSION` under ``schema``, each
  source's version under ``source:NAME``, the extra sources' specs under
  :data:`EXTRA_SOURCES_KEY`, counts, ``place_sources`` (the tab-separated
  source names that ``names.source`` indexes) and ``complete = 1``, written last.
* ``places`` -- one row per place (:class:`gazetteer.place.Place`'s fields);
  the reference for lookups by id, GeoNames id, country, admin code, position.
* ``places_rtree`` -- an R*Tree of the places' points, for ``nearest``.
* ``names`` -- one row per (folded key, place), denormalised: it carries the
  place's columns and is clustered in the order candidates are returned (key,
  population descending, kind, place id), so all candidates of a key are one
  range of one b-tree. ``name`` is NULL when it is the place's own name,
  ``geonameid`` is stored as its difference from ``place_id``, ``kind`` is an
  index into :data:`KINDS` and ``source`` into ``place_sources``.
* ``shapes`` -- outlines (WKB) by place id.
* ``key_hashes``, ``variant_hashes`` -- one row each: the sorted CRC-32s of
  every key and every skeleton (little-endian uint32), a prefilter.
* ``variants`` -- transliteration skeleton -> the keys it is the skeleton of.
* ``prominent`` -- the list :func:`prominent_keys` gives for
  :data:`PROMINENT_MIN_POPULATION`, computed at build time.

Bump :data:`SCHEMA_VERSION` whenever a table changes or the way sources are
read changes: every store built before is then stale and rebuilt on open.

Examples
--------
>>> import sqlite3
>>> con = sqlite3.connect(":memory:")
>>> create_tables(con); create_indexes(con)
>>> sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
...                                  " AND name NOT LIKE 'places_rtree_%'"))[:4]
['key_hashes', 'meta', 'names', 'places']
>>> prominent_keys(con, PROMINENT_MIN_POPULATION)
[]
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA_VERSION", "EXTRA_SOURCES_KEY", "MAX_NAME_TOKENS", "KINDS", "KIND_RANK",
           "TABLES", "INDEXES", "PLACE_COLUMNS", "INSERT_PLACE", "INSERT_NAME",
           "PROMINENT_MIN_POPULATION", "PROMINENT_CODES", "create_tables", "create_indexes",
           "prominent_keys"]

#: Bump whenever the tables change or the way sources are read changes.
SCHEMA_VERSION = "8"

#: The ``meta`` entry that records the extra sources (JSON list of their specs).
EXTRA_SOURCES_KEY = "extra_sources"

#: The most tokens a name may have (recorded as ``max_name_tokens``).
MAX_NAME_TOKENS = 8

#: Name kinds, best first (``names.kind`` is an index into this): a place
#: matched by several names reports the best.
KINDS = ("name", "alternate", "abbreviation", "demonym", "historical", "metonym")
KIND_RANK = {k: i for i, k in enumerate(KINDS)}

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country_code TEXT, feature_class TEXT NOT NULL, feature_code TEXT NOT NULL,
    population INTEGER NOT NULL, geonameid INTEGER, admin1 TEXT, admin2 TEXT,
    source TEXT NOT NULL, derived INTEGER NOT NULL);
CREATE TABLE names (
    key TEXT NOT NULL, population INTEGER NOT NULL, kind INTEGER NOT NULL,
    place_id INTEGER NOT NULL, name TEXT,
    place_name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, country_code TEXT,
    feature_class TEXT NOT NULL, feature_code TEXT NOT NULL, geonameid INTEGER,
    admin1 TEXT, admin2 TEXT, source INTEGER NOT NULL, derived INTEGER NOT NULL,
    PRIMARY KEY (key, population DESC, kind, place_id)) WITHOUT ROWID;
CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
CREATE TABLE key_hashes (hashes BLOB NOT NULL);
CREATE TABLE prominent (min_population INTEGER PRIMARY KEY, keys TEXT NOT NULL);
CREATE TABLE variants (skeleton TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE variant_hashes (hashes BLOB NOT NULL);
CREATE VIRTUAL TABLE places_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
"""

#: Created after the bulk load (faster than keeping them up to date row by row).
INDEXES = """
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX places_country ON places (country_code, feature_code, admin1, admin2);
"""

#: The columns of ``places``, in :class:`gazetteer.place.Place`'s field order.
PLACE_COLUMNS = ("id, name, lat, lon, country_code, feature_class, feature_code, population, "
                 "geonameid, admin1, admin2, source, derived")
INSERT_PLACE = "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
INSERT_NAME = "INSERT INTO names VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

#: The ``min_population`` whose :func:`prominent_keys` the store keeps.
PROMINENT_MIN_POPULATION = 100_000

#: Places whose own and alternate names are prominent whatever their
#: population: countries, territories, first-level divisions, regions,
#: continents. (The country codes here are :data:`gazetteer.features.COUNTRY_CODES`
#: less ``PCLIX`` and ``PCL``, which the packaged sources never write; adding
#: them would change the list a store with GeoNames dumps keeps.)
PROMINENT_CODES = ("PCLI", "PCLD", "PCLS", "PCLF", "PCLH", "TERR", "ADM1", "RGN", "CONT")


def create_tables(con: sqlite3.Connection) -> None:
    """Create the tables of an empty store (:data:`TABLES`)."""
    con.executescript(TABLES)


def create_indexes(con: sqlite3.Connection) -> None:
    """Create the indexes (:data:`INDEXES`), once the tables are loaded."""
    con.executescript(INDEXES)


def prominent_keys(con: sqlite3.Connection, min_population: int) -> list[str]:
    """The keys :meth:`gazetteer.Gazetteer.prominent_names` returns, sorted,
    read from the ``names`` table of ``con``: names (own, or alternate for
    :data:`PROMINENT_CODES`) of places with at least ``min_population``
    people or of a :data:`PROMINENT_CODES` feature."""
    codes = ", ".join(f"'{c}'" for c in PROMINENT_CODES)
    rows = con.execute(
        "SELECT DISTINCT key FROM names "
        f"WHERE (kind = ? AND population >= ?) OR (kind IN (?, ?) AND feature_code IN ({codes})) "
        "ORDER BY key",
        (KIND_RANK["name"], min_population, KIND_RANK["name"], KIND_RANK["alternate"]))
    return [r[0] for r in rows]
