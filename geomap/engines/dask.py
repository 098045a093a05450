"""The ``dask`` engine and a Dask entry point (``pip install geomap[dask]``).

:class:`DaskEngine` sends batches of documents to a Dask distributed cluster,
an existing one (``scheduler="tcp://host:8786"``) or a ``LocalCluster`` of
``workers`` processes. :func:`extract` takes a ``dask.dataframe`` (mention
table out, lazily) or a ``dask.bag`` (mention records out).

Each worker loads the gazetteer once: a worker plugin warms the module-level
pipeline of :mod:`geomap.engines.worker` when the worker starts, and every
task reuses it. On a remote cluster each worker opens its own store (its
``GEOMAP_CACHE_DIR`` or default cache, built there when missing).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from geomap.engines import Engine, ordered
from geomap.engines.worker import process_batch, warm
from geomap.errors import MissingExtraError

__all__ = ["DaskEngine", "GazetteerPlugin", "extract"]


def _distributed():
    try:
        import distributed
    except ImportError as e:
        raise MissingExtraError(
            "The dask engine needs dask.distributed: pip install 'geomap[dask]'") from e
    return distributed


class GazetteerPlugin:
    """Worker plugin: load the pipeline (and the gazetteer) once per worker."""

    name = "geomap-gazetteer"

    def __init__(self, gazetteer_path: str | None = None):
        self.gazetteer_path = gazetteer_path

    def setup(self, worker=None):
        warm(self.gazetteer_path)

    def teardown(self, worker=None):
        pass


class DaskEngine(Engine):
    """Run batches on a Dask cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler; without it a ``LocalCluster`` starts.
    workers : int, optional
        Worker processes of the ``LocalCluster`` (default: every core).
    """

    name = "dask"

    def __init__(self, *, scheduler: str | None = None, workers: int | None = None, **kw):
        super().__init__(**kw)
        self.scheduler = scheduler
        self.workers = workers
        self._client = self._cluster = None
        if scheduler is not None:
            # Remote workers open their own store; our path means nothing there.
            self.gazetteer_path = None

    def start(self) -> None:
        import logging

        distributed = _distributed()
        if self.scheduler is not None:
            self._client = distributed.Client(self.scheduler)
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            self._client = distributed.Client(self._cluster)
        self._client.register_plugin(_as_plugin(GazetteerPlugin(self.gazetteer_path)))

    def n_workers(self) -> int:
        return max(1, len(self._client.scheduler_info(n_workers=-1)["workers"])) \
            if self._client is not None else 0

    def describe(self) -> str:
        where = self.scheduler or "LocalCluster"
        return f"dask ({where}, {self.n_workers()} workers)"

    def map_batches(self, batches: Iterable[list]) -> Iterator[list]:
        client = self._client
        return ordered(
            lambda b: client.submit(process_batch, self.gazetteer_path, b,
                                    self.keep_unresolved, self.fmt, pure=False),
            batches, window=2 * self.n_workers() + 2)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _as_plugin(plugin: GazetteerPlugin):
    """Wrap as a ``distributed.WorkerPlugin`` (defined lazily: distributed is optional)."""
    distributed = _distributed()

    class _Plugin(distributed.WorkerPlugin):
        name = plugin.name

        def setup(self, worker):
            plugin.setup(worker)

    return _Plugin()


# -- Python entry point -----------------------------------------------------------

def extract(collection, *, columns=None, keep_unresolved: bool = False,
            gazetteer_path: str | None = None):
    """Find and resolve the place mentions of a Dask collection, lazily.

    Parameters
    ----------
    collection : dask.dataframe.DataFrame or dask.bag.Bag
        A dataframe with a ``text`` column (and optional ``doc``, ``source``,
        ``date``, ``url``; names per ``columns``), or a bag of texts, of
        dicts with those keys, or of :class:`~geomap.documents.Document`.
    columns : geomap.documents.Columns, optional
    keep_unresolved : bool
    gazetteer_path : str, optional
        The store each worker opens (default: the worker's cache).

    Returns
    -------
    dask.dataframe.DataFrame or dask.bag.Bag
        For a dataframe: the mention table (:data:`geomap.mentions.COLUMNS`).
        Documents without a ``doc`` id are named ``doc{index}`` after the
        dataframe index, as :func:`geomap.extract` names them by position.
        For a bag: one mention record (dict) per mention; texts are named
        ``doc0``, ``doc1``... by their position in the bag.
        Duplicate ids are not renamed across partitions.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd                       # doctest: +SKIP
    >>> ddf = dd.from_pandas(pd.DataFrame({"text": ["Talks in Geneva."]}), npartitions=1)
    >>> extract(ddf).compute()[["doc", "text", "country_code"]].values.tolist()  # doctest: +SKIP
    [['doc0', 'Geneva', 'CH']]
    """
    from geomap.documents import Columns

    columns = columns or Columns()
    kind = type(collection).__module__
    if kind.startswith("dask.dataframe") or kind.startswith("dask_expr"):
        from geomap.mentions import to_frame

        return collection.map_partitions(_frame_partition, columns, keep_unresolved,
                                         gazetteer_path, meta=to_frame([]))
    if kind.startswith("dask.bag"):
        return _bag(collection, columns, keep_unresolved, gazetteer_path)
    raise TypeError(f"Expected a dask.dataframe or a dask.bag, instead got: "
                    f"{type(collection).__name__}")


def _frame_partition(df, columns, keep_unresolved, gazetteer_path):
    from geomap.documents import _row_document, _State
    from geomap.mentions import to_frame
    from geomap.report import RunReport

    state = _State(RunReport(), columns)
    names = [columns.text] + [c for c in columns.optional().values() if c in df.columns]
    pipe = _pipeline(gazetteer_path)
    mentions = []
    for label, values in zip(df.index, df[names].itertuples(index=False, name=None), strict=True):
        row = dict(zip(names, values, strict=True))
        doc = _row_document(row, f"doc{label}", state, f"row {label}", None)
        if doc is not None and doc.text.strip():
            mentions += pipe.mentions(doc, keep_unresolved=keep_unresolved)
    return to_frame(mentions)


def _bag(bag, columns, keep_unresolved, gazetteer_path):
    import dask
    import dask.bag as db

    parts = bag.to_delayed()
    counts = dask.compute(*[dask.delayed(len)(p) for p in parts])
    offsets = [sum(counts[:i]) for i in range(len(counts))]
    out = [dask.delayed(_bag_partition)(p, off, columns, keep_unresolved, gazetteer_path)
           for p, off in zip(parts, offsets, strict=True)]
    return db.from_delayed(out)


def _bag_partition(items, offset, columns, keep_unresolved, gazetteer_path):
    from geomap.documents import Document, _row_document, _State
    from geomap.report import RunReport

    state = _State(RunReport(), columns)
    pipe = _pipeline(gazetteer_path)
    records = []
    for i, item in enumerate(items, start=offset):
        if isinstance(item, Document):
            doc = item
        elif isinstance(item, str):
            doc = Document(f"doc{i}", item)
        elif isinstance(item, dict):
            doc = _row_document(item, f"doc{i}", state, f"item {i}", None)
        else:
            continue
        if doc is not None and doc.text.strip():
            records += [m.as_record() for m in pipe.mentions(doc,
                                                              keep_unresolved=keep_unresolved)]
    return records


def _pipeline(gazetteer_path):
    from geomap.engines.worker import pipeline

    return pipeline(gazetteer_path)
