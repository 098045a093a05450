"""What a mention record tells an analyst: the divisions and the country by
name, the feature type in words, the name as written and for display, and
the date as a date (issue 15, records)."""

import csv
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer.place import Place
from geomap.admins import NO_ADMIN, AdminNames
from geomap.documents import RunReport
from geomap.engines.writer import format_mentions, header
from geomap.features import feature_name, feature_names
from geomap.mentions import COLUMNS, Mention, display_name, parse_dates, to_frame

# own examples: a town in an admin1, a second-order division, a sea
TOWN = Place(id=616052, name="Yerevan", lat=40.18, lon=44.51, country_code="AM",
             feature_class="P", feature_code="PPLC", geonameid=616052, admin1="11")
SEA = Place(id=630673, name="Black Sea", lat=43.0, lon=35.0, country_code=None,
            feature_class="H", feature_code="SEA", geonameid=630673)


def test_feature_names_cover_the_store(gaz):
    codes = {r[0] for r in gaz._query("SELECT DISTINCT feature_code FROM places", ())}
    assert codes and codes <= set(feature_names())
    assert feature_name("PPLC") == "capital"
    assert feature_name("CMPRF") == "refugee camp"
    assert feature_name("NOPE", "H") == "water body"
    assert feature_name("NOPE") is None


def test_admin_names_from_the_store(gaz):
    names = AdminNames(gaz)
    town = gaz.lookup("Yerevan")[0]
    a = names.of(town)
    assert a.country_name == "Armenia"
    assert a.admin1_code == f"AM.{town.admin1}"
    assert a.admin1_name == gaz.admin("AM", town.admin1).name
    country = gaz.country("AM")
    assert names.of(country) == AdminNames(gaz).of(country)
    assert names.of(country).admin1_code is None
    assert names.of(SEA) == NO_ADMIN and names.of(None) == NO_ADMIN


def test_admin2_names_where_the_store_knows_them(gaz):
    row = gaz._query("SELECT id FROM places WHERE feature_code = 'ADM2' "
                     "AND admin2 IS NOT NULL LIMIT 1", ())[0]
    unit = gaz.get(row[0])
    a = AdminNames(gaz).of(unit)
    assert a.admin2_code == f"{unit.country_code}.{unit.admin1}.{unit.admin2}"
    assert a.admin2_name == unit.name
    assert a.admin1_code == f"{unit.country_code}.{unit.admin1}"


def test_without_a_store_codes_and_country_names():
    a = AdminNames().of(TOWN)
    assert (a.country_name, a.admin1_code, a.admin1_name) == ("Armenia", "AM.11", None)


@pytest.mark.parametrize("text, name, kind, shown", [
    ("Stepanakert", "Khankendi", "name", "Stepanakert (Khankendi)"),
    ("Kiev", "Kyiv", "name", "Kiev (Kyiv)"),
    ("YEREVAN", "Yerevan", "name", "Yerevan"),
    ("Genève", "Geneve", "name", "Geneve"),
    ("Nagorno\nKarabakh", "Nagorno-Karabakh", "name", "Nagorno-Karabakh"),
    ("the  Black\nSea", "Black Sea", "name", "the Black Sea (Black Sea)"),
    ("Armenian", "Armenia", "demonym", "Armenia"),
    ("Yerevan", None, "name", None),
])
def test_display_name(text, name, kind, shown):
    assert display_name(text, name, kind) == shown


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(min_size=1))
def test_display_name_any_string(text, name):
    shown = display_name(text, name)
    if shown != name:
        written = shown.removesuffix(f" ({name})")
        assert written != shown and written == " ".join(text.split())
        assert len(written.splitlines()) == 1


def test_records_of_a_real_run(gaz):
    from geomap.pipeline import Pipeline

    text = "Shelling was reported in Stepanakert, officials in Yerevan said."
    ms = Pipeline(gaz).process(text)
    df = to_frame(ms, gazetteer=gaz)
    assert list(df.columns) == list(COLUMNS)
    row = df[df["text"] == "Stepanakert"].iloc[0]
    assert row["display_name"] == f"Stepanakert ({row['name']})" or row["name"] == "Stepanakert"
    assert row["country_name"] == "Azerbaijan" and row["admin1_code"].startswith("AZ.")
    assert row["feature_name"] and row["admin1_name"]
    yerevan = df[df["text"] == "Yerevan"].iloc[0]
    assert (yerevan["display_name"], yerevan["country_name"]) == ("Yerevan", "Armenia")


def test_csv_record_holds_the_same_values(gaz):
    m = Mention("=d", 0, 4, "Kiev", place=TOWN, score=0.5, date="2023-09-20",
                sentence="Kiev.")
    rows = list(csv.DictReader(io.StringIO(header("csv") + format_mentions([m], "csv",
                                                                             gazetteer=gaz))))
    record = m.as_record(AdminNames(gaz))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["doc"] == "'=d"
    for col in ("display_name", "country_name", "admin1_code", "admin1_name", "feature_name"):
        assert rows[0][col] == (record[col] or "")
    assert rows[0]["display_name"] == "Kiev (Yerevan)"
    line = json.loads(format_mentions([m], "jsonl", gazetteer=gaz))
    assert line["admin1_name"] == record["admin1_name"] == gaz.admin("AM", "11").name


def test_dates_become_datetimes():
    ms = [Mention("a", 0, 6, "Geneva", date="2023-09-20"),
          Mention("b", 0, 6, "Geneva", date="2023-09-21T23:30:00-02:00"),
          Mention("c", 0, 6, "Geneva", date="21 September 2023"),
          Mention("d", 0, 6, "Geneva")]
    report = RunReport()
    df = to_frame(ms, report=report)
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert [d.isoformat() if not pd.isna(d) else None for d in df["date"]] == [
        "2023-09-20T00:00:00", "2023-09-22T01:30:00", "2023-09-21T00:00:00", None]
    assert not report.notes


def test_a_date_that_does_not_parse_keeps_the_column_and_is_noted():
    report = RunReport()
    df = to_frame([Mention("a", 0, 6, "Geneva", date="2023-09-20"),
                   Mention("b", 0, 6, "Geneva", date="last Tuesday")], report=report)
    assert df["date"].tolist() == ["2023-09-20", "last Tuesday"]
    assert len(report.notes) == 1 and "'last Tuesday'" in report.notes[0]
    assert "'b'" in report.notes[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=5))
def test_parse_dates_any_string(values):
    parsed, bad = parse_dates(pd.Series(values, dtype=object))
    assert (parsed is None) != (bad is None)
    if parsed is not None:
        assert pd.api.types.is_datetime64_any_dtype(parsed) and len(parsed) == len(values)


PAGE = """<html><head><title>Shelling</title>
<meta property="og:site_name" content="Example  News">
<meta property="og:url" content="https://news.example.org/a/1">
<meta property="article:published_time" content="2023-09-20T10:00:00+04:00"></head>
<body><article><p>Shelling was reported in Stepanakert on Tuesday, officials said.
The ministry in Yerevan confirmed it later that day in a statement.</p></article></body></html>"""


def test_html_page_keeps_its_metadata(tmp_path):
    from geomap.documents import read_documents

    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (doc,) = read_documents(tmp_path)
    assert (doc.source, doc.date, doc.url) == ("Example News", "2023-09-20",
                                               "https://news.example.org/a/1")
    assert "Stepanakert" in doc.text
    # sources.csv wins over the page
    (tmp_path / "sources.csv").write_text("file,source,date,url\na.html,Own,2023-09-21,\n")
    (doc,) = read_documents(tmp_path)
    assert (doc.source, doc.date, doc.url) == ("Own", "2023-09-21",
                                               "https://news.example.org/a/1")


def test_extract_takes_column_keywords(gaz):
    import geomap
    from geomap.errors import ConfigurationError

    table = pd.DataFrame({"body": ["Talks in Yerevan."], "id": ["x1"], "when": ["2023-09-20"]})
    df = geomap.extract(table, gazetteer=gaz, text_column="body", doc_column="id",
                        date_column="when")
    assert df["doc"].tolist() == ["x1"] and df["country_name"].tolist() == ["Armenia"]
    assert df["date"].iloc[0] == pd.Timestamp("2023-09-20")
    with pytest.raises(ConfigurationError):
        from geomap.documents import Columns

        geomap.extract(table, gazetteer=gaz, columns=Columns(), text_column="body")


def _table():
    town = Place(id=616052, name="Yerevan", lat=40.18, lon=44.51, country_code="AM",
                 feature_class="P", feature_code="PPLC", geonameid=616052, admin1="11")
    curated = Place(id=2_000_000_007, name="Some Camp", lat=40.0, lon=44.0, country_code="AM",
                    feature_class="S", feature_code="CMPRF", geonameid=None)
    return to_frame([Mention("a", 0, 7, "Erevan", town, date="2023-09-20", sentence="Erevan."),
                     Mention("b", 0, 9, "Some Camp", curated, date="2023-09-21"),
                     Mention("b", 10, 13, "Foo")])


def test_to_geodataframe():
    import geomap

    gdf = geomap.to_geodataframe(_table())
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 2
    assert str(gdf["geonameid"].dtype) == "Int64" and gdf["geonameid"].isna().sum() == 1
    assert pd.api.types.is_datetime64_any_dtype(gdf["date"])
    assert gdf["display_name"].tolist() == ["Erevan (Yerevan)", "Some Camp"]
    places = geomap.to_geodataframe(_table(), kind="places")
    assert sorted(places.index) == [616052, 2_000_000_007]
    assert places.loc[616052, "written_names"] == "Erevan"
    assert places.loc[2_000_000_007, "feature_name"] == "refugee camp"
    assert pd.api.types.is_datetime64_any_dtype(places["first_date"])
    with pytest.raises(ValueError):
        geomap.to_geodataframe(_table(), kind="shapes")


def test_geopackage_schema_read_by_gdal(tmp_path):
    import shutil
    import subprocess

    from geomap.export import write_gpkg

    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("needs GDAL's ogrinfo (Debian gdal-bin)")
    path = write_gpkg(_table(), tmp_path / "m.gpkg")

    def info(layer):
        return subprocess.run([ogrinfo, "-ro", "-al", "-geom=NO", str(path), layer],
                              capture_output=True, text=True, check=True).stdout

    places, mentions = info("places"), info("mentions")
    assert "FID Column = place_id" in places
    assert "OGRFeature(places):616052" in places and "OGRFeature(places):2000000007" in places
    for text in (places, mentions):
        assert "geonameid: Integer64" in text and "geonameid (Integer64) = (null)" in text
    # dates without a time of day are GDAL Date fields (test_export checks DateTime)
    assert "first_date: Date (" in places and "\ndate: Date (" in mentions
    assert "admin1_code (String) = AM.11" in mentions


def test_cli_tables_name_the_divisions(gazetteer_path, tmp_path):
    # export builds its table in the parent, extract --csv-raw formats there: both
    # must have the store's division names, as the workers' records do
    from run_cli import geomap_cli

    text = tmp_path / "in" / "a.txt"
    text.parent.mkdir()
    text.write_text("Shelling was reported in Stepanakert, officials in Yerevan said.\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = geomap_cli("export", str(text), "--csv", str(out / "e.csv"), "-q")
    assert proc.returncode == 0, proc.stderr
    proc = geomap_cli("extract", str(text), "--format", "csv", "--csv-raw",
                      "-o", str(out / "x.csv"), "-q")
    assert proc.returncode == 0, proc.stderr
    for name in ("e.csv", "x.csv"):
        rows = list(csv.DictReader(io.StringIO((out / name).read_text("utf-8"))))
        row = next(r for r in rows if r["text"] == "Yerevan")
        assert row["country_name"] == "Armenia" and row["admin1_name"], (name, row)
