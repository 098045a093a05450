"""The ``dask`` engine and a Dask entry point (``pip install geomap[dask]``).

:class:`DaskEngine` runs the pipeline on a Dask distributed cluster, an
existing one (``scheduler="tcp://host:8786"``) or a ``LocalCluster`` of
``workers`` processes. It is built for a cluster on a shared file system:

* **Paths travel, not texts.** The client lists the inputs (folders, files)
  and cuts the list into partitions (:data:`PARTS_PER_WORKER` per worker) of
  files; each worker reads its partition's files itself
  (:func:`process_files`), with the reading rules of
  :func:`geomap.documents.read_documents` (size limit, decoding, HTML,
  tables, ``sources.csv``).
* **The gazetteer is opened once per worker.** A worker plugin builds the
  worker's pipeline from the run's :class:`~geomap.pipeline.PipelineSpec`
  when the worker starts (:func:`geomap.engines.worker.warm_worker`), and
  every task reuses it; a recogniser of your own named in the spec is
  built there too.
* **Workers write the records.** Each partition's formatted records go to a
  part file in ``parts_dir`` (a temporary folder for a ``LocalCluster``;
  on a remote cluster give a folder of the shared file system, else the
  records come back with the task's result); the client concatenates the
  part files in input order, so the output is the one process's, byte for
  byte.
* **Every document is accounted for.** Each partition returns the report of
  what its worker read, skipped and noted; the client merges them in input
  order after the listing's own entries. Document ids are made unique across
  partitions as one process would: a partition whose ids meet an earlier
  partition's is done again knowing them (rare: file names in a folder are
  unique).

Inputs that are not paths (texts, a DataFrame, standard input) are read by
the client and sent in batches of pieces, as the local engine does.
:func:`extract` takes a ``dask.dataframe`` (mention table out, lazily) or a
``dask.bag`` (mention records out).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from geomap.engines import Engine, failed, ordered, pieces_note
from geomap.engines.worker import PieceError, pipeline, process_batch, process_pieces, warm_worker
from geomap.errors import MissingExtraError

__all__ = ["DaskEngine", "GazetteerPlugin", "PartResult", "process_files", "extract",
           "local_cluster", "PARTITION_BYTES", "PARTITION_FILES", "WORKER_CONFIG"]

#: A partition holds files of at least this many bytes in all (unless the input
#: is smaller), at most :data:`MAX_PARTITION_BYTES` or :data:`PARTITION_FILES`
#: files; between the two, :data:`PARTS_PER_WORKER` partitions per worker: few
#: enough that a task's cost (a round trip to the scheduler, ~20 ms on a busy
#: machine) is small beside its work, enough that the workers end together.
PARTITION_BYTES = 256 * 1024
MAX_PARTITION_BYTES = 16 * 2**20
PARTITION_FILES = 4096
PARTS_PER_WORKER = 8


def _distributed():
    try:
        import distributed
    except ImportError as e:
        raise MissingExtraError(
            "The dask engine needs dask.distributed: pip install 'geomap[dask]'") from e
    return distributed


#: Dask settings of a ``LocalCluster`` geomap starts: the worker's statistical
#: profiler samples the task's stack every 10 ms, which cost a geoparsing
#: worker a third more CPU per document; the scheduler's queuing
#: (``worker-saturation`` 1.1) held tasks back so that a worker waited for its
#: next partition after each one (two workers ran at 0.6-0.9x one process;
#: 1.6x with every task sent on at once, the client's window bounding them).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.scheduler.worker-saturation": float("inf")}


def local_cluster(workers: int | None = None):
    """A ``LocalCluster`` of ``workers`` processes (default: every core), one
    thread each, with :data:`WORKER_CONFIG` (use it as a context manager).

    On a cluster of your own, set ``distributed.worker.profile.enabled: false``
    in the workers' Dask configuration and ``distributed.scheduler.worker-saturation:
    inf`` in the scheduler's for the same effect.
    """
    import logging

    import dask

    distributed = _distributed()
    with dask.config.set(WORKER_CONFIG):     # the nannies pass it on to their workers
        return distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR)


class GazetteerPlugin:
    """Worker plugin: build the worker's pipeline (and open the gazetteer) once,
    when the worker starts, and tune its collector
    (:func:`~geomap.engines.worker.warm_worker`)."""

    name = "geomap-gazetteer"

    def __init__(self, spec=None):
        self.spec = spec

    def setup(self, worker=None):
        warm_worker(self.spec)

    def teardown(self, worker=None):
        pass


@dataclass(frozen=True, slots=True)
class PartResult:
    """What a worker made of a partition of files (:func:`process_files`).

    ``report`` records what it read, skipped and noted; ``ids`` are the
    document ids it gave (for uniqueness across partitions); ``count`` is the
    number of mentions; ``records`` the formatted records (bytes) or the
    mentions (a list), ``None`` when they were written to ``part_path``.
    """

    report: object
    ids: tuple[str, ...]
    count: int
    records: object = None
    part_path: str | None = None


def process_files(spec, files, columns, max_bytes: int, fmt: str | None = None,
                  part_path: str | None = None, taken: Iterable[str] = ()) -> PartResult:
    """Read and process a partition of files where this runs (a Dask worker).

    Parameters
    ----------
    spec : geomap.pipeline.PipelineSpec
        The pipeline (this process's, built once: :func:`~geomap.engines.worker.pipeline`).
    files : list of (str, dict)
        Paths and their ``sources.csv`` metadata, in reading order.
    columns : geomap.documents.Columns
    max_bytes : int
    fmt : str, optional
        ``"jsonl"``/``"csv"``: format the records here; else return mentions.
    part_path : str, optional
        Write the formatted records to this file (else return them).
    taken : iterable of str
        Document ids earlier partitions gave: a document of this one named
        like them is renamed as one process would.
    """
    from geomap.documents import _accounted, _from_file, _State
    from geomap.pipeline import split_document
    from geomap.report import RunReport

    report = RunReport()
    state = _State(report, columns, max_bytes)
    taken = set(taken)
    state.seen = set(taken)
    pipe = pipeline(spec)
    size = pipe.chunk_chars
    made: list = []
    count = 0

    def read():
        for path, meta in files:
            yield from _from_file(path, state, meta)

    for doc in _accounted(read(), state):
        n = 0
        for piece in split_document(doc, size):
            n += 1
            r = process_pieces(pipe, [piece], fmt)[0]
            if isinstance(r, PieceError):
                failed(report, r)
                continue
            if fmt is None:
                count += len(r)
                made += r
            else:
                count += r[0]
                made.append(r[1])
        if n > 1:
            pieces_note(report, doc, n, size)
    ids = tuple(state.seen - taken)
    if fmt is None:
        return PartResult(report, ids, count, made)
    data = b"".join(made)
    if part_path is None:
        return PartResult(report, ids, count, data)
    with open(part_path, "wb") as fh:
        fh.write(data)
    return PartResult(report, ids, count, None, part_path)


class _Done:
    """A finished future's stand-in (what the listing recorded between partitions)."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def cancel(self):
        pass


class DaskEngine(Engine):
    """Run the pipeline on a Dask cluster (see the module docstring).

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler; without it a ``LocalCluster`` starts.
    client : distributed.Client, optional
        A client already connected to a cluster, used as it is and left open
        (workers keep their pipelines from one run to the next).
    workers : int, optional
        Worker processes of the ``LocalCluster`` (default: every core).
    parts_dir : str, optional
        Where workers write their part files: a folder every worker and the
        client see. Default: a temporary folder with a ``LocalCluster``; none
        with a remote scheduler or a given client (records come back with the
        results).
    partition_bytes, partition_files : int
        The least bytes and the most files of a partition (:data:`PARTITION_BYTES`,
        :data:`PARTITION_FILES`).
    read_on_workers : bool
        Whether workers read path inputs themselves (the default: the paths
        must name the same files on the workers, a shared file system);
        ``False`` reads them here and sends the texts, for a cluster that
        does not see this machine's files.
    """

    name = "dask"
    reads_paths = True

    def __init__(self, *, scheduler: str | None = None, client=None,
                 workers: int | None = None, parts_dir: str | None = None,
                 partition_bytes: int = PARTITION_BYTES,
                 partition_files: int = PARTITION_FILES, read_on_workers: bool = True,
                 **kw):
        super().__init__(**kw)
        self.scheduler = scheduler
        self.workers = workers
        self.parts_dir = parts_dir
        self.partition_bytes = partition_bytes
        self.partition_files = partition_files
        self.read_on_workers = read_on_workers
        self._given = client
        self._client: Any = None
        self._cluster: Any = None
        self._temp_parts: str | None = None
        if scheduler is not None:
            # Remote workers open their own store; our path means nothing there.
            self.spec = self.spec.with_(gazetteer_path=None)

    def start(self) -> None:
        import tempfile

        distributed = _distributed()
        if self._given is not None:
            self._client = self._given
        elif self.scheduler is not None:
            self._client = distributed.Client(self.scheduler)
        else:
            self._cluster = local_cluster(self.workers)
            self._client = distributed.Client(self._cluster)
            if self.parts_dir is None:
                self._temp_parts = tempfile.mkdtemp(prefix="geomap-parts-")
        self._client.register_plugin(_as_plugin(GazetteerPlugin(self.spec)))

    def n_workers(self) -> int:
        return max(1, len(self._client.scheduler_info(n_workers=-1)["workers"])) \
            if self._client is not None else 0

    def describe(self) -> str:
        where = self.scheduler or ("a given client" if self._given is not None
                                   else "LocalCluster")
        return f"dask ({where}, {self.n_workers()} workers)"

    def map_batches(self, batches: Iterable[list]) -> Iterator[list]:
        client = self._client
        return ordered(
            lambda b: client.submit(process_batch, self.spec, b, self.fmt, pure=False),
            batches, window=2 * self.n_workers() + 2)

    # -- inputs read by the workers ---------------------------------------------

    def takes(self, inputs) -> bool:
        """A path, or a non-empty list of paths (:class:`os.PathLike`), unless
        ``read_on_workers`` is off."""
        if not self.read_on_workers:
            return False
        if isinstance(inputs, (str, os.PathLike)):
            return True
        return isinstance(inputs, (list, tuple)) and bool(inputs) and all(
            isinstance(p, os.PathLike) for p in inputs)

    def map_inputs(self, inputs, *, columns, max_bytes: int) -> Iterator:
        from geomap.documents import Columns, _must_exist, _State
        from geomap.report import RunReport

        alone = isinstance(inputs, (str, os.PathLike))
        paths = [inputs] if alone else list(inputs)
        _must_exist(paths, alone=alone)
        columns = columns or Columns()
        listing = _State(RunReport(), columns, max_bytes)
        client, parts, fmt = self._client, self.parts_dir or self._temp_parts, self.fmt
        numbers = iter(range(1 << 62))

        def submit(item):
            kind, value = item
            if kind == "report":
                return _Done((kind, value, None, None))
            part = os.path.join(parts, f"part-{next(numbers):08d}") if parts else None
            return _Task(item, part, client.submit(process_files, self.spec, value, columns,
                                                   max_bytes, fmt, part, pure=False))

        seen: set = set()
        for kind, value, part, res in ordered(submit, self._plan(paths, listing),
                                              window=2 * self.n_workers() + 2):
            if kind == "report":
                yield value, []
                continue
            if not seen.isdisjoint(res.ids):       # ids renamed as one process would
                _discard(res.part_path)
                res = client.submit(process_files, self.spec, value, columns, max_bytes,
                                    fmt, part, tuple(seen), pure=False).result()
            seen.update(res.ids)
            records = res.records
            if res.part_path is not None:
                with open(res.part_path, "rb") as fh:
                    records = fh.read()
                _discard(res.part_path)
            yield res.report, [(res.count, records) if fmt is not None else records]

    def _plan(self, paths: list, state) -> Iterator[tuple[str, object]]:
        """The listing of ``paths`` in reading order, as ``("files", [(path, meta)...])``
        partitions and ``("report", RunReport)``: what the listing recorded (a
        missing file, a sub-folder not read, ``sources.csv`` notes) where one
        process would have recorded it.

        The whole listing is made first (a folder's is sorted, so it is whole
        anyway): partitions then aim at :data:`PARTS_PER_WORKER` per worker,
        of at least ``partition_bytes``, at most :data:`MAX_PARTITION_BYTES`
        or ``partition_files`` files.
        """
        events = list(self._listing(paths, state))
        total = sum(size for kind, _, size in events if kind == "file")
        target = min(MAX_PARTITION_BYTES, max(self.partition_bytes, total // (
            PARTS_PER_WORKER * max(1, self.n_workers()))))
        part: list = []
        size = 0
        for kind, value, n in events:
            if kind == "report":
                if part:
                    yield "files", part
                    part, size = [], 0
                yield "report", value
                continue
            part.append(value)
            size += n
            if size >= target or len(part) >= self.partition_files:
                yield "files", part
                part, size = [], 0
        if part:
            yield "files", part

    def _listing(self, paths: list, state) -> Iterator[tuple[str, object, int]]:
        """``("file", (path, meta), size)`` and ``("report", RunReport, 0)`` in order."""
        from geomap.documents import _normal, _path_files
        from geomap.report import RunReport

        rep = state.report
        marks = [0, 0, 0, 0]

        def news():
            lists = (rep.processed, rep.skipped, rep.ignored, rep.notes)
            if all(len(x) == m for x, m in zip(lists, marks, strict=True)):
                return None
            frag = RunReport(*(x[m:] for x, m in zip(lists, marks, strict=True)))
            marks[:] = [len(x) for x in lists]
            return frag

        for path in paths:
            for file, meta in _path_files(_normal(path), state):
                frag = news()
                if frag is not None:
                    yield "report", frag, 0
                yield "file", (file, meta), _size(file)
        frag = news()
        if frag is not None:
            yield "report", frag, 0

    def close(self) -> None:
        if self._client is not None and self._client is not self._given:
            self._client.close()
        self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._temp_parts is not None:
            import shutil

            shutil.rmtree(self._temp_parts, ignore_errors=True)
            self._temp_parts = None


class _Task:
    """A partition's future, with what was asked (for a second run)."""

    def __init__(self, item, part, future):
        self.item, self.part, self.future = item, part, future

    def result(self):
        return (*self.item, self.part, self.future.result())

    def cancel(self):
        self.future.cancel()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0          # the worker that reads it reports why


def _discard(path: str | None) -> None:
    if path is not None:
        try:
            os.remove(path)
        except OSError:
            pass


def _as_plugin(plugin: GazetteerPlugin):
    """Wrap as a ``distributed.WorkerPlugin`` (defined lazily: distributed is optional)."""
    base: Any = _distributed().WorkerPlugin

    class _Plugin(base):
        name = plugin.name

        def setup(self, worker):
            plugin.setup(worker)

    return _Plugin()


# -- Python entry point -----------------------------------------------------------

def extract(collection, *, columns=None, keep_unresolved: bool | None = None,
            gazetteer_path: str | None = None, spec=None):
    """Find and resolve the place mentions of a Dask collection, lazily.

    Parameters
    ----------
    collection : dask.dataframe.DataFrame or dask.bag.Bag
        A dataframe with a ``text`` column (and optional ``doc``, ``source``,
        ``date``, ``url``; names per ``columns``), or a bag of texts, of
        dicts with those keys, or of :class:`~geomap.documents.Document`.
    columns : geomap.documents.Columns, optional
    keep_unresolved : bool, optional
        Default: the spec's (no).
    gazetteer_path : str, optional
        The store each worker opens (default: the worker's cache).
    spec : geomap.pipeline.PipelineSpec, optional
        The pipeline each worker builds (once); default geomap's on
        ``gazetteer_path``.

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
    >>> ddf = dd.from_pandas(pd.DataFrame({"text": ["Talks in Geneva."]}),   # doctest: +SKIP
    ...                      npartitions=1)
    >>> extract(ddf).compute()[["doc", "text", "country_code"]].values.tolist()  # doctest: +SKIP
    [['doc0', 'Geneva', 'CH']]
    """
    from geomap.documents import Columns
    from geomap.engines.worker import as_spec

    columns = columns or Columns()
    spec = as_spec(spec if spec is not None else gazetteer_path)
    if keep_unresolved is not None:
        spec = spec.with_(keep_unresolved=keep_unresolved)
    kind = type(collection).__module__
    if kind.startswith("dask.dataframe") or kind.startswith("dask_expr"):
        from geomap.mentions import to_frame

        return collection.map_partitions(_frame_partition, columns, spec, meta=to_frame([]))
    if kind.startswith("dask.bag"):
        return _bag(collection, columns, spec)
    raise TypeError(f"Expected a dask.dataframe or a dask.bag, instead got: "
                    f"{type(collection).__name__}")


def _frame_partition(df, columns, spec):
    from geomap.documents import _row_document, _State
    from geomap.mentions import to_frame
    from geomap.report import RunReport

    state = _State(RunReport(), columns)
    names = [columns.text] + [c for c in columns.optional().values() if c in df.columns]
    pipe = pipeline(spec)
    mentions = []
    for label, values in zip(df.index, df[names].itertuples(index=False, name=None), strict=True):
        row = dict(zip(names, values, strict=True))
        doc = _row_document(row, f"doc{label}", state, f"row {label}", None)
        if doc is not None and doc.text.strip():
            mentions += pipe.mentions(doc)
    return to_frame(mentions)


def _bag(bag, columns, spec):
    import dask
    import dask.bag as db

    parts = bag.to_delayed()
    counts = dask.compute(*[dask.delayed(len)(p) for p in parts])
    offsets = [sum(counts[:i]) for i in range(len(counts))]
    out = [dask.delayed(_bag_partition)(p, off, columns, spec)
           for p, off in zip(parts, offsets, strict=True)]
    return db.from_delayed(out)


def _bag_partition(items, offset, columns, spec):
    from geomap.documents import Document, _row_document, _State
    from geomap.report import RunReport

    state = _State(RunReport(), columns)
    pipe = pipeline(spec)
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
            records += [m.as_record() for m in pipe.mentions(doc)]
    return records
