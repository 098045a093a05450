"""The schema module is the one place the store's tables are defined: a
built store has exactly its tables and indexes, and records its version."""

from __future__ import annotations

import sqlite3

from gazetteer import Gazetteer, build, schema
from gazetteer.place import Place
from gazetteer.sources.base import PlaceRecord


class One:
    name = "one"

    def version(self):
        return "1"

    def records(self):
        yield PlaceRecord(Place(1, "Alpha", 10.0, 20.0, "TD", "A", "PCLI", 200_000, 1),
                          (("Alpha", "name"), ("Alfa", "alternate")))


def _master(con):
    return sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                              "WHERE name NOT LIKE 'sqlite_%'"))


def test_a_built_store_has_the_schema_modules_tables(tmp_path):
    path = build(tmp_path / "g.sqlite", sources=[One()], progress=False)
    fresh = sqlite3.connect(":memory:")
    schema.create_tables(fresh)
    schema.create_indexes(fresh)
    built = sqlite3.connect(path)
    try:
        assert _master(built) == _master(fresh)
        meta = dict(built.execute("SELECT key, value FROM meta"))
        assert meta["schema"] == schema.SCHEMA_VERSION and meta["complete"] == "1"
        assert schema.prominent_keys(built, schema.PROMINENT_MIN_POPULATION) == ["alfa", "alpha"]
    finally:
        built.close()
        fresh.close()
    with Gazetteer(path) as g:
        assert g.prominent_names() == ["alfa", "alpha"]
        assert g.candidates("alfa")[0].kind == schema.KINDS[1]
