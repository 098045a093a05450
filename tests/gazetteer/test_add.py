"""``gazetteer add``: GeoNames country dumps downloaded from a real local HTTP server
(127.0.0.1, GeoNames' exact formats) and added to a built store without a rebuild.

Fast: positive cases work on a copy of the session's built store; failures and the
equivalence with a full build use tiny stores.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3

import pytest
from geonames_server import alternate, closed_port, geoname, serve, write_country

from gazetteer import Gazetteer, build
from gazetteer.add import add_countries, add_sources
from gazetteer.build import recorded_extra_sources
from gazetteer.download import by_hand, country_urls
from gazetteer.errors import DownloadError
from gazetteer.paths import downloads_dir
from gazetteer.place import Place
from gazetteer.schema import KIND_RANK, name_rows
from gazetteer.seal import digest, read_seal, seal_path
from gazetteer.sources import registry
from gazetteer.sources.base import PlaceRecord
from gazetteer.sources.geonames_dump import GeoNamesDump
from gazetteer.store import check_store, diagnose_store

VILLAGE = 99_100_001          # ids far from any real GeoNames id in the store
HAMLET = 99_100_002
KYIV = 703448                 # in the packaged store (cities500): replaced by the dump row


def ukraine_rows():
    places = [
        geoname(VILLAGE, "Velykokhutirka", 48.61234, 37.91234, "UA", admin1="05",
                alternates=["Velykokhutirka", "Великохутірка"]),
        geoname(HAMLET, "Mala Zhovtenka", 48.70001, 37.80002, "UA", admin1="05",
                population=0),
        geoname(KYIV, "Kyiv", 50.45466, 30.5238, "UA", fcode="PPLC", admin1="12",
                population=2952301, alternates=["Kyiv", "Kyjiw"]),
    ]
    alternates = [
        alternate(1, VILLAGE, "uk", "Великохутірка"),
        alternate(2, VILLAGE, "ru", "Великохуторка"),
        alternate(3, VILLAGE, "en", "Velyka Khutirka"),
        alternate(4, HAMLET, "", "Zhovtenka Mala", historic="1"),
        alternate(5, HAMLET, "link", "https://en.wikipedia.org/wiki/Mala_Zhovtenka"),
        alternate(6, KYIV, "en", "Kyiv-Khutirsky Test"),
        alternate(7, 99_999_999, "en", "A place in no file"),     # dropped, not an error
    ]
    return places, alternates


@pytest.fixture
def dumps(tmp_path):
    root = tmp_path / "mirror"
    write_country(root, "UA", *ukraine_rows())
    return root


@pytest.fixture
def store(tmp_path, gazetteer_path):
    """A copy of the session's built store (and its seal), to change."""
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "gazetteer.sqlite"
    shutil.copyfile(gazetteer_path, path)
    if seal_path(gazetteer_path).exists():
        shutil.copyfile(seal_path(gazetteer_path), seal_path(path))
    return path


def _names_of(path, place_id):
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted((key, KIND_RANK[c.kind]) for key, c in name_rows(con)
                      if c.place.id == place_id)
    finally:
        con.close()


def test_added_country_is_resolvable_with_its_alternate_names(store, dumps):
    from geomap.pipeline import Pipeline

    with Gazetteer.open(store, build=False) as g:
        assert not g.candidates("Velykokhutirka")
        kiev_before = [c.place.id for c in g.candidates("Kiev")]
    with serve(dumps) as url:
        result = add_countries(["ua"], store, base_url=url)
    assert result.places >= 3 and result.names > 0
    assert check_store(store) is None                  # current, whole, sealed
    with Gazetteer.open(store, build=False) as g:
        for spelling in ("Velykokhutirka", "Великохутірка", "Великохуторка", "Velyka Khutirka"):
            assert [c.place.id for c in g.candidates(spelling)] == [VILLAGE], spelling
        assert [(c.place.id, c.kind) for c in g.candidates("Zhovtenka Mala")] == \
            [(HAMLET, "historical")]
        assert not g.has_name("https en wikipedia org wiki mala zhovtenka")
        # the replaced place keeps the names it had and gains the dump's
        assert [c.place.id for c in g.candidates("Kiev")] == kiev_before
        assert KYIV in [c.place.id for c in g.candidates("Kyiv-Khutirsky Test")]
        assert g.get(KYIV).source == "geonames_dump"
        mentions = Pipeline(g).process(
            "Shelling hit Velykokhutirka, a village in Donetsk Oblast, Ukraine, overnight.")
    assert VILLAGE in [m.place.id for m in mentions if m.place is not None]


def test_downloads_are_checksummed_kept_and_recorded(store, dumps):
    with serve(dumps) as url:
        result = add_countries(["UA"], store, base_url=url)
    served = {u: hashlib.sha256((dumps / u.removeprefix(url)).read_bytes()).hexdigest()
              for u in country_urls("UA", url)}
    assert {d.url: d.sha256 for d in result.downloads} == served
    folder = downloads_dir(store)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.zip")) == sorted(
        f"{sub}UA.{sha[:12]}.zip" for sub, sha in zip(("", "alternatenames/"),
                                                      served.values(), strict=True))
    con = sqlite3.connect(store)
    specs = json.loads(con.execute("SELECT value FROM meta WHERE key = 'extra_sources'")
                       .fetchone()[0])
    con.close()
    assert len(specs) == 1 and set(specs[0]["sha256"].values()) == set(served.values())
    kept, left_out = recorded_extra_sources(store)
    assert left_out == [] and [f.name for f in kept[0].files()] == [
        d.path.name for d in result.downloads]


def test_adding_twice_doubles_nothing(store, dumps):
    with serve(dumps) as url:
        add_countries(["UA"], store, base_url=url)
        once = {pid: _names_of(store, pid) for pid in (VILLAGE, HAMLET, KYIV)}
        sizes = _counts(store)
        add_countries(["UA"], store, base_url=url)
    assert {pid: _names_of(store, pid) for pid in once} == once
    assert _counts(store) == sizes
    with Gazetteer.open(store, build=False) as g:
        assert len(g.candidates("Velykokhutirka")) == 1
    assert len(list(downloads_dir(store).rglob("*.zip"))) == 2


def test_a_new_version_of_a_country_replaces_the_old(store, dumps, tmp_path):
    with serve(dumps) as url:
        add_countries(["UA"], store, base_url=url)
        places, alternates = ukraine_rows()
        places.append(geoname(99_100_003, "Novokhutirka", 48.5, 37.7, "UA", admin1="05"))
        write_country(dumps, "UA", places, alternates)
        add_countries(["UA"], store, base_url=url)
    with Gazetteer.open(store, build=False) as g:
        assert [c.place.id for c in g.candidates("Novokhutirka")] == [99_100_003]
        assert len(g.candidates("Velykokhutirka")) == 1
    kept, _ = recorded_extra_sources(store)
    assert len(kept) == 1                               # the old download is superseded
    assert len(list(downloads_dir(store).rglob("*.zip"))) == 2


def test_the_added_store_survives_reopening(store, dumps):
    with serve(dumps) as url:
        add_countries(["UA"], store, base_url=url)
    s = read_seal(store)
    assert s is not None and s.sha256 == digest(store) and s.damaged is None
    for _ in range(2):
        assert diagnose_store(store) is None
        with Gazetteer.open(store, build=False) as g:
            assert g.candidates("Velykokhutirka")


def _counts(path):
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("places", "names", "places_rtree"))
    finally:
        con.close()


# -- tiny stores: failures, equivalence with a build, rebuilds -----------------------

class Tiny:
    """Two places, one with the GeoNames id that the dump replaces."""

    name = "tiny"

    def version(self):
        return "1"

    def records(self):
        yield PlaceRecord(Place(KYIV, "Kiev", 50.45, 30.52, "UA", population=2_000_000,
                                geonameid=KYIV, source="tiny"),
                          (("Kiev", "name"), ("Kyiv", "alternate"), ("Kyjiw", "historical")))
        yield PlaceRecord(Place(1, "Alpha", 10.0, 20.0, "TD", population=5, geonameid=1,
                                source="tiny"), (("Alpha", "name"), ("Kyjiw", "alternate")))


@pytest.fixture
def tiny_store(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    return build(tmp_path / "tiny" / "gazetteer.sqlite", progress=False)


def _dump(path):
    """Every table of the store as comparable values (names decoded)."""
    con = sqlite3.connect(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        names = sorted((key, KIND_RANK[c.kind], c.matched, c.matched is c.place.name,
                        dataclasses.astuple(c.place)) for key, c in name_rows(con))
        return {
            "places": sorted(con.execute("SELECT * FROM places")),
            "rtree": sorted(con.execute("SELECT * FROM places_rtree")),
            "names": names,
            "shapes": sorted(con.execute("SELECT * FROM shapes")),
            "key_hashes": con.execute("SELECT hashes FROM key_hashes").fetchone(),
            "prominent": sorted(con.execute("SELECT * FROM prominent")),
            "variants": sorted(con.execute("SELECT * FROM variants")),
            "variant_hashes": con.execute("SELECT hashes FROM variant_hashes").fetchall(),
            "meta": {k: v for k, v in meta.items() if k not in ("place_sources", "names")},
        }
    finally:
        con.close()


def test_add_gives_what_a_full_build_gives(tiny_store, dumps, tmp_path):
    places, alternates = ukraine_rows()
    zips = tmp_path / "files"
    write_country(zips, "UA", places, alternates)
    source = GeoNamesDump([zips / "UA.zip"], alternate_names=zips / "alternatenames" / "UA.zip")
    add_sources(tiny_store, [source])
    built = build(tmp_path / "built.sqlite", extra_sources=[source], progress=False)
    assert _dump(tiny_store) == _dump(built)


@pytest.mark.parametrize("failure", ["404", "refused", "truncated zip", "short body",
                                     "checksum", "not a zip"])
def test_a_failed_download_names_the_file_and_leaves_the_store(tiny_store, dumps, failure):
    before = digest(tiny_store), seal_path(tiny_store).read_bytes()
    code, checksums = "UA", None
    if failure == "404":
        code = "PS"                                     # not on the server
    elif failure == "truncated zip":
        data = (dumps / "alternatenames" / "UA.zip").read_bytes()
        (dumps / "alternatenames" / "UA.zip").write_bytes(data[:len(data) // 2])
    elif failure == "checksum":
        checksums = {"UA.zip": "0" * 64}
    elif failure == "not a zip":
        (dumps / "UA.zip").write_text("<html>Service unavailable</html>")
    with serve(dumps) as url:
        if failure == "refused":
            url = f"http://127.0.0.1:{closed_port()}/"
        elif failure == "short body":
            url += "short/"
        with pytest.raises(DownloadError) as info:
            add_countries([code], tiny_store, base_url=url, checksums=checksums, timeout=10)
    message = str(info.value)
    assert f"{url}" in message and f"{code}.zip" in message
    assert "--geonames-dump" in message and by_hand(code, url) in message
    assert "store is unchanged" in message
    assert (digest(tiny_store), seal_path(tiny_store).read_bytes()) == before
    assert list(downloads_dir(tiny_store).rglob("*")) in ([], [downloads_dir(tiny_store) /
                                                                "alternatenames"])


def test_offline_message_names_the_reason(tiny_store):
    url = f"http://127.0.0.1:{closed_port()}/dump/"
    with pytest.raises(DownloadError, match=r"cannot reach the server .*offline\?"):
        add_countries(["SD"], tiny_store, base_url=url, timeout=5)


@pytest.mark.parametrize("bad", ["UKR", "U1", "", "../UA"])
def test_country_codes_are_two_letters(tiny_store, bad):
    with pytest.raises(DownloadError, match="two letters"):
        add_countries([bad], tiny_store, base_url="http://127.0.0.1:9/")


def test_only_http_base_urls(tiny_store, monkeypatch):
    monkeypatch.setenv("GEOMAP_GEONAMES_URL", "file:///etc/")
    with pytest.raises(DownloadError, match="http:// or https://"):
        add_countries(["UA"], tiny_store)


def test_base_url_from_the_environment(tiny_store, dumps, monkeypatch):
    with serve(dumps) as url:
        monkeypatch.setenv("GEOMAP_GEONAMES_URL", url.rstrip("/"))
        add_countries(["UA"], tiny_store)
    with Gazetteer(tiny_store) as g:
        assert g.candidates("Velykokhutirka")


def test_a_rebuild_builds_the_added_country_in_again(tiny_store, dumps):
    with serve(dumps) as url:
        add_countries(["UA"], tiny_store, base_url=url)
    with Gazetteer(tiny_store) as g:
        before = {n: [(c.place, c.kind) for c in g.candidates(n)]
                  for n in ("Velykokhutirka", "Kyjiw", "Kiev", "Zhovtenka Mala")}
    con = sqlite3.connect(tiny_store)
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")      # as after an upgrade
    con.commit()
    con.close()
    assert diagnose_store(tiny_store)[0] == "stale"
    with Gazetteer.open(tiny_store, progress=False) as g:
        after = {n: [(c.place, c.kind) for c in g.candidates(n)] for n in before}
    assert after == before and all(before.values())
