"""What runs where the work is done: one pipeline per process and spec, built once.

:func:`pipeline` keeps a module-level pipeline per
:class:`~geomap.pipeline.PipelineSpec`, so a worker process (a pool process
or a Dask worker) opens the gazetteer and builds its components once, on its
first batch (or at start-up with :func:`warm`), and reuses them for every
later batch. The spec is what travels to the workers: its recogniser and
resolver are named by reference, so a user's own components are built there
as geomap's are.

A pool process never builds the store it is given: the parent made it
ready (checked, and rebuilt when damaged or stale) before starting the
pool, and several workers rebuilding one file at once would only race. A
store found damaged in a worker raises
:class:`~gazetteer.errors.DamagedStoreError`, which ends the run: nothing
read from a damaged store is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["pipeline", "warm", "warm_worker", "tune_collector", "process_batch",
           "process_pieces", "as_spec", "PieceError"]


@dataclass(frozen=True, slots=True)
class PieceError:
    """A piece the pipeline failed on: the run records it and goes on."""

    doc: str
    offset: int
    reason: str


_PIPELINES: dict = {}


def as_spec(spec=None):
    """``spec`` as a :class:`~geomap.pipeline.PipelineSpec`: a spec is kept, a
    gazetteer path (or ``None``) makes the default spec on that store."""
    from geomap.pipeline import PipelineSpec

    if isinstance(spec, PipelineSpec):
        return spec
    return PipelineSpec(gazetteer_path=None if spec is None else str(spec))


def _key(spec) -> object:
    """The cache key of ``spec``: itself when hashable (options may hold
    unhashable values, then its pickle), whether it may build its store aside
    (once open, a store is the same store)."""
    from dataclasses import replace

    spec = replace(spec, build_store=True)
    try:
        hash(spec)
        return spec
    except TypeError:
        import pickle  # (rare: imported here, not at every start-up)

        return pickle.dumps(spec)


def pipeline(spec=None, *, build: bool | None = None):
    """This process's :class:`~geomap.pipeline.Pipeline` for ``spec`` (a
    :class:`~geomap.pipeline.PipelineSpec`, or a gazetteer path for the default one).

    ``build=False`` (or a spec with ``build_store=False``): a missing, stale
    or damaged store raises :class:`~gazetteer.errors.GazetteerCorruptError`
    instead of being rebuilt.
    """
    spec = as_spec(spec)
    if build is not None and build != spec.build_store:
        from dataclasses import replace

        spec = replace(spec, build_store=build)
    key = _key(spec)
    pipe = _PIPELINES.get(key)
    if isinstance(pipe, Exception):
        raise pipe                       # the store failed when this worker started
    if pipe is None:
        pipe = spec.build()
        _PIPELINES[key] = pipe
    return pipe


def warm(spec=None, *, build: bool | None = None) -> int:
    """Load the pipeline and its lazy indexes now; return this process's id."""
    pipe = pipeline(spec, build=build)
    pipe.process("Talks in Geneva, Nagorno-Karbakh and Armenian officials.")
    return os.getpid()


def tune_collector() -> None:
    """Move what is loaded out of the garbage collector's sight and make young
    collections rarer: the caches the pipeline fills are large and hold
    almost no reference cycles, so frequent scans of them only cost time
    (about 4% of a run)."""
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


def warm_worker(spec=None) -> int:
    """:func:`warm`, then :func:`tune_collector`, for a process that exists only
    to run batches (the local engine's pool, a Dask worker).

    The store is not built here when the spec names one (the parent readied
    it); with none, this process finds its own. A store found damaged is kept
    and raised by this worker's first batch, whose result the run reads.
    """
    from gazetteer.errors import GazetteerCorruptError

    spec = as_spec(spec)
    build = spec.gazetteer_path is None
    try:
        pid = warm(spec, build=build)
    except GazetteerCorruptError as e:
        # raised here, it would only show as a worker that died: kept, it is
        # raised by this worker's first batch, whose result the run reads
        _PIPELINES[_key(spec)] = e
        return os.getpid()
    tune_collector()
    return pid


def process_pieces(pipe, pieces, fmt: str | None = None):
    """Mentions of ``pieces`` (``(Document, offset)`` pairs) by ``pipe``, one
    entry per piece (see :func:`process_batch`)."""
    from gazetteer.errors import GazetteerCorruptError

    out: list = []
    append = out.append
    mentions = pipe.piece_mentions
    if fmt is not None:
        from geomap.engines.writer import format_mentions

        gazetteer = pipe.gazetteer
    for doc, offset in pieces:
        try:
            ms = mentions(doc, offset)
        except GazetteerCorruptError:
            raise                # not this document's fault: the run stops
        except Exception as e:  # one bad document must not cost the others
            append(PieceError(doc.id, offset, f"{type(e).__name__}: {e}"))
            continue
        if fmt is None:
            append(ms)
        else:
            append((len(ms), format_mentions(ms, fmt, gazetteer=gazetteer).encode("utf-8")))
    return out


def process_batch(spec, pieces, fmt: str | None = None):
    """Mentions of ``pieces`` (``(Document, offset)`` pairs), one entry per piece,
    by this process's pipeline for ``spec`` (see :func:`pipeline`).

    With ``fmt`` (``"jsonl"``/``"csv"``) each entry is ``(count, data)``: the
    formatted records as UTF-8 bytes (encoded here, in parallel, and sent on
    as they are written); otherwise the list of :class:`~geomap.mentions.Mention`.
    A piece the pipeline fails on gives a :class:`PieceError` instead,
    except when the gazetteer store is damaged: that
    :class:`~gazetteer.errors.GazetteerCorruptError` is raised, as it
    concerns every document.
    """
    return process_pieces(pipeline(spec), pieces, fmt)
