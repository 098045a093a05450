"""Add sources to a built store incrementally, without rebuilding it.

:func:`add_sources` applies a source's records (a GeoNames dump, a CSV of
places) on top of a built store exactly as :func:`gazetteer.build.build`
would apply them after the packaged sources: a place replaces the place
with the same id (and keeps the names it had), alternate names join the
places they refer to, in the store or in the source. Only the rows of the
places touched are written: their ``places``, ``places_rtree`` and
``names`` rows, then the key hashes, the transliteration variants, the
prominent names and the ``meta`` entries (counts, ``place_sources``, the
source's version and its spec in ``extra_sources``, so that a rebuild builds
it in again).

The store is never changed in place (open connections read it as
immutable): the file is copied beside itself, changed, checked by SQLite,
moved over the old one with :func:`os.replace` and sealed again
(:mod:`gazetteer.seal`). Any failure leaves the old store, and its seal, as
they were.

:func:`add_countries` downloads GeoNames' dumps of whole countries
(:mod:`gazetteer.download`) into a folder beside the store and adds them.

Examples
--------
>>> from gazetteer.sources.geonames_dump import GeoNamesDump
>>> add_sources("gazetteer.sqlite", [GeoNamesDump("UA.zip", alternate_names="UA-alt.zip")])
... # doctest: +SKIP
AddResult(path=PosixPath('gazetteer.sqlite'), places=32941, names=150012, ...)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.atomic import atomic_path
from gazetteer.build import (
    _collect,
    _Collector,
    _name_rows,
    _sorted_hashes,
    variant_rows,
    variant_worthy,
)
from gazetteer.candidate import Candidate
from gazetteer.errors import GazetteerBuildError, GazetteerError
from gazetteer.features import CODE_HOLDER_CODES, sql_list
from gazetteer.names import key_hash
from gazetteer.opening import ensure_store
from gazetteer.paths import default_path, downloads_dir
from gazetteer.place import Place
from gazetteer.schema import (
    EXTRA_SOURCES_KEY,
    KIND_RANK,
    KINDS,
    MAX_NAME_TOKENS,
    PLACE_COLUMNS,
    PROMINENT_MIN_POPULATION,
    new_candidate,
    new_place,
    pack_names,
    prominent_keys,
    prominent_of,
    unpack,
)
from gazetteer.seal import seal, sqlite_check
from gazetteer.sources import registry
from gazetteer.sources.base import Ref, Source

if TYPE_CHECKING:
    from gazetteer.download import Download

__all__ = ["AddResult", "add_sources", "add_countries", "add_arguments", "add_from_args"]

_PLACE_COLS = PLACE_COLUMNS
INSERT_OR_REPLACE_NAME = "INSERT OR REPLACE INTO names VALUES (?,?)"
#: the feature codes of the place a ``Ref("country", XX)`` names, as the build's index finds it
_COUNTRY_CODES = sql_list(CODE_HOLDER_CODES)


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :func:`add_sources` (or :func:`add_countries`) did.

    Attributes
    ----------
    path : Path
        The store.
    places : int
        Places written (new, replaced, or given new names).
    names : int
        Name rows written for them.
    seconds : float
        Time taken to read the sources and write the store (downloads excluded).
    downloads : tuple of Download
        The files downloaded, with their SHA-256.
    """

    path: Path
    places: int
    names: int
    seconds: float
    downloads: tuple[Download, ...] = ()


class _StoreCollector(_Collector):
    """The build's collector, whose references also reach the places in the store.

    A place of the store that a record refers to (a name link, a patch) is
    read into :attr:`places`, so that it is written again with its new names.
    """

    def __init__(self, con: sqlite3.Connection) -> None:
        super().__init__()
        self._con = con
        self._missing: set[tuple[str, object]] = set()

    def resolve(self, ref: Ref) -> int | None:
        pid = super().resolve(ref)
        if pid is not None or (ref.by, ref.value) in self._missing:
            return pid
        pid = self._in_store(ref)
        if pid is None:
            self._missing.add((ref.by, ref.value))
            return None
        if pid not in self.places:
            row = self._con.execute(f"SELECT {_PLACE_COLS} FROM places WHERE id = ?",
                                    (pid,)).fetchone()
            self.places[pid] = Place(*row[:12], derived=bool(row[12]))  # type: ignore[misc]
        return pid

    def _in_store(self, ref: Ref) -> int | None:
        """The place of the store ``ref`` names, as the build's index would find it."""
        args: tuple[int | str, ...]
        if ref.by == "id":
            sql, args = "SELECT id FROM places WHERE id = ?", (ref.value,)
        elif ref.by == "geonameid":
            sql = ("SELECT id FROM places WHERE geonameid = ? "
                   "ORDER BY id = geonameid DESC, id DESC LIMIT 1")
            args = (ref.value,)
        elif ref.by == "country":
            sql = (f"SELECT id FROM places WHERE country_code = ? AND feature_code IN "
                   f"{_COUNTRY_CODES} ORDER BY id LIMIT 1")
            args = (ref.value,)
        elif ref.by == "admin":
            parts = str(ref.value).split(".")
            if len(parts) == 2:
                sql = ("SELECT id FROM places WHERE country_code = ? AND admin1 = ? "
                       "AND feature_code = 'ADM1' ORDER BY id DESC LIMIT 1")
            elif len(parts) == 3:
                sql = ("SELECT id FROM places WHERE country_code = ? AND admin1 = ? "
                       "AND admin2 = ? AND feature_code = 'ADM2' ORDER BY id DESC LIMIT 1")
            else:
                return None
            args = tuple(parts)
        else:
            return None
        row = self._con.execute(sql, args).fetchone()
        return None if row is None else row[0]


def add_sources(path: str | os.PathLike | None, sources: Sequence[Source], *,
                progress: bool = False) -> AddResult:
    """Add ``sources`` to the built store at ``path``, without rebuilding it.

    Parameters
    ----------
    path : path-like or None
        The store (default: :func:`gazetteer.paths.default_path`). A store that
        is missing, stale or damaged is first built (announced on stderr).
    sources : sequence of Source
        Applied in order, after what the store holds. Those with a ``spec()``
        are recorded in the store, so that a rebuild builds them in again.
    progress : bool
        Show a progress bar while reading (only when stderr is a terminal).

    Returns
    -------
    AddResult

    Raises
    ------
    GazetteerImportError
        A source's file is unreadable or has a bad row (named); the store is unchanged.
    GazetteerBuildError
        The store could not be written; it is unchanged.

    Examples
    --------
    >>> from gazetteer.sources.user_csv import UserCSV
    >>> add_sources("gazetteer.sqlite", [UserCSV("my_places.csv")]).places  # doctest: +SKIP
    12
    """
    path = ensure_store(path, progress=progress)        # built, current and whole
    t0 = time.perf_counter()
    with _locked(path):
        try:
            with atomic_path(path, suffix=".add.tmp") as tmp:
                shutil.copyfile(path, tmp)
                con = sqlite3.connect(tmp)
                try:
                    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                                      "PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;")
                    collector = _read(con, sources, progress)
                    names = _write(con, collector, sources)
                    con.commit()
                finally:
                    con.close()
                problem = sqlite_check(tmp)
                if problem is not None:
                    raise GazetteerBuildError(f"The gazetteer store written for {path} is "
                                              f"unusable: {problem}")
            seal(path)
        except BaseException as e:
            if isinstance(e, sqlite3.Error | OSError) and not isinstance(e, GazetteerError):
                raise GazetteerBuildError(f"Could not add to the gazetteer store {path}: "
                                          f"{e}") from e
            raise
    return AddResult(path, len(collector.places), names, time.perf_counter() - t0)


def add_countries(countries: Iterable[str], path: str | os.PathLike | None = None, *,
                  base_url: str | None = None, checksums: dict[str, str] | None = None,
                  progress: bool = False, timeout: float = 60.0,
                  log: Callable[[str], None] | None = None) -> AddResult:
    """Download GeoNames' dumps of whole countries and add them to the store.

    Each country ``XX`` is ``<base>/XX.zip`` (its places) and
    ``<base>/alternatenames/XX.zip`` (their alternate names), kept in
    :func:`gazetteer.paths.downloads_dir` beside the store under names that
    carry their SHA-256 (``XX.<sha256[:12]>.zip``), so that a rebuild reads
    the very bytes that were added. Adding a country again replaces what the
    store had from it (same ids), so nothing is doubled.

    Parameters
    ----------
    countries : iterable of str
        ISO 3166-1 alpha-2 codes (``"UA"``, ``"ps"``).
    path : path-like, optional
        The store (default: :func:`gazetteer.paths.default_path`).
    base_url : str, optional
        Where the dumps are (default ``$GEOMAP_GEONAMES_URL``, else GeoNames).
    checksums : dict, optional
        Known SHA-256 by file name below the base (``"UA.zip"``,
        ``"alternatenames/UA.zip"``), e.g. from
        :func:`gazetteer.download.read_checksums`.
    progress : bool
        Progress bars (only when stderr is a terminal).
    timeout : float
        Seconds to wait for the server.
    log : callable, optional
        Called with a line for each file downloaded (URL, size, SHA-256).

    Raises
    ------
    DownloadError
        A file could not be downloaded whole: the message names its URL and
        how to add it by hand; the store is unchanged.

    Examples
    --------
    >>> add_countries(["UA", "PS"]).places                       # doctest: +SKIP
    48211
    """
    from gazetteer.download import Download, by_hand, country_code, country_urls, fetch
    from gazetteer.download import base_url as _base_url
    from gazetteer.sources.geonames_dump import GeoNamesDump

    path = Path(path) if path is not None else default_path()
    codes = list(dict.fromkeys(country_code(c) for c in countries))
    base = _base_url(base_url)
    folder = downloads_dir(path)
    new_files: list[Path] = []
    downloads: list[Download] = []
    sources: list[Source] = []
    try:
        for code in codes:
            got = []
            for url, sub in zip(country_urls(code, base), ("", "alternatenames/"), strict=True):
                d = fetch(url, folder / f"{sub}.{code}.incoming.zip", member=f"{code}.txt",
                          sha256=(checksums or {}).get(f"{sub}{code}.zip"),
                          progress=progress, timeout=timeout, advice=by_hand(code, base))
                final = folder / f"{sub}{code}.{d.sha256[:12]}.zip"
                if not final.exists():
                    new_files.append(final)
                os.replace(d.path, final)
                d = Download(d.url, final, d.sha256, d.size)
                if log is not None:
                    log(f"downloaded {d.url} ({d.size:,} bytes, SHA-256 {d.sha256})")
                got.append(d)
            downloads += got
            sources.append(GeoNamesDump([got[0].path], alternate_names=got[1].path))
        result = add_sources(path, sources, progress=progress)
    except BaseException:
        for f in new_files:         # nothing recorded refers to them
            f.unlink(missing_ok=True)
        raise
    _remove_unrecorded(path, folder)
    return AddResult(result.path, result.places, result.names, result.seconds,
                     tuple(downloads))


# -- reading -------------------------------------------------------------------------

def _read(con: sqlite3.Connection, sources: Sequence[Source],
          progress: bool) -> _StoreCollector:
    collector = _StoreCollector(con)
    _collect(sources, progress, collector)
    return collector


# -- writing -------------------------------------------------------------------------

def _write(con: sqlite3.Connection, c: _StoreCollector, sources: Sequence[Source]) -> int:
    """Write the places ``c`` touched, with all their names; return the name rows written."""
    meta = dict(con.execute("SELECT key, value FROM meta"))
    # (as the store reads them: the packed names index this list, which only grows)
    place_sources = meta.get("place_sources", "").split("\t")
    store_sources = tuple(place_sources)
    place_sources += sorted({p.source for p in c.places.values()} - set(place_sources))
    touched = c.places
    # the names the store has for them come first, as in a build (a tie keeps
    # the first); and the other places of every key they or the new names have
    names: dict[tuple[str, int], tuple[int, str]] = {}
    others: dict[str, list[Candidate]] = {}
    new_keys = {key for key, _ in c.names}
    count = 0
    for key, data in con.execute("SELECT key, entries FROM names"):
        found = unpack(data, new_place, new_candidate, KINDS, store_sources)
        count += len(found)
        mine = [f for f in found if f.place.id in touched]
        if mine or key in new_keys:
            others[key] = [f for f in found if f.place.id not in touched]
            for f in mine:
                names[(key, f.place.id)] = (KIND_RANK[f.kind], f.matched)
    count -= len(names)
    for k, (rank, name) in c.names.items():
        old = names.get(k)
        if old is None or rank < old[0]:
            names[k] = (rank, name)
    con.executemany("DELETE FROM places_rtree WHERE id = ?", ((pid,) for pid in touched))
    con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    ((p.id, p.name, p.lat, p.lon, p.country_code, p.feature_class,
                      p.feature_code, p.population, p.geonameid, p.admin1, p.admin2, p.source,
                      int(p.derived)) for p in c.places.values()))
    con.executemany("INSERT INTO places_rtree VALUES (?,?,?,?,?)",
                    ((p.id, p.lat, p.lat, p.lon, p.lon) for p in c.places.values()))
    con.executemany("INSERT OR REPLACE INTO shapes VALUES (?,?)", c.shapes.items())
    c.names = names
    rows = _name_rows(c)
    for key, cands in others.items():
        rows += [(key, -f.place.population, KIND_RANK[f.kind], f.place.id, f.place,
                  None if f.matched == f.place.name else f.matched) for f in cands]
    rows.sort()         # (key, place id) is unique: the places are never compared
    con.executemany(INSERT_OR_REPLACE_NAME, pack_names(rows, place_sources))
    con.execute("UPDATE key_hashes SET hashes = ?", (_merged_hashes(con, names),))
    _merge_variants(con, {k for k, pid in names if variant_worthy(c.places[pid])})
    tokens = max((len(k.split()) for k, _ in names), default=1)
    updates = {
        "places": str(con.execute("SELECT count(*) FROM places").fetchone()[0]),
        "names": str(count + len(names)),
        "max_name_tokens": str(min(max(tokens, int(meta.get("max_name_tokens", "1"))),
                                   MAX_NAME_TOKENS)),
        "place_sources": "\t".join(place_sources),
        EXTRA_SOURCES_KEY: json.dumps(_recorded_specs(meta.get(EXTRA_SOURCES_KEY), sources)),
    }
    for src in sources:
        updates[f"source:{src.name}"] = src.version()
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", sorted(updates.items()))
    # the prominent names change only among the keys rewritten (all their rows are in rows)
    row = con.execute("SELECT keys FROM prominent WHERE min_population = ?",
                      (PROMINENT_MIN_POPULATION,)).fetchone()
    rewritten = {r[0] for r in rows}
    if row is None:
        prominent = prominent_keys(con, PROMINENT_MIN_POPULATION)
    else:
        prominent = sorted({k for k in row[0].split("\n") if k and k not in rewritten}.union(
            prominent_of(rows, PROMINENT_MIN_POPULATION)))
    con.execute("INSERT OR REPLACE INTO prominent VALUES (?,?)",
                (PROMINENT_MIN_POPULATION, "\n".join(prominent)))
    return len(names)


def _merge_variants(con: sqlite3.Connection, keys: set[str]) -> None:
    """Add the ``variants`` rows of ``keys`` to those the store has (a skeleton's
    keys merged), then write ``variant_hashes`` anew, as a build makes them."""
    for skel, found in variant_rows(keys):
        row = con.execute("SELECT keys FROM variants WHERE skeleton = ?", (skel,)).fetchone()
        merged = set(found.split("\n")) | (set(row[0].split("\n")) if row else set())
        con.execute("INSERT OR REPLACE INTO variants VALUES (?,?)",
                    (skel, "\n".join(sorted(merged))))
    con.execute("DELETE FROM variant_hashes")
    con.execute("INSERT INTO variant_hashes VALUES (?)", (_sorted_hashes(
        skel for (skel,) in con.execute("SELECT skeleton FROM variants")),))


def _merged_hashes(con: sqlite3.Connection, names: dict) -> bytes:
    """The store's sorted key hashes with those of ``names``' keys added."""
    row = con.execute("SELECT hashes FROM key_hashes").fetchone()
    old = array("I")
    if row is not None:
        old.frombytes(row[0][:len(row[0]) - len(row[0]) % 4])
        if sys.byteorder == "big":
            old.byteswap()
    hashes = array("I", sorted(set(old).union(key_hash(k) for k, _ in names)))
    if sys.byteorder == "big":
        hashes.byteswap()
    return hashes.tobytes()


def _recorded_specs(recorded: str | None, sources: Sequence[Source]) -> list[dict]:
    """The ``extra_sources`` list: the recorded specs, less those the new ones
    supersede (the same spec, or an earlier download of the same country), then
    the new ones."""
    try:
        old = json.loads(recorded) if recorded else []
    except ValueError:
        old = []
    new = registry.specs_of(sources)
    kept = [o for o in old if not any(_supersedes(n, o) for n in new)]
    return kept + new


def _supersedes(new: dict, old: dict) -> bool:
    if _without_checksums(new) == _without_checksums(old):
        return True
    a, b = _download_of(new), _download_of(old)
    return a is not None and a == b


def _without_checksums(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if k != "sha256"}


def _download_of(spec: dict) -> tuple[str, str] | None:
    """``(folder, country)`` when the spec is a country added by :func:`add_countries`."""
    files = spec.get("places") or []
    if spec.get("type") != "geonames_dump" or len(files) != 1:
        return None
    f = Path(files[0])
    if not f.parent.name.endswith(".downloads"):
        return None
    return str(f.parent), f.name.split(".")[0]


def _remove_unrecorded(path: Path, folder: Path) -> None:
    """Delete the downloads beside the store that its ``extra_sources`` no longer name."""
    kept, _ = registry.recorded_sources(path)
    used = {f.resolve() for s in kept for f in getattr(s, "files", list)()}
    for sub in (folder, folder / "alternatenames"):
        for f in sub.glob("??.*.zip"):
            if f.resolve() not in used:
                f.unlink(missing_ok=True)


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock beside the store while it is changed (POSIX; a no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# -- command line ----------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``geomap gazetteer add`` to an (sub)parser."""
    from gazetteer.download import BASE_URL_ENV

    parser.add_argument("--countries", metavar="XX,YY", action="append", default=[],
                        help="download GeoNames' full dumps of these countries (ISO 3166-1 "
                             "alpha-2 codes, comma separated; repeatable) and add them")
    parser.add_argument("--geonames-dump", action="append", default=[], metavar="FILE",
                        help="add a GeoNames table you have (XX.zip, allCountries, "
                             "citiesNNN; .txt or .zip; repeatable)")
    parser.add_argument("--alternate-names", metavar="FILE",
                        help="with --geonames-dump: its alternate names "
                             "(alternatenames/XX.zip, alternateNamesV2; .txt or .zip)")
    parser.add_argument("--places-csv", action="append", default=[], metavar="FILE",
                        help="add a CSV of your own places: name,lat,lon[,...] (repeatable)")
    parser.add_argument("--path", "--gazetteer", dest="path", metavar="PATH",
                        help="the store to add to (default: $GEOMAP_GAZETTEER, else the "
                             "cache); built first when missing")
    parser.add_argument("--base-url", metavar="URL",
                        help=f"where the dumps are (default: ${BASE_URL_ENV}, else "
                             "https://download.geonames.org/export/dump/)")
    parser.add_argument("--checksums", metavar="FILE",
                        help="known SHA-256s, sha256sum format (UA.zip, "
                             "alternatenames/UA.zip): a download that differs is refused")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="seconds to wait for the server (default: 60)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_from_args(args: argparse.Namespace,
                  log: Callable[[str], None] | None = None) -> AddResult:
    """Run :func:`add_countries` and :func:`add_sources` with options parsed by
    :func:`add_arguments`. Files given are checked before anything is downloaded."""
    from gazetteer.download import read_checksums
    from gazetteer.errors import GazetteerImportError

    countries = [c for arg in args.countries for c in arg.split(",") if c.strip()]
    files: list[Source] = []
    if args.alternate_names and not args.geonames_dump:
        raise GazetteerImportError("--alternate-names goes with --geonames-dump FILE "
                                   "(the table whose places they name)")
    if args.geonames_dump:
        from gazetteer.sources.geonames_dump import GeoNamesDump

        files.append(GeoNamesDump(args.geonames_dump, alternate_names=args.alternate_names))
    if args.places_csv:
        from gazetteer.sources.user_csv import UserCSV

        files += [UserCSV(p) for p in args.places_csv]
    for src in files:
        for f in getattr(src, "files", list)():
            if not Path(f).is_file():
                raise GazetteerImportError(f"{f}: no such file")
    if not countries and not files:
        raise GazetteerImportError("Nothing to add: give --countries XX,YY, "
                                   "--geonames-dump FILE or --places-csv FILE")
    progress = not args.quiet
    result = None
    if countries:
        sums = read_checksums(args.checksums) if args.checksums else None
        result = add_countries(countries, args.path, base_url=args.base_url, checksums=sums,
                               progress=progress, timeout=args.timeout, log=log)
    if files:
        more = add_sources(args.path, files, progress=progress)
        if result is not None:
            more = AddResult(more.path, result.places + more.places, result.names + more.names,
                             result.seconds + more.seconds, result.downloads)
        result = more
    assert result is not None
    return result
