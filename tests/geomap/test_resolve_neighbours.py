"""The ``neighbour`` part (issue 17): a place across the border from a country the
article names gets support from it; the table of neighbours comes from the
store's country outlines (gazetteer.neighbours)."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from gazetteer import neighbours as nb
from geomap.resolve import Resolver
from geomap.resolve_reference import ReferenceResolver
from geomap.resolver_model import DEFAULT_MODEL, HAND_MODEL
from tests.geomap.test_resolve_reference import agree, decided

# -- the table ------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("PS", "IL"), ("UA", "RU"), ("TD", "SD"), ("CD", "RW"), ("CO", "VE"), ("MM", "TH"),
    ("AF", "PK"), ("UA", "HU"),     # (Hungary: from countryinfo's borders)
])
def test_countries_that_share_a_border_are_neighbours_both_ways(gaz, a, b):
    table = nb.neighbours(gaz)
    assert b in table[a] and a in table[b]


@pytest.mark.parametrize("a, b", [("US", "RU"), ("CH", "US"), ("IL", "IR"), ("SD", "UA")])
def test_countries_apart_are_not_neighbours(gaz, a, b):
    assert b not in nb.neighbours(gaz).get(a, frozenset())


def test_the_table_is_symmetric_and_kept_in_memory(gaz):
    table = nb.neighbours(gaz)
    assert len(table) > 150
    assert all(a in table[b] for a, near in table.items() for b in near)
    assert nb.neighbours(gaz) is table


class _Outlines:
    """A store with three square countries, two of them touching."""

    def __init__(self, path: Path):
        self.path = path
        path.write_bytes(b"store")
        self.calls = 0

    def country_shapes(self):
        self.calls += 1
        return iter([("AA", shapely.box(0, 0, 1, 1)), ("BB", shapely.box(1, 0, 2, 1)),
                     ("CC", shapely.box(5, 5, 6, 6))])


def test_the_table_is_kept_beside_the_store_and_a_bad_file_is_remade(tmp_path, monkeypatch):
    monkeypatch.setattr(nb, "listed_borders", dict)
    store = _Outlines(tmp_path / "store.sqlite")
    table = nb.neighbours(store)
    side = tmp_path / "store.sqlite.neighbours.txt"
    assert table == {"AA": frozenset({"BB"}), "BB": frozenset({"AA"})}
    assert side.read_text().splitlines()[1:] == ["AA BB", "BB AA"]
    # another process reads the file, not the outlines
    monkeypatch.setattr(nb, "_memo", {})
    fresh = _Outlines.__new__(_Outlines)
    fresh.path, fresh.calls = store.path, 0
    assert nb.neighbours(fresh) == table and fresh.calls == 0
    # a file that is not a table of country codes is not believed
    monkeypatch.setattr(nb, "_memo", {})
    stamp = side.read_text().splitlines()[0]
    side.write_text(stamp + "\nAA <script>\n")
    assert nb.neighbours(fresh) == table and fresh.calls == 1
    assert "<script>" not in side.read_text()


def test_a_gazetteer_without_outlines_has_no_neighbours_and_still_resolves(gaz, rec):
    class Plain:                        # candidates only: no outlines, no path
        def candidates(self, name, **filters):
            return gaz.candidates(name, **filters)

    assert nb.neighbours(Plain()) == {}
    text = "Refugees from Sudan crossed into Adre."
    out = Resolver(Plain(), DEFAULT_MODEL).resolve(rec(text), text)
    assert all(dict(c.parts).get("neighbour") == 0.0 for r in out for c in r.candidates)


# -- the part -------------------------------------------------------------------------

STRONG = DEFAULT_MODEL.replace(neighbour_base=2.0, neighbour_share=2.0)


@pytest.mark.parametrize("model", [DEFAULT_MODEL, STRONG])
@pytest.mark.parametrize("text, name, country", [
    ("Refugees from Sudan crossed into Adre on Monday.", "Adre", "TD"),
    ("Libyan fighters were seen in Faya, officials said.", "Faya", "TD"),
])
def test_a_border_town_is_placed_beside_the_country_named(gaz, rec, model, text, name,
                                                         country):
    r = {x.span.text: x for x in Resolver(gaz, model).resolve(rec(text), text)}[name]
    assert r.place is not None and r.place.country_code == country
    assert dict(r.candidates[0].parts)["neighbour"] > 0
    assert "neighbour" in r.explain()


@pytest.mark.parametrize("text, name, country", [
    # a country named, a town across its border with a bigger namesake elsewhere
    ("Activists sailed for Gaza; Israeli officials said they would stop the boats.",
     "Gaza", "PS"),
    ("Refugees from Sudan crossed into Adre on Monday.", "Adre", "TD"),
])
def test_a_strong_neighbour_part_crosses_the_border_alike_in_engine_and_reference(
        gaz, rec, text, name, country):
    spans = rec(text)
    out = agree(Resolver(gaz, STRONG), ReferenceResolver(gaz, STRONG), spans, text)
    r = {x.span.text: x for x in Resolver(gaz, STRONG).resolve(spans, text)}[name]
    assert r.place.country_code == country
    assert out != decided(Resolver(gaz, HAND_MODEL).resolve(spans, text))


def test_a_place_in_a_named_country_gets_country_support_not_neighbour_support(gaz, rec):
    text = ("Egyptian officials said the Rafah crossing and El Arish were closed; "
            "Egypt and Israel talked.")
    for r in Resolver(gaz).resolve(rec(text), text):
        for c in r.candidates:
            parts = dict(c.parts)
            if parts["country"]:
                assert parts["neighbour"] == 0.0


def test_a_town_mentioned_does_not_vouch_for_the_country_next_door(gaz, rec):
    # a Texas town says nothing for Mexico's places: only a country named counts
    text = "Police in El Paso and Laredo said trucks from Juarez were held."
    for r in Resolver(gaz, STRONG).resolve(rec(text), text):
        for c in r.candidates:
            if c.place.country_code == "MX":
                assert dict(c.parts)["neighbour"] == 0.0


def test_neighbour_support_spares_a_town_the_isolated_rule(gaz, rec):
    # the town's own country is unnamed, but a neighbour is: not a far-away guess
    text = "Sudan, Egypt and Ethiopia met; refugees crossed into Adre."
    r = {x.span.text: x for x in Resolver(gaz).resolve(rec(text), text)}["Adre"]
    parts = dict(r.candidates[0].parts)
    assert r.place.country_code == "TD" and parts["neighbour"] > 0
    assert "isolated" not in parts
    lone = DEFAULT_MODEL.replace(neighbour_supports=False)
    r2 = {x.span.text: x for x in Resolver(gaz, lone).resolve(rec(text), text)}["Adre"]
    assert any(name == "isolated" for c in r2.candidates for name, _ in c.parts)


def test_a_neighbour_named_is_no_support_for_a_small_place(gaz, rec):
    # a village without population needs its own country, division or a place
    # near it named: a country across the border lifts the isolated rule only
    text = "Russian officials said shelling hit Matusiv on Monday, and Moscow denied it."
    r = {x.span.text: x for x in Resolver(gaz).resolve(rec(text), text)}["Matusiv"]
    parts = dict(r.candidates[0].parts)
    assert parts["neighbour"] > 0 and "unsupported" in parts
    assert r.place is None
    # named with its own country it is placed
    text = "Ukrainian officials said shelling hit Matusiv in Ukraine on Monday."
    r = {x.span.text: x for x in Resolver(gaz).resolve(rec(text), text)}["Matusiv"]
    assert r.place is not None and r.place.country_code == "UA"
