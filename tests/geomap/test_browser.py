"""Open written maps in headless Chromium: markers, popups, layers, no XSS."""

import json
import re
import shutil

import pytest
from browser import chromium, open_map  # tests/geomap/browser.py (rootdir on sys.path)
from run_cli import ROOT, geomap_cli
from samples import GENEVA, KARABAKH, MOSCOW, YEREVAN
from samples import mention as sample_mention

from gazetteer.place import Place
from geomap.maps import write_map
from geomap.mentions import to_frame

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="needs Debian chromium (/usr/bin/chromium)"),
]
pytest.importorskip("playwright", reason="needs the playwright Python package")
pytest.importorskip("offlinefolium", reason="offline maps need folium-offline (geomap[offline])")

from shapely.geometry import box  # noqa: E402

ARTIFACTS = ROOT / "out" / "test-artifacts"
SHAPES = [("RU", box(30, 50, 45, 60)), ("CH", box(5.9, 45.8, 10.5, 47.8)),
          ("AM", box(43.4, 38.8, 46.6, 41.3))]
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'


def mention(doc, source, place, sentence, word, date=None):
    return sample_mention(doc, source, place, sentence, word, date, sentence_start=50)


@pytest.fixture(scope="module")
def seeds_map(tmp_path_factory):
    table = to_frame([
        mention("a", "TASS", MOSCOW, f"Shelling near Moscow {SCRIPT} was reported.", "Moscow",
                "2020-10-01"),
        mention("a", "TASS", MOSCOW, "Moscow said talks would go on.", "Moscow", "2020-10-01"),
        mention("b", "BBC", MOSCOW, f"Officials in Moscow {IMG} denied it.", "Moscow",
                "2020-10-03"),
        mention("b", "BBC", GENEVA, "Ceasefire talks in Geneva resumed.", "Geneva", "2020-10-03"),
        mention("c", "Azatutyun", YEREVAN, "Refugees reached Yerevan on foot.", "Yerevan"),
        mention("c", "Azatutyun", KARABAKH, "Fighting in Nagorno-Karabakh went on.",
                "Nagorno-Karabakh"),
    ])
    path = tmp_path_factory.mktemp("maps") / "seeds_map.html"
    return write_map(table, path, offline=True, tiles=None, country_shapes=SHAPES,
                     color_by="category")


def test_map_opens_with_markers_popup_layers_and_no_errors(seeds_map):
    with open_map(seeds_map) as s:
        page = s.page
        assert page.evaluate("typeof L !== 'undefined' && L.version") == "1.9.3"
        assert s.markers() == 4
        assert page.locator(".geomap-legend").inner_text().startswith("Mentions")

        def click_moscow():  # where Leaflet draws the marker now (popups pan the map)
            x, y = page.evaluate(
                "n => { const p = window[n].latLngToContainerPoint([55.75222, 37.61556]);"
                " return [p.x, p.y]; }", s.map_name())
            corner = page.locator(".leaflet-container").bounding_box()
            page.mouse.click(corner["x"] + x, corner["y"] + y)

        click_moscow()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "Moscow" in text and "capital" in text and "Dates: 2020-10-01 – 2020-10-03" in text
        assert re.search(r"TASS\s+2", text) and re.search(r"BBC\s+1", text)
        assert SCRIPT in text and IMG in text  # shown as text ...
        assert popup.locator("mark").first.inner_text() == "Moscow"
        assert page.evaluate("window.__pwned") is None  # ... and never run
        assert popup.locator("script, img").count() == 0

        page.evaluate("n => window[n].closePopup()", s.map_name())

        # the filter panel: one source redraws the markers and the shading together
        assert s.shaded() == {"RU": 3, "CH": 1, "AM": 1}
        assert s.status() == "4 places \u00b7 6 mentions"
        s.only_source("TASS")
        assert s.markers() == 1 and s.shaded() == {"RU": 2}
        assert s.status() == "1 place \u00b7 2 mentions"
        page.locator(".geomap-filter-sources button", has_text="all").click()
        assert s.markers() == 4
        # categories: none shown, then all again
        page.locator(".geomap-filter-categories button", has_text="none").click()
        assert s.markers() == 0 and s.shaded() == {}
        page.locator(".geomap-filter-categories button", has_text="all").click()
        assert s.markers() == 4
        # the heat map follows the filters too
        page.locator(".leaflet-control-layers label", has_text="Heat map").click()
        heat = "n => { let k = -1; window[n].eachLayer(l => { if (l._latlngs && l._heat)" \
               " k = l._latlngs.length; }); return k; }"
        assert page.evaluate(heat, s.map_name()) == 4
        s.only_source("BBC")
        assert page.evaluate(heat, s.map_name()) == 2 and s.markers() == 2
        page.locator(".geomap-filter-sources button", has_text="all").click()
        page.locator(".leaflet-control-layers label", has_text="Heat map").click()

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        click_moscow()
        popup.wait_for()
        page.wait_for_timeout(400)  # let the popup's fade-in finish
        page.screenshot(path=str(ARTIFACTS / "synthetic_map.png"))
        assert s.errors == [] and s.blocked == []


def test_date_filter_redraws_markers_and_shading(seeds_map):
    with open_map(seeds_map) as s:
        page = s.page
        dates = page.locator(".geomap-filter-dates")
        assert dates.inner_text().startswith("Dates\nFrom 2020-10-01\nto 2020-10-03")
        dates.locator(".geomap-undated").uncheck()  # Yerevan, Karabakh: no date
        assert s.markers() == 2 and s.shaded() == {"RU": 3, "CH": 1}
        dates.locator(".geomap-date-to").fill("0")
        assert s.status() == "1 place \u00b7 2 mentions"
        assert s.markers() == 1 and s.shaded() == {"RU": 2}
        dates.locator(".geomap-date-from").fill("1")  # moves "to" along
        assert s.status() == "2 places \u00b7 2 mentions" and s.shaded() == {"RU": 1, "CH": 1}
        assert s.errors == [] and s.blocked == []


def test_online_map_says_when_the_cdn_cannot_be_reached(tmp_path):
    path = write_map(to_frame([mention("a", "TASS", MOSCOW, "In Moscow.", "Moscow")]),
                     tmp_path / "online.html")
    with open_map(path, wait=False) as s:  # every request off the machine is refused
        notice = s.page.locator("#geomap-cdn-notice")
        assert notice.is_visible() and "--offline" in notice.inner_text()
        assert s.blocked


def test_many_places_are_clustered(tmp_path):
    rows = [mention("d", "S" + str(i % 3), Place(id=i + 1, name=f"P{i}", lat=(i % 120) - 60,
                                                 lon=(i * 7 % 340) - 170),
                    f"Reports from P{i}.", f"P{i}") for i in range(1500)]
    path = write_map(to_frame(rows), tmp_path / "many.html", offline=True, tiles=None)
    with open_map(path) as s:
        s.page.wait_for_selector(".marker-cluster")  # chunked loading: clusters come later
        s.page.wait_for_timeout(500)
        clusters = s.page.locator(".marker-cluster").count()
        assert 0 < clusters < 1500
        assert s.errors == [] and s.blocked == []


# -- the seeds map as `geomap map seeds --offline` writes it ------------------------------

def quiet_cli(*args):
    proc = geomap_cli(*args, "-q")
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def cli_seeds(gazetteer_path, tmp_path_factory):
    import pandas as pd

    out = tmp_path_factory.mktemp("cli-seeds")
    seeds = str(ROOT / "seeds")
    quiet_cli("map", seeds, "-o", str(out / "seeds_map.html"),
               "--geojson", str(out / "seeds_places.geojson"), "--offline")
    quiet_cli("export", seeds, "--csv", str(out / "mentions.csv"))  # the expected counts
    places = json.loads((out / "seeds_places.geojson").read_text("utf-8"))
    return out / "seeds_map.html", places, pd.read_csv(out / "mentions.csv", dtype={"source": str})


def test_seeds_map_from_the_cli(cli_seeds):
    path, places, mentions = cli_seeds
    moscow = next(f for f in places["features"] if f["properties"]["name"] == "Moscow")
    lon, lat = moscow["geometry"]["coordinates"]
    counts = mentions[mentions["place_id"] == moscow["id"]].groupby("source").size()
    assert len(counts) >= 3
    # country-level mentions (PCL*, demonyms) shade their country: the markers are the others
    whole = ((mentions["feature_code"].fillna("").str.startswith("PCL")
              | (mentions["kind"] == "demonym")) & mentions["country_code"].notna())
    local = mentions[~whole & mentions["place_id"].notna()]
    assert whole.any() and len(local)
    g1 = local.loc[local["source"] == "G1", "place_id"].nunique()
    assert g1 > 0
    with open_map(path) as s:
        page = s.page
        assert page.evaluate("typeof L !== 'undefined' && L.version") == "1.9.3"
        assert page.locator(".leaflet-tile").count() == 0  # no tiles: the outline base map
        assert s.markers() == local["place_id"].nunique()
        assert "RU" in s.shaded() and "AM" in s.shaded()
        # the map opens on the South Caucasus, not the world
        bounds = page.evaluate("n => window[n].getBounds().toBBoxString()", s.map_name())
        west, south, east, north = map(float, bounds.split(","))
        assert 30 < west < 44 and 46 < east < 60 and 30 < south < 40 and 41 < north < 50

        # Moscow shares its point with the Soviet Union: zoom in until they are apart
        page.evaluate("([n, lat, lon]) => window[n].setView([lat, lon], 16, {animate: false})",
                      [s.map_name(), lat, lon])
        box = page.locator(".leaflet-container").bounding_box()
        x, y = page.evaluate(
            "([n, lat, lon]) => { const p = window[n].latLngToContainerPoint([lat, lon]);"
            " return [p.x, p.y]; }", [s.map_name(), lat, lon])
        page.mouse.click(box["x"] + x, box["y"] + y)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert text.startswith("Moscow") and "capital" in text and "As written: Moscow" in text
        assert f"Mentions: {moscow['properties']['mentions']} in" in text
        for source, n in counts.items():
            assert re.search(rf"{re.escape(source)}\s+{n}\b", text), (source, n, text)
        page.keyboard.press("Escape")
        page.evaluate("n => window[n].closePopup()", s.map_name())

        s.only_source("G1")
        assert s.markers() == g1
        page.locator(".geomap-filter-sources button", has_text="all").click()
        assert s.markers() == local["place_id"].nunique()

        # the picture for the README: the whole map, Moscow's popup open
        page.evaluate("n => window[n].setView([41, 44], 6, {animate: false})", s.map_name())
        top = int(local.loc[local["country_code"].isin(["AM", "AZ"]), "place_id"]
                  .value_counts().index[0])
        page.evaluate("([n, id]) => window[n].eachLayer(l => { if (l.options && "
                      "l.options.placeId === id && l.openPopup) l.openPopup(); })",
                      [s.map_name(), top])
        page.wait_for_timeout(400)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "seeds_map.png"))
        shutil.copyfile(path, ARTIFACTS / "seeds_map.html")
        assert s.errors == [] and s.blocked == []


def test_most_mentioned_places_are_named_on_the_map(tmp_path):
    """The names of the top places are written on the map as text, and follow the filters."""
    hostile = Place(id=77, name=IMG, lat=45.0, lon=40.0)
    rows = [mention(f"d{i}", "TASS" if i % 2 else "BBC", place, f"In {place.name}.",
                    place.name)
            for i, place in enumerate([MOSCOW] * 4 + [GENEVA] * 3 + [hostile] * 2 + [YEREVAN])]
    path = write_map(to_frame(rows), tmp_path / "labels.html", offline=True, tiles=None,
                     labels=3)
    with open_map(path) as s:
        page = s.page
        names = page.locator(".geomap-label")
        assert sorted(names.all_inner_texts()) == sorted(["Moscow", "Geneva", IMG])
        assert page.locator(".geomap-label img").count() == 0  # set as text
        assert page.evaluate("window.__pwned") is None
        s.only_source("TASS")  # Moscow 2, Geneva 1, hostile 1, Yerevan 1
        assert names.count() == 3 and "Moscow" in names.all_inner_texts()
        page.locator(".leaflet-control-layers label", has_text="Place names").click()
        assert names.count() == 0  # the layer can be switched off
        assert s.errors == [] and s.blocked == []
