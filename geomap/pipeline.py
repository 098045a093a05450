"""The pipeline: documents -> recognised spans -> resolved mentions.

:class:`Pipeline` puts three components together (a gazetteer, a recogniser, a
resolver; their types are the Protocols of :mod:`geomap.components`) under a
frozen :class:`PipelineConfig`. :class:`PipelineSpec` is the picklable recipe of
a pipeline: the one way the command line, :func:`extract`, ``geomap explain``
and the engines (local processes, Dask workers) build theirs, and the object
that travels to the workers, which build it once each
(:func:`geomap.engines.worker.pipeline`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from geomap.components import load_factory, reference
from geomap.documents import MAX_BYTES, Columns, Document, RunReport, read_documents
from geomap.errors import ConfigurationError
from geomap.mentions import Mention, to_frame

__all__ = ["Pipeline", "PipelineConfig", "PipelineSpec", "extract", "split_document",
           "CHUNK_CHARS", "DEFAULT_RECOGNIZER", "DEFAULT_RESOLVER"]

#: Documents longer than this (characters) are processed in pieces cut at
#: paragraph breaks, with offsets kept relative to the whole document.
#: Resolution context is then per piece, so that time stays linear in length.
CHUNK_CHARS = 64_000
#: The components a pipeline has unless told otherwise (factories by reference).
DEFAULT_RECOGNIZER = "geomap.recognize:Recognizer"
DEFAULT_RESOLVER = "geomap.resolve:Resolver"


def _frozen_options(value, what: str) -> Mapping:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ConfigurationError(f"{what} must be a mapping of keyword names to values, "
                                 f"instead got: {value!r}")
    return MappingProxyType(dict(value))


@dataclass(frozen=True, eq=False)
class PipelineConfig:
    """How a :class:`Pipeline` runs, with defaults.

    Parameters
    ----------
    chunk_chars : int
        Documents longer than this are processed piece by piece
        (:func:`split_document`).
    keep_unresolved : bool
        Whether :meth:`Pipeline.mentions` keeps recognised names that no
        place fits (a call may say otherwise).
    recognizer_options, resolver_options : mapping
        Keyword arguments the recogniser's and resolver's factories are called
        with, after the gazetteer (a ``model=`` object, thresholds...): they
        must pickle to reach worker processes.

    Examples
    --------
    >>> c = PipelineConfig(resolver_options={"rounds": 2})
    >>> c.chunk_chars, dict(c.resolver_options)
    (64000, {'rounds': 2})
    >>> c == PipelineConfig(resolver_options={"rounds": 2})
    True
    """

    chunk_chars: int = CHUNK_CHARS
    keep_unresolved: bool = False
    recognizer_options: Mapping[str, Any] = field(default_factory=dict)
    resolver_options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if isinstance(self.chunk_chars, bool) or not isinstance(self.chunk_chars, int) \
                or self.chunk_chars < 1:
            raise ConfigurationError(f"chunk_chars must be a whole number of at least 1, "
                                     f"instead got: {self.chunk_chars!r}")
        for name in ("recognizer_options", "resolver_options"):
            object.__setattr__(self, name, _frozen_options(getattr(self, name), name))

    def _key(self) -> tuple:
        return (self.chunk_chars, self.keep_unresolved, tuple(self.recognizer_options.items()),
                tuple(self.resolver_options.items()))

    def __eq__(self, other):
        return isinstance(other, PipelineConfig) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __reduce__(self):       # a mapping proxy does not pickle: its dict does
        return (_config, (self.chunk_chars, self.keep_unresolved,
                          dict(self.recognizer_options), dict(self.resolver_options)))


def _config(chunk_chars, keep_unresolved, recognizer_options, resolver_options):
    return PipelineConfig(chunk_chars, keep_unresolved, recognizer_options, resolver_options)


@dataclass(frozen=True)
class PipelineSpec:
    """The picklable recipe of a :class:`Pipeline`; :meth:`build` makes one.

    Parameters
    ----------
    gazetteer_path : str, optional
        The store to open (default: ``$GEOMAP_GAZETTEER``, else the cache).
    config : PipelineConfig
    recognizer, resolver : str or callable, optional
        Factories, called ``factory(gazetteer, **options)``: a
        ``"package.module:name"`` reference (kept as given) or a class or
        function defined at a module's top level (kept as its reference, so
        the spec pickles by name and the worker imports it). Default:
        :data:`DEFAULT_RECOGNIZER`, :data:`DEFAULT_RESOLVER`.
    build_store : bool
        Whether opening may build a missing or stale store (workers are given
        a store the parent made ready, and never build).

    Examples
    --------
    >>> import pickle
    >>> spec = PipelineSpec("/data/places.sqlite", recognizer="geomap.recognize:Recognizer")
    >>> pickle.loads(pickle.dumps(spec)) == spec
    True
    >>> spec.recognizer
    'geomap.recognize:Recognizer'
    """

    gazetteer_path: str | None = None
    config: PipelineConfig = field(default_factory=PipelineConfig)
    recognizer: str = DEFAULT_RECOGNIZER
    resolver: str = DEFAULT_RESOLVER
    build_store: bool = True

    def __post_init__(self):
        if self.gazetteer_path is not None:
            object.__setattr__(self, "gazetteer_path", os.fspath(self.gazetteer_path))
        for name in ("recognizer", "resolver"):
            value = getattr(self, name)
            object.__setattr__(self, name, reference(value if value is not None else
                                                     getattr(type(self), name)))
        if not isinstance(self.config, PipelineConfig):
            raise ConfigurationError(f"config must be a PipelineConfig, instead got: "
                                     f"{self.config!r}")

    def with_(self, **changes) -> PipelineSpec:
        """This spec with ``changes`` (its fields or :class:`PipelineConfig`'s).

        Examples
        --------
        >>> PipelineSpec().with_(gazetteer_path="s.sqlite", chunk_chars=10).config.chunk_chars
        10
        """
        mine = {k: v for k, v in changes.items() if k in self.__dataclass_fields__}
        theirs = {k: v for k, v in changes.items() if k not in mine}
        if theirs:
            mine["config"] = replace(mine.get("config", self.config), **theirs)
        return replace(self, **mine)

    def build(self, gazetteer=None, *, progress: bool = False) -> Pipeline:
        """The pipeline this spec describes, on ``gazetteer`` if given (else opened)."""
        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.open(self.gazetteer_path, build=self.build_store,
                                       progress=progress)
        c = self.config
        return Pipeline(gazetteer,
                        recognizer=load_factory(self.recognizer)(gazetteer,
                                                                 **c.recognizer_options),
                        resolver=load_factory(self.resolver)(gazetteer, **c.resolver_options),
                        config=c)


class Pipeline:
    """Recognise and resolve the place mentions of documents.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer, optional
        The place store (:class:`geomap.components.Gazetteer`); by default the
        embedded one, built on first use.
    recognizer : geomap.components.Recognizer, optional
        Default: :class:`geomap.recognize.Recognizer` on ``gazetteer``, with
        ``config.recognizer_options``.
    resolver : geomap.components.Resolver, optional
        Default: :class:`geomap.resolve.Resolver` on ``gazetteer``, with
        ``config.resolver_options``.
    config : PipelineConfig, optional
    chunk_chars : int, optional
        Shorthand for ``config=PipelineConfig(chunk_chars=...)``.

    To run a pipeline in other processes, describe it with a
    :class:`PipelineSpec` instead (its :meth:`~PipelineSpec.build` makes this).

    Examples
    --------
    >>> pipe = Pipeline()                                         # doctest: +SKIP
    >>> [m.place.name for m in pipe.mentions(Document("a", "Talks in Geneva."))]  # doctest: +SKIP
    ['Geneva']
    >>> cfg = PipelineConfig(keep_unresolved=True)
    >>> pipe = Pipeline(recognizer=MyMatcher(), config=cfg)       # doctest: +SKIP
    """

    def __init__(self, gazetteer=None, recognizer=None, resolver=None,
                 config: PipelineConfig | None = None, *, progress: bool = False,
                 chunk_chars: int | None = None):
        from geomap.components import Recognizer, Resolver

        config = config if config is not None else PipelineConfig()
        if chunk_chars is not None:
            config = replace(config, chunk_chars=chunk_chars)
        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.open(progress=progress)
        if recognizer is None:
            recognizer = load_factory(DEFAULT_RECOGNIZER)(gazetteer, **config.recognizer_options)
        if resolver is None:
            resolver = load_factory(DEFAULT_RESOLVER)(gazetteer, **config.resolver_options)
        for obj, kind in ((recognizer, Recognizer), (resolver, Resolver)):
            if not isinstance(obj, kind):
                raise ConfigurationError(f"{obj!r} is not a {kind.__name__}: it has no "
                                         f"{kind.__name__.lower()[:-2]}() method "
                                         "(see geomap.components)")
        self.gazetteer = gazetteer
        self.recognizer = recognizer
        self.resolver = resolver
        self.config = config
        #: Characters per piece (``config.chunk_chars``; may be changed on a pipeline).
        self.chunk_chars = config.chunk_chars
        self._traces: bool | None = None

    def resolve_text(self, text: str) -> list:
        """Every recognised span of ``text`` with its :class:`~geomap.resolve.Resolution`."""
        return self.resolver.resolve(self.recognizer.recognize(text), text)

    def trace(self, text: str) -> tuple[list, list]:
        """``(resolutions, rejected)`` for ``text``, as ``geomap explain`` shows them:
        every span's :class:`~geomap.resolution.Resolution` with its candidates, and
        the ``(span, reason)`` pairs the recogniser turned down (empty when the
        recogniser does not take ``trace=``)."""
        if self._traces is None:
            import inspect

            try:
                params = inspect.signature(self.recognizer.recognize).parameters
                self._traces = "trace" in params
            except (TypeError, ValueError):     # a compiled method may not tell: ours does
                self._traces = type(self.recognizer).__module__ == "geomap.recognize"
        rejected: list = []
        spans = (self.recognizer.recognize(text, trace=rejected) if self._traces
                 else self.recognizer.recognize(text))
        return self.resolver.resolve(spans, text), rejected

    def process(self, text: str, *, keep_unresolved: bool = True) -> list[Mention]:
        """Mentions of a bare text (document id ``""``)."""
        return self.mentions(Document(id="", text=text), keep_unresolved=keep_unresolved)

    def mentions(self, doc: Document, *, keep_unresolved: bool | None = None) -> list[Mention]:
        """The mentions of one document (in pieces when it is long).

        ``keep_unresolved`` defaults to the config's.
        """
        out: list[Mention] = []
        for piece, offset in split_document(doc, self.chunk_chars):
            out += self.piece_mentions(piece, offset, keep_unresolved=keep_unresolved)
        return out

    def piece_mentions(self, doc: Document, offset: int = 0, *,
                       keep_unresolved: bool | None = None) -> list[Mention]:
        """The mentions of ``doc.text``, a piece starting at ``offset`` of its document."""
        from geomap.assemble import assemble
        from geomap.text import sentence_spans

        if keep_unresolved is None:
            keep_unresolved = self.config.keep_unresolved
        text = doc.text
        sentences = sentence_spans(text)
        spans = self.recognizer.recognize(text, sentences)
        # a mention records the choice and its confidence, not the other candidates
        resolutions = self.resolver.resolve(spans, text, keep_candidates=0)
        return assemble(doc, offset, text, sentences, resolutions, keep_unresolved)

    def iter_mentions(self, docs, *, report: RunReport | None = None,
                      keep_unresolved: bool | None = None, progress: bool = False,
                      columns: Columns | None = None,
                      max_bytes: int = MAX_BYTES) -> Iterator[Mention]:
        """Mentions of every document of ``docs`` (anything :func:`read_documents` takes)."""
        report = report if report is not None else RunReport()
        stream = read_documents(docs, report, columns=columns, max_bytes=max_bytes)
        if progress:
            from tqdm import tqdm

            stream = tqdm(stream, unit="doc", desc="geoparsing", leave=False)
        for doc in stream:
            ms = self.mentions(doc, keep_unresolved=keep_unresolved)
            report.mentions += len(ms)
            yield from ms

    def extract(self, docs, *, report: RunReport | None = None,
                keep_unresolved: bool | None = None, progress: bool = False,
                columns: Columns | None = None, max_bytes: int = MAX_BYTES):
        """The mention table (:data:`geomap.mentions.COLUMNS`) of ``docs``."""
        report = report if report is not None else RunReport()
        return to_frame(self.iter_mentions(docs, report=report, keep_unresolved=keep_unresolved,
                                           progress=progress, columns=columns,
                                           max_bytes=max_bytes),
                        gazetteer=self.gazetteer, report=report)


def split_document(doc: Document, size: int = CHUNK_CHARS) -> Iterator[tuple[Document, int]]:
    """``(piece, offset)`` pairs covering ``doc``: the document itself when it is
    short, else pieces of at most ``size`` characters cut at a paragraph break,
    else a line break, a sentence end or a space.

    Examples
    --------
    >>> d = Document("a", "One.\\n\\nTwo.\\n\\nThree.")
    >>> [(p.text, o) for p, o in split_document(d, 8)]
    [('One.\\n\\n', 0), ('Two.\\n\\n', 6), ('Three.', 12)]
    """
    text = doc.text
    if len(text) <= size:
        yield doc, 0
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            end = _cut(text, start, end)
        yield Document(doc.id, text[start:end], doc.source, doc.date, doc.url, doc.path,
                       doc.encoding), start
        start = end


def _cut(text: str, start: int, end: int) -> int:
    """Where to end the piece ``text[start:end]``: after the last break in its second half."""
    lo = start + (end - start) // 2
    for sep in ("\n\n", "\n", ". ", " "):
        k = text.rfind(sep, lo, end)
        if k != -1:
            return k + len(sep)
    return end


def extract(docs, *, gazetteer=None, report: RunReport | None = None,
            keep_unresolved: bool | None = None, progress: bool = False,
            columns: Columns | None = None, max_bytes: int = MAX_BYTES,
            text_column: str | None = None, doc_column: str | None = None,
            source_column: str | None = None, date_column: str | None = None,
            url_column: str | None = None, spec: PipelineSpec | None = None):
    """Find and resolve the place mentions of ``docs``; return the mention table.

    Parameters
    ----------
    docs
        A folder or file path (a ``str`` or :class:`os.PathLike` on its own,
        which must exist), a list of :class:`~pathlib.Path` (text, HTML, CSV,
        JSON Lines, Parquet), a list of texts (every ``str`` in a list is a
        text, never a path), or a :class:`pandas.DataFrame` with a ``text``
        column and optional ``doc``, ``source``, ``date`` and ``url`` columns;
        see :func:`geomap.documents.read_documents`.
    gazetteer : gazetteer.Gazetteer, optional
        The place store; the embedded one by default (or ``spec``'s).
    spec : PipelineSpec, optional
        The pipeline to run (its components and config); the default one
        otherwise.
    report : RunReport, optional
        Receives what was processed and what was skipped, and why.
    keep_unresolved : bool, optional
        Keep recognised names that no place fits (with empty place columns);
        default: the spec's config (no).
    columns : Columns, optional
        Column names of table inputs.
    text_column, doc_column, source_column, date_column, url_column : str, optional
        Column names of table inputs one by one, as the command line's
        ``--text-column``... options (instead of ``columns``).
    max_bytes : int
        Size limit of a document file (bytes) and of a table record; larger
        ones are skipped with a note in ``report``.

    Returns
    -------
    pandas.DataFrame
        One row per mention, columns :data:`geomap.mentions.COLUMNS`.

    Examples
    --------
    >>> df = extract(["Shelling in Stepanakert.", "Talks in Geneva."])  # doctest: +SKIP
    >>> df[["doc", "text", "country_code"]].values.tolist()              # doctest: +SKIP
    [['doc0', 'Stepanakert', 'AZ'], ['doc1', 'Geneva', 'CH']]
    >>> extract("Talks in Geneva.")                                     # doctest: +SKIP
    Traceback (most recent call last):
    geomap.errors.InputNotFoundError: no such file or folder: 'Talks in Geneva.' (a str on its
    own is a path; to read texts, pass a list of them: ["Talks in Geneva."])
    """
    named = {k: v for k, v in (("text", text_column), ("doc", doc_column),
                               ("source", source_column), ("date", date_column),
                               ("url", url_column)) if v is not None}
    if named:
        if columns is not None:
            raise ConfigurationError("give either columns= or the *_column= keywords, not both")
        columns = Columns(**named)
    pipe = (spec if spec is not None else PipelineSpec()).build(gazetteer, progress=progress)
    return pipe.extract(docs, report=report, keep_unresolved=keep_unresolved,
                        progress=progress, columns=columns, max_bytes=max_bytes)
