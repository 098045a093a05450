"""The :class:`Gazetteer`: read-only access to a built SQLite store.

The store only reads (the tables are :mod:`gazetteer.schema`'s). Whether
the file at a path is usable, and building it when it is not, is the
open-or-build policy of :mod:`gazetteer.opening`, which :meth:`Gazetteer.open`
calls; :func:`check_store` and :func:`diagnose_store` are its, re-exported here.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import os
import sqlite3
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from zlib import crc32

from gazetteer.atomic import read_stamped, write_stamped
from gazetteer.candidate import Candidate
from gazetteer.coordinates import check_point, check_text_option
from gazetteer.distance import EARTH_KM, haversine_km
from gazetteer.errors import DamagedStoreError, GazetteerCorruptError, InvalidQueryError
from gazetteer.features import CODE_HOLDER_CODES, COUNTRY_CODES, sql_list
from gazetteer.names import fold, skeleton_of_key
from gazetteer.opening import check_store, diagnose_store, ensure_store
from gazetteer.place import Place
from gazetteer.schema import KINDS, PROMINENT_MIN_POPULATION, prominent_keys, unpack
from gazetteer.seal import mark_damaged

if TYPE_CHECKING:
    import shapely

__all__ = ["Gazetteer", "check_store", "diagnose_store", "prominent_keys",
           "PROMINENT_MIN_POPULATION"]

_PLACE_COLS = ("p.id, p.name, p.lat, p.lon, p.country_code, p.feature_class, p.feature_code, "
               "p.population, p.geonameid, p.admin1, p.admin2, p.source, p.derived")
# the candidates of one key, packed in one value (gazetteer.schema.pack_entries)
_ENTRIES_SQL = "SELECT entries FROM names WHERE key = ?"
# the place an ISO code names (gazetteer.features), and a country's outline
_COUNTRY_SQL = (f"SELECT {_PLACE_COLS} FROM places p WHERE p.country_code = ? "
                f"AND p.feature_code IN {sql_list(CODE_HOLDER_CODES)} "
                "ORDER BY p.population DESC LIMIT 1")
# The most populous ADM1 (ADM2) of an admin code: max() takes its bare columns
# from the row holding the maximum (the first of the index's order in a tie),
# without the temporary b-tree an ORDER BY population DESC LIMIT 1 sorts in
# (half of the query); the index places_country finds the rows
_ADM1_SQL = (f"SELECT {_PLACE_COLS}, max(p.population) FROM places p "
             "WHERE p.country_code = ? AND p.feature_code = 'ADM1' AND p.admin1 = ?")
_ADM2_SQL = (f"SELECT {_PLACE_COLS}, max(p.population) FROM places p "
             "WHERE p.country_code = ? AND p.feature_code = 'ADM2' AND p.admin1 = ? "
             "AND p.admin2 = ?")
_SHAPES_SQL = ("SELECT p.country_code, s.wkb FROM shapes s JOIN places p ON p.id = s.place_id "
               f"WHERE p.country_code IS NOT NULL AND p.feature_code IN {sql_list(COUNTRY_CODES)} "
               "ORDER BY p.country_code")
_KM_PER_DEG = math.pi * EARTH_KM / 180


def _place(row) -> Place:
    # (_new_place: the same Place as its frozen __init__ makes, in a fifth of the time)
    return _new_place(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                      row[9], row[10], row[11], bool(row[12]))


# Place and Candidate without their frozen __init__, which sets each field
# through object.__setattr__: the store makes one of each per name row it
# reads (in half the time). The fields are set in order from the slots'
# descriptors; tests/gazetteer/test_store.py compares with the __init__.
_new = object.__new__
(_set_id, _set_name, _set_lat, _set_lon, _set_country_code, _set_feature_class,
 _set_feature_code, _set_population, _set_geonameid, _set_admin1, _set_admin2, _set_source,
 _set_derived) = (vars(Place)[f.name].__set__ for f in dataclasses.fields(Place))
_set_place, _set_matched, _set_kind = (
    vars(Candidate)[f.name].__set__ for f in dataclasses.fields(Candidate))


def _py_new_place(id, name, lat, lon, country_code, feature_class, feature_code, population,
                  geonameid, admin1, admin2, source, derived) -> Place:
    """``Place(...)`` with every field given, in order."""
    p = _new(Place)
    _set_id(p, id)
    _set_name(p, name)
    _set_lat(p, lat)
    _set_lon(p, lon)
    _set_country_code(p, country_code)
    _set_feature_class(p, feature_class)
    _set_feature_code(p, feature_code)
    _set_population(p, population)
    _set_geonameid(p, geonameid)
    _set_admin1(p, admin1)
    _set_admin2(p, admin2)
    _set_source(p, source)
    _set_derived(p, derived)
    return p


def _py_new_candidate(place: Place, matched: str, kind: str) -> Candidate:
    """``Candidate(place, matched, kind)``."""
    c = _new(Candidate)
    _set_place(c, place)
    _set_matched(c, matched)
    _set_kind(c, kind)
    return c


def _native_maker(cls: type) -> Callable[..., Any] | None:
    """The C extension gazetteer/_records.c's maker of ``cls`` (the same
    objects as ``_py_new_place``, ``_py_new_candidate``, without a Python call
    a field), or None when it is not built, pure Python is asked for
    (``GEOMAP_PURE_PYTHON``), or the slots are not the fields in order."""
    if getattr(cls, "__slots__", None) != tuple(f.name for f in dataclasses.fields(cls)):
        return None
    try:
        return importlib.import_module("gazetteer._records").maker(cls)
    except (ImportError, TypeError):
        return None


#: ``_py_new_place`` and ``_py_new_candidate``, in C when it is built.
_new_place: Final[Callable[..., Place]] = _native_maker(Place) or _py_new_place
_new_candidate: Final[Callable[[Place, str, str], Candidate]] = (
    _native_maker(Candidate) or _py_new_candidate)


#: How many guesses :func:`_hash_in` makes at most before it bisects what is left.
_GUESSES: Final = 24


def _hash_in(hashes: array | memoryview, h: int) -> bool:
    """Whether the sorted 32-bit ``hashes`` hold ``h``.

    CRC-32s are spread evenly over 0..2**32, so the place of ``h`` between
    two known hashes is guessed from its value (interpolation search): each
    guess narrows the range around it to about the square root of its size,
    a million hashes to a few places in four guesses, where bisection takes
    twenty probes. What is left after :data:`_GUESSES` guesses is bisected,
    so a table that is not spread evenly costs a bisection more, not a scan.

    Examples
    --------
    >>> from array import array
    >>> _hash_in(array("I", [3, 7, 2**31, 2**32 - 1]), 7), _hash_in(array("I", [3, 7]), 5)
    (True, False)
    """
    n = len(hashes)
    if n == 0:
        return False
    lo, hi = 0, n - 1
    a: int = hashes[lo]
    b: int = hashes[hi]
    if h <= a:
        return h == a
    if h >= b:
        return h == b
    # hashes[lo] = a < h < b = hashes[hi]: h can only be between lo and hi
    for _ in range(_GUESSES):
        if hi - lo <= 1:
            return False
        mid = lo + (h - a) * (hi - lo) // (b - a)
        if mid <= lo:
            mid = lo + 1
        elif mid >= hi:
            mid = hi - 1
        v: int = hashes[mid]
        if v == h:
            return True
        if v < h:
            lo, a = mid, v
        else:
            hi, b = mid, v
    i = bisect_left(hashes, h, lo + 1, hi)
    return i < hi and hashes[i] == h


def _py_key_in(hashes: array | memoryview, key: str) -> bool:
    """Whether the sorted ``hashes`` hold the hash of ``key`` (its UTF-8's
    CRC-32, :func:`gazetteer.names.key_hash`).

    Examples
    --------
    >>> from zlib import crc32
    >>> _py_key_in(array("I", sorted([crc32(b"geneva"), 7])), "geneva")
    True
    """
    return _hash_in(hashes, crc32(key.encode("utf-8")))


def _native_key_in() -> Callable[[array | memoryview, str], bool] | None:
    """``key_in`` of the C extension gazetteer/_hashes.c (the same answers,
    without boxing a hash at each probe), or None when it is not built or
    pure Python is asked for (``GEOMAP_PURE_PYTHON``)."""
    try:
        return importlib.import_module("gazetteer._hashes").key_in
    except ImportError:
        return None


#: ``_py_key_in``, in C when it is built.
_key_in: Final = _native_key_in() or _py_key_in


class Gazetteer:
    """Names -> candidate places, ids -> places, over the built SQLite store.

    Open it with :meth:`Gazetteer.open`; the connection is read-only and may
    be shared by threads.

    Examples
    --------
    >>> with Gazetteer.open() as gaz:                       # doctest: +SKIP
    ...     gaz.lookup("Geneva")[0].country_code
    'CH'
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        try:
            # immutable: no file locks or change checks on every query (a fifth
            # of a lookup). A store is never changed in place: build() writes
            # a new file and renames it over the old one, which stays whole
            # for the connections open on it.
            self._con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1",
                                        uri=True, check_same_thread=False)
            self._con.execute("PRAGMA query_only=1")
            self._meta = dict(self._con.execute("SELECT key, value FROM meta"))
            st = os.stat(self.path)
        except (sqlite3.Error, ValueError, TypeError) as e:
            raise DamagedStoreError(
                f"Cannot read the gazetteer store {self.path}: {e}") from e
        except OSError as e:
            raise GazetteerCorruptError(
                f"Cannot read the gazetteer store {self.path}: {e}") from e
        # the file this connection reads: a failed query marks it damaged (not a newer one)
        self._file_id = (st.st_dev, st.st_ino)
        self._lock = threading.Lock()
        self._place_sources = tuple(self._meta.get("place_sources", "").split("\t"))
        self._entries = lru_cache(maxsize=65536)(self._read_entries)
        self._filtered = lru_cache(maxsize=65536)(self._filter)
        self._has_name_cached = lru_cache(maxsize=262144)(self._has_name)
        self._variants = lru_cache(maxsize=65536)(self._read_variants)
        self._hashes: array | memoryview | None = None
        self._skeleton_hashes: array | memoryview | None = None

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, build: bool = True,
             progress: bool = True) -> Gazetteer:
        """Open the store at ``path`` (default: the cache), building it when needed
        (the policy of :func:`gazetteer.opening.ensure_store`).

        Parameters
        ----------
        path : path-like, optional
            The store file; default ``$GEOMAP_CACHE_DIR/gazetteer.sqlite`` or the
            platform cache folder.
        build : bool
            When the file is missing, stale (other source versions or schema),
            truncated or corrupt: rebuild it if True, else raise. A rebuild
            applies again the extra sources (GeoNames dumps, CSVs of places)
            the old store records, when it can be read.
        progress : bool
            Show a progress bar while building.

        Raises
        ------
        GazetteerCorruptError
            The store is unusable and ``build`` is False (or rebuilding did not help).

        Warns
        -----
        GazetteerWarning
            A rebuild leaves out an extra source it cannot make again (named:
            its file is gone, its kind is not registered...).
        """
        return cls(ensure_store(path, build=build, progress=progress))

    # -- names ---------------------------------------------------------------
    def candidates(self, name: str, *, country: str | None = None,
                   feature_class: str | None = None, min_population: int | None = None,
                   limit: int | None = None) -> list[Candidate]:
        """All places having the name ``name`` (folded), most populous first.

        Parameters
        ----------
        name : str
            Any spelling; it is folded with :func:`gazetteer.fold`.
        country : str, optional
            ISO alpha-2 code the place must be in.
        feature_class : str, optional
            GeoNames feature class (``"P"``, ``"A"``, ``"L"``...).
        min_population : int, optional
        limit : int, optional
            At most this many (a negative limit is no limit, as in SQL).

        Returns
        -------
        list of Candidate
            One per place, carrying the best kind of name that matched
            (name > alternate > abbreviation > demonym > historical > metonym);
            ties in population by kind, then by place id.

        Examples
        --------
        >>> [c.place.country_code for c in gaz.candidates("Geneva")][:1]  # doctest: +SKIP
        ['CH']
        """
        key = fold(name)
        if not key:
            return []
        if country is None and feature_class is None and min_population is None:
            found = self._entries(key)
            if limit is not None and int(limit) >= 0:
                return list(found[:int(limit)])
            return list(found)
        return list(self._filtered(
            key, country.upper() if country else None, feature_class, min_population, limit))

    def _filter(self, key, country, feature_class, min_population, limit):
        """The candidates of ``key`` that pass the filters (as SQL would select them)."""
        found = [c for c in self._entries(key)
                 if (country is None or c.place.country_code == country)
                 and (feature_class is None or c.place.feature_class == feature_class)
                 and (min_population is None or c.place.population >= min_population)]
        if limit is not None and int(limit) >= 0:
            del found[int(limit):]
        return tuple(found)

    def _read_entries(self, key: str) -> tuple[Candidate, ...]:
        """All candidates of the folded ``key``, in order: one row of the names
        table, its candidates packed in one value (:func:`gazetteer.schema.unpack`)."""
        row = self._query_one(_ENTRIES_SQL, (key,))
        if row is None:
            return ()
        try:
            found: tuple[Candidate, ...] = unpack(row[0], _new_place, _new_candidate, KINDS,
                                                  self._place_sources)
        except (IndexError, TypeError, ValueError) as e:    # a row no build writes
            raise self._damaged(f"a row of names has values no build writes ({e})") from e
        return found

    def entries(self, key: str) -> tuple[Candidate, ...]:
        """The candidates of the already-folded ``key``: :meth:`candidates`
        without filters, as the immutable tuple the store caches. Each one's
        ``matched`` folds to ``key`` (a names row's key is the fold of its
        spelling); one matched by its place's own name holds the very string
        ``place.name`` (``matched is place.name``), which the resolver relies on
        to know the fold of the place's name without folding it.

        While the key stays cached (the most recent 65,536 keys), every call
        returns the very same tuple, so a caller may tell by identity that
        nothing changed, and nothing is copied.

        Examples
        --------
        >>> gaz.entries("geneva") is gaz.entries("geneva")        # doctest: +SKIP
        True
        """
        return self._entries(key)

    def lookup(self, name: str, **filters) -> list[Place]:
        """The places of :meth:`candidates` (same arguments)."""
        return [c.place for c in self.candidates(name, **filters)]

    def has_name(self, folded: str) -> bool:
        """Whether the already-folded key ``folded`` is a name in the store.

        Examples
        --------
        >>> gaz.has_name("nagorno karabakh")                  # doctest: +SKIP
        True
        """
        return self._has_name_cached(folded)

    def variant_keys(self, folded: str) -> tuple[str, ...]:
        """The keys that share the already-folded ``folded``'s transliteration
        skeleton (:func:`gazetteer.names.skeleton`), ``folded`` itself aside:
        the skeleton when it is a key, then the keys whose skeleton it is.

        A weaker lookup than the key's own, for a name the store does not know
        as written ("el-Fasher" for Al Fashir, "Kharkov" for Kharkiv).

        Examples
        --------
        >>> gaz.variant_keys("dayr az zawr")                  # doctest: +SKIP
        ('deir ez zor',)
        """
        return self._variants(folded)

    def _read_variants(self, folded: str) -> tuple[str, ...]:
        skel = skeleton_of_key(folded)
        out = [skel] if skel != folded and self.has_name(skel) else []
        hashes = self._skeleton_hashes
        if hashes is None:
            hashes = self._skeleton_hashes = self._read_hashes("variant_hashes")
        if hashes:
            if not _key_in(hashes, skel):
                return tuple(out)       # no key has this skeleton: no query
        row = self._query_one("SELECT keys FROM variants WHERE skeleton = ?", (skel,))
        if row is not None:
            keys = row[0]
            if not isinstance(keys, str):
                raise self._damaged("a row of variants is not text")
            out += [k for k in keys.split("\n") if k != folded and k != skel]
        return tuple(out)

    def _has_name(self, folded: str) -> bool:
        hashes = self._hashes
        if hashes is None:
            hashes = self._key_hashes()
        if hashes:
            # most words asked about are no name: the sorted hashes say so without a query
            if not _key_in(hashes, folded):
                return False
        # the key's one row, read (and kept) as its candidates: nearly every
        # name a recogniser finds it looks up next, and unpacking the row
        # costs less than a second query
        return bool(self._entries(folded))

    def _key_hashes(self) -> array | memoryview:
        """The sorted hashes of all keys (4 bytes a key), read on first use.

        Empty when the store has none (then every word is confirmed by a query).
        """
        if self._hashes is None:
            self._hashes = self._read_hashes("key_hashes")
        return self._hashes

    def _read_hashes(self, table: str) -> array | memoryview:
        """The sorted hashes the one-row ``table`` holds (``key_hashes``,
        ``variant_hashes``)."""
        rows = self._query(f"SELECT hashes FROM {table}", ())
        data = rows[0][0] if rows else b""
        if not isinstance(data, bytes):
            raise self._damaged(f"the {table} are not bytes")
        if sys.byteorder == "little" and len(data) % 4 == 0:
            hashes: array | memoryview = memoryview(data).cast("I")  # no copy
        else:
            hashes = array("I", data[:len(data) - len(data) % 4])
            if sys.byteorder == "big":
                hashes.byteswap()
        return hashes

    def prominent_names(self, *, min_population: int = PROMINENT_MIN_POPULATION) -> list[str]:
        """Folded names of countries, first-level divisions, regions and
        continents (with their alternate names), and of places with at least
        ``min_population`` people: the names worth matching despite a typo.

        The list for the default ``min_population`` is computed when the store
        is built; others are computed on first use and kept in a file beside
        the store.

        Examples
        --------
        >>> "nagorno karabakh" in gaz.prominent_names()          # doctest: +SKIP
        True
        """
        rows = self._query("SELECT keys FROM prominent WHERE min_population = ?",
                           (min_population,))
        if rows:
            keys = rows[0][0]
            if not isinstance(keys, str):
                raise self._damaged("the list of prominent names is not text")
            return keys.split("\n") if keys else []
        cache = self._cache_file(f"prominent-{int(min_population)}")
        names = read_stamped(cache, self._stamp())
        if names is not None:
            return names
        with self._lock:
            try:
                names = prominent_keys(self._con, min_population)
            except sqlite3.ProgrammingError:
                raise
            except sqlite3.DatabaseError as e:
                raise self._damaged(str(e)) from e
        write_stamped(cache, self._stamp(), names)
        return names

    def _cache_file(self, what: str) -> Path:
        """A derived-data file beside the store (rebuilt when the store changes)."""
        return self.path.with_name(f"{self.path.name}.{what}.txt")

    def _stamp(self) -> str:
        st = self.path.stat()
        return f"{st.st_size} {st.st_mtime_ns} {self._meta.get('schema', '')}"

    def max_name_tokens(self) -> int:
        """Number of tokens of the longest name (capped at 8)."""
        return int(self._meta.get("max_name_tokens", "8"))

    # -- ids -----------------------------------------------------------------
    def get(self, place_id: int) -> Place | None:
        """The place with our id ``place_id``."""
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places p WHERE p.id = ?", (place_id,))
        return _place(rows[0]) if rows else None

    def by_geonameid(self, geonameid: int) -> Place | None:
        """The place with GeoNames id ``geonameid``."""
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places p WHERE p.geonameid = ? "
                           "ORDER BY p.id LIMIT 1", (geonameid,))
        return _place(rows[0]) if rows else None

    def country(self, code: str) -> Place | None:
        """The country place for an ISO 3166-1 alpha-2 code (``"AM"``)."""
        rows = self._query(_COUNTRY_SQL, (code.upper(),))
        return _place(rows[0]) if rows else None

    def admin(self, country_code: str | None, admin1: str,
              admin2: str | None = None) -> Place | None:
        """The ADM1 (or, with ``admin2``, ADM2) place for GeoNames admin codes."""
        if not country_code:
            return None
        if admin2 is None:
            row = self._query_one(_ADM1_SQL, (country_code.upper(), admin1))
        else:
            row = self._query_one(_ADM2_SQL, (country_code.upper(), admin1, admin2))
        # (an aggregate always gives one row: all NULL when no place matched)
        return _place(row) if row is not None and row[0] is not None else None

    # -- space ---------------------------------------------------------------
    def nearest(self, lat: object, lon: object, *, feature_class: object = "P",
                country: object = None, min_population: object = None) -> Place | None:
        """The place nearest to ``(lat, lon)`` matching the filters (great-circle distance).

        Parameters
        ----------
        lat, lon : float
            Degrees, in [-90, 90] and [-180, 180]. (Typed ``object`` so that
            the compiled store checks them here, not at the call.)
        feature_class : str, optional
            GeoNames feature class (default ``"P"``, populated places).
        country : str, optional
            ISO alpha-2 code the place must be in.
        min_population : int, optional

        Raises
        ------
        InvalidQueryError
            A ``ValueError``: ``lat`` or ``lon`` is not a real number in
            [-90, 90] or [-180, 180] (NaN, None, a string, a bool...), or a
            filter is of the wrong type.

        Examples
        --------
        >>> gaz.nearest(46.2, 6.15).name                      # doctest: +SKIP
        'Geneva'
        >>> gaz.nearest(200, 0)                               # doctest: +SKIP
        Traceback (most recent call last):
        ...
        gazetteer.errors.InvalidQueryError: Expected latitude in [-90, 90], instead got: 200
        """
        y, x = check_point(lat, lon)
        fclass = check_text_option(feature_class, "feature_class")
        code = check_text_option(country, "country")
        least: int | None = None
        if min_population is not None:
            if isinstance(min_population, bool) or not isinstance(min_population, Integral):
                raise InvalidQueryError("Expected min_population as an int or None, "
                                        f"instead got: {min_population!r}")
            least = int(min_population)
        filters, args = [], []
        for clause, value in (("p.feature_class = ?", fclass),
                              ("p.country_code = ?", code and code.upper()),
                              ("p.population >= ?", least)):
            if value is not None:
                filters.append(f"AND {clause}")
                args.append(value)
        where = " ".join(filters)
        for radius in (0.25, 1.0, 4.0, 16.0, 64.0):
            dlon = min(180.0, radius / max(math.cos(math.radians(y)), 1e-6))
            boxes = _lon_ranges(x - dlon, x + dlon)
            rows = []
            for lo, hi in boxes:
                rows += self._query(
                    f"SELECT {_PLACE_COLS} FROM places_rtree r JOIN places p ON p.id = r.id "
                    "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? "
                    f"AND r.min_lon <= ? {where}", (y - radius, y + radius, lo, hi, *args))
            best = _closest(rows, y, x)
            if best and best[0] <= radius * _KM_PER_DEG:
                return _place(best[1])
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places p WHERE 1 {where}", args)
        best = _closest(rows, y, x)
        return _place(best[1]) if best else None

    def shape(self, place_id: int) -> shapely.Geometry | None:
        """The outline of a place (countries have one), or None."""
        rows = self._query("SELECT wkb FROM shapes WHERE place_id = ?", (place_id,))
        if not rows:
            return None
        import shapely

        return shapely.from_wkb(rows[0][0])

    def country_shapes(self) -> Iterator[tuple[str, shapely.Geometry]]:
        """``(country_code, outline)`` for every country with an outline."""
        import shapely

        rows = self._query(_SHAPES_SQL, ())
        for code, wkb in rows:
            yield code, shapely.from_wkb(wkb)

    # -- bookkeeping -----------------------------------------------------------
    def sources(self) -> dict[str, str]:
        """Source name -> version recorded when the store was built."""
        return {k.removeprefix("source:"): v for k, v in self._meta.items()
                if k.startswith("source:")}

    def _query(self, sql: str, args) -> list:
        return self._run(sql, args, False)

    def _query_one(self, sql: str, args) -> Any:
        """The first row of the query (the only one of a primary-key seek), or
        None: :meth:`_query` without stepping past the row (the statement is
        reset when its cursor goes)."""
        return self._run(sql, args, True)

    def _run(self, sql: str, args, one: bool) -> Any:
        """The query's rows (its first row, or None, with ``one``); a database
        error is the store's damage (:meth:`_damaged`)."""
        with self._lock:
            try:
                cursor = self._con.execute(sql, args)
                return cursor.fetchone() if one else cursor.fetchall()
            except sqlite3.ProgrammingError:
                raise                           # our mistake (or a closed store), not damage
            except sqlite3.DatabaseError as e:
                raise self._damaged(str(e)) from e

    def _damaged(self, what: str) -> DamagedStoreError:
        """The error for a query that found the store damaged; the store's
        seal is marked so that the next :meth:`open` rebuilds it."""
        mark_damaged(self.path, self._file_id, f"a query on it failed: {what}")
        return DamagedStoreError(
            f"The gazetteer store {self.path} is damaged: reading it failed ({what}). "
            "Nothing read from it can be trusted; it is rebuilt the next time it is opened "
            "(or now with `geomap gazetteer build`).")

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"


def _lon_ranges(lo: float, hi: float) -> list[tuple[float, float]]:
    """Split a longitude interval at the antimeridian."""
    if hi - lo >= 360:
        return [(-180.0, 180.0)]
    if lo < -180:
        return [(lo + 360, 180.0), (-180.0, hi)]
    if hi > 180:
        return [(lo, 180.0), (-180.0, hi - 360)]
    return [(lo, hi)]


def _closest(rows, lat: float, lon: float):
    best = None
    for r in rows:
        d = haversine_km(lat, lon, r[2], r[3])
        if best is None or d < best[0]:
            best = (d, r)
    return best
