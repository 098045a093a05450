"""The store's SQL schema, in one place: tables, indexes, version, ``meta`` keys.

:mod:`gazetteer.build` writes a store with it, :mod:`gazetteer.add` changes
one, :mod:`gazetteer.store` reads one; none of them spells a table itself.

The tables (all in one SQLite file):

* ``meta (key, value)`` -- :data:`SCHEMA_VERSION` under ``schema``, each
  source's version under ``source:NAME``, the extra sources' specs under
  :data:`EXTRA_SOURCES_KEY`, counts, ``place_sources`` (the tab-separated
  source names that ``names.source`` indexes) and ``complete = 1``, written last.
* ``places`` -- one row per place (:class:`gazetteer.place.Place`'s fields);
  the reference for lookups by id, GeoNames id, country, admin code, position.
* ``places_rtree`` -- an R*Tree of the places' points, for ``nearest``.
* ``names`` -- one row per folded key: ``entries``, all the candidates of the
  key packed in one blob (:func:`pack_entries`), in the order they are
  returned (population descending, kind, place id), each with its place's
  fields (denormalised), so that a lookup is one seek and one value to
  convert (sqlite3 makes a Python object per column a row, which cost two
  thirds of a lookup when each candidate was a row of sixteen columns).
* ``shapes`` -- outlines (WKB) by place id.
* ``key_hashes``, ``variant_hashes`` -- one row each: the sorted CRC-32s of
  every key and every skeleton (little-endian uint32), a prefilter.
* ``variants`` -- transliteration skeleton -> the keys it is the skeleton of.
* ``prominent`` -- the list :func:`prominent_keys` gives for
  :data:`PROMINENT_MIN_POPULATION`, computed at build time.

Bump :data:`SCHEMA_VERSION` whenever a table changes or the way sources are
read changes: every store built before is then stale and rebuilt on open.

Examples
--------
>>> import sqlite3
>>> con = sqlite3.connect(":memory:")
>>> create_tables(con); create_indexes(con)
>>> sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
...                                  " AND name NOT LIKE 'places_rtree_%'"))[:4]
['key_hashes', 'meta', 'names', 'places']
>>> prominent_keys(con, PROMINENT_MIN_POPULATION)
[]
"""

from __future__ import annotations

import dataclasses
import importlib
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from gazetteer.candidate import Candidate
from gazetteer.place import Place

__all__ = ["SCHEMA_VERSION", "EXTRA_SOURCES_KEY", "MAX_NAME_TOKENS", "KINDS", "KIND_RANK",
           "TABLES", "INDEXES", "PLACE_COLUMNS", "INSERT_PLACE", "INSERT_NAME",
           "PROMINENT_MIN_POPULATION", "PROMINENT_CODES", "create_tables", "create_indexes",
           "prominent_keys", "prominent_of", "pack_entries", "pack_names", "NameRow",
           "unpack_entries", "unpack", "place_sources", "name_rows"]

#: Bump whenever the tables change or the way sources are read changes.
SCHEMA_VERSION = "11"

#: The ``meta`` entry that records the extra sources (JSON list of their specs).
EXTRA_SOURCES_KEY = "extra_sources"

#: The most tokens a name may have (recorded as ``max_name_tokens``).
MAX_NAME_TOKENS = 8

#: Name kinds, best first (``names.kind`` is an index into this): a place
#: matched by several names reports the best.
KINDS = ("name", "alternate", "abbreviation", "demonym", "historical", "metonym")
KIND_RANK = {k: i for i, k in enumerate(KINDS)}

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country_code TEXT, feature_class TEXT NOT NULL, feature_code TEXT NOT NULL,
    population INTEGER NOT NULL, geonameid INTEGER, admin1 TEXT, admin2 TEXT,
    source TEXT NOT NULL, derived INTEGER NOT NULL);
CREATE TABLE names (key TEXT PRIMARY KEY, entries BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
CREATE TABLE key_hashes (hashes BLOB NOT NULL);
CREATE TABLE prominent (min_population INTEGER PRIMARY KEY, keys TEXT NOT NULL);
CREATE TABLE variants (skeleton TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE variant_hashes (hashes BLOB NOT NULL);
CREATE VIRTUAL TABLE places_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
"""

#: Created after the bulk load (faster than keeping them up to date row by row).
INDEXES = """
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX places_country ON places (country_code, feature_code, admin1, admin2);
"""

#: The columns of ``places``, in :class:`gazetteer.place.Place`'s field order.
PLACE_COLUMNS = ("id, name, lat, lon, country_code, feature_class, feature_code, population, "
                 "geonameid, admin1, admin2, source, derived")
INSERT_PLACE = "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
INSERT_NAME = "INSERT INTO names VALUES (?,?)"

#: The ``min_population`` whose :func:`prominent_keys` the store keeps.
PROMINENT_MIN_POPULATION = 100_000

#: Places whose own and alternate names are prominent whatever their
#: population: countries, territories, first-level divisions, regions,
#: continents. (The country codes here are :data:`gazetteer.features.COUNTRY_CODES`
#: less ``PCLIX`` and ``PCL``, which the packaged sources never write; adding
#: them would change the list a store with GeoNames dumps keeps.)
PROMINENT_CODES = ("PCLI", "PCLD", "PCLS", "PCLF", "PCLH", "TERR", "ADM1", "RGN", "CONT")


def create_tables(con: sqlite3.Connection) -> None:
    """Create the tables of an empty store (:data:`TABLES`)."""
    con.executescript(TABLES)


def create_indexes(con: sqlite3.Connection) -> None:
    """Create the indexes (:data:`INDEXES`), once the tables are loaded."""
    con.executescript(INDEXES)


#: A candidate as :func:`pack_names` takes it: ``(key, -population, kind rank,
#: place id, place, matched name or None for the place's own)``, which sorts
#: (by its first four: a key has a place once) in the order candidates are returned.
NameRow = tuple[str, int, int, int, Place, "str | None"]


def prominent_keys(con: sqlite3.Connection, min_population: int) -> list[str]:
    """The keys :meth:`gazetteer.Gazetteer.prominent_names` returns, sorted,
    read from the ``names`` table of ``con``: names (own, or alternate for
    :data:`PROMINENT_CODES`) of places with at least ``min_population``
    people or of a :data:`PROMINENT_CODES` feature (:func:`prominent_of`)."""
    return prominent_of(((key, 0, KIND_RANK[c.kind], 0, c.place, None)
                         for key, c in name_rows(con)), min_population)


def prominent_of(rows: Iterable[NameRow], min_population: int) -> list[str]:
    """:func:`prominent_keys` of the names ``rows`` (:data:`NameRow`).

    Examples
    --------
    >>> p = Place(1, "Ararat", 39.8, 44.7, "AM", "A", "ADM1")
    >>> prominent_of([("ararat", 0, 0, 1, p, None), ("araratian", 0, 3, 1, p, "Araratian")],
    ...              PROMINENT_MIN_POPULATION)
    ['ararat']
    """
    name, alternate = KIND_RANK["name"], KIND_RANK["alternate"]
    codes = frozenset(PROMINENT_CODES)
    return sorted({key for key, _, rank, _, p, _ in rows if rank <= alternate and (
        (rank == name and p.population >= min_population) or p.feature_code in codes)})


# -- the packed candidates of a key --------------------------------------------------
#
# ``names.entries`` is the concatenation of the key's candidates, in order, each:
#   flags        1 byte: kind (index into KINDS) in bits 0-2, then _DERIVED, _NAME,
#                _GEONAMEID, _COUNTRY, _ADMIN1: whether each field below is there
#   id, population                       zigzag varints (LEB128, as protobuf's sint64)
#   geonameid - id                       zigzag varint, if _GEONAMEID
#   lat, lon                             little-endian IEEE 754 doubles
#   place name                           text: varint length, then UTF-8
#   matched name                         text, if _NAME (else it is the place's name)
#   country_code                         text, if _COUNTRY
#   feature_class, feature_code          text
#   admin1                               text, if _ADMIN1
#   source index << 1 | has admin2       varint (source: an index into place_sources)
#   admin2                               text, if there
# gazetteer/_records.c's unpack reads the same, in C.

_DERIVED, _NAME, _GEONAMEID, _COUNTRY, _ADMIN1 = 0x08, 0x10, 0x20, 0x40, 0x80
_DOUBLES = struct.Struct("<dd")
_INT64 = 1 << 63


#: The varints of 0..127: one byte each.
_BYTE = tuple(bytes((i,)) for i in range(128))


def _varint(v: int) -> bytes:
    """``v`` (0 <= v < 2**64) as an unsigned LEB128 varint."""
    if v < 0x80:
        return _BYTE[v]
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def _zigzag(v: int) -> bytes:
    """The signed 64-bit ``v`` as a zigzag varint (an OverflowError outside
    that range, as SQLite's INTEGER)."""
    if not -_INT64 <= v < _INT64:
        raise OverflowError(f"{v} does not fit a 64-bit integer")
    return _varint(v << 1 if v >= 0 else ((-v) << 1) - 1)


def _text(s: str) -> bytes:
    b = s.encode("utf-8")
    n = len(b)
    return (_BYTE[n] if n < 0x80 else _varint(n)) + b


def _place_parts(p: Place, source: int) -> tuple[int, bytes, bytes]:
    """What every packed candidate of ``p`` holds: its flags but the kind and
    ``_NAME``, the fields before the matched name and those after it."""
    if source < 0:
        raise ValueError(f"source index {source} out of range")
    flags = ((_DERIVED if p.derived else 0) | (_GEONAMEID if p.geonameid is not None else 0)
             | (_COUNTRY if p.country_code is not None else 0)
             | (_ADMIN1 if p.admin1 is not None else 0))
    head = _zigzag(p.id) + _zigzag(p.population)
    if p.geonameid is not None:
        head += _zigzag(p.geonameid - p.id)
    head += _DOUBLES.pack(p.lat + 0.0, p.lon + 0.0) + _text(p.name)
    tail = b""
    if p.country_code is not None:
        tail += _text(p.country_code)
    tail += _text(p.feature_class) + _text(p.feature_code)
    if p.admin1 is not None:
        tail += _text(p.admin1)
    tail += _varint(source << 1 | (p.admin2 is not None))
    if p.admin2 is not None:
        tail += _text(p.admin2)
    return flags, head, tail


def pack_entries(rows: Iterable[tuple[int, Place, str | None, int]]) -> bytes:
    """The ``names.entries`` value of a key's candidates ``rows``, in order:
    ``(kind rank, place, matched name or None for the place's own, source
    index)``. :func:`unpack_entries` reads it back; :func:`pack_names` packs
    a whole table's.

    A coordinate of -0.0 is stored as 0.0, as SQLite stores a REAL.

    Examples
    --------
    >>> p = Place(1, "Ararat", 39.8, 44.7, "AM", "A", "ADM1", 0, 1, "01", None, "x")
    >>> [(c.place == p, c.matched, c.kind) for c in unpack_entries(
    ...     pack_entries([(0, p, None, 0), (3, p, "Araratian", 0)]), sources=("x",))]
    [(True, 'Ararat', 'name'), (True, 'Araratian', 'demonym')]
    """
    rows = list(rows)
    index = {id(p): source for _, p, _, source in rows}
    names = [("", -p.population, rank, p.id, p, name) for rank, p, name, _ in rows]
    return b"".join(data for _, data in _pack(names, lambda p: index[id(p)]))


def pack_names(rows: Iterable[NameRow], sources: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """The rows of the ``names`` table, ``(key, entries)``, from the sorted
    candidates ``rows`` (:data:`NameRow`); ``sources`` are the source names
    that ``place_sources`` records (a place's source is packed as its index).

    A place's fields are packed once, however many of its names ``rows`` has.

    Examples
    --------
    >>> p = Place(1, "Ararat", 39.8, 44.7, "AM", "A", "ADM1", 0, 1, "01", None, "x")
    >>> [k for k, _ in pack_names([("ararat", 0, 0, 1, p, None),
    ...                            ("masis", 0, 1, 1, p, "Masis")], ["x"])]
    ['ararat', 'masis']
    """
    code = {s: i for i, s in enumerate(sources)}
    return _pack(rows, lambda p: code[p.source])


def _pack(rows: Iterable[NameRow], source_of: Callable[[Place], int]
          ) -> Iterator[tuple[str, bytes]]:
    """:func:`pack_names`, with ``source_of(place)`` the index of a place's source."""
    memo: dict[int, tuple[Place, int, bytes, bytes]] = {}
    key: str | None = None
    out = bytearray()
    for k, _, rank, _, p, name in rows:
        if k != key:
            if key is not None:
                yield key, bytes(out)
                out.clear()
            key = k
        if not 0 <= rank < 8:
            raise ValueError(f"kind {rank} out of range")
        known = memo.get(id(p))
        if known is None:
            flags, head, tail = _place_parts(p, source_of(p))
            memo[id(p)] = (p, flags, head, tail)       # (p kept: its id stays its own)
        else:
            _, flags, head, tail = known
        if name is None:
            out.append(flags | rank)
            out += head
        else:
            out.append(flags | rank | _NAME)
            out += head
            b = name.encode("utf-8")
            if len(b) < 0x80:
                out.append(len(b))
            else:
                out += _varint(len(b))
            out += b
        out += tail
    if key is not None:
        yield key, bytes(out)


class _Reader:
    """Reads the fields of :func:`pack_entries` from ``data``, checking its end."""

    __slots__ = ("data", "at")

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def varint(self) -> int:
        v, shift = 0, 0
        while True:
            if self.at >= len(self.data):
                raise ValueError("packed names: a number runs past the end")
            b = self.data[self.at]
            self.at += 1
            if shift == 63 and b & 0x7E:
                raise ValueError("packed names: a number is too large")
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v
            shift += 7
            if shift > 63:
                raise ValueError("packed names: a number is too long")

    def int(self) -> int:
        u = self.varint()
        return (u >> 1) ^ -(u & 1)

    def text(self) -> str:
        n = self.varint()
        if n > len(self.data) - self.at:
            raise ValueError("packed names: a text runs past the end")
        s = self.data[self.at:self.at + n].decode("utf-8")
        self.at += n
        return s

    def doubles(self) -> tuple[float, float]:
        if len(self.data) - self.at < 16:
            raise ValueError("packed names: a coordinate runs past the end")
        lat, lon = _DOUBLES.unpack_from(self.data, self.at)
        self.at += 16
        return lat, lon


def unpack_entries(data: bytes, new_place: Callable[..., Any] = Place,
                   new_candidate: Callable[..., Any] = Candidate,
                   kinds: tuple[str, ...] = KINDS,
                   sources: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """The candidates :func:`pack_entries` packed in ``data``, made by
    ``new_place(*fields)`` and ``new_candidate(place, matched, kind)``;
    ``kinds`` and ``sources`` name the kind and source indexes.

    A candidate matched by its place's own name holds the very string of
    ``place.name`` as ``matched``. ``data`` that no :func:`pack_entries`
    writes (cut short, an index out of range, text that is not UTF-8) is a
    ValueError. (gazetteer/_records.c's ``unpack`` is the same, in C.)

    Examples
    --------
    >>> unpack_entries(b"")
    ()
    >>> unpack_entries(bytes([0, 2]))
    Traceback (most recent call last):
    ...
    ValueError: packed names: a number runs past the end
    """
    if not isinstance(data, bytes):
        raise TypeError("unpack_entries: data must be bytes")
    r = _Reader(data)
    out = []
    while r.at < len(data):
        flags = data[r.at]
        r.at += 1
        rank = flags & 0x07
        if rank >= len(kinds):
            raise ValueError("packed names: a kind no build writes")
        pid = r.int()
        population = r.int()
        geonameid = pid + r.int() if flags & _GEONAMEID else None
        lat, lon = r.doubles()
        name = r.text()
        matched = r.text() if flags & _NAME else name
        country = r.text() if flags & _COUNTRY else None
        fclass = r.text()
        fcode = r.text()
        admin1 = r.text() if flags & _ADMIN1 else None
        tail = r.varint()
        admin2 = r.text() if tail & 1 else None
        if tail >> 1 >= len(sources):
            raise ValueError("packed names: a source no build writes")
        place = new_place(pid, name, lat, lon, country, fclass, fcode, population, geonameid,
                          admin1, admin2, sources[tail >> 1], bool(flags & _DERIVED))
        out.append(new_candidate(place, matched, kinds[rank]))
    return tuple(out)


def _native(name: str) -> Any:
    """gazetteer/_records.c's ``name``, or None when it is not built (or pure
    Python is asked for, ``GEOMAP_PURE_PYTHON``)."""
    try:
        return getattr(importlib.import_module("gazetteer._records"), name)
    except (ImportError, AttributeError):
        return None


def _native_maker(cls: type) -> Callable[..., Any]:
    """``cls`` made from its fields in order: gazetteer/_records.c's maker
    when it is built and takes ``cls``, else ``cls`` itself."""
    maker = _native("maker")
    if maker is None or getattr(cls, "__slots__", None) != tuple(
            f.name for f in dataclasses.fields(cls)):
        return cls
    try:
        made: Callable[..., Any] = maker(cls)
    except TypeError:
        return cls
    return made


#: :func:`unpack_entries`, in C when it is built.
unpack: Callable[..., tuple[Any, ...]] = _native("unpack") or unpack_entries
#: ``Place(*fields)`` and ``Candidate(place, matched, kind)`` for :func:`unpack`
#: over a whole table (:func:`name_rows`), in C when it is built.
new_place: Callable[..., Place] = _native_maker(Place)
new_candidate: Callable[..., Candidate] = _native_maker(Candidate)


def place_sources(con: sqlite3.Connection) -> tuple[str, ...]:
    """The source names ``names.entries`` index: the tab-separated
    ``place_sources`` meta entry (one empty name when it is empty)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'place_sources'").fetchone()
    return tuple((row[0] if row else "").split("\t"))


def name_rows(con: sqlite3.Connection) -> Iterator[tuple[str, Candidate]]:
    """Every ``(key, candidate)`` of the ``names`` table of ``con``, by key,
    then in the order the store returns a key's candidates.

    Examples
    --------
    >>> con = sqlite3.connect(":memory:"); create_tables(con)
    >>> list(name_rows(con))
    []
    """
    sources = place_sources(con)
    for key, data in con.execute("SELECT key, entries FROM names ORDER BY key"):
        for c in unpack(data, new_place, new_candidate, KINDS, sources):
            yield key, c
