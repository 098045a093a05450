"""The fast name lookups give exactly what a plain SQL join over the store gives.

``names`` is denormalised (one row a key, its candidates packed with copies
of their places' columns, see :mod:`gazetteer.build`) and
:meth:`Gazetteer.candidates` and :meth:`Gazetteer.has_name` read it through
caches and a hash prefilter.  These tests compare them, on thousands of
random keys of the real store, with the straightforward reference: the
(key, place id, kind, spelling) of every packed candidate, unpacked
(:func:`gazetteer.schema.unpack`, which tests/gazetteer/test_store_records.py
checks against its pure-Python twin) into a plain table, joined to
``places`` on the place id, filtered, ordered and limited in SQL.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from gazetteer import Candidate, Gazetteer, Place
from gazetteer.schema import KIND_RANK, new_candidate, new_place, place_sources, unpack
from gazetteer.sources.base import KINDS
from gazetteer.store import PROMINENT_MIN_POPULATION, prominent_keys

_REF_COLS = ("p.id, p.name, p.lat, p.lon, p.country_code, p.feature_class, p.feature_code, "
             "p.population, p.geonameid, p.admin1, p.admin2, p.source, p.derived")


def reference(con, key, country=None, feature_class=None, min_population=None, limit=None):
    """Candidates of ``key`` by the plain join (the pre-denormalisation query)."""
    sql = [f"SELECT {_REF_COLS}, n.name, n.kind FROM plain.names n "
           "JOIN places p ON p.id = n.place_id WHERE n.key = ?"]
    args: list = [key]
    for clause, value in (("p.country_code = ?", country.upper() if country else None),
                          ("p.feature_class = ?", feature_class),
                          ("p.population >= ?", min_population)):
        if value is not None:
            sql.append(f"AND {clause}")
            args.append(value)
    sql.append("ORDER BY p.population DESC, n.kind, p.id")
    if limit is not None:
        sql.append("LIMIT ?")
        args.append(int(limit))
    return [Candidate(Place(*r[:12], bool(r[12])), r[13], KINDS[r[14]])
            for r in con.execute(" ".join(sql), args)]


@pytest.fixture(scope="module")
def con(gazetteer_path):
    """The store, with ``plain.names``: a row per (key, candidate) of its
    packed ``names``, and the places' columns as they were packed (``packed``)."""
    c = sqlite3.connect(f"{gazetteer_path.resolve().as_uri()}?mode=ro", uri=True)
    c.execute("ATTACH ':memory:' AS plain")
    c.execute("CREATE TABLE plain.names (key TEXT, place_id INTEGER, kind INTEGER, name TEXT)")
    c.execute("CREATE TABLE plain.packed (place_id INTEGER, population INTEGER, name TEXT, "
              "lat REAL, lon REAL, country_code TEXT, feature_class TEXT, feature_code TEXT, "
              "geonameid INTEGER, admin1 TEXT, admin2 TEXT, source TEXT, derived INTEGER)")
    sources = place_sources(c)
    rows = [(key, f) for key, data in c.execute("SELECT key, entries FROM names").fetchall()
            for f in unpack(data, new_place, new_candidate, KINDS, sources)]
    c.executemany("INSERT INTO plain.names VALUES (?,?,?,?)",
                  ((key, f.place.id, KIND_RANK[f.kind], f.matched) for key, f in rows))
    c.executemany("INSERT INTO plain.packed VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  ((p.id, p.population, p.name, p.lat, p.lon, p.country_code, p.feature_class,
                    p.feature_code, p.geonameid, p.admin1, p.admin2, p.source, int(p.derived))
                   for p in (f.place for _, f in rows)))
    c.execute("CREATE INDEX plain.by_key ON names (key)")
    yield c
    c.close()


@pytest.fixture(scope="module")
def sample(con):
    """3,000 random keys, the keys with most places, and the same keys, one letter off."""
    keys = sorted({k for (k,) in con.execute("SELECT key FROM names")})
    picked = random.Random(20240611).sample(keys, 3000)
    crowded = [k for (k,) in con.execute(
        "SELECT key FROM plain.names GROUP BY key ORDER BY count(*) DESC, key LIMIT 50")]
    return picked + crowded


def test_denormalised_columns_match_places(con):
    """Every packed candidate carries exactly its place's values (all 1M+ of them)."""
    orphans = con.execute("SELECT count(*) FROM plain.names n LEFT JOIN places p "
                          "ON p.id = n.place_id WHERE p.id IS NULL").fetchone()[0]
    assert orphans == 0
    differing = con.execute(
        "SELECT count(*) FROM plain.packed n JOIN places p ON p.id = n.place_id WHERE "
        "n.population IS NOT p.population OR n.name IS NOT p.name "
        "OR n.lat IS NOT p.lat OR n.lon IS NOT p.lon OR n.country_code IS NOT p.country_code "
        "OR n.feature_class IS NOT p.feature_class OR n.feature_code IS NOT p.feature_code "
        "OR n.geonameid IS NOT p.geonameid OR n.admin1 IS NOT p.admin1 "
        "OR n.admin2 IS NOT p.admin2 OR n.source IS NOT p.source "
        "OR n.derived IS NOT p.derived").fetchone()[0]
    assert differing == 0
    assert con.execute("SELECT count(*) FROM plain.packed").fetchone()[0] == int(
        dict(con.execute("SELECT key, value FROM meta"))["names"])


def test_candidates_equal_the_join(gazetteer_path, con, sample):
    with Gazetteer.open(gazetteer_path, build=False) as gaz:   # a fresh, cold instance
        for key in sample:
            expected = reference(con, key)
            assert expected, key
            assert gaz.candidates(key) == expected, key
            assert gaz.candidates(key, limit=250) == reference(con, key, limit=250), key
            assert gaz.candidates(key, limit=2) == expected[:2], key


@pytest.mark.parametrize("filters", [
    {"limit": 0}, {"limit": -1}, {"limit": 1}, {"country": "us"}, {"country": "FR"},
    {"country": ""}, {"feature_class": "P"}, {"feature_class": "A"}, {"feature_class": ""},
    {"min_population": 0}, {"min_population": 1000}, {"min_population": 1_000_000},
    {"country": "US", "feature_class": "P", "min_population": 100, "limit": 2},
    {"feature_class": "A", "limit": 1},
])
def test_filtered_candidates_equal_the_join(gazetteer_path, con, sample, filters):
    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        for key in sample[::5]:
            assert gaz.candidates(key, **filters) == reference(con, key, **filters), key
        if "country" in filters:
            return
        for key in sample[::50]:                      # the first country of each key, too
            cc = reference(con, key)[0].place.country_code
            if cc:
                got = gaz.candidates(key, country=cc.lower(), **filters)
                assert got == reference(con, key, country=cc, **filters), key


def test_spellings_fold_to_the_same_candidates(gaz, con):
    assert gaz.candidates("Nagorno–Karabakh") == reference(con, "nagorno karabakh")
    assert gaz.candidates("GENÈVE", limit=3) == reference(con, "geneve", limit=3)
    assert gaz.candidates(" ") == [] and gaz.candidates("zzqx no such place") == []


def test_has_name_equals_the_table(gazetteer_path, con, sample):
    rng = random.Random(7)
    misses = [k + suffix for k in sample[:1000] for suffix in (" zz", "s", "x")]
    misses += ["".join(rng.sample(k, len(k))) for k in sample[:2000]]   # shuffled letters
    misses += [k[:-1] for k in sample[:1000]]
    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        assert all(gaz.has_name(k) for k in sample)
        for word in misses:
            truth = con.execute("SELECT 1 FROM names WHERE key = ?", (word,)).fetchone()
            assert gaz.has_name(word) == (truth is not None), word


def test_has_name_then_candidates_in_either_order(gazetteer_path, con, sample):
    """``has_name`` reads and caches the candidates of a name: nothing changes."""
    with Gazetteer.open(gazetteer_path, build=False) as a, \
            Gazetteer.open(gazetteer_path, build=False) as b:
        for key in sample[:500]:
            assert a.has_name(key)
            first = a.candidates(key)
            assert b.candidates(key) == first and b.has_name(key)
            assert first == reference(con, key)
            assert a.candidates(key) is not first          # callers get their own list


def test_prominent_names_equal_the_join(gazetteer_path, con, tmp_path):
    def joined(min_population):
        return [k for (k,) in con.execute(
            "SELECT DISTINCT n.key FROM plain.names n JOIN places p ON p.id = n.place_id "
            "WHERE (n.kind = 0 AND p.population >= ?) OR (n.kind IN (0, 1) AND p.feature_code "
            "IN ('PCLI', 'PCLD', 'PCLS', 'PCLF', 'PCLH', 'TERR', 'ADM1', 'RGN', 'CONT')) "
            "ORDER BY n.key", (min_population,))]

    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        stored = gaz.prominent_names()
        assert stored == joined(PROMINENT_MIN_POPULATION) == prominent_keys(
            con, PROMINENT_MIN_POPULATION)
        assert "nagorno karabakh" in stored and stored == sorted(stored)
        assert gaz.prominent_names() is not stored
        assert gaz.prominent_names(min_population=1_000_000) == joined(1_000_000)


def test_entries_match_by_spellings_of_their_key(gazetteer_path, sample):
    """Each candidate of ``entries(key)`` is matched by a spelling that folds to
    ``key``; one matched by its place's own name holds the very string (the
    resolver knows the fold of such a place's name without folding it)."""
    from gazetteer.names import fold

    own = 0
    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        for key in sample[:1500]:
            for c in gaz.entries(key):
                assert fold(c.matched) == key, (key, c)
                if c.matched == c.place.name:
                    assert c.matched is c.place.name, (key, c)
                    own += 1
    assert own > 0
