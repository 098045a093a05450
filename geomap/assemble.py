"""Assembly: the mentions of a piece of a document, from its resolutions.

The pipeline's last step: one :class:`~geomap.mentions.Mention` per resolved
span, with the document's fields and the span's context: its sentence, or,
in a sentence longer than :data:`CONTEXT_CHARS`, a window of at most that
many characters around the span (:func:`window`). The context is bounded so
that a record's size does not grow with its sentence: text with no sentence
breaks (a list of names, a word repeated) would otherwise repeat the whole
text in each of its mentions, and the output would be quadratic in the input. It is a module of
its own so that it is compiled with the hot modules (see
:mod:`geomap.speedups`), while :class:`~geomap.mentions.Mention` stays a plain
Python class (picklable, a dataclass): a run makes every one of its mentions
here, each without the frozen ``__init__`` (which sets each field through
``object.__setattr__``), in a third of the time.
"""

from __future__ import annotations

from typing import Any, Final

from geomap.mentions import Mention

__all__ = ["CONTEXT_CHARS", "assemble", "window"]

#: Most characters of context a mention records (its ``sentence``): a longer
#: sentence is cut to a window around the mention.
CONTEXT_CHARS: Final = 300
#: Longest word moved to the other side of a window's edge so as not to cut
#: it (a longer one, or text without spaces, is cut where the edge falls).
_WORD: Final = 24

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


def window(text: str, s0: int, s1: int, start: int, end: int,
           size: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The context of the span ``[start, end)`` in the sentence ``text[s0:s1]``.

    The whole sentence when it has at most ``size`` characters; else a window
    of at most ``size`` characters of it with the span in the middle (as far
    as the sentence allows), its edges moved off a word they would cut (for a
    word of up to 24 characters) and off white space. A span longer than
    ``size`` is its own window.

    Returns
    -------
    (int, int)
        The window's start and end offsets in ``text``.

    Examples
    --------
    >>> t = "Shelling near Kyiv and Kharkiv, then talks in Geneva and Vienna."
    >>> a, b = window(t, 0, len(t), 46, 52, size=30)
    >>> t[a:b], t[46:52]
    ('talks in Geneva and Vienna.', 'Geneva')
    >>> window(t, 0, len(t), 46, 52)
    (0, 64)
    """
    if s1 - s0 <= size:
        return s0, s1
    if end - start >= size:
        return start, end
    s0, s1 = min(s0, start), max(s1, end)
    a = max(s0, start - (size - (end - start)) // 2)
    b = min(s1, a + size)
    a = max(s0, b - size)
    if a > s0 and not text[a - 1].isspace():      # a cuts a word: start after it
        i = a
        stop = min(start, a + _WORD)
        while i < stop and not text[i].isspace():
            i += 1
        if i < stop:
            a = i
    if b < s1 and not text[b].isspace():          # b cuts a word: end before it
        j = b
        stop = max(end, b - _WORD)
        while j > stop and not text[j - 1].isspace():
            j -= 1
        if j > stop:
            b = j
    while a < start and text[a].isspace():
        a += 1
    while b > end and text[b - 1].isspace():
        b -= 1
    return a, b


def assemble(doc: Any, offset: int, text: str, sentences: list[tuple[int, int]],
             resolutions: list, keep_unresolved: bool = False,
             context: int = CONTEXT_CHARS) -> list[Mention]:
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
        records its span's sentence (the whole piece when there are none) as
        its context, cut to a window of at most ``context`` characters around
        it when longer (:func:`window`), and the context's offset in the
        document as ``sentence_start``.
    resolutions : list of Resolution
        The resolved spans of the piece, in order.
    keep_unresolved : bool
        Keep the spans no place fits (with ``place=None``).
    context : int
        Most characters of context per mention (:data:`CONTEXT_CHARS`).

    Notes
    -----
    The mentions of one sentence share its text, and in a long sentence a
    mention shares the window of the one before when it lies in it with a
    quarter of ``context`` on either side (or the sentence's edge): the
    memory held is bounded by the text's size, not by the mentions'.

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
    margin = context // 4
    k = -1
    s0 = s1 = w0 = w1 = 0
    long = False
    sentence = ""
    for r in resolutions:
        place = r.place
        if place is None and not keep_unresolved:
            continue
        span = r.span
        start: int = span.start
        end: int = span.end
        if span.sentence != k:
            k = span.sentence
            s0, s1 = sentences[k] if sentences else (0, len(text))
            long = s1 - s0 > context
            if not long:                # (the mentions of one sentence share its text)
                w0, w1 = s0, s1
                sentence = text[s0:s1]
            else:
                w0 = w1 = -1
        if long and not (w0 <= start and end <= w1 and (start - w0 >= margin or w0 == s0)
                         and (w1 - end >= margin or w1 == s1)):
            w0, w1 = window(text, s0, s1, start, end, context)
            sentence = text[w0:w1]
        m = _new(_Mention)
        _set_doc(m, doc_id)
        _set_start(m, start + offset)
        _set_end(m, end + offset)
        _set_text(m, span.text)
        _set_place(m, place)
        _set_score(m, r.confidence)
        _set_kind(m, span.kind)
        _set_source(m, source)
        _set_date(m, date)
        _set_url(m, url)
        _set_sentence(m, sentence)
        _set_sentence_start(m, w0 + offset)
        out.append(m)
    return out
