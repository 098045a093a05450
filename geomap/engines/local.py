"""The ``local`` engine: this process, or a pool of processes on this machine."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator

from geomap.engines import Engine, ordered
from geomap.engines.worker import process_batch, warm_worker

__all__ = ["LocalEngine"]

#: With ``jobs=None`` a pool starts only once the input has more batches than this.
AUTO_POOL_BATCHES = 8


class LocalEngine(Engine):
    """Run batches here (``jobs=1``) or in ``jobs`` worker processes.

    Parameters
    ----------
    jobs : int, optional
        Number of processes; ``None`` (default) uses every core, but only for
        inputs of more than a few batches: short runs stay in this process,
        with no start-up cost.
    """

    name = "local"

    def __init__(self, *, jobs: int | None = None, **kw):
        super().__init__(**kw)
        if jobs is not None and jobs < 1:
            from geomap.errors import ConfigurationError

            raise ConfigurationError(f"Expected jobs >= 1, instead got: {jobs!r}")
        self.jobs = jobs
        self._pool = None
        self._used = 1

    def describe(self) -> str:
        return f"local ({self._used} process{'es' if self._used > 1 else ''})"

    def _here(self, batch):
        return process_batch(self.gazetteer_path, batch, self.keep_unresolved, self.fmt)

    def map_batches(self, batches: Iterable[list]) -> Iterator[list]:
        jobs = self.jobs if self.jobs is not None else (os.cpu_count() or 1)
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
        from concurrent.futures import ProcessPoolExecutor

        self._used = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, initializer=warm_worker,
                                         initargs=(self.gazetteer_path,))
        yield from ordered(
            lambda b: self._pool.submit(process_batch, self.gazetteer_path, b,
                                        self.keep_unresolved, self.fmt),
            batches, window=2 * jobs + 2)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
