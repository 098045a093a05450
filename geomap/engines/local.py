"""The ``local`` engine: this process, or a pool of processes on this machine.

The pool is a :class:`~geomap.engines.pool.WorkerPool`: its workers end with
this process however it ends, and a worker that dies (the system's
out-of-memory killer) costs no document. Its size is capped by
:func:`cap_jobs`: the CPUs this process may use and the memory available.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator
from typing import Any

from geomap.engines import Engine
from geomap.engines.jobs import check_jobs
from geomap.engines.worker import PieceError, process_batch, warm_worker

__all__ = ["LocalEngine", "check_jobs", "cap_jobs", "usable_cpus", "available_memory",
           "WORKER_BYTES"]

#: With ``jobs=None`` a pool starts only once the input has more batches than this.
AUTO_POOL_BATCHES = 8
#: Memory set aside per worker process. A warm worker holds about 90 MB
#: (resident; part of it shared with the parent after the fork) and peaks
#: near 215 MB on a 50 MB document; 200 MB leaves the system room.
WORKER_BYTES = 200 * 2**20


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where there is one).

    Examples
    --------
    >>> usable_cpus() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory available for new processes, or None when unknown.

    Linux's ``MemAvailable`` (free memory plus the caches it could drop),
    else the free physical pages.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def cap_jobs(jobs: int | None, *, cpus: int | None = None,
             memory: int | None = -1) -> tuple[int, str | None]:
    """The number of workers to start for ``jobs``, and a note when it was capped.

    At most one per usable CPU and one per :data:`WORKER_BYTES` of available
    memory (at least one). ``jobs=None`` means as many as that allows, with no
    note. ``cpus`` and ``memory`` default to this machine's
    (:func:`usable_cpus`, :func:`available_memory`; ``memory=None``: unknown).

    Examples
    --------
    >>> cap_jobs(100_000, cpus=2, memory=8 * 2**30)
    (2, '--jobs 100000 capped to 2 (2 CPUs)')
    >>> cap_jobs(8, cpus=8, memory=500 * 2**20)
    (2, '--jobs 8 capped to 2 (500 MB of memory available, 200 MB set aside per worker)')
    >>> cap_jobs(None, cpus=4, memory=None)
    (4, None)
    """
    check_jobs(jobs)
    cpus = usable_cpus() if cpus is None else cpus
    memory = available_memory() if memory == -1 else memory
    by_memory = max(1, memory // WORKER_BYTES) if memory is not None else None
    limit, why = cpus, f"{cpus} CPU{'s' if cpus != 1 else ''}"
    if memory is not None and by_memory is not None and by_memory < cpus:
        limit = by_memory
        why = (f"{memory // 2**20:,} MB of memory available, "
               f"{WORKER_BYTES // 2**20} MB set aside per worker")
    if jobs is None:
        return limit, None
    if jobs <= limit:
        return jobs, None
    return limit, f"--jobs {jobs} capped to {limit} ({why})"


#: A Document's fields, in order: what a batch's pickle holds of it.
_DOCUMENT_FIELDS = ("id", "text", "source", "date", "url", "path", "encoding")


@functools.cache
def _document_maker():
    """The C maker of a Document from its fields in order
    (``geomap._typos.slot_maker``), or the class itself without the extension."""
    from geomap.reading import Document
    from geomap.speedups import native

    typos = native("geomap._typos")
    return typos.slot_maker(Document, _DOCUMENT_FIELDS) if typos is not None else Document


def _document(*fields):
    """The Document of ``fields`` (:data:`_DOCUMENT_FIELDS`, in order), as a
    pickle of a batch rebuilds it in a worker."""
    return _document_maker()(*fields)


def _reduce_document(doc):
    """How a batch sent to a worker pickles a Document: its fields, in a
    tuple (the dataclass's own pickling reads and sets them through
    :func:`dataclasses.fields`, several times the cost, on both sides of
    the pipe). Its ``source`` is already set, so nothing is derived again."""
    return _document, (doc.id, doc.text, doc.source, doc.date, doc.url, doc.path,
                       doc.encoding)


@functools.cache
def _register_reducer() -> None:
    """Pickle Documents by :func:`_reduce_document` in the pool's pipes (the
    pickler of :mod:`multiprocessing` only; once)."""
    from multiprocessing.reduction import ForkingPickler

    from geomap.reading import Document

    ForkingPickler.register(Document, _reduce_document)


def _lost_piece(piece, reason: str) -> PieceError:
    doc, offset = piece
    return PieceError(doc.id, offset, reason)


class LocalEngine(Engine):
    """Run batches here (``jobs=1``) or in ``jobs`` worker processes.

    Parameters
    ----------
    jobs : int, optional
        Number of processes, capped by :func:`cap_jobs` (with a note);
        ``None`` (default) uses every usable core, but only for inputs of
        more than a few batches: short runs stay in this process, with no
        start-up cost.
    """

    name = "local"

    def __init__(self, *, jobs: int | None = None, **kw):
        super().__init__(**kw)
        check_jobs(jobs)                          # now, before any work
        self.jobs = jobs
        self._pool: Any = None
        self._used = 1

    def describe(self) -> str:
        return f"local ({self._used} process{'es' if self._used > 1 else ''})"

    def _here(self, batch):
        return process_batch(self.spec, batch, self.fmt)

    def _work(self):
        """What a worker does with a batch: :func:`~geomap.engines.worker.process_batch`."""
        return functools.partial(process_batch, self.spec, fmt=self.fmt)

    def map_batches(self, batches: Iterable[list]) -> Iterator[list]:
        jobs, note = cap_jobs(self.jobs)
        if note:
            self.notes.append(note)
        batches = iter(batches)
        if self.jobs is None and jobs > 1:
            head = list(itertools.islice(batches, AUTO_POOL_BATCHES))
            if len(head) < AUTO_POOL_BATCHES:
                jobs = 1
            batches = itertools.chain(head, batches)
        if jobs == 1:
            for b in batches:
                yield self._here(b)
            return
        from geomap.engines.pool import WorkerPool

        self._used = jobs
        _register_reducer()
        self._pool = WorkerPool(jobs, self._work(), lost=_lost_piece,
                                initializer=functools.partial(warm_worker, self.spec))
        try:
            yield from self._pool.map(batches)
        finally:
            self.notes.extend(self._pool.notes)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
