"""Where the built store lives by default, and where downloads for it are kept."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_path", "downloads_dir", "STORE_FILENAME", "STORE_ENV", "CACHE_ENV"]

STORE_FILENAME = "gazetteer.sqlite"
#: Environment variable naming the store file itself (a project's own store).
STORE_ENV = "GEOMAP_GAZETTEER"
#: Environment variable naming the folder of the default store.
CACHE_ENV = "GEOMAP_CACHE_DIR"


def default_path() -> Path:
    """The default store file.

    ``$GEOMAP_GAZETTEER`` when that variable is set (a store file of your
    own: a project can keep one with the countries it follows), else
    ``$GEOMAP_CACHE_DIR/gazetteer.sqlite`` when that variable is set, else
    ``gazetteer.sqlite`` in ``platformdirs.user_cache_dir("geomap")``.

    Examples
    --------
    >>> default_path().name                      # doctest: +SKIP
    'gazetteer.sqlite'
    """
    store = os.environ.get(STORE_ENV)
    if store:
        return Path(store).expanduser()
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("geomap")
    return Path(folder) / STORE_FILENAME


def downloads_dir(store: str | os.PathLike) -> Path:
    """The folder beside ``store`` that keeps the files downloaded for it.

    ``geomap gazetteer add --countries`` saves GeoNames' per-country dumps
    there, so that a rebuild of the store (after an upgrade) builds them in
    again from the same bytes.

    Examples
    --------
    >>> downloads_dir("/data/gazetteer.sqlite").as_posix()
    '/data/gazetteer.sqlite.downloads'
    """
    store = Path(store)
    return store.with_name(store.name + ".downloads")
