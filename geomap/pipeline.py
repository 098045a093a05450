"""The pipeline: documents -> recognised spans -> resolved mentions."""

from __future__ import annotations

from collections.abc import Iterator

from geomap.documents import Document, RunReport, read_documents
from geomap.mentions import Mention, to_frame
from geomap.recognize import Recognizer
from geomap.resolve import Resolution, Resolver
from geomap.text import sentence_spans

__all__ = ["Pipeline", "extract"]


class Pipeline:
    """Recognise and resolve the place mentions of documents.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer, optional
        The place store; by default the embedded one, built on first use.

    Examples
    --------
    >>> pipe = Pipeline()                                         # doctest: +SKIP
    >>> [m.place.name for m in pipe.mentions(Document("a", "Talks in Geneva."))]  # doctest: +SKIP
    ['Geneva']
    """

    def __init__(self, gazetteer=None, *, progress: bool = False):
        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.open(progress=progress)
        self.gazetteer = gazetteer
        self.recognizer = Recognizer(gazetteer)
        self.resolver = Resolver(gazetteer)

    def resolve_text(self, text: str) -> list[Resolution]:
        """Every recognised span of ``text`` with its resolution (or none)."""
        return self.resolver.resolve(self.recognizer.recognize(text), text)

    def process(self, text: str, *, keep_unresolved: bool = True) -> list[Mention]:
        """Mentions of a bare text (document id ``""``)."""
        return self.mentions(Document(id="", text=text), keep_unresolved=keep_unresolved)

    def mentions(self, doc: Document, *, keep_unresolved: bool = False) -> list[Mention]:
        """The mentions of one document."""
        text = doc.text
        sentences = sentence_spans(text)
        spans = self.recognizer.recognize(text, sentences)
        out = []
        for r in self.resolver.resolve(spans, text):
            if r.place is None and not keep_unresolved:
                continue
            s0, s1 = sentences[r.span.sentence] if sentences else (0, len(text))
            out.append(Mention(
                doc=doc.id, start=r.span.start, end=r.span.end, text=r.span.text,
                place=r.place, score=r.confidence, kind=r.span.kind, source=doc.source,
                date=doc.date, url=doc.url, sentence=text[s0:s1], sentence_start=s0,
            ))
        return out

    def iter_mentions(self, docs, *, report: RunReport | None = None,
                      keep_unresolved: bool = False, progress: bool = False) -> Iterator[Mention]:
        """Mentions of every document of ``docs`` (anything :func:`read_documents` takes)."""
        report = report if report is not None else RunReport()
        stream = read_documents(docs, report)
        if progress:
            from tqdm import tqdm

            stream = tqdm(stream, unit="doc", desc="geoparsing", leave=False)
        for doc in stream:
            yield from self.mentions(doc, keep_unresolved=keep_unresolved)

    def extract(self, docs, *, report: RunReport | None = None, keep_unresolved: bool = False,
                progress: bool = False):
        """The mention table (:data:`geomap.mentions.COLUMNS`) of ``docs``."""
        return to_frame(self.iter_mentions(docs, report=report, keep_unresolved=keep_unresolved,
                                           progress=progress))


def extract(docs, *, gazetteer=None, report: RunReport | None = None,
            keep_unresolved: bool = False, progress: bool = False):
    """Find and resolve the place mentions of ``docs``; return the mention table.

    Parameters
    ----------
    docs
        A folder or file path (or a list of them), a list of texts, or a
        :class:`pandas.DataFrame` with a ``text`` column and optional
        ``doc``, ``source``, ``date`` and ``url`` columns.
    gazetteer : gazetteer.Gazetteer, optional
        The place store; the embedded one by default.
    report : RunReport, optional
        Receives what was processed and what was skipped, and why.
    keep_unresolved : bool
        Keep recognised names that no place fits (with empty place columns).

    Returns
    -------
    pandas.DataFrame
        One row per mention, columns :data:`geomap.mentions.COLUMNS`.

    Examples
    --------
    >>> df = extract(["Shelling in Stepanakert.", "Talks in Geneva."])  # doctest: +SKIP
    >>> df[["doc", "text", "country_code"]].values.tolist()              # doctest: +SKIP
    [['doc0', 'Stepanakert', 'AZ'], ['doc1', 'Geneva', 'CH']]
    """
    return Pipeline(gazetteer).extract(docs, report=report, keep_unresolved=keep_unresolved,
                                       progress=progress)
