"""Recognition, the reference: the plain definition the engine is held to.

:class:`ReferenceRecognizer` finds the same spans as the engine,
:class:`geomap.recognize.Recognizer`, in plain Python: no memos, no speed
devices, each judgement made where it is needed. Its steps:

1. read the document: tokens and sentences (:mod:`geomap.text`), its
   headlines, datelines, the words it uses as surnames, as organisations'
   names and as armed groups' names;
2. scan the capitalised tokens left to right; at each, take the gazetteer
   names the window of tokens starting there begins with, longest first
   (:meth:`ReferenceRecognizer.names_at`), and put each to the rules of
   :data:`geomap.rules.ORDER` until one is kept (:meth:`ReferenceRecognizer.judge`);
3. where no name starts, try "the Strip" (``back-reference``), a typo
   (``fuzzy``) and a transliteration (``variant``); where every name was
   turned down, or an Arabic article follows, try a transliteration too;
4. drop the variants the document does not support (``variant-support``).

Every threshold and word list comes from the
:class:`~geomap.recognizer_model.RecognizerModel`; the word frequencies from
wordfreq's public API (the engine reads wordfreq's table, for speed). The
typo index and :func:`~geomap.recognize.case_compatible` are the engine's own
definitions (plain functions there).

Examples
--------
>>> ref = ReferenceRecognizer(gaz)                              # doctest: +SKIP
>>> [s.text for s in ref.recognize("Talks in Geneva, said Vladimir Putin.")]  # doctest: +SKIP
['Geneva']
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from gazetteer.names import ARTICLES, fold
from geomap.recognize import _deletion_dict, _one_edit, case_compatible
from geomap.recognizer_model import RecognizerModel
from geomap.rules import AGE, DATELINE, NAME_GAP, ORDER, Trial, why
from geomap.spans import Span
from geomap.text import is_upper, sentence_spans, token_table

__all__ = ["ReferenceRecognizer"]


@dataclass
class _Match:
    """A match on trial: a :class:`Span`'s fields, whether it matched as a
    plural ("Azeris"), and whether by a key other than its text's."""

    start: int
    end: int
    text: str
    key: str
    kind: str
    fuzzy: bool
    sentence: int
    plural: bool = False
    by_key: bool = False

    def span(self) -> Span:
        return Span(self.start, self.end, self.text, self.key, self.kind, self.fuzzy,
                    self.sentence)

    def lookup_text(self) -> str:
        """The text to look the match up by: as written, less a plural 's',
        or its key (a typo's or a variant's)."""
        if self.fuzzy or self.by_key:
            return self.key.title()
        return self.text[:-1] if self.plural else self.text


class _Document:
    """One text's tokens (``words``, ``starts``, ``ends``, ``caps``), its
    sentences, and what is learned about it."""

    def __init__(self, text: str, sentences: list[tuple[int, int]]) -> None:
        self.text = text
        self.words, self.starts, self.ends, self.caps = token_table(text)
        self.sentences = sentences
        # token i is in sentence k when bounds[k - 1] <= starts[i] < bounds[k]
        self.bounds = [end for _, end in sentences[:-1]]
        self.headline: set[int] = set()
        self.dateline: set[int] = set()
        self.persons: set[str] = set()
        self.orgs: set[int] = set()
        self.groups: set[str] = set()
        self.kept: list[Span] = []
        self.variants: set[int] = set()

    def sentence(self, i: int) -> int:
        return bisect_right(self.bounds, self.starts[i])

    def sentence_end(self, k: int) -> float:
        return self.bounds[k] if k < len(self.bounds) else float("inf")

    def sentence_floor(self, k: int) -> int:
        return self.bounds[k - 1] if k > 0 else -1

    def gap(self, k: int) -> str:
        """The text between token ``k - 1`` and token ``k``."""
        return self.text[self.ends[k - 1]:self.starts[k]]


class ReferenceRecognizer:
    """The plain definition of recognition (see the module's docstring).

    Parameters
    ----------
    gazetteer
        As :class:`geomap.recognize.Recognizer`'s.
    model
        The :class:`~geomap.recognizer_model.RecognizerModel`; the defaults by default.
    fuzzy_names
        Folded names that may be matched with one typo; by default the
        gazetteer's prominent names.
    common_word_zipf
        Overrides the model's ``common_word_zipf``.

    Examples
    --------
    >>> model = RecognizerModel(disabled=frozenset({"acronym"}))
    >>> ref = ReferenceRecognizer(gaz, model)                       # doctest: +SKIP
    >>> [s.text for s in ref.recognize("Talks in Geneva.")]      # doctest: +SKIP
    ['Geneva']
    """

    def __init__(self, gazetteer, model: RecognizerModel | None = None, *, fuzzy_names=None,
                 common_word_zipf: float | None = None) -> None:
        model = model or RecognizerModel()
        if common_word_zipf is not None:
            model = replace(model, common_word_zipf=common_word_zipf)
        self.model = model
        self.gaz = gazetteer
        self.max_tokens = min(int(gazetteer.max_name_tokens()), model.max_name_tokens)
        if fuzzy_names is None:
            getter = getattr(gazetteer, "prominent_names", None)
            fuzzy_names = getter() if getter else ()
        self.typos = _deletion_dict(n for n in fuzzy_names if len(n) >= model.fuzzy_min_length)

    def on(self, rule_id: str) -> bool:
        return self.model.enabled(rule_id)

    # -- the gazetteer's answers ------------------------------------------------
    def candidates(self, text: str) -> list:
        """The candidates of ``text`` written compatibly with it."""
        return [c for c in self.gaz.candidates(text) if case_compatible(text, c.matched)]

    def prominent(self, candidate) -> bool:
        """A country, division, region or capital, or a town of
        ``prominent_population`` known by this very name."""
        place, m = candidate.place, self.model
        own_name = candidate.kind in ("name", "abbreviation", "metonym")
        if place.feature_code.startswith("PCL") or place.source == "curated":
            return True
        if place.feature_code in m.prominent_codes:
            return own_name
        return (place.feature_class == "P" and place.population >= m.prominent_population
                and own_name)

    def country_like(self, place) -> bool:
        return (place.feature_code.startswith("PCL")
                or place.feature_code in self.model.country_like_codes)

    def notable(self, place) -> bool:
        """Worth a match by a transliteration variant."""
        return (place.population >= self.model.variant_min_population
                or place.source == "curated" or place.feature_code in self.model.prominent_codes
                or place.feature_class in ("H", "T"))

    def profile(self, text: str, dotted: bool) -> tuple[bool, bool, bool, bool] | None:
        """``(prominent, country_like, division, abbreviation)`` of the
        candidates of ``text``, or ``None`` if it has none; without a full
        stop after the text (``dotted``), spellings ending in one do not count."""
        cands = [c for c in self.candidates(text) if dotted or not c.matched.endswith(".")]
        if not cands:
            return None
        country_like = any(self.country_like(c.place) for c in cands)
        return (any(self.prominent(c) for c in cands), country_like,
                country_like or any(c.place.feature_code == "ADM1" for c in cands),
                any(c.matched.replace(".", "").replace(" ", "").isupper() for c in cands))

    def prominent_name(self, text: str) -> bool:
        """Is ``text`` the name of a prominent place, or a demonym?"""
        return self.gaz.has_name(fold(text)) and any(
            self.prominent(c) or c.kind == "demonym" for c in self.candidates(text))

    def division_name(self, text: str) -> bool:
        """Is ``text`` the name of a country, first-level division or region (or a demonym)?"""
        return self.gaz.has_name(fold(text)) and any(
            self.country_like(c.place) or c.place.feature_code == "ADM1" or c.kind == "demonym"
            for c in self.candidates(text))

    def share_country(self, text: str, other: str) -> bool:
        """Do ``text`` and ``other`` (as written) have candidates in one country?"""
        codes = {c.place.country_code for c in self.candidates(text)} - {None, ""}
        return any(c.place.country_code in codes for c in self.candidates(other))

    def major_division(self, text: str) -> bool:
        """Is ``text`` a country, region or demonym, or a first-level
        division of ``prominent_population`` ("Georgia") or one named like a
        town that populous ("Dublin"); not Uruguay's "Flores"?"""
        if not self.gaz.has_name(fold(text)):
            return False
        cands, population = self.candidates(text), self.model.prominent_population
        if any(self.country_like(c.place) or c.kind == "demonym"
               or (c.place.feature_code == "ADM1" and c.place.population >= population)
               for c in cands):
            return True
        # a small division named like a populous town ("Dublin")
        return (any(c.place.feature_code == "ADM1" for c in cands)
                and any(c.place.feature_class == "P" and c.place.population >= population
                        and c.kind == "name" for c in cands))

    def used_as_place(self, doc: _Document, nxt: int | None) -> bool:
        """Does token ``nxt``, after a match, use the match as a place: a
        country or state of one or two words after a comma ("Jackson,
        Miss.", "Nelson, New Zealand"), or a place-type word ("Jackson County")?"""
        if nxt is None:
            return False
        word, gap = doc.words[nxt], doc.gap(nxt)
        if gap == " ":
            return word.lower() in self.model.place_words
        if gap != ", " or not doc.caps[nxt]:
            return False
        two = (nxt + 1 < len(doc.words) and doc.caps[nxt + 1] and doc.gap(nxt + 1) == " "
               and self.division_name(f"{word} {doc.words[nxt + 1]}"))
        return self.division_name(word) or two

    def demonym_only(self, text: str) -> bool:
        """Is ``text`` a demonym, and no prominent place's own name ("Turkish", not "Armenia")?"""
        cands = self.candidates(text)
        return (any(c.kind == "demonym" for c in cands)
                and not any(c.kind != "demonym" and self.prominent(c) for c in cands))

    @staticmethod
    def zipf(word: str) -> float:
        """The English frequency of ``word`` (Zipf scale), by wordfreq's public API."""
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")

    @staticmethod
    def sentence_start(doc: _Document, i: int) -> bool:
        """Does token ``i`` start its sentence (nothing alphanumeric before it)?"""
        start = doc.sentences[doc.sentence(i)][0]
        return not any(ch.isalnum() for ch in doc.text[start:doc.starts[i]])

    # -- reading the document ------------------------------------------------------
    def headline_sentences(self, doc: _Document) -> set[int]:
        """Sentences of at least three words, each capitalised or a function word."""
        out = set()
        for k in range(len(doc.sentences)):
            lo = bisect_left(doc.starts, doc.sentence_floor(k))
            hi = bisect_left(doc.starts, doc.sentence_end(k))
            ws = [t for t in range(lo, hi) if doc.words[t][:1].isalpha()]
            if len(ws) >= 3 and all(doc.caps[t] or doc.words[t] in self.model.function_words
                                    for t in ws):
                out.add(k)
        return out

    @staticmethod
    def dateline_tokens(doc: _Document) -> set[int]:
        """The tokens of the datelines' places and regions (not a line of capitals alone)."""
        out: set[int] = set()
        if not doc.text[:1].isupper() and "\n" not in doc.text:
            return out
        for m in DATELINE.finditer(doc.text):
            if m.group("region") is None and m.end() == m.end("place"):
                continue
            end = m.end("region") if m.group("region") is not None else m.end("place")
            out.update(range(bisect_left(doc.starts, m.start("place")),
                             bisect_left(doc.starts, end)))
        return out

    def person_words(self, doc: _Document) -> set[str]:
        """Capitalised words the document uses as surnames: the second of
        two capitalised words of one sentence (not a headline, neither in
        capitals) that :meth:`is_person_pair` calls a person."""
        out = set()
        for k in range(len(doc.words)):
            if doc.caps[k] and self.has_age(doc, k):
                out.add(doc.words[k])
            if k + 1 == len(doc.words) or not (doc.caps[k] and doc.caps[k + 1]):
                continue
            a, b = doc.words[k], doc.words[k + 1]
            if doc.sentence(k) == doc.sentence(k + 1) and self.is_initial_pair(doc, k):
                out.add(b)
                continue
            s = doc.sentence(k)
            if s != doc.sentence(k + 1) or s in doc.headline:
                continue
            if is_upper(a) or is_upper(b):
                continue
            if self.is_person_pair(doc, k, a, b, doc.gap(k + 1)):
                out.add(b)
        return out

    def has_age(self, doc: _Document, k: int) -> bool:
        """Is token ``k`` a name with an age after it ("Flores, 26, had just
        left"): not in capitals, no time word, not in a headline?"""
        word = doc.words[k]
        return (AGE.match(doc.text, doc.ends[k]) is not None and not is_upper(word)
                and word.lower() not in self.model.time_words
                and doc.sentence(k) not in doc.headline)

    def is_initial_pair(self, doc: _Document, k: int) -> bool:
        """Is token ``k`` an initial before a surname ("Matthew D. Flores";
        not "U.S. Marshall", where another initial is glued before, nor a
        direction's ``direction_initials``: "W. Columbia"), the
        surname no place-type, institution, title or time word?"""
        a, b = doc.words[k], doc.words[k + 1]
        return (len(a) == 1 and doc.gap(k + 1) == ". " and not is_upper(b)
                and a not in self.model.direction_initials
                and (k == 0 or doc.gap(k) != ".")
                and self.is_person_pair(doc, k, a, b, " ", initial=True))

    def is_person_pair(self, doc: _Document, k: int, first: str, second: str, gap: str,
                       initial: bool = False) -> bool:
        """Do ``first gap second`` name a person? After a title, yes; not
        when the first is a function, modifier, time or feature word, the
        second a place, institution, title or time word, the first a
        division or the pair a place; a common first word starting its
        sentence is no first name ("Two Richmond officers")."""
        m = self.model
        wa, wb = first.lower(), second.lower()
        if wa in m.titles and gap in (" ", ". "):
            return True
        if (gap != " " or wa in m.stopwords or wa in m.modifiers or wa in m.time_words
                or wa in m.feature_generics):
            return False
        if wb in m.place_words or wb in m.institutions or wb in m.titles or wb in m.time_words:
            return False
        if self.major_division(first) or self.gaz.has_name(fold(f"{first} {second}")):
            return False
        return initial or not (self.zipf(wa) >= m.person_word_zipf and self.sentence_start(doc, k))

    def organisation_tokens(self, doc: _Document) -> set[int]:
        """The tokens that spell an organisation's listed name, from a
        capitalised token (with a lower-case first word glued before: "al-Shabaab")."""
        m = self.model
        out: set[int] = set()
        firsts = {name.split(" ")[0] for name in m.organisations}
        words = doc.words
        for k in range(len(words)):
            if not doc.caps[k]:
                continue
            if k > 0 and words[k - 1].lower() in firsts and doc.gap(k) in ("-", " "):
                first = k - 1
            elif words[k].lower() in firsts or fold(words[k]) in firsts:
                first = k
            else:
                continue
            longest = -1
            for last in range(k, min(k + m.organisation_max_tokens, len(words))):
                if last > k and not NAME_GAP.match(doc.gap(last)):
                    break
                if fold(doc.text[doc.starts[first]:doc.ends[last]]) in m.organisations:
                    longest = last
            out.update(range(first, longest + 1))
        return out

    def group_names(self, doc: _Document) -> set[str]:
        """Capitalised words before a group word ("Fano fighters"), not after a locative."""
        m, words = self.model, doc.words
        return {words[k] for k in range(len(words) - 1)
                if doc.caps[k] and words[k + 1] in m.group_words and doc.gap(k + 1) == " "
                and (k == 0 or words[k - 1].lower() not in m.locatives)}

    # -- matching ------------------------------------------------------------------
    def window_end(self, doc: _Document, i: int) -> int:
        """The last token a name starting at token ``i`` may reach: tokens of
        its sentence, capitalised, digits, connectors or the "s" of a possessive
        ("People's Republic of China"), joined by :data:`NAME_GAP`."""
        last, stop = i, doc.sentence_end(doc.sentence(i))
        for j in range(i + 1, min(i + self.max_tokens, len(doc.words))):
            w = doc.words[j]
            if not (doc.caps[j] or w.lower() in self.model.connectors or w.isdigit()
                    or (w == "s" and doc.gap(j) in ("'", "\u2019"))):
                break
            if doc.starts[j] >= stop or not NAME_GAP.match(doc.gap(j)):
                break
            last = j
        return last

    def names_at(self, doc: _Document, i: int) -> list[tuple[int, str, str]]:
        """The names starting at token ``i``, longest first: ``(j, key,
        kind)``, ending on token ``j`` (capitalised or a digit); a plural of
        a demonym ("Azeris") is the demonym."""
        out = []
        for j in range(self.window_end(doc, i), i - 1, -1):
            if not (doc.caps[j] or doc.words[j].isdigit()):
                continue
            key = fold(doc.text[doc.starts[i]:doc.ends[j]])
            if self.gaz.has_name(key):
                out.append((j, key, "name"))
            elif (j == i and key.endswith("s") and len(key) > 4 and self.gaz.has_name(key[:-1])
                  and any(c.kind == "demonym" for c in self.candidates(doc.words[i][:-1]))):
                out.append((j, key[:-1], "demonym"))
        return out

    def match(self, doc: _Document, i: int, j: int, key: str, kind: str) -> _Match:
        text = doc.text[doc.starts[i]:doc.ends[j]]
        plural = kind == "demonym"
        if kind == "name" and self.demonym_only(text):
            kind = "demonym"
        return _Match(doc.starts[i], doc.ends[j], text, key, kind, False, doc.sentence(i),
                      plural)

    def judge(self, doc: _Document, i: int, j: int, match: _Match) -> str | None:
        """The id of the first rule of :data:`~geomap.rules.ORDER` that turns
        the match down, or ``None`` when it is kept."""
        dotted = "." in doc.text[match.end - 1:match.end + 1]
        trial = Trial(self, doc, i, j, match, self.profile(match.lookup_text(), dotted))
        for rule in ORDER:
            if self.on(rule.id) and rule(trial):
                return rule.id if rule.kind == "reject" else None
        return None

    # -- the scan ------------------------------------------------------------------
    def recognize(self, text: str, sentences: list[tuple[int, int]] | None = None,
                  trace: list | None = None) -> list[Span]:
        """The place spans of ``text``, in order; ``trace`` receives
        ``(span, why)`` for each match turned down (:func:`geomap.rules.why`)."""
        doc = _Document(text, sentence_spans(text) if sentences is None else sentences)
        if self.on("headline"):
            doc.headline = self.headline_sentences(doc)
        if self.on("person-name"):
            doc.persons = self.person_words(doc)
        if self.on("dateline"):
            doc.dateline = self.dateline_tokens(doc)
        if self.on("organisation-list"):
            doc.orgs = self.organisation_tokens(doc)
        doc.groups = self.group_names(doc)
        resume = 0
        for i in range(len(doc.words)):
            if i < resume or not doc.caps[i] or doc.words[i].lower() == "the":
                continue
            names = self.names_at(doc, i)
            if not names:
                resume = self.back_reference(doc, i)
                if resume == i:
                    resume = self.fuzzy_match(doc, i)
                if resume == i:
                    resume = self.variant_match(doc, i, trace, i - 1)
                continue
            longest = names[0][0]
            if self.article_follows(doc, longest):
                # "Deyr ez-Zawr": the name goes on past the article
                resume = self.variant_match(doc, i, trace, longest)
                if resume != i:
                    continue
            for j, key, kind in names:
                match = self.match(doc, i, j, key, kind)
                reason = self.judge(doc, i, j, match)
                if reason is None:
                    doc.kept.append(match.span())
                    resume = j + 1
                    break
                if trace is not None:
                    trace.append((match.span(), why(reason)))
            else:
                resume = self.variant_match(doc, i, trace, longest)
        if doc.variants and self.on("variant-support"):
            return self.supported_variants(doc, trace)
        return doc.kept

    def article_follows(self, doc: _Document, j: int) -> bool:
        """Is token ``j`` followed by a lower-case Arabic article and a capitalised word?"""
        return (j + 2 < len(doc.words) and doc.caps[j + 2] and not doc.caps[j + 1]
                and doc.words[j + 1] in self.model.article_words)

    def back_reference(self, doc: _Document, i: int) -> int:
        """"the Strip": the latest kept place whose name ends with the word
        (or becomes a name with it). Returns the token to resume at."""
        word = doc.words[i].lower()
        if (not self.on("back-reference") or word not in self.model.back_references
                or i == 0 or doc.words[i - 1].lower() != "the"):
            return i
        tail = " " + fold(word)
        for span in reversed(doc.kept):
            key = span.key if span.key.endswith(tail) else span.key + tail
            if key != span.key and (span.kind != "name" or not self.gaz.has_name(key)):
                continue
            doc.kept.append(Span(doc.starts[i], doc.ends[i], doc.words[i], key, "name", False,
                                 doc.sentence(i)))
            return i + 1
        return i

    def typo_of(self, raw: str) -> str | None:
        """The prominent name ``raw`` is one edit from, if it is long and rare enough."""
        key, m = fold(raw), self.model
        if len(key) < m.fuzzy_min_length or self.zipf(key) >= m.fuzzy_max_zipf:
            return None
        return _one_edit(key, self.typos)

    def fuzzy_match(self, doc: _Document, i: int) -> int:
        """The longest capitalised run of up to ``fuzzy_max_tokens`` tokens
        that is a typo of a prominent name and that the rules keep."""
        if not self.on("fuzzy") or not self.typos:
            return i
        last, stop = i, doc.sentence_end(doc.sentence(i))
        for j in range(i + 1, min(i + self.model.fuzzy_max_tokens, len(doc.words))):
            if doc.starts[j] >= stop or not doc.caps[j] or not NAME_GAP.match(doc.gap(j)):
                break
            last = j
        for j in range(last, i - 1, -1):
            raw = doc.text[doc.starts[i]:doc.ends[j]]
            hit = self.typo_of(raw)
            if hit is not None:
                match = _Match(doc.starts[i], doc.ends[j], raw, hit, "name", True,
                               doc.sentence(i))
                if self.judge(doc, i, j, match) is None:
                    doc.kept.append(match.span())
                    return j + 1
        return i

    def variant_key(self, raw: str) -> str | None:
        """The key ``raw`` is a transliteration variant of: its own fold if
        that is a name; else, if it is long enough and no English word, the
        variant key of the most populous notable place."""
        folded, m = fold(raw), self.model
        if self.gaz.has_name(folded):
            return folded
        if len(folded) < m.variant_min_length or folded.isdigit():
            return None
        keys = self.gaz.variant_keys(folded)
        if keys and self.zipf(folded) >= m.variant_max_zipf:
            return None
        best, most = None, -1
        for key in keys:
            top = [c.place.population for c in self.gaz.candidates(key, limit=8)
                   if case_compatible(key.title(), c.matched) and self.notable(c.place)]
            if top and top[0] > most:
                best, most = key, top[0]
        return best

    def variant_match(self, doc: _Document, i: int, trace: list | None, shorter: int) -> int:
        """The longest run from token ``i`` (capitalised words and articles,
        up to ``variant_max_tokens``), ending past token ``shorter``, that is
        a transliteration variant the rules keep. Returns the token to resume at."""
        if getattr(self.gaz, "variant_keys", None) is None or not self.on("variant"):
            return i
        last, stop = i, doc.sentence_end(doc.sentence(i))
        for j in range(i + 1, min(i + self.model.variant_max_tokens, len(doc.words))):
            if (doc.starts[j] >= stop
                    or not (doc.caps[j] or doc.words[j].lower() in self.model.article_words)
                    or not NAME_GAP.match(doc.gap(j))):
                break
            last = j
        for j in range(last, shorter, -1):
            if not doc.caps[j]:
                continue
            raw = doc.text[doc.starts[i]:doc.ends[j]]
            if j > i and doc.words[i].lower() in ARTICLES and self.gaz.has_name(
                    fold(doc.text[doc.starts[i + 1]:doc.ends[j]])):
                continue      # "An Olmsted County judge": an English article
            key = self.variant_key(raw)
            if key is None:
                continue
            match = _Match(doc.starts[i], doc.ends[j], raw, key, "name", False,
                           doc.sentence(i), by_key=True)
            reason = self.judge(doc, i, j, match)
            if reason is None:
                doc.kept.append(match.span())
                if key != fold(raw):
                    doc.variants.add(match.start)
                return j + 1
            if trace is not None:
                trace.append((match.span(), why(reason, "transliteration variant: ")))
        return i

    def supported_variants(self, doc: _Document, trace: list | None) -> list[Span]:
        """The kept spans less the variants with no notable candidate in a
        country of a place matched as written (its first candidate's)."""
        countries = set()
        for span in doc.kept:
            if span.start not in doc.variants:
                text = span.key.title() if span.fuzzy or fold(span.text) != span.key \
                    else span.text
                cands = self.candidates(text)
                if cands and cands[0].place.country_code:
                    countries.add(cands[0].place.country_code)
        kept = []
        for span in doc.kept:
            if span.start in doc.variants and not any(
                    c.place.country_code in countries and self.notable(c.place)
                    for c in self.candidates(span.key.title())):
                if trace is not None:
                    trace.append((span, why("variant-support")))
                continue
            kept.append(span)
        return kept
