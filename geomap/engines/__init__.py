"""Engines: where the pipeline runs. One interface, several backends.

``local``
    This process, or a pool of ``jobs`` processes on this machine
    (:class:`~geomap.engines.local.LocalEngine`).
``dask``
    A Dask distributed cluster: an existing scheduler or a ``LocalCluster``
    (:class:`~geomap.engines.dask.DaskEngine`, ``pip install geomap[dask]``).

Every engine takes batches of document pieces and returns, in input order,
what the worker-side :func:`geomap.engines.worker.process_batch` made of
them, so results do not depend on the engine. :func:`run` streams documents
through an engine: memory stays flat whatever the number of documents.

While :func:`run` streams in the main thread, ``SIGTERM`` raises
:class:`Terminated` (a :class:`KeyboardInterrupt`, as Ctrl-C does) unless the
program handles ``SIGTERM`` itself: the run unwinds, the workers are ended and
the output's temp file is removed, where the default action would end the
process on the spot.
"""

from __future__ import annotations

import contextlib
import importlib
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from geomap.engines.worker import PieceError
from geomap.errors import ConfigurationError

__all__ = ["ENGINES", "Engine", "Terminated", "get_engine", "run", "batches", "ordered",
           "merge_reports", "pieces_note", "failed"]

#: Engine name -> ``module:class``.
ENGINES = {"local": "geomap.engines.local:LocalEngine", "dask": "geomap.engines.dask:DaskEngine"}
#: A batch holds at most this many characters of text, or this many pieces.
BATCH_CHARS = 64_000
BATCH_PIECES = 64


class Engine:
    """Shared machinery of the engines.

    Subclasses implement :meth:`start`, :meth:`close` and :meth:`map_batches`.
    Use an engine as a context manager.

    Parameters
    ----------
    spec : geomap.pipeline.PipelineSpec, optional
        The pipeline the workers build (default: geomap's on ``gazetteer_path``).
    gazetteer_path, keep_unresolved
        Shorthands for a default spec on that store, and its config's
        ``keep_unresolved``.
    fmt : str, optional
        ``"jsonl"``/``"csv"``: workers return formatted records.
    """

    name = "base"
    #: Whether the engine reads path inputs itself (:meth:`map_inputs`).
    reads_paths = False

    def __init__(self, *, spec=None, gazetteer_path=None, keep_unresolved: bool | None = None,
                 fmt: str | None = None):
        from geomap.engines.worker import as_spec

        spec = as_spec(spec if spec is not None else gazetteer_path)
        if keep_unresolved is not None:
            spec = spec.with_(keep_unresolved=keep_unresolved)
        #: The :class:`~geomap.pipeline.PipelineSpec` every worker builds its pipeline from.
        self.spec = spec
        self.fmt = fmt
        #: What the run report should tell (a capped ``jobs``, a lost worker).
        self.notes: list[str] = []

    def start(self) -> None:
        """Acquire processes or connections."""

    def close(self) -> None:
        """Release them."""

    def map_batches(self, batches: Iterable[list]) -> Iterator[list]:
        """One result list per batch, in order."""
        raise NotImplementedError

    def takes(self, inputs) -> bool:
        """Whether :meth:`map_inputs` reads ``inputs`` (an engine that ``reads_paths``)."""
        return False

    def map_inputs(self, inputs, *, columns, max_bytes: int) -> Iterator:
        """``(report, count, data)`` per part of ``inputs``, in order: what reading
        and processing the part recorded (a :class:`~geomap.report.RunReport`),
        and its mention count and records (``(count, data)`` as
        :meth:`map_batches` gives them, formatted or not)."""
        raise NotImplementedError

    @property
    def gazetteer_path(self) -> str | None:
        return self.spec.gazetteer_path

    def describe(self) -> str:
        return self.name

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Terminated(KeyboardInterrupt):
    """``SIGTERM`` arrived during :func:`run`: it unwinds as Ctrl-C does.

    ``signum`` is the signal's number (exit status ``128 + signum`` by the
    shell's convention).
    """

    signum = int(signal.SIGTERM)


def _raise_terminated(signum, frame):
    raise Terminated(f"terminated by signal {signum}")


@contextlib.contextmanager
def _terminate_as_interrupt():
    """Turn ``SIGTERM`` into :class:`Terminated` here, when we may (main thread,
    the default action in place), and restore the action after."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def get_engine(name: str, **options) -> Engine:
    """An engine by name (see :data:`ENGINES`)."""
    try:
        target = ENGINES[name]
    except KeyError:
        raise ConfigurationError(
            f"Unknown engine {name!r}; valid engines: {', '.join(sorted(ENGINES))}") from None
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)(**options)


def batches(pieces: Iterable, max_chars: int = BATCH_CHARS,
            max_pieces: int = BATCH_PIECES) -> Iterator[list]:
    """Group ``(Document, offset)`` pieces into batches of bounded size."""
    batch, size = [], 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece[0].text)
        if size >= max_chars or len(batch) >= max_pieces:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def ordered(submit: Callable, items: Iterable, window: int) -> Iterator:
    """``submit(item).result()`` for each item, in order, with at most
    ``window`` submitted and not yet collected (a bounded read-ahead)."""
    pending: deque = deque()
    try:
        for item in items:
            pending.append(submit(item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def run(inputs, *, engine: str | Engine = "local", fmt: str | None = None, report=None,
        columns=None, keep_unresolved: bool = False, progress: bool = False,
        gazetteer_path=None, chunk_chars: int | None = None, max_bytes: int | None = None,
        spec=None, **options) -> Iterator:
    """Stream the documents of ``inputs`` through an engine.

    Yields, per document piece and in input order, the list of
    :class:`~geomap.mentions.Mention` (``fmt=None``) or ``(count, data)``, the
    formatted records as UTF-8 bytes (``fmt="jsonl"``/``"csv"``). ``report`` receives
    the processed and skipped documents and the mention count. ``max_bytes`` is
    the size limit of a document file (default ``geomap.documents.MAX_BYTES``).
    ``options`` go to the engine (``jobs``; ``scheduler``, ``workers``).

    ``spec`` (a :class:`~geomap.pipeline.PipelineSpec`) is the pipeline the
    workers build; without it, geomap's own on ``gazetteer_path`` with
    ``keep_unresolved`` and ``chunk_chars``. An :class:`Engine` given as
    ``engine`` brings its own spec.

    An engine that reads its inputs itself (``reads_paths``: the dask engine,
    whose workers read the files of a shared file system) is given the
    inputs; the others are given the documents read here, in pieces.
    """
    from geomap.documents import MAX_BYTES, read_documents
    from geomap.engines.worker import as_spec
    from geomap.pipeline import split_document
    from geomap.report import RunReport

    report = report if report is not None else RunReport()
    t0 = time.perf_counter()
    if engine == "local":
        from geomap.engines.jobs import check_jobs

        check_jobs(options.get("jobs"))
    if isinstance(engine, Engine):
        eng = engine
        spec = eng.spec
    else:
        spec = as_spec(spec if spec is not None else gazetteer_path)
        changes: dict[str, object] = {"keep_unresolved": True} if keep_unresolved else {}
        if chunk_chars:
            changes["chunk_chars"] = chunk_chars
        spec = spec.with_(**changes)
    spec = spec.with_(gazetteer_path=_ready_store(spec.gazetteer_path))
    if isinstance(engine, Engine):
        eng.spec = spec
    else:
        eng = get_engine(engine, spec=spec, fmt=fmt, **options)
    size = spec.config.chunk_chars
    max_bytes = max_bytes or MAX_BYTES
    if eng.reads_paths and eng.takes(inputs):
        yield from _run_reading(eng, inputs, report, columns, max_bytes, fmt, t0)
        return
    docs = read_documents(inputs, report, columns=columns, max_bytes=max_bytes)
    if progress:
        from tqdm import tqdm

        docs = tqdm(docs, unit="doc", desc="geoparsing", leave=False, smoothing=0.1)

    def pieces():
        for doc in docs:
            n = 0
            for piece in split_document(doc, size):
                n += 1
                yield piece
            if n > 1:
                pieces_note(report, doc, n, size)

    with _accounted(eng, report, t0):
        for results in eng.map_batches(batches(pieces())):
            for r in results:
                if isinstance(r, PieceError):
                    failed(report, r)
                    continue
                report.mentions += r[0] if fmt is not None else len(r)
                yield r


def _run_reading(eng: Engine, inputs, report, columns, max_bytes: int, fmt, t0: float):
    """:func:`run` with an engine that reads ``inputs`` itself: each part's report
    is merged into ``report`` in input order, as its records are yielded."""
    with _accounted(eng, report, t0):
        for part, results in eng.map_inputs(inputs, columns=columns, max_bytes=max_bytes):
            merge_reports(report, part)
            for r in results:
                report.mentions += r[0] if fmt is not None else len(r)
                yield r


@contextlib.contextmanager
def _accounted(eng: Engine, report, t0: float):
    """Run the block with ``eng`` started (SIGTERM as an interrupt), then record in
    ``report`` the engine, its notes and the time taken, however the block ends."""
    try:
        with _terminate_as_interrupt(), eng:
            try:
                yield
            finally:
                report.engine = eng.describe()
                for note in eng.notes:
                    report.note(note)
    finally:
        report.seconds = time.perf_counter() - t0


def pieces_note(report, doc, n: int, size: int) -> None:
    """Note in ``report`` that ``doc`` was processed in ``n`` pieces of ``size``."""
    report.note(f"{doc.path or doc.id}: {len(doc.text):,} characters, "
                f"processed in {n} pieces of at most {size:,}")


def merge_reports(report, part) -> None:
    """Add what ``part`` (a :class:`~geomap.report.RunReport` of part of a run)
    recorded to ``report``, after what it holds (the mention count aside)."""
    report.processed += part.processed
    report.skipped += part.skipped
    report.ignored += part.ignored
    report.notes += part.notes


def failed(report, err) -> None:
    """Move a document the pipeline failed on from processed to skipped."""
    if err.doc in report.processed:
        report.processed.remove(err.doc)
    where = f" (the piece at offset {err.offset}; earlier pieces were written)" \
        if err.offset else ""
    report.skip(err.doc, f"processing failed{where}: {err.reason}")


def _ready_store(path=None) -> str:
    """Check the gazetteer store once, here, before any worker opens it.

    A store that is missing, stale or damaged is rebuilt (announced on
    stderr) here, in the parent, so no worker ever sees damage.
    """
    from gazetteer import Gazetteer
    from gazetteer.paths import default_path
    from gazetteer.store import check_store

    path = default_path() if path is None else path
    if check_store(path) is not None:
        Gazetteer.open(path).close()
    return str(path)
