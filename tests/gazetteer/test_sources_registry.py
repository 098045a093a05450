"""The open registry of sources (:mod:`gazetteer.sources.registry`): a store
records its extra sources' specs, and a rebuild makes them again or names
each one it cannot (an unregistered kind, a moved file, no spec) in a
GazetteerWarning, keeping all the others. Tiny stores, real SQLite."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import warnings
from pathlib import Path

import pytest

from gazetteer import Gazetteer, build
from gazetteer.errors import GazetteerWarning
from gazetteer.place import Place
from gazetteer.sources import registry
from gazetteer.sources.base import PlaceRecord
from gazetteer.sources.registry import (
    UnknownSourceError,
    from_spec,
    recorded_sources,
    register_source,
    source_class,
    unregister_source,
)
from gazetteer.sources.user_csv import UserCSV
from gazetteer.store import check_store

FIXTURES = Path(__file__).parent / "fixtures"


class Packaged:
    """Stands in for the packaged sources (a real build takes 30 s)."""

    name = "packaged"

    def version(self):
        return "1"

    def records(self):
        yield PlaceRecord(Place(1, "Alpha", 10.0, 20.0, "TD", population=5, geonameid=1),
                          (("Alpha", "name"),))


class Outposts:
    """A third party's source: its places are read from a text file, one name a line."""

    name = "outposts"

    def __init__(self, path, lat=1.0):
        self.path, self.lat = Path(path), lat

    def spec(self):
        return {"type": "outposts", "path": str(self.path.resolve()), "lat": self.lat}

    def files(self):
        return [self.path]

    def version(self):
        return self.path.read_text(encoding="utf-8")

    def records(self):
        for i, line in enumerate(self.path.read_text(encoding="utf-8").split(), 1):
            yield PlaceRecord(Place(50_000_000 + i, line, self.lat, 2.0, "TD"),
                              ((line, "name"),))


class NoSpec(Packaged):
    """A source of the user's own without a spec()."""

    name = "nospec"

    def records(self):
        yield PlaceRecord(Place(7, "Gamma", 1.0, 1.0, "TD"), (("Gamma", "name"),))


@pytest.fixture
def packaged(monkeypatch):
    monkeypatch.setattr(registry, "default_sources", lambda: [Packaged()])


@pytest.fixture
def outposts_kind():
    register_source("outposts", Outposts)
    yield
    unregister_source("outposts")


def _stale(path):
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    con.commit()
    con.close()


def _built_with_extras(tmp_path, *more):
    csv_file = Path(shutil.copy(FIXTURES / "places_good.csv", tmp_path / "mine.csv"))
    names = tmp_path / "outposts.txt"
    names.write_text("Northpost\nSouthpost\n", encoding="utf-8")
    path = build(tmp_path / "g.sqlite", extra_sources=[UserCSV(csv_file), Outposts(names, 3.0),
                                                       *more], progress=False)
    return path, csv_file, names


def test_a_registered_kind_is_built_in_again(tmp_path, packaged, outposts_kind):
    path, _, _ = _built_with_extras(tmp_path)
    _stale(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GazetteerWarning)    # nothing is left out
        with Gazetteer.open(path, progress=False) as g:
            assert g.lookup("Northpost")[0].lat == 3.0         # its option came back too
            assert g.lookup("Camp Alpha")
    assert check_store(path) is None


def test_an_unregistered_kind_is_named_and_the_others_kept(tmp_path, packaged, outposts_kind):
    """The old bug: one spec no class could read dropped every extra source,
    the user's CSV included, without a word."""
    path, _, _ = _built_with_extras(tmp_path)
    _stale(path)
    unregister_source("outposts")               # a new process that does not know the kind
    with pytest.warns(GazetteerWarning, match=r"g\.sqlite: left out the extra source "
                                              r"\{\"type\": \"outposts\".*'outposts'"):
        with Gazetteer.open(path, progress=False) as g:
            assert g.lookup("Camp Alpha") and g.lookup("New Geneva Hub")   # the CSV is kept
            assert not g.lookup("Northpost")


def test_a_moved_csv_is_named_and_the_others_kept(tmp_path, packaged, outposts_kind):
    path, csv_file, _ = _built_with_extras(tmp_path)
    _stale(path)
    csv_file.rename(tmp_path / "moved.csv")
    with pytest.warns(GazetteerWarning, match=r"left out the extra source user_csv:mine\.csv: "
                                              r".*mine\.csv: no such file"):
        with Gazetteer.open(path, progress=False) as g:
            assert not g.lookup("Camp Alpha")
            assert g.lookup("Northpost")


def test_a_source_without_spec_is_named(tmp_path, packaged, outposts_kind):
    path, _, _ = _built_with_extras(tmp_path, NoSpec())
    with Gazetteer(path) as g:
        assert g.lookup("Gamma")
    _stale(path)
    with pytest.warns(GazetteerWarning, match="left out the extra source nospec: it has no spec"):
        with Gazetteer.open(path, progress=False) as g:
            assert not g.lookup("Gamma") and g.lookup("Northpost") and g.lookup("Camp Alpha")


def test_an_unreadable_record_is_named(tmp_path, packaged):
    path, _, _ = _built_with_extras(tmp_path)
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '{not json' WHERE key = 'extra_sources'")
    con.commit()
    con.close()
    kept, left_out = recorded_sources(path)
    assert kept == [] and "cannot be read" in left_out[0]


def test_a_spec_the_class_refuses_is_named(tmp_path, packaged, outposts_kind):
    path, _, _ = _built_with_extras(tmp_path)
    con = sqlite3.connect(path)
    specs = json.loads(con.execute("SELECT value FROM meta WHERE key = 'extra_sources'")
                       .fetchone()[0])
    specs[1]["colour"] = "red"                  # Outposts(**options) has no such option
    con.execute("UPDATE meta SET value = ? WHERE key = 'extra_sources'", (json.dumps(specs),))
    con.commit()
    con.close()
    kept, left_out = recorded_sources(path)
    assert [s.name for s in kept] == ["user_csv:mine.csv"]
    assert len(left_out) == 1 and "refuses the spec (TypeError" in left_out[0]


def test_register_refuses_a_taken_kind():
    with pytest.raises(ValueError, match="'user_csv' is taken"):
        register_source("user_csv", Outposts)
    with pytest.raises(ValueError, match="non-empty"):
        register_source("", Outposts)
    register_source("user_csv", UserCSV)       # the same class again is fine
    try:
        assert source_class("user_csv") is UserCSV
    finally:
        unregister_source("user_csv")


def test_unknown_kinds_and_non_specs():
    with pytest.raises(UnknownSourceError, match="'nothing-registered'"):
        from_spec({"type": "nothing-registered"})
    for bad in (None, [], {"path": "x"}, {"type": 3}):
        with pytest.raises(UnknownSourceError, match="Expected a source spec"):
            from_spec(bad)
    assert issubclass(UnknownSourceError, ValueError)


def test_an_entry_point_registers_a_kind(tmp_path, monkeypatch):
    """A distribution installed with a ``geomap.sources`` entry point (a real
    .dist-info folder on sys.path, as pip writes it)."""
    (tmp_path / "thirdparty_sources.py").write_text(
        "class Wells:\n"
        "    name = 'wells'\n"
        "    def __init__(self, depth):\n"
        "        self.depth = depth\n", encoding="utf-8")
    info = tmp_path / "thirdparty_sources-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: thirdparty-sources\n"
                                   "Version: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[geomap.sources]\nwells = thirdparty_sources:Wells\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        src = from_spec({"type": "wells", "depth": 40})
        assert type(src).__name__ == "Wells" and src.depth == 40
    finally:
        sys.modules.pop("thirdparty_sources", None)
