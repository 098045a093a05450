"""geomap.aggregate: one row per place from the mention table."""

import pandas as pd
import pytest
from samples import GENEVA, KARABAKH, MOSCOW
from samples import mention as sample_mention

from geomap.aggregate import PLACE_COLUMNS, by_source, places, resolved
from geomap.errors import InputError
from geomap.mentions import Mention, to_frame


def mention(doc, source, place, sentence, word, date=None):
    return sample_mention(doc, source, place, sentence, word, date, sentence_start=100)


@pytest.fixture
def table():
    return to_frame([
        mention("a", "TASS", MOSCOW, "Talks in Moscow ended.", "Moscow", "2024-03-02"),
        mention("a", "TASS", MOSCOW, "Moscow said no.", "Moscow", "2024-03-02"),
        mention("b", "BBC", MOSCOW, "Moscow denied it.", "Moscow", "2024-03-05"),
        mention("b", "BBC", GENEVA, "Envoys met in Geneva.", "Geneva", "2024-03-05"),
        mention("c", "BBC", KARABAKH, "Fighting in Nagorno-Karabakh.", "Nagorno-Karabakh"),
        Mention(doc="c", start=0, end=5, text="Narnia", source="BBC"),  # unresolved
    ])


def test_places_counts(table):
    out = places(table)
    assert list(out.columns) == list(PLACE_COLUMNS)
    assert list(out["name"]) == ["Moscow", "Geneva", "Nagorno-Karabakh"]
    moscow = out.iloc[0]
    assert (moscow["mentions"], moscow["documents"], moscow["sources"]) == (3, 2, 2)
    assert moscow["source_names"] == "BBC; TASS"
    assert (moscow["first_date"], moscow["last_date"]) == ("2024-03-02", "2024-03-05")
    assert moscow["lat"] == pytest.approx(55.75222)
    assert moscow["feature_code"] == "PPLC"


def test_places_keeps_curated_place_without_geonameid(table):
    row = places(table).set_index("place_id").loc[2_000_000_001]
    assert row["geonameid"] is pd.NA
    assert pd.isna(row["first_date"]) and pd.isna(row["country_code"])


def test_places_does_not_mutate_input(table):
    before = table.copy()
    places(table)
    by_source(table)
    pd.testing.assert_frame_equal(table, before)


def test_by_source(table):
    counts = by_source(table)
    assert counts.loc[524901, "TASS"] == 2
    assert counts.loc[524901, "BBC"] == 1
    assert counts.loc[2660646, "TASS"] == 0
    assert sorted(counts.columns) == ["BBC", "TASS"]


@pytest.mark.parametrize("frame", [to_frame([]),
                                   to_frame([Mention(doc="x", start=0, end=1, text="X")])])
def test_empty_input_gives_empty_frame_with_columns(frame):
    out = places(frame)
    assert out.empty and list(out.columns) == list(PLACE_COLUMNS)
    assert out["mentions"].dtype == "int64"
    assert by_source(frame).empty


def test_missing_columns_named():
    with pytest.raises(InputError, match=r"missing: \['place_id', 'lat', 'lon'\]"):
        resolved(pd.DataFrame({"doc": ["a"], "source": ["s"], "name": ["x"]}))


def test_source_defaults_to_doc():
    df = to_frame([mention("report-1", None, GENEVA, "In Geneva.", "Geneva")])
    assert places(df).iloc[0]["source_names"] == "report-1"
