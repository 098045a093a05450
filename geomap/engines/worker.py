"""What runs where the work is done: one pipeline per process, loaded once.

:func:`pipeline` keeps a module-level pipeline per gazetteer path, so a
worker process (a pool process or a Dask worker) opens the gazetteer and
builds its indexes once, on its first batch (or at start-up with
:func:`warm`), and reuses them for every later batch.

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

__all__ = ["pipeline", "warm", "warm_worker", "process_batch", "PieceError"]


@dataclass(frozen=True, slots=True)
class PieceError:
    """A piece the pipeline failed on: the run records it and goes on."""

    doc: str
    offset: int
    reason: str

_PIPELINES: dict = {}


def pipeline(gazetteer_path: str | None = None, *, build: bool = True):
    """This process's :class:`~geomap.pipeline.Pipeline` for the store at ``gazetteer_path``.

    ``build=False``: a missing, stale or damaged store raises
    :class:`~gazetteer.errors.GazetteerCorruptError` instead of being rebuilt.
    """
    key = str(gazetteer_path) if gazetteer_path is not None else None
    pipe = _PIPELINES.get(key)
    if isinstance(pipe, Exception):
        raise pipe                       # the store failed when this worker started
    if pipe is None:
        from gazetteer import Gazetteer
        from geomap.pipeline import Pipeline

        pipe = Pipeline(Gazetteer.open(gazetteer_path, build=build, progress=False))
        _PIPELINES[key] = pipe
    return pipe


def warm(gazetteer_path: str | None = None, *, build: bool = True) -> int:
    """Load the pipeline and its lazy indexes now; return this process's id."""
    pipe = pipeline(gazetteer_path, build=build)
    pipe.process("Talks in Geneva, Nagorno-Karbakh and Armenian officials.")
    return os.getpid()


def warm_worker(gazetteer_path: str | None = None) -> int:
    """:func:`warm`, then tune this process's garbage collector for the work.

    For processes that exist only to run batches (the local engine's pool):
    what loading made (gazetteer tables, word frequencies, typo index) is
    moved out of the collector's sight with :func:`gc.freeze`, and young
    collections run less often: the caches the pipeline fills are large and
    hold almost no reference cycles, so frequent scans of them only cost time
    (about 4% of a run).
    """
    import gc

    from gazetteer.errors import GazetteerCorruptError

    try:
        # the parent readied a store it names; with none, this process finds its own
        pid = warm(gazetteer_path, build=gazetteer_path is None)
    except GazetteerCorruptError as e:
        # raised here, it would only show as a worker that died: kept, it is
        # raised by this worker's first batch, whose result the run reads
        _PIPELINES[str(gazetteer_path) if gazetteer_path is not None else None] = e
        return os.getpid()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    return pid


def process_batch(gazetteer_path, pieces, keep_unresolved: bool = False,
                  fmt: str | None = None):
    """Mentions of ``pieces`` (``(Document, offset)`` pairs), one entry per piece.

    With ``fmt`` (``"jsonl"``/``"csv"``) each entry is ``(count, data)``: the
    formatted records as UTF-8 bytes (encoded here, in parallel, and sent on
    as they are written); otherwise the list of :class:`~geomap.mentions.Mention`.
    A piece the pipeline fails on gives a :class:`PieceError` instead,
    except when the gazetteer store is damaged: that
    :class:`~gazetteer.errors.GazetteerCorruptError` is raised, as it
    concerns every document.
    """
    from gazetteer.errors import GazetteerCorruptError

    pipe = pipeline(gazetteer_path)
    out = []
    for doc, offset in pieces:
        try:
            ms = pipe.piece_mentions(doc, offset, keep_unresolved=keep_unresolved)
        except GazetteerCorruptError:
            raise                # not this document's fault: the run stops
        except Exception as e:  # one bad document must not cost the others
            out.append(PieceError(doc.id, offset, f"{type(e).__name__}: {e}"))
            continue
        if fmt is None:
            out.append(ms)
        else:
            from geomap.engines.writer import format_mentions

            out.append((len(ms), format_mentions(ms, fmt, gazetteer=pipe.gazetteer)
                        .encode("utf-8")))
    return out
