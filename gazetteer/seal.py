"""The store's seal: the checksum of the file as it was built, kept beside it.

A store whose pages were overwritten (a disk error, a copy cut short, a
stray write) can still open, answer most queries, and answer some wrongly
(Cambridge, Massachusetts resolved to Cambridge, England because the row
that says so is gone). SQLite only notices when a query happens to read a
broken page. So :func:`gazetteer.build.build` seals each store it writes:
the SHA-256 of the file, with the file's identity (device, inode, size,
modification and change times), in ``<store>.seal.json``.

:func:`verify` on every open costs a ``stat`` and reading the seal, as long
as the file is the one sealed. When its identity differs (the file was
written, copied or replaced since), the checksum is computed again (0.1 s
for the 166 MB store when it is in the page cache) and must match. A store
without a seal (built before seals existed, or copied without it) gets
SQLite's ``PRAGMA quick_check`` once (0.6 s) and is then sealed as found.
A query that fails on a sealed store :func:`marks <mark_damaged>` the seal,
so that the next open rebuilds the store instead of failing again.

Examples
--------
>>> seal_path("/cache/gazetteer.sqlite").name
'gazetteer.sqlite.seal.json'
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from gazetteer.atomic import atomic_write

__all__ = ["Seal", "seal", "verify", "mark_damaged", "read_seal", "seal_path", "identity",
           "digest", "sqlite_check", "SEAL_SUFFIX"]

SEAL_SUFFIX = ".seal.json"
_FORMAT = 1
#: A file last written less than this before it was sealed may have been
#: written again within the same tick of the file system's clock, which its
#: times would not show: its checksum is compared once more on the next open.
RACY_NS = 50_000_000


@dataclass(frozen=True, slots=True)
class Seal:
    """What :func:`seal` recorded about a store file.

    Attributes
    ----------
    sha256 : str
        Hex digest of the whole file ("" when only a damage mark is known).
    identity : tuple of int
        :func:`identity` of the file when it was sealed.
    sealed_ns : int
        When it was sealed (``time.time_ns()``).
    damaged : str or None
        Why the store was found damaged after it was sealed (a failed query).
    """

    sha256: str
    identity: tuple[int, ...]
    sealed_ns: int
    damaged: str | None = None


def seal_path(store: str | os.PathLike) -> Path:
    """The seal file of ``store``."""
    store = Path(store)
    return store.with_name(store.name + SEAL_SUFFIX)


def identity(st: os.stat_result) -> tuple[int, ...]:
    """Device, inode, size, modification and change times (ns) of a ``stat``:
    any write, copy or replacement of the file changes at least one."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def digest(store: str | os.PathLike) -> str:
    """SHA-256 of the file, in hex."""
    with open(store, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def read_seal(store: str | os.PathLike) -> Seal | None:
    """The seal of ``store``, or None when there is none or it cannot be read."""
    try:
        data = json.loads(seal_path(store).read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return None
        damaged = data.get("damaged")
        return Seal(str(data["sha256"]), tuple(int(x) for x in data["identity"]),
                    int(data["sealed_ns"]), None if damaged is None else str(damaged))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write(store: Path, s: Seal) -> bool:
    """Write the seal atomically; False when the folder is read-only."""
    target = seal_path(store)
    data = {"format": _FORMAT, "sha256": s.sha256, "identity": list(s.identity),
            "sealed_ns": s.sealed_ns, "damaged": s.damaged}
    try:
        atomic_write(target, json.dumps(data))
        return True
    except OSError:
        return False


def seal(store: str | os.PathLike) -> Seal:
    """Checksum ``store`` as it is now and record it beside the file.

    The checksum is taken between two ``stat`` calls that must agree (a file
    being written meanwhile is checksummed again). A folder that cannot be
    written to keeps no seal: then every open checks the file.

    Examples
    --------
    >>> seal("gazetteer.sqlite").sha256[:8]                # doctest: +SKIP
    '3f1c9a0e'
    """
    store = Path(store)
    for _ in range(3):
        before = identity(store.stat())
        sha = digest(store)
        after = identity(store.stat())
        if before == after:
            break
    s = Seal(sha, after, time.time_ns())
    _write(store, s)
    return s


def sqlite_check(store: str | os.PathLike) -> str | None:
    """What SQLite's ``quick_check`` finds wrong with the file, or None.

    It reads every page and checks the b-trees' structure (0.6 s for the
    166 MB store), not that the values are those written: that is the
    checksum's part.
    """
    store = Path(store)
    try:
        con = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check(5)").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        return f"SQLite cannot check it ({e})"
    found = [str(r[0]) for r in rows]
    if found == ["ok"]:
        return None
    first = found[0].removeprefix("*** in database main ***\n").split("\n")[0]
    return f"SQLite's check found it malformed ({first})"


def verify(store: str | os.PathLike) -> str | None:
    """Why ``store`` cannot be trusted to be the file it was built as, or None.

    Cheap while the file is the one sealed (a ``stat`` and the seal); else
    the checksum is compared (and the seal renewed for the file's new
    identity when it matches). A store without a seal is checked by SQLite
    once and sealed as found.

    Examples
    --------
    >>> verify("gazetteer.sqlite")                         # doctest: +SKIP
    """
    store = Path(store)
    try:
        st = store.stat()
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    s = read_seal(store)
    if s is None:
        problem = sqlite_check(store)
        if problem is None:
            seal(store)
        return problem
    if s.damaged:
        return s.damaged
    now = identity(st)
    if now == s.identity and s.sealed_ns - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS:
        return None
    try:
        sha = digest(store)
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    if sha != s.sha256:
        return (f"its SHA-256 differs from the one recorded in {seal_path(store).name} "
                "when it was built")
    seal(store)
    return None


def mark_damaged(store: str | os.PathLike, file_id: tuple[int, int], reason: str) -> None:
    """Record in the seal that the store is damaged, so that the next open rebuilds it.

    ``file_id`` is the ``(st_dev, st_ino)`` of the file the failing
    connection had open: when the path now holds another file (already
    rebuilt), nothing is marked.
    """
    store = Path(store)
    try:
        st = store.stat()
    except OSError:
        return
    if (st.st_dev, st.st_ino) != tuple(file_id):
        return
    old = read_seal(store)
    _write(store, Seal(old.sha256 if old else "", identity(st), time.time_ns(), reason))
