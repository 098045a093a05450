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
    piece = _Piece(text, sentences, resolutions)
    terms = _score_terms()
    x: list[float] = [0.0] * _N_FEATURES      # one mention's features at a time
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
        name: str = span.text
        kind: str = span.kind
        sentence_k: int = span.sentence
        if sentence_k != k:
            k = sentence_k
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
        score = 0.0
        if place is not None:
            piece.fill(x, place, r.confidence, name, span.key, kind, span.fuzzy, start, k)
            score = _probability(x, terms)
        m = _new(_Mention)
        _set_doc(m, doc_id)
        _set_start(m, start + offset)
        _set_end(m, end + offset)
        _set_text(m, name)
        _set_place(m, place)
        _set_score(m, score)
        _set_kind(m, kind)
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
_N_FEATURES: Final = len(_FEATURES)

_LOG_MENTIONS: Final = 1.0 / math.log(64.0)
#: What may stand between a sentence's start and a name that starts it.
_OPENERS: Final = frozenset(" \t\n\"'“‘([-—")


class _Terms:
    """The score model's parameters laid out for :func:`_probability`: flat
    lists (compiled: no tuple to unpack per term), the pairs in runs of
    consecutive pairs with the same first feature (in the model's order),
    each run from ``runs[k]`` to ``runs[k + 1]`` in ``second`` and
    ``pair_weights``, its first feature ``first[k]``."""

    def __init__(self, model: Any) -> None:
        self.intercept: float = model.intercept
        self.weights: list[float] = list(model.weights)
        self.first: list[int] = []
        self.runs: list[int] = []
        self.second: list[int] = []
        self.pair_weights: list[float] = []
        for (i, j), w in zip(model.pairs, model.pair_weights):
            if not self.first or self.first[-1] != i:
                self.first.append(i)
                self.runs.append(len(self.second))
            self.second.append(j)
            self.pair_weights.append(w)
        self.runs.append(len(self.second))


_terms: list[_Terms] = []


def _score_terms() -> _Terms:
    """The shipped score model (:func:`geomap.calibration.load_model`), read once."""
    if not _terms:
        from geomap.calibration import load_model

        _terms.append(_Terms(load_model()))
    return _terms[0]


def _probability(x: list[float], terms: _Terms) -> float:
    """:meth:`geomap.calibration.ScoreModel.probability` of the features ``x``,
    compiled: the same float."""
    z = _logit(x, terms)
    if z >= 0:
        p = 1.0 / (1.0 + math.exp(-z))
    else:
        e = math.exp(z)
        p = e / (1.0 + e)
    return _round4(p)


def _logit(x: list[float], terms: _Terms) -> float:
    """:meth:`geomap.calibration.ScoreModel.logit` of the features ``x``: the
    same float (but for the sign of a zero).

    The terms are added in the same order; a term whose feature is 0 is left
    out (it is 0.0 or -0.0, and adding it leaves any sum as it is, but for
    the sign of a zero sum, whose probability is 0.5 either way), and so is a
    run of pairs whose first feature is 0.
    """
    z = terms.intercept
    weights = terms.weights
    for i in range(len(weights)):
        v = x[i]
        if v != 0.0:
            z += weights[i] * v
    first, runs, second, pair_weights = terms.first, terms.runs, terms.second, terms.pair_weights
    for k in range(len(first)):
        a = x[first[k]]
        if a != 0.0:
            for i in range(runs[k], runs[k + 1]):
                b = x[second[i]]
                if b != 0.0:
                    z += pair_weights[i] * (a * b)
    return z


def _round4(p: float) -> float:
    """``round(p, 4)`` for ``0 <= p <= 1``, the same float, mostly without
    writing ``p`` in decimal (``round`` does, which costs more than the score).

    ``round`` gives the double nearest to ``k / 10**4``, where ``k`` is the
    integer nearest to the exact ``p * 10**4`` (ties to even): that is
    ``k / 10000.0``, a correctly rounded division of two exact doubles.
    ``y``, the product rounded to a double, is within 1e-12 of the exact
    one, so unless ``y`` lies within 1e-9 of a half (then ``round`` decides),
    ``k`` is ``y``'s nearest integer; ``y - floor(y)`` is exact.

    Examples
    --------
    >>> _round4(0.123449999), _round4(0.5), _round4(1.0)
    (0.1234, 0.5, 1.0)
    """
    y = p * 10000.0
    k = math.floor(y)
    f = y - k
    if f < 0.5 - 1e-9:
        return k / 10000.0
    if f > 0.5 + 1e-9:
        return (k + 1) / 10000.0
    return round(p, 4)


class _Piece:
    """What the features of a piece's mentions need of the piece: its text and
    sentences, and the counts over all its placed mentions (of each name, each
    country, each admin1).

    :meth:`fill` then writes one mention's features (those of its place
    alone and of its name alone are made once per place and name, and kept).
    The counts are made in
    one pass; the counts by name and country (or admin1), which take each
    mention's own name out of the agreement, in a second pass over the names
    mentioned more than once only (a name mentioned once counts itself once).
    """

    def __init__(self, text: str, sentences: list[tuple[int, int]], resolutions: list) -> None:
        self.text = text
        self.sentences = sentences
        self.freqs: dict[str, float] = common_english_frequencies()
        n = 0
        keys: dict[str, int] = {}
        countries: dict[str, int] = {}
        divisions: dict[tuple[str, str], int] = {}
        for r in resolutions:
            p = r.place
            if p is None:
                continue
            n += 1
            key: str = r.span.key
            keys[key] = keys.get(key, 0) + 1
            cc: str | None = p.country_code
            if cc:
                countries[cc] = countries.get(cc, 0) + 1
                a1: str | None = p.admin1
                if a1:
                    d = (cc, a1)
                    divisions[d] = divisions.get(d, 0) + 1
        same_key_cc: dict[tuple[str, str], int] = {}
        same_key_div: dict[tuple[str, str, str], int] = {}
        if len(keys) < n:           # a name mentioned more than once
            for r in resolutions:
                p = r.place
                if p is None:
                    continue
                key = r.span.key
                cc = p.country_code
                if cc and keys[key] > 1:
                    t = (key, cc)
                    same_key_cc[t] = same_key_cc.get(t, 0) + 1
                    a1 = p.admin1
                    if a1:
                        u = (key, cc, a1)
                        same_key_div[u] = same_key_div.get(u, 0) + 1
        self.n = n
        self.keys = keys
        self.countries = countries
        self.divisions = divisions
        self.same_key_cc = same_key_cc
        self.same_key_div = same_key_div
        self.log_n: float = min(1.0, math.log1p(n) * _LOG_MENTIONS)
        self.n_countries: float = min(1.0, math.log1p(len(countries)) * _LOG_MENTIONS)

    def fill(self, x: list[float], p: Any, share: float, name: str, key: str, kind: str,
             fuzzy: bool, start: int, k: int) -> None:
        """Write the features (:data:`FEATURES`, in order) into ``x`` of the
        mention of the span ``name`` (its ``key``, ``kind``, whether ``fuzzy``,
        its ``start`` and sentence ``k``) placed at ``p`` with the resolver's
        ``share``."""
        count = self.keys[key]
        others = self.n - count
        cc: str | None = p.country_code
        agree_c = agree_d = 0.0
        if others > 0 and cc:
            a1: str | None = p.admin1
            # (each mention's own name counts out of the agreement, as support does)
            own = 1 if count == 1 else self.same_key_cc[(key, cc)]
            agree_c = (self.countries[cc] - own) / others
            if a1:
                own = 1 if count == 1 else self.same_key_div[(key, cc, a1)]
                agree_d = (self.divisions[(cc, a1)] - own) / others
        text = self.text
        s0 = self.sentences[k][0] if self.sentences else 0
        i = start
        while i > s0 and text[i - 1] in _OPENERS:
            i -= 1
        x[0] = share
        x[1] = 1.0 if share >= 0.9999 else 0.0
        x[2] = 1.0 if share <= 0.25 else 0.0
        # the place's own features (3 to 14), made once per place
        placed = _BY_PLACE.get(id(p))
        if placed is None or placed[0] is not p:
            if len(_BY_PLACE) >= _CACHED:
                _BY_PLACE.clear()
            placed = _BY_PLACE[id(p)] = (p, _place_features(p))
        values = placed[1]
        for j in range(12):
            x[3 + j] = values[j]
        x[15] = 1.0 if kind == "demonym" else 0.0
        x[16] = 1.0 if fuzzy else 0.0
        # the name's own features (17, 18, 20, 21), made once per name and key
        freqs = self.freqs
        named = _BY_NAME.get(name)
        if named is None or named[0] != key or named[1] is not freqs:
            if len(_BY_NAME) >= _CACHED:
                _BY_NAME.clear()
            named = _BY_NAME[name] = (key, freqs, _name_features(name, key, freqs))
        values = named[2]
        x[17] = values[0]
        x[18] = values[1]
        x[19] = 1.0 if i <= s0 else 0.0
        x[20] = values[2]
        x[21] = values[3]
        x[22] = self.log_n
        x[23] = min(1.0, math.log(count) * _LOG_MENTIONS)
        x[24] = agree_c
        x[25] = agree_d
        x[26] = 1.0 if k == 0 else 0.0
        x[27] = self.n_countries


#: Most places, and names, whose own features are kept (then they are made anew)
_CACHED: Final = 65536
#: The place's own features by its id, with the place (so that its id is not
#: reused while the entry is there)
_BY_PLACE: dict[int, tuple[Any, list[float]]] = {}
#: A name's own features by the name, with its key and the frequencies read
_BY_NAME: dict[str, tuple[str, dict[str, float], list[float]]] = {}


def _place_features(p: Any) -> list[float]:
    """Features 3 to 14 of :data:`FEATURES` of the place ``p``: those of the
    place alone (population, feature class and code, source)."""
    fc: str = p.feature_class
    code: str = p.feature_code
    pop: int = p.population
    country = code.startswith("PCL") or code == "TERR"
    return [
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
    ]


def _name_features(name: str, key: str, freqs: dict[str, float]) -> list[float]:
    """Features 17, 18, 20 and 21 of :data:`FEATURES` of the name ``name``
    (its ``key``): variant, all capitals, several words, common word."""
    lower = name.lower()
    freq = freqs.get(lower, 0.0)
    return [
        1.0 if lower != key else 0.0,
        1.0 if len(name) > 1 and name.isupper() else 0.0,
        1.0 if " " in name else 0.0,
        max(0.0, (math.log10(freq) + 9.0 - 3.0) / 4.0) if freq > 0.0 else 0.0,
    ]


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
    piece = _Piece(text, sentences, resolutions)
    out: list = []
    for r in resolutions:
        p = r.place
        if p is None:
            out.append(None)
            continue
        x = [0.0] * _N_FEATURES
        span = r.span
        piece.fill(x, p, r.confidence, span.text, span.key, span.kind, span.fuzzy,
                   span.start, span.sentence)
        out.append(x)
    return out
