"""Resolution with document context (real gazetteer)."""

import pytest

from geomap.recognize import Recognizer
from geomap.resolve import Resolver


@pytest.fixture(scope="module")
def resolve(gaz):
    rec, res = Recognizer(gaz), Resolver(gaz)

    def run(text):
        return {r.span.text: r for r in res.resolve(rec(text), text)}

    return run


@pytest.mark.parametrize("text, name, country, admin1", [
    ("Talks were held in Geneva on Friday.", "Geneva", "CH", None),
    ("Geneva, Ill. officials met on Friday.", "Geneva", "US", "IL"),
    ("Paris, Texas is a small town.", "Paris", "US", "TX"),
    ("Flights from Paris to Lyon resumed.", "Paris", "FR", None),
    ("Moscow denied it.", "Moscow", "RU", None),
    ("Residents of Moscow, Idaho voted.", "Moscow", "US", "ID"),
])
def test_context_decides(resolve, text, name, country, admin1):
    r = resolve(text)[name]
    assert r.place.country_code == country
    if admin1:
        assert r.place.admin1 == admin1
    assert 0 < r.confidence <= 1


def test_city_rather_than_the_division_named_after_it(resolve):
    r = resolve("Protests in Moscow and Yerevan.")
    assert r["Moscow"].place.feature_code == "PPLC"
    assert r["Yerevan"].place.feature_code == "PPLC"


def test_document_country_context(resolve):
    text = ("Anderson County deputies arrested a Palestine man. The Palestine police chief said "
            "Texas law applies.")
    assert resolve(text)["Palestine"].place.country_code == "US"


def test_explain_names_the_parts(resolve):
    out = resolve("Geneva, Ill. officials met.")["Geneva"].explain()
    assert "qualifier" in out and "population" in out and "Geneva" in out


def test_unknown_name_does_not_stop_the_rest(gaz):
    from geomap.recognize import Span

    res = Resolver(gaz)
    spans = [Span(0, 8, "Qwzxplor", "qwzxplor"), Span(12, 18, "Moscow", "moscow")]
    out = res.resolve(spans, "Qwzxplor and Moscow")
    assert out[0].place is None and out[0].confidence == 0
    assert out[1].place.country_code == "RU"
