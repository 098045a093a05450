"""One definition of "is a country" (:mod:`gazetteer.features`), and every
part of the gazetteer that asks it agreeing: the build's country references,
``gazetteer add``'s, :meth:`Gazetteer.country`, :meth:`Gazetteer.country_shapes`
and :attr:`Place.is_country`. A tiny store with one place of each code."""

from __future__ import annotations

import sqlite3

import pytest
import shapely

from gazetteer import Gazetteer, build
from gazetteer.add import _StoreCollector
from gazetteer.features import (
    CODE_HOLDER_CODES,
    COUNTRY_CODES,
    holds_country_code,
    is_country,
    sql_list,
)
from gazetteer.place import Place
from gazetteer.sources.base import NameLink, PlaceRecord, Ref

#: One place per code, each in a country of its own (code -> ISO code).
CODES = {"PCLI": "AA", "PCLD": "AB", "PCLF": "AC", "PCLS": "AD", "PCLIX": "AE", "PCL": "AF",
         "PCLH": "AG", "TERR": "AH", "ADM1": "AI", "PPLC": "AJ", "RGN": "AK"}
SQUARE = shapely.to_wkb(shapely.box(0, 0, 1, 1))


class EachCode:
    name = "each_code"

    def version(self):
        return "1"

    def records(self):
        for i, (code, cc) in enumerate(CODES.items(), 1):
            fclass = "P" if code.startswith("PPL") else "L" if code == "RGN" else "A"
            yield PlaceRecord(Place(i, f"Place {code}", float(i), float(i), cc, fclass, code,
                                    population=1000, geonameid=i, admin1="01"),
                              ((f"Place {code}", "name"),), SQUARE)
        for cc in CODES.values():              # a name by country reference, not required
            yield NameLink(Ref("country", cc), f"Holder of {cc}")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build(tmp_path_factory.mktemp("features") / "g.sqlite", sources=[EachCode()],
                 progress=False)


def test_the_definitions():
    geonames_political_entities = {"PCL", "PCLD", "PCLF", "PCLH", "PCLI", "PCLIX", "PCLS"}
    assert COUNTRY_CODES == geonames_political_entities
    assert CODE_HOLDER_CODES == (geonames_political_entities - {"PCLH"}) | {"TERR"}
    for code in CODES:
        assert is_country(code) == (code in COUNTRY_CODES)
        assert holds_country_code(code) == (code in CODE_HOLDER_CODES)
        assert Place(1, "x", 0, 0, feature_code=code).is_country == is_country(code)


def test_sql_list_takes_codes_only():
    assert sql_list({"TERR", "PCLI"}) == "('PCLI','TERR')"
    with pytest.raises(ValueError, match="feature codes"):
        sql_list(["PCLI'); DROP TABLE places; --"])


def test_every_reader_agrees_on_the_code_holders(store):
    with Gazetteer(store) as g:
        by_build = {g.lookup(f"Holder of {cc}")[0].feature_code
                    for cc in CODES.values() if g.lookup(f"Holder of {cc}")}
        by_country = {code for code, cc in CODES.items() if g.country(cc) is not None}
        with_outline = {g.get(i).feature_code for i in range(1, len(CODES) + 1)
                        if g.get(i).country_code in dict(g.country_shapes())}
    con = sqlite3.connect(store)
    try:
        collector = _StoreCollector(con)
        by_add = {code for code, cc in CODES.items()
                  if collector._in_store(Ref("country", cc)) is not None}
    finally:
        con.close()
    assert by_build == by_country == by_add == CODE_HOLDER_CODES
    assert with_outline == COUNTRY_CODES
