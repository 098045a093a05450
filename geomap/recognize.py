"""Recognition: find the spans of a text that name places.

Gazetteer-driven and rule-based, so it is fast and explains itself. Capitalised
token runs are matched, longest first, against the gazetteer's folded names;
each match then has to survive filters for the classes of error news text is
full of:

* *part of a longer proper name*: a place name followed by another capitalised
  word that is not a place ("Vladimir Putin", "Minsk Group", "Jordan Peterson")
  or preceded by a title ("President Lincoln");
* *common words*: a capitalised everyday word that is also a small place
  ("Of course", "Enter", "Leave a Reply"), judged by the word's frequency in
  English (``wordfreq``) against the place's prominence;
* *acronyms*: all-capital short tokens match only real abbreviations ("UK",
  "USA"), not places that merely share the letters.

Demonyms and adjectives ("Armenian", "Azeris") are recognised as mentions of
their country with ``kind="demonym"``. Names missing from the gazetteer by one
typo ("Nagorno-Karbakh") are found by a deletion index over prominent names.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from itertools import compress
from typing import Any, Final

from gazetteer.names import ARTICLES, fold
from geomap.frequencies import common_english_frequencies
from geomap.recognizer_model import RecognizerModel
from geomap.rules import (
    AGE,
    CLOSING_QUOTES,
    DATELINE,
    OPENING_QUOTES,
    ROUTE_DASHES,
    dedicated,
    route_partner,
    route_patterns,
    why,
)
from geomap.spans import Span
from geomap.speedups import native
from geomap.text import capitals, is_upper, sentence_spans, spelled, token_table

__all__ = ["Span", "Recognizer", "case_compatible"]

# What the hot code uses from other modules, as Final names: compiled, they
# are read from C statics instead of being looked up in the module's globals.
_fold: Final = fold
_ARTICLES: Final = ARTICLES
_compress: Final = compress
_Span: Final = Span

#: The C typo index (geomap/_typos.c), when it is built.
_TYPOS: Final = native("geomap._typos")
#: The end of the last sentence, for tokens.
_NO_END: Final = sys.maxsize
#: Bound on the memo of windows (cleared when full, so memory stays flat).
_MEMO_SIZE: Final = 100_000
#: Bound on the memos of the recogniser's other judgements.
_JUDGEMENTS: Final = 65536
#: A memo's "not known yet", where ``None`` is a value.
_UNKNOWN: Final[Any] = object()
#: The gaps :data:`geomap.rules.NAME_GAP` matches, as strings (:func:`_joined`).
_NAME_GAPS: Final = frozenset((" ", "-", "\u2013", " - ", "'", "\u2019", ". ", "."))
# a possessive inside a name ("People's Republic of China"): the window runs on
_APOSTROPHES: Final = ("'", "\u2019")


class _Match:
    """A gazetteer match on trial: a :class:`Span`'s fields and whether it
    matched as a plural, cheaper to make (most matches are turned down;
    compiled, this is a C struct), and :meth:`span` when it is kept."""

    __slots__ = ("start", "end", "text", "key", "kind", "fuzzy", "sentence", "plural", "by_key")

    def __init__(self, start: int, end: int, text: str, key: str, kind: str, fuzzy: bool,
                 sentence: int, plural: bool = False, by_key: bool = False) -> None:
        self.start, self.end, self.text, self.key = start, end, text, key
        self.kind, self.fuzzy, self.sentence = kind, fuzzy, sentence
        # matched as the plural of its key ("Azeris" by "azeri"), not a Span field
        self.plural = plural
        # matched by a key other than its text's: a transliteration variant
        # ("el-Fasher" by "al fashir") or "the Strip" by "gaza strip"
        self.by_key = by_key

    def span(self) -> Span:
        """``Span(start, end, text, key, kind, fuzzy, sentence)``, built
        without the frozen ``__init__`` (a third of the time): by the C
        span maker (:data:`_MAKE_SPAN`) when it is built, else by the slots'
        descriptors."""
        if _MAKE_SPAN is not None:
            return _MAKE_SPAN(self.start, self.end, self.text, self.key, self.kind, self.fuzzy,
                              self.sentence)
        s = _new(_Span)
        _set_start(s, self.start)
        _set_end(s, self.end)
        _set_text(s, self.text)
        _set_key(s, self.key)
        _set_kind(s, self.kind)
        _set_fuzzy(s, self.fuzzy)
        _set_sentence(s, self.sentence)
        return s


#: For building the frozen Span without its __init__ (the slots' descriptors,
#: read from the class namespace: to a type checker ``Span.start`` is the field)
_new: Final = object.__new__
_span_slots = vars(Span)
_set_start: Final = _span_slots["start"].__set__
_set_end: Final = _span_slots["end"].__set__
_set_text: Final = _span_slots["text"].__set__
_set_key: Final = _span_slots["key"].__set__
_set_kind: Final = _span_slots["kind"].__set__
_set_fuzzy: Final = _span_slots["fuzzy"].__set__
_set_sentence: Final = _span_slots["sentence"].__set__
#: The C maker of a Span from its seven fields in order (geomap/_typos.c's
#: ``slot_maker``: one call, where the descriptors are seven), or ``None``.
_MAKE_SPAN: Final = (_TYPOS.slot_maker(Span, ("start", "end", "text", "key", "kind", "fuzzy",
                                              "sentence"))
                     if _TYPOS is not None else None)


#: A name a window of tokens starts with: ``(n, key, kind)``, the name ending
#: on the window's token ``n``.
_Found = tuple[int, str, str]


class _Ctx:
    """One text's tokens, as columns, and what recognition learns about it.

    Token ``i`` is ``words[i]`` at ``starts[i]:ends[i]``; ``caps[i]`` tells
    whether it is capitalised. Its sentence is found on demand
    (:meth:`sentence`): most tokens are never asked.
    """

    __slots__ = ("text", "words", "starts", "ends", "caps", "sentences", "bounds",
                 "capitals", "heads", "persons", "kept", "dateline", "orgs", "groups",
                 "variants", "asked", "answer", "quotes")

    def __init__(self, text: str, sentences: list[tuple[int, int]]):
        self.text = text
        self.words, self.starts, self.ends, self.caps = token_table(text)
        # the capitalised tokens, in order
        self.capitals = capitals(self.caps)
        self.sentences = sentences
        # token i is in sentence k when bounds[k - 1] <= starts[i] < bounds[k]
        self.bounds = [e for _, e in sentences[:-1]]
        # What the filters ask of the whole document, found on first need
        # (most tokens, words and sentences are never asked about): whether
        # sentence k is a headline (heads[k]: -1 not known yet, 0 no, 1 yes),
        # whether a word is used as part of a person's name (by the word), and
        # (``None`` until asked) the tokens of organisations' listed names and
        # of datelines, and the words used as armed groups' names.
        self.heads: list[int] = [-1] * len(sentences)
        self.persons: dict[str, bool] = {}
        self.orgs: set[int] | None = None
        self.dateline: set[int] | None = None
        self.groups: set[str] | None = None
        self.kept: list[Span] = []
        # the kept spans matched by a transliteration variant, by start offset
        self.variants: set[int] = set()
        # the token last asked about by :meth:`sentence`, and its sentence:
        # each route and filter asks about the token it starts at
        self.asked = -1
        self.answer = 0
        # the offsets of the text's opening double quotes (:meth:`quoted`),
        # found when first asked
        self.quotes: list[int] | None = None

    def quoted(self, lo: int, hi: int) -> bool:
        """Is an opening double quote (:data:`geomap.rules.OPENING_QUOTES`)
        in ``text[lo:hi]``? (Without one, no name is nicknamed:
        :func:`geomap.rules.in_nicknamed_name`; most texts have none.)"""
        quotes = self.quotes
        if quotes is None:
            text = self.text
            quotes = []
            for q in OPENING_QUOTES:
                k = text.find(q)
                while k >= 0:
                    quotes.append(k)
                    k = text.find(q, k + 1)
            quotes.sort()
            self.quotes = quotes
        if not quotes:
            return False
        k = _bisect_left(quotes, lo)
        return k < len(quotes) and quotes[k] < hi

    def sentence(self, i: int) -> int:
        """The index of token ``i``'s sentence."""
        if i != self.asked:
            self.answer = _sentence_of(self.bounds, self.starts[i])
            self.asked = i
        return self.answer

    def sentence_end(self, k: int) -> int:
        """Where sentence ``k`` ends for tokens: the next sentence's bound."""
        return self.bounds[k] if k < len(self.bounds) else _NO_END

    def sentence_floor(self, k: int) -> int:
        """Where sentence ``k`` starts for tokens: its bound."""
        return self.bounds[k - 1] if k > 0 else -1


class Recognizer:
    """Find place-name spans in text using a :class:`gazetteer.Gazetteer`.

    This is the engine: compiled, with memos, it applies the rules of
    :mod:`geomap.rules` inlined; :class:`geomap.recognize_reference.ReferenceRecognizer`
    is their plain definition, and tests hold the two equal. Every
    threshold and word list is read from ``model``.

    Parameters
    ----------
    gazetteer
        Anything with ``has_name(folded) -> bool``, ``candidates(name)`` and
        ``max_name_tokens()``.
    model
        The thresholds, word lists and rules switched off
        (:class:`~geomap.recognizer_model.RecognizerModel`); the defaults by default.
    fuzzy_names
        Folded names that may be matched with one typo; by default the
        gazetteer's prominent names (countries, first-level divisions,
        regions, large cities) when it offers ``prominent_names()``.
    common_word_zipf
        Overrides the model's ``common_word_zipf``.

    Examples
    --------
    >>> rec = Recognizer(gaz)                                  # doctest: +SKIP
    >>> [s.text for s in rec("Talks in Geneva, said Vladimir Putin.")]  # doctest: +SKIP
    ['Geneva']
    """

    def __init__(self, gazetteer, model: RecognizerModel | None = None, *, fuzzy_names=None,
                 common_word_zipf: float | None = None):
        if model is None:
            model = RecognizerModel()
        if common_word_zipf is not None:
            model = replace(model, common_word_zipf=common_word_zipf)
        self.model = model
        self.gaz = gazetteer
        self.max_tokens = min(int(gazetteer.max_name_tokens()), model.max_name_tokens)
        # the model's values, as typed attributes (compiled: read from the struct)
        self.common_word_zipf: float = model.common_word_zipf
        self._very_common_zipf: float = model.very_common_word_zipf
        self._sentence_start_zipf: float = model.sentence_start_zipf
        self._person_zipf: float = model.person_word_zipf
        self._short_word: int = model.short_word_length
        self._acronym_length: int = model.acronym_length
        self._prominent_population: int = model.prominent_population
        self._fuzzy_min_length: int = model.fuzzy_min_length
        self._fuzzy_max_zipf: float = model.fuzzy_max_zipf
        self._fuzzy_max_tokens: int = model.fuzzy_max_tokens
        self._variant_min_length: int = model.variant_min_length
        self._variant_max_zipf: float = model.variant_max_zipf
        self._variant_max_tokens: int = model.variant_max_tokens
        self._variant_min_population: int = model.variant_min_population
        self._org_max_tokens: int = model.organisation_max_tokens
        self._org_max_middle: int = model.organisation_max_middle
        self._connectors: frozenset[str] = model.connectors
        self._titles: frozenset[str] = model.titles
        self._place_words: frozenset[str] = model.place_words
        self._institutions: frozenset[str] = model.institutions
        self._time_words: frozenset[str] = model.time_words
        self._modifiers: frozenset[str] = model.modifiers
        self._stopwords: frozenset[str] = model.stopwords
        self._speech_verbs: frozenset[str] = model.speech_verbs
        self._disease_words: frozenset[str] = model.disease_words
        self._disease_adjectives: frozenset[str] = model.disease_adjectives
        self._place_suffixes: frozenset[str] = model.place_suffixes
        self._routes = route_patterns(model.route_words)
        self._saints: frozenset[str] = model.saints
        self._first_names: frozenset[str] = model.first_names
        self._dedications: frozenset[str] = model.dedications
        self._org_heads: frozenset[str] = model.org_heads
        self._army_heads: frozenset[str] = model.army_heads
        self._group_words: frozenset[str] = model.group_words
        self._ship_prefixes: frozenset[str] = model.ship_prefixes
        self._locatives: frozenset[str] = model.locatives
        self._feature_generics: frozenset[str] = model.feature_generics
        self._direction_initials: frozenset[str] = model.direction_initials
        self._back_references: frozenset[str] = model.back_references
        self._article_words: frozenset[str] = model.article_words
        self._function_words: frozenset[str] = model.function_words
        self._name_links: frozenset[str] = model.name_links
        self._prominent_codes: frozenset[str] = model.prominent_codes
        self._country_codes: frozenset[str] = model.country_like_codes
        self._locative_alternatives: str = "|".join(sorted(model.locatives))
        # locatives that are words (letters and digits): :meth:`_located_elsewhere`
        # finds them without the regular expression
        self._plain_locatives: bool = (bool(model.locatives)
                                       and all(w.isalnum() for w in model.locatives))
        # a word starting with a-z after white space (a whole token), not a function word
        alternatives = "|".join(sorted(model.function_words, key=len, reverse=True))
        self._prose_word: re.Pattern[str] = re.compile(
            rf"(?<=\s)(?!(?:{alternatives})(?![^\W_]))[a-z]")
        # the rules switched off (checked only once a rule applies)
        self._off: frozenset[str] = model.disabled
        self._all_on: bool = not model.disabled
        self._fuzzy_source = fuzzy_names
        self._fuzzy: Any = None        # the typo index, once made
        self._windows: dict[str, tuple[int, tuple[_Found, ...]]] = {}
        self._memo_cands: dict[str, tuple] = {}
        # the store's has_name, by key (:meth:`_has_name`)
        self._memo_has: dict[str, bool] = {}
        # (by the text as written; one memo with and one without a full stop after)
        self._memo_profile: dict[str, Any] = {}
        self._memo_profile_dotted: dict[str, Any] = {}
        self._memo_demonym_only: dict[str, bool] = {}
        self._memo_prominent: dict[str, bool] = {}
        # (by the pair's text, words and gap: its tokens are the two words)
        self._memo_pairs: dict[str, str] = {}
        self._memo_major: dict[str, bool] = {}
        self._memo_fuzzy: dict[str, Any] = {}
        self._memo_variants: dict[str, Any] = {}
        # capitalised words that, standing alone (:meth:`_lone`), match nothing
        # by any route: no name, back-reference, typo or variant
        self._lone_misses: dict[str, bool] = {}
        # capitalised runs none of whose lengths is a transliteration variant
        self._variant_misses: dict[str, bool] = {}
        self._orgs: frozenset[str] = model.organisations
        # the store's transliteration index, when it has one
        self._variants: Any = getattr(gazetteer, "variant_keys", None)
        # the first words of the organisations' names, folded and as written
        self._org_firsts = frozenset(n.split(" ")[0] for n in self._orgs)
        # words as written -> whether they start an organisation's name (:meth:`_org_first`)
        self._memo_org_firsts: dict[str, int] = {}

    # -- public -------------------------------------------------------------
    def __call__(self, text: str) -> list[Span]:
        return self.recognize(text)

    def recognize(self, text: str, sentences: list[tuple[int, int]] | None = None,
                  trace: list | None = None) -> list[Span]:
        """Return the place spans of ``text``, in order, not overlapping.

        ``sentences`` may pass :func:`geomap.text.sentence_spans` already computed.
        ``trace``, a list, receives ``(span, reason)`` for every gazetteer match
        that was turned down, so that a missed place can be explained.
        """
        if sentences is None:
            sentences = sentence_spans(text)
        ctx = _Ctx(text, sentences)
        all_on = self._all_on
        # Only a capitalised word starts a name: the rest is looked at as context.
        # (Headlines, person evidence, datelines, organisations' names and
        # armed groups are found when a filter first asks: :meth:`_headline`,
        # :meth:`_person_word`, :meth:`_dateline`, :meth:`_in_organisation`,
        # :meth:`_group_words_of`.)
        caps = ctx.capitals
        spans: list[Span] = ctx.kept
        words = ctx.words
        resume = 0           # the first token not yet consumed by a span
        for i in caps:
            if i < resume or (len(words[i]) == 3 and words[i].lower() == "the"):
                continue      # "The Hague" aside, "the" is not part of the name we report
            # a word alone whose every route was tried before and found nothing
            # (most capitalised words: "He", "Monday", "Smith"): nothing again
            lone = self._lone(ctx, i)
            if lone and words[i] in self._lone_misses:
                continue
            found = self._matches(ctx, i)
            if found and _article_follows(ctx, i + found[0][0], self._article_words):
                # "Deyr ez-Zawr": the name goes on past an article the scan stops at
                j = self._variant_match(ctx, i, spans, trace, found[0][0])
                if j != i:
                    resume = j
                    continue
            if not found:
                resume = self._back_reference(ctx, i, spans)
                if resume == i:
                    resume = self._fuzzy_match(ctx, i, spans)
                if resume == i:
                    resume = self._variant_match(ctx, i, spans, trace)
                    if resume == i and lone and self._lone_miss(words[i]):
                        _remember(self._lone_misses, words[i], True)
                continue
            for n, key, kind in found:
                j = i + n
                match = self._span(ctx, i, j, key, kind)
                reason = self._reject_reason(ctx, i, j, match)
                if reason is None:
                    spans.append(match.span())
                    resume = j + 1
                    break
                if trace is not None:
                    trace.append((match.span(), why(reason)))
            else:
                # every name as written was turned down ("Dayr", a small town's
                # alternate name): "Dayr az Zawr" may still be one by its skeleton
                resume = self._variant_match(ctx, i, spans, trace, found[0][0])
        if ctx.variants and (all_on or self._on("variant-support")):
            spans = self._supported_variants(ctx, spans, trace)
        return spans

    def _on(self, rule: str) -> bool:
        """Is ``rule`` switched on? (Asked only once a rule applies: by
        default every rule is, and :attr:`_all_on` says so at once.)"""
        return rule not in self._off

    # -- matching -----------------------------------------------------------
    def _lone(self, ctx: _Ctx, i: int) -> bool:
        """Does token ``i`` stand alone: is it the last token, or followed by
        a word that no scan joins to it (not capitalised, a digit, a connector,
        an Arabic article or a possessive "s")? Then every route to a match
        (:meth:`_matches`, :meth:`_back_reference`, :meth:`_fuzzy_match`,
        :meth:`_variant_match`) looks at the word alone."""
        n = i + 1
        words = ctx.words
        if n == len(words):
            return True
        if ctx.caps[n]:
            return False
        after = words[n]
        if after.isdigit() or (after == "s" and ctx.text[ctx.ends[i]:ctx.starts[n]]
                               in _APOSTROPHES):
            return False
        low = after.lower()
        return low not in self._connectors and low not in self._article_words

    def _lone_miss(self, word: str) -> bool:
        """Whether ``word``, alone (:meth:`_lone`), matches nothing whatever
        the document: once no name starts with it, it is no back-reference
        word, no prominent name is one typo away and it is no transliteration
        variant (each of these depends on the word alone); a match turned
        down by the filters depends on the document, and is not a miss."""
        if word.lower() in self._back_references:
            return False
        if ((self._all_on or self._on("fuzzy"))
                and not (len(word) < self._fuzzy_min_length and word.isascii())
                and self._fuzzy_hit(word) is not None):
            return False
        variants = self._variants
        return (variants is None or not (self._all_on or self._on("variant"))
                or self._variant_key(word, variants) is None)

    def _matches(self, ctx: _Ctx, i: int) -> tuple[_Found, ...]:
        """Gazetteer names starting at token ``i``, longest first: ``(n, key, kind)``,
        the name ending on token ``i + n``."""
        text, words, starts, ends, caps = ctx.text, ctx.words, ctx.starts, ctx.ends, ctx.caps
        # The window a name can span: tokens of the same sentence joined by a
        # space, hyphen, apostrophe or full stop, each capitalised, a digit,
        # a connector ("of", "de") or a possessive "s" ("People's Republic of
        # China"); a name ends on a capitalised word or digit.
        last = i
        stop = None
        for j in range(i + 1, min(i + self.max_tokens, len(words))):
            # the cheapest test first: most windows end at a lower-case word
            if not (caps[j] or words[j].lower() in self._connectors or words[j].isdigit()
                    or (words[j] == "s" and text[ends[j - 1]:starts[j]] in _APOSTROPHES)):
                break
            if stop is None:
                stop = ctx.sentence_end(ctx.sentence(i))
            start = starts[j]
            if start >= stop:
                break
            if not _joined(text, ends[j - 1], start):
                break
            last = j
        return self._window_matches(ctx, text[starts[i]:ends[last]], i, last)

    def _window_matches(self, ctx: _Ctx, window: str, i: int, last: int) -> tuple[_Found, ...]:
        """The names the window of tokens ``i..last`` starts with, longest
        first: ``(n, key, kind)``, token ``i + n`` ending the name.

        A window's matches depend on its text alone, and windows recur
        ("New York", "Los Angeles County"), so they are memoised.
        """
        size = last - i + 1
        memo = self._windows.get(window)
        if memo is not None and memo[0] == size:
            return memo[1]
        words, ends, caps = ctx.words, ctx.ends, ctx.caps
        out: list[_Found] = []
        base = ctx.starts[i]
        # the tokens i..plain are ASCII letters and digits one space apart:
        # the fold of the text up to one of them is its lower case
        # (gazetteer.names.fold's own first case, without its tests each time)
        plain = i - 1
        if window.isascii():
            starts = ctx.starts
            t = i
            while t <= last and words[t].isalnum() and (
                    t == i or (starts[t] == ends[t - 1] + 1 and window[ends[t - 1] - base] == " ")):
                plain = t
                t += 1
        for n in range(size - 1, -1, -1):
            t = i + n
            if not (caps[t] or words[t].isdigit()):
                continue
            prefix = window[:ends[t] - base]
            key = prefix.lower() if t <= plain else _fold(prefix)
            if self._has_name(key):
                out.append((n, key, "name"))
            elif n == 0 and key.endswith("s") and len(key) > 4 and self._has_name(key[:-1]):
                if self._has_demonym(words[i][:-1]):
                    out.append((n, key[:-1], "demonym"))
        found = tuple(out)
        if len(self._windows) >= _MEMO_SIZE:
            self._windows.clear()
        self._windows[window] = (size, found)
        return found

    def _span(self, ctx: _Ctx, i: int, j: int, key: str, kind: str) -> _Match:
        s, e = ctx.starts[i], ctx.ends[j]
        text = ctx.text[s:e]
        # (a window's "demonym" is a plural: its key is the text's fold less the "s")
        plural = kind == "demonym"
        if kind == "name" and self._is_demonym_only(text):
            kind = "demonym"
        return _Match(s, e, text, key, kind, False, ctx.sentence(i), plural)

    def _has_name(self, key: str) -> bool:
        """The gazetteer's ``has_name(key)``, memoised: the same keys are asked
        by several routes (a window's words, then the same run as a
        transliteration variant, a prominent or division name), and a dict
        costs less than a call into the store, whose own cache sits behind
        a generic call."""
        known = self._memo_has.get(key)
        if known is None:
            known = _remember(self._memo_has, key, bool(self.gaz.has_name(key)))
        return known

    # (the judgements below depend on their arguments alone: each is memoised
    # per recogniser, in a dict cleared when full, so that memory stays flat)
    def _cands(self, text: str) -> tuple:
        known = self._memo_cands.get(text)
        if known is None:
            known = _remember(self._memo_cands, text, tuple(
                c for c in self.gaz.candidates(text) if case_compatible(text, c.matched)))
        return known

    def _profile(self, text: str, dotted: bool) -> tuple[bool, bool, bool, bool] | None:
        memo = self._memo_profile_dotted if dotted else self._memo_profile
        known = memo.get(text, _UNKNOWN)
        if known is _UNKNOWN:
            known = _remember(memo, text, self._make_profile(text, dotted))
        return known

    def _make_profile(self, text: str, dotted: bool) -> tuple[bool, bool, bool, bool] | None:
        """What the candidates for ``text`` as written are, or ``None`` if none.

        ``(prominent, country_like, division, abbreviation)``: is any of them
        prominent, a country or region, a country or first-level division,
        written in capitals ("UK")? Without a following full stop (``dotted``)
        spellings that end in one ("Calif.") do not count.
        """
        codes, population = self._prominent_codes, self._prominent_population
        country_codes = self._country_codes
        # one pass over the candidates (a common name has hundreds); a spelling
        # is in capitals when its letters are ("U.S.": full stops and spaces
        # have no case, so str.isupper of the spelling itself says so)
        # (_prominent and _country_like inlined: each candidate's attributes
        # are read once, and not at all once every answer is known)
        kept = prominent = country_like = adm1 = capitals = False
        for c in self._cands(text):
            matched = c.matched
            if not dotted and matched.endswith("."):
                continue
            kept = True
            if prominent and country_like and adm1 and capitals:
                continue
            place = c.place
            code: str = place.feature_code
            pcl = code.startswith("PCL")
            if not prominent:
                if pcl or place.source == "curated":
                    prominent = True
                elif c.kind in ("name", "abbreviation", "metonym"):
                    if code in codes:
                        prominent = True
                    elif place.feature_class == "P" and place.population >= population:
                        prominent = True
            if not country_like and (pcl or code in country_codes):
                country_like = True
            if not adm1 and code == "ADM1":
                adm1 = True
            if not capitals and matched.isupper():
                capitals = True
        if not kept:
            return None
        return (prominent, country_like, country_like or adm1, capitals)

    def _prominent_name(self, text: str) -> bool:
        """Is this word, as written, the name of a prominent place (or a demonym)?"""
        known = self._memo_prominent.get(text)
        if known is None:
            known = _remember(self._memo_prominent, text, self._has_name(_fold(text)) and any(
                _prominent(c, self._prominent_codes, self._prominent_population)
                or c.kind == "demonym" for c in self._cands(text)))
        return known

    def _route_end(self, text: str, start: int, end: int, name: str) -> bool:
        """Is the match ``name`` at ``start:end`` an end of a route named by its
        ends, the other a place of one of its countries (rules.route_partner)?
        (A dash next to the match comes first: without one, no route, and
        most matches have none.)"""
        if text[end:end + 1] not in ROUTE_DASHES and text[start - 1:start] not in ROUTE_DASHES:
            return False
        other = route_partner(text, start, end, self._routes)
        if other is None:
            return False
        codes = {c.place.country_code for c in self._cands(name)}
        return any(c.place.country_code and c.place.country_code in codes
                   for c in self._cands(other))

    def _division_name(self, text: str) -> bool:
        """Is this word, as written, the name of a country, first-level division or region?"""
        return self._has_name(_fold(text)) and any(
            _country_like(c.place, self._country_codes) or c.place.feature_code == "ADM1"
            or c.kind == "demonym"
            for c in self._cands(text))

    def _major_division(self, text: str) -> bool:
        """Is this word, as written, a country or region, a demonym, a
        first-level division of ``prominent_population`` ("Georgia"), or a
        first-level division's name that a town that populous has too
        ("Dublin"); not Uruguay's Flores nor the Isle of Man's parish Michael?"""
        known = self._memo_major.get(text)
        if known is None:
            known = _remember(self._memo_major, text,
                              self._has_name(_fold(text)) and self._judge_major(text))
        return known

    def _judge_major(self, text: str) -> bool:
        population = self._prominent_population
        cands = self._cands(text)
        if any(_country_like(c.place, self._country_codes) or c.kind == "demonym"
               or (c.place.feature_code == "ADM1" and c.place.population >= population)
               for c in cands):
            return True
        return (any(c.place.feature_code == "ADM1" for c in cands)
                and any(c.place.feature_class == "P" and c.place.population >= population
                        and c.kind == "name" for c in cands))

    def _used_as_place(self, ctx: _Ctx, nxt: int | None, nxt_word: str,
                       gap_after: str | None) -> bool:
        """Does what follows a match use it as a place: a country or state
        of one or two words after a comma ("Jackson, Miss.", "Nelson, New
        Zealand"), or a place-type word ("Jackson County")?"""
        if nxt is None:
            return False
        if gap_after == ", ":
            if not ctx.caps[nxt]:
                return False
            if self._division_name(nxt_word):
                return True
            k = nxt + 1
            return (k < len(ctx.words) and ctx.caps[k]
                    and ctx.text[ctx.ends[nxt]:ctx.starts[k]] == " "
                    and self._division_name(f"{nxt_word} {ctx.words[k]}"))
        return gap_after == " " and nxt_word.lower() in self._place_words

    def _has_demonym(self, text: str) -> bool:
        return any(c.kind == "demonym" for c in self._cands(text))

    def _is_demonym_only(self, text: str) -> bool:
        known = self._memo_demonym_only.get(text)
        if known is None:
            known = _remember(self._memo_demonym_only, text, self._judge_demonym_only(text))
        return known

    def _judge_demonym_only(self, text: str) -> bool:
        cands = self._cands(text)
        if not cands:
            return False
        kinds = {c.kind for c in cands}
        if "demonym" not in kinds:
            return False
        # "Turkish" is only a demonym; "Armenia" is a name. A demonym wins when
        # no candidate is a prominent place known by that very name.
        codes, population = self._prominent_codes, self._prominent_population
        return not any(c.kind != "demonym" and _prominent(c, codes, population) for c in cands)

    # -- filters ------------------------------------------------------------
    def _headline(self, ctx: _Ctx, k: int) -> bool:
        """Is sentence ``k`` a headline (:func:`_is_headline`)? Found when
        first asked, once per sentence; never when the rule is off."""
        heads = ctx.heads
        if k >= len(heads):
            return False
        h = heads[k]
        if h < 0:
            h = 1 if ((self._all_on or self._on("headline"))
                      and _is_headline(ctx, k, self._function_words)) else 0
            heads[k] = h
        return h == 1

    def _person_word(self, ctx: _Ctx, word: str) -> bool:
        """Does the document use ``word`` as part of a person's name: is it
        among :meth:`_person_tokens`? Found when first asked, at the tokens
        that spell it (most words are never asked about), once per document."""
        known = ctx.persons.get(word)
        if known is None:
            known = ((self._all_on or self._on("person-name"))
                     and self._find_person_word(ctx, word))
            ctx.persons[word] = known
        return known

    def _find_person_word(self, ctx: _Ctx, word: str) -> bool:
        """:meth:`_person_word`, asked of each capitalised token ``p`` that
        spells ``word``: the evidence of :meth:`_person_evidence` at ``p``
        (an age after it) and at ``p - 1`` (a first name, initial or title
        before it). (A token that spells it is capitalised, as the word is:
        the capitalised tokens are compared with it, in order, by
        :func:`geomap.text.spelled` (in C, a comparison of lengths and code
        units each), where a search of the text for the word's occurrences
        reads the whole text, and more than once for a word it holds several
        times.)"""
        if not word[:1].isupper():
            return False
        caps, starts, bounds = ctx.caps, ctx.starts, ctx.bounds
        for p in spelled(ctx.words, ctx.capitals, word):
            if self._person_evidence(ctx, p, _sentence_of(bounds, starts[p])) & _AGED:
                return True
            if p > 0 and caps[p - 1] and self._person_evidence(
                    ctx, p - 1, _sentence_of(bounds, starts[p - 1])) & _SURNAME:
                return True
        return False

    def _person_tokens(self, ctx: _Ctx, caps: list[int]) -> set[str]:
        """Words the document uses as parts of people's names.

        "Dan Adkins", "Rep. Charles Rangel": the capitalised word after another
        capitalised word (not a function word, title, modifier or place-type
        word, and the pair not a place name) is a surname, and a later
        "Adkins said" is a person, not the town of Adkins. (The definition of
        :meth:`_person_word`, which the recogniser asks instead, word by word.)
        """
        out: set[str] = set()
        words, starts, bounds = ctx.words, ctx.starts, ctx.bounds
        # the sentence of token k (bisect_right(bounds, starts[k])), found by
        # moving on from the last one: k only grows
        s, n_bounds = 0, len(bounds)
        for k in caps:
            start = starts[k]
            while s < n_bounds and bounds[s] <= start:
                s += 1
            found = self._person_evidence(ctx, k, s)
            if found & _AGED:
                out.add(words[k])
            if found & _SURNAME:
                out.add(words[k + 1])
        return out

    def _person_evidence(self, ctx: _Ctx, k: int, s: int) -> int:
        """The person evidence at the capitalised token ``k`` of sentence
        ``s``: :data:`_AGED` when ``k`` is a name with an age after it,
        :data:`_SURNAME` when token ``k + 1`` is a surname after it."""
        text, words, starts, ends, iscap = ctx.text, ctx.words, ctx.starts, ctx.ends, ctx.caps
        out = 0
        e = ends[k]
        if (e + 1 < len(text) and text[e] == "," and text[e + 1] == " "
                and AGE.match(text, e) is not None):
            # "Flores, 26, had just left": a name with an age after it
            if (not is_upper(words[k]) and words[k].lower() not in self._time_words
                    and not self._headline(ctx, s)):
                out = _AGED
        if k == len(words) - 1 or not iscap[k + 1]:
            return out
        a, b = words[k], words[k + 1]
        if (len(a) == 1 and text[ends[k]:starts[k + 1]] == ". " and not is_upper(b)
                and a not in self._direction_initials):
            # "Matthew D. Flores" (not "U.S. Marshall": no initial glued before)
            if ((k == 0 or text[ends[k - 1]:starts[k]] != ".")
                    and starts[k + 1] < ctx.sentence_end(s)
                    and self._pair_verdict(f"{a} {b}", a, b) is not _NOT_A_PERSON):
                out |= _SURNAME
            return out
        if is_upper(a) or is_upper(b):
            return out
        # (token k + 1 is in token k's sentence when it starts before its end)
        if starts[k + 1] >= ctx.sentence_end(s) or self._headline(ctx, s):
            return out
        verdict = self._pair_verdict(text[starts[k]:ends[k + 1]], a, b)
        if verdict is _NOT_A_PERSON:
            return out
        if verdict is _UNLESS_SENTENCE_START and _is_sentence_start(ctx, k):
            return out          # "Two Richmond officers": a common word starts the sentence
        return out | _SURNAME

    def _pair_verdict(self, pair: str, first: str, second: str) -> str:
        """:meth:`_judge_pair` of the tokens ``first`` and ``second`` that
        ``pair`` (the text from the one's start to the other's end) is made
        of, memoised by ``pair``: one string to hash, and the same words and
        gap whenever it recurs."""
        known = self._memo_pairs.get(pair)
        if known is None:
            gap = pair[len(first):len(pair) - len(second)]
            known = _remember(self._memo_pairs, pair, self._judge_pair(first, second, gap))
        return known

    def _judge_pair(self, first: str, second: str, gap: str) -> str:
        """Does the pair ``first gap second`` name a person, judged by its words alone?

        The one judgement that needs the document, whether ``first`` starts
        its sentence, is left to the caller by :data:`_UNLESS_SENTENCE_START`.
        """
        wa, wb = first.lower(), second.lower()
        if wa in self._titles and gap in (" ", ". "):
            return _PERSON
        if (gap != " " or wa in self._stopwords or wa in self._modifiers
                or wa in self._time_words or wa in self._feature_generics):
            return _NOT_A_PERSON        # ("Mount Hermon": the name of a feature, not a person)
        if (wb in self._place_words or wb in self._institutions or wb in self._titles
                or wb in self._time_words):
            return _NOT_A_PERSON
        if self._major_division(first) or self._has_name(_fold(f"{first} {second}")):
            return _NOT_A_PERSON
        return _UNLESS_SENTENCE_START if _zipf(wa) >= self._person_zipf else _PERSON

    def _reject_reason(self, ctx: _Ctx, i: int, j: int, span: _Match) -> str | None:
        """The id of the rule (:data:`geomap.rules.ORDER`) that turns this
        match down, or ``None`` when it is a place mention.

        Each rule's test is inlined here as :mod:`geomap.rules` states it;
        a rule switched off is asked about (:meth:`_on`) only once its test
        holds, so that the default costs nothing.
        """
        text, words, starts, ends, caps = ctx.text, ctx.words, ctx.starts, ctx.ends, ctx.caps
        all_on = self._all_on
        first, first_start, last_end = words[i], starts[i], ends[j]
        # "Wash." and "Calif." are abbreviations only with their period
        dotted = "." in text[last_end - 1:last_end + 1]
        profile = self._profile(_lookup_text(span), dotted)
        if profile is None:
            return "no-candidate"
        prominent, country_like, division, abbreviation = profile
        organisation = self._organisation_reason(ctx, i, j, span.kind == "demonym" or division)
        if organisation is not None:
            return organisation
        if span.kind == "demonym" and (all_on or self._on("demonym")):
            return None
        headline = self._headline(ctx, span.sentence)
        single = i == j
        # (the lower-case word and capitals matter for a single word only)
        word = first.lower() if single else ""
        if (single and (word in self._modifiers or word in self._time_words)
                and (all_on or self._on("direction-or-time"))):
            return "direction-or-time"
        first_upper = single and is_upper(first)
        # Acronyms: all-capital short tokens must match a real abbreviation.
        dateline = i in self._dateline(ctx)
        if (single and first_upper and len(first.replace(".", "")) <= self._acronym_length
                and not headline and not dateline and not abbreviation
                and (all_on or self._on("acronym"))):
            return "acronym"
        # the words before and after, in the same sentence
        prev = i - 1 if i > 0 and starts[i - 1] >= ctx.sentence_floor(span.sentence) else None
        stop = ctx.sentence_end(span.sentence)
        nxt = j + 1 if j + 1 < len(words) and starts[j + 1] < stop else None
        nxt_word = words[nxt] if nxt is not None else ""
        gap_after = text[last_end:starts[nxt]] if nxt is not None else None
        # Glued into a compound: "Wal-Mart", "Frankenstein-esque" (not "Texas-based").
        after = text[last_end:last_end + 2]
        if (gap_after == "-" and nxt_word[:1].islower() and nxt_word not in self._place_suffixes
                and (all_on or self._on("compound-word"))):
            return "compound-word"
        before = text[max(0, first_start - 1):first_start]
        if (after[:1] == "$" or before == "$") and (all_on or self._on("currency")):
            return "currency"
        then = words[j + 2] if j + 2 < len(words) else ""
        if gap_after == " " and (
                nxt_word in self._disease_words
                or (nxt_word in self._disease_adjectives and then in self._disease_words)) \
                and (all_on or self._on("disease")):
            return "disease"
        if (not dateline and (before == "/" or after[:1] == "/")
                and (all_on or self._on("code"))):
            return "code"
        if (gap_after in ("-", "–") and nxt is not None and caps[nxt]
                and not self._division_name(nxt_word)
                and not self._route_end(text, first_start, last_end, span.text)
                and (all_on or self._on("hyphenated-name"))):
            return "hyphenated-name"
        # "Stevens & Wilkinson": a firm's name
        if not division and (all_on or self._on("firm-name")):
            if gap_after == " & " and nxt is not None and caps[nxt]:
                if not self._division_name(nxt_word):
                    return "firm-name"
            elif (prev is not None and text[ends[prev]:first_start] == " & " and caps[prev]
                    and not self._division_name(words[prev])):
                return "firm-name"
        if (single and len(first) <= self._short_word and not first_upper and not prominent
                and (all_on or self._on("short-word"))):
            return "short-word"
        if (single and not prominent and prev is not None
                and text[ends[prev]:first_start] == "-" and caps[prev]
                and not self._route_end(text, first_start, last_end, span.text)
                and (all_on or self._on("compound-tail"))):
            return "compound-tail"
        # A person: after a title, after a first name, or a surname used elsewhere.
        prev_word = words[prev] if prev is not None else ""
        # (the words around, lower-cased once for the word lists below)
        prev_low = prev_word.lower()
        if prev is not None and not headline:
            gap = text[ends[prev]:first_start]
            p = prev_low.rstrip(".")
            if (p in self._titles and not country_like and gap in (" ", ". ")
                    and (all_on or self._on("after-title"))):
                return "after-title"
            if (caps[prev] and gap == " " and not is_upper(prev_word)
                    and p not in self._stopwords and p not in self._modifiers
                    and p not in self._connectors and p not in self._time_words
                    and not country_like
                    and not (ctx.kept and ctx.kept[-1].end == ends[prev])
                    and (all_on or self._on("after-first-name"))):
                return "after-first-name"
            if (len(prev_word) == 1 and prev_word.isupper() and gap in (". ", ".")
                    and (all_on or self._on("after-initial"))):
                return "after-initial"
        # "St. Patrick's Day": a saint's name (in headlines too)
        if (not country_like
                and (prev is not None and prev_low.rstrip(".") in self._saints
                     and text[ends[prev]:first_start] in (" ", ". ")
                     or not single and first.lower().rstrip(".") in self._saints
                     and dedicated(text, last_end, self._dedications))
                and (all_on or self._on("saint"))):
            return "saint"
        # "Joaquín “El Chapo” Guzmán": a person's names around a quoted nickname
        if (not headline and _may_be_nicknamed(ctx, first_start, last_end)
                and (all_on or self._on("nickname"))
                and _nicknamed(text, first_start, last_end)):
            return "nickname"
        # "in X" puts X in place here, whatever the rest of the document made of X
        located = prev_low in self._locatives
        nxt_low = nxt_word.lower()
        if (not located and single and self._person_word(ctx, span.text)
                and not self._used_as_place(ctx, nxt, nxt_word, gap_after)
                and not self._major_division(span.text)
                and (all_on or self._on("person-name"))):
            return "person-name"
        if (not prominent and not located
                and (nxt_low in self._speech_verbs or prev_low in self._speech_verbs)
                and (all_on or self._on("speaker"))):
            return "speaker"
        if (not prominent and not division and not located
                and ((gap_after == " " and nxt_low in self._group_words)
                     or (single and span.text in self._group_words_of(ctx)))
                and not self._located_elsewhere(text, span.text)
                and (all_on or self._on("armed-group"))):
            return "armed-group"
        # "Commonwealth of Independent States", "Bank of America": the head of a longer name
        if (nxt_word in self._name_links and not country_like
                and j + 2 < len(words) and starts[j + 2] < stop
                and caps[j + 2] and not headline and (all_on or self._on("head-of-name"))):
            return "head-of-name"
        # Followed by a capitalised word: part of a longer name ("Minsk Group"),
        # unless a local institution or office ("Dublin City Council") or a
        # word in capitals (an agency: "Deir al-Balah WAFA said").
        if nxt is not None and not headline:
            w = nxt_low
            if (gap_after == " " and caps[nxt] and not (first_upper and single)
                    and not is_upper(nxt_word) and w not in self._place_words
                    and w not in self._institutions
                    and w not in self._titles and w not in self._time_words
                    and (not self._prominent_name(nxt_word)
                         or (word in self._first_names and not division))
                    and not (country_like and w in self._first_names
                             and word not in self._first_names)
                    and not self._route_end(text, first_start, last_end, span.text)
                    and (all_on or self._on("longer-name"))):
                return "longer-name"
        # Common words: only prominent places may take an everyday word's name.
        if single:
            z = _zipf(word)
            if (z >= self._very_common_zipf and not country_like
                    and (all_on or self._on("very-common-word"))):
                return "very-common-word"
            if (z >= self.common_word_zipf and not prominent
                    and (all_on or self._on("common-word"))):
                return "common-word"
            if ((headline or _is_sentence_start(ctx, i)) and z >= self._sentence_start_zipf
                    and not prominent and (all_on or self._on("sentence-start-common-word"))):
                return "sentence-start-common-word"
        return None

    # -- organisations --------------------------------------------------------
    def _dateline(self, ctx: _Ctx) -> set[int]:
        """The tokens of the document's datelines (:func:`_dateline_tokens`),
        found when first asked; none when the rule is off."""
        found = ctx.dateline
        if found is None:
            found = (_dateline_tokens(ctx) if self._all_on or self._on("dateline")
                     else set())
            ctx.dateline = found
        return found

    def _group_words_of(self, ctx: _Ctx) -> set[str]:
        """The words the document uses as armed groups' names
        (:func:`_group_names`), found when first asked."""
        found = ctx.groups
        if found is None:
            found = _group_names(ctx, ctx.capitals, self._group_words, self._locatives)
            ctx.groups = found
        return found

    def _in_organisation(self, ctx: _Ctx, i: int, j: int) -> bool:
        """Is one of the tokens ``i..j`` part of an organisation's listed name
        (:meth:`_org_tokens`, found when first asked; none when the rule is off)?"""
        orgs = ctx.orgs
        if orgs is None:
            orgs = (self._org_tokens(ctx, ctx.capitals)
                    if self._all_on or self._on("organisation-list") else set())
            ctx.orgs = orgs
        if not orgs:
            return False
        for t in range(i, j + 1):
            if t in orgs:
                return True
        return False

    def _org_tokens(self, ctx: _Ctx, caps: list[int]) -> set[int]:
        """The tokens of the document that spell an organisation's listed name
        (:func:`geomap.wordlists.organisations`): "Hamas", "al-Shabaab", "Boko Haram"."""
        out: set[int] = set()
        text, words, starts, ends = ctx.text, ctx.words, ctx.starts, ctx.ends
        orgs, memo = self._orgs, self._memo_org_firsts
        n = len(words)
        for k in caps:
            first = k
            # a lower-case article glued before ("al-Shabaab")
            if k > 0:
                before = words[k - 1]
                known = memo.get(before, -1)
                if known < 0:
                    known = self._org_first(before)
                    _remember(memo, before, known)
                if known & _ORG_LOWER and text[ends[k - 1]:starts[k]] in ("-", " "):
                    first = k - 1
            if first == k:
                word = words[k]
                known = memo.get(word, -1)
                if known < 0:
                    known = self._org_first(word)
                    _remember(memo, word, known)
                if not known & _ORG_FIRST:
                    continue
            longest = -1
            for m in range(k, min(k + self._org_max_tokens, n)):
                if m > k and not _joined(text, ends[m - 1], starts[m]):
                    break
                if _fold(text[starts[first]:ends[m]]) in orgs:
                    longest = m
            if longest >= 0:
                out.update(range(first, longest + 1))
        return out

    def _org_first(self, word: str) -> int:
        """Does ``word`` start an organisation's listed name: :data:`_ORG_LOWER`
        when its lower case is a first word, :data:`_ORG_FIRST` when it or its
        fold is (memoised by the word as written)."""
        firsts = self._org_firsts
        low = word.lower()
        if low in firsts:
            return _ORG_LOWER | _ORG_FIRST
        # (an ASCII token of letters and digits folds to its lower case)
        if (word.isascii() and low.isalnum()) or _fold(word) not in firsts:
            return 0
        return _ORG_FIRST

    def _organisation_reason(self, ctx: _Ctx, i: int, j: int, national: bool) -> str | None:
        """The id of the rule by which tokens ``i..j`` are part of an
        organisation's or a ship's name, if they are.

        An organisation named in the list ("Hamas"); a ship ("USS Carney"); the
        head of a capitalised name that ends in an armed group's or an
        agency's word ("Kachin Independence Army", "Syrian Democratic Forces",
        "Sinaloa Cartel"). A ``national`` name (a demonym, a country or
        first-level division) before "Army", "Forces" or "Corps" is the
        country's own army ("Syrian Army") unless another word stands between
        ("Somalia National Army").
        """
        if self._in_organisation(ctx, i, j):
            return "organisation-list"
        text, words, starts, ends, caps = ctx.text, ctx.words, ctx.starts, ctx.ends, ctx.caps
        if (i > 0 and words[i - 1] in self._ship_prefixes
                and text[ends[i - 1]:starts[i]] == " " and (self._all_on or self._on("ship-name"))):
            return "ship-name"
        if not (self._all_on or self._on("organisation-head")):
            return None
        stop = ctx.sentence_end(ctx.sentence(i))
        k, middle = j + 1, 0
        while k < len(words) and middle < self._org_max_middle and starts[k] < stop:
            gap = text[ends[k - 1]:starts[k]]
            w = words[k]
            if w == "s" and gap in ("'", "\u2019"):      # "People's Defence Forces"
                k += 1
                continue
            if gap != " " or not caps[k]:
                break
            low = w.lower()
            if ((low in self._org_heads
                 or (low in self._army_heads and (middle > 0 or not national)))
                    and not _continues(ctx, k, stop)):
                return "organisation-head"
            middle += 1
            k += 1
        return None

    # -- transliteration variants ------------------------------------------
    def _variant_match(self, ctx: _Ctx, i: int, spans: list[Span], trace: list | None,
                       longer: int = -1) -> int:
        """Match a capitalised run no name starts with by its transliteration
        skeleton (:func:`gazetteer.names.skeleton`): "el-Fasher" for Al
        Fashir, "Kharkov" for Kharkiv. The longest run of up to 4 tokens
        whose key has variants wins, with the variant key of the most populous
        place; the match then faces the usual filters. Returns the token to
        resume at (``i`` when nothing matched). Only runs longer than
        ``longer`` tokens past ``i`` are tried (those a name as written
        did not already match)."""
        variants = self._variants
        if variants is None or not (self._all_on or self._on("variant")):
            return i
        text, starts, ends, caps = ctx.text, ctx.starts, ctx.ends, ctx.caps
        if longer >= 0:
            # the run must reach token i + longer + 1, which the scan below
            # stops before when it is not capitalised or an article (most
            # names turned down end the run)
            k = i + longer + 1
            if (k >= min(i + self._variant_max_tokens, len(starts))
                    or not (caps[k] or ctx.words[k].lower() in self._article_words)):
                return i
        sentence = -1        # found when needed: most runs are one word, and no variant
        last = i
        for j in range(i + 1, min(i + self._variant_max_tokens, len(starts))):
            if not (caps[j] or ctx.words[j].lower() in self._article_words):
                break
            if sentence < 0:
                sentence = ctx.sentence(i)
            if (starts[j] >= ctx.sentence_end(sentence)
                    or not _joined(text, ends[j - 1], starts[j])):
                break
            last = j
        first_start = starts[i]
        # a whole run (all its lengths tried) that had no variant before has
        # none again: its tokens, and so every answer below, are its text's
        run = ""
        if longer < 0:
            run = text[first_start:ends[last]]
            if run in self._variant_misses:
                return i
        missed = True
        for j in range(last, i + longer, -1):
            if not caps[j]:
                continue
            raw = text[first_start:ends[j]]
            if j > i and ctx.words[i].lower() in _ARTICLES and self._has_name(
                    _fold(text[starts[i + 1]:ends[j]])):
                continue      # "An Olmsted County judge": an English article
            key = self._variant_key(raw, variants)
            if key is None:
                continue
            missed = False
            if sentence < 0:
                sentence = ctx.sentence(i)
            match = _Match(first_start, ends[j], raw, key, "name", False, sentence,
                           by_key=True)
            reason = self._reject_reason(ctx, i, j, match)
            if reason is None:
                spans.append(match.span())
                if key != _fold(raw):
                    ctx.variants.add(first_start)
                return j + 1
            if trace is not None:
                trace.append((match.span(), why(reason, "transliteration variant: ")))
        if missed and longer < 0:
            _remember(self._variant_misses, run, True)
        return i

    def _supported_variants(self, ctx: _Ctx, spans: list[Span],
                            trace: list | None) -> list[Span]:
        """``spans`` less the variant matches the document does not support:
        a spelling of a name is taken for a variant of it only when a place
        matched as written lies in the same country (its most populous
        candidate) or names it ("Kharkov" in a story about Ukraine, not
        "Malloy" for Malawi in one about Ohio)."""
        countries: set[str] = set()
        for span in spans:
            if span.start not in ctx.variants:
                cands = self._cands(_lookup_text_of(span))
                if cands and cands[0].place.country_code:
                    countries.add(cands[0].place.country_code)
        kept = []
        for span in spans:
            if span.start in ctx.variants and not any(
                    c.place.country_code in countries and self._notable(c.place)
                    for c in self._cands(span.key.title())):
                if trace is not None:
                    trace.append((span, why("variant-support")))
                continue
            kept.append(span)
        return kept

    def _variant_key(self, raw: str, variants: Any) -> str | None:
        """The store key ``raw`` is a transliteration variant of (the one of
        the most populous place), or None; memoised."""
        known = self._memo_variants.get(raw, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        folded = _fold(raw)
        best: str | None = None
        if self._has_name(folded):
            # a name as written, with an article the scan does not join ("Deir ez Zor")
            best = folded
        elif (len(folded) >= self._variant_min_length and not folded.isdigit()
                and _zipf_below(folded, self._variant_max_zipf)):
            # (an English word is no spelling of a name: "Shelling"; asked
            # first, it spares the store the skeleton of most words)
            most = -1
            keys = variants(folded)
            for key in keys:
                # only a known place is worth the guess: a town of 50,000, a
                # division, a feature or a curated place (a person's name is
                # often a spelling of some hamlet's: "Samra", "Dimes")
                top = [c.place.population for c in self.gaz.candidates(key, limit=8)
                       if case_compatible(key.title(), c.matched) and self._notable(c.place)]
                if top and top[0] > most:
                    best, most = key, top[0]
        return _remember(self._memo_variants, raw, best)

    def _notable(self, place) -> bool:
        """Worth a match by a transliteration variant: a town of the model's
        ``variant_min_population``, a country, division or region, a
        physical feature, or a curated place."""
        return (place.population >= self._variant_min_population or place.source == "curated"
                or place.feature_code in self._prominent_codes
                or place.feature_class in ("H", "T"))

    def _located_elsewhere(self, text: str, name: str) -> bool:
        """Does ``text`` put ``name`` in place somewhere ("in X", "near X")?
        (:func:`geomap.rules.located_elsewhere`: by :func:`_locative_before`
        when the locatives are words.)"""
        if not self._plain_locatives or not name:
            return re.search(rf"\b(?:{self._locative_alternatives})\s+{re.escape(name)}\b",
                             text) is not None
        return _locative_before(text, name, self._locatives)

    # -- "the Strip" ---------------------------------------------------------
    def _back_reference(self, ctx: _Ctx, i: int, spans: list[Span]) -> int:
        """"the Strip" after "Gaza Strip" (or "Gaza", when "Gaza Strip" is a
        name): a capitalised back-reference word (the model's) after "the" names
        the latest place mentioned before whose name ends with it. Returns the
        token to resume at (``i`` when it is no such reference)."""
        word = ctx.words[i].lower()
        if (word not in self._back_references or i == 0 or ctx.words[i - 1].lower() != "the"
                or not (self._all_on or self._on("back-reference"))):
            return i
        tail = " " + _fold(word)
        for span in reversed(spans):
            key = span.key
            if not key.endswith(tail):
                key = key + tail
                if span.kind != "name" or not self._has_name(key):
                    continue
            match = _Match(ctx.starts[i], ctx.ends[i], ctx.words[i], key, "name", False,
                           ctx.sentence(i), by_key=True)
            spans.append(match.span())
            return i + 1
        return i

    # -- typos --------------------------------------------------------------
    def _fuzzy_match(self, ctx: _Ctx, i: int, spans: list[Span]) -> int:
        """Match a capitalised run of 1-3 tokens to a prominent name by one edit."""
        text, starts, ends, caps = ctx.text, ctx.starts, ctx.ends, ctx.caps
        word = ctx.words[i]
        if not (self._all_on or self._on("fuzzy")):
            return i
        if i + 1 == len(starts) or not caps[i + 1]:
            # a lone word: the only window to try is the word itself
            if ((len(word) < self._fuzzy_min_length and word.isascii())
                    or self._fuzzy_hit(word) is None):
                return i      # (a short one folds too short for a typo)
        index = self._fuzzy_index()
        if not index:
            return i
        sentence = ctx.sentence(i)
        stop = ctx.sentence_end(sentence)
        last = i
        for j in range(i + 1, min(i + self._fuzzy_max_tokens, len(starts))):
            if (starts[j] >= stop or not caps[j]
                    or not _joined(text, ends[j - 1], starts[j])):
                break
            last = j
        first_start = starts[i]
        for j in range(last, i - 1, -1):
            raw = text[first_start:ends[j]]
            hit = self._fuzzy_hit(raw)
            if hit is not None:
                match = _Match(first_start, ends[j], raw, hit, "name", True, sentence)
                if self._reject_reason(ctx, i, j, match) is None:
                    spans.append(match.span())
                    return j + 1
        return i

    def _fuzzy_hit(self, raw: str) -> str | None:
        known = self._memo_fuzzy.get(raw, _UNKNOWN)
        if known is _UNKNOWN:
            known = _remember(self._memo_fuzzy, raw, self._find_fuzzy_hit(raw))
        return known

    def _find_fuzzy_hit(self, raw: str) -> str | None:
        """The prominent name ``raw`` is one typo away from, if it is a rare word."""
        key = _fold(raw)
        if len(key) < self._fuzzy_min_length or not _zipf_below(key, self._fuzzy_max_zipf):
            return None
        return _one_edit(key, self._fuzzy_index())

    def _fuzzy_index(self):
        if self._fuzzy is None:
            names = self._fuzzy_source
            if names is None:
                getter = getattr(self.gaz, "prominent_names", None)
                names = getter() if getter else ()
            self._fuzzy = _deletion_index(n for n in names if len(n) >= self._fuzzy_min_length)
        return self._fuzzy


#: A dateline (:data:`geomap.rules.DATELINE`).
_DATELINE: Final = DATELINE


def _locative_before(text: str, name: str, locatives: frozenset[str]) -> bool:
    """:func:`geomap.rules.located_elsewhere` for ``locatives`` that are
    words (letters and digits) and a ``name`` that is not empty: the search
    of the whole text for every locative (a millionth of a second a
    character) is made from the occurrences of ``name`` instead. Before one,
    white space, and before that a locative (a word: it ends where the white
    space starts) at a word boundary; a word boundary after the name."""
    size = len(name)
    k = text.find(name)
    while k >= 0:
        j = k
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j < k and _boundary(text, k + size):
            for loc in locatives:
                p = j - len(loc)
                if p >= 0 and text.startswith(loc, p) and _boundary(text, p):
                    return True
        k = text.find(name, k + 1)
    return False


#: The characters that open a nickname's quotes, as a set.
_OPENERS: Final = frozenset(OPENING_QUOTES)


def _may_be_nicknamed(ctx: _Ctx, start: int, end: int) -> bool:
    """:func:`geomap.rules.may_be_nicknamed`, with the document's opening
    quotes found once (:meth:`_Ctx.quoted`)."""
    text = ctx.text
    return ((end < len(text) and text[end] == " " and text[end + 1:end + 2] in _OPENERS)
            or (start >= 2 and text[start - 1] == " " and text[start - 2] in _CLOSERS)
            or ctx.quoted(start - 30, start))


#: The characters that close a nickname's quotes, as a set.
_CLOSERS: Final = frozenset(CLOSING_QUOTES)
#: What a nickname's quotes may hold after its first letter (the complement
#: of :data:`geomap.rules._NICK`'s middle class).
_NOT_IN_NICKNAME: Final = frozenset("\u201c\u201d\"\u00ab\u00bb\n,.;:!?")
#: The longest run the middle of a nickname may be.
_NICKNAME_MIDDLE: Final = 29


def _nicknamed(text: str, start: int, end: int) -> bool:
    """:func:`geomap.rules._nicknamed` (and so, with :func:`_may_be_nicknamed`
    true, :func:`geomap.rules.in_nicknamed_name`), by character tests
    instead of its regular expressions: compiled, the patterns' fixed shape
    (each ends at a known place, and a nickname's middle holds no quote) is
    followed from that place, without a call back into Python or a search.
    ``tests/geomap/test_recognize_nickname.py`` holds the two equal on any text."""
    size = len(text)
    # the nickname after the match: ' “Nick” Surname'
    if text[end - 1:end] != "." and end + 2 < size and text[end] == " " \
            and text[end + 1] in _OPENERS and _letter(text[end + 2]):
        k = _middle_end(text, end + 3, size)
        if (k >= 0 and k + 2 < size and text[k] in _CLOSERS and text[k + 1] == " "
                and _letter(text[k + 2]) and _upper(text[k + 2]) and _upper(text[start])):
            return True
    lo = max(0, start - 64)
    # the nickname before it: 'First “Nick” ' ending where the match starts
    if start - lo >= 2 and text[start - 1] == " " and text[start - 2] in _CLOSERS:
        q = start - 3
        while q >= lo and text[q] not in _NOT_IN_NICKNAME:
            q -= 1
        # q: the opening quote; then a letter, the middle and the closing quote
        if (q >= lo and text[q] in _OPENERS and q + 1 <= start - 3
                and _letter(text[q + 1]) and (start - 2) - (q + 2) <= _NICKNAME_MIDDLE
                and _first_name_before(text, lo, q) and _upper(text[start])):
            return True
    # inside the quotes: an opening quote after a capitalised word, not closed yet
    k = max(text.rfind("\u201c", lo, start), text.rfind('"', lo, start),
            text.rfind("\u00ab", lo, start))
    if k < 0 or start - k > 30:
        return False
    for x in range(k + 1, start):
        if text[x] in _UNQUOTED_ENDS:
            return False
    if not _first_name_before(text, lo, k):
        return False
    if not _upper(text[k + 1] if k + 1 < start else text[start]):
        return False
    c = _middle_end(text, end, size)
    return (c >= 0 and c + 2 < size and text[c] in _CLOSERS and text[c + 1] == " "
            and _letter(text[c + 2]) and _upper(text[c + 2]))


#: What ends a quotation's inside for :func:`_nicknamed` (a closing quote or punctuation).
_UNQUOTED_ENDS: Final = frozenset("\u201d\"\u00bb,.;:!?")


def _letter(c: str) -> bool:
    """Is the character ``c`` a letter to a regular expression (``[^\\W\\d_]``:
    a word character, no decimal digit, no underscore)?"""
    o = ord(c)
    if o < 128:
        return 65 <= o <= 90 or 97 <= o <= 122
    return c.isalnum() and not c.isdecimal()


def _upper(c: str) -> bool:
    """``c.isupper()`` for one character (an ASCII one by its code)."""
    o = ord(c)
    if o < 128:
        return 65 <= o <= 90
    return c.isupper()


def _middle_end(text: str, at: int, size: int) -> int:
    """Where the run of characters a nickname's middle may hold, from ``at``,
    ends, when it is at most :data:`_NICKNAME_MIDDLE` long; -1 otherwise.
    (The run stops at a quote, so a pattern's closing quote can only follow
    its whole run: the greedy ``{0,29}`` has no other way to match.)"""
    k = at
    stop = min(size, at + _NICKNAME_MIDDLE + 1)
    while k < stop and text[k] not in _NOT_IN_NICKNAME:
        k += 1
    if k - at > _NICKNAME_MIDDLE:
        return -1
    return k


def _first_name_before(text: str, lo: int, q: int) -> bool:
    """Does a capitalised word and a space stand before the quote at ``q``,
    the word starting at ``lo`` or after white space or a bracket (the
    patterns' ``(?:^|(?<=[\\s(]))([^\\W\\d_][\\w'’-]*) `` with ``lo`` the window's
    start)? The word is the whole run of word characters, apostrophes and
    hyphens before the space: no shorter one has white space before it."""
    if q - lo < 2 or text[q - 1] != " ":
        return False
    p = q - 2
    while p >= lo and _name_char(text[p]):
        p -= 1
    p += 1
    if p > q - 2:
        return False
    if p > lo and not (text[p - 1].isspace() or text[p - 1] == "("):
        return False
    return _letter(text[p]) and _upper(text[p])


def _name_char(c: str) -> bool:
    """``[\\w'’-]``: a word character, an apostrophe or a hyphen."""
    return c.isalnum() or c == "_" or c == "'" or c == "\u2019" or c == "-"


def _joined(text: str, end: int, start: int) -> bool:
    """May the gap ``text[end:start]`` between two tokens stand inside a
    name (:data:`geomap.rules.NAME_GAP`)? A single space (most gaps) is
    answered without the slice; the others by a set of the gaps the
    expression matches, each also with a newline after (its ``$`` matches
    before a final newline): a lookup costs less than a match."""
    if start == end + 1 and text[end] == " ":
        return True
    gap = text[end:start]
    if gap.endswith("\n"):
        gap = gap[:-1]
    return gap in _NAME_GAPS


def _word_char(c: str) -> bool:
    """Is ``c`` a word character of a regular expression (``\\w``)?"""
    return c.isalnum() or c == "_"


def _boundary(text: str, x: int) -> bool:
    """Is there a word boundary (a regular expression's ``\\b``) at ``text[x]``?"""
    before = x > 0 and _word_char(text[x - 1])
    after = x < len(text) and _word_char(text[x])
    return before != after


def _continues(ctx: _Ctx, k: int, stop: int) -> bool:
    """Does a capitalised word follow token ``k`` in the same name ("Blue
    Grass Army Depot": "Army" does not end the name)?"""
    n = k + 1
    return (n < len(ctx.words) and ctx.starts[n] < stop and ctx.caps[n]
            and ctx.text[ctx.ends[k]:ctx.starts[n]] == " ")


def _dateline_tokens(ctx: _Ctx) -> set[int]:
    """The tokens of the document's datelines (see :data:`_DATELINE`): the
    place and its country or state, which short capitals ("KYIV", "BENI")
    or a slash ("BEIRUT/JERUSALEM") do not make an acronym or a code there."""
    out: set[int] = set()
    text = ctx.text
    if not text[:1].isupper() and "\n" not in text:
        return out
    starts = ctx.starts
    size = len(text)
    line = 0
    while line < size:
        # a dateline is one line that opens (after blanks) with a capital: the
        # pattern is tried there alone, not at every character of the text
        nl = text.find("\n", line)
        stop = size if nl < 0 else nl
        k = line
        while k < stop and (text[k] == " " or text[k] == "\t"):
            k += 1
        if k < stop and "A" <= text[k] <= "Z":
            m = _DATELINE.match(text, line)
            if m is not None and not (m.group("region") is None
                                      and m.end() == m.end("place")):
                # (a line of capitals alone is a headline, not a dateline)
                end = m.end("region") if m.group("region") is not None else m.end("place")
                out.update(range(_bisect_left(starts, m.start("place")),
                                 _bisect_left(starts, end)))
        line = stop + 1
    return out


def _group_names(ctx: _Ctx, caps: list[int], group_words: frozenset[str],
                 locatives: frozenset[str]) -> set[str]:
    """Capitalised words the document uses as armed groups' names: before
    "militants", "fighters", "rebels"... ("Fano fighters")."""
    out: set[str] = set()
    words, text, starts, ends = ctx.words, ctx.text, ctx.starts, ctx.ends
    last = len(words) - 1
    for k in caps:
        if (k < last and words[k + 1] in group_words and text[ends[k]:starts[k + 1]] == " "
                and (k == 0 or words[k - 1].lower() not in locatives)):
            out.add(words[k])
    return out




def _remember(memo: dict, key: Any, value: Any) -> Any:
    """``memo[key] = value`` (emptying a full memo first); ``value``."""
    if len(memo) >= _JUDGEMENTS:
        memo.clear()
    memo[key] = value
    return value


#: :meth:`Recognizer._org_first`: the word's lower case is an organisation's
#: first word; the word (as its lower case or its fold) is.
_ORG_LOWER: Final = 1
_ORG_FIRST: Final = 2

_PERSON: Final = "person"
#: :meth:`Recognizer._person_evidence`: the token is a name with an age
#: after it; the next token is a surname after it.
_AGED: Final = 1
_SURNAME: Final = 2
_NOT_A_PERSON: Final = "not a person"
_UNLESS_SENTENCE_START: Final = "unless first"


def _sentence_of(bounds: list[int], start: int) -> int:
    """``bisect_right(bounds, start)``: the sentence of the token at ``start``
    (a loop on native ints, compiled; a call to bisect boxes them)."""
    lo, hi = 0, len(bounds)
    while lo < hi:
        mid = (lo + hi) >> 1
        if start < bounds[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _bisect_left(xs: list[int], x: int) -> int:
    """``bisect.bisect_left(xs, x)``, as a loop on native ints, compiled (a
    call to bisect boxes them, and costs more than the search)."""
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _article_follows(ctx: _Ctx, j: int, article_words: frozenset[str]) -> bool:
    """Is token ``j`` followed by a lower-case Arabic article and a capitalised
    word ("Deir ez-Zor", "Ras al-Ain")?"""
    words = ctx.words
    return (j + 2 < len(words) and ctx.caps[j + 2] and not ctx.caps[j + 1]
            and words[j + 1] in article_words)


def _lookup_text_of(span: Span) -> str:
    """:func:`_lookup_text` of a kept span (by its key when it is not its text's)."""
    if span.fuzzy or _fold(span.text) != span.key:
        return span.key.title()
    return span.text


def _lookup_text(span: _Match) -> str:
    """The text to look a span up by: as written, less a plural 's', or the fuzzy hit."""
    if span.fuzzy or span.by_key:
        return span.key.title()
    if span.plural:
        return span.text[:-1]
    return span.text


def case_compatible(text: str, matched: str) -> bool:
    """Can ``text`` as written refer to the gazetteer spelling ``matched``?

    Spellings with no capital letter are romanisation noise ("we" for Huế);
    short all-capital spellings are codes ("AS") that match only text
    written in capitals ("UK", "U.S.").

    Examples
    --------
    >>> case_compatible("We", "we"), case_compatible("As", "AS"), case_compatible("U.S.", "U. S.")
    (False, False, True)
    """
    spelling = _SPELLINGS.get(matched, -1)
    if spelling < 0:
        spelling = _spelling(matched)
        _remember(_SPELLINGS, matched, spelling)
    if spelling == _CODE:
        return all(map(str.isupper, filter(str.isalpha, text)))
    return spelling == _CAPITALISED


#: What a gazetteer spelling is, for case_compatible (memoised: one name's
#: many candidates mostly share a spelling).
_NO_CAPITAL: Final = 0
_CODE: Final = 1
_CAPITALISED: Final = 2
_SPELLINGS: Final[dict[str, int]] = {}


def _spelling(matched: str) -> int:
    if matched.isascii():
        # (ASCII: the letters are A-Z and a-z; lower() and upper() change
        # exactly the capitals and the small letters)
        if matched.lower() == matched:
            return _NO_CAPITAL
        if len(matched) <= 5 and matched.upper() == matched:
            return _CODE    # five letters at most, all capitals
        if matched.upper() != matched:
            return _CAPITALISED     # a capital and a small letter
    letters = list(filter(str.isalpha, matched))
    if not any(map(str.isupper, letters)):
        return _NO_CAPITAL
    if len(letters) <= 5 and all(map(str.isupper, letters)):
        return _CODE        # a short all-capital spelling
    return _CAPITALISED


def _deletion_index(names: Iterable[str]) -> Any:
    """The typo index of ``names``: :func:`_deletion_dict`'s, as the C
    ``TypoIndex`` when it is built (the same answers, without a quarter of a
    million strings to make: 0.07 s of each worker's start)."""
    if _TYPOS is not None:
        return _TYPOS.TypoIndex(names)
    return _deletion_dict(names)


def _deletion_dict(names: Iterable[str]) -> dict[str, str]:
    """Every name, and every name less one character, mapped to the first name
    (in order) that makes it: the typo index, by definition."""
    index: dict[str, str] = {}
    for name in names:
        index.setdefault(name, name)
        for k in range(len(name)):
            index.setdefault(name[:k] + name[k + 1:], name)
    return index


def _one_edit(key: str, index: Any) -> str | None:
    """A name within one insertion, deletion or substitution of ``key``.

    ``index`` is :func:`_deletion_index`'s: a dict (the definition, here) or
    a ``TypoIndex``, which answers the same in C.
    """
    if not isinstance(index, dict):
        return index.one_edit(key)
    if key in index and index[key] != key:
        return index[key]          # key is a name with one letter missing
    for k in range(len(key)):
        hit = index.get(key[:k] + key[k + 1:])
        if hit is not None and abs(len(hit) - len(key)) <= 1 and hit != key:
            return hit
    return None


def _prominent(candidate, codes: frozenset[str], population: int) -> bool:
    """A country, division, region or capital (``codes``), or a town of
    ``population`` known by this very name (not by one of its many
    alternate or former names)."""
    place = candidate.place
    own_name = candidate.kind in ("name", "abbreviation", "metonym")
    if place.feature_code.startswith("PCL") or place.source == "curated":
        return True
    if place.feature_code in codes:
        return own_name
    return place.feature_class == "P" and place.population >= population and own_name


def _country_like(place, codes: frozenset[str]) -> bool:
    return place.feature_code.startswith("PCL") or place.feature_code in codes


def _is_sentence_start(ctx: _Ctx, i: int) -> bool:
    start = ctx.sentences[ctx.sentence(i)][0]
    between = ctx.text[start:ctx.starts[i]]
    return not any(ch.isalnum() for ch in between)


def _headline_sentences(ctx: _Ctx, prose_word: re.Pattern[str],
                        function_words: frozenset[str]) -> set[int]:
    """Sentences written in Title Case or ALL CAPS (headlines, page furniture):
    at least three words and no lower-case word but short function words.

    The definition, with ``prose_word`` (a lower-case word after white space
    that is no function word: :attr:`Recognizer._prose_word`) ruling a
    sentence out at once; the recogniser asks :func:`_is_headline` of a
    sentence when it needs to know, which finds the same by its tokens alone.
    """
    text, words, starts, caps = ctx.text, ctx.words, ctx.starts, ctx.caps
    out = set()
    for k, (a, b) in enumerate(ctx.sentences):
        if prose_word.search(text, a, b):
            continue
        lo = _bisect_left(starts, ctx.sentence_floor(k))
        hi = _bisect_left(starts, ctx.sentence_end(k))
        ws = [t for t in range(lo, hi) if words[t][:1].isalpha()]
        if len(ws) >= 3 and all(caps[t] or words[t] in function_words for t in ws):
            out.add(k)
    return out


def _alpha_first(word: str) -> bool:
    """``word[:1].isalpha()`` for a token (never empty): an ASCII first
    character is told by its code, without a slice and a method call."""
    c = ord(word[0])
    if c < 128:
        return 65 <= c <= 90 or 97 <= c <= 122
    return word[:1].isalpha()


def _is_headline(ctx: _Ctx, k: int, function_words: frozenset[str]) -> bool:
    """Is sentence ``k`` written in Title Case or ALL CAPS: at least three
    words (tokens starting with a letter) and none in lower case but the
    function words? (:func:`_headline_sentences`'s answer: a prose word the
    expression finds starts a token in lower case that is no function word,
    so the scan of the tokens, which stops at the first such token, decides
    alone.)"""
    words, starts, caps = ctx.words, ctx.starts, ctx.caps
    t = _bisect_left(starts, ctx.sentence_floor(k))
    stop = ctx.sentence_end(k)
    n = len(words)
    letters = 0
    while t < n and starts[t] < stop:
        w = words[t]
        if _alpha_first(w):
            if not caps[t] and w not in function_words:
                return False
            letters += 1
        t += 1
    return letters >= 3




@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """English frequency of ``word`` on the Zipf scale (0 unknown .. 8):
    wordfreq's value when it is :data:`~geomap.frequencies.MIN_ZIPF` or more,
    a value below that otherwise (every test of it here is against a
    threshold of at least ``MIN_ZIPF``).

    The words whose tokens wordfreq's tokenizer would find are looked up in
    its table here (:func:`_tokens_zipf`); wordfreq itself, its import and
    its whole table, is needed only for the others.
    """
    tokens = _wordfreq_tokens(word)
    if tokens is not None:
        z = _tokens_zipf(tokens)
        if z is not None:
            return z
        if _rare_numbered(word):
            return _UNKNOWN_ZIPF
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _zipf_below(word: str, threshold: float) -> bool:
    """``_zipf(word) < threshold``, for a threshold of at least
    :data:`~geomap.frequencies.MIN_ZIPF`.

    Text of several lower-case ASCII words of letters is decided from its
    tokens' combined frequency (:func:`_tokens_zipf`) without wordfreq's two
    roundings when they cannot change the answer: rounding the frequency to
    three significant digits moves its Zipf value by less than 0.0022, and
    rounding that to two decimals by 0.005, so a value 0.01 or more from the
    threshold is on the same side of it rounded or not. (The roundings cost
    most of a first pass's word frequencies: most such texts are capitalised
    runs asked about as variants or typos, far from any threshold.)
    """
    if " " in word and word.isascii():
        tokens = word.split(" ")
        if _plain(tokens) and all(t.isalpha() for t in tokens):
            freqs = _english()
            one_over = 0.0
            for token in tokens:
                freq = freqs.get(token)
                if freq is None:
                    return _UNKNOWN_ZIPF < threshold
                one_over += 1.0 / freq
            approx = math.log10(max(1.0 / one_over, _MIN_FREQ)) + 9
            if approx < threshold - _ZIPF_MARGIN:
                return True
            if approx >= threshold + _ZIPF_MARGIN:
                return False
    return _zipf(word) < threshold


#: The common English words' frequencies, once read (:func:`_english`).
_ENGLISH: Final[list[dict[str, float]]] = []


def _english() -> dict[str, float]:
    """:func:`~geomap.frequencies.common_english_frequencies`, kept here once
    read: compiled, a list of one item is read from a C static, where the
    cached function is a call into Python for every word."""
    if _ENGLISH:
        return _ENGLISH[0]
    table = common_english_frequencies()
    _ENGLISH.append(table)
    return table


#: How far from a threshold an unrounded Zipf value decides (see _zipf_below).
_ZIPF_MARGIN: Final = 0.01


# Lower-case ASCII words of letters and digits, separated by single spaces
# (``[a-z0-9]+(?: [a-z0-9]+)*``, :func:`_plain`): wordfreq's English tokenizer
# splits these at the spaces and changes nothing else, except that it counts a
# run of digits as zeros ("g20" as "g00") and scales its frequency.
_DIGIT_RUN: Final = re.compile(r"[0-9]{2}")
_DIGIT_RUNS: Final = re.compile(r"[0-9]{2,}")
# Dotted abbreviations, lower case ("u.s."): one token, less the last full stop.
_DOTTED: Final = re.compile(r"(?:[a-z]\.){2,}")
# wordfreq's floor for an unknown word: zipf_to_freq(0), as zipf_frequency uses it.
_MIN_FREQ: Final = 10 ** 0 / 1e9


def _wordfreq_tokens(word: str) -> list[str | None] | None:
    """The tokens wordfreq's English tokenizer makes of ``word``, for the
    words it splits only at spaces; ``None`` for a token it counts as
    another (a run of digits); ``None`` for other words.

    Plain lower-case ASCII words and phrases, dotted abbreviations, and a
    single word of Latin letters (and combining marks), which wordfreq
    normalises (NFC) and case-folds, twice, as its pre-processing and its
    tokenizer each do. ``tests/geomap/test_recognize.py`` checks the values
    against wordfreq's for each kind.
    """
    if word.isascii():
        words = word.split(" ")
        if _plain(words):
            # (a word of letters alone has no run of digits)
            return [t if t.isalpha() else None if _DIGIT_RUN.search(t) else t for t in words]
        if _DOTTED.fullmatch(word):
            return [word[:-1]]
        return None
    for c in word:
        o = ord(c)
        # Latin letters (ASCII, Latin-1, Extended-A/B and Additional) and
        # combining diacritics: one word to wordfreq's tokenizer
        if not (o < 0x250 or 0x1E00 <= o < 0x1F00 or 0x300 <= o < 0x370) \
                or unicodedata.category(c)[0] not in "LM":
            return None
    folded = unicodedata.normalize("NFC", word).casefold()
    return [unicodedata.normalize("NFC", folded).casefold()]


def _plain(words: list[str]) -> bool:
    """Are the pieces of an ASCII text split at its spaces all lower-case
    words of letters and digits: is the text ``[a-z0-9]+(?: [a-z0-9]+)*``?
    (String tests instead of the regular expression: a fifth of a first
    pass's word frequencies.)"""
    for w in words:
        # (ASCII: isalnum() is [A-Za-z0-9]+; islower() has a letter and no
        # capital, isdigit() no letter: either is no capital, and a capital
        # changes lower())
        if not (w.isalnum() and w.lower() == w):
            return False
    return True


def _tokens_zipf(tokens: list[str | None]) -> float | None:
    """``wordfreq.zipf_frequency`` of text made of these wordfreq ``tokens``,
    when that is :data:`~geomap.frequencies.MIN_ZIPF` or more; a value below
    it otherwise; ``None`` when that takes wordfreq (a ``None`` token, and no
    rare one).

    The frequencies are read from wordfreq's table directly, skipping its
    tokenizer (most of the cost of a lookup); the combination (``1/f = 1/f1
    + 1/f2 ...``), rounding and scale are wordfreq's. Only the common words
    are in the table: text is never more common than its rarest token, so
    one missing token leaves it below ``MIN_ZIPF``, and it gets 0.0, as an
    unknown word does.
    """
    freqs = _english()
    if len(tokens) == 1:
        # one word: its Zipf value depends on its frequency alone, and the
        # table has a few hundred distinct frequencies (wordfreq's buckets)
        token = tokens[0]
        if token is None:
            return None
        freq = freqs.get(token)
        if freq is None:
            return _UNKNOWN_ZIPF
        z = _FREQ_ZIPF.get(freq)
        if z is None:
            z = _combined_zipf(1.0 / freq)
            if len(_FREQ_ZIPF) < 65536:
                _FREQ_ZIPF[freq] = z
        return z
    one_over = 0.0
    whole = True
    for token in tokens:
        if token is None:
            whole = False
            continue
        freq = freqs.get(token)
        if freq is None:
            return _UNKNOWN_ZIPF
        one_over += 1.0 / freq
    if not whole:
        return None
    return _combined_zipf(one_over)


def _rare_numbered(word: str) -> bool:
    """Whether a plain lower-case ASCII ``word`` (:func:`_plain`) has a
    word with runs of digits that is rare even with its digits as zeros
    ("tv13" as "tv00"), which leaves the whole below
    :data:`~geomap.frequencies.MIN_ZIPF`.

    wordfreq counts such a word as the word with zeros, times a frequency of
    its digits (at most 1), so its frequency is at most that of the word
    with zeros; when that one is not among the common words, neither is the
    text. This spares the import of wordfreq and its whole table (about 0.5
    s a process) for the numbered names news is full of (call signs, routes,
    model numbers).
    """
    freqs = _english()
    for token in word.split(" "):
        if _DIGIT_RUN.search(token) is not None \
                and _DIGIT_RUNS.sub(_zeros, token) not in freqs:
            return True
    return False


def _zeros(run: re.Match[str]) -> str:
    return "0" * len(run.group())


def _combined_zipf(one_over: float) -> float:
    """wordfreq's Zipf value of text whose tokens' ``1 / frequency`` sum to ``one_over``."""
    freq = max(1.0 / one_over, _MIN_FREQ)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


#: The Zipf value of a word not in the table (wordfreq's floor).
_UNKNOWN_ZIPF: Final = round(math.log(_MIN_FREQ, 10) + 9, 2)
#: Frequency -> Zipf value of a one-word text (see _tokens_zipf).
_FREQ_ZIPF: Final[dict[float, float]] = {}
