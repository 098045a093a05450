"""geomap.export: write files and read them back with GDAL."""

import importlib.util
import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

from gazetteer.place import Place
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
from geomap.mentions import Mention, to_frame

MOSCOW = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556, country_code="RU",
               feature_class="P", feature_code="PPLC", geonameid=524901)
GENEVA = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569, country_code="CH",
               feature_class="P", feature_code="PPLA", geonameid=2660646)
KARABAKH = Place(id=2_000_000_001, name="Nagorno-Karabakh", lat=39.8123456789, lon=46.75,
                 country_code=None, feature_class="L", feature_code="RGN", geonameid=None)


def mention(doc, source, place, sentence, word, date=None, sentence_start=10):
    i = sentence.index(word)
    return Mention(doc=doc, start=sentence_start + i, end=sentence_start + i + len(word),
                   text=word, place=place, score=0.8, source=source, date=date,
                   sentence=sentence, sentence_start=sentence_start)


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
        "feature_class": "P", "feature_code": "PPLC", "mentions": 2, "documents": 2,
        "sources": 2, "source_names": "BBC; TASS", "first_date": "2024-03-02",
        "last_date": "2024-03-04"}
    assert karabakh["properties"]["geonameid"] is None
    assert karabakh["properties"]["first_date"] is None
    for key in moscow["properties"]:
        kinds = {type(f["properties"][key]) for f in fc["features"]} - {type(None)}
        assert len(kinds) == 1, key


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
