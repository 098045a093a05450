"""Shared fixtures: the real gazetteer store, built once per test session.

``gazetteer_path`` builds the store (about 30 s) into a session temp folder
and points ``GEOMAP_CACHE_DIR`` at it, so CLI subprocesses started by tests
reuse it.  Set ``GEOMAP_TEST_GAZETTEER`` to a current built store to copy it
instead of building.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

# pytest puts tests/ (this file's folder) first on sys.path, where tests/gazetteer
# and tests/geomap would shadow the real packages as namespace packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory):
    from gazetteer.build import build
    from gazetteer.paths import STORE_FILENAME
    from gazetteer.store import check_store

    folder = tmp_path_factory.mktemp("geomap-cache")
    path = folder / STORE_FILENAME
    reuse = os.environ.get("GEOMAP_TEST_GAZETTEER")
    if reuse and check_store(reuse) is None:
        shutil.copyfile(reuse, path)
    else:
        build(path, progress=False)
    old = os.environ.get("GEOMAP_CACHE_DIR")
    os.environ["GEOMAP_CACHE_DIR"] = str(folder)
    yield path
    if old is None:
        os.environ.pop("GEOMAP_CACHE_DIR", None)
    else:
        os.environ["GEOMAP_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def gaz(gazetteer_path):
    from gazetteer.store import Gazetteer

    with Gazetteer.open(gazetteer_path, build=False) as g:
        yield g
