"""Assembly: the mentions of a piece of a document, from its resolutions.

The pipeline's last step: one :class:`~geomap.mentions.Mention` per resolved
span, with the document's fields and the span's sentence. It is a module of
its own so that it is compiled with the hot modules (see
:mod:`geomap.speedups`), while :class:`~geomap.mentions.Mention` stays a plain
Python class (picklable, a dataclass): a run makes every one of its mentions
here, each without the frozen ``__init__`` (which sets each field through
``object.__setattr__``), in a third of the time.
"""

from __future__ import annotations

from typing import Any, Final

from geomap.mentions import Mention

__all__ = ["assemble"]

#: For building the frozen Mention without its __init__ (the slots'
#: descriptors, from the class namespace: to a type checker ``Mention.doc``
#: is the field)
_new: Final = object.__new__
_Mention: Final = Mention
_slots = vars(Mention)
_set_doc: Final = _slots["doc"].__set__
_set_start: Final = _slots["start"].__set__
_set_end: Final = _slots["end"].__set__
_set_text: Final = _slots["text"].__set__
_set_place: Final = _slots["place"].__set__
_set_score: Final = _slots["score"].__set__
_set_kind: Final = _slots["kind"].__set__
_set_source: Final = _slots["source"].__set__
_set_date: Final = _slots["date"].__set__
_set_url: Final = _slots["url"].__set__
_set_sentence: Final = _slots["sentence"].__set__
_set_sentence_start: Final = _slots["sentence_start"].__set__


def assemble(doc: Any, offset: int, text: str, sentences: list[tuple[int, int]],
             resolutions: list, keep_unresolved: bool = False) -> list[Mention]:
    """The mentions of ``resolutions``, made in a piece of ``doc``.

    Parameters
    ----------
    doc : Document
        The document (its id, source, date and url go into every mention).
    offset : int
        Where the piece starts in the document: added to every offset.
    text : str
        The piece's text.
    sentences : list of (int, int)
        Its sentence spans (:func:`geomap.text.sentence_spans`); a mention
        records its span's sentence (the whole piece when there are none).
    resolutions : list of Resolution
        The resolved spans of the piece, in order.
    keep_unresolved : bool
        Keep the spans no place fits (with ``place=None``).

    Examples
    --------
    >>> from geomap.documents import Document
    >>> from geomap.resolution import Resolution
    >>> from geomap.spans import Span
    >>> r = Resolution(Span(5, 11, "Geneva", "geneva", sentence=1), None, 0.0)
    >>> [(m.doc, m.start, m.sentence) for m in assemble(
    ...     Document("a", "x. Yes. Geneva."), 2, "Yes. Geneva.", [(0, 4), (5, 12)], [r], True)]
    [('a', 7, 'Geneva.')]
    """
    out: list[Mention] = []
    doc_id, source, date, url = doc.id, doc.source, doc.date, doc.url
    k = -1
    s0 = 0
    sentence = ""
    for r in resolutions:
        place = r.place
        if place is None and not keep_unresolved:
            continue
        span = r.span
        if span.sentence != k:          # (the mentions of one sentence share its text)
            k = span.sentence
            s0, s1 = sentences[k] if sentences else (0, len(text))
            sentence = text[s0:s1]
        m = _new(_Mention)
        _set_doc(m, doc_id)
        _set_start(m, span.start + offset)
        _set_end(m, span.end + offset)
        _set_text(m, span.text)
        _set_place(m, place)
        _set_score(m, r.confidence)
        _set_kind(m, span.kind)
        _set_source(m, source)
        _set_date(m, date)
        _set_url(m, url)
        _set_sentence(m, sentence)
        _set_sentence_start(m, s0 + offset)
        out.append(m)
    return out
