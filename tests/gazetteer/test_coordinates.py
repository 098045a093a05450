"""Points and queries from anywhere: ``Gazetteer.nearest`` and the geocoder
refuse what is not a point on Earth or a place name with a ``ValueError``
that says so, and never answer with a place for it (issue 13, "smaller").
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer import GazetteerGeocoder
from gazetteer.coordinates import MAX_QUERY_CHARS, check_point
from gazetteer.errors import GazetteerError, InvalidQueryError

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Anything a caller might pass as a coordinate.
ANY_VALUE = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
                      st.integers(), st.text(max_size=30), st.binary(max_size=8),
                      st.lists(st.floats(), max_size=3), st.tuples(st.floats(), st.floats()))


def _in_range(value, bound) -> bool:
    return (not isinstance(value, bool) and isinstance(value, (int, float))
            and -bound <= value <= bound)


@pytest.fixture(scope="module")
def geocoder(gaz):
    return GazetteerGeocoder(gaz)


@pytest.mark.parametrize("lat, lon, message", [
    (200.0, 0.0, "Expected latitude in [-90, 90], instead got: 200.0"),
    (-90.5, 0, "Expected latitude in [-90, 90], instead got: -90.5"),
    (0, 180.5, "Expected longitude in [-180, 180], instead got: 180.5"),
    (float("nan"), 0, "Expected latitude in [-90, 90], instead got: nan"),
    (0, float("-inf"), "Expected longitude in [-180, 180], instead got: -inf"),
    (None, 0, "Expected latitude as a number, instead got: None"),
    (0, None, "Expected longitude as a number, instead got: None"),
    ("46.2", 6.1, "Expected latitude as a number, instead got: '46.2'"),
    (True, 6.1, "Expected latitude as a number, instead got: True"),
    ((46.2, 6.1), 0, "Expected latitude as a number, instead got: (46.2, 6.1)"),
])
def test_nearest_refuses_what_is_not_a_point(gaz, lat, lon, message):
    with pytest.raises(ValueError) as err:
        gaz.nearest(lat, lon)
    assert str(err.value) == message
    assert isinstance(err.value, InvalidQueryError) and isinstance(err.value, GazetteerError)


def test_nearest_accepts_the_edges_and_numpy(gaz):
    np = pytest.importorskip("numpy")
    assert gaz.nearest(np.float64(46.2), np.float32(6.146)).geonameid == 2660646
    assert gaz.nearest(90, 180) is not None and gaz.nearest(-90, -180) is not None
    assert gaz.nearest(46.2, 6.146, min_population=np.int64(1_000_000)).population >= 1_000_000


@pytest.mark.parametrize("option, value, message", [
    ("country", 41, "Expected country as a string or None, instead got: 41"),
    ("feature_class", ["P"], "Expected feature_class as a string or None, instead got: ['P']"),
    ("min_population", 1.5, "Expected min_population as an int or None, instead got: 1.5"),
])
def test_nearest_refuses_filters_of_the_wrong_type(gaz, option, value, message):
    with pytest.raises(InvalidQueryError) as err:
        gaz.nearest(46.2, 6.1, **{option: value})
    assert str(err.value) == message


@SETTINGS
@given(lat=ANY_VALUE, lon=ANY_VALUE)
def test_nearest_any_arguments(gaz, lat, lon):
    """Any value: a place for a point on Earth, else InvalidQueryError, never another error."""
    if _in_range(lat, 90) and _in_range(lon, 180):
        assert gaz.nearest(lat, lon) is not None
    else:
        with pytest.raises(InvalidQueryError, match=r"^Expected (latitude|longitude) "):
            gaz.nearest(lat, lon)


@pytest.mark.parametrize("query, message", [
    ("200, 0", "Expected latitude in [-90, 90], instead got: 200.0"),
    ((200, 0), "Expected latitude in [-90, 90], instead got: 200"),
    ("0, 200", "Expected longitude in [-180, 180], instead got: 200.0"),    # not wrapped
    ("nan, 0", "Expected latitude in [-90, 90], instead got: nan"),
    ("1, 2, 3", "Expected a point as 'latitude, longitude', instead got: '1, 2, 3'"),
    ("46.2", "Expected a point as 'latitude, longitude', instead got: '46.2'"),
    ("", "Expected a point as 'latitude, longitude', instead got: ''"),
    ("Geneva", "Expected a point as 'latitude, longitude', instead got: 'Geneva'"),
    ("0 N 200 E", "Expected longitude in [-180, 180], instead got: 200.0"),
    ((1, 2, 3), "Expected a (latitude, longitude) pair, instead got: (1, 2, 3)"),
    ([46.2], "Expected a (latitude, longitude) pair, instead got: [46.2]"),
    ((None, 6.1), "Expected latitude as a number, instead got: None"),
    (None, "Expected a point as 'latitude, longitude', a (latitude, longitude) pair or a "
           "geopy Point, instead got: None"),
    (46.2, "Expected a point as 'latitude, longitude', a (latitude, longitude) pair or a "
           "geopy Point, instead got: 46.2"),
])
def test_reverse_refuses_what_is_not_a_point(geocoder, query, message):
    with pytest.raises(ValueError) as err:
        geocoder.reverse(query)
    assert str(err.value) == message and isinstance(err.value, InvalidQueryError)


@pytest.mark.parametrize("query", ["46.2022, 6.1457", "46.2022;6.1457", " 46.2022  6.1457 ",
                                   (46.2022, 6.1457), [46.2022, 6.1457],
                                   "46 12m 7.92s N 6 8m 44.52s E"])
def test_reverse_reads_the_usual_forms(geocoder, query):
    assert geocoder.reverse(query).raw["geonameid"] == 2660646


def test_reverse_takes_a_geopy_point(geocoder):
    from geopy.point import Point

    assert geocoder.reverse(Point(46.2022, 6.1457)).raw["geonameid"] == 2660646


@SETTINGS
@given(lat=st.floats(), lon=st.floats(), sep=st.sampled_from([", ", ",", ";", " ", " ; "]))
def test_reverse_any_coordinates_as_text(geocoder, lat, lon, sep):
    """``"lat, lon"`` with any floats: a place exactly when both are in range."""
    query = f"{lat!r}{sep}{lon!r}"
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        assert geocoder.reverse(query) is not None
        assert geocoder.reverse((lat, lon)) is not None
    else:
        with pytest.raises(InvalidQueryError, match=r"^Expected (latitude|longitude) in "):
            geocoder.reverse(query)
        with pytest.raises(InvalidQueryError, match=r"^Expected (latitude|longitude) in "):
            geocoder.reverse((lat, lon))


@SETTINGS
@given(query=ANY_VALUE)
def test_reverse_any_query(geocoder, query):
    """Any value: a Location or InvalidQueryError, never another error."""
    from geopy.location import Location

    try:
        found = geocoder.reverse(query)
    except InvalidQueryError:
        return
    assert isinstance(found, Location)
    assert -90 <= found.latitude <= 90 and -180 <= found.longitude <= 180


@pytest.mark.parametrize("query, message", [
    (None, "Expected a non-empty place name, instead got: None"),
    ("", "Expected a non-empty place name, instead got: ''"),
    (" \t", "Expected a non-empty place name, instead got: ' \\t'"),
    (42, "Expected a non-empty place name, instead got: 42"),
    (b"Geneva", "Expected a non-empty place name, instead got: b'Geneva'"),
    (",, ,", "Expected a place name, instead got: ',, ,'"),
    ("Geneva" * 200, f"Expected a place name of at most {MAX_QUERY_CHARS:,} characters, "
                     "instead got one of 1,200"),
])
def test_geocode_refuses_malformed_queries(geocoder, query, message):
    with pytest.raises(ValueError) as err:
        geocoder.geocode(query)
    assert str(err.value) == message and isinstance(err.value, InvalidQueryError)


@pytest.mark.parametrize("options, message", [
    ({"country": 7}, "Expected country as a string or None, instead got: 7"),
    ({"limit": 0}, "Expected limit as a positive int or None, instead got: 0"),
    ({"limit": "2"}, "Expected limit as a positive int or None, instead got: '2'"),
])
def test_geocode_refuses_options_of_the_wrong_type(geocoder, options, message):
    with pytest.raises(InvalidQueryError) as err:
        geocoder.geocode("Geneva", **options)
    assert str(err.value) == message


@SETTINGS
@given(query=st.one_of(st.text(max_size=60), st.none(), st.integers(), st.floats(),
                       st.binary(max_size=10)))
def test_geocode_any_query(geocoder, query):
    """Any string is a query (a Location, a list or None); anything else is InvalidQueryError."""
    if isinstance(query, str) and any(part.strip() for part in query.split(",")):
        result = geocoder.geocode(query, exactly_one=False)
        assert isinstance(result, list)
    else:
        with pytest.raises(InvalidQueryError):
            geocoder.geocode(query)


def test_messages_cut_a_long_value():
    with pytest.raises(InvalidQueryError) as err:
        check_point("x" * 10_000, 0)
    assert len(str(err.value)) < 200 and "10,002 characters" in str(err.value)


def test_check_point_is_exact_within_range():
    assert check_point(-90, 180) == (-90.0, 180.0)
    assert math.copysign(1, check_point(-0.0, 0)[0]) == -1
