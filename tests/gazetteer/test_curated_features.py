"""The curated layer of physical features and conflict infrastructure
(``gazetteer/data/features.csv``): every row is checked, and the built store
answers with it."""

from __future__ import annotations

import csv
import math

import pytest

from gazetteer.errors import GazetteerImportError
from gazetteer.names import fold
from gazetteer.place import CURATED_ID_BASE
from gazetteer.sources.curated import (
    DATA_DIR,
    Curated,
    extent_contains,
    feature_extent,
)

#: GeoNames feature codes (geonames.org/export/codes.html) a row may use, by class.
GEONAMES_CODES = {
    "H": {"OCN", "SEA", "GULF", "BAY", "STRT", "STM", "LK", "RSV", "CNL", "DLTA", "SHOL"},
    "T": {"DSRT", "MTS", "MT", "VAL", "PEN", "ISL", "ISLS", "SPIT"},
    "L": {"PRT", "AREA", "RGN"},
    "S": {"CMPRF", "PSTB", "DAM", "PS", "PSN", "INSM", "BDG", "AIRB", "AIRP", "MILB", "NVB",
          "MFG"},
}
#: The feature codes that are areas: they need an extent.
AREAL = {"OCN", "SEA", "GULF", "BAY", "STRT", "STM", "LK", "RSV", "CNL", "DLTA", "DSRT", "MTS",
         "VAL", "PEN", "ISLS", "SPIT", "AREA"}


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


FEATURES = _rows("features.csv")


def test_every_feature_row_is_complete_and_valid():
    assert len(FEATURES) >= 250
    for row in FEATURES:
        where = f"features.csv n={row['n']} ({row['name']})"
        assert row["provenance"].strip(), where
        assert row["name"].strip() == row["name"] and row["name"], where
        fclass, fcode = row["feature_class"], row["feature_code"]
        assert fcode in GEONAMES_CODES.get(fclass, ()), where
        lat, lon = float(row["lat"]), float(row["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, where
        for cc in filter(None, row["country_codes"].split("|")):
            assert len(cc) == 2 and cc.isupper(), where
        if row["geonameid"]:
            assert 0 < int(row["geonameid"]) < CURATED_ID_BASE, where
        extent = feature_extent(row)
        if fcode in AREAL:
            assert extent is not None, f"{where}: an areal feature needs its extent"
        if extent is not None:
            assert extent_contains(extent, lat, lon), where


def test_no_duplicate_rows_ids_or_names():
    places = _rows("places.csv")
    ids = [int(r["n"]) for r in places + FEATURES]
    assert len(ids) == len(set(ids)), "an n is used twice across places.csv and features.csv"
    points = [(r["name"], r["lat"], r["lon"]) for r in FEATURES]
    assert len(points) == len(set(points))
    owners: dict[str, str] = {}
    for row in FEATURES:
        for name in [row["name"], *filter(None, row["alternate_names"].split("|"))]:
            key = fold(name)
            assert owners.setdefault(key, row["n"]) == row["n"], (
                f"{name!r} names both n={owners[key]} and n={row['n']}")


def test_the_required_breadth_is_there():
    codes = {}
    for row in FEATURES:
        codes.setdefault(row["feature_code"], []).append(row["name"])
    assert {"Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Arctic Ocean",
            "Southern Ocean"} <= set(codes["OCN"])
    for code, at_least in {"SEA": 20, "GULF": 8, "STRT": 8, "STM": 40, "LK": 15, "DSRT": 10,
                           "MTS": 20, "CMPRF": 30, "PSTB": 12, "DAM": 10, "AIRB": 12,
                           "PEN": 15, "RGN": 25}.items():
        assert len(codes.get(code, ())) >= at_least, code
    assert len(codes["ISL"]) + len(codes["ISLS"]) >= 60


#: Coarse boxes (south, west, north, east) of the continents, for the breadth test.
CONTINENTS = {
    "Africa": (-35.0, -18.0, 37.5, 52.0),
    "Europe": (35.0, -25.0, 72.0, 45.0),
    "Asia": (-11.0, 45.0, 78.0, -169.0),
    "North America": (7.0, -170.0, 84.0, -52.0),
    "South America": (-56.0, -92.0, 12.5, -34.0),       # with the Galápagos
    "Oceania": (-48.0, 110.0, 0.0, 180.0),
}


def test_islands_and_regions_in_every_ocean_and_continent():
    """Islands and archipelagos in each ocean (the point inside the ocean row's extent)
    and regions, peninsulas and islands on each inhabited continent, not one corner of the
    world."""
    by_name = {row["name"]: row for row in FEATURES}
    islands = [r for r in FEATURES if r["feature_code"] in {"ISL", "ISLS"}]
    for ocean in ("Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Arctic Ocean",
                  "Mediterranean Sea", "Caribbean Sea"):
        extent = feature_extent(by_name[ocean])
        inside = [r["name"] for r in islands
                  if extent_contains(extent, float(r["lat"]), float(r["lon"]))]
        assert len(inside) >= 2, (ocean, inside)
    areas = [r for r in FEATURES if r["feature_code"] in {"RGN", "PEN", "ISL", "ISLS"}]
    for continent, box in CONTINENTS.items():
        inside = [r["name"] for r in areas
                  if extent_contains(box, float(r["lat"]), float(r["lon"]))]
        assert len(inside) >= 3, (continent, inside)


def test_extent_across_the_antimeridian():
    bering = (51.0, 162.0, 66.0, -157.0)
    assert extent_contains(bering, 58.0, -178.0)
    assert extent_contains(bering, 58.0, 170.0)
    assert not extent_contains(bering, 58.0, 0.0)
    assert not extent_contains(bering, 70.0, 170.0)


@pytest.mark.parametrize("cells, message", [
    ({"lat": "95"}, "coordinates out of range"),
    ({"feature_class": "X"}, "feature class"),
    ({"feature_code": "sea"}, "feature class"),
    ({"country_codes": "Ukraine"}, "country codes"),
    ({"south": "50", "north": "40"}, "extent"),
    ({"lat": "10"}, "does not contain"),
    ({"provenance": " "}, "provenance"),
])
def test_a_bad_row_names_the_file_and_line(tmp_path, cells, message):
    for name in ("places.csv", "names.csv", "alternate_names.csv", "demonyms.csv",
                 "coordinates.csv"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text(encoding="utf-8")
                                     .splitlines()[0] + "\n", encoding="utf-8")
    row = {"n": "9001", "name": "Test Sea", "alternate_names": "", "lat": "43.0",
           "lon": "35.0", "country_codes": "UA|RU", "feature_class": "H",
           "feature_code": "SEA", "geonameid": "", "south": "40", "west": "30",
           "north": "46", "east": "40", "provenance": "a test row"}
    row.update(cells)
    with open(tmp_path / "features.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow({"n": "9000", "name": "Fine Gulf", "alternate_names": "the Fine Gulf",
                    "lat": "1", "lon": "2", "country_codes": "", "feature_class": "H",
                    "feature_code": "GULF", "geonameid": "", "south": "0", "west": "1",
                    "north": "2", "east": "3", "provenance": "a test row"})
        w.writerow(row)
    with pytest.raises(GazetteerImportError, match=f"features.csv, line 3: .*{message}"):
        list(Curated(tmp_path).records())


def test_the_store_has_the_features(gaz):
    def first(name, code):
        hits = [c.place for c in gaz.candidates(name) if c.place.feature_code == code]
        assert hits, f"no {code} for {name!r}"
        return hits[0]

    azov = first("Sea of Azov", "SEA")
    assert azov.source == "curated" and azov.feature_class == "H"
    assert azov.country_code is None            # two countries: none of its own
    assert math.isclose(azov.lat, 46.1) and math.isclose(azov.lon, 36.6)
    assert first("Litani River", "STM").country_code == "LB"
    assert first("Kerem Abu Salem", "PSTB").feature_class == "S"
    assert first("Hostomel airfield", "AIRP").country_code == "UA"
    # a river's bare name is not given to it where a town has the name
    assert all(c.place.feature_code != "STM" for c in gaz.candidates("Dnipro"))
    assert all(c.place.feature_code != "STM" for c in gaz.candidates("Jordan"))


@pytest.mark.parametrize("text, name, code, country", [
    # an island against a village of the same name in another country (Java, Georgia)
    ("A magnitude 6 quake hit Lombok, east of Bali, and was felt across Java, "
     "Indonesia's most populous island.", "Java", "ISL", "ID"),
    # against a town known by the name as an alternate (Coronado, California)
    ("The earthquake struck near Christchurch on New Zealand's South Island.",
     "South Island", "ISL", "NZ"),
    ("Troops were sent to Mindanao after militants seized Marawi in the Philippines.",
     "Mindanao", "ISL", "PH"),
    # a region against a small town of the same name (Patagonia, Arizona)
    ("Wildfires spread across Patagonia, in southern Argentina and Chile, officials said.",
     "Patagonia", "RGN", None),
    ("Shelling continued in the Kivu region near Goma, in eastern Congo, the UN said.",
     "Kivu", "RGN", "CD"),
    ("Rockets fired from Lebanon hit the Galilee in northern Israel.", "Galilee", "RGN", "IL"),
])
def test_an_island_or_region_in_context_is_the_curated_entry(gaz, text, name, code, country):
    from geomap import Pipeline

    found = {m.text: m.place for m in Pipeline(gaz).process(text) if m.place is not None}
    place = found[name]
    assert (place.source, place.feature_code, place.country_code) == ("curated", code, country)


def test_a_curated_region_leaves_a_town_of_its_name_to_its_context(gaz):
    from geomap import Pipeline

    found = {m.text: m.place for m in Pipeline(gaz).process(
        "He grew up in Patagonia, Arizona, near the border with Mexico.")}
    assert (found["Patagonia"].feature_class, found["Patagonia"].country_code) == ("P", "US")


def test_no_two_rows_of_a_country_and_code_share_a_name():
    seen: dict[tuple[str, str, str], str] = {}
    for row in FEATURES:
        for cc in row["country_codes"].split("|") or [""]:
            for name in [row["name"], *filter(None, row["alternate_names"].split("|"))]:
                key = (cc, row["feature_code"], fold(name))
                assert seen.setdefault(key, row["n"]) == row["n"], (
                    f"{name!r} ({cc} {row['feature_code']}) in n={seen[key]} and n={row['n']}")


def test_infrastructure_of_the_countries_at_war():
    """Every class the issue asks for, in several of the countries at war since 2014."""
    by_code: dict[str, set[str]] = {}
    for row in FEATURES:
        for cc in filter(None, row["country_codes"].split("|")):
            by_code.setdefault(row["feature_code"], set()).add(cc)
    at_war = {"UA", "RU", "SY", "IQ", "YE", "LY", "SD", "SS", "ET", "SO", "ML", "NE", "NG",
              "CM", "CF", "CD", "MZ", "MM", "AF", "PK", "IL", "PS", "LB", "CO", "HT"}
    for code, countries in {"PS": 3, "DAM": 5, "BDG": 3, "PRT": 10, "AIRB": 8, "PSTB": 8,
                            "CMPRF": 8}.items():
        assert len(by_code.get(code, set()) & at_war) >= countries, code


def test_point_rows_are_infrastructure_with_an_article():
    """A point feature (no extent) is a spot (class S) or a port (L.PRT); every row names
    its source ("Wikipedia: <article>; point: ...") and what its point is; a row has no
    GeoNames id we could not check."""
    for row in FEATURES:
        where = f"features.csv n={row['n']} ({row['name']})"
        source, sep, rest = row["provenance"].partition(": ")
        assert sep and source.strip() and "point" in rest, where
        if feature_extent(row) is None:
            assert row["feature_class"] in "ST" or row["feature_code"] == "PRT", where
        assert not row["geonameid"], f"{where}: geonameid is filled only when checked"


def test_infrastructure_does_not_take_a_town_name(gaz):
    """No spot or port is known by the name of a populated place of its country that lies
    elsewhere: a bridge or camp named like a town would take the town's mentions (a camp
    at the town it is named after, such as al-Hol at al-Hawl, costs nothing)."""
    for row in FEATURES:
        if row["feature_class"] != "S" and row["feature_code"] != "PRT":
            continue
        countries = set(filter(None, row["country_codes"].split("|")))
        point = (float(row["lat"]), float(row["lon"]))
        for name in [row["name"], *filter(None, row["alternate_names"].split("|"))]:
            towns = [c.place for c in gaz.candidates(name)
                     if c.place.feature_class == "P" and c.place.country_code in countries
                     and c.place.source != "curated" and c.kind == "name"
                     and _km(point, c.place.point) > 10]
            assert not towns, f"n={row['n']}: {name!r} is also {towns[0]}"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))
