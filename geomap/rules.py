"""The recogniser's rules, as named objects.

Recognition matches capitalised runs of tokens against the gazetteer's names;
every match then faces the *rejection rules* below, in the order of
:data:`REJECTIONS`: the first that applies turns the match down, and its id
is what a trace (``geomap explain``) shows. Other rules say how a document's
context is read (``headline``, ``dateline``), accept a match early
(``demonym``), or find matches the names as written do not (``fuzzy``,
``variant``, ``back-reference``, with ``variant-support`` judging the
variants after the scan).

Each rule is a :class:`Rule`: a stable id, the reason a trace gives, and a
docstring; a rejection rule also has its test, a plain predicate over a
:class:`Trial` (the facts about one match) that the reference recogniser
(:mod:`geomap.recognize_reference`) applies as it is. The engine
(:mod:`geomap.recognize`) applies the same rules, inlined for speed; tests
hold the two equal. A rule is switched off by id with
``RecognizerModel(disabled=frozenset({"person-name"}))``; every rule but
``no-candidate`` can be.

Examples
--------
>>> RULES["acronym"].reason
'acronym'
>>> why("longer-name")
'longer-name: part of a longer name'
>>> [r.id for r in REJECTIONS][:4]
['no-candidate', 'organisation-list', 'ship-name', 'organisation-head']
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap.text import is_upper

if TYPE_CHECKING:
    from geomap.recognizer_model import RecognizerModel

__all__ = ["Rule", "Trial", "RULES", "ORDER", "REJECTIONS", "NAME_GAP", "DATELINE", "AGE", "why",
           "located_elsewhere", "in_nicknamed_name", "has_opening_quote", "may_be_nicknamed",
           "OPENING_QUOTES", "CLOSING_QUOTES", "route_patterns", "route_partner", "ROUTE_DASHES",
           "dedicated"]

#: What may stand between two tokens of one name: a space, a hyphen or dash,
#: an apostrophe, a full stop (and a space).
NAME_GAP = re.compile(r"^(?: |-|–| - |'|’|\. |\.)$")

#: An age after a name and a comma, as news gives it: "Flores, 26, had just left".
AGE = re.compile(r", [1-9][0-9]?,")

# A nickname in double quotes between a person's names: "Joaquín “El Chapo”
# Guzmán", "Mohamed Hamdan \"Hemedti\" Dagalo" (see :func:`in_nicknamed_name`).
_NICK = r'[“"«][^\W\d_][^“”"«»\n,.;:!?]{0,29}[”"»]'
_NICK_AFTER = re.compile(r" " + _NICK + r" (?=[^\W\d_])")
_NICK_BEFORE = re.compile(r"(?:^|(?<=[\s(]))([^\W\d_][\w'’-]*) " + _NICK + r" \Z")
_NICK_OPEN = re.compile(r"(?:^|(?<=[\s(]))([^\W\d_][\w'’-]*) [“\"«]\Z")
_NICK_CLOSE = re.compile(r"[^“”\"«»\n,.;:!?]{0,29}[”\"»] (?=[^\W\d_])")


#: The characters that open a nickname's quotes, and that close them (:data:`_NICK`).
OPENING_QUOTES = "\u201c\"\u00ab"
CLOSING_QUOTES = "\u201d\"\u00bb"


def has_opening_quote(text: str, lo: int, hi: int) -> bool:
    """Is one of :data:`OPENING_QUOTES` in ``text[lo:hi]``?

    Examples
    --------
    >>> has_opening_quote('a "b" c', 0, 3), has_opening_quote('a "b" c', 3, 7)
    (True, True)
    >>> has_opening_quote("a \u201db\u201d c", 0, 7)
    False
    """
    return (text.find("\u201c", lo, hi) >= 0 or text.find('"', lo, hi) >= 0
            or text.find("\u00ab", lo, hi) >= 0)


def may_be_nicknamed(text: str, start: int, end: int) -> bool:
    """What each route of :func:`in_nicknamed_name` needs, by a few
    character tests: an opening quote after a space after the match (the
    nickname after it), a closing quote and a space before it (the nickname
    before it), or an opening quote at most 30 characters before it (the
    match inside the quotes). Without one, no name is nicknamed.

    Examples
    --------
    >>> t = 'Joaquín "El Chapo" Guzmán said "the town of Culiacán is quiet".'
    >>> [may_be_nicknamed(t, t.index(w), t.index(w) + len(w))
    ...  for w in ("Joaquín", "El Chapo", "Guzmán", "Culiacán")]
    [True, True, True, True]
    >>> t = "He said \u201cit is quiet in the town tonight\u201d, in Culiacán."
    >>> may_be_nicknamed(t, t.index("Culiacán"), len(t) - 1)
    False
    """
    return ((text.startswith(" ", end) and text[end + 1:end + 2] in _OPENERS)
            or (start >= 2 and text[start - 1] == " " and text[start - 2] in CLOSING_QUOTES)
            or has_opening_quote(text, max(0, start - 30), start))


# (a character's membership: the empty string past the text's end is none)
_OPENERS = frozenset(OPENING_QUOTES)
_CLOSERS = frozenset(CLOSING_QUOTES)


def in_nicknamed_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a person's name written with a nickname
    in double quotes: the first name before it, the surname after it, or the
    nickname itself ("Joaquín “El Chapo” Guzmán": each of the three)? The
    words around the quotes must be capitalised, and the nickname short and
    without punctuation (a quotation is not a nickname).

    Examples
    --------
    >>> t = "The cartel of Joaquín “El Chapo” Guzmán split."
    >>> [in_nicknamed_name(t, t.index(w), t.index(w) + len(w))
    ...  for w in ("Joaquín", "El Chapo", "Guzmán")]
    [True, True, True]
    >>> t = 'Troops entered "Paris" Texas and Paris.'
    >>> in_nicknamed_name(t, t.rindex("Paris"), t.rindex("Paris") + 5)
    False
    >>> t = 'He said. "There is flu now in Egypt," Hassan Bushra said.'
    >>> in_nicknamed_name(t, t.index("Egypt"), t.index("Egypt") + 5)
    False
    """
    return may_be_nicknamed(text, start, end) and _nicknamed(text, start, end)


def _nicknamed(text: str, start: int, end: int) -> bool:
    """:func:`in_nicknamed_name`, without its guard."""
    after = _NICK_AFTER.match(text, end) if text[end - 1:end] != "." else None
    if after is not None and text[after.end()].isupper() and text[start].isupper():
        return True
    window = text[max(0, start - 64):start]
    # (the pattern ends the window with a closing quote and a space: asked
    # first, that spares most windows the search)
    before = (_NICK_BEFORE.search(window)
              if window[-1:] == " " and window[-2:-1] in _CLOSERS else None)
    if before is not None and before.group(1)[0].isupper() and text[start].isupper():
        return True
    # inside the quotes: an opening quote after a capitalised word, not closed yet
    k = max(window.rfind("“"), window.rfind('"'), window.rfind("«"))
    if k < 0 or len(window) - k > 30 or any(q in window[k + 1:] for q in '”"»,.;:!?'):
        return False
    opened = _NICK_OPEN.search(window, 0, k + 1)
    if opened is None or not opened.group(1)[0].isupper() or not (
            window[k + 1:] + text[start:start + 1])[0].isupper():
        return False
    close = _NICK_CLOSE.match(text, end)
    return close is not None and text[close.end()].isupper()


_DASHES = "-–‑"
#: The hyphen and dashes that join the two ends of a route's name (:func:`route_partner`).
ROUTE_DASHES = frozenset(_DASHES)


@functools.lru_cache(maxsize=8)
def route_patterns(route_words: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns :func:`route_partner` takes for the words ``route_words``
    (:attr:`RecognizerModel.route_words
    <geomap.recognizer_model.RecognizerModel.route_words>`): after the first
    end, "-Bama Road" (the second end in a group); after the second, " Road"."""
    words = "|".join(sorted(map(re.escape, route_words), key=lambda w: (-len(w), w)))
    end = r" (?i:" + words + r")(?![\w-])"
    return (re.compile(r"[" + _DASHES + r"]([^\W\d_][\w'’]*(?: [^\W\d_][\w'’]*)?)" + end),
            re.compile(end))


def route_partner(text: str, start: int, end: int,
                  patterns: tuple[re.Pattern[str], re.Pattern[str]]) -> str | None:
    """When ``text[start:end]`` is one end of a route named by its two ends,
    joined by a hyphen or dash and followed by a route word ("the
    Maiduguri-Bama Road", "the Lagos-Ibadan Expressway", "the
    Kramatorsk-Sloviansk road"), the other end; else ``None``. Both ends are
    capitalised. ``patterns``: :func:`route_patterns`. (The recognisers then
    ask that the two ends be places of one country: "Hyland-Croy Road" is no
    route between places.)

    Examples
    --------
    >>> from geomap.wordlists import ROUTE_WORDS
    >>> pats = route_patterns(ROUTE_WORDS)
    >>> t = "They fled along the Maiduguri-Bama Road on foot."
    >>> [route_partner(t, t.index(w), t.index(w) + len(w), pats) for w in ("Maiduguri", "Bama")]
    ['Bama', 'Maiduguri']
    >>> t = "Agence France-Presse reported."
    >>> route_partner(t, t.index("France"), t.index("France") + 6, pats) is None
    True
    """
    if not text[start:start + 1].isupper():
        return None
    after, word = patterns
    if text[end:end + 1] in ROUTE_DASHES:
        m = after.match(text, end)
        return m.group(1) if m is not None and text[end + 1:end + 2].isupper() else None
    if start < 2 or text[start - 1] not in ROUTE_DASHES or word.match(text, end) is None:
        return None
    i = start - 1           # the first end: a capitalised word just before the dash
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'’"):
        i -= 1
    return text[i:start - 1] if i < start - 1 and text[i].isupper() else None


#: A dateline at the start of the text or of a paragraph: a place in capitals
#: (or two, "BEIRUT/JERUSALEM"), an optional country or state ("KYIV,
#: Ukraine", "BAWIZA, IRAQ"), an optional agency in brackets ("(AP)"), then a
#: dash or colon, or the end of the line after a country ("KABUL, Afghanistan").
DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z'\u2019.\-]+(?:[ /][A-Z][A-Z'\u2019.\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z'\u2019.\-]*(?: [A-Z][A-Za-z'\u2019.\-]*){0,3}))?"
    r"[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*(?:[-\u2013\u2014:]|(?<=[a-zA-Z.])$)",
    re.MULTILINE)


@dataclass(frozen=True)
class Rule:
    """A rule of recognition.

    Attributes
    ----------
    id
        The stable id (``"person-name"``): what traces show and what
        :attr:`RecognizerModel.disabled <geomap.recognizer_model.RecognizerModel.disabled>` takes.
    reason
        What a trace says, after the id.
    kind
        ``"reject"`` (turns a match down), ``"accept"`` (keeps a match
        without the later rules), ``"context"`` (how the document is read)
        or ``"matcher"`` (finds matches the names as written do not).
    doc
        What the rule does.
    test
        For a rejection rule, the predicate over a :class:`Trial` (``True``:
        the match is turned down); ``None`` otherwise.
    switchable
        Whether the rule can be switched off.
    """

    id: str
    reason: str
    kind: str
    doc: str
    test: Callable[[Trial], bool] | None = None
    switchable: bool = True

    def __call__(self, trial: Trial) -> bool:
        """Does this rejection rule turn the match of ``trial`` down?"""
        if self.test is None:
            raise TypeError(f"rule {self.id!r} is a {self.kind} rule, not a test of a match")
        return self.test(trial)


class Trial:
    """The facts about one gazetteer match that the rejection rules read.

    Made by the reference recogniser; the names follow the rules' wording.
    ``i..j`` are the match's tokens; ``prev`` and ``nxt`` the tokens just
    before and after it in its sentence (``None`` at its edges).
    """

    def __init__(self, rec: Any, doc: Any, i: int, j: int, match: Any,
                 profile: tuple[bool, bool, bool, bool] | None) -> None:
        self.rec, self.doc, self.i, self.j, self.match = rec, doc, i, j, match
        self.model: RecognizerModel = rec.model
        self.profile = profile
        self.prominent, self.country_like, self.division, self.abbreviation = (
            profile or (False, False, False, False))
        text, words, starts, ends = doc.text, doc.words, doc.starts, doc.ends
        self.first = words[i]
        self.first_start, self.last_end = starts[i], ends[j]
        self.single = i == j
        self.word = self.first.lower() if self.single else ""
        self.first_upper = self.single and is_upper(self.first)
        self.headline = match.sentence in doc.headline
        self.dateline = i in doc.dateline
        self.stop = doc.sentence_end(match.sentence)
        floor = doc.sentence_floor(match.sentence)
        self.prev = i - 1 if i > 0 and starts[i - 1] >= floor else None
        self.nxt = j + 1 if j + 1 < len(words) and starts[j + 1] < self.stop else None
        self.prev_word = words[self.prev] if self.prev is not None else ""
        self.nxt_word = words[self.nxt] if self.nxt is not None else ""
        self.gap_before = text[ends[self.prev]:self.first_start] if self.prev is not None else None
        self.gap_after = text[self.last_end:starts[self.nxt]] if self.nxt is not None else None
        self.before = text[max(0, self.first_start - 1):self.first_start]
        self.after = text[self.last_end:self.last_end + 2]
        self.then = words[j + 2] if j + 2 < len(words) else ""
        self.located = self.prev_word.lower() in self.model.locatives


RULES: dict[str, Rule] = {}
_order: list[Rule] = []


def _rule(id: str, reason: str, kind: str = "reject", *, switchable: bool = True):
    """Make the decorated predicate (or, for other kinds, docstring holder) a :class:`Rule`."""
    def make(fn: Callable[[Trial], bool]) -> Rule:
        rule = Rule(id, reason, kind, inspect.cleandoc(fn.__doc__ or ""),
                    fn if kind in ("reject", "accept") else None, switchable)
        RULES[id] = rule
        if kind in ("reject", "accept"):
            _order.append(rule)
        return rule
    return make


def why(rule_id: str, prefix: str = "") -> str:
    """The trace text of a rule: ``"<id>: <prefix><reason>"``."""
    return f"{rule_id}: {prefix}{RULES[rule_id].reason}"


def located_elsewhere(text: str, name: str, locatives: frozenset[str]) -> bool:
    """Does ``text`` put ``name`` in place somewhere ("in X", "near X")?"""
    alternatives = "|".join(sorted(locatives))
    return re.search(rf"\b(?:{alternatives})\s+{re.escape(name)}\b", text) is not None


# -- how the document is read ------------------------------------------------
@_rule("headline", "headline", "context")
def HEADLINE(t: Trial) -> bool:
    """Sentences of at least three words, all capitalised but the model's
    ``function_words`` (headlines, page furniture), are read as headlines:
    their capitals say nothing, so the acronym, person and longer-name rules
    do not apply there, and a common word there is judged as at a sentence's
    start. Off: no sentence is a headline."""
    return False


@_rule("dateline", "dateline", "context")
def DATELINE_RULE(t: Trial) -> bool:
    """The place (and country or state) of a dateline (:data:`DATELINE`,
    "KYIV, Ukraine (AP) —") is no acronym however short, nor part of a code
    for its slash ("BEIRUT/JERUSALEM"). Off: no token is in a dateline."""
    return False


# -- rejection rules, in order ---------------------------------------------------
@_rule("no-candidate", "no candidate written that way", switchable=False)
def NO_CANDIDATE(t: Trial) -> bool:
    """No candidate of the name is written compatibly with the text
    (:func:`geomap.recognize.case_compatible`: "We" is not Huế's "we", "As"
    not the code "AS"); without the full stop after it, spellings that end
    in one ("Calif.") do not count. Cannot be switched off."""
    return t.profile is None


@_rule("organisation-list", "an organisation's name (organisations list)")
def ORGANISATION_LIST(t: Trial) -> bool:
    """A token of the match spells part of an organisation's listed name
    (the model's ``organisations``: "Hamas", "al-Shabaab", "Boko Haram")."""
    return any(k in t.doc.orgs for k in range(t.i, t.j + 1))


@_rule("ship-name", "a ship's name (USS X, HMS X)")
def SHIP_NAME(t: Trial) -> bool:
    """The match follows a ship prefix ("USS Carney", the model's ``ship_prefixes``)."""
    doc, i = t.doc, t.i
    return (i > 0 and doc.words[i - 1] in t.model.ship_prefixes
            and doc.text[doc.ends[i - 1]:doc.starts[i]] == " ")


@_rule("organisation-head", "part of an organisation's name (X ... Army, X ... Front)")
def ORGANISATION_HEAD(t: Trial) -> bool:
    """The match heads a capitalised name ending in an organisation's head
    word ("Kachin Independence Army", "Sinaloa Cartel": ``org_heads``,
    ``army_heads``), with at most ``organisation_max_middle`` words between.
    A national name (a demonym, country or first-level division) before an
    army word is the country's own army ("Syrian Army") unless a word stands
    between ("Somalia National Army"). A run that goes on past the head word
    is another name ("Blue Grass Army Depot")."""
    doc, m = t.doc, t.model
    text, words, starts, ends, caps = doc.text, doc.words, doc.starts, doc.ends, doc.caps
    national = t.match.kind == "demonym" or t.division
    k, middle = t.j + 1, 0
    while k < len(words) and middle < m.organisation_max_middle and starts[k] < t.stop:
        gap = text[ends[k - 1]:starts[k]]
        if words[k] == "s" and gap in ("'", "\u2019"):      # "People's Defence Forces"
            k += 1
            continue
        if gap != " " or not caps[k]:
            return False
        low = words[k].lower()
        head = low in m.org_heads or (low in m.army_heads and (middle > 0 or not national))
        goes_on = (k + 1 < len(words) and starts[k + 1] < t.stop and caps[k + 1]
                   and text[ends[k]:starts[k + 1]] == " ")
        if head and not goes_on:
            return True
        middle += 1
        k += 1
    return False


@_rule("demonym", "demonym", "accept")
def DEMONYM(t: Trial) -> bool:
    """A demonym or adjective ("Armenian", "Azeris": a name whose candidates
    are demonyms and no prominent place by that name, or a plural of one)
    is a mention of its country once the organisation rules let it pass;
    the rules after them are for place names. Off: demonyms face them all."""
    return t.match.kind == "demonym"


@_rule("direction-or-time", "direction or time word")
def DIRECTION_OR_TIME(t: Trial) -> bool:
    """A single word that is a direction or modifier ("North", ``modifiers``)
    or a month, weekday or day word ("May", ``time_words``)."""
    return t.single and (t.word in t.model.modifiers or t.word in t.model.time_words)


@_rule("acronym", "acronym")
def ACRONYM(t: Trial) -> bool:
    """A single all-capital token of at most ``acronym_length`` letters
    ("NATO", "ISIS") outside headlines and datelines that matches no
    abbreviation (a candidate spelled in capitals: "UK", "USA")."""
    return (t.single and t.first_upper and len(t.first.replace(".", "")) <= t.model.acronym_length
            and not t.headline and not t.dateline and not t.abbreviation)


@_rule("compound-word", "part of a compound word")
def COMPOUND_WORD(t: Trial) -> bool:
    """Glued by a hyphen to a lower-case word that is not a place suffix
    ("Wal-mart", "Frankenstein-esque"; not "Texas-based": ``place_suffixes``)."""
    return (t.gap_after == "-" and t.nxt_word[:1].islower()
            and t.nxt_word not in t.model.place_suffixes)


@_rule("currency", "currency (US$)")
def CURRENCY(t: Trial) -> bool:
    """Next to a dollar sign ("US$", "$NZ")."""
    return t.after[:1] == "$" or t.before == "$"


@_rule("disease", "name of a disease")
def DISEASE(t: Trial) -> bool:
    """Followed by a disease word ("Marburg virus", "Lassa fever":
    ``disease_words``), or by one of ``disease_adjectives`` and then a
    disease word ("Rift Valley fever")."""
    m = t.model
    return t.gap_after == " " and (
        t.nxt_word in m.disease_words
        or (t.nxt_word in m.disease_adjectives and t.then in m.disease_words))


@_rule("code", "part of a code (A/California/7/2009)")
def CODE(t: Trial) -> bool:
    """Next to a slash, outside a dateline: part of a code ("A/California/7/2009")."""
    return not t.dateline and (t.before == "/" or t.after[:1] == "/")


@_rule("hyphenated-name", "part of a hyphenated name (Agence France-Presse)")
def HYPHENATED_NAME(t: Trial) -> bool:
    """Hyphenated to a capitalised word that is no country, division or
    region ("France-Presse"; not "Syria-Iraq"), unless the two name a route
    ("the Maiduguri-Bama Road": :func:`route_partner`)."""
    return (t.gap_after in ("-", "–") and t.nxt is not None and t.doc.caps[t.nxt]
            and not t.rec.division_name(t.nxt_word) and not _route_end(t))


@_rule("firm-name", "part of a firm's name (X & Y)")
def FIRM_NAME(t: Trial) -> bool:
    """Joined by " & " to a capitalised word: a firm's name ("Stevens &
    Wilkinson", "Marks & Spencer"), unless either is a country, division or
    region ("Trinidad & Tobago")."""
    if t.division:
        return False
    if t.gap_after == " & " and t.nxt is not None and t.doc.caps[t.nxt]:
        return not t.rec.division_name(t.nxt_word)
    return (t.gap_before == " & " and t.prev is not None and t.doc.caps[t.prev]
            and not t.rec.division_name(t.prev_word))


@_rule("short-word", "short word")
def SHORT_WORD(t: Trial) -> bool:
    """A single word of at most ``short_word_length`` letters, not in
    capitals, with no prominent candidate ("Bar", "Tel")."""
    return (t.single and len(t.first) <= t.model.short_word_length and not t.first_upper
            and not t.prominent)


@_rule("compound-tail", "part of a compound word")
def COMPOUND_TAIL(t: Trial) -> bool:
    """A single word, no prominent place, hyphenated after a capitalised
    word ("Coca-Cola"'s "Cola"), unless the two name a route ("the
    Lagos-Ibadan Expressway": :func:`route_partner`)."""
    return (t.single and not t.prominent and t.prev is not None and t.gap_before == "-"
            and t.doc.caps[t.prev] and not _route_end(t))


def _prev_low(t: Trial) -> str:
    return t.prev_word.lower().rstrip(".")


@_rule("after-title", "after a title")
def AFTER_TITLE(t: Trial) -> bool:
    """After a title or office ("President Lincoln", "Mayor Adams":
    ``titles``; "Gen." too), outside headlines, unless the match names a
    country or region."""
    return (t.prev is not None and not t.headline and _prev_low(t) in t.model.titles
            and not t.country_like and t.gap_before in (" ", ". "))


@_rule("after-first-name", "after a capitalised word (a first name?)")
def AFTER_FIRST_NAME(t: Trial) -> bool:
    """After a capitalised word, as a surname after a first name ("Jordan" in
    "Michael Jordan"), unless that word is a function word, modifier,
    connector or time word, written in capitals, or the end of a place just
    kept; countries and regions excepted; not in headlines."""
    if t.prev is None or t.headline or t.country_like:
        return False
    m, p = t.model, _prev_low(t)
    kept = t.doc.kept
    return (t.doc.caps[t.prev] and t.gap_before == " " and not is_upper(t.prev_word)
            and p not in m.stopwords and p not in m.modifiers and p not in m.connectors
            and p not in m.time_words
            and not (kept and kept[-1].end == t.doc.ends[t.prev]))


@_rule("after-initial", "after an initial (a person)")
def AFTER_INITIAL(t: Trial) -> bool:
    """After an initial ("J. Washington"), outside headlines."""
    return (t.prev is not None and not t.headline and len(t.prev_word) == 1
            and t.prev_word.isupper() and t.gap_before in (". ", "."))


@_rule("saint", "a saint's name (St. X)")
def SAINT(t: Trial) -> bool:
    """After "St." or "Saint" (``saints``) without being part of a longer
    place name ("St. Patrick's Day"): a saint's name, not the place named
    like it (a county, a town); or a place named for a saint before a
    possessive and a word of ``dedications`` ("St. George's Day", "Saint
    Andrew's Church": :func:`dedicated`). Countries and regions excepted
    ("St. Lucia")."""
    if t.country_like:
        return False
    if t.prev is not None and _prev_low(t) in t.model.saints and t.gap_before in (" ", ". "):
        return True
    return (not t.single and t.first.lower().rstrip(".") in t.model.saints
            and dedicated(t.doc.text, t.last_end, t.model.dedications))


def dedicated(text: str, end: int, dedications: frozenset[str]) -> bool:
    """Is the name ending at ``end`` followed by a possessive and a word of
    ``dedications`` ("St. George's Day", "St. Andrew's Church")?

    Examples
    --------
    >>> from geomap.wordlists import DEDICATIONS
    >>> t = "on St. George's Day"
    >>> dedicated(t, t.index("'"), DEDICATIONS), dedicated("St. Louis's mayor", 9, DEDICATIONS)
    (True, False)
    """
    if text[end:end + 3] not in ("'s ", "’s "):
        return False
    k = end + 3
    while k < len(text) and text[k].isalpha():
        k += 1
    return text[end + 3:end + 4].isupper() and text[end + 3:k].lower() in dedications


@_rule("nickname", "part of a person's name with a nickname (X “Y” Z)")
def NICKNAME(t: Trial) -> bool:
    """Part of a person's name written with a nickname in double quotes
    ("Joaquín “El Chapo” Guzmán", :func:`in_nicknamed_name`); not in headlines."""
    return not t.headline and in_nicknamed_name(t.doc.text, t.first_start, t.last_end)


@_rule("person-name", "used as a person's name in this document")
def PERSON_NAME(t: Trial) -> bool:
    """The text is used as a surname elsewhere in the document (after a
    title, a first name or an initial: "Dan Adkins ... Adkins said",
    "Matthew D. Flores"; or with an age after it: "Flores, 26,", :data:`AGE`),
    and this match is not used as a place: no locative before it ("in
    Adkins"), no country or state after a comma ("Jackson, Miss."), no
    place-type word after it ("Jackson County"); nor does it name a country,
    region or a first-level division of ``prominent_population`` ("Georgia";
    Uruguay's "Flores" is no such division)."""
    return (not t.located and t.match.text in t.doc.persons
            and not t.rec.used_as_place(t.doc, t.nxt)
            and not t.rec.major_division(t.match.text))


@_rule("speaker", "a speaker")
def SPEAKER(t: Trial) -> bool:
    """A match with no prominent candidate that says something ("Adkins
    said", "said Adkins": ``speech_verbs``), unless after a locative."""
    m = t.model
    return (not t.prominent and not t.located
            and (t.nxt_word.lower() in m.speech_verbs or t.prev_word.lower() in m.speech_verbs))


@_rule("armed-group", "an armed group's name (X fighters, X militants)")
def ARMED_GROUP(t: Trial) -> bool:
    """A match, no prominent place nor division, before a group word ("Fano
    fighters": ``group_words``), or a word the document uses so, unless the
    document puts it in place somewhere ("in Fano")."""
    m = t.model
    return (not t.prominent and not t.division and not t.located
            and ((t.gap_after == " " and t.nxt_word.lower() in m.group_words)
                 or (t.single and t.match.text in t.doc.groups))
            and not located_elsewhere(t.doc.text, t.match.text, m.locatives))


@_rule("head-of-name", "head of a longer name (X of Y)")
def HEAD_OF_NAME(t: Trial) -> bool:
    """The head of a longer name: before "of", "de", "for" (``name_links``)
    and a capitalised word ("Bank of America"), unless a country or region;
    not in headlines."""
    doc, j = t.doc, t.j
    return (t.nxt_word in t.model.name_links and not t.country_like
            and j + 2 < len(doc.words) and doc.starts[j + 2] < t.stop
            and doc.caps[j + 2] and not t.headline)


@_rule("longer-name", "part of a longer name")
def LONGER_NAME(t: Trial) -> bool:
    """Followed by a capitalised word: part of a longer name ("Minsk Group",
    "Vladimir Putin"), unless that word is a place type, local institution,
    title or time word ("Dublin City Council", "Turkey Sunday"), a prominent
    place's name, or written in capitals (an agency or abbreviation: "Deir
    al-Balah WAFA said", "Springfield IL"). But a common first name (no
    country or division) before a prominent place's name is a person's
    ("George Washington": ``first_names``), and a country before a common
    first name is no longer name ("the envoy for Libya Stephanie Williams").
    Not for a single all-capital token, nor in headlines, nor for an end of
    a route named by its ends ("the Maiduguri-Bama Road":
    :func:`route_partner`)."""
    if t.nxt is None or t.headline or (t.first_upper and t.single):
        return False
    m, w = t.model, t.nxt_word.lower()
    return (t.gap_after == " " and t.doc.caps[t.nxt] and not is_upper(t.nxt_word)
            and w not in m.place_words
            and w not in m.institutions and w not in m.titles and w not in m.time_words
            and (not t.rec.prominent_name(t.nxt_word)
                 or (t.word in m.first_names and not t.division))
            and not (t.country_like and w in m.first_names and t.word not in m.first_names)
            and not _route_end(t))


def _route_end(t: Trial) -> bool:
    """The match is an end of a route named by its ends, the other end a
    place of one of its countries ("the Maiduguri-Bama Road":
    :func:`route_partner`)."""
    other = route_partner(t.doc.text, t.first_start, t.last_end,
                          route_patterns(t.model.route_words))
    return other is not None and t.rec.share_country(t.doc.text[t.first_start:t.last_end],
                                                     other)


@_rule("very-common-word", "very common word")
def VERY_COMMON_WORD(t: Trial) -> bool:
    """A single word at least ``very_common_word_zipf`` common in English,
    no country or region ("Was", "Of")."""
    return (t.single and t.rec.zipf(t.word) >= t.model.very_common_word_zipf
            and not t.country_like)


@_rule("common-word", "common word")
def COMMON_WORD(t: Trial) -> bool:
    """A single word at least ``common_word_zipf`` common in English, with
    no prominent candidate ("Enter", "Will")."""
    return t.single and t.rec.zipf(t.word) >= t.model.common_word_zipf and not t.prominent


@_rule("sentence-start-common-word", "common word at the start of a sentence")
def SENTENCE_START_COMMON_WORD(t: Trial) -> bool:
    """A single word at least ``sentence_start_zipf`` common, no prominent
    candidate, at the start of a sentence or in a headline, where its
    capital says nothing ("Reading the report...")."""
    return (t.single and not t.prominent and (t.headline or t.rec.sentence_start(t.doc, t.i))
            and t.rec.zipf(t.word) >= t.model.sentence_start_zipf)


# -- matchers ------------------------------------------------------------------
@_rule("back-reference", "back reference", "matcher")
def BACK_REFERENCE(t: Trial) -> bool:
    """"the Strip" after "Gaza Strip" (or after "Gaza", when "Gaza Strip" is
    a name): a capitalised ``back_references`` word after "the" names the
    latest place kept before whose name ends with it."""
    return False


@_rule("fuzzy", "typo", "matcher")
def FUZZY(t: Trial) -> bool:
    """A capitalised run of up to ``fuzzy_max_tokens`` tokens no name starts
    with, rare in English, one insertion, deletion or substitution away from
    a prominent name of ``fuzzy_min_length`` characters or more
    ("Nagorno-Karbakh"), is that name, if the rejection rules let it pass."""
    return False


@_rule("variant", "transliteration variant", "matcher")
def VARIANT(t: Trial) -> bool:
    """A capitalised run (with lower-case ``article_words``: "el-Fasher") of
    up to ``variant_max_tokens`` tokens that no name as written matched is
    looked up by its transliteration skeleton ("Kharkov" for Kharkiv); the
    key of the most populous notable place wins, and the match faces the
    rejection rules (its trace says "transliteration variant")."""
    return False


@_rule("variant-support", "transliteration variant of a place in a country the document "
                          "does not mention", "reject")
def VARIANT_SUPPORT(t: Trial) -> bool:
    """After the scan, a variant match is kept only when a place matched as
    written lies in the same country (its first candidate's) as one of the
    variant's notable candidates ("Kharkov" in a story about Ukraine, not
    "Malloy" for Malawi in one about Ohio). Applied to the whole document,
    not a :class:`Trial`: its test here is always ``False``."""
    return False


_order.remove(VARIANT_SUPPORT)

#: The rules a match faces, in order: the first rejection rule that applies
#: turns it down; the acceptance rule (``demonym``) keeps it without the rest.
ORDER: tuple[Rule, ...] = tuple(_order)
#: The rejection rules among them.
REJECTIONS: tuple[Rule, ...] = tuple(r for r in ORDER if r.kind == "reject")
