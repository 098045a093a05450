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

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gazetteer.names import fold
from geomap.text import Token, sentence_spans, tokenize

__all__ = ["Span", "Recognizer", "case_compatible"]

# Lower-case words allowed inside a multi-word name ("Isle of Man").
_CONNECTORS = {"of", "de", "del", "la", "le", "les", "du", "des", "di", "da", "do", "dos",
               "and", "y", "upon", "on", "the", "al", "el", "am", "an", "der", "van", "von",
               "sur", "en", "au", "aux", "bin", "ibn"}
# Words before a capitalised name that make it a person or an office.
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "president", "gen", "general", "sen", "senator",
           "rep", "representative", "gov", "governor", "judge", "justice", "minister", "premier",
           "king", "queen", "prince", "princess", "pope", "lt", "col", "colonel", "capt",
           "captain", "sgt", "sergeant", "officer", "coach", "chairman", "chancellor", "mayor",
           "secretary", "ambassador", "sheikh", "emir", "lord", "lady", "sir", "dame", "rev",
           "reverend", "father", "brother", "sister", "bishop", "prof", "professor", "detective",
           "deputy", "sheriff", "chief", "commander", "spokesman", "spokeswoman", "agent",
           "attorney", "councilman", "councilwoman", "superintendent", "principal", "dean"}
# Capitalised words that may follow a place without making it part of another name.
_PLACE_WORDS = {"county", "city", "province", "region", "oblast", "state", "district", "river",
                "valley", "mountains", "mountain", "island", "islands", "lake", "bay", "sea",
                "township", "parish", "borough", "village", "town", "area", "metro", "coast",
                "peninsula", "governorate", "republic", "territory", "prefecture", "municipality",
                "krai", "raion", "rayon", "canton", "department", "strip", "desert", "basin",
                "heights", "highlands", "plain", "gulf", "straits", "strait", "north", "south",
                "east", "west", "conflict", "zone", "border", "war", "crisis", "front"}
_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "today", "tonight"}
# Modifiers that may stand before a place ("Northern Syria", "Downtown Denver").
_MODIFIERS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "central", "downtown", "greater", "metro", "upper", "lower", "new", "old",
              "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
              "southeastern", "southwestern", "inner", "outer", "occupied", "rural", "suburban"}
_OK_GAP = re.compile(r"^(?: |-|–| - |'|’|\. )$")
_PROMINENT_CODES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "PCLH", "TERR", "ADM1",
                    "CONT", "RGN", "RGNH", "ZN", "ADMD", "AREA", "PPLC"}


@dataclass(frozen=True, slots=True)
class Span:
    """A recognised place mention: offsets, text and how it was found.

    ``key`` is the gazetteer name it matched (folded); ``kind`` is ``"name"``
    or ``"demonym"``; ``fuzzy`` is true when it matched by one edit.
    """

    start: int
    end: int
    text: str
    key: str
    kind: str = "name"
    fuzzy: bool = False
    sentence: int = 0


@dataclass
class _Ctx:
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    headline: set[int] = field(default_factory=set)


class Recognizer:
    """Find place-name spans in text using a :class:`gazetteer.Gazetteer`.

    Parameters
    ----------
    gazetteer
        Anything with ``has_name(folded) -> bool``, ``candidates(name)`` and
        ``max_name_tokens()``.
    fuzzy_names
        Folded names that may be matched with one typo; by default the
        gazetteer's prominent names (countries, first-level divisions,
        regions, large cities) when it offers ``prominent_names()``.

    Examples
    --------
    >>> rec = Recognizer(gaz)                                  # doctest: +SKIP
    >>> [s.text for s in rec("Talks in Geneva, said Vladimir Putin.")]  # doctest: +SKIP
    ['Geneva']
    """

    def __init__(self, gazetteer, *, fuzzy_names=None, common_word_zipf: float = 4.3):
        self.gaz = gazetteer
        self.max_tokens = min(int(gazetteer.max_name_tokens()), 7)
        self.common_word_zipf = common_word_zipf
        self._fuzzy_source = fuzzy_names
        self._fuzzy = None

    # -- public -------------------------------------------------------------
    def __call__(self, text: str) -> list[Span]:
        return self.recognize(text)

    def recognize(self, text: str, sentences: list[tuple[int, int]] | None = None) -> list[Span]:
        """Return the place spans of ``text``, in order, not overlapping.

        ``sentences`` may pass :func:`geomap.text.sentence_spans` already computed.
        """
        if sentences is None:
            sentences = sentence_spans(text)
        tokens = tokenize(text, sentences)
        ctx = _Ctx(text, tokens, sentences, _headline_sentences(tokens, len(sentences)))
        spans: list[Span] = []
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            if not tok.is_capitalized:
                i += 1
                continue
            match = self._longest_match(ctx, i)
            if match is None:
                j = self._fuzzy_match(ctx, i, spans)
                i = j if j > i else i + 1
                continue
            j, key, kind = match
            span = self._span(ctx, i, j, key, kind)
            if self._keep(ctx, i, j, span):
                spans.append(span)
                i = j + 1
            else:
                i += 1
        return spans

    # -- matching -----------------------------------------------------------
    def _longest_match(self, ctx: _Ctx, i: int):
        tokens, text = ctx.tokens, ctx.text
        last = i
        for j in range(i + 1, min(i + self.max_tokens, len(tokens))):
            if tokens[j].sentence != tokens[i].sentence:
                break
            if not _OK_GAP.match(text[tokens[j - 1].end:tokens[j].start]):
                break
            last = j
        for j in range(last, i - 1, -1):
            tj = tokens[j]
            if not (tj.is_capitalized or tj.text.isdigit()):
                continue
            if any(not (t.is_capitalized or t.text.lower() in _CONNECTORS or t.text.isdigit())
                   for t in tokens[i:j + 1]):
                continue
            key = fold(text[tokens[i].start:tokens[j].end])
            if self.gaz.has_name(key):
                return j, key, "name"
            if j == i and key.endswith("s") and len(key) > 4 and self.gaz.has_name(key[:-1]):
                if self._has_demonym(tokens[i].text[:-1]):
                    return j, key[:-1], "demonym"
        return None

    def _span(self, ctx, i, j, key, kind) -> Span:
        s, e = ctx.tokens[i].start, ctx.tokens[j].end
        if kind == "name" and self._is_demonym_only(ctx.text[s:e]):
            kind = "demonym"
        return Span(s, e, ctx.text[s:e], key, kind, False, ctx.tokens[i].sentence)

    @lru_cache(maxsize=65536)  # noqa: B019 - one recognizer per process
    def _cands(self, text: str):
        return tuple(c for c in self.gaz.candidates(text) if case_compatible(text, c.matched))

    def _prominent_name(self, text: str) -> bool:
        """Is this word, as written, the name of a prominent place (or a demonym)?"""
        return self.gaz.has_name(fold(text)) and any(
            _prominent(c.place) or c.kind == "demonym" for c in self._cands(text))

    def _has_demonym(self, text: str) -> bool:
        return any(c.kind == "demonym" for c in self._cands(text))

    def _is_demonym_only(self, text: str) -> bool:
        cands = self._cands(text)
        if not cands:
            return False
        kinds = {c.kind for c in cands}
        if "demonym" not in kinds:
            return False
        # "Turkish" is only a demonym; "Armenia" is a name. A demonym wins when
        # no candidate is a prominent place known by that very name.
        return not any(c.kind != "demonym" and _prominent(c.place) for c in cands)

    # -- filters ------------------------------------------------------------
    def _keep(self, ctx: _Ctx, i: int, j: int, span: Span) -> bool:
        tokens = ctx.tokens
        cands = self._cands(_lookup_text(span))
        if not cands:
            return False
        if span.kind == "demonym":
            return True
        prominent = any(_prominent(c.place) for c in cands)
        country_like = any(_country_like(c.place) for c in cands)
        headline = tokens[i].sentence in ctx.headline
        first = tokens[i]
        # Acronyms: all-capital short tokens must match a real abbreviation.
        if i == j and first.is_upper and len(first.text.replace(".", "")) <= 5 and not headline:
            if not any(c.matched.replace(".", "").isupper() for c in cands):
                return False
        # Preceded by a title or by a capitalised non-place word (a person's first name).
        prev = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == first.sentence else None
        if prev is not None and not headline:
            gap = ctx.text[prev.end:first.start]
            p = prev.text.lower().rstrip(".")
            if p in _TITLES and not country_like:
                return False
            if (prev.is_capitalized and gap == " " and p not in _MODIFIERS
                    and p not in _CONNECTORS and not _is_sentence_start(ctx, i - 1)
                    and not self._prominent_name(prev.text) and not country_like):
                return False
        # Followed by a capitalised word: part of a longer name ("Minsk Group").
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if nxt is not None and nxt.sentence == first.sentence and not headline:
            gap = ctx.text[tokens[j].end:nxt.start]
            w = nxt.text.lower()
            abbreviation = first.is_upper and i == j
            if (gap == " " and nxt.is_capitalized and w not in _PLACE_WORDS
                    and w not in _TIME_WORDS and not abbreviation
                    and not self._prominent_name(nxt.text)):
                return False
        # Common words: only prominent places may take an everyday word's name.
        if i == j:
            z = _zipf(first.text.lower())
            if z >= self.common_word_zipf and not prominent:
                return False
            if (headline or _is_sentence_start(ctx, i)) and z >= 3.5 and not prominent:
                return False
        if first.text.lower() in _TIME_WORDS:
            return False
        return True

    # -- typos --------------------------------------------------------------
    def _fuzzy_match(self, ctx: _Ctx, i: int, spans: list[Span]) -> int:
        """Match a capitalised run of 1-3 tokens to a prominent name by one edit."""
        tokens, text = ctx.tokens, ctx.text
        index = self._fuzzy_index()
        if not index:
            return i
        for j in range(min(i + 2, len(tokens) - 1), i - 1, -1):
            run = tokens[i:j + 1]
            if any(t.sentence != tokens[i].sentence or not t.is_capitalized for t in run):
                continue
            if any(not _OK_GAP.match(text[a.end:b.start]) for a, b in zip(run, run[1:])):
                continue
            raw = text[tokens[i].start:tokens[j].end]
            key = fold(raw)
            if len(key) < 8 or _zipf(key) >= 3.0:
                continue
            hit = _one_edit(key, index)
            if hit is not None:
                span = Span(tokens[i].start, tokens[j].end, raw, hit, "name", True,
                            tokens[i].sentence)
                if self._keep(ctx, i, j, span):
                    spans.append(span)
                    return j + 1
        return i

    def _fuzzy_index(self):
        if self._fuzzy is None:
            names = self._fuzzy_source
            if names is None:
                getter = getattr(self.gaz, "prominent_names", None)
                names = getter() if getter else ()
            self._fuzzy = _deletion_index(n for n in names if len(n) >= 8)
        return self._fuzzy


def _lookup_text(span: Span) -> str:
    """The text to look a span up by: as written, less a plural 's', or the fuzzy hit."""
    if span.fuzzy:
        return span.key.title()
    if fold(span.text) != span.key:
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
    letters = [c for c in matched if c.isalpha()]
    if not any(c.isupper() for c in letters):
        return False
    if len(letters) <= 5 and all(c.isupper() for c in letters):
        return all(c.isupper() for c in text if c.isalpha())
    return True


def _deletion_index(names) -> dict[str, str]:
    index: dict[str, str] = {}
    for name in names:
        index.setdefault(name, name)
        for k in range(len(name)):
            index.setdefault(name[:k] + name[k + 1:], name)
    return index


def _one_edit(key: str, index: dict[str, str]) -> str | None:
    """A name within one insertion, deletion or substitution of ``key``."""
    if key in index and index[key] != key:
        return index[key]          # key is a name with one letter missing
    for k in range(len(key)):
        hit = index.get(key[:k] + key[k + 1:])
        if hit is not None and abs(len(hit) - len(key)) <= 1 and hit != key:
            return hit
    return None


def _prominent(place) -> bool:
    return place.feature_code in _PROMINENT_CODES or place.population >= 100_000


def _country_like(place) -> bool:
    return place.feature_code.startswith("PCL") or place.feature_code in {"CONT", "RGN", "TERR"}


def _is_sentence_start(ctx: _Ctx, i: int) -> bool:
    tok = ctx.tokens[i]
    start = ctx.sentences[tok.sentence][0]
    between = ctx.text[start:tok.start]
    return not any(ch.isalnum() for ch in between)


def _headline_sentences(tokens: list[Token], n: int) -> set[int]:
    """Sentences written in Title Case or ALL CAPS (headlines, page furniture):
    at least three words and no lower-case word but short function words."""
    words: dict[int, list[Token]] = {}
    for t in tokens:
        if t.text[:1].isalpha():
            words.setdefault(t.sentence, []).append(t)
    out = set()
    for s, ws in words.items():
        if len(ws) >= 3 and all(w.is_capitalized or w.text in _FUNCTION_WORDS for w in ws):
            out.add(s)
    return out


_FUNCTION_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but",
                   "with", "by", "from", "as", "vs", "via", "into", "over", "after", "amid"}


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """English frequency of ``word`` on the Zipf scale (0 unknown .. 8)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
