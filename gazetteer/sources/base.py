"""The one small interface every source implements, and the records it yields.

A source is anything with a ``name``, a ``version()`` and a ``records()``
iterator.  ``records()`` yields three kinds of record, in any order:

* :class:`PlaceRecord` -- a whole place with its names (and maybe an outline);
  a later record with the same id replaces the place and adds its names.
* :class:`NameLink` -- one more name for a place defined elsewhere, found by a
  :class:`Ref` (our id, a GeoNames id, an ISO country code or a GeoNames admin code).
* :class:`PlacePatch` -- new field values (coordinates, outline...) for a place
  defined elsewhere.

The builder (:mod:`gazetteer.build`) applies them in source order. A source
that can be made again from a description of itself also has ``spec()``
(a dict whose ``"type"`` is its kind in :mod:`gazetteer.sources.registry`)
and ``files()`` (the files it reads): a store records its spec, so that a
rebuild builds it in again.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from gazetteer.place import Place
from gazetteer.schema import KIND_RANK, KINDS

__all__ = [
    "KINDS", "KIND_RANK", "Ref", "PlaceRecord", "NameLink", "PlacePatch", "Record",
    "Source", "package_version", "file_sha256",
]


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a place defined by some source.

    Parameters
    ----------
    by : {"id", "geonameid", "country", "admin"}
        What ``value`` is: our place id, a GeoNames id, an ISO 3166-1
        alpha-2 code, or a GeoNames admin code (``"US.CA"``, ``"US.CA.037"``).
    value : int or str

    Examples
    --------
    >>> Ref.parse("country:US")
    Ref(by='country', value='US')
    >>> Ref.parse("geonameid:524901")
    Ref(by='geonameid', value=524901)
    """

    by: str
    value: int | str

    @classmethod
    def parse(cls, text: str) -> Ref:
        """Parse ``"by:value"`` as written in the curated files."""
        by, sep, value = text.strip().partition(":")
        if not sep or by not in ("id", "curated", "geonameid", "country", "admin"):
            raise ValueError(
                f"Expected a reference like 'country:US', 'geonameid:524901', "
                f"'curated:12' or 'admin:US.CA', instead got: {text!r}")
        if by in ("id", "geonameid", "curated"):
            from gazetteer.place import CURATED_ID_BASE
            number = int(value)
            if by == "curated":
                return cls("id", CURATED_ID_BASE + number)
            return cls(by, number)
        return cls(by, value.strip().upper() if by == "country" else value.strip())


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """A place with its names; ``shape`` is WKB bytes of its outline or None."""

    place: Place
    names: tuple[tuple[str, str], ...] = ()
    shape: bytes | None = None


@dataclass(frozen=True, slots=True)
class NameLink:
    """One name of a place defined elsewhere.

    ``required`` links that do not resolve make the build fail (a typo in a
    curated file); others (a dump's alternate names of places not imported)
    are dropped.
    """

    target: Ref
    name: str
    kind: str = "alternate"
    required: bool = False


@dataclass(frozen=True, slots=True)
class PlacePatch:
    """New field values for a place defined elsewhere (``Place`` field names)."""

    target: Ref
    changes: Mapping[str, object] = field(default_factory=dict)
    shape: bytes | None = None


Record = PlaceRecord | NameLink | PlacePatch


@runtime_checkable
class Source(Protocol):
    """What the builder needs from a source."""

    name: str

    def version(self) -> str:
        """A string that changes whenever the data changes (recorded in the store)."""

    def records(self) -> Iterator[Record]:
        """Yield the source's records."""


def package_version(dist: str) -> str:
    """The installed version of a distribution, ``"missing"`` when absent.

    The same answer as :func:`importlib.metadata.version`, which
    :meth:`gazetteer.Gazetteer.open` asks for every packaged source; importing
    :mod:`importlib.metadata` costs a fresh process about 20 ms, so the plain
    case (one ``.dist-info`` folder in the first ``sys.path`` folder that has
    the distribution) is read directly and anything else is left to it.
    """
    version = _dist_info_version(dist)
    if version is not None:
        return version
    import importlib.metadata

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _normal_name(name: str) -> str:
    """A distribution name as :mod:`importlib.metadata` compares them."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _dist_info_version(dist: str) -> str | None:
    """``Version`` of ``dist``'s metadata folder found as importlib.metadata finds it,
    or None when the case is not the plain one (then importlib.metadata decides)."""
    wanted = _normal_name(dist)
    for entry in sys.path:
        if not isinstance(entry, str):
            return None
        try:
            children = os.listdir(entry or ".")
        except (FileNotFoundError, NotADirectoryError):
            if os.path.isfile(entry):
                return None             # a zip archive: importlib.metadata looks inside
            continue                    # e.g. a path hook's name, a missing folder
        except OSError:
            return None
        found = [c for c in children if c.lower().endswith((".dist-info", ".egg-info"))
                 and _normal_name(c.lower().rpartition(".")[0].partition("-")[0]) == wanted]
        if not found:
            continue
        if len(found) != 1 or not found[0].lower().endswith(".dist-info"):
            return None
        try:
            with open(os.path.join(entry or ".", found[0], "METADATA"),
                      encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        break               # the end of the headers
                    if line.startswith("Version:"):
                        return line[len("Version:"):].strip() or None
        except (OSError, UnicodeDecodeError):
            pass
        return None
    return None


def file_sha256(*paths: str | Path) -> str:
    """sha256 over the bytes of the files, in order (first 16 hex digits)."""
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:16]
