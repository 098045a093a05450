"""Fixtures shared by the pipeline's test modules (the store's: ``tests/conftest.py``)."""

import pytest

from geomap.recognize import Recognizer


@pytest.fixture(scope="module")
def rec(gaz):
    """A recogniser over the session's store, one per test module."""
    return Recognizer(gaz)
