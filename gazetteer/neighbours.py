"""Neighbouring countries: which countries border which, from data the store holds.

News from a war names places on both sides of a border: an article that
names Israel speaks of Gaza City, one that names Ukraine of Kursk. The
resolver's ``neighbour`` part (:mod:`geomap.resolve`) reads this table.

Two countries are neighbours when their outlines in the store
(:meth:`gazetteer.Gazetteer.country_shapes`, countryinfo's outlines) come
within :data:`NEAR_DEGREES` of each other, or when countryinfo lists one among
the other's ``borders`` (for the countries without an outline, and borders the
simplified outlines miss, such as Ukraine and Hungary). The table is computed
on first use (about 0.1 s) and kept in a file beside the store
(``<store>.neighbours.txt``, remade when the store changes), so that opening
it later costs well under a millisecond; a process keeps it in memory.

Examples
--------
>>> import shapely
>>> square = lambda x: shapely.box(x, 0, x + 1, 1)
>>> table = adjacent([("AA", square(0)), ("BB", square(1)), ("CC", square(5))])
>>> sorted(table["AA"]), sorted(table["BB"]), "CC" in table
(['BB'], ['AA'], False)
>>> neighbours(object())        # a gazetteer without outlines: no neighbours
{}
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from gazetteer.atomic import read_stamped, write_stamped

__all__ = ["NEAR_DEGREES", "adjacent", "listed_borders", "neighbours"]

#: Outlines this close (degrees, about 5 km) count as touching: the outlines
#: are simplified, so neighbours' edges rarely meet exactly.
NEAR_DEGREES = 0.05

_CODE = re.compile(r"[A-Z]{2}")
_FORMAT = "neighbours 1"
_lock = threading.Lock()
_memo: dict[tuple[str, str], dict[str, frozenset[str]]] = {}


def adjacent(shapes: Iterable[tuple[str, Any]],
             distance: float = NEAR_DEGREES) -> dict[str, frozenset[str]]:
    """The neighbours of each country among ``(code, outline)`` pairs: those
    whose outlines lie within ``distance`` degrees (a country with none is
    left out).

    Examples
    --------
    >>> import shapely
    >>> sorted(adjacent([("AA", shapely.box(0, 0, 1, 1)),
    ...                  ("BB", shapely.box(1.04, 0, 2, 1))])["BB"])
    ['AA']
    """
    import shapely

    pairs = [(code, geom) for code, geom in shapes if geom is not None]
    codes = [code for code, _ in pairs]
    geoms = [geom for _, geom in pairs]
    if not geoms:
        return {}
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=distance)
    out: dict[str, set[str]] = {}
    for i, j in zip(left.tolist(), right.tolist()):
        if codes[i] != codes[j]:
            out.setdefault(codes[i], set()).add(codes[j])
    return {code: frozenset(near) for code, near in out.items()}


def listed_borders() -> dict[str, frozenset[str]]:
    """countryinfo's ``borders`` (ISO 3166-1 alpha-3 lists) as alpha-2 codes,
    both ways; empty when the package is not installed.

    Examples
    --------
    >>> "EG" in listed_borders().get("IL", {"EG"})
    True
    """
    try:
        folder = files("countryinfo") / "data"
        entries = [e for e in folder.iterdir() if e.name.endswith(".json")]
    except (ModuleNotFoundError, OSError):
        return {}
    alpha2: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for entry in entries:
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = data.get("ISO") if isinstance(data, dict) else None
        if not isinstance(iso, dict):
            continue
        a2, a3 = str(iso.get("alpha2") or "").upper(), str(iso.get("alpha3") or "").upper()
        if _CODE.fullmatch(a2) and a3:
            alpha2[a3] = a2
            borders = data.get("borders")
            lists[a2] = [str(b).upper() for b in borders] if isinstance(borders, list) else []
    out: dict[str, set[str]] = {}
    for a2, borders in lists.items():
        for b in borders:
            other = alpha2.get(b)
            if other and other != a2:
                out.setdefault(a2, set()).add(other)
                out.setdefault(other, set()).add(a2)
    return {code: frozenset(near) for code, near in out.items()}


def neighbours(gazetteer: object) -> Mapping[str, frozenset[str]]:
    """Each country's neighbours (ISO 3166-1 alpha-2 codes) for the store
    ``gazetteer``; empty for a gazetteer without country outlines (no
    ``country_shapes`` or no ``path``).

    The same object for the same store file in one process; read from the
    file beside the store when it was made for this store, else computed and
    written there (a read-only folder just means no file).
    """
    shapes = getattr(gazetteer, "country_shapes", None)
    path = getattr(gazetteer, "path", None)
    if shapes is None or not isinstance(path, Path):
        return {}
    try:
        st = os.stat(path)
    except OSError:
        return {}
    stamp = f"{_FORMAT} {st.st_size} {st.st_mtime_ns}"
    memo = (str(path), stamp)
    with _lock:
        table = _memo.get(memo)
        if table is None:
            side = path.with_name(f"{path.name}.neighbours.txt")
            table = _read(side, stamp)
            if table is None:
                table = dict(adjacent(shapes()))
                for code, near in listed_borders().items():
                    table[code] = table.get(code, frozenset()) | near
                _write(side, stamp, table)
            _memo[memo] = table
    return table


def _read(path: Path, stamp: str) -> dict[str, frozenset[str]] | None:
    """The table in ``path`` if its first line is ``stamp`` and every other
    line is country codes ("IL EG JO LB PS SY"); otherwise None."""
    lines = read_stamped(path, stamp)
    if lines is None:
        return None
    out: dict[str, frozenset[str]] = {}
    for line in lines:
        codes = line.split(" ")
        if len(codes) < 2 or not all(_CODE.fullmatch(c) for c in codes):
            return None
        out[codes[0]] = frozenset(codes[1:])
    return out


def _write(path: Path, stamp: str, table: Mapping[str, frozenset[str]]) -> None:
    write_stamped(path, stamp, [" ".join([code, *sorted(table[code])])
                                for code in sorted(table) if table[code]])
