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


@pytest.mark.parametrize("bands", [
    ((50.0, 1.5), (200.0, 1.0), (500.0, 0.4)),      # the default model's
    ((30.0, 2.0), (120.0, 0.5), (800.0, 0.7)),      # another, not decreasing
])
def test_nearby_agrees_with_haversine_at_the_thresholds(bands):
    """_nearby's chord shortcut scores exactly as _km's distances do, right at
    the band edges too, for the bands the model gives."""
    import math
    import random

    from geomap.resolve import _EARTH_KM, _km, _nearby, _spot, _Weights
    from geomap.resolver_model import ResolverModel

    w = _Weights(ResolverModel(nearby=bands))
    edges = [km for km, _ in bands]

    def dest(lat, lon, km, bearing):
        d, p, b = km / _EARTH_KM, math.radians(lat), math.radians(bearing)
        p2 = math.asin(math.sin(p) * math.cos(d) + math.cos(p) * math.sin(d) * math.cos(b))
        l2 = math.radians(lon) + math.atan2(math.sin(b) * math.sin(d) * math.cos(p),
                                            math.cos(d) - math.sin(p) * math.sin(p2))
        return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180

    def score(km):
        return next((s for edge, s in bands if km < edge), 0.0)

    def reference(lat, lon, points):
        return max([0.0, *(score(_km(lat, lon, a, b)) for a, b in points)])

    rnd = random.Random(7)
    for _ in range(20000):
        lat, lon = rnd.uniform(-89, 89), rnd.uniform(-180, 180)
        if rnd.random() < 0.5:
            km = rnd.choice(edges) * (1 + rnd.choice([-1, 1]) * 10 ** rnd.uniform(-16, -6))
        else:
            km = rnd.uniform(0, edges[-1] * 1.4)
        points = [dest(lat, lon, km, rnd.uniform(0, 360)) for _ in range(rnd.randint(1, 3))]
        assert _nearby(_spot(lat, lon), [_spot(a, b) for a, b in points], w) == \
            reference(lat, lon, points)


def test_round4_is_round():
    import random

    from geomap.resolve import _round4

    rnd = random.Random(5)
    for _ in range(200000):
        k = rnd.random()
        if k < 0.4:
            x = rnd.uniform(-40, 40)
        elif k < 0.7:   # at and around the ties
            x = rnd.randint(-400000, 400000) / 10000 + rnd.choice([0.00005, -0.00005, 0.0])
        else:
            x = (rnd.randint(-400000, 400000) / 10000 + rnd.choice([0.00005, -0.00005])
                 * (1 + rnd.uniform(-1e-12, 1e-12)))
        assert repr(_round4(x)) == repr(round(x, 4)), x
    for x in (0.0, -0.0, 0.00004, -0.00004, 0.00005, -0.00005, 1e-300, 1.0, 1 / 3):
        assert repr(_round4(x)) == repr(round(x, 4))


def test_keeping_no_candidates_changes_no_choice(gaz):
    rec, res = Recognizer(gaz), Resolver(gaz)
    text = ("Geneva, Ill. officials met in Paris, Texas, while talks in Geneva, Moscow and "
            "Yerevan went on. Springfield and Richmond police said Anderson County was calm.")
    spans = rec(text)
    full = res.resolve(spans, text)
    bare = res.resolve(spans, text, keep_candidates=0)
    assert len(full) == len(bare) > 5
    assert all(a.candidates for a in full if a.place is not None)
    assert all(not b.candidates for b in bare)
    assert [(a.span, a.place, a.confidence) for a in full] == [
        (b.span, b.place, b.confidence) for b in bare]
    # a lone hopeful takes a shortcut without candidates: it gets what the scoring gives
    assert any(len(a.candidates) == 1 for a in full)
    assert any(len(a.candidates) > 1 for a in full)


class _CandidatesOnly:
    """A gazetteer that offers ``candidates()`` but not ``entries()``."""

    def __init__(self, gaz):
        self.candidates = gaz.candidates


def test_entries_and_candidates_resolve_alike(gaz):
    # the resolver reads a Gazetteer's cached tuples (entries) and other
    # gazetteers' candidates() lists: the same choices and scores
    text = ("Springfield, Illinois and Springfield, Mass. sent aid to Paris, Texas; "
            "talks in Geneva and Moscow went on, said officials in Georgia and Tbilisi.")
    spans = Recognizer(gaz)(text)
    fast, plain = Resolver(gaz), Resolver(_CandidatesOnly(gaz))
    assert fast._entries is not None and plain._entries is None
    for _ in range(2):        # the second time from the caches
        a, b = fast.resolve(spans, text), plain.resolve(spans, text)
        assert len(a) == len(b) > 8
        assert [(r.span, r.place, r.confidence, r.candidates) for r in a] == [
            (r.span, r.place, r.confidence, r.candidates) for r in b]
