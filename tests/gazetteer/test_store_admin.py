"""``Gazetteer.admin`` (and the places the store makes from rows) against the
plain query it replaced: the most populous ADM1/ADM2 of the codes, by
``ORDER BY population DESC LIMIT 1``, as ``Place(...)`` makes it."""

from __future__ import annotations

import random
import sqlite3

import pytest

from gazetteer import Gazetteer, Place

_COLS = ("p.id, p.name, p.lat, p.lon, p.country_code, p.feature_class, p.feature_code, "
         "p.population, p.geonameid, p.admin1, p.admin2, p.source, p.derived")


def reference(con, cc, a1, a2=None):
    """The ADM1 (ADM2) place of the codes by the query before the aggregate one."""
    code, extra, args = "ADM1", "", [cc, a1]
    if a2 is not None:
        code, extra = "ADM2", "AND p.admin2 = ? "
        args.append(a2)
    row = con.execute(f"SELECT {_COLS} FROM places p WHERE p.country_code = ? "
                      f"AND p.feature_code = '{code}' AND p.admin1 = ? {extra}"
                      "ORDER BY p.population DESC LIMIT 1", args).fetchone()
    return None if row is None else Place(*row[:12], bool(row[12]))


@pytest.fixture(scope="module")
def con(gazetteer_path):
    c = sqlite3.connect(f"{gazetteer_path.resolve().as_uri()}?mode=ro", uri=True)
    yield c
    c.close()


def test_every_first_level_division_equals_the_plain_query(gazetteer_path, con):
    codes = con.execute("SELECT DISTINCT country_code, admin1 FROM places "
                        "WHERE feature_code = 'ADM1' AND country_code IS NOT NULL "
                        "AND admin1 IS NOT NULL").fetchall()
    assert len(codes) > 3000
    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        for cc, a1 in codes:
            got = gaz.admin(cc.lower(), a1)
            assert got is not None and got == reference(con, cc, a1), (cc, a1)


def test_second_level_divisions_equal_the_plain_query(gazetteer_path, con):
    codes = con.execute("SELECT DISTINCT country_code, admin1, admin2 FROM places "
                        "WHERE feature_code = 'ADM2' AND country_code IS NOT NULL "
                        "AND admin1 IS NOT NULL AND admin2 IS NOT NULL").fetchall()
    picked = random.Random(17).sample(codes, 3000)
    with Gazetteer.open(gazetteer_path, build=False) as gaz:
        for cc, a1, a2 in picked:
            got = gaz.admin(cc, a1, a2)
            assert got is not None and got == reference(con, cc, a1, a2), (cc, a1, a2)


@pytest.mark.parametrize("cc, a1, a2", [
    ("US", "NO SUCH", None), ("US", "CA", "NO SUCH"), ("ZZ", "01", None), (None, "CA", None),
    ("", "CA", None), ("US", "", None),
])
def test_unknown_codes_have_no_division(gaz, con, cc, a1, a2):
    assert gaz.admin(cc, a1, a2) is None
    if cc:
        assert reference(con, cc, a1, a2) is None


def test_places_read_by_id_are_the_constructed_places(gaz, con):
    """``get``/``country`` make their places without ``Place.__init__``: the same objects."""
    ids = [i for (i,) in con.execute("SELECT id FROM places ORDER BY id LIMIT 200")]
    for i in ids:
        row = con.execute(f"SELECT {_COLS} FROM places p WHERE p.id = ?", (i,)).fetchone()
        p = gaz.get(i)
        assert p == Place(*row[:12], bool(row[12])) and type(p) is Place
        assert type(p.derived) is bool and hash(p) == hash(Place(*row[:12], bool(row[12])))
    assert gaz.country("fr").country_code == "FR"
