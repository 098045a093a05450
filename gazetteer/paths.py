"""Where the built store lives by default."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_path", "STORE_FILENAME"]

STORE_FILENAME = "gazetteer.sqlite"


def default_path() -> Path:
    """The default store file.

    ``$GEOMAP_CACHE_DIR/gazetteer.sqlite`` when that variable is set, else
    ``gazetteer.sqlite`` in ``platformdirs.user_cache_dir("geomap")``.

    Examples
    --------
    >>> default_path().name
    'gazetteer.sqlite'
    """
    folder = os.environ.get("GEOMAP_CACHE_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("geomap")
    return Path(folder) / STORE_FILENAME
