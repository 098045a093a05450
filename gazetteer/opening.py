"""The open-or-build policy: make sure a usable, current store is at a path.

:class:`gazetteer.store.Gazetteer` only reads a store. Deciding whether the
file at a path can be read -- missing, truncated, unreadable, not marked
complete, damaged since it was sealed (:mod:`gazetteer.seal`), or stale
(another schema or packaged-source version than the installed one) -- and
building it again when it cannot, lives here: :meth:`Gazetteer.open
<gazetteer.Gazetteer.open>` is ``Gazetteer(ensure_store(path))``.

A rebuild applies again the extra sources the old store records
(:func:`gazetteer.sources.registry.recorded_sources`); each one that cannot
be made again is named in a :class:`~gazetteer.errors.GazetteerWarning`.

Layers: this module sits above :mod:`gazetteer.build` (which it calls only
to build) and beside :mod:`gazetteer.store` (which calls it from ``open``);
neither the builder nor the store imports the other.

Examples
--------
>>> diagnose_store("no-such-store.sqlite")
('missing', 'the file does not exist')
>>> ensure_store("no-such-store.sqlite", build=False)   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gazetteer.errors.GazetteerCorruptError: The gazetteer store no-such-store.sqlite cannot ...
"""

from __future__ import annotations

import os
import sqlite3
import sys
import warnings
from pathlib import Path

from gazetteer.errors import DamagedStoreError, GazetteerCorruptError, GazetteerWarning
from gazetteer.paths import default_path
from gazetteer.seal import verify
from gazetteer.sources import registry

__all__ = ["ensure_store", "check_store", "diagnose_store"]


def ensure_store(path: str | os.PathLike | None = None, *, build: bool = True,
                 progress: bool = True) -> Path:
    """The path of a usable, current store at ``path``, built first if needed.

    Parameters
    ----------
    path : path-like, optional
        The store file (default :func:`gazetteer.paths.default_path`).
    build : bool
        When the file is missing, stale, truncated or damaged: rebuild it if
        True (announced on stderr), else raise.
    progress : bool
        Show a progress bar while building.

    Returns
    -------
    Path

    Raises
    ------
    GazetteerCorruptError
        The store cannot be used and ``build`` is False, or the rebuilt
        store is unusable too; :class:`~gazetteer.errors.DamagedStoreError`
        for damage.

    Warns
    -----
    GazetteerWarning
        A rebuild leaves out an extra source the old store records (named:
        its file is gone, its kind is not registered, it had no spec...).
    """
    path = Path(path) if path is not None else default_path()
    found = diagnose_store(path)
    if found is None:
        return path
    kind, problem = found
    if not build:
        error = DamagedStoreError if kind == "damaged" else GazetteerCorruptError
        raise error(f"The gazetteer store {path} cannot be used: {problem}. "
                    f"Rebuild it with `geomap gazetteer build` or Gazetteer.open(build=True).")
    # looked up now, not at import: gazetteer.build is only needed to build
    from gazetteer.build import build as build_store

    # the user's own sources (a GeoNames dump, a CSV, a registered kind) are built in again
    extra, left_out = registry.recorded_sources(path)
    _announce(path, kind, problem, bool(extra))
    for message in left_out:
        warnings.warn(f"Rebuilding the gazetteer store {path}: {message}", GazetteerWarning,
                      stacklevel=3)
    build_store(path, extra_sources=extra, progress=progress)
    found = diagnose_store(path)
    if found is not None:
        error = DamagedStoreError if found[0] == "damaged" else GazetteerCorruptError
        raise error(f"The rebuilt store {path} is unusable: {found[1]}")
    return path


def check_store(path: str | os.PathLike, expected: dict[str, str] | None = None) -> str | None:
    """What is wrong with the store file, or None when it is usable and current.

    ``expected`` are the ``meta`` entries to compare (default:
    :func:`gazetteer.sources.registry.expected_meta` for the packaged
    sources); extra sources recorded in the store are not compared. See
    :func:`diagnose_store`.
    """
    found = diagnose_store(path, expected)
    return None if found is None else found[1]


def diagnose_store(path: str | os.PathLike,
                   expected: dict[str, str] | None = None) -> tuple[str, str] | None:
    """``(kind, what)`` is wrong with the store file, or None when it is usable and current.

    ``kind`` is ``"missing"``, ``"damaged"`` (truncated, unreadable, not
    completed, malformed, or not the file its seal records: see
    :mod:`gazetteer.seal`) or ``"stale"`` (built from other sources or
    schema); ``what`` says it in words, naming no path.

    Examples
    --------
    >>> diagnose_store("no-such-store.sqlite")
    ('missing', 'the file does not exist')
    """
    path = Path(path)
    if not path.exists():
        return "missing", "the file does not exist"
    truncated = _truncated(path)
    if truncated:
        return "damaged", truncated
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            page_count = con.execute("PRAGMA page_count").fetchone()[0]
            page_size = con.execute("PRAGMA page_size").fetchone()[0]
            if path.stat().st_size < page_count * page_size:
                return "damaged", (f"the file is truncated ({path.stat().st_size} bytes, "
                                   f"{page_count * page_size} expected)")
            meta = dict(con.execute("SELECT key, value FROM meta"))
        finally:
            con.close()
    except (sqlite3.Error, ValueError, TypeError) as e:
        return "damaged", f"it is not a readable gazetteer store ({e})"
    if meta.get("complete") != "1":
        return "damaged", "the build did not complete"
    if expected is None:
        expected = registry.expected_meta()
    for key, value in expected.items():
        if meta.get(key) != value:
            return "stale", (f"it is stale: {key} is {meta.get(key)!r}, "
                             f"the installed one is {value!r}")
    # last, as it may read the whole file: is it the file that was built?
    damage = verify(path)
    if damage is not None:
        return "damaged", damage
    return None


def _announce(path: Path, kind: str, problem: str, extra: bool) -> None:
    """Say on stderr, terminal or not, that the store is being (re)built and why."""
    took = "about 30 s, more with your extra sources" if extra else "about 30 s"
    if kind == "missing":
        line = f"geomap: building the gazetteer cache at {path} ({took}, once)"
    else:
        state = "damaged" if kind == "damaged" else "out of date"
        line = f"geomap: the gazetteer cache at {path} is {state} ({problem}); rebuilding ({took})"
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass                       # no stderr (closed, or None under pythonw): build anyway


def _truncated(path: Path) -> str | None:
    """Compare the file size with the size its SQLite header declares."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None            # not SQLite at all: sqlite3 says so below
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[24:28] == header[92:96] and size < pages * page_size:
        return f"the file is truncated ({size} bytes, {pages * page_size} expected)"
    return None
