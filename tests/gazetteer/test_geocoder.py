import pytest
from geopy.location import Location

from gazetteer import GazetteerGeocoder


@pytest.fixture(scope="module")
def geocoder(gaz):
    return GazetteerGeocoder(gaz)


def test_geocode_one(geocoder):
    loc = geocoder.geocode("Geneva")
    assert isinstance(loc, Location)
    assert loc.address.endswith("Switzerland") and loc.raw["country_code"] == "CH"
    assert abs(loc.latitude - 46.2) < 0.1


@pytest.mark.parametrize("query, country", [
    ("Geneva, Switzerland", "CH"), ("Geneva, CH", "CH"), ("Geneva, United States", "US"),
    ("Paris, Texas", "US"), ("Stepanakert", "AZ"),
])
def test_geocode_qualified(geocoder, query, country):
    assert geocoder.geocode(query).raw["country_code"] == country


def test_geocode_admin_qualifier(geocoder):
    loc = geocoder.geocode("Paris, Texas")
    assert loc.raw["admin1"] == "TX" and "Texas" in loc.address


def test_geocode_many_and_country_kwarg(geocoder):
    locs = geocoder.geocode("Geneva", exactly_one=False)
    assert len(locs) > 3 and all(isinstance(x, Location) for x in locs)
    assert geocoder.geocode("Geneva", country="US").raw["country_code"] == "US"
    assert geocoder.geocode("Qwxzzy Nowhere") is None
    assert geocoder.geocode("Qwxzzy Nowhere", exactly_one=False) == []
    with pytest.raises(ValueError, match="non-empty"):
        geocoder.geocode("  ")


def test_reverse(geocoder):
    loc = geocoder.reverse("46.2022, 6.1457")
    assert loc.raw["geonameid"] == 2660646
    assert geocoder.reverse((39.8177, 46.7528), exactly_one=False)[0].raw["name"] == "Khankendi"
