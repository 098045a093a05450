"""gazetteer/_records.c (``maker``) makes the Place and Candidate objects that
gazetteer.store's Python makers (``_py_new_place``, ``_py_new_candidate``) and
their dataclass __init__ make."""

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
