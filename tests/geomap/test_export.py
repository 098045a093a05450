"""geomap.export: write files and read them back with GDAL."""

import importlib.util
import json
import os
import shutil
import subprocess
from dataclasses import replace

import pandas as pd
import pytest
from run_cli import ROOT, geomap_cli
from samples import GENEVA, MOSCOW
from samples import KARABAKH as SAMPLE_KARABAKH
from samples import mention as sample_mention

from geomap.errors import MissingExtraError
from geomap.export import (
    mentions_geojson,
    places_geojson,
    write_csv,
    write_geojson,
    write_gpkg,
    write_mentions_geojson,
    write_parquet,
)
from geomap.mentions import COLUMNS, Mention, to_frame

# many decimals, to test rounding to 7
KARABAKH = replace(SAMPLE_KARABAKH, lat=39.8123456789)


def mention(doc, source, place, sentence, word, date=None):
    return sample_mention(doc, source, place, sentence, word, date, sentence_start=10, score=0.8)


@pytest.fixture
def table():
    return to_frame([
        mention("a", "TASS", MOSCOW, "Strikes near Moscow.", "Moscow", "2024-03-02"),
        mention("b", "BBC", MOSCOW, "Moscow said <b>no</b>.", "Moscow", "2024-03-04"),
        mention("b", "BBC", GENEVA, "Talks in Genève and Geneva.", "Geneva", "2024-03-04"),
        mention("c", "BBC", KARABAKH, "Aid reached Nagorno-Karabakh.", "Nagorno-Karabakh"),
        Mention(doc="c", start=0, end=6, text="Narnia", source="BBC"),
    ])


def test_places_geojson_is_rfc7946(table):
    fc = places_geojson(table)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == 3
    moscow, geneva, karabakh = fc["features"]
    assert moscow["id"] == 524901 and moscow["geometry"] == {
        "type": "Point", "coordinates": [37.61556, 55.75222]}
    assert karabakh["geometry"]["coordinates"] == [46.75, 39.8123457]
    assert moscow["properties"] == {
        "place_id": 524901, "name": "Moscow", "geonameid": 524901, "country_code": "RU",
        "country_name": "Russia", "admin1_code": None, "admin1_name": None,
        "admin2_code": None, "admin2_name": None, "feature_class": "P", "feature_code": "PPLC",
        "feature_name": "capital", "written_names": "Moscow", "mentions": 2, "documents": 2,
        "sources": 2, "source_names": "BBC; TASS", "first_date": "2024-03-02",
        "last_date": "2024-03-04", "mentions_violence": 1, "mentions_diplomacy": 0,
        "mentions_humanitarian": 0, "mentions_other": 1}
    assert karabakh["properties"]["geonameid"] is None
    assert karabakh["properties"]["first_date"] is None
    for key in moscow["properties"]:
        kinds = {type(f["properties"][key]) for f in fc["features"]} - {type(None)}
        assert len(kinds) <= 1, key     # one type, or null throughout (admin1 here)


def test_category_counts_follow_the_table_or_are_left_out(table):
    own = table.assign(category=["a", "b", "b", "a", None])
    props = places_geojson(own)["features"][0]["properties"]
    assert (props["mentions_a"], props["mentions_b"]) == (1, 1)
    assert not [k for k in places_geojson(table, categorize=False)["features"][0]["properties"]
                if k.startswith("mentions_")]


def test_no_dates_no_date_properties():
    fc = places_geojson(to_frame([mention("a", "S", GENEVA, "In Geneva.", "Geneva")]))
    assert "first_date" not in fc["features"][0]["properties"]


def test_empty_table_gives_empty_collection():
    assert places_geojson(to_frame([])) == {"type": "FeatureCollection", "features": []}


def test_write_geojson_read_back_with_pyogrio(table, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path = write_geojson(table, tmp_path / "places.geojson")
    assert json.loads(path.read_text("utf-8"))["features"][0]["properties"]["name"] == "Moscow"
    info = pyogrio.read_info(path)
    assert info["features"] == 3 and info["geometry_type"] == "Point"
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["mentions"] == "int32" and types["name"] == "object"
    assert types["geonameid"] in ("int32", "int64")
    gdf = pyogrio.read_dataframe(path)
    moscow = gdf[gdf["name"] == "Moscow"].iloc[0]
    assert moscow.geometry.x == pytest.approx(37.6, abs=0.1)
    assert moscow.geometry.y == pytest.approx(55.8, abs=0.1)
    assert gdf.crs.to_epsg() == 4326


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
def test_write_geojson_read_back_with_ogrinfo(table, tmp_path):
    path = write_geojson(table, tmp_path / "places.geojson")
    out = subprocess.run(["ogrinfo", "-al", "-so", str(path)], capture_output=True, text=True,
                         check=True).stdout
    assert "Feature Count: 3" in out and "Geometry: Point" in out
    assert "mentions: Integer (0.0)" in out
    assert "source_names: String (0.0)" in out
    assert "first_date: Date (0.0)" in out or "first_date: String (0.0)" in out
    where = subprocess.run(["ogrinfo", "-al", "-q", "-where", "name = 'Moscow'", str(path)],
                           capture_output=True, text=True, check=True).stdout
    assert "POINT (37.61556 55.75222)" in where


def test_mentions_geojson(table):
    fc = mentions_geojson(table)
    assert [f["id"] for f in fc["features"]] == [0, 1, 2, 3]  # unresolved one left out
    props = fc["features"][1]["properties"]
    assert props["text"] == "Moscow" and props["sentence"] == "Moscow said <b>no</b>."
    assert (props["start"], props["end"], props["score"]) == (10, 16, 0.8)
    assert props["category"] == "other" and fc["features"][0]["properties"]["category"] == \
        "violence"
    assert fc["features"][3]["properties"]["geonameid"] is None
    assert "category" not in table.columns


def test_mentions_geojson_read_back(table, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path = write_mentions_geojson(table, tmp_path / "mentions.geojson")
    gdf = pyogrio.read_dataframe(path)
    assert len(gdf) == 4 and set(gdf["category"]) == {"violence", "other", "diplomacy",
                                                      "humanitarian"}
    assert gdf.loc[gdf["doc"] == "a"].geometry.iloc[0].x == pytest.approx(37.61556)
    info = pyogrio.read_info(path)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["start"] == "int32" and types["score"] == "float64"


def test_write_csv_round_trip(table, tmp_path):
    path = write_csv(table, tmp_path / "mentions.csv")
    back = pd.read_csv(path)
    assert list(back.columns) == list(table.columns) and len(back) == 5
    assert back.loc[1, "sentence"] == "Moscow said <b>no</b>."
    assert "Genève" in path.read_text("utf-8")


def test_write_csv_read_by_gdal(table, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path = write_csv(table, tmp_path / "mentions.csv")
    assert pyogrio.read_info(path)["features"] == 5


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed")
def test_write_parquet_round_trip(table, tmp_path):
    back = pd.read_parquet(write_parquet(table, tmp_path / "mentions.parquet"))
    assert list(back["text"]) == list(table["text"])


def test_write_parquet_names_the_extra(table, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(MissingExtraError, match=r"pip install 'geomap\[parquet\]'"):
        write_parquet(table, tmp_path / "m.parquet")
    assert os.listdir(tmp_path) == []


def test_write_gpkg_two_layers(table, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path = write_gpkg(table, tmp_path / "geomap.gpkg")
    assert [name for name, _ in pyogrio.list_layers(path)] == ["places", "mentions"]
    places = pyogrio.read_dataframe(path, layer="places")
    assert len(places) == 3 and places.crs.to_epsg() == 4326
    moscow = places[places["name"] == "Moscow"].iloc[0]
    assert moscow["mentions"] == 2 and moscow.geometry.x == pytest.approx(37.61556)
    assert len(pyogrio.read_dataframe(path, layer="mentions")) == 4
    assert os.listdir(tmp_path) == ["geomap.gpkg"]
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-so", str(path), "places"], capture_output=True,
                             text=True, check=True).stdout
        assert "Feature Count: 3" in out and "mentions: Integer" in out


def gdal_fields(path, layer) -> dict:
    """``{field: GDAL type}`` of a layer, as ogrinfo reads it."""
    out = subprocess.run(["ogrinfo", "-so", str(path), layer], capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split(": ", 1)[0:2] for line in out.splitlines()
                if line.endswith("(0.0)") and ": " in line)


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
@pytest.mark.parametrize("dates, kind", [(["2020-10-01", "2020-10-02"], "Date"),
                                         (["2020-10-01T12:30:00", "2020-10-02"], "DateTime")])
def test_gpkg_dates_are_dates_unless_a_time_is_given(tmp_path, dates, kind):
    pytest.importorskip("pyogrio")
    pytest.importorskip("pyarrow")
    rows = [sample_mention("a", "TASS", MOSCOW, "In Moscow.", "Moscow", dates[0]),
            sample_mention("b", "BBC", GENEVA, "In Geneva.", "Geneva", dates[1])]
    path = write_gpkg(to_frame(rows), tmp_path / "g.gpkg")
    mentions, places = gdal_fields(path, "mentions"), gdal_fields(path, "places")
    assert mentions["date"] == f"{kind} (0.0)"
    assert places["first_date"] == places["last_date"] == "Date (0.0)"  # days, as in GeoJSON
    assert places["geonameid"].startswith("Integer")
    out = subprocess.run(["ogrinfo", "-q", str(path), "mentions", "-where", "doc = 'a'"],
                         capture_output=True, text=True, check=True).stdout
    assert f"date ({kind}) = 2020/10/01" + (" 12:30:00" if kind == "DateTime" else "") in out


# -- the seeds through `geomap export`, read back with GDAL and geopandas ------------------



@pytest.fixture(scope="module")
def seeds_export(gazetteer_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-export")
    files = {k: out / name for k, name in [
        ("places", "places.geojson"), ("mentions", "mentions.geojson"), ("csv", "mentions.csv"),
        ("parquet", "mentions.parquet"), ("gpkg", "geomap.gpkg")]}
    proc = geomap_cli("export", str(ROOT / "seeds"), *[a for k, p in files.items()
                                                        for a in (f"--{k}", str(p))])
    assert proc.returncode == 0, proc.stderr
    files["table"] = pd.read_csv(files["csv"])
    return files


def moscow_at(gdf):
    moscow = gdf[gdf["name"] == "Moscow"]
    assert len(moscow) >= 1 and gdf.crs.to_epsg() == 4326
    assert moscow.geometry.x.iloc[0] == pytest.approx(37.6, abs=0.05)
    assert moscow.geometry.y.iloc[0] == pytest.approx(55.8, abs=0.1)


def test_cli_export_places_geojson(seeds_export):
    pyogrio = pytest.importorskip("pyogrio")
    geopandas = pytest.importorskip("geopandas")
    table = seeds_export["table"]
    places = table["place_id"].dropna().nunique()
    info = pyogrio.read_info(seeds_export["places"])
    assert info["features"] == places > 10 and info["geometry_type"] == "Point"
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["name"] == types["country_code"] == "object"
    for key in ("mentions", "documents", "sources", "mentions_violence", "mentions_diplomacy",
                "mentions_humanitarian", "mentions_other"):
        assert types[key] == "int32", key
    gdf = geopandas.read_file(seeds_export["places"])
    moscow_at(gdf)
    assert gdf["mentions"].sum() == table["place_id"].notna().sum()
    assert (gdf.filter(like="mentions_").sum(axis=1) == gdf["mentions"]).all()


def test_cli_export_mentions_geojson(seeds_export):
    pyogrio = pytest.importorskip("pyogrio")
    table = seeds_export["table"]
    info = pyogrio.read_info(seeds_export["mentions"])
    assert info["features"] == table["place_id"].notna().sum()
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert (types["start"], types["end"], types["score"]) == ("int32", "int32", "float64")
    assert types["category"] == types["text"] == types["doc"] == "object"
    gdf = pyogrio.read_dataframe(seeds_export["mentions"])
    moscow_at(gdf)
    assert set(gdf["category"]) <= {"violence", "diplomacy", "humanitarian", "other"}


def test_cli_export_csv_and_parquet(seeds_export):
    table = seeds_export["table"]
    assert list(table.columns) == [*COLUMNS, "category"]
    back = pd.read_parquet(seeds_export["parquet"])
    assert len(back) == len(table) and list(back.columns) == list(table.columns)
    assert back["start"].dtype.kind == "i" and back["lat"].dtype.kind == "f"
    pyogrio = pytest.importorskip("pyogrio")
    assert pyogrio.read_info(seeds_export["csv"])["features"] == len(table)


def test_cli_export_gpkg(seeds_export):
    geopandas = pytest.importorskip("geopandas")
    pyogrio = pytest.importorskip("pyogrio")
    table = seeds_export["table"]
    assert [n for n, _ in pyogrio.list_layers(seeds_export["gpkg"])] == ["places", "mentions"]
    places = geopandas.read_file(seeds_export["gpkg"], layer="places")
    moscow_at(places)
    assert len(places) == table["place_id"].dropna().nunique()
    mentions = geopandas.read_file(seeds_export["gpkg"], layer="mentions")
    assert len(mentions) == table["place_id"].notna().sum()
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-so", str(seeds_export["gpkg"]), "places"],
                             capture_output=True, text=True, check=True).stdout
        assert f"Feature Count: {len(places)}" in out and "mentions_violence: Integer" in out


def test_cli_export_needs_an_output(tmp_path):
    proc = geomap_cli("export", str(ROOT / "seeds"))
    assert proc.returncode == 2 and "give at least one of --places" in proc.stderr


def test_written_files_get_the_usual_mode(table, tmp_path):
    old = os.umask(0o022)
    try:
        path = write_geojson(table, tmp_path / "places.geojson")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
