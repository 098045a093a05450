"""The pipeline: documents -> recognised spans -> resolved mentions."""

from __future__ import annotations

from collections.abc import Iterator

from geomap.documents import MAX_BYTES, Columns, Document, RunReport, read_documents
from geomap.mentions import Mention, to_frame

__all__ = ["Pipeline", "extract", "split_document", "CHUNK_CHARS"]

#: Documents longer than this (characters) are processed in pieces cut at
#: paragraph breaks, with offsets kept relative to the whole document.
#: Resolution context is then per piece, so that time stays linear in length.
CHUNK_CHARS = 64_000


class Pipeline:
    """Recognise and resolve the place mentions of documents.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer, optional
        The place store; by default the embedded one, built on first use.
    chunk_chars : int
        Documents longer than this are processed piece by piece
        (:func:`split_document`).

    Examples
    --------
    >>> pipe = Pipeline()                                         # doctest: +SKIP
    >>> [m.place.name for m in pipe.mentions(Document("a", "Talks in Geneva."))]  # doctest: +SKIP
    ['Geneva']
    """

    def __init__(self, gazetteer=None, *, progress: bool = False,
                 chunk_chars: int = CHUNK_CHARS):
        from geomap.recognize import Recognizer
        from geomap.resolve import Resolver

        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.open(progress=progress)
        self.gazetteer = gazetteer
        self.recognizer = Recognizer(gazetteer)
        self.resolver = Resolver(gazetteer)
        self.chunk_chars = chunk_chars

    def resolve_text(self, text: str) -> list:
        """Every recognised span of ``text`` with its :class:`~geomap.resolve.Resolution`."""
        return self.resolver.resolve(self.recognizer.recognize(text), text)

    def process(self, text: str, *, keep_unresolved: bool = True) -> list[Mention]:
        """Mentions of a bare text (document id ``""``)."""
        return self.mentions(Document(id="", text=text), keep_unresolved=keep_unresolved)

    def mentions(self, doc: Document, *, keep_unresolved: bool = False) -> list[Mention]:
        """The mentions of one document (in pieces when it is long)."""
        out: list[Mention] = []
        for piece, offset in split_document(doc, self.chunk_chars):
            out += self.piece_mentions(piece, offset, keep_unresolved=keep_unresolved)
        return out

    def piece_mentions(self, doc: Document, offset: int = 0, *,
                       keep_unresolved: bool = False) -> list[Mention]:
        """The mentions of ``doc.text``, a piece starting at ``offset`` of its document."""
        from geomap.assemble import assemble
        from geomap.text import sentence_spans

        text = doc.text
        sentences = sentence_spans(text)
        spans = self.recognizer.recognize(text, sentences)
        # a mention records the choice and its confidence, not the other candidates
        resolutions = self.resolver.resolve(spans, text, keep_candidates=0)
        return assemble(doc, offset, text, sentences, resolutions, keep_unresolved)

    def iter_mentions(self, docs, *, report: RunReport | None = None,
                      keep_unresolved: bool = False, progress: bool = False,
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

    def extract(self, docs, *, report: RunReport | None = None, keep_unresolved: bool = False,
                progress: bool = False, columns: Columns | None = None,
                max_bytes: int = MAX_BYTES):
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
            keep_unresolved: bool = False, progress: bool = False,
            columns: Columns | None = None, max_bytes: int = MAX_BYTES,
            text_column: str | None = None, doc_column: str | None = None,
            source_column: str | None = None, date_column: str | None = None,
            url_column: str | None = None):
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
        The place store; the embedded one by default.
    report : RunReport, optional
        Receives what was processed and what was skipped, and why.
    keep_unresolved : bool
        Keep recognised names that no place fits (with empty place columns).
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
            from geomap.errors import ConfigurationError

            raise ConfigurationError("give either columns= or the *_column= keywords, not both")
        columns = Columns(**named)
    return Pipeline(gazetteer).extract(docs, report=report, keep_unresolved=keep_unresolved,
                                       progress=progress, columns=columns, max_bytes=max_bytes)
