"""Open written maps in headless Chromium: markers, popups, layers, no XSS."""

import re
from pathlib import Path

import pytest
from browser import chromium, open_map  # tests/geomap/browser.py (rootdir on sys.path)

from gazetteer.place import Place
from geomap.maps import write_map
from geomap.mentions import Mention, to_frame

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="needs Debian chromium (/usr/bin/chromium)"),
]
pytest.importorskip("playwright", reason="needs the playwright Python package")
pytest.importorskip("offlinefolium", reason="offline maps need folium-offline (geomap[offline])")

from shapely.geometry import box  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "out" / "test-artifacts"
MOSCOW = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556, country_code="RU",
               feature_class="P", feature_code="PPLC", geonameid=524901)
GENEVA = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569, country_code="CH",
               feature_class="P", feature_code="PPLA", geonameid=2660646)
YEREVAN = Place(id=616052, name="Yerevan", lat=40.18111, lon=44.51361, country_code="AM",
                feature_class="P", feature_code="PPLC", geonameid=616052)
KARABAKH = Place(id=2_000_000_001, name="Nagorno-Karabakh", lat=39.8, lon=46.75,
                 country_code=None, feature_class="L", feature_code="RGN", geonameid=None)
SHAPES = [("RU", box(30, 50, 45, 60)), ("CH", box(5.9, 45.8, 10.5, 47.8)),
          ("AM", box(43.4, 38.8, 46.6, 41.3))]
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'


def mention(doc, source, place, sentence, word):
    i = sentence.index(word)
    return Mention(doc=doc, start=50 + i, end=50 + i + len(word), text=word, place=place,
                   score=0.9, source=source, sentence=sentence, sentence_start=50)


@pytest.fixture(scope="module")
def seeds_map(tmp_path_factory):
    table = to_frame([
        mention("a", "TASS", MOSCOW, f"Shelling near Moscow {SCRIPT} was reported.", "Moscow"),
        mention("a", "TASS", MOSCOW, "Moscow said talks would go on.", "Moscow"),
        mention("b", "BBC", MOSCOW, f"Officials in Moscow {IMG} denied it.", "Moscow"),
        mention("b", "BBC", GENEVA, "Ceasefire talks in Geneva resumed.", "Geneva"),
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
        assert "Moscow" in text and "capital (PPLC)" in text
        assert re.search(r"TASS\s+2", text) and re.search(r"BBC\s+1", text)
        assert SCRIPT in text and IMG in text  # shown as text ...
        assert popup.locator("mark").first.inner_text() == "Moscow"
        assert page.evaluate("window.__pwned") is None  # ... and never run
        assert popup.locator("script, img").count() == 0

        # layer control: show one source, hide all sources
        page.locator(".leaflet-control-layers label", has_text="Source: TASS").click()
        assert s.markers() == 5
        page.locator(".leaflet-control-layers label", has_text="All sources").click()
        assert s.markers() == 1

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".leaflet-control-layers label", has_text="All sources").click()
        page.locator(".leaflet-control-layers label", has_text="Source: TASS").click()
        click_moscow()
        popup.wait_for()
        page.wait_for_timeout(400)  # let the popup's fade-in finish
        page.screenshot(path=str(ARTIFACTS / "seeds_map.png"))
        assert s.errors == [] and s.blocked == []


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
