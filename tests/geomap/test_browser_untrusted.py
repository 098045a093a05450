"""Hostile file names, sources and URLs in a map opened in headless Chromium (issue 13).

A folder whose file names and ``sources.csv`` carry ``<img onerror=...>``
markup, Jinja2 payloads and a ``javascript:`` URL is mapped by ``geomap map``
(and by :func:`write_map`); in the browser, every layer is switched on and
every popup and tooltip opened: no handler runs (``document.title`` is never
set, no ``<img>`` is ever added), no payload ran while drawing, and every
name shows as written.
"""

import csv

import pytest
from browser import WATCH_INJECTION, chromium, open_map
from run_cli import geomap_cli
from samples import GENEVA, MOSCOW, YEREVAN
from samples import mention as sample_mention

from geomap.maps import write_map
from geomap.mentions import to_frame

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="needs Debian chromium (/usr/bin/chromium)"),
]
pytest.importorskip("playwright", reason="needs the playwright Python package")
pytest.importorskip("offlinefolium", reason="offline maps need folium-offline (geomap[offline])")

DOC_IMG = """<img src=x onerror="document.title='pwned-doc'">"""
SOURCE_IMG = """<img src=y onerror="document.title='pwned-source'">"""
DOC_JINJA = "{{ cycler.__init__.__globals__.os.mkdir(dict(pwned_cli=1)|first) }}"
CITATION = "{{citation needed}}"
JS_URL = "javascript:document.title='pwned-url'"
HTTP_URL = "https://example.org/a?b=1&c={{x}}"
SOURCES = (DOC_IMG, SOURCE_IMG, DOC_JINJA, CITATION)

#: Switch every overlay on, open every marker's popup and tooltip; what they show.
OPEN_EVERYTHING = """
name => {
    const map = window[name], seen = [];
    map.eachLayer(layer => {
        // the markers, and the shaded countries (their popups and tooltips)
        if (!(layer instanceof L.CircleMarker) && !(layer.feature && layer.getPopup())) return;
        layer.openPopup();
        const popup = layer.getPopup().getElement().querySelector(".leaflet-popup-content");
        layer.openTooltip();
        const tooltip = layer.getTooltip().getElement();
        seen.push({
            popup: popup.innerText,
            links: [...popup.querySelectorAll("a")].map(a => a.getAttribute("href")),
            markup: popup.querySelectorAll("*:not(h4, p, br, b, table, tbody, tr, th, td, "
                                           + "ul, li, mark, small, a)").length
                    + tooltip.querySelectorAll("*").length,
            tooltip: tooltip.innerText,
        });
        layer.closePopup();
        layer.closeTooltip();
    });
    return seen;
}
"""


def check_page(path):
    """Open ``path``, use everything on it, assert nothing injected ran; the popups seen."""
    with open_map(path, init_script=WATCH_INJECTION) as s:
        page = s.page
        panel = page.locator(".geomap-filter-sources")
        listed = [t.strip() for t in panel.locator("label").all_inner_texts()]
        for source in SOURCES:  # every source listed as written (textContent), searchable
            assert any(t.startswith(source + " (") for t in listed), (source, listed)
            panel.locator("input[type=search]").fill(source)
            visible = [t.strip() for t in panel.locator("label:visible").all_inner_texts()]
            assert visible and all(source in t for t in visible)
        panel.locator("input[type=search]").fill("")
        labels = page.locator(".leaflet-control-layers-overlays label")
        for i, name in enumerate(labels.all_inner_texts()):
            if not name.strip().startswith(("Places", "Mentions by country")):
                labels.nth(i).click()  # switch on every other layer (the heat map)
        page.locator(".geomap-date-to").fill("0")  # a date filter redraws everything
        page.locator(".geomap-date-to").fill("1")
        seen = page.evaluate(OPEN_EVERYTHING, s.map_name())
        page.wait_for_timeout(300)  # an onerror handler would have run by now
        assert page.evaluate("window.__titles") == []
        assert page.evaluate("window.__imgs") == []
        assert page.evaluate("document.title") == ""
        assert s.errors == [] and s.blocked == []
    assert seen and all(p["markup"] == 0 for p in seen)
    assert all(link == HTTP_URL for p in seen for link in p["links"])
    assert any(p["links"] for p in seen)
    popups = " ".join(p["popup"] for p in seen)
    for source in SOURCES:
        assert source in popups
    return seen


def test_write_map_with_hostile_names_in_chromium(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [sample_mention(DOC_IMG, DOC_IMG, GENEVA, "Talks in Geneva went on.", "Geneva"),
            sample_mention("b", SOURCE_IMG, MOSCOW, "Shelling near Moscow.", "Moscow",
                           "2020-10-01"),
            sample_mention(DOC_JINJA, DOC_JINJA, YEREVAN, "Refugees reached Yerevan.",
                           "Yerevan"),
            sample_mention("c", CITATION, GENEVA, "Ceasefire talks in Geneva resumed.", "Geneva",
                           "2020-10-03")]
    table = to_frame(rows)
    table["url"] = [None, JS_URL, None, HTTP_URL]
    path = write_map(table, tmp_path / "map.html", offline=True, tiles=None, cluster=False)
    seen = check_page(path)
    assert {p["tooltip"] for p in seen} >= {"Geneva (2)", "Moscow (1)", "Yerevan (1)"}
    assert not list(tmp_path.glob("pwned*"))


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{DOC_IMG}.txt").write_text("Talks in Geneva went on.\n", "utf-8")
    (folder / f"{DOC_JINJA}.txt").write_text("Refugees reached Yerevan on foot.\n", "utf-8")
    (folder / "b.txt").write_text("Shelling near Moscow was reported.\n", "utf-8")
    (folder / "c.txt").write_text("Ceasefire talks in Geneva resumed.\n", "utf-8")
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "source", "date", "url"])
        writer.writerow(["b.txt", SOURCE_IMG, "2020-10-01", JS_URL])
        writer.writerow(["c.txt", CITATION, "2020-10-03", HTTP_URL])
    return folder


def test_geomap_map_of_a_hostile_folder_in_chromium(gazetteer_path, hostile_folder, tmp_path):
    out = tmp_path / "map.html"
    proc = geomap_cli("map", str(hostile_folder), "-o", str(out), "--offline", "-q",
                      cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not list(tmp_path.glob("pwned*"))
    check_page(out)
