"""Building: atomicity, staleness, corruption, importers -- on tiny stores (fast)."""

import os
import sqlite3
from pathlib import Path

import pytest

from gazetteer import Gazetteer, build
from gazetteer.build import main_build
from gazetteer.errors import GazetteerBuildError, GazetteerCorruptError, GazetteerImportError
from gazetteer.place import Place
from gazetteer.sources import registry
from gazetteer.sources.base import NameLink, PlaceRecord, Ref
from gazetteer.sources.geonames_dump import GeoNamesDump
from gazetteer.sources.user_csv import UserCSV
from gazetteer.store import check_store

FIXTURES = Path(__file__).parent / "fixtures"


class Tiny:
    """A two-place source; ``fail`` makes it crash after the first record."""

    name = "tiny"

    def __init__(self, version="1", fail=False):
        self._version, self.fail = version, fail

    def version(self):
        return self._version

    def records(self):
        yield PlaceRecord(Place(1, "Alpha", 10.0, 20.0, "TD", population=5, geonameid=1),
                          (("Alpha", "name"), ("Alfa", "alternate")))
        if self.fail:
            raise RuntimeError("simulated crash mid-build")
        yield PlaceRecord(Place(2, "Beta", 11.0, 21.0, "TD", population=50, geonameid=2),
                          (("Beta", "name"), ("Alpha", "alternate")))
        yield NameLink(Ref("geonameid", 2), "B.", "abbreviation")
        yield NameLink(Ref("geonameid", 999), "Ignored")       # not required: dropped


def _open(path, version="1", build_=False):
    from gazetteer.build import expected_meta

    expected = expected_meta([Tiny(version)])
    assert check_store(path, expected) is None
    return Gazetteer(path)


def test_tiny_build_and_lookup(tmp_path):
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], progress=False)
    with _open(path) as g:
        assert [c.place.name for c in g.candidates("ALPHA")] == ["Beta", "Alpha"]
        assert g.candidates("b.")[0].kind == "abbreviation"
        assert g.sources() == {"tiny": "1"}
    assert not list(tmp_path.glob(".*.tmp"))


def test_crash_mid_build_keeps_old_store(tmp_path):
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], progress=False)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="simulated"):
        build(path, sources=[Tiny(version="2", fail=True)], progress=False)
    assert path.read_bytes() == before                      # old store untouched
    assert not list(tmp_path.glob(".*.tmp"))                # no temp file left behind
    _open(path).close()


def test_incomplete_store_is_not_trusted(tmp_path):
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], progress=False)
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '0' WHERE key = 'complete'")
    con.commit()
    con.close()
    assert "did not complete" in check_store(path, {"schema": "3"})


def test_stale_store_is_rebuilt(tmp_path, monkeypatch):
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], progress=False)
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'source:tiny'")
    con.commit()
    con.close()
    import gazetteer.store as store_mod


    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    assert "stale" in check_store(path)
    with pytest.raises(GazetteerCorruptError, match=r"g\.sqlite.*stale"):
        Gazetteer.open(path, build=False)
    with store_mod.Gazetteer.open(path, progress=False) as g:   # rebuilds
        assert g.sources() == {"tiny": "1"}


@pytest.mark.parametrize("damage", ["truncate", "garbage", "missing"])
def test_damaged_store_clear_error_or_rebuild(tmp_path, monkeypatch, damage):

    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], progress=False)
    if damage == "truncate":
        with open(path, "r+b") as f:
            f.truncate(path.stat().st_size // 2)
    elif damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    else:
        path.unlink()
    with pytest.raises(GazetteerCorruptError) as err:
        Gazetteer.open(path, build=False)
    assert str(path) in str(err.value)
    with Gazetteer.open(path, progress=False) as g:
        assert g.lookup("Beta")[0].id == 2


def test_default_path_follows_env(tmp_path, monkeypatch):
    from gazetteer.paths import default_path

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    assert default_path() == tmp_path / "gazetteer.sqlite"


def test_unresolved_curated_name_fails_build(tmp_path):
    class Broken(Tiny):
        def records(self):
            yield from super().records()
            yield NameLink(Ref("country", "QQ"), "Nowhereland", required=True)

    with pytest.raises(GazetteerBuildError, match="QQ"):
        build(tmp_path / "g.sqlite", sources=[Broken()], progress=False)
    assert not (tmp_path / "g.sqlite").exists()


# -- GeoNames dump importer ----------------------------------------------------
@pytest.mark.parametrize("table", ["cities_sample.txt", "cities_sample.zip"])
def test_geonames_dump(tmp_path, table):
    dump = GeoNamesDump(FIXTURES / table,
                        alternate_names=FIXTURES / "alternateNamesV2_sample.txt",
                        admin1=FIXTURES / "admin1CodesASCII_sample.txt")
    path = build(tmp_path / "g.sqlite", sources=[Tiny()], extra_sources=[dump], progress=False)
    with Gazetteer(path) as g:
        kh = g.candidates("Stepanakert")[0]
        assert kh.place.geonameid == 146970 and kh.place.feature_code == "PPLA"
        assert g.candidates("Shushi")[0].place.geonameid == 147105
        assert g.lookup("Testopolis")[0].name == "Testville"
        assert g.candidates("Tvl")[0].kind == "abbreviation"
        assert g.lookup("GVA") == [] and g.lookup("1200") == [] and g.lookup("Q123456") == []
        assert not g.has_name("nowhere place")              # alt name of a place not imported
        assert g.lookup("Test River")[0].feature_class == "H"
        assert g.lookup("Canton de Geneve")[0].feature_code == "ADM1"
        assert g.nearest(10.6, 20.2).name == "Testville"
        assert "geonames_dump" in g.sources()


def test_geonames_dump_filters(tmp_path):
    dump = GeoNamesDump([FIXTURES / "cities_sample.txt"], feature_classes=["P"],
                        min_population=100)
    path = build(tmp_path / "g.sqlite", sources=[], extra_sources=[dump], progress=False)
    with Gazetteer(path) as g:
        assert g.lookup("Test River") == [] and g.lookup("Little Hamlet") == []
        assert g.lookup("Testville")


def test_geonames_dump_bad_row(tmp_path):
    with pytest.raises(GazetteerImportError, match=r"cities_bad.txt, line 2: expected 19"):
        build(tmp_path / "g.sqlite", sources=[],
              extra_sources=[GeoNamesDump(FIXTURES / "cities_bad.txt")], progress=False)
    with pytest.raises(GazetteerImportError, match="no such file"):
        build(tmp_path / "g.sqlite", sources=[],
              extra_sources=[GeoNamesDump(tmp_path / "missing.txt")], progress=False)


# -- user CSV ------------------------------------------------------------------
def test_user_csv(tmp_path):
    path = build(tmp_path / "g.sqlite", sources=[Tiny()],
                 extra_sources=[UserCSV(FIXTURES / "places_good.csv")], progress=False)
    with Gazetteer(path) as g:
        camp = g.candidates("Camp A")[0]
        assert camp.place.name == "Camp Alpha" and camp.kind == "alternate"
        assert camp.place.feature_code == "CMP" and camp.place.country_code == "IQ"
        assert g.lookup("New Geneva Hub")[0].country_code == "CH"
        assert g.by_geonameid(146970).source == "user_csv"
        ids = {p.id for p in g.lookup("Camp Alpha")}
    again = build(tmp_path / "h.sqlite", sources=[Tiny()],
                  extra_sources=[UserCSV(FIXTURES / "places_good.csv")], progress=False)
    with Gazetteer(again) as g:
        assert {p.id for p in g.lookup("Camp Alpha")} == ids   # stable ids


@pytest.mark.parametrize("filename, message", [
    ("places_bad.csv", r"places_bad.csv, line 3: could not convert"),
    ("places_no_lon.csv", r"places_no_lon.csv, line 1: missing required column\(s\) lon"),
])
def test_user_csv_bad_rows(tmp_path, filename, message):
    with pytest.raises(GazetteerImportError, match=message):
        build(tmp_path / "g.sqlite", sources=[],
              extra_sources=[UserCSV(FIXTURES / filename)], progress=False)


def test_user_csv_rejects_nan_and_out_of_range(tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("name,lat,lon\nA,nan,1\n")
    with pytest.raises(GazetteerImportError, match="line 2: Expected finite"):
        list(UserCSV(bad).records())
    bad.write_text("name,lat,lon\nA,91,1\n")
    with pytest.raises(GazetteerImportError, match=r"line 2: lat must be in \[-90, 90\]"):
        list(UserCSV(bad).records())


def test_main_build_cli_options(tmp_path, monkeypatch):

    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    out = main_build(["--path", str(tmp_path / "c.sqlite"), "--quiet",
                      "--geonames-dump", str(FIXTURES / "cities_sample.zip"),
                      "--alternate-names", str(FIXTURES / "alternateNamesV2_sample.txt"),
                      "--admin1", str(FIXTURES / "admin1CodesASCII_sample.txt"),
                      "--places-csv", str(FIXTURES / "places_good.csv")])
    with Gazetteer(out) as g:
        assert g.lookup("Camp Alpha") and g.lookup("Testville")
    assert os.path.exists(out)


def _make_stale(path):
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    con.commit()
    con.close()


def test_stale_rebuild_keeps_the_extra_sources(tmp_path, monkeypatch):
    """A store made stale (here by another schema, as after an upgrade) is
    rebuilt with the user's CSV and GeoNames dump, not without them."""
    import shutil

    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    csv_file = shutil.copy(FIXTURES / "places_good.csv", tmp_path / "mine.csv")
    dump = GeoNamesDump(FIXTURES / "cities_sample.txt",
                        alternate_names=FIXTURES / "alternateNamesV2_sample.txt")
    path = build(tmp_path / "g.sqlite", extra_sources=[UserCSV(csv_file), dump],
                 progress=False)
    with Gazetteer(path) as g:
        before = {name: [p.id for p in g.lookup(name)]
                  for name in ("Stepanakert", "New Geneva Hub", "Alpha")}
        before_sources = g.sources()
    assert all(before.values())
    _make_stale(path)
    assert "schema" in check_store(path)
    with Gazetteer.open(path, progress=False) as g:
        assert {name: [p.id for p in g.lookup(name)] for name in before} == before
        assert g.sources() == before_sources
    assert check_store(path) is None


def test_stale_rebuild_names_an_extra_source_that_is_gone(tmp_path, monkeypatch):
    import shutil

    from gazetteer.errors import GazetteerWarning

    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    csv_file = Path(shutil.copy(FIXTURES / "places_good.csv", tmp_path / "mine.csv"))
    path = build(tmp_path / "g.sqlite", extra_sources=[UserCSV(csv_file)], progress=False)
    _make_stale(path)
    csv_file.unlink()
    with pytest.warns(GazetteerWarning, match=r"user_csv:mine\.csv: .*mine\.csv: no such file"):
        with Gazetteer.open(path, progress=False) as g:
            assert g.sources() == {"tiny": "1"}
            assert g.lookup("Alpha")
    assert check_store(path) is None
