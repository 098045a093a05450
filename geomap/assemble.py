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

import math
from typing import Any, Final

from geomap.calibration import FEATURES as _FEATURES
from geomap.frequencies import common_english_frequencies
from geomap.mentions import Mention

__all__ = ["CONTEXT_CHARS", "FEATURES", "assemble", "features", "window"]

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
        Keep the spans no place fits (with ``place=None`` and ``score`` 0).
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
    # score: the calibrated probability that the place is right (geomap.calibration)
    xs = features(text, sentences, resolutions)
    model = _score_model()
    weights: list[float] = list(model.weights)
    intercept: float = model.intercept
    pairs: list[tuple[int, int, float]] = model.pair_terms()
    n = -1
    margin = context // 4
    k = -1
    s0 = s1 = w0 = w1 = 0
    long = False
    sentence = ""
    for r in resolutions:
        n += 1
        place = r.place
        if place is None and not keep_unresolved:
            continue
        x = xs[n]
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
        _set_score(m, 0.0 if x is None else _probability(x, weights, intercept, pairs))
        _set_kind(m, span.kind)
        _set_source(m, source)
        _set_date(m, date)
        _set_url(m, url)
        _set_sentence(m, sentence)
        _set_sentence_start(m, w0 + offset)
        out.append(m)
    return out


#: The names of the features of :func:`features`, in order (defined with the
#: score model that weighs them: :data:`geomap.calibration.FEATURES`).
FEATURES: Final = _FEATURES

_LOG_MENTIONS: Final = 1.0 / math.log(64.0)
#: What may stand between a sentence's start and a name that starts it.
_OPENERS: Final = frozenset(" \t\n\"'“‘([-—")


def _probability(x: list[float], weights: list[float], intercept: float,
                 pairs: list[tuple[int, int, float]]) -> float:
    """:meth:`geomap.calibration.ScoreModel.probability`, the same arithmetic, compiled
    (``pairs``: :meth:`~geomap.calibration.ScoreModel.pair_terms`)."""
    z = intercept
    for i in range(len(weights)):
        z += weights[i] * x[i]
    for a, b, w in pairs:
        z += w * (x[a] * x[b])
    if z >= 0:
        p = 1.0 / (1.0 + math.exp(-z))
    else:
        e = math.exp(z)
        p = e / (1.0 + e)
    return round(p, 4)


def _score_model() -> Any:
    """The shipped score model (:func:`geomap.calibration.load_model`, read once)."""
    from geomap.calibration import load_model

    return load_model()


def features(text: str, sentences: list[tuple[int, int]], resolutions: list) -> list:
    """The score model's features (:data:`FEATURES`) of each resolution of a piece.

    Parameters
    ----------
    text : str
        The piece's text.
    sentences : list of (int, int)
        Its sentence spans.
    resolutions : list of Resolution
        Its resolved spans, in order.

    Returns
    -------
    list
        For each resolution, its feature values (a list of floats), or
        ``None`` when it has no place.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.resolution import Resolution
    >>> from geomap.spans import Span
    >>> p = Place(id=1, name="Geneva", lat=46.2, lon=6.1, country_code="CH",
    ...           feature_class="P", feature_code="PPLA", population=183981)
    >>> x = features("Talks in Geneva.", [(0, 16)],
    ...              [Resolution(Span(9, 15, "Geneva", "geneva"), p, 0.43)])[0]
    >>> dict(zip(FEATURES, x))["share"], dict(zip(FEATURES, x))["town"]
    (0.43, 1.0)
    """
    freqs = common_english_frequencies()
    n = 0
    keys: dict[str, int] = {}
    countries: dict[str, int] = {}
    divisions: dict[tuple[str, str], int] = {}
    for r in resolutions:
        p = r.place
        if p is None:
            continue
        n += 1
        k = r.span.key
        keys[k] = keys.get(k, 0) + 1
        cc = p.country_code
        if cc:
            countries[cc] = countries.get(cc, 0) + 1
            if p.admin1:
                d = (cc, p.admin1)
                divisions[d] = divisions.get(d, 0) + 1
    log_n = min(1.0, math.log1p(n) * _LOG_MENTIONS)
    n_countries = min(1.0, math.log1p(len(countries)) * _LOG_MENTIONS)
    # (each mention's own name counts out of the agreement, as support does)
    same_key_cc: dict[tuple[str, str], int] = {}
    same_key_div: dict[tuple[str, str, str], int] = {}
    for r in resolutions:
        p = r.place
        if p is not None and p.country_code:
            t = (r.span.key, p.country_code)
            same_key_cc[t] = same_key_cc.get(t, 0) + 1
            if p.admin1:
                u = (r.span.key, p.country_code, p.admin1)
                same_key_div[u] = same_key_div.get(u, 0) + 1
    out: list = []
    for r in resolutions:
        p = r.place
        if p is None:
            out.append(None)
            continue
        span = r.span
        name: str = span.text
        key: str = span.key
        share: float = r.confidence
        fc: str = p.feature_class
        code: str = p.feature_code
        pop: int = p.population
        others = n - keys[key]
        cc = p.country_code
        agree_c = agree_d = 0.0
        if others > 0 and cc:
            agree_c = (countries[cc] - same_key_cc[(key, cc)]) / others
            if p.admin1:
                agree_d = (divisions[(cc, p.admin1)] - same_key_div[(key, cc, p.admin1)]) / others
        s0 = sentences[span.sentence][0] if sentences else 0
        i = span.start
        while i > s0 and text[i - 1] in _OPENERS:
            i -= 1
        at_start = 1.0 if i <= s0 else 0.0
        freq = freqs.get(name.lower(), 0.0)
        common = max(0.0, (math.log10(freq) + 9.0 - 3.0) / 4.0) if freq > 0.0 else 0.0
        country = code.startswith("PCL") or code == "TERR"
        out.append([
            share,
            1.0 if share >= 0.9999 else 0.0,
            1.0 if share <= 0.25 else 0.0,
            math.log10(pop + 1) / 7.0 if pop > 0 else 0.0,
            1.0 if pop <= 0 else 0.0,
            1.0 if country else 0.0,
            1.0 if code == "ADM1" else 0.0,
            1.0 if fc == "A" and not country and code != "ADM1" else 0.0,
            1.0 if fc == "P" else 0.0,
            1.0 if code == "PPLC" else 0.0,
            1.0 if fc == "H" else 0.0,
            1.0 if fc == "T" else 0.0,
            1.0 if fc == "L" else 0.0,
            1.0 if fc in ("S", "V", "R", "U") else 0.0,
            1.0 if p.source == "curated" else 0.0,
            1.0 if span.kind == "demonym" else 0.0,
            1.0 if span.fuzzy else 0.0,
            1.0 if name.lower() != key else 0.0,
            1.0 if len(name) > 1 and name.isupper() else 0.0,
            at_start,
            1.0 if " " in name else 0.0,
            common,
            log_n,
            min(1.0, math.log(keys[key]) * _LOG_MENTIONS),
            agree_c,
            agree_d,
            1.0 if span.sentence == 0 else 0.0,
            n_countries,
        ])
    return out
