"""Untrusted text in maps (issue 13, classes 1 and 2): never templated, always escaped.

branca compiles the output of every element's macros as a new Jinja2
template; these tests put template payloads that create a folder (quote-free,
so that HTML and JSON escaping leave them working) in every field of a
mention table and check that drawing the map runs none of them and shows
each field as written. The control tests prove the payloads are live.
"""

import json
import re
from html import escape, unescape

import folium
import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from gazetteer.place import Place
from geomap.maps import make_map, write_map
from geomap.maps.popup import summaries, unpack_popup
from geomap.maps.safe import Literal, LiteralMacro, link_url, script_json
from geomap.mentions import Mention, to_frame

FIELDS = ("doc", "source", "date", "url", "text", "sentence", "name", "country", "category",
          "display_name", "country_name", "admin1_name", "feature_name")
#: Record columns of the mention table shown in popups (display_name as the heading).
RECORD_FIELDS = FIELDS[-4:]
#: Each makes a folder named ``tag`` in the working directory when rendered by Jinja2.
PAYLOADS = (
    "{{{{ cycler.__init__.__globals__.os.mkdir(dict({tag}=1)|first) }}}}",
    "{{% set o = joiner.__init__.__globals__.os %}}{{{{ o.mkdir(dict({tag}=1)|first) }}}}",
    "x {{% if namespace.__init__.__globals__.os.mkdir(dict({tag}=1)|first) %}}{{% endif %}} y",
    "{{% for o in [lipsum.__globals__.os] %}}{{{{ o.mkdir(dict({tag}=1)|first) }}}}{{% endfor %}}",
    "{{% macro m() %}}{{{{ cycler.__init__.__globals__.os.mkdir(dict({tag}=1)|first) }}}}"
    "{{% endmacro %}}{{{{ m() }}}}",
)
#: Text that is harmless unless templated: a syntax error, a comment, a raw block.
LITERALS = ("{{citation needed}}", "see {# note 3 #} below", "{% raw %}a{% endraw %}",
            "<img src=x onerror=\"document.title='pwned'\"> & </script><!--")
HTML_CODE = "<img src=x onerror=alert(1)>"
SHAPES = [("RU", box(30, 50, 45, 60)), ("CH", box(5.9, 45.8, 10.5, 47.8)),
          ("{{citation needed}}", box(43.4, 38.8, 46.6, 41.3)),
          (HTML_CODE, box(20, 10, 21, 11))]


def payload(field: str, k: int) -> str:
    if k < len(PAYLOADS):
        return PAYLOADS[k].format(tag=f"pwned_{field}_{k}")
    return LITERALS[k - len(PAYLOADS)]


KINDS = range(len(PAYLOADS) + len(LITERALS))


def hostile_table(value=payload):
    """Two mentions per kind of payload, each kind its own place, ``value(field, k)`` everywhere.

    The first mention marks its whole sentence (shown whole, never cut); the
    second has no sentence, so its ``text`` is quoted.
    """
    rows, categories, records = [], [], []
    for k in KINDS:
        place = Place(id=k + 1, name=value("name", k), lat=10 + k, lon=20 + k,
                      country_code=value("country", k), feature_code="PPL", geonameid=k + 1)
        sentence = value("sentence", k)
        common = dict(doc=value("doc", k), source=value("source", k), place=place,
                      date=value("date", k), url="https://example.org/" + value("url", k))
        rows.append(Mention(start=100, end=100 + len(sentence), text=sentence,
                            sentence=sentence, sentence_start=100, **common))
        rows.append(Mention(start=0, end=len(value("text", k)), text=value("text", k),
                            **common))
        categories += [value("category", k)] * 2
        records += [[value(f, k) for f in RECORD_FIELDS]] * 2
    rows.append(Mention(doc="dated", start=3, end=9, text="Moscow", sentence="In Moscow.",
                        sentence_start=0, source="plain", date="2020-10-01",
                        url="javascript:document.title='pwned'",
                        place=Place(id=99, name="Moscow", lat=55.75, lon=37.62)))
    categories.append("other")
    records.append([None] * len(RECORD_FIELDS))
    df = to_frame(rows)
    df["category"] = categories
    for i, field in enumerate(RECORD_FIELDS):
        df[field] = [r[i] for r in records]
    return df


def page_data(html: str) -> dict:
    """The PlaceData of a rendered page (places, strings), as the browser reads it."""
    start = re.search(r"var place_data_\w+ = ", html).end()
    return json.JSONDecoder().raw_decode(html, start)[0]


def place_data(html: str) -> list:
    """The marker rows of a rendered page, their popups unpacked (strings resolved)."""
    data = page_data(html)
    return [[*row[:2], unpack_popup(row[2], data["strings"]), *row[3:]]
            for row in data["places"]]


def shown_texts(popup: dict) -> list[str]:
    """Every text a popup shows (set as text in the page), a quote as one sentence."""
    texts = [popup[k] for k in ("heading", "country", "admin1", "admin2", "feature",
                                "first_date", "last_date", "note")]
    texts += [name for name, _ in popup["written"] + popup["sources"]]
    for before, mark, after, source, date, _ in popup["quotes"]:
        texts += [before + mark + after, source, date]
    return texts


def filter_data(html: str) -> dict:
    """The filter panel's data (sources, categories, countries ...) as the browser reads it."""
    start = html.index("{\"rows\":")
    return json.JSONDecoder().raw_decode(html, start)[0]


def layer_names(html: str) -> list[str]:
    """The names the layer control is given (JSON keys of its overlays)."""
    block = html[html.index("_layers = {"):]
    block = block[:block.index("};")]
    return [json.loads(key) for key in re.findall(r'^\s*("(?:[^"\\]|\\.)*") : \w+,$', block,
                                                  re.M)]


def assert_literal(html: str, table) -> None:
    """Every shown field of every row appears as written (HTML-escaped) where it belongs."""
    places = {row[5]: row for row in place_data(html)}
    panel = filter_data(html)
    sources = [s for s, _ in panel["sources"]]  # shown with textContent: as they are
    categories = [c[0] for c in panel["categories"]]
    assert all(not re.search(r"[<{]", n) for n in layer_names(html))  # only our names
    for row in table.itertuples():
        if row.place_id not in places or row.doc == "dated":
            continue
        _, _, popup, tooltip, _, _, _ = places[row.place_id]
        assert tooltip == row.display_name  # set as text in the page
        texts = shown_texts(popup)
        for shown in (row.text, row.source, row.display_name, row.admin1_name,
                      row.feature_name, row.date):
            assert shown in texts
        assert f"{row.country_name} ({row.country_code})" in texts
        assert (row.sentence if isinstance(row.sentence, str) else row.text) in texts
        links = {q[5] for q in popup["quotes"]}
        assert links == ({row.url} if row.url.startswith("https:") else {""})
        assert row.source in sources
        if categories:
            assert row.category in categories


OPTIONS = {
    "default": {},
    "offline": {"offline": True, "tiles": None, "country_shapes": SHAPES},
    "cluster": {"cluster": True, "time_slider": True},
    "color_by": {"color_by": "category", "country_shapes": SHAPES, "outlines": True},
}


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a payload that ran would make its folder
    return tmp_path


def pwned(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("pwned"))


# -- the payloads are live: the tests below can fail --------------------------------------

@pytest.mark.parametrize("k", range(len(PAYLOADS)))
def test_payloads_run_when_templated(in_tmp, k):
    jinja2.Template(payload("doc", k)).render()
    assert pwned(in_tmp) == [f"pwned_doc_{k}"]


def test_branca_templates_macro_output_and_literal_does_not(in_tmp):
    m = folium.Map(tiles=None)
    m.get_root().html.add_child(folium.Element(payload("name", 0)))  # what branca does
    m.get_root().html.add_child(Literal(payload("name", 1)))
    html = m.get_root().render()
    assert pwned(in_tmp) == ["pwned_name_0"]
    assert payload("name", 1) in html


# -- class 1: no string of the table is ever template source ------------------------------

EVERY_OPTION = {"offline": True, "tiles": None, "country_shapes": SHAPES[:2], "cluster": True,
                "time_slider": True, "color_by": "category"}


@pytest.mark.parametrize("field", FIELDS)
def test_file_creating_payloads_in_one_field_never_run(in_tmp, field):
    def value(f, k):
        if f == field and k < len(PAYLOADS):
            return payload(f, k)
        return f"{f} {k}"

    table = hostile_table(value)
    html = make_map(table, max_sentences=50, **EVERY_OPTION).get_root().render()
    assert pwned(in_tmp) == []
    assert_literal(html, table)


@pytest.mark.parametrize("notebook", [False, True], ids=["page", "notebook"])
def test_no_field_is_ever_compiled_as_template_source(monkeypatch, notebook):
    """Every Jinja2 compilation while drawing is watched: none sees a table string."""
    compiled = []
    real = jinja2.Environment.compile

    def watch(self, source, *args, **kwargs):
        compiled.append(source if isinstance(source, str) else "")
        return real(self, source, *args, **kwargs)

    table = hostile_table(lambda field, k: f"zq{field}xj{k}")
    monkeypatch.setattr(jinja2.Environment, "compile", watch)
    m = make_map(table, max_sentences=50, **EVERY_OPTION)
    m._repr_html_() if notebook else m.get_root().render()
    assert len(compiled) > 5  # branca compiles every element's output
    leaked = [src for src in compiled if re.search(r"zq[a-z]+xj", src)]
    assert leaked == []


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
def test_payloads_in_every_field_never_run_and_show_as_written(in_tmp, options):
    table = hostile_table()
    path = write_map(table, in_tmp / "map.html", max_sentences=50,
                     **options)
    assert pwned(in_tmp) == []
    assert_literal(path.read_text("utf-8"), table)


def test_only_categories_given_as_payloads(in_tmp):
    table = hostile_table()
    wanted = [payload("category", k) for k in KINDS]
    html = make_map(table, only_categories=wanted, color_by="category", max_sentences=50,
                    ).get_root().render()
    assert pwned(in_tmp) == []
    assert_literal(html, table)
    assert "Moscow" not in [p[3] for p in place_data(html)]  # its category is "other"


def test_notebook_rendering(in_tmp):
    table = hostile_table()
    frame = make_map(table, tiles=None, max_sentences=50)._repr_html_()
    assert pwned(in_tmp) == []
    srcdoc = unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert_literal(srcdoc, table)


def test_citation_needed_renders_literally(in_tmp):
    table = hostile_table(lambda field, k: "{{citation needed}}")
    html = make_map(table, tiles=None, country_shapes=SHAPES).get_root().render()
    assert place_data(html)[0][2]["heading"] == "{{citation needed}}"
    assert ["{{citation needed}}", 18] in filter_data(html)["sources"]


def test_script_json_is_inert_to_jinja():
    value = ["{{x}}", "{%y%}", "{#z#}", "{{{", "\\{{", {"k{{": "}}"}]
    text = script_json(value)
    assert not re.search(r"\{[{%#]", text)
    assert json.loads(text) == value
    assert jinja2.Template(text).render() == text


# -- class 2: escaped in HTML, links only http(s) ----------------------------------------

@pytest.mark.parametrize("url, linked", [
    ("https://example.org/a", "https://example.org/a"),
    ("HTTP://Example.org", "HTTP://Example.org"),
    ("  \x00https://example.org/\n", "https://example.org/"),
    ("ht\ttp://example.org", "http://example.org"),
    ("javascript:alert(1)", None), ("JaVaScRiPt:alert(1)", None),
    (" \x01javascript:alert(1)", None), ("java\nscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None), ("vbscript:msgbox(1)", None),
    ("//example.org/x", None), ("example.org", None), ("", None), (None, None),
    (float("nan"), None), ("https", None), ("https//example.org", None),
])
def test_link_url_only_http(url, linked):
    assert link_url(url) == linked


def test_popup_links_only_http_urls():
    import pandas as pd

    rows = pd.DataFrame({"place_id": [1, 1], "sentence": ["In Moscow.", "Moscow again."],
                         "start": [3, 0], "end": [9, 6], "source": ["A", "B"],
                         "doc": ["a", "b"], "sentence_start": [0, 0],
                         "url": ['https://e.org/?q="><script>',
                                 "javascript:document.title='pwned'"]})
    quotes = summaries(rows, "place_id")[1].quotes
    assert [q[5] for q in quotes] == ['https://e.org/?q="><script>', ""]  # set as a.href


def test_layer_names_and_country_tooltips_are_escaped():
    table = hostile_table(lambda field, k: LITERALS[-1])
    m = make_map(table, tiles=None, country_shapes=SHAPES)
    html = m.get_root().render()
    assert [LITERALS[-1], 18] in filter_data(html)["sources"]  # as it is: textContent
    shapes = next(c for c in m._children.values() if isinstance(c, LiteralMacro)
                  and getattr(c, "layer_name", "") == "Mentions by country")
    codes = {f["properties"]["country_code"] for f in shapes.data["features"]}
    assert escape(HTML_CODE.upper()) in codes and "{{CITATION NEEDED}}" in codes
    # in scripts as JSON strings only (``</`` escaped: they cannot end the script)
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html.split("<body>", 1)[1], flags=re.S)
    assert "<img" not in markup.lower() and html.count("<script") == html.count("</script>")


def test_shaded_country_names_and_codes_are_escaped():
    """A country-level mention of a hostile country: its entry is escaped HTML."""
    code = HTML_CODE.upper()
    country = Place(id=7, name=LITERALS[-1], lat=10.5, lon=20.5, country_code=code,
                    feature_code="PCLI")
    table = to_frame([Mention(doc=HTML_CODE, start=0, end=5, text=HTML_CODE, place=country,
                              source=LITERALS[0], sentence=HTML_CODE, sentence_start=0)])
    table["country_name"] = LITERALS[-1]
    html = make_map(table, tiles=None, country_shapes=SHAPES).get_root().render()
    assert place_data(html) == []  # not a marker: it shades its country
    (entry,) = filter_data(html)["countries"]
    assert entry[0] == escape(code)  # the layer's key (the GeoJSON property is escaped)
    assert entry[2] == LITERALS[-1]  # set as text
    popup = unpack_popup(entry[1], page_data(html)["strings"])
    assert popup["heading"] == LITERALS[-1] and (HTML_CODE, 1) in popup["written"]


# -- any string in any field ---------------------------------------------------------------

FRAGMENTS = st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "<", ">", "&", '"',
                             "'", "\\", "</script>", "<!--", "-->", "\u2028", "\u0085",
                             "\x00", "\r", "javascript:", "https://", " "])
# (no lone surrogates: the mention table's string columns cannot hold them)
ANY_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), min_size=1, max_size=8).map(
    "".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANY_TEXT)
def test_any_string_in_any_field_renders_as_written(value):
    table = hostile_table(lambda field, k: value)
    html = make_map(table, tiles=None, max_sentences=50,
                    time_slider=True).get_root().render()
    html.encode("utf-8")  # it can be written
    places = [p for p in place_data(html) if p[5] != 99]
    assert len(places) == len(KINDS)
    for hostile in places:
        assert hostile[3] == value
        assert value in shown_texts(hostile[2])
    assert value in [s for s, _ in filter_data(html)["sources"]]
