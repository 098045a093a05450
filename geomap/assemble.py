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
from geomap.speedups import native

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
#: The Mention's fields, in order: what :data:`_MAKE_MENTION` sets
_FIELDS: Final = ("doc", "start", "end", "text", "place", "score", "kind", "source", "date",
                  "url", "sentence", "sentence_start")
_TYPOS: Final = native("geomap._typos")
#: The C maker of a Mention from its twelve fields in order (geomap/_typos.c's
#: ``slot_maker``: one call, where the descriptors are twelve), or ``None``
#: (pure Python, or the extension not built).
_MAKE_MENTION: Final = _TYPOS.slot_maker(Mention, _FIELDS) if _TYPOS is not None else None


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
    placed = piece.placed
    terms = _score_terms()
    x = _Vector()                       # one mention's features at a time
    margin = context // 4
    k = -1
    s0 = s1 = w0 = w1 = 0
    long = False
    sentence = ""
    make = _MAKE_MENTION
    for ir in range(len(resolutions)):
        r = resolutions[ir]
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
            own = placed[ir]
            assert own is not None
            piece.fill(x, own, r.confidence, name, span.key, kind, span.fuzzy, start, k)
            score = _round4(_probability_of(x, terms))
        if make is not None:
            out.append(make(doc_id, start + offset, end + offset, name, place, score, kind,
                            source, date, url, sentence, w0 + offset))
            continue
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
    ``pair_weights``, its first feature ``first[k]``; the weights also as a
    :class:`_Vector`, and whether the pairs are :data:`_PAIRS` (``shipped``:
    then :func:`_logit_shipped` adds them)."""

    def __init__(self, model: Any) -> None:
        self.intercept: float = model.intercept
        self.weights: list[float] = list(model.weights)
        self.weight_vector: _Vector = _vector_of(self.weights)
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
        self.shipped: bool = tuple(model.pairs) == _PAIRS


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
    return _round4(_sigmoid(_logit(x, terms)))


def _probability_of(x: _Vector, terms: _Terms) -> float:
    """The probability (not rounded) of the features ``x``: by
    :func:`_logit_shipped` for the shipped model's pairs, else :func:`_logit`."""
    return _sigmoid(_logit_shipped(x, terms) if terms.shipped else _logit(x.as_list(), terms))


def _sigmoid(z: float) -> float:
    """The logistic function of ``z``, as :meth:`~geomap.calibration.ScoreModel.probability`
    writes it."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


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


#: Features whose pairwise products the shipped model weighs (each with each,
#: squares of the graded ones only), as ``benchmarks/fit_score.py`` pairs them
_PAIRED: Final = ("share", "log population", "mentions", "countries", "admin1 agrees",
                  "country agrees", "common word", "curated", "town", "country")
_GRADED: Final = frozenset(_PAIRED[:7])
#: The pairs of :data:`_PAIRED`, in order: those :func:`_logit_shipped` adds
_PAIRS: Final = tuple((_FEATURES.index(a), _FEATURES.index(b))
                      for n, a in enumerate(_PAIRED) for b in _PAIRED[n:]
                      if a != b or a in _GRADED)


class _Vector:
    """One mention's features (:data:`FEATURES`, in order), or the model's
    weights of them: one float attribute each (compiled: unboxed doubles, no
    list to index and no float object per feature)."""

    def __init__(self) -> None:
        self.share: float = 0.0
        self.share_is_1: float = 0.0
        self.share_low: float = 0.0
        self.log_population: float = 0.0
        self.no_population: float = 0.0
        self.country: float = 0.0
        self.admin1: float = 0.0
        self.other_division: float = 0.0
        self.town: float = 0.0
        self.capital: float = 0.0
        self.water: float = 0.0
        self.terrain: float = 0.0
        self.area: float = 0.0
        self.spot: float = 0.0
        self.curated: float = 0.0
        self.demonym: float = 0.0
        self.fuzzy: float = 0.0
        self.variant: float = 0.0
        self.all_capitals: float = 0.0
        self.sentence_start: float = 0.0
        self.several_words: float = 0.0
        self.common_word: float = 0.0
        self.mentions: float = 0.0
        self.repeats: float = 0.0
        self.country_agrees: float = 0.0
        self.admin1_agrees: float = 0.0
        self.first_sentence: float = 0.0
        self.countries: float = 0.0

    def as_list(self) -> list[float]:
        """The values in the order of :data:`FEATURES`."""
        return [self.share, self.share_is_1, self.share_low, self.log_population,
                self.no_population, self.country, self.admin1, self.other_division,
                self.town, self.capital, self.water, self.terrain, self.area, self.spot,
                self.curated, self.demonym, self.fuzzy, self.variant, self.all_capitals,
                self.sentence_start, self.several_words, self.common_word, self.mentions,
                self.repeats, self.country_agrees, self.admin1_agrees, self.first_sentence,
                self.countries]


def _vector_of(values: list[float]) -> _Vector:
    """The :class:`_Vector` of ``values`` (in the order of :data:`FEATURES`)."""
    v = _Vector()
    v.share = values[0]
    v.share_is_1 = values[1]
    v.share_low = values[2]
    v.log_population = values[3]
    v.no_population = values[4]
    v.country = values[5]
    v.admin1 = values[6]
    v.other_division = values[7]
    v.town = values[8]
    v.capital = values[9]
    v.water = values[10]
    v.terrain = values[11]
    v.area = values[12]
    v.spot = values[13]
    v.curated = values[14]
    v.demonym = values[15]
    v.fuzzy = values[16]
    v.variant = values[17]
    v.all_capitals = values[18]
    v.sentence_start = values[19]
    v.several_words = values[20]
    v.common_word = values[21]
    v.mentions = values[22]
    v.repeats = values[23]
    v.country_agrees = values[24]
    v.admin1_agrees = values[25]
    v.first_sentence = values[26]
    v.countries = values[27]
    return v


def _logit_shipped(x: _Vector, terms: _Terms) -> float:
    """:func:`_logit` of the features ``x`` for a model whose pairs are
    :data:`_PAIRS` (the shipped one's: ``terms.shipped``), written out: the
    same terms added in the same order, each left out where :func:`_logit`
    leaves it out, so the same float; on unboxed doubles."""
    z = terms.intercept
    w = terms.weight_vector
    v = x.share
    if v != 0.0:
        z += w.share * v
    v = x.share_is_1
    if v != 0.0:
        z += w.share_is_1 * v
    v = x.share_low
    if v != 0.0:
        z += w.share_low * v
    v = x.log_population
    if v != 0.0:
        z += w.log_population * v
    v = x.no_population
    if v != 0.0:
        z += w.no_population * v
    v = x.country
    if v != 0.0:
        z += w.country * v
    v = x.admin1
    if v != 0.0:
        z += w.admin1 * v
    v = x.other_division
    if v != 0.0:
        z += w.other_division * v
    v = x.town
    if v != 0.0:
        z += w.town * v
    v = x.capital
    if v != 0.0:
        z += w.capital * v
    v = x.water
    if v != 0.0:
        z += w.water * v
    v = x.terrain
    if v != 0.0:
        z += w.terrain * v
    v = x.area
    if v != 0.0:
        z += w.area * v
    v = x.spot
    if v != 0.0:
        z += w.spot * v
    v = x.curated
    if v != 0.0:
        z += w.curated * v
    v = x.demonym
    if v != 0.0:
        z += w.demonym * v
    v = x.fuzzy
    if v != 0.0:
        z += w.fuzzy * v
    v = x.variant
    if v != 0.0:
        z += w.variant * v
    v = x.all_capitals
    if v != 0.0:
        z += w.all_capitals * v
    v = x.sentence_start
    if v != 0.0:
        z += w.sentence_start * v
    v = x.several_words
    if v != 0.0:
        z += w.several_words * v
    v = x.common_word
    if v != 0.0:
        z += w.common_word * v
    v = x.mentions
    if v != 0.0:
        z += w.mentions * v
    v = x.repeats
    if v != 0.0:
        z += w.repeats * v
    v = x.country_agrees
    if v != 0.0:
        z += w.country_agrees * v
    v = x.admin1_agrees
    if v != 0.0:
        z += w.admin1_agrees * v
    v = x.first_sentence
    if v != 0.0:
        z += w.first_sentence * v
    v = x.countries
    if v != 0.0:
        z += w.countries * v
    # the pairs, in the order of _PAIRS
    q = terms.pair_weights
    share = x.share
    log_population = x.log_population
    mentions = x.mentions
    countries = x.countries
    admin1_agrees = x.admin1_agrees
    country_agrees = x.country_agrees
    common_word = x.common_word
    curated = x.curated
    town = x.town
    country = x.country
    if share != 0.0:
        z += q[0] * (share * share)
        if log_population != 0.0:
            z += q[1] * (share * log_population)
        if mentions != 0.0:
            z += q[2] * (share * mentions)
        if countries != 0.0:
            z += q[3] * (share * countries)
        if admin1_agrees != 0.0:
            z += q[4] * (share * admin1_agrees)
        if country_agrees != 0.0:
            z += q[5] * (share * country_agrees)
        if common_word != 0.0:
            z += q[6] * (share * common_word)
        if curated != 0.0:
            z += q[7] * (share * curated)
        if town != 0.0:
            z += q[8] * (share * town)
        if country != 0.0:
            z += q[9] * (share * country)
    if log_population != 0.0:
        z += q[10] * (log_population * log_population)
        if mentions != 0.0:
            z += q[11] * (log_population * mentions)
        if countries != 0.0:
            z += q[12] * (log_population * countries)
        if admin1_agrees != 0.0:
            z += q[13] * (log_population * admin1_agrees)
        if country_agrees != 0.0:
            z += q[14] * (log_population * country_agrees)
        if common_word != 0.0:
            z += q[15] * (log_population * common_word)
        if curated != 0.0:
            z += q[16] * (log_population * curated)
        if town != 0.0:
            z += q[17] * (log_population * town)
        if country != 0.0:
            z += q[18] * (log_population * country)
    if mentions != 0.0:
        z += q[19] * (mentions * mentions)
        if countries != 0.0:
            z += q[20] * (mentions * countries)
        if admin1_agrees != 0.0:
            z += q[21] * (mentions * admin1_agrees)
        if country_agrees != 0.0:
            z += q[22] * (mentions * country_agrees)
        if common_word != 0.0:
            z += q[23] * (mentions * common_word)
        if curated != 0.0:
            z += q[24] * (mentions * curated)
        if town != 0.0:
            z += q[25] * (mentions * town)
        if country != 0.0:
            z += q[26] * (mentions * country)
    if countries != 0.0:
        z += q[27] * (countries * countries)
        if admin1_agrees != 0.0:
            z += q[28] * (countries * admin1_agrees)
        if country_agrees != 0.0:
            z += q[29] * (countries * country_agrees)
        if common_word != 0.0:
            z += q[30] * (countries * common_word)
        if curated != 0.0:
            z += q[31] * (countries * curated)
        if town != 0.0:
            z += q[32] * (countries * town)
        if country != 0.0:
            z += q[33] * (countries * country)
    if admin1_agrees != 0.0:
        z += q[34] * (admin1_agrees * admin1_agrees)
        if country_agrees != 0.0:
            z += q[35] * (admin1_agrees * country_agrees)
        if common_word != 0.0:
            z += q[36] * (admin1_agrees * common_word)
        if curated != 0.0:
            z += q[37] * (admin1_agrees * curated)
        if town != 0.0:
            z += q[38] * (admin1_agrees * town)
        if country != 0.0:
            z += q[39] * (admin1_agrees * country)
    if country_agrees != 0.0:
        z += q[40] * (country_agrees * country_agrees)
        if common_word != 0.0:
            z += q[41] * (country_agrees * common_word)
        if curated != 0.0:
            z += q[42] * (country_agrees * curated)
        if town != 0.0:
            z += q[43] * (country_agrees * town)
        if country != 0.0:
            z += q[44] * (country_agrees * country)
    if common_word != 0.0:
        z += q[45] * (common_word * common_word)
        if curated != 0.0:
            z += q[46] * (common_word * curated)
        if town != 0.0:
            z += q[47] * (common_word * town)
        if country != 0.0:
            z += q[48] * (common_word * country)
    if curated != 0.0:
        if town != 0.0:
            z += q[49] * (curated * town)
        if country != 0.0:
            z += q[50] * (curated * country)
    if town != 0.0:
        if country != 0.0:
            z += q[51] * (town * country)
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


class _Placed:
    """A place's own features (3 to 14 of :data:`FEATURES`: population,
    feature class and code, source) and what the counts of a piece take of
    it: its country code (``""`` for none) and division (``(country code,
    admin1)``, or None), made once per place (:func:`_placed`)."""

    def __init__(self, p: Any) -> None:
        fc: str = p.feature_class
        code: str = p.feature_code
        pop: int = p.population
        cc: str | None = p.country_code
        a1: str | None = p.admin1
        country = code.startswith("PCL") or code == "TERR"
        #: (held, so that its id is not reused while this is kept)
        self.place: object = p
        self.cc: str = cc or ""
        self.division: object = (cc, a1) if cc and a1 else None
        self.log_population: float = math.log10(pop + 1) / 7.0 if pop > 0 else 0.0
        self.no_population: float = 1.0 if pop <= 0 else 0.0
        self.country: float = 1.0 if country else 0.0
        self.admin1: float = 1.0 if code == "ADM1" else 0.0
        self.other_division: float = 1.0 if fc == "A" and not country and code != "ADM1" else 0.0
        self.town: float = 1.0 if fc == "P" else 0.0
        self.capital: float = 1.0 if code == "PPLC" else 0.0
        self.water: float = 1.0 if fc == "H" else 0.0
        self.terrain: float = 1.0 if fc == "T" else 0.0
        self.area: float = 1.0 if fc == "L" else 0.0
        self.spot: float = 1.0 if fc in ("S", "V", "R", "U") else 0.0
        self.curated: float = 1.0 if p.source == "curated" else 0.0


class _Named:
    """A name's own features (17, 18, 20 and 21 of :data:`FEATURES`: variant,
    all capitals, several words, common word), for its ``key`` and the word
    frequencies ``freqs``."""

    def __init__(self, name: str, key: str, freqs: dict[str, float]) -> None:
        lower = name.lower()
        freq = freqs.get(lower, 0.0)
        self.key = key
        self.freqs = freqs
        self.variant: float = 1.0 if lower != key else 0.0
        self.all_capitals: float = 1.0 if len(name) > 1 and name.isupper() else 0.0
        self.several_words: float = 1.0 if " " in name else 0.0
        self.common_word: float = (max(0.0, (math.log10(freq) + 9.0 - 3.0) / 4.0)
                                   if freq > 0.0 else 0.0)


#: Most places, and names, whose own features are kept (then they are made anew)
_CACHED: Final = 65536
#: The place's own features by its id (the entry holds the place, so that its
#: id is not reused while the entry is there)
_BY_PLACE: dict[int, _Placed] = {}
#: A name's own features by the name (with its key and the frequencies read)
_BY_NAME: dict[str, _Named] = {}


def _placed(p: Any) -> _Placed:
    """The :class:`_Placed` of the place ``p``, kept."""
    known = _BY_PLACE.get(id(p))
    if known is None or known.place is not p:
        if len(_BY_PLACE) >= _CACHED:
            _BY_PLACE.clear()
        known = _BY_PLACE[id(p)] = _Placed(p)
    return known


def _named(name: str, key: str, freqs: dict[str, float]) -> _Named:
    """The :class:`_Named` of the name ``name`` (its ``key``), kept."""
    known = _BY_NAME.get(name)
    if known is None or known.key != key or known.freqs is not freqs:
        if len(_BY_NAME) >= _CACHED:
            _BY_NAME.clear()
        known = _BY_NAME[name] = _Named(name, key, freqs)
    return known


class _Piece:
    """What the features of a piece's mentions need of the piece: its text and
    sentences, each resolution's :class:`_Placed` (``placed``, None without a
    place), and the counts over all its placed mentions (of each name, each
    country, each admin1).

    :meth:`fill` then writes one mention's features. The counts are made in
    one pass; the counts by name and country (or admin1), which take each
    mention's own name out of the agreement, in a second pass over the names
    mentioned more than once only (a name mentioned once counts itself once).
    """

    def __init__(self, text: str, sentences: list[tuple[int, int]], resolutions: list) -> None:
        self.text = text
        self.sentences = sentences
        self.freqs: dict[str, float] = common_english_frequencies()
        n = 0
        placed: list[_Placed | None] = []
        keys: dict[str, int] = {}
        countries: dict[str, int] = {}
        divisions: dict[object, int] = {}
        for r in resolutions:
            p = r.place
            if p is None:
                placed.append(None)
                continue
            own = _placed(p)
            placed.append(own)
            n += 1
            key: str = r.span.key
            keys[key] = keys.get(key, 0) + 1
            cc = own.cc
            if cc:
                countries[cc] = countries.get(cc, 0) + 1
                d = own.division
                if d is not None:
                    divisions[d] = divisions.get(d, 0) + 1
        same_key_cc: dict[tuple[str, str], int] = {}
        same_key_div: dict[tuple[str, object], int] = {}
        if len(keys) < n:           # a name mentioned more than once
            for i in range(len(resolutions)):
                mine = placed[i]
                if mine is None:
                    continue
                key = resolutions[i].span.key
                cc = mine.cc
                if cc and keys[key] > 1:
                    t = (key, cc)
                    same_key_cc[t] = same_key_cc.get(t, 0) + 1
                    d = mine.division
                    if d is not None:
                        u = (key, d)
                        same_key_div[u] = same_key_div.get(u, 0) + 1
        self.n = n
        self.placed = placed
        self.keys = keys
        self.countries = countries
        self.divisions = divisions
        self.same_key_cc = same_key_cc
        self.same_key_div = same_key_div
        self.log_n: float = min(1.0, math.log1p(n) * _LOG_MENTIONS)
        self.n_countries: float = min(1.0, math.log1p(len(countries)) * _LOG_MENTIONS)

    def fill(self, x: _Vector, own: _Placed, share: float, name: str, key: str, kind: str,
             fuzzy: bool, start: int, k: int) -> None:
        """Write the features (:data:`FEATURES`) into ``x`` of the mention of
        the span ``name`` (its ``key``, ``kind``, whether ``fuzzy``, its
        ``start`` and sentence ``k``) placed at the place of ``own`` with the
        resolver's ``share``."""
        count = self.keys[key]
        others = self.n - count
        cc = own.cc
        agree_c = agree_d = 0.0
        if others > 0 and cc:
            # (each mention's own name counts out of the agreement, as support does)
            mine = 1 if count == 1 else self.same_key_cc[(key, cc)]
            agree_c = (self.countries[cc] - mine) / others
            d = own.division
            if d is not None:
                mine = 1 if count == 1 else self.same_key_div[(key, d)]
                agree_d = (self.divisions[d] - mine) / others
        text = self.text
        s0 = self.sentences[k][0] if self.sentences else 0
        i = start
        while i > s0 and text[i - 1] in _OPENERS:
            i -= 1
        named = _named(name, key, self.freqs)
        x.share = share
        x.share_is_1 = 1.0 if share >= 0.9999 else 0.0
        x.share_low = 1.0 if share <= 0.25 else 0.0
        x.log_population = own.log_population
        x.no_population = own.no_population
        x.country = own.country
        x.admin1 = own.admin1
        x.other_division = own.other_division
        x.town = own.town
        x.capital = own.capital
        x.water = own.water
        x.terrain = own.terrain
        x.area = own.area
        x.spot = own.spot
        x.curated = own.curated
        x.demonym = 1.0 if kind == "demonym" else 0.0
        x.fuzzy = 1.0 if fuzzy else 0.0
        x.variant = named.variant
        x.all_capitals = named.all_capitals
        x.sentence_start = 1.0 if i <= s0 else 0.0
        x.several_words = named.several_words
        x.common_word = named.common_word
        x.mentions = self.log_n
        # (the log of the count as a float: the same value, a C call once compiled)
        x.repeats = min(1.0, math.log(float(count)) * _LOG_MENTIONS)
        x.country_agrees = agree_c
        x.admin1_agrees = agree_d
        x.first_sentence = 1.0 if k == 0 else 0.0
        x.countries = self.n_countries


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
    for i in range(len(resolutions)):
        r = resolutions[i]
        own = piece.placed[i]
        if own is None:
            out.append(None)
            continue
        x = _Vector()
        span = r.span
        piece.fill(x, own, r.confidence, span.text, span.key, span.kind, span.fuzzy,
                   span.start, span.sentence)
        out.append(x.as_list())
    return out
