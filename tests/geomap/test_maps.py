"""geomap.maps: render maps of small mention tables and check the output."""

import itertools
import json
import os
import re
import warnings

import pandas as pd
import pytest
from run_cli import ROOT, geomap_cli
from samples import GENEVA, KARABAKH, MOSCOW, YEREVAN, mention
from shapely.geometry import box

from gazetteer.place import Place
from geomap.errors import ConfigurationError, InputError
from geomap.maps import make_map, write_map
from geomap.maps.choropleth import shapes_collection
from geomap.maps.filters import MapFilters, filter_rows, shade_bins
from geomap.maps.layers import PlaceData, PlaceLayer, radius, script_json
from geomap.maps.legend import legend_counts
from geomap.maps.popup import RENDER_JS, split_mark, summaries, unpack_popup
from geomap.mentions import to_frame

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
SHAPES = [("RU", box(30, 50, 45, 60)), ("CH", box(5.9, 45.8, 10.5, 47.8)),
          ("AM", box(43.4, 38.8, 46.6, 41.3))]


@pytest.fixture
def table():
    return to_frame([
        mention("a", "TASS", MOSCOW, f"Shelling near Moscow {SCRIPT} was reported.", "Moscow"),
        mention("a", "TASS", MOSCOW, "Moscow said talks would go on.", "Moscow"),
        mention("b", "BBC", MOSCOW, f"Officials in Moscow {IMG} denied it.", "Moscow"),
        mention("b", "BBC", GENEVA, "Ceasefire talks in Geneva resumed.", "Geneva"),
        mention("c", "Azatutyun", YEREVAN, "Refugees reached Yerevan on foot.", "Yerevan"),
        mention("c", "Azatutyun", KARABAKH, "Fighting in Nagorno-Karabakh went on.",
                "Nagorno-Karabakh"),
    ])


def children(m, kind):
    return [c for c in m._children.values() if isinstance(c, kind)]


def marker_rows(m):
    """The PlaceData rows of a map, popups unpacked."""
    data = json.loads(children(m, PlaceData)[0].json)
    return [[*row[:2], unpack_popup(row[2], data["strings"]), *row[3:]]
            for row in data["places"]]


def test_one_marker_per_place_sized_by_sqrt(table):
    m = make_map(table, tiles=None)
    places = marker_rows(m)
    assert [p[3] for p in places] == ["Moscow", "Geneva", "Nagorno-Karabakh", "Yerevan"]
    assert places[0][:2] == [55.7522, 37.6156]
    (panel,) = children(m, MapFilters)
    data = json.loads(panel.json)
    assert data["top"] == 3 and data["maxR"] == 30.0  # the fixed size scale
    totals, t = {}, 0
    for step, _, _, _, n in zip(*[iter(data["rows"])] * 5, strict=True):
        t += step  # each target written as the difference from the one before
        totals[t] = totals.get(t, 0) + n
    assert totals == {0: 3, 1: 1, 2: 1, 3: 1}  # every mention, to its marker


@pytest.mark.parametrize("count, top, expected", [(100, 100, 30.0), (25, 100, 15.0),
                                                   (1, 10_000, 3.0), (5, 0, 3.0)])
def test_radius_sqrt_scale(count, top, expected):
    assert radius(count, top) == expected


def test_popup_has_counts_sentences_and_highlight(table):
    places = marker_rows(make_map(table, tiles=None))
    moscow = places[0][2]
    assert moscow["heading"] == "Moscow" and re.fullmatch(r"(Russia \()?RU\)?",
                                                           moscow["country"])
    assert "capital" in moscow["feature"] and moscow["written"] == [("Moscow", 3)]
    assert moscow["sources"] == [("TASS", 2), ("BBC", 1)]
    assert moscow["mentions"] == 3 and moscow["documents"] == 2
    assert ("", "Moscow", " said talks would go on.", "TASS", "", "") in moscow["quotes"]
    karabakh = places[2][2]
    assert karabakh["country"] == "" and "region" in karabakh["feature"]


def test_article_text_is_data_shown_as_text(table):
    m = make_map(table, tiles=None)
    moscow = marker_rows(m)[0][2]
    sentences = [q[0] + q[1] + q[2] for q in moscow["quotes"]]
    assert f"Shelling near Moscow {SCRIPT} was reported." in sentences
    assert f"Officials in Moscow {IMG} denied it." in sentences
    html = m.get_root().render()
    # only inside the data's JSON strings, which cannot end the script or open a comment
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    assert "__pwned" in html and "__pwned" not in markup and "<!--" not in html
    assert "</script>window" not in html


def test_mark_outside_sentence_marks_nothing():
    assert split_mark("a <b>", 10, 12) == ("a <b>", "", "")


def test_popup_limits_sentences_sources_and_names():
    rows = pd.DataFrame({"place_id": 1, "sentence": [f"Geneva {i}." for i in range(12)],
                         "sentence_start": 0, "start": 0, "end": 6,
                         "doc": [str(i) for i in range(12)],
                         "source": [f"S{i}" for i in range(12)],
                         "text": [f"Geneva{i % 7}" for i in range(12)],
                         "date": [f"2024-01-{i + 10}" for i in range(12)]})
    s = summaries(rows, "place_id", max_sentences=3)[1]
    assert len(s.quotes) == 3 and s.more_quotes == 9
    assert len(s.sources) == 8 and (s.more_sources, s.more_source_mentions) == (4, 4)
    assert s.written[:2] == [("Geneva0", 2), ("Geneva1", 2)] and s.more_written == 2
    assert (s.first_date, s.last_date, s.documents) == ("2024-01-10", "2024-01-21", 12)


def test_popups_are_built_with_text_only():
    """The page builds popups with DOM nodes and textContent, never from HTML."""
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                 "DOMParser", "createContextualFragment"):
        assert sink not in RENDER_JS
    assert "textContent" in RENDER_JS and "/^https?:/i.test(url)" in RENDER_JS


def test_script_json_cannot_close_script():
    assert "</" not in script_json("</script><!--")
    assert json.loads(script_json("</script>&")) == "</script>&"


def test_filter_panel_heatmap_legend_and_control(table):
    m = make_map(table, tiles=None)
    html = m.get_root().render()
    for name in ("Places", "Heat map"):
        assert json.dumps(name) in html
    assert "L.control.layers" in html and "L.heatLayer" in html
    assert "geomap-legend" in html and "3 mentions" in html
    assert "fitBounds" in html and "geomap-filters" in html
    data = json.loads(children(m, MapFilters)[0].json)
    assert data["sources"] == [["TASS", 2], ["Azatutyun", 2], ["BBC", 2]] or \
        sorted(data["sources"]) == [["Azatutyun", 2], ["BBC", 2], ["TASS", 2]]


def test_every_source_is_listed():
    """No cut to the largest sources: 40 sources, 40 entries in the filter panel."""
    rows = [mention(f"d{i}", f"S{i:02d}", MOSCOW, "In Moscow.", "Moscow") for i in range(40)]
    data = json.loads(children(make_map(to_frame(rows), tiles=None), MapFilters)[0].json)
    assert sorted(s for s, _ in data["sources"]) == [f"S{i:02d}" for i in range(40)]


def test_filter_rows_count_each_combination():
    assert filter_rows([0, 0, -1], [1, 1, 0], [0, 0, 2], [3, 3, -1]) == [
        -1, 0, 2, -1, 1, 1, 1, 0, 3, 2]
    assert shade_bins(1) == [1] and shade_bins(1000)[-1] == 1000


RUSSIA = Place(id=2017370, name="Russia", lat=60.0, lon=100.0, country_code="RU",
               feature_class="A", feature_code="PCLI", geonameid=2017370)
ARMENIA = Place(id=174982, name="Armenia", lat=40.25, lon=45.0, country_code="AM",
                feature_class="A", feature_code="PCLI", geonameid=174982)


@pytest.fixture
def with_countries(table):
    extra = to_frame([
        mention("d", "TASS", RUSSIA, "Russia said it would respond.", "Russia"),
        mention("d", "TASS", ARMENIA, "Armenian troops withdrew.", "Armenian"),
    ])
    extra.loc[1, "kind"] = "demonym"
    return pd.concat([table, extra], ignore_index=True)


def test_countries_shade_instead_of_markers(with_countries):
    m = make_map(with_countries, tiles=None, country_shapes=SHAPES)
    places = marker_rows(m)
    assert [p[3] for p in places] == ["Moscow", "Geneva", "Nagorno-Karabakh", "Yerevan"]
    data = json.loads(children(m, MapFilters)[0].json)
    countries = {c[0]: c for c in data["countries"]}
    assert set(countries) == {"AM", "CH", "RU"}
    strings = json.loads(children(m, PlaceData)[0].json)["strings"]
    russia, armenia = (unpack_popup(countries[c][1], strings) for c in ("RU", "AM"))
    assert russia["heading"] == "Russia" and russia["written"] == [("Russia", 1)]
    assert armenia["written"] == [("Armenian", 1)] and "of the country itself" in armenia["note"]
    # the country-level mentions go to their country (-1 - index), the others to markers
    targets = list(itertools.accumulate(data["rows"][0::5]))
    index = {c[0]: i for i, c in enumerate(data["countries"])}
    assert -1 - index["RU"] in targets and -1 - index["AM"] in targets
    assert places[0][6] == index["RU"] and places[2][6] == -1  # Karabakh: no country
    # the shading counts every mention in the country: Moscow's 3 and Russia's 1
    html = m.get_root().render()
    assert re.search(r'"country_code": "RU", "fill": "#\w+", "mentions": 4', html)


def test_country_markers_option_and_without_shapes(with_countries):
    for m in (make_map(with_countries, tiles=None, country_shapes=SHAPES, country_markers=True),
              make_map(with_countries, tiles=None)):
        names = [p[3] for p in marker_rows(m)]
        assert "Russia" in names and "Armenia" in names


def test_map_opens_where_most_places_are():
    far = Place(id=5, name="Washington", lat=38.9, lon=-77.0, country_code="US",
                feature_code="PPLC")
    rows = [mention(f"d{i}", "S", p, f"In {p.name}.", p.name)
            for i, p in enumerate([YEREVAN] * 5 + [KARABAKH] * 5 + [far, RUSSIA])]
    m = make_map(to_frame(rows), tiles=None, country_markers=True)
    (south, west), (north, east) = m._children[next(k for k in m._children
                                                    if k.startswith("fit_bounds"))].bounds
    assert 39 < south < north < 41 and 44 < west < east < 47  # the South Caucasus


def test_popup_shows_record_columns_when_present(table):
    named = table.assign(display_name="Moskva (Moscow)", country_name="Russia",
                         admin1_name="Moscow City", feature_name="capital")
    moscow = marker_rows(make_map(named, tiles=None))[0]
    assert moscow[3] == "Moskva (Moscow)"
    popup = moscow[2]
    assert (popup["heading"], popup["country"], popup["admin1"], popup["feature"]) == (
        "Moskva (Moscow)", "Russia (RU)", "Moscow City", "capital")
    assert popup["written"] == [("Moscow", 3)]


def test_online_map_says_when_its_scripts_cannot_load(table):
    html = make_map(table).get_root().render()
    assert 'id="geomap-cdn-notice" hidden' in html and "--offline" in html
    assert html.index("geomap-cdn-notice") < html.index("L.map(")


@pytest.mark.parametrize("cluster, n, expected", [(None, 4, False), (True, 4, True),
                                                  (None, 600, True), (False, 600, False)])
def test_clustering(cluster, n, expected):
    rows = [mention("a", "S", Place(id=i + 1, name=f"P{i}", lat=(i % 170) - 85,
                                    lon=(i % 350) - 175), f"In P{i}.", f"P{i}")
            for i in range(n)]
    m = make_map(to_frame(rows), tiles=None, cluster=cluster)
    assert children(m, PlaceLayer)[0].cluster is expected
    assert ("L.markerClusterGroup" in m.get_root().render()) is expected


def test_country_choropleth_from_pairs(table):
    html = make_map(table, tiles=None, country_shapes=SHAPES).get_root().render()
    assert json.dumps("Mentions by country") in html
    assert re.search(r'"country_code": "RU", "fill": "#\w+", "mentions": 3', html)
    assert re.search(r'"country_code": "CH", "fill": "#\w+", "mentions": 1', html)
    assert "bindTooltip" in html


def test_country_shapes_as_feature_collection():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ISO_A2": "ch"}, "geometry": box(6, 46, 10, 48)},
        {"type": "Feature", "id": "AM", "properties": {},
         "geometry": box(43, 38, 46, 41).__geo_interface__}]}
    assert [code for code, _ in shapes_collection(fc)] == ["CH", "AM"]


@pytest.mark.parametrize("shapes, message", [
    ("RU", "Expected country_shapes as (code, geometry) pairs or a GeoJSON FeatureCollection, "
           "instead got: 'RU'"),
    ([("RU",)], "Expected a (code, geometry) pair in country_shapes, instead got: ('RU',)"),
    ({"type": "Point"}, "instead got a mapping of type: 'Point'"),
])
def test_bad_country_shapes(shapes, message):
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        shapes_collection(shapes)


def test_empty_input_warns_and_returns_map():
    with pytest.warns(UserWarning, match="No mention is resolved"):
        m = make_map(to_frame([]), tiles=None, country_shapes=SHAPES)
    assert "Mentions by country" in m.get_root().render()


def test_bad_coordinates_rejected():
    bad = Place(id=1, name="Nowhere", lat=95.0, lon=10.0)
    with pytest.raises(InputError, match=re.escape(
            "Expected latitude in [-90, 90] and longitude in [-180, 180] for place_id 1 "
            "('Nowhere'), instead got: (95.0, 10.0)")):
        make_map(to_frame([mention("a", "S", bad, "In Nowhere.", "Nowhere")]))


def test_bad_options_rejected(table):
    with pytest.raises(ConfigurationError, match="Expected 0 < min_radius <= max_radius"):
        make_map(table, min_radius=10, max_radius=5)
    with pytest.raises(ConfigurationError, match="Expected color_by to be None or 'category'"):
        make_map(table, color_by="source")


def test_input_not_mutated(table):
    before = table.copy()
    make_map(table, tiles=None, color_by="category", country_shapes=SHAPES)
    pd.testing.assert_frame_equal(table, before)


def test_color_by_category(table):
    m = make_map(table, tiles=None, color_by="category")
    colours = {p[3]: p[4] for p in marker_rows(m)}
    assert colours["Geneva"] == "#2b8cbe"  # diplomacy
    assert colours["Yerevan"] == "#31a354"  # humanitarian
    assert colours["Nagorno-Karabakh"] == "#d7301f"  # violence
    assert "Marker colour" in m.get_root().render()


def test_existing_map_is_used(table):
    import folium

    base = folium.Map(tiles=None)
    assert make_map(table, m=base) is base


def test_repr_html_for_jupyter(table):
    html = make_map(table, tiles=None)._repr_html_()
    assert html.startswith("<div") and "iframe" in html


def test_legend_counts():
    assert legend_counts(3) == [1, 3]
    assert legend_counts(250) == [1, 100, 250]


def test_write_map_is_atomic(table, tmp_path):
    path = tmp_path / "map.html"
    assert write_map(table, path, tiles=None) == path
    assert "leaflet" in path.read_text()
    assert os.listdir(tmp_path) == ["map.html"]


def test_write_map_failure_keeps_old_file(table, tmp_path, monkeypatch):
    path = tmp_path / "map.html"
    path.write_text("old")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_map(table, path, tiles=None)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["map.html"]


def test_offline_inlines_assets(table):
    pytest.importorskip("offlinefolium")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = make_map(table, tiles=None, offline=True, cluster=True).get_root().render()
    assert not re.search(r'<script src="https?://', html)
    assert not re.search(r'<link rel="stylesheet" href="https?://', html)
    assert "markerClusterGroup" in html and "L.heatLayer" in html


# geomap.categories (the map colours by it; tests/geomap/test_categories.py would be its home)
@pytest.mark.parametrize("sentence, expected", [
    ("Missiles struck Kharkiv overnight.", "violence"),
    ("The envoy met ministers in Geneva.", "diplomacy"),
    ("Refugees crossed into Armenia seeking shelter.", "humanitarian"),
    ("Yerevan hosted a chess festival.", "other"),
    ("", "other"),
    ("Peace talks after the attack.", "diplomacy"),  # 2 diplomacy words beat 1 violence
    ("Talks on the attack.", "violence"),  # tie: the category listed first wins
])
def test_category_of(sentence, expected):
    from geomap.categories import category_of

    assert category_of(sentence) == expected


def test_categorize_with_own_words_file(table, tmp_path):
    from geomap.categories import categorize

    words = tmp_path / "words.json"
    words.write_text(json.dumps({"_about": "mine", "politics": ["said", "official*"]}))
    out = categorize(table, words=words)
    assert list(out["category"]) == ["other", "politics", "politics", "other", "other", "other"]
    assert "category" not in table.columns


@pytest.mark.parametrize("words, message", [
    (["violence"], "Expected category words as a mapping of category to words, instead got: list"),
    ({"x": "attack"}, "Expected a list of words for category 'x', instead got: 'attack'"),
])
def test_bad_category_words(words, message):
    from geomap.categories import load_words

    with pytest.raises(ConfigurationError, match=re.escape(message)):
        load_words(words)


# -- the seeds through `geomap map` ---------------------------------------------------



@pytest.fixture(scope="module")
def seeds_offline(gazetteer_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-map")
    proc = geomap_cli("map", str(ROOT / "seeds"), "-o", str(out / "map.html"),
                      "--geojson", str(out / "places.geojson"), "--offline",
                      "--color-by", "category", "--no-cluster")
    assert proc.returncode == 0, proc.stderr
    return ((out / "map.html").read_text("utf-8"),
            json.loads((out / "places.geojson").read_text("utf-8")))


def test_cli_map_has_choropleth_of_mention_counts(seeds_offline):
    html, places = seeds_offline
    expected = {}
    for f in places["features"]:
        code = f["properties"]["country_code"]
        if code:
            expected[code] = expected.get(code, 0) + f["properties"]["mentions"]
    drawn = {code: int(n) for code, n in
             re.findall(r'"country_code": "([A-Z]{2})", "fill": "[^"]+", "mentions": (\d+)', html)}
    assert len(drawn) > 150  # every country outline, most with 0
    assert {c: n for c, n in drawn.items() if n} == expected
    assert drawn["AZ"] > drawn["CH"] > 0
    assert "Mentions by country" in html


def test_cli_offline_map_needs_no_network(seeds_offline):
    html, _ = seeds_offline
    assert not re.search(r"<script[^>]+src=[\"']?https?:", html)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html)
    assert "L.tileLayer" not in html
    assert "#d4e4ee" in html  # the sea behind the country outlines
    assert "markerClusterGroup" not in html  # --no-cluster
    assert "<b>Marker colour" in html and "violence" in html  # --color-by category


def test_cli_map_online_cluster_and_own_categories(gazetteer_path, tmp_path):
    words = tmp_path / "words.json"
    words.write_text(json.dumps({"talks": ["talks", "negotiat*"]}), encoding="utf-8")
    proc = geomap_cli("map", str(ROOT / "seeds" / "000_5d2bf229be0e025c.txt"),
                      "-o", str(tmp_path / "m.html"), "--geojson", str(tmp_path / "p.geojson"),
                      "--cluster", "--categories", str(words), "--color-by", "category", "-q")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "m.html").read_text("utf-8")
    assert "L.tileLayer" in html and "markerClusterGroup" in html
    props = json.loads((tmp_path / "p.geojson").read_text())["features"][0]["properties"]
    assert {k for k in props if k.startswith("mentions_")} == {"mentions_talks",
                                                               "mentions_other"}


def test_cli_map_bad_categories_file(gazetteer_path, tmp_path):
    proc = geomap_cli("map", str(ROOT / "seeds"), "-o", str(tmp_path / "m.html"),
                      "--categories", str(tmp_path / "nope.json"), "-q")
    assert proc.returncode == 2
    assert proc.stderr.startswith("geomap: error:") and "nope.json" in proc.stderr
    assert not (tmp_path / "m.html").exists()


def test_outlines_base_map_without_tiles(table):
    html = make_map(table, tiles=None, country_shapes=iter(SHAPES)).get_root().render()
    assert html.count('"country_code": "CH"') == 2  # outlines + choropleth, from one iterator
    assert "#d4e4ee" in html and "geomap-countries" in html
    html = make_map(table, country_shapes=SHAPES).get_root().render()
    assert html.count('"country_code": "CH"') == 1 and "#d4e4ee" not in html
    assert "L.tileLayer" in html


def test_date_filter_when_mentions_have_dates(table):
    dated = table.assign(date=["2024-03-02", "2024-03-02T18:00:00Z", "2024-03-04", None,
                               "March 5, 2024", "not a date"])
    m = make_map(dated, tiles=None)
    data = json.loads(children(m, MapFilters)[0].json)
    assert data["dates"] == ["2024-03-02", "2024-03-04", "2024-03-05"]
    assert data["undated"] is True
    rows = list(zip(*[iter(data["rows"])] * 5, strict=True))
    targets = list(itertools.accumulate(r[0] for r in rows))
    # Moscow (0): twice on the 2nd (date 0), once on the 4th (date 1)
    assert sorted((r[3], r[4]) for r, t in zip(rows, targets, strict=True) if t == 0) == [
        (0, 2), (1, 1)]
    assert 'type = "range"' in m.get_root().render()
    assert json.loads(children(make_map(table, tiles=None), MapFilters)[0].json)["dates"] == []
    assert json.loads(children(make_map(dated, tiles=None, time_slider=False),
                               MapFilters)[0].json)["dates"] == []


def test_cli_map_time_slider_from_sidecar_dates(gazetteer_path, tmp_path):
    folder = tmp_path / "in"  # the map is written outside the input folder
    folder.mkdir()
    (folder / "a.txt").write_text("Shelling hit Stepanakert on Friday.", encoding="utf-8")
    (folder / "b.txt").write_text("Talks resumed in Geneva.", encoding="utf-8")
    (folder / "sources.csv").write_text(
        "file,source,date,url\na.txt,TASS,2020-10-02,\nb.txt,BBC,2020-10-09,\n", encoding="utf-8")
    proc = geomap_cli("map", str(folder), "-o", str(tmp_path / "m.html"), "-q")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "m.html").read_text("utf-8")
    assert '"dates":["2020-10-02","2020-10-09"]' in html


def test_only_categories_filters_the_mentions(table):
    from geomap.categories import categorize

    cats = categorize(table)
    wanted = cats["category"].iloc[0]
    kept = cats[cats["category"] == wanted]
    m = make_map(table, only_categories=wanted, tiles=None,
                 heatmap=False, legend=False)
    html = m.get_root().render()
    dropped = set(cats["name"]) - set(kept["name"])
    assert dropped and set(kept["name"])
    assert not any(name in html for name in dropped)
    assert all(name in html for name in set(kept["name"]))


def test_only_categories_rejects_unknown_names(table):
    with pytest.raises(ConfigurationError, match="Expected categories among"):
        make_map(table, only_categories=["shopping"])


def test_cli_country_markers_flag(gazetteer_path, tmp_path):
    def tooltips(*flags):
        out = tmp_path / f"m{len(flags)}.html"
        proc = geomap_cli("map", str(ROOT / "seeds" / "000_5d2bf229be0e025c.txt"),
                          "-o", str(out), "--offline", "-q", *flags)
        assert proc.returncode == 0, proc.stderr
        data = re.search(r"var place_data_\w+ = (\{.*?\});\n", out.read_text("utf-8"))
        return {row[3] for row in json.loads(data.group(1))["places"]}

    shaded, marked = tooltips(), tooltips("--country-markers")
    assert "Armenia" not in shaded and "Armenia" in marked
    assert shaded < marked
