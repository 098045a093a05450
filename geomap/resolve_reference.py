"""Resolution, the reference: the algorithm of :mod:`geomap.resolve`, plainly.

The same rules as the engine (:class:`geomap.resolve.Resolver`), read from
the same :class:`~geomap.resolver_model.ResolverModel`, with no cache and no
shortcut: every candidate is scored in every round as the sum of its named
parts. ``tests/geomap/test_resolve_reference.py`` holds the two equal.

The algorithm, one function per rule:

1. :func:`type_words`: each span's type word ("Kharkiv region", "the city of
   X", "the Dnipro." standing alone).
2. :meth:`ReferenceResolver.candidates`: the gazetteer's candidates for the
   name (and for the name with its type word), those the span as written can
   mean.
3. :func:`static_parts`: the parts that need no context (population,
   feature, alternate name, variant, curated, seat, short form, qualifier,
   type word, largest, other name, dateline: see :func:`is_dateline`);
   :func:`hopefuls` drops the candidates that context could never lift near
   the best.
4. The first pass chooses by population and feature alone
   (:func:`first_choice`); each context pass scores every candidate with the
   other mentions' choices (:func:`context_parts`: country, neighbour (see
   :func:`neighbour_part`), admin1, nearby, isolated, unsupported: see
   :func:`needs_support`) until the choices no
   longer change (at most ``model.rounds``).
5. :func:`outcome`: the best candidate of the last pass, its confidence (its
   share of ``exp(score)`` among the candidates, shrunk when isolated), or no
   place when it is isolated and weak, or small and unsupported
   (:func:`withheld`).

Examples
--------
>>> from gazetteer import Gazetteer                                # doctest: +SKIP
>>> from geomap.recognize import Recognizer                        # doctest: +SKIP
>>> gaz = Gazetteer.open()                                         # doctest: +SKIP
>>> text = "Paris, Texas is a small town."
>>> [r.place.admin1 for r in ReferenceResolver(gaz).resolve(Recognizer(gaz)(text), text)]
... # doctest: +SKIP
['TX', 'TX']
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gazetteer.names import fold, skeleton
from gazetteer.neighbours import neighbours
from gazetteer.place import Place
from geomap.recognize import case_compatible
from geomap.resolution import Resolution, Scored
from geomap.resolver_model import DEFAULT_MODEL, EARTH_KM, ResolverModel
from geomap.spans import Span

__all__ = ["ReferenceResolver", "type_words", "institutions", "is_dateline", "static_parts",
           "hopefuls",
           "first_choice", "seen_from", "neighbour_part", "context_parts", "needs_support",
           "score_all",
           "outcome", "withheld", "nested"]

Parts = list[tuple[str, float]]


@dataclass(frozen=True)
class Hopeful:
    """A candidate context could still make win: its index among the span's
    candidates, its place and the parts of its score that need no context."""

    index: int
    place: Place
    static: tuple[tuple[str, float], ...]
    variant: bool = False       # found only by a transliteration variant of the name


class ReferenceResolver:
    """Resolve spans to places, plainly (see the module docstring).

    Parameters
    ----------
    gazetteer
        Anything with ``candidates(name, limit=...)``; its countries'
        neighbours (:func:`gazetteer.neighbours.neighbours`) when the model's
        ``neighbour`` part is on.
    model
        The weights and word lists; the default model when ``None``.
    keep_candidates
        How many scored candidates each :class:`Resolution` keeps.
    """

    def __init__(self, gazetteer, model: ResolverModel | None = None, *,
                 keep_candidates: int = 10):
        self.gaz = gazetteer
        self.model = DEFAULT_MODEL if model is None else model
        self.keep = keep_candidates
        self.near: Mapping[str, frozenset[str]] = (
            neighbours(gazetteer) if neighbour_on(self.model) else {})

    def resolve(self, spans: Sequence[Span], text: str = "", *,
                keep_candidates: int | None = None) -> list[Resolution]:
        """Resolve all ``spans`` of one document together."""
        m = self.model
        keep = self.keep if keep_candidates is None else keep_candidates
        _, _, hopes, marks, groups = self.settle(spans, text)
        keys = [span.key for span in spans]
        out = []
        for i, span in enumerate(spans):
            if not hopes[i]:
                out.append(Resolution(span, None, 0.0))
                continue
            scored = score_all(hopes[i], marks, keys[i], groups[i], m, self.near)
            out.append(outcome(span, scored, keep, m))
        return out

    def settle(self, spans: Sequence[Span], text: str) -> tuple:
        """The rounds of resolution up to the last: ``(cues, found, hopes,
        marks, groups)``, each span's type word, ``(candidates, named)`` and
        hopefuls, and the context the last round scored in (the mentions'
        ``(key, place)`` and each span's current place id) (for
        ``benchmarks/fit_resolver.py``, which reads every candidate's parts
        in that context)."""
        m = self.model
        cues = type_words(spans, text, m)
        local = institutions(spans, text, m)
        found = [self.candidates(span, cue) for span, cue in zip(spans, cues)]
        hopes = []
        nests = nested(spans, [f[0] for f in found], m)
        for i, (span, (cands, named, vary)) in enumerate(zip(spans, found)):
            quals = qualifiers(spans, [f[0] for f in found], i, text)
            hopes.append(hopefuls(static_parts(span, cands, named, quals, cues[i], m,
                                               is_dateline(span, text), vary, local[i],
                                               nests[i]),
                                  m, vary))
        keys = [span.key for span in spans]
        # the first pass: population and feature alone
        choices = [first_choice(f[0], m) for f in found]
        for _ in range(m.rounds):
            marks = [(keys[i], found[i][0][c].place) for i, c in enumerate(choices)
                     if c is not None]
            groups = [None if c is None else found[i][0][c].place.id
                      for i, c in enumerate(choices)]
            chosen = [best(score_all(h, marks, keys[i], groups[i], m, self.near))
                      if h else None for i, h in enumerate(hopes)]
            if chosen == choices:
                break
            choices = chosen
        return cues, found, hopes, marks, groups

    def candidates(self, span: Span, cue: str) -> tuple[list, frozenset, frozenset]:
        """The gazetteer candidates ``span`` can refer to, the ids of the
        places found by the name with its type word ("dnipro river"), and
        those of the places found only by a transliteration variant of the
        name (:meth:`variants`, after the name's own).

        A type word after the name (``cue`` ``"+river"``), or an article before
        a name standing alone (``"the"``: the model's ``article_lookup``),
        also looks up the name with the word, and the name of its most
        populous town with the word ("Odessa region" finds Odesa's); those
        are not filtered by case.
        """
        m = self.model
        raw = list(self.gaz.candidates(span.key, limit=m.max_candidates))
        cands = filter_written(raw, span)
        ids = {c.place.id for c in raw}
        variants = self.variants(span, cands, ids)
        cands += variants
        vary = frozenset(c.place.id for c in variants)
        word = (" " + m.article_lookup if cue == "the" else
                " " + cue[1:] if cue.startswith("+") else "")
        if not word:
            return cands, frozenset(), vary
        found = list(self.gaz.candidates(span.key + word, limit=m.max_candidates))
        towns = [c.place for c in raw if c.place.feature_class == "P"]
        if towns:
            town = fold(max(towns, key=lambda p: p.population).name)
            if town != span.key:
                found += self.gaz.candidates(town + word, limit=m.max_candidates)
        for c in found:
            if c.place.id not in ids:
                ids.add(c.place.id)
                cands.append(c)
        return cands, frozenset(c.place.id for c in found), vary

    def variants(self, span: Span, cands: list, ids: set) -> list:
        """The candidates of the keys sharing ``span``'s transliteration
        skeleton (the store's ``variant_keys``), those written as ``span``
        can mean, when the model's ``variant_lookup`` asks for them: always,
        or when the name's own candidates ``cands`` are :func:`weak`
        ("Aziziya", a Libyan town's variant spelling, also an alternate name
        of an Iraqi one). Places in ``ids`` (the places found so far) are
        left out, and every place found is added to it. Each gets the
        ``variant`` part."""
        m = self.model
        lookup = m.variant_lookup
        if (lookup == "off" or span.fuzzy or span.kind != "name"
                or (lookup == "weak" and not weak(cands))):
            return []
        keys = getattr(self.gaz, "variant_keys", None)
        out = []
        for key in (keys(span.key) if keys is not None else ()):
            found = list(self.gaz.candidates(key, limit=m.max_candidates))
            out += [c for c in filter_written(found, span) if c.place.id not in ids]
            ids.update(c.place.id for c in found)
        return out


def weak(cands: list) -> bool:
    """Is a name's own match weak: none of its candidates ``cands`` bears
    it as more than an alternate name (its own name, an abbreviation, a
    former name...) with a recorded population?"""
    return not any(c.kind != "alternate" and c.place.population > 0 for c in cands)


def filter_written(cands: list, span: Span) -> list:
    """The candidates ``span`` as written can mean: its case fits the name
    matched (unless the match was fuzzy); a demonym's demonym candidates."""
    if not span.fuzzy:
        cands = [c for c in cands if case_compatible(span.text, c.matched)]
    if span.kind == "demonym":
        cands = [c for c in cands if c.kind == "demonym"] or cands
    return cands


# -- type words -----------------------------------------------------------------------

def word_at(text: str, i: int) -> str:
    """The word of letters starting at ``text[i]``, lower-cased."""
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j].lower()


def type_words(spans: Sequence[Span], text: str, m: ResolverModel) -> list[str]:
    """Each span's type word: ``"+word"`` after the name ("Kharkiv region",
    "Ulang and Nasir counties"), ``"word"`` as the name's own last word ("Red
    Sea") or before it ("the city of X"), ``"the"`` for an article before a
    one-word name standing alone ("across the Dnipro."), ``""`` for none."""
    words, plurals = dict(m.type_words), dict(m.plural_type_words)
    cues: list[str] = []
    closing = []                # spans followed by a plural closing a list
    for k, span in enumerate(spans):
        cue = ""
        cut = span.text.rfind(" ")
        own = span.text[cut + 1:].lower()
        if cut > 0 and own in words and own != "the":
            cue = own
        end = span.end
        if end < len(text) and text[end] == " ":
            word = word_at(text, end + 1)
            if word in words and word != "the" and (
                    words[word] != m.town_kinds or text[end + 1].isupper()):
                cue = "+" + word            # (lower-case "a Texas city" is no type word)
            elif (word in plurals and k > 0
                  and text[spans[k - 1].end:span.start] in m.list_gaps):
                cue = "+" + plurals[word]
                closing.append(k)
        if not cue and span.start >= 4:
            before = text[max(0, span.start - 20):span.start].lower()
            if before.endswith(" of "):
                last = before[:-4].rsplit(" ", 1)[-1]
                if last in m.of_type_words:
                    cue = last
            elif (before.endswith("the ") and (len(before) == 4 or not before[-5].isalpha())
                  and " " not in span.text):
                after = text[end:end + 1]
                if (not after or after in ",.;:)!?"
                        or (after == " " and word_at(text, end + 1) in m.after_alone)):
                    cue = "the"
        cues.append(cue)
    # the plural names each name of the list before it
    for k in closing:
        j = k
        while j > 0 and text[spans[j - 1].end:spans[j].start] in m.list_gaps:
            j -= 1
            if cues[j] in ("", "the"):
                cues[j] = cues[k]
    return cues


def institution_on(m: ResolverModel) -> bool:
    """Is the ``institution`` part on (a weight of it is not 0)?"""
    return m.institution_bonus != 0.0


def institutions(spans: Sequence[Span], text: str, m: ResolverModel) -> list[bool]:
    """Which spans are names local news gives an institution after: a word
    of ``m.institution_words`` follows the name, or its possessive ("the
    Berea Police Department", "Hanover's council"), or a pair of
    ``m.institution_pairs`` capitalised ("Paris High School"), or a word of
    ``m.institution_after`` and then one of ``m.institution_city_words``
    ("Athens City Council", "Decatur city officials"); or a word of
    ``m.institution_of_words`` comes before "of X" ("the mayor of X").
    Only names (not demonyms). All ``False`` when the part is off."""
    out = []
    for span in spans:
        found = False
        if institution_on(m) and span.kind == "name":
            end = span.end
            i = end + 3 if text[end:end + 3] in ("'s ", "\u2019s ") else (
                end + 1 if text[end:end + 1] == " " else -1)
            if i > 0:
                word = word_at(text, i)
                j = i + len(word)
                second = word_at(text, j + 1) if text[j:j + 1] == " " else ""
                if word in m.institution_words:
                    found = True
                elif word in m.institution_after:
                    found = second in m.institution_city_words
                else:
                    found = text[i:i + 1].isupper() and f"{word} {second}" in m.institution_pairs
            if not found and span.start >= 4:
                before = text[max(0, span.start - 20):span.start].lower()
                found = (before.endswith(" of ")
                         and before[:-4].rsplit(" ", 1)[-1] in m.institution_of_words)
        out.append(found)
    return out


def is_dateline(span: Span, text: str) -> bool:
    """Does ``span`` open a dateline: the text or a line starts with it, and a
    comma, a bracket or a dash follows ("GENEVA (Reuters) -", "KYIV, Ukraine")?"""
    if span.start > 0 and text[span.start - 1] != "\n":
        return False
    after = text[span.end:span.end + 2]
    return after[:1] == "," or after in (" (", " -", " \u2013", " \u2014")


# -- the static parts -----------------------------------------------------------------

def is_division(p: Place) -> bool:
    return p.feature_class == "A" and p.feature_code.startswith("ADM")


def is_area(p: Place, m: ResolverModel) -> bool:
    """An area has no point for distances: divisions, regions, seas, rivers..."""
    return p.feature_class in ("A", "L") or p.feature_code in m.areal_codes


def of_kind(p: Place, kinds: frozenset) -> bool:
    return p.feature_class in kinds or f"{p.feature_class}.{p.feature_code}" in kinds


def institution_part(p: Place, m: ResolverModel) -> float:
    """A name with a local institution after it: ``+m.institution_bonus`` for
    a town (feature class P) or a division below the first level (one of
    ``m.minor_divisions``), ``-m.institution_bonus`` for any other place."""
    town = p.feature_class == "P" or p.feature_code in m.minor_divisions
    return m.institution_bonus if town else -m.institution_bonus


def population_part(p: Place, m: ResolverModel) -> float:
    return math.log10(max(p.population, 0) + 1) * m.population_weight


def feature_part(p: Place, m: ResolverModel) -> float:
    return dict(m.feature_bonus).get(p.feature_code, 0.0)


def is_seat(division: Place, towns: list[Place], m: ResolverModel) -> bool:
    """Is ``division`` named after one of ``towns``, in it or around it, or
    after its country's capital wherever that lies ("Washington" the state:
    news means the capital)?"""
    return any(t.country_code == division.country_code
               and ((t.admin1 and t.admin1 == division.admin1)
                    or t.feature_code == "PPLC"
                    or km(t.lat, t.lon, division.lat, division.lon) < m.seat_km)
               for t in towns)


def contains(division: Place, town: Place) -> bool:
    return (division.country_code == town.country_code and bool(town.admin1)
            and division.admin1 == town.admin1
            and (division.feature_code == "ADM1"
                 or (bool(town.admin2) and division.admin2 == town.admin2)))


def wanted_kinds(places: list[Place], named: frozenset, cue: str,
                 m: ResolverModel) -> tuple[frozenset | None, frozenset]:
    """The kinds the type word selects (``None`` when none of the candidates is
    of them), and the ids of the places it names: those found by the name with
    the word, or for a division word after the name, the divisions the name's
    most populous town lies in ("the Charlotte region"; without one the word
    selects none); a division word before the name selects every division of
    its kind ("the state of Washington", whose largest town is elsewhere)."""
    kinds = dict(m.type_words).get(cue.lstrip("+")) if cue else None
    if kinds is None or not any(of_kind(p, kinds) for p in places):
        return None, frozenset()
    if any(p.id in named and of_kind(p, kinds) for p in places):
        return kinds, named
    towns = [p for p in places if p.feature_class == "P"]
    if "A" in kinds and cue != "the" and towns:
        town = max(towns, key=lambda p: p.population)
        inside = frozenset(d.id for d in places if is_division(d) and contains(d, town))
        if inside or not cue.startswith("+"):
            return kinds, inside
        return None, frozenset()
    return kinds, frozenset()


def type_word_part(p: Place, kinds: frozenset | None, named: frozenset, cue: str,
                   m: ResolverModel) -> float:
    """+bonus for a place of the kinds (and named, when some are), -bonus for
    the others; after an article, only towns get the minus."""
    if kinds is None:
        return 0.0
    article = cue == "the"
    bonus = m.article_bonus if article else m.type_bonus
    if not of_kind(p, kinds):
        return 0.0 if article and p.feature_class != "P" else -bonus
    return bonus if not named or p.id in named else 0.0


def static_parts(span: Span, cands: list, named: frozenset, quals: frozenset, cue: str,
                 m: ResolverModel, dateline: bool = False,
                 vary: frozenset = frozenset(),
                 institution: bool = False,
                 nest: frozenset = frozenset()) -> list[tuple[Place, Parts]]:
    """Each candidate's place and the parts of its score that need no context
    (a part whose weight is 0 is left out); ``vary``: the ids of the places
    found only by a transliteration variant of the name; ``institution``:
    a local institution follows the name (:func:`institutions`); ``nest``:
    the ids of the places that nest with another name's candidates
    (:func:`nested`)."""
    places = [c.place for c in cands]
    most = max([p.population for p in places], default=0)
    seats = [p for p in places if p.feature_class == "P" and p.population >= m.seat_population]
    seat_ids = {p.id for p in seats}
    divisions = [p for p in places if is_division(p)]
    # matched by its transliteration skeleton, not as written ("el-Fasher")
    variant = (not span.fuzzy and span.kind == "name" and fold(span.text) != span.key
               and skeleton(span.text) == skeleton(span.key))
    kinds, named = wanted_kinds(places, named, cue, m)
    out = []
    for c, p in zip(cands, places):
        parts: Parts = [("population", population_part(p, m)), ("feature", feature_part(p, m))]
        if c.kind == "alternate" and p.feature_class == "P" and fold(p.name) != span.key:
            parts.append(("alternate name", m.alternate_name))
        if variant or p.id in vary:
            parts.append(("variant", m.variant))
        if p.source == "curated":
            parts.append(("curated", m.curated))
        typed = type_word_part(p, kinds, named, cue, m)
        if is_division(p) and typed <= 0 and is_seat(p, seats, m):
            # "Moscow" the oblast, named after its town: news means the town
            parts.append(("seat", m.seat_division))
        if p.id in seat_ids and any(is_seat(d, [p], m) for d in divisions):
            parts.append(("seat", m.seat_town))
        if is_division(p) and typed <= 0 and fold(p.name) != span.key:
            # "Geneva" for Geneva County
            parts.append(("short form", m.short_form))
        if p.country_code in quals or (p.country_code, p.admin1) in quals:
            parts.append(("qualifier", m.qualifier))
        if typed:
            parts.append(("type word", typed))
        if m.county and p.id in nest:
            # its county is another name's candidate, or it holds another name's town
            parts.append(("county", m.county))
        if institution:
            local = institution_part(p, m)
            if local:
                parts.append(("institution", local))
        largest = most > 0 and p.population == most
        if m.largest and largest:
            # the most populous of the places so named
            parts.append(("largest", m.largest))
        if m.other_name and fold(p.name) != span.key:
            # known by this name only as another name, a short form, an abbreviation
            parts.append(("other name", m.other_name))
        if m.dateline and dateline and largest:
            # a dateline names a place readers know: the largest so named
            parts.append(("dateline", m.dateline))
        out.append((p, parts))
    return out


def hopefuls(static: list[tuple[Place, Parts]], m: ResolverModel,
             vary: frozenset = frozenset()) -> list[Hopeful]:
    """The candidates whose static score is within ``m.most_context()`` of the
    best; ``vary``: the ids of those found only by a variant of the name."""
    totals = [sum(v for _, v in parts) for _, parts in static]
    floor = max(totals) - m.most_context() if len(totals) > 1 else -math.inf
    return [Hopeful(i, p, tuple(parts), p.id in vary) for i, ((p, parts), total)
            in enumerate(zip(static, totals)) if total >= floor]


def qualifiers(spans: Sequence[Span], cands: list[list], i: int, text: str) -> frozenset:
    """"Springfield, Illinois": the countries (by code) and first-level
    divisions (``(country, admin1)``) among the next span's candidates, when
    only a comma or a bracket lies between."""
    if i + 1 >= len(spans):
        return frozenset()
    gap = text[spans[i].end:spans[i + 1].start]
    if len(gap) > 3 or gap.strip() not in (",", "("):
        return frozenset()
    out: set = set()
    for c in cands[i + 1]:
        q = c.place
        if q.feature_code.startswith("PCL"):
            out.add(q.country_code)
        elif q.feature_code == "ADM1" and q.admin1:
            out.add((q.country_code, q.admin1))
    return frozenset(out)


def nested(spans: Sequence[Span], cands: list[list], m: ResolverModel) -> list[frozenset]:
    """For each span, the ids of its candidates that nest with another name's
    candidates: a town (class P) whose second-level division is a candidate
    of another name, or a second-level division holding a town that is
    (matched by country, admin1 and admin2 codes); names with the same key
    count as one. Empty sets when the ``county`` weight is 0."""
    if not m.county:
        return [frozenset() for _ in spans]
    counties: dict[tuple, set] = {}
    towns: dict[tuple, set] = {}
    for span, cs in zip(spans, cands):
        for c in cs:
            p = c.place
            if p.admin2:
                if p.feature_code == "ADM2":
                    counties.setdefault((p.country_code, p.admin1, p.admin2), set()).add(span.key)
                elif p.feature_class == "P":
                    towns.setdefault((p.country_code, p.admin1, p.admin2), set()).add(span.key)
    out = []
    for span, cs in zip(spans, cands):
        ids = set()
        for c in cs:
            p = c.place
            if not p.admin2:
                continue
            other = (counties if p.feature_class == "P"
                     else towns if p.feature_code == "ADM2" else None)
            if other is not None and other.get((p.country_code, p.admin1, p.admin2),
                                               set()) - {span.key}:
                ids.add(p.id)
        out.append(frozenset(ids))
    return out


def first_choice(cands: list, m: ResolverModel) -> int | None:
    """The first pass: the best candidate by population and feature (the first on ties)."""
    prior = [population_part(c.place, m) + feature_part(c.place, m) for c in cands]
    return max(range(len(prior)), key=prior.__getitem__) if prior else None


# -- the context parts ----------------------------------------------------------------

def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def nearby_part(p: Place, points: list[Place], m: ResolverModel) -> float:
    """The best band score (``m.nearby``) of the distances from ``p`` to ``points``; 0 at least."""
    best = 0.0
    for q in points:
        d = km(p.lat, p.lon, q.lat, q.lon)
        best = max(best, next((score for edge, score in m.nearby if d < edge), 0.0))
    return best


def support(n: int, others: int, base: float, share: float) -> float:
    """Country or admin1 support: ``n`` of the ``others`` other mentions agree."""
    return 0.0 if not others or n == 0 else round(base + share * n / others, 4)


@dataclass(frozen=True)
class Seen:
    """The rest of the document as one mention sees it: how many other
    mentions, how many of them lie in each country and each ``(country,
    admin1)``, the other places' points, how many name each country itself,
    and each country's neighbours."""

    others: int
    countries: Counter
    divisions: Counter
    points: list[Place]
    nations: Counter = dataclasses.field(default_factory=Counter)
    near: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)


def seen_from(marks: list[tuple[str, Place]], key: str, group, m: ResolverModel,
              near: Mapping[str, frozenset[str]] | None = None) -> Seen:
    """The context of a mention with ``key``, now resolved to the place with id
    ``group``. ``marks`` are the mentions' ``(key, chosen place)``; ``near``
    the countries' neighbours.

    The others are those with another key, resolved elsewhere ("Dublin" and
    "Dublin City" do not vouch for each other). Distances are to one point
    per place, kept unless that place is ``group`` or its first mention has
    ``key``.
    """
    others = [q for k, q in marks if k != key and q.id != group]
    countries = Counter(q.country_code for q in others if q.country_code)
    divisions = Counter((q.country_code, q.admin1) for q in others
                        if q.country_code and q.admin1)
    first: dict = {}
    for k, q in marks:
        if not is_area(q, m):
            first.setdefault(q.id, (k, q))
    points = [q for k, q in first.values() if q.id != group and k != key]
    nations = Counter(q.country_code for q in others
                      if q.country_code and q.feature_code.startswith("PCL"))
    return Seen(len(others), countries, divisions, points, nations,
                {} if near is None else near)


def neighbour_on(m: ResolverModel) -> bool:
    """Is the ``neighbour`` part on (a weight of it is not 0)?"""
    return m.neighbour_base != 0.0 or m.neighbour_share != 0.0


def neighbour_part(p: Place, seen: Seen, m: ResolverModel) -> float:
    """Support from across a border: when no other mention lies in ``p``'s
    country, ``n`` of the others name a country bordering it ("Gaza" in an
    article that names Israel, "Kursk" in one that names Ukraine):
    ``neighbour_base + neighbour_share * n / others``; 0 when none do.

    Only the countries themselves count (their names, demonyms): a country
    named is a story about it and its borders, while a town in it is not
    (a Texas town says nothing for Mexico's places).

    Examples
    --------
    >>> from collections import Counter
    >>> gaza = Place(id=1, name="Gaza", lat=31.5, lon=34.47, country_code="PS",
    ...              feature_class="P", feature_code="PPLA", population=410000)
    >>> seen = Seen(4, Counter({"IL": 2, "US": 2}), Counter(), [], Counter({"IL": 2}),
    ...             {"PS": frozenset({"IL"})})
    >>> neighbour_part(gaza, seen, ResolverModel(neighbour_base=1.0, neighbour_share=2.0))
    2.0
    """
    cc = p.country_code
    if not cc or seen.countries[cc]:
        return 0.0
    n = sum(seen.nations[c] for c in seen.near.get(cc, ()))
    return support(n, seen.others, m.neighbour_base, m.neighbour_share)


def context_parts(p: Place, seen: Seen, m: ResolverModel,
                  needy: bool = False) -> tuple[Parts, bool]:
    """The parts the rest of the document gives ``p`` (country, neighbour
    when the part is on, admin1 unless ``p`` is a country or first-level
    division, nearby, isolated, unsupported), and whether the ``isolated``
    rule applies: enough other mentions, none in its country or division (nor
    in a neighbouring country, when ``m.neighbour_supports``), none near it,
    and ``p`` :func:`isolable`. ``needy``: ``p`` :func:`needs_support`, and
    gets the ``unsupported`` part when no other mention lies in its country
    or division or near it (a neighbouring country named is no support for
    a small place: a place without population needs the document's own
    evidence)."""
    n = seen.others
    c = support(seen.countries[p.country_code] if p.country_code else 0, n,
                m.country_base, m.country_share)
    parts: Parts = [("country", c)]
    across = 0.0            # neighbour support, when it counts as support
    if neighbour_on(m):
        g = neighbour_part(p, seen, m)
        parts.append(("neighbour", g))
        across = g if m.neighbour_supports and g > 0.0 else 0.0
    a = 0.0
    if p.feature_code != "ADM1" and not p.feature_code.startswith("PCL"):
        a = support(seen.divisions[(p.country_code, p.admin1)], n,
                    m.admin1_base, m.admin1_share)
        parts.append(("admin1", a))
    near = 0.0 if is_area(p, m) else nearby_part(p, seen.points, m)
    parts.append(("nearby", near))
    lone = (n >= m.isolation_min_others and c == 0.0 and across == 0.0 and a == 0.0
            and isolable(p, m)
            and nearby_part(p, seen.points, m) == 0.0)
    if lone:
        parts.append(("isolated", m.isolated))
    if needy and c == 0.0 and a == 0.0 and near == 0.0:
        parts.append(("unsupported", m.unsupported))
    return parts, lone


def small(p: Place, m: ResolverModel) -> bool:
    """Is ``p`` a small place: a point place with fewer than
    ``m.unsupported_population`` people, no feature bonus (not a capital, a
    seat, a division) and not curated? (Never when ``m.unsupported`` is 0.)"""
    return (m.unsupported != 0.0 and p.population < m.unsupported_population
            and not is_area(p, m) and p.source != "curated" and feature_part(p, m) <= 0.0)


def needs_support(p: Place, static: Parts | tuple, m: ResolverModel,
                  variant: bool = False) -> bool:
    """Does ``p`` need the document's support to win: :func:`small`, and no
    qualifier ("X, Y") nor type word ("the village of X") asks for it; or
    ``variant``, found only by a transliteration variant of a name the store
    gives to another place (never when ``m.unsupported`` is 0)?"""
    if variant and m.unsupported != 0.0:
        return True
    return small(p, m) and not any(
        name == "qualifier" or (name == "type word" and v > 0) for name, v in static)


def isolable(p: Place, m: ResolverModel) -> bool:
    """Can ``p`` be a lone far-away candidate: a minor division, or a town
    (point place) smaller than a destination, in a country."""
    point = not is_area(p, m)
    return bool(p.country_code) and (
        p.feature_code in m.minor_divisions
        or (point and p.population < m.destination_population))


def major(p: Place, m: ResolverModel) -> bool:
    """A capital or a big place keeps its confidence isolated."""
    return p.feature_code == "PPLC" or p.population >= m.isolation_population


# -- scores and outcome ---------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A hopeful scored in a context: all its parts and their rounded sum."""

    hope: Hopeful
    parts: tuple[tuple[str, float], ...]
    score: float
    lone: bool
    unsupported: bool = False


def score_all(hopes: list[Hopeful], marks, key: str, group, m: ResolverModel,
              near: Mapping[str, frozenset[str]] | None = None) -> list[Candidate]:
    """Every hopeful scored: ``round(sum of all its parts, 4)``; ``near``: the
    countries' neighbours."""
    seen = seen_from(marks, key, group, m, near)
    out = []
    for h in hopes:
        context, lone = context_parts(h.place, seen, m,
                                      needs_support(h.place, h.static, m, h.variant))
        parts = h.static + tuple(context)
        out.append(Candidate(h, parts, round(sum(v for _, v in parts), 4), lone,
                             context[-1][0] == "unsupported"))
    return out


def best(scored: list[Candidate]) -> int:
    """The candidate index of the best scored hopeful (the first on ties)."""
    top = max(c.score for c in scored)
    return next(c.hope.index for c in scored if c.score == top)


def withheld(c: Candidate, m: ResolverModel) -> bool:
    """No place is given for a winner that is small and unsupported (it has
    the ``unsupported`` part), or isolated and weak: matched only by an
    alternate name, or without a recorded population and no type word asked
    for it; capitals and big places are never withheld."""
    if c.unsupported:
        return True
    if not c.lone or major(c.hope.place, m):
        return False
    names = [name for name, _ in c.hope.static]
    return "alternate name" in names or (c.hope.place.population == 0
                                         and "type word" not in names)


def outcome(span: Span, scored: list[Candidate], keep: int, m: ResolverModel) -> Resolution:
    """The winner, its confidence (its share of ``exp(score)``, times
    ``m.isolated_confidence`` when isolated and not major) and the ``keep``
    best candidates; no place when the winner is withheld."""
    ranked = sorted(scored, key=lambda c: c.score, reverse=True)
    win = ranked[0]
    confidence = 1.0 / sum([math.exp(c.score - win.score) for c in ranked])
    if win.lone and not major(win.hope.place, m):
        confidence *= m.isolated_confidence
    kept = tuple(Scored(c.hope.place, c.score, c.parts) for c in ranked[:keep])
    if withheld(win, m):
        return Resolution(span, None, 0.0, kept)
    return Resolution(span, win.hope.place, round(confidence, 4), kept)
