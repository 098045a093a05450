"""gazetteer/_hashes.c (``key_in``, ``hash_in``) answers as the Python
search of gazetteer.store (``_py_key_in``, ``_hash_in``)."""

from __future__ import annotations

import importlib
from array import array
from zlib import crc32

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import store

try:
    _hashes = importlib.import_module("gazetteer._hashes")
except ImportError:       # not built, or GEOMAP_PURE_PYTHON
    _hashes = None

needs_c = pytest.mark.skipif(_hashes is None, reason="gazetteer._hashes is not built or not used")

_KEYS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _table(keys) -> memoryview:
    """The hashes of ``keys`` as the store reads them: sorted, native, a memoryview."""
    hashes = array("I", sorted({crc32(k.encode("utf-8")) for k in keys}))
    return memoryview(hashes.tobytes()).cast("I")


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(_KEYS, max_size=60), st.lists(_KEYS, max_size=20))
def test_key_in_answers_as_the_python_search(stored, asked):
    table = _table(stored)
    for key in [*stored, *asked]:
        expected = store._py_key_in(table, key)
        assert expected == (key in stored or crc32(key.encode("utf-8")) in table.tolist())
        assert _hashes.key_in(table, key) is expected
        assert _hashes.key_in(array("I", table), key) is expected


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=80), st.lists(st.integers(0, 2**32 - 1),
                                                                  max_size=20))
def test_hash_in_answers_as_the_python_search(values, asked):
    table = array("I", sorted(set(values)))
    for h in [*values, *asked, 0, 2**32 - 1]:
        assert _hashes.hash_in(table, h) is store._hash_in(table, h)


@needs_c
def test_hash_in_on_skewed_and_empty_tables():
    low, high = array("I", range(5000)), array("I", range(2**32 - 5000, 2**32))
    for table in (low, high, array("I"), array("I", [7])):
        for h in (0, 7, 4999, 5000, 2**31, 2**32 - 5001, 2**32 - 5000, 2**32 - 1):
            assert _hashes.hash_in(table, h) is store._hash_in(table, h)
    assert _hashes.hash_in(low, 2**40) is False


@needs_c
def test_bad_arguments_raise_as_python_would():
    table = array("I", [1, 2])
    with pytest.raises(UnicodeEncodeError):
        _hashes.key_in(table, "a\ud800")
    with pytest.raises(UnicodeEncodeError):
        store._py_key_in(table, "a\ud800")
    with pytest.raises(TypeError):
        _hashes.key_in(table, b"bytes")
    with pytest.raises(ValueError):
        _hashes.key_in(b"abc", "x")


def test_the_store_uses_the_c_search_when_it_is_built():
    assert (store._key_in is store._py_key_in) == (_hashes is None)
