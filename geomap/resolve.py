"""Resolution: choose the place each recognised span refers to (the engine).

Resolution is three pieces: the model (:class:`ResolverModel`, in
:mod:`geomap.resolver_model`: every weight, threshold and word list, with
defaults), the reference (:mod:`geomap.resolve_reference`: the rules below
written plainly) and this engine, the fast path, which reads every weight
from the model and derives its bounds from them. Both give the same
resolutions (``tests/geomap/test_resolve_reference.py``). The numbers below
are the default model's.

Every candidate the gazetteer offers for a span gets a score made of named
parts, so that a resolution can explain itself (:meth:`Resolution.explain`):

``population``
    ``log10(population + 1)``: big places are mentioned more often.
``feature``
    Countries, first-level divisions, regions and capitals are mentioned more
    often than villages of the same population.
``country``
    Support from the rest of the document: the share of the other mentions
    that lie in the candidate's country (including the country itself).
``neighbour``
    Support from across a border: when no other mention lies in the
    candidate's country, the share of them that name a country bordering it
    (:func:`gazetteer.neighbours.neighbours`): "Gaza" in an article that
    names Israel, "Kursk" in one that names Ukraine. Like
    country support, it spares the candidate the ``isolated`` and
    ``unsupported`` rules.
``admin1``
    The same for the candidate's first-level division (state, province).
``qualifier``
    "City, State" / "City, Country": the next mention names the candidate's
    division or country.
``nearby``
    Spatial coherence: another mention's place lies close to the candidate.
``type word``
    Granularity: a word that says what kind of place is meant selects the
    candidates of that kind (+6) over the others (-6): the name's own last
    word ("Red Sea", "Kunduz City"), the word after it ("Kharkiv region",
    "Dnipro river", "Ulang and Nasir counties"), or before it ("the city of
    X"). The word after the name also looks up the name with the word
    ("Dnipro river" finds the river called "Dnipro River"). Without such a
    word, "the X" standing alone ("across the Dnipro.") prefers water,
    terrain and areas (+4) over towns (-4), and looks up "X river" too.
``isolated``
    A far-away candidate: a town (or a division below the first level) in a
    country no other mention lies in, with no other mentioned place within
    500 km, while the document names at least two other places, gets -2.
    Chosen, unless it is a capital or has a million people, its confidence
    is divided by four, and when it was matched only by an alternate name
    or has no recorded population (and no type word asked for it), no place
    is given at all (``explain`` shows why).
``unsupported``
    A small place (a point place without recorded population, no capital,
    seat or division, not curated) that no qualifier or type word asks for
    ("X, Y", "the village of X"), with no other mention in its country or
    first-level division and none near it, gets -4; chosen all the same, no
    place is given. A store with a country's full GeoNames dump holds
    villages named like every town the news mentions.

``variant``
    A transliteration variant: the span matched by a key sharing its
    skeleton ("el-Fasher" for Al Fashir), or a candidate of such a key
    joining the name's own when these are weak (the model's
    ``variant_lookup``: the name is only an alternate name of its candidates,
    or of none with a population): "Aziziya", an Iraqi town's alternate name,
    also finds the Libyan "Al Aziziyah" by "Azizia". Such a joined candidate
    needs the document's support as a small place does (``unsupported``).

``institution``
    A name local news gives an institution after ("the Berea Police
    Department", "Columbus Council", "Paris High School", "Athens City
    Council", "the mayor of X"): a town or county is meant, not a country or
    first-level division: + for towns and minor divisions, - for the other
    places (a fitted weight).

Other parts: ``alternate name`` (-1, a town known by this name only as an
alternate name), ``curated``
(+3), ``seat`` (-4 for a division named after a large town in it, +0.8 for
that town), ``short form`` (-1.5, "Geneva" for Geneva County). Candidates
further below the best than context could lift them
(:meth:`ResolverModel.most_context`) are dropped.

Context comes from a first pass that picks each span's best candidate by
population and feature alone; each context pass scores again with the
previous pass's choices, leaving each span's own key and choice out of its
context, until the choices no longer change (at most ``rounds`` passes).

Speed: what does not depend on context (the candidates, their static parts,
the first-round choice) is cached across documents. Each spelling's
candidates are read from their places once (:class:`_Cand`, by
:func:`_describe`: the parts that hold in any mention, the facts the context
needs); a mention's qualifiers, type word, dateline, institution or nesting
only add their parts to those. In each round, mentions
alike in name, candidates and current choice share one view of the context
(:class:`_View`), which scores candidates only on demand: picking the best
one skips those that no context could lift to it. The outcome scores all
candidates of the last round, each exactly as the sum of its parts. Shortcuts
that give the very same numbers: choices travel as per-candidate facts made
once per spelling (:attr:`_Hopefuls.facts`), distances are told apart by
squared chords (:func:`_nearby`), rounding by a multiply (:func:`_round4`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from operator import is_
from typing import Any, Final, cast

from gazetteer.names import fold, skeleton
from gazetteer.neighbours import neighbours
from gazetteer.place import Place
from geomap.recognize import case_compatible
from geomap.resolution import Resolution, Scored
from geomap.resolver_model import DEFAULT_MODEL, EARTH_KM, ResolverModel
from geomap.spans import Span
from geomap.speedups import native

__all__ = ["Resolver", "Resolution", "Scored", "ResolverModel"]

# (Final names, compiled to C statics: not looked up in the module's globals)
_fold: Final = fold
_is: Final = is_
_log10: Final = math.log10
_Resolution: Final = Resolution

#: How many spellings (key, text, kind, fuzzy) the resolver keeps the static
#: scoring of, across documents (least recently used first out), and for how
#: many sets of qualifiers each.
_STATIC_CACHE_SIZE: Final = 4096
_QUALIFIER_SETS: Final = 64
_EARTH_KM: Final = EARTH_KM
#: Radians in a degree: ``x * _DEGREE`` is ``math.radians(x)`` (which multiplies
#: by ``pi / 180.0`` so), without a call of the math module's function.
_DEGREE: Final = math.pi / 180.0


class _Spot:
    """A point place as distances need it (see :func:`_spot`): its latitude
    and longitude, and its place on the unit sphere, ``x, y, z``.

    A class, not a tuple: compiled, its fields are C doubles, read without a
    type check each.
    """

    __slots__ = ("lat", "lon", "x", "y", "z")

    def __init__(self, lat: float, lon: float, x: float, y: float, z: float) -> None:
        self.lat: float = lat
        self.lon: float = lon
        self.x: float = x
        self.y: float = y
        self.z: float = z



class _Fact:
    """What the context needs of a place when it is a mention's choice (see
    :attr:`_Hopefuls.facts`): its id (the mention's group), country,
    division (its number, :func:`_division`, when both codes are known, else
    ``None``), spot (``None`` for an area) and whether it is a country.

    A class, not a tuple: compiled, its fields are read without a type check each.
    """

    __slots__ = ("group", "country", "division", "spot", "nation")

    def __init__(self, group: Any, country: Any, division: int | None, spot: _Spot | None,
                 nation: bool) -> None:
        self.group: Any = group
        self.country: Any = country
        self.division: int | None = division
        self.spot: _Spot | None = spot
        self.nation: bool = nation


class _Cand:
    """One candidate of a spelling, as the static parts (:func:`_static_parts`)
    and the context (:class:`_Hopefuls`) need it: read from its place once per
    spelling (:attr:`_Found.cands`), whatever the qualifiers, type word,
    dateline, institution or nesting of a mention.

    A class, not a tuple: compiled, its fields are read without a type check
    each (a place's are read through the generic attribute protocol).

    Attributes
    ----------
    place, id, fclass, code, cc, a1, population
        The place and its fields (``feature_class``, ``feature_code``,
        ``country_code``, ``admin1``).
    base_values, base_total
        The population and feature parts, and their sum as ``sum()`` makes it.
    head_names, head_values
        Those parts and the ones that hold in any mention of the spelling:
        ``alternate name``, ``variant``, ``curated``.
    plain
        Whether no part but population and feature holds whatever the
        mention (then a mention without qualifier, type word, dateline,
        institution or nesting scores it by ``base_values``).
    is_division, seat_division, seat_town, short, largest, renamed, local
        Whether it is a division (``ADM*``), a division named after a large
        town (the ``seat`` part, unless its type word asks for it), the town
        a division of the name is named after, a division known by a short
        form (``short form``, unless a type word asks for it), the most
        populous of the spelling's places, known by this name only as another
        name (``other name``), a town or minor division (``institution``).
    spot, division, fact, big, far, iso_spot, small, vary_small
        What :class:`_Hopefuls` makes of it: see there.
    """

    __slots__ = ("place", "id", "fclass", "code", "cc", "a1", "population",
                 "base_values", "base_total", "head_names", "head_values", "plain",
                 "is_division", "seat_division", "seat_town", "short", "largest", "renamed",
                 "local", "spot", "division", "fact", "big", "far", "iso_spot", "small",
                 "vary_small", "own_names", "own_values", "own_total")

    def __init__(self, place: Place, fclass: str, code: str, cc: Any, a1: Any,
                 population: int, pop: float, feat: float) -> None:
        self.place: Place = place
        # (an object, as sets and dicts keep it: compiled, an int field would be
        # boxed again at each use, a new object for a large id)
        self.id: Any = place.id
        self.fclass: str = fclass
        self.code: str = code
        self.cc: Any = cc
        self.a1: Any = a1
        self.population: int = population
        self.base_values: tuple = (pop, feat)
        self.base_total: float = 0.0 + pop + feat
        self.head_names: tuple = _BASE_PARTS
        self.head_values: tuple = self.base_values
        self.plain: bool = True
        self.is_division: bool = False
        self.seat_division: bool = False
        self.seat_town: bool = False
        self.short: bool = False
        self.largest: bool = False
        self.renamed: bool = False
        self.local: bool = False
        self.spot: _Spot | None = None
        self.division: int | None = None
        self.fact: _Fact | None = None
        self.big: bool = False
        self.far: bool = False
        self.iso_spot: _Spot | None = None
        self.small: bool = False
        self.vary_small: bool = False
        self.own_names: tuple = _BASE_PARTS
        self.own_values: tuple = self.base_values
        self.own_total: float = self.base_total


class _Row:
    """What scoring needs of a hopeful (see :attr:`_Hopefuls.rows`).

    A class, not a tuple: compiled, its fields are read without a type check
    each, and ``total`` is kept as a C double.
    """

    __slots__ = ("country", "total", "values", "division", "spot", "names", "isolable",
                 "major", "needy", "iso_spot")

    def __init__(self, country: Any, total: float, values: tuple, division: int | None,
                 spot: _Spot | None, names: tuple, isolable: bool, major: bool, needy: bool,
                 iso_spot: _Spot | None) -> None:
        self.country: Any = country
        self.total: float = total
        self.values: tuple = values
        self.division: int | None = division
        self.spot: _Spot | None = spot
        self.names: tuple = names
        self.isolable: bool = isolable
        self.major: bool = major
        self.needy: bool = needy
        self.iso_spot: _Spot | None = iso_spot


class _Weights:
    """A :class:`ResolverModel` as the engine reads it: its values in typed
    attributes, its tables as dicts, and the bounds derived from them.

    Attributes
    ----------
    context_max : float
        :meth:`ResolverModel.most_context`: candidates further than this below
        the best static score are not hopefuls.
    nearby_most, isolated_most : float
        The most the ``nearby`` and ``isolated`` parts can add (0 at least).
    near_km, near_scores : list of float
        The ``nearby`` bands: their edges and scores.
    near_in, near_out : list of float
        Squared chords surely below and surely above those of the band edges,
        however :func:`_km` rounds (both good to far better than a part in
        10**12); ``near_last`` is the last edge's ``near_out`` (0 without
        bands).
    near_window : float
        Degrees of latitude beyond which a point is surely past the last edge.
    division_ids : dict
        A number for each ``(country, admin1)`` pair met (:func:`_division`):
        divisions are counted and looked up by it (an int hashes at once; a
        pair hashes its strings again each time).
    county_ids : dict
        The same for ``(country, admin1, admin2)`` (:func:`_county`).
    """

    def __init__(self, m: ResolverModel) -> None:
        self.max_candidates: int = m.max_candidates
        self.population_weight: float = m.population_weight
        self.feature_bonus: dict[str, float] = dict(m.feature_bonus)
        self.alternate_name: float = m.alternate_name
        self.variant: float = m.variant
        # 0: no variant lookup, 1: when the name's own match is weak, 2: always
        self.variant_lookup: int = ("off", "weak", "always").index(m.variant_lookup)
        self.curated: float = m.curated
        self.seat_division: float = m.seat_division
        self.seat_town: float = m.seat_town
        self.seat_population: int = m.seat_population
        self.seat_km: float = m.seat_km
        self.short_form: float = m.short_form
        self.qualifier: float = m.qualifier
        self.type_bonus: float = m.type_bonus
        self.article_bonus: float = m.article_bonus
        self.type_words: dict[str, frozenset] = dict(m.type_words)
        self.plural_type_words: dict[str, str] = dict(m.plural_type_words)
        self.of_type_words: frozenset = m.of_type_words
        self.town_kinds: frozenset = m.town_kinds
        self.list_gaps: frozenset = m.list_gaps
        self.after_alone: frozenset = m.after_alone
        self.article_lookup: str = m.article_lookup
        self.country_base: float = m.country_base
        self.country_share: float = m.country_share
        self.neighbour_base: float = m.neighbour_base
        self.neighbour_share: float = m.neighbour_share
        self.neighbour_on: bool = m.neighbour_base != 0.0 or m.neighbour_share != 0.0
        self.neighbour_supports: bool = m.neighbour_supports
        # each country's neighbours: the gazetteer's (Resolver sets them)
        self.neighbours: dict[str, frozenset[str]] = {}
        self.admin1_base: float = m.admin1_base
        self.admin1_share: float = m.admin1_share
        self.isolated: float = m.isolated
        self.largest: float = m.largest
        self.other_name: float = m.other_name
        self.dateline: float = m.dateline
        self.unsupported: float = m.unsupported
        self.institution_bonus: float = m.institution_bonus
        self.institution_on: bool = m.institution_bonus != 0.0
        self.county: float = m.county
        self.institution_words: frozenset = m.institution_words
        self.institution_pairs: frozenset = m.institution_pairs
        # the first words of the pairs
        self.institution_firsts: frozenset = frozenset(
            [pair.split(" ", 1)[0] for pair in m.institution_pairs])
        self.institution_after: frozenset = m.institution_after
        self.institution_city_words: frozenset = m.institution_city_words
        self.institution_of_words: frozenset = m.institution_of_words
        self.unsupported_population: int = m.unsupported_population
        self.isolated_confidence: float = m.isolated_confidence
        self.isolation_min_others: int = m.isolation_min_others
        self.isolation_population: int = m.isolation_population
        self.destination_population: int = m.destination_population
        self.minor_divisions: frozenset = m.minor_divisions
        self.areal_codes: frozenset = m.areal_codes
        # the bounds, derived from the weights
        self.context_max: float = m.most_context()
        self.near_km: list[float] = [float(km) for km, _ in m.nearby]
        self.near_scores: list[float] = [float(s) for _, s in m.nearby]
        self.nearby_most: float = max([0.0, *self.near_scores])
        self.isolated_most: float = max(0.0, m.isolated)
        self.unsupported_most: float = max(0.0, m.unsupported)
        self.near_in: list[float] = [_chord2(km) * (1 - 1e-9) for km in self.near_km]
        self.near_out: list[float] = [_chord2(km) * (1 + 1e-9) for km in self.near_km]
        self.near_last: float = self.near_out[-1] if self.near_out else 0.0
        # a point this far in latitude alone is beyond the last edge
        self.near_window: float = (math.degrees(max(self.near_km, default=0.0) / _EARTH_KM)
                                   * (1 + 1e-9) + 1e-9)
        # (numbers held as objects: compiled, an int would be boxed again at each use)
        self.division_ids: dict[tuple[Any, Any], Any] = {}
        self.county_ids: dict[tuple[Any, Any, Any], Any] = {}


class Resolver:
    """Resolve spans to places with document context.

    Parameters
    ----------
    gazetteer
        Anything with ``candidates(name, limit=...)`` returning objects with
        ``place``, ``matched`` and ``kind``; its ``entries(key)``, when it has
        one (:meth:`gazetteer.Gazetteer.entries`), is used instead. Its
        countries' neighbours (:func:`gazetteer.neighbours.neighbours`) are
        read when the model's ``neighbour`` part is on.
    model
        The weights, thresholds and word lists (:class:`ResolverModel`); the
        default model when ``None``.
    keep_candidates
        How many scored candidates each :class:`Resolution` keeps for
        explanation.
    rounds
        At most this many context rounds (the model's when ``None``).

    Examples
    --------
    >>> from gazetteer import Gazetteer                           # doctest: +SKIP
    >>> from geomap.recognize import Recognizer                   # doctest: +SKIP
    >>> gaz = Gazetteer.open()                                    # doctest: +SKIP
    >>> text = "Talks in Geneva, then in Paris."
    >>> res = Resolver(gaz, ResolverModel(type_bonus=5.0))        # doctest: +SKIP
    >>> [r.place.country_code for r in res.resolve(Recognizer(gaz)(text), text)]  # doctest: +SKIP
    ['CH', 'FR']
    """

    def __init__(self, gazetteer, model: ResolverModel | None = None, *,
                 keep_candidates: int = 10, rounds: int | None = None):
        self.gaz = gazetteer
        self.model: ResolverModel = DEFAULT_MODEL if model is None else model
        self._w: _Weights = _Weights(self.model)
        if self._w.neighbour_on:
            self._w.neighbours = dict(neighbours(gazetteer))
        self.keep = keep_candidates
        self.rounds = max(1, self.model.rounds if rounds is None else rounds)
        self._cache: dict[tuple, _Found] = {}
        # the resolve() calls made: an entry checked in this one is stamped with it
        self._calls: int = 0
        # a store's own cached tuples, when it offers them (Gazetteer.entries):
        # no copy, and an unchanged entry is told by identity
        self._entries = getattr(gazetteer, "entries", None)
        self._variant_keys = getattr(gazetteer, "variant_keys", None)

    def resolve(self, spans: Sequence[Span], text: str = "", *,
                keep_candidates: int | None = None) -> list[Resolution]:
        """Resolve all ``spans`` of one document together.

        A first choice by population and feature alone gives the context for a
        second round; each round's choices give the context for the next, until
        they no longer change (at most ``rounds`` rounds).

        ``keep_candidates`` overrides the resolver's: how many scored
        candidates each resolution keeps (``0`` when only the choices and
        their confidence are wanted, which is faster).
        """
        self._calls += 1
        w = self._w
        after = _words_after(spans, text)
        cues = _cues(spans, text, w, after)
        found = [self._found(s, cue) for s, cue in zip(spans, cues)]
        datelines = w.dateline != 0.0
        local = _institutions(spans, text, w, after) if w.institution_on else None
        nests = _nested(spans, found, w) if w.county != 0.0 else None
        hopefuls = [self._prepare(f, span, _qualifiers(spans, found, i, text), cues[i], w,
                                  datelines and _is_dateline(span, text),
                                  local is not None and local[i],
                                  _NO_QUALIFIERS if nests is None else nests[i])
                    for i, (span, f) in enumerate(zip(spans, found))]
        keys = [s.key for s in spans]
        # the current choices, as their facts (see _Hopefuls.facts): one object per place
        # (typed: compiled, a choice's group is read from its struct, not looked up)
        current: list[_Fact | None] = [f.prior_facts for f in found]
        keep = self.keep if keep_candidates is None else keep_candidates
        for _ in range(self.rounds):
            ctx, used = _Context(keys, current, w, keep != 0), current
            # (ctx.view called as a method, not as a bound method held: compiled, a
            # direct call)
            # (a mention with hopefuls has a choice: cur is a _Fact there)
            chosen = [h.facts[ctx.view(h, key, cast(_Fact, cur).group).best()]
                      if len(h.facts) > 1
                      # a lone candidate wins whatever the context says
                      else (h.facts[0] if h.facts else None)
                      for h, key, cur in zip(hopefuls, keys, current)]
            if all(map(_is, chosen, current)):
                break
            current = chosen
        # the outcome is the last round's scoring, with the context it was made in
        out = []
        for span, h, key, cur in zip(spans, hopefuls, keys, used):
            if not h.places:
                # (Resolution(span, None, 0.0): the frozen __init__ sets each field
                # through object.__setattr__)
                out.append(_make_resolution(span, None, 0.0, ()))
                continue
            kept: tuple[Scored, ...] = ()
            place: Place | None
            if keep == 0 and len(h.places) == 1 and (
                    h.major[0] or not h.isolable[0]) and not h.needy[0]:
                # what outcome() gives a lone hopeful, whatever the context
                place, confidence = h.places[0], 1.0
            else:
                v = ctx.view(h, key, cast(_Fact, cur).group)
                place, confidence, kept = v.outcome(keep)
                if v.withheld():
                    # a lone far-away candidate, and weak: no answer (explain shows why)
                    place, confidence = None, 0.0
            out.append(_make_resolution(span, place, confidence, kept))
        return out

    def _lookup(self, key: str, folded: str = "") -> Sequence:
        """The gazetteer's candidates for ``key`` (at most the model's
        ``max_candidates``); ``folded``: ``fold(key)``, when known."""
        most = self._w.max_candidates
        if self._entries is not None:
            raw = self._entries(folded or _fold(key))
            return raw[:most] if len(raw) > most else raw
        return self.gaz.candidates(key, limit=most)

    def _found(self, span: Span, cue: str = "") -> _Found:
        """The candidates of ``span`` and what is known of them without context.

        A type word after the name (``cue`` ``"+river"``) or an article before
        it (``"the"``, which looks for a river) adds the candidates of the name
        with the word ("dnipro river"); they are not filtered by case. The
        model's ``variant_lookup`` adds, after the name's own, those of the
        keys sharing its transliteration skeleton (``variant_keys``): always,
        or when the name's own match is weak (:func:`_weak`).

        Cached by spelling; an entry is reused only while the gazetteer returns
        the very same candidates for the key and its variants (checked once
        per document: an entry checked is stamped with the resolve() call).
        """
        w = self._w
        key, fuzzy, kind = span.key, span.fuzzy, span.kind     # (each read once)
        extra = _extra_key(key, cue, w) if cue else ""
        memo = (key, span.text, kind, fuzzy, extra)
        cache = self._cache
        calls = self._calls
        entry = cache.get(memo)
        if entry is not None:
            if entry.checked == calls:
                return entry    # checked in this document already
            del cache[memo]     # (pop(memo, None), without the method call)
            # (the folded key and name with its word, kept: no fold() call per document)
            folded, folded_extra = entry.folded, entry.folded_extra
        else:
            folded, folded_extra = _fold(key), (_fold(extra) if extra else "")
        raw: Sequence = self._lookup(key, folded)
        # the candidates of the name's transliteration variants ("Aziziyah")
        sources: tuple = ()
        lookup = w.variant_lookup
        if lookup and not fuzzy and kind == "name" and self._variant_keys is not None:
            if lookup == 2 or (entry.weak if entry is not None and _same(entry.base, raw)
                               else _weak(self._filter(raw, span))):
                sources = tuple([self._lookup(k) for k in self._variant_keys(key)])
        base = raw
        more: list = []
        named: frozenset = _NO_QUALIFIERS
        if extra:
            word = extra[len(key):]
            found = list(self._lookup(extra, folded_extra))
            # "Odessa region": the region is named after the town's own name, Odesa
            towns = [c.place for c in raw if c.place.feature_class == "P"]
            if towns:
                town = _fold(max(towns, key=_population).name)
                if town != key:
                    found += self._lookup(town + word)
            if found:
                named = frozenset([c.place.id for c in found])
                ids = {c.place.id for c in raw}
                for source in sources:
                    ids.update([c.place.id for c in source])
                for c in found:
                    if c.place.id not in ids:
                        ids.add(c.place.id)
                        more.append(c)
                if more:
                    raw = [*raw, *more]
        if entry is None or not _same(entry.raw, raw) or not _same(entry.sources, sources):
            kept = self._filter(base, span)
            vary: list = []
            if sources:
                ids = {c.place.id for c in base}
                for source in sources:
                    vary += [c for c in self._filter(source, span) if c.place.id not in ids]
                    ids.update([c.place.id for c in source])
            entry = _Found(raw, [*kept, *vary, *more] if vary or more else kept, w, named,
                           base, sources, frozenset([c.place.id for c in vary]), _weak(kept),
                           len(kept) if self._entries is not None else 0, span, folded)
        entry.checked = calls
        entry.folded, entry.folded_extra = folded, folded_extra
        cache[memo] = entry     # (back) at the most recently used end
        if len(cache) > _STATIC_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        return entry

    def _prepare(self, found: _Found, span: Span, qualifiers: frozenset,
                 cue: str, w: _Weights, dateline: bool = False,
                 institution: bool = False, nest: frozenset = frozenset()) -> _Hopefuls:
        """The hopeful candidates of ``span``, with their static parts.

        They depend on the candidates, the key, the qualifiers, the type word
        (``cue``), whether the span opens a dateline, whether a local
        institution follows it and which candidates nest with another name's
        (``nest``, :func:`_nested`) only, so they are cached with ``found``,
        by all of these.
        """
        if not qualifiers and not cue and not dateline and not institution and not nest:
            h = found.plain
            if h is None:
                h = found.plain = _Hopefuls(
                    _static_parts(found, span, qualifiers, "", w), found, w)
            return h
        by_qualifiers = found.hopefuls
        if by_qualifiers is None:
            by_qualifiers = found.hopefuls = {}
        memo = (qualifiers, cue, dateline, institution, nest)
        h = by_qualifiers.get(memo)
        if h is None:
            h = _Hopefuls(_static_parts(found, span, qualifiers, cue, w, dateline, institution,
                                        nest), found, w)
            if len(by_qualifiers) < _QUALIFIER_SETS:
                by_qualifiers[memo] = h
        return h

    @staticmethod
    def _filter(cs: Sequence, span: Span) -> Sequence:
        """The gazetteer candidates ``cs`` that ``span`` as written can refer to."""
        if not span.fuzzy:
            kept = [c for c in cs if case_compatible(span.text, c.matched)]
            if len(kept) < len(cs):
                cs = kept
        if span.kind == "demonym":
            dem = [c for c in cs if c.kind == "demonym"]
            cs = dem or cs
        return cs



#: What :func:`_static_parts` gives for a candidate: its facts, the static
#: parts' names and values, and their sum. (Typed: compiled, the fields are
#: then read as the types they are, without a generic call.)
_Static = tuple[_Cand, tuple, tuple, float]


def _describe(found: _Found, span: Span, w: _Weights) -> None:
    """Fill in what holds of each of ``found``'s candidates (:class:`_Cand`)
    in any mention of the spelling ``span``: its static parts but those of a
    mention's qualifiers, type word, dateline, institution and nesting, and
    what :class:`_Hopefuls` makes of it."""
    cands = found.cands
    places = found.places
    seats = _seats(places, w)
    seat_ids = {p.id for p in seats}
    divisions = [c.place for c in cands if c.fclass == "A" and c.code.startswith("ADM")]
    key = span.key
    # the largest population among the candidates (the ``largest`` part)
    most = max([c.population for c in cands], default=0)
    largest_w, other_w = w.largest, w.other_name
    # matched by its transliteration skeleton, not as written ("el-Fasher")
    variant = (not span.fuzzy and span.kind == "name" and _fold(span.text) != key
               and skeleton(span.text) == skeleton(key))
    vary = found.vary       # found by a variant of the name only ("Aziziyah")
    # the first ``own`` candidates are of the store's entries for the folded key:
    # one matched by its place's own name (the very string) has that key as
    # the fold of the place's name (Gazetteer.entries), which is then not folded
    own, folded = found.own, found.folded
    prior, prior_place = found.prior_facts, found.prior
    minors, areal = w.minor_divisions, w.areal_codes
    unsupported = w.unsupported != 0.0
    i = -1
    for c in found.candidates:
        i += 1
        d = cands[i]
        p = d.place
        fclass, code, cc, a1 = d.fclass, d.code, d.cc, d.a1
        population = d.population
        is_division = fclass == "A" and code.startswith("ADM")
        alternate = fclass == "P" and c.kind == "alternate"
        curated = p.source == "curated"
        seat = bool(seat_ids) and d.id in seat_ids
        largest = most > 0 and population == most
        varied = variant or (bool(vary) and d.id in vary)
        # fold(p.name) != key, when known without a fold, or needed
        other: bool | None = folded != key if i < own and c.matched is p.name else None
        if other is None and (other_w != 0.0 or alternate or is_division):
            other = _fold(p.name) != key
        renamed = other_w != 0.0 and bool(other)
        d.is_division, d.largest, d.renamed = is_division, largest, renamed
        d.local = fclass == "P" or code in minors
        if alternate or varied or curated:
            names = ["population", "feature"]
            values = list(d.base_values)
            if alternate and other:
                # a town known by this name only as an alternate, often a former, name
                names.append("alternate name")
                values.append(w.alternate_name)
            if varied:
                # a weaker match: a transliteration variant of the name
                names.append("variant")
                values.append(w.variant)
            if curated:
                # curated regions and entities exist because news names them
                names.append("curated")
                values.append(w.curated)
            if len(names) > 2:
                d.head_names, d.head_values = tuple(names), tuple(values)
        # A division named after a large town in it ("Moscow", "Yerevan"):
        # news means the town unless it says "Oblast", "Province"...
        d.seat_division = is_division and _is_seat(p, seats, w)
        # the town a same-named division is named after: its seat ("Geneva")
        d.seat_town = seat and any(_is_seat(a, [p], w) for a in divisions)
        # "Geneva" for Geneva County: a short form of a division's name
        d.short = is_division and bool(other)
        d.plain = (d.head_names is _BASE_PARTS and not d.seat_division and not d.seat_town
                   and not d.short and not renamed and not (largest and largest_w))
        if not d.plain:
            # its parts in a mention where no part of the mention's applies
            names = list(d.head_names)
            values = list(d.head_values)
            if d.seat_division:
                names.append("seat")
                values.append(w.seat_division)
            if d.seat_town:
                names.append("seat")
                values.append(w.seat_town)
            if d.short:
                names.append("short form")
                values.append(w.short_form)
            if largest and largest_w:
                names.append("largest")
                values.append(largest_w)
            if renamed:
                names.append("other name")
                values.append(other_w)
            if len(names) > 2:
                d.own_names, d.own_values = tuple(names), tuple(values)
                d.own_total = _sum(d.own_values)
        # what the context needs (see _Hopefuls)
        # (_is_area(p, w), inlined)
        spot = None if fclass in ("A", "L") or code in areal else _spot(p.lat, p.lon)
        d.spot = spot
        nation = code.startswith("PCL")
        # (the division's number, found once for the row and the facts)
        number = _division(w, cc, a1) if code != "ADM1" and not nation or cc and a1 else -1
        d.division = None if code == "ADM1" or nation else number
        if prior is not None and p is prior_place:
            d.fact = prior
        else:
            d.fact = _Fact(d.id, cc, number if cc and a1 else None, spot, nation)
        minor = code in minors
        d.big = code == "PPLC" or population >= w.isolation_population
        # a city others travel to (talks in Geneva) is never far away
        d.far = bool(cc) and (
            minor or spot is not None and population < w.destination_population)
        d.iso_spot = _spot(p.lat, p.lon) if minor else None
        # a small place, unless a qualifier or type word asks for it (see
        # _Hopefuls); a place found only by a variant of a name the store gives
        # another place
        d.small = (unsupported and population < w.unsupported_population
                   and spot is not None and not curated
                   and w.feature_bonus.get(code, 0.0) <= 0.0)
        d.vary_small = unsupported and bool(vary) and d.id in vary


def _static_parts(found: _Found, span: Span, qualifiers: frozenset, cue: str,
                  w: _Weights, dateline: bool = False, institution: bool = False,
                  nest: frozenset = frozenset()) -> list[_Static]:
    """The parts of each candidate's score that do not depend on context, for
    the candidates context could still make win (see
    :meth:`ResolverModel.most_context`): ``(candidate, the parts' names, their
    values, their sum)``. What holds in any mention of the spelling is read
    from its candidates (:func:`_describe`)."""
    cands = found.cands
    # the kinds of place a type word selects, when one of the candidates is of them
    wanted = w.type_words.get(cue.lstrip("+")) if cue else None
    if wanted is not None and not any(_kind_of(d, wanted) for d in cands):
        wanted = None
    # when the name with its word names places of the kind, only those are meant
    named = found.named
    if wanted is None or not any(d.id in named and _kind_of(d, wanted) for d in cands):
        named = _NO_QUALIFIERS
        if wanted is not None and "A" in wanted and cue != "the":
            # "the Charlotte region": a division the name's main town lies in, or
            # none; "the state of Washington" names the division itself
            towns = [p for p in found.places if p.feature_class == "P"]
            if towns:
                town = max(towns, key=_population)
                named = frozenset([d.id for d in cands if d.fclass == "A"
                                   and d.code.startswith("ADM") and _contains(d.place, town)])
                if not named and cue.startswith("+"):
                    wanted = None
    largest_w, other_w = w.largest, w.other_name
    dateline_w = w.dateline if dateline else 0.0
    article = cue == "the"
    up = w.article_bonus if article else w.type_bonus
    institution_w = w.institution_bonus
    out: list[_Static] = []
    for d in cands:
        # the type word says which: "Kharkiv region", "Gaza strip"
        typed = 0.0
        if wanted is not None:
            if not _kind_of(d, wanted):
                typed = 0.0 if article and d.fclass != "P" else -up
            elif not named or d.id in named:
                typed = up
        qualified = bool(qualifiers) and (d.cc in qualifiers or (d.cc, d.a1) in qualifiers)
        nests = bool(nest) and d.id in nest
        # a local institution after the name: a town or county ("Berea Police")
        local = 0.0
        if institution:
            local = institution_w if d.local else -institution_w
        largest = d.largest
        if not typed and not qualified and not nests and not local and not (
                largest and dateline_w):
            # no part of the mention's: the candidate's own (the usual candidate's
            # are population and feature only, names shared, and the sum as sum()
            # makes it: 0 + a + b is a + b for parts >= 0)
            out.append((d, d.own_names, d.own_values, d.own_total))
            continue
        names = list(d.head_names)
        values = list(d.head_values)
        is_division = d.is_division
        if is_division and typed > 0:
            pass        # the seat and short form parts are for a name without its word
        elif d.seat_division:
            names.append("seat")
            values.append(w.seat_division)
        if d.seat_town:
            names.append("seat")
            values.append(w.seat_town)
        if d.short and typed <= 0:
            names.append("short form")
            values.append(w.short_form)
        if qualified:
            names.append("qualifier")
            values.append(w.qualifier)
        if typed:
            # "Kharkiv region", "Red Sea", "Dnipro river", "across the Dnipro."
            names.append("type word")
            values.append(typed)
        if nests:
            # its county is another name's candidate, or it holds another name's town
            names.append("county")
            values.append(w.county)
        if local:
            names.append("institution")
            values.append(local)
        if largest and largest_w:
            # the most populous of the places so named
            names.append("largest")
            values.append(largest_w)
        if d.renamed:
            # known by this name only as another name, a short form, an abbreviation
            names.append("other name")
            values.append(other_w)
        if largest and dateline_w:
            # a dateline names a place readers know: the largest so named
            names.append("dateline")
            values.append(dateline_w)
        if len(names) == 2:
            # no part beyond population and feature after all
            out.append((d, _BASE_PARTS, d.base_values, d.base_total))
            continue
        parts = tuple(values)
        out.append((d, tuple(names), parts, _sum(parts)))
    if len(out) < 2:
        return out
    # the candidates that context could still make win
    floor = max([s[3] for s in out]) - w.context_max
    return [s for s in out if s[3] >= floor]


def _sum(parts: tuple) -> float:
    """``sum(parts)`` of a tuple of floats, without a call of the builtin."""
    if not _PLAIN_SUM:
        return sum(parts)       # compensated from Python 3.12 on
    s = 0.0     # (sum() adds floats one by one, from 0.0)
    for v in parts:
        s += v
    return s


def _kind_of(d: _Cand, wanted: frozenset) -> bool:
    """Is candidate ``d`` of a kind in ``wanted`` (:func:`_of_kind`)?"""
    return d.fclass in wanted or f"{d.fclass}.{d.code}" in wanted


#: The names of the parts every candidate has.
_BASE_PARTS: Final = ("population", "feature")


class _Nesting:
    """One spelling's codes for :func:`_nested`: the ``(country, admin1,
    admin2)`` of its second-level division candidates (``counties``), with
    their ids (``county_ids``, ``(where, id)`` pairs), and the ids of its town
    candidates by their ``(country, admin1, admin2)`` (``towns``); each
    ``(country, admin1, admin2)`` as its number (:func:`_county`).

    A class, not a tuple: compiled, its fields are read without a type check each.
    """

    __slots__ = ("counties", "county_ids", "towns")

    def __init__(self, counties: list[Any], county_ids: list[tuple[Any, Any]],
                 towns: dict[Any, list[Any]]):
        # (the county numbers held as objects, as the dicts keep them: compiled,
        # an int would be unboxed and boxed again at each dict use)
        self.counties: list[Any] = counties
        self.county_ids: list[tuple[Any, Any]] = county_ids
        self.towns: dict[Any, list[Any]] = towns


class _Found:
    """One spelling's candidates, and what holds for them in any document.

    Attributes
    ----------
    raw : sequence
        What the gazetteer returned for the key, to tell whether a cached
        entry is still current.
    candidates : sequence
        The gazetteer candidates the spelling can refer to.
    places : list of Place
        Their places.
    cands : list of _Cand
        Their facts for scoring, the parts that hold in any mention of the
        spelling among them (:func:`_describe`).
    prior : Place or None
        The first-round choice: the best place by population and feature.
    prior_facts : _Fact or None
        Its facts (see :attr:`_Hopefuls.facts`).
    named : frozenset
        The ids of the places found by the name with its type word
        ("dnipro river"), when the span has one after it.
    base : sequence
        What the gazetteer returned for the key alone.
    sources : tuple of sequence
        What it returned for each of the key's transliteration variants,
        when they were looked up (see ``variant_lookup``).
    vary : frozenset
        The ids of the candidates found only by those variants.
    weak : bool
        Whether the name's own match is weak (:func:`_weak`).
    folded, folded_extra : str
        ``fold()`` of the spelling's key and of the key with its type word
        (``""`` without one).
    own : int
        How many of the first candidates are of the store's cached entries for
        ``folded`` (:meth:`gazetteer.Gazetteer.entries`: each matched by a
        spelling whose fold is the key); 0 for a gazetteer without them.
    checked : int
        The resolve() call (:attr:`Resolver._calls`) that last found the
        entry current: within it, the entry is not checked again.
    plain : _Hopefuls or None
        The hopefuls without qualifiers, once made (:meth:`Resolver._prepare`).
    hopefuls : dict or None
        :class:`_Hopefuls` by (qualifier set, type word), not both empty, once
        there are any.
    """

    __slots__ = ("raw", "candidates", "places", "cands", "prior",
                 "prior_facts", "plain", "hopefuls", "named", "_qualifies", "base", "sources",
                 "vary", "weak", "checked", "folded", "folded_extra", "_nesting", "own")

    def __init__(self, raw: Sequence, candidates: Sequence, w: _Weights,
                 named: frozenset = frozenset(), base: Sequence = (), sources: tuple = (),
                 vary: frozenset = frozenset(), weak: bool = False, own: int = 0,
                 span: Span | None = None, folded: str = ""):
        self.raw, self.candidates = raw, candidates
        self.named = named
        self.base, self.sources, self.vary, self.weak = base, sources, vary, weak
        self.checked: int = 0
        self.own: int = own
        self.folded: str = folded
        self.folded_extra: str = ""
        bonus, weight = w.feature_bonus, w.population_weight
        cands: list[_Cand] = []
        places: list[Place] = []
        prior_i = 0
        prior_v = -math.inf
        for c in candidates:
            p = c.place
            population: int = p.population
            code: str = p.feature_code
            # (log10(max(population, 0) + 1): 0.0 without a population, log10(1), uncalled)
            pop = (_log10(population + 1) if population > 0 else 0.0) * weight
            feat = bonus.get(code, 0.0)
            # the best by population and feature, the first one on ties as max() has it
            v = pop + feat
            if v > prior_v or not cands:
                prior_i, prior_v = len(cands), v
            cands.append(_Cand(p, p.feature_class, code, p.country_code, p.admin1, population,
                               pop, feat))
            places.append(p)
        self.places: list[Place] = places
        self.cands: list[_Cand] = cands
        self.prior: Place | None = None
        self.prior_facts: _Fact | None = None
        if places:
            self.prior = p = places[prior_i]
            self.prior_facts = _facts(p, None if _is_area(p, w) else _spot(p.lat, p.lon), w)
            if span is not None:
                _describe(self, span, w)
        self.plain: _Hopefuls | None = None
        self.hopefuls: dict[tuple[frozenset, str, bool, bool, frozenset], _Hopefuls] | None = None
        self._qualifies: frozenset | None = None
        self._nesting: _Nesting | None = None

    def nesting(self, w: _Weights) -> _Nesting:
        """Its second-level division candidates and its town candidates by
        ``(country, admin1, admin2)`` (its number, :func:`_county`; see
        :func:`_nested`), kept with the spelling."""
        known = self._nesting
        if known is None:
            counties: list[Any] = []
            county_ids: list[tuple[Any, Any]] = []
            towns: dict[Any, list[Any]] = {}
            for d in self.cands:
                a2 = d.place.admin2
                if not a2:
                    continue
                where: Any
                if d.code == "ADM2":
                    where = _county(w, d.cc, d.a1, a2)
                    counties.append(where)
                    county_ids.append((where, d.id))
                elif d.fclass == "P":
                    where = _county(w, d.cc, d.a1, a2)
                    ids = towns.get(where)
                    if ids is None:
                        towns[where] = [d.id]
                    else:
                        ids.append(d.id)
            known = self._nesting = _Nesting(counties, county_ids, towns)
        return known

    def qualifies(self) -> frozenset:
        """What the spelling qualifies a name just before it by, as in
        "Springfield, Illinois": its candidates' country codes where they are
        countries, ``(country, admin1)`` pairs where first-level divisions."""
        known = self._qualifies
        if known is None:
            out: set = set()
            for q in self.places:
                if q.feature_code.startswith("PCL"):
                    out.add(q.country_code)
                elif q.feature_code == "ADM1" and q.admin1:
                    out.add((q.country_code, q.admin1))
            known = self._qualifies = frozenset(out)
        return known


class _Hopefuls:
    """The candidates context could still make win, ready to be scored.

    Compared and hashed by identity: contexts key their views by it.

    Attributes
    ----------
    places : list of Place
        The candidates.
    rows : tuple of _Row
        For each, what scoring it needs: its country, static total, the static
        parts' values and names, division, spot, its ``isolable``, ``major``
        and ``needy`` below and its ``iso_spot``: the division is the
        ``(country, admin1)`` pair admin1 support counts (its number, see
        :func:`_division`), or ``None`` when that part does not apply to the
        place (countries and first-level divisions); the spot is what
        distances from a point place need (see :func:`_spot`), ``None`` for
        areas; the ``iso_spot`` is, for a division below the first level, its
        point for the distances isolation needs, ``None`` for the others. The
        ``(name, value)`` pairs of the parts are made only for an outcome that
        keeps candidates.
    facts : tuple of _Fact
        What the context needs of each when it is a mention's choice: its id,
        country, division or None, spot, and whether it is a country
        (``nation``), the division ``(country, admin1)`` (its number, see
        :func:`_division`) when both are known. The facts of the first-round
        choice are the very object ``_Found.prior_facts``: the same place, the
        same facts object.
    ranked : list of int
        The indices by static total (``rows[i].total``), highest first (see
        :meth:`_View.best`).
    countries : tuple
        The candidates' countries.
    divisions : frozenset
        Their divisions where admin1 applies.
    isolable : tuple of bool
        For each, whether it can be isolated (see ``isolated`` in the module
        docstring): a point place or a division below the first level, in a
        country.
    major : tuple of bool
        For each, whether it is a capital or has at least the model's
        ``isolation_population`` people: isolated, it keeps its confidence.
    needy : tuple of bool
        For each, whether it needs the document's support (see
        ``unsupported`` in the module docstring).
    """

    __slots__ = ("places", "rows", "facts", "ranked", "countries", "divisions",
                 "isolable", "major", "needy")

    def __init__(self, static: list[_Static], found: _Found, w: _Weights):
        # (what does not depend on the mention is read from the candidates: _describe)
        places: list[Place] = []
        rows: list[_Row] = []
        facts: list[_Fact] = []
        isolable: list[bool] = []
        major: list[bool] = []
        needy: list[bool] = []
        for d, names, values, total in static:
            # a small place, unless a qualifier or type word asks for it; a place
            # found only by a variant of a name the store gives another place
            # (the usual candidate's parts, _BASE_PARTS, are neither)
            small = (d.small and (names is _BASE_PARTS
                                  or not any(n == "qualifier" or (n == "type word" and v > 0.0)
                                             for n, v in zip(names, values)))
                     ) or d.vary_small
            places.append(d.place)
            facts.append(cast(_Fact, d.fact))
            major.append(d.big)
            isolable.append(d.far)
            needy.append(small)
            rows.append(_Row(d.cc, total, values, d.division, d.spot, names, d.far, d.big, small,
                             d.iso_spot))
        self.places: list[Place] = places
        self.needy: tuple[bool, ...] = tuple(needy)
        self.isolable: tuple[bool, ...] = tuple(isolable)
        self.major: tuple[bool, ...] = tuple(major)
        self.rows: tuple[_Row, ...] = tuple(rows)
        self.facts: tuple[_Fact, ...] = tuple(facts)
        totals: list[float] = [s[3] for s in static]
        by_total = sorted(range(len(totals)), key=totals.__getitem__, reverse=True)
        self.ranked: list[int] = by_total
        self.countries = tuple({row.country for row in rows})
        self.divisions = frozenset([row.division for row in rows if row.division is not None])


def _facts(p: Place, spot: _Spot | None, w: _Weights) -> _Fact:
    """What the context needs of place ``p`` (see :attr:`_Hopefuls.facts`)."""
    cc = p.country_code
    return _Fact(p.id, cc, _division(w, cc, p.admin1) if cc and p.admin1 else None, spot,
                 p.feature_code.startswith("PCL"))


def _division(w: _Weights, cc: Any, admin1: Any) -> Any:
    """The number of division ``(cc, admin1)`` (in ``w.division_ids``): the
    same number for equal pairs, another for any other pair."""
    known = w.division_ids
    pair = (cc, admin1)
    number = known.get(pair)
    if number is None:
        number = known[pair] = len(known)
    return number


def _county(w: _Weights, cc: Any, admin1: Any, admin2: Any) -> Any:
    """The number of county ``(cc, admin1, admin2)`` (in ``w.county_ids``): the
    same number for equal triples, another for any other triple."""
    known = w.county_ids
    where = (cc, admin1, admin2)
    number = known.get(where)
    if number is None:
        number = known[where] = len(known)
    return number


def _seats(places: list[Place], w: _Weights) -> list[Place]:
    """The sizeable towns among one name's candidates."""
    least = w.seat_population
    return [p for p in places if p.feature_class == "P" and p.population >= least]


def _is_seat(admin: Place, towns: list[Place], w: _Weights) -> bool:
    """Is ``admin`` named after one of ``towns`` in it or around it, or after
    its country's capital wherever that lies ("Washington" the state)?"""
    cc, a1 = admin.country_code, admin.admin1
    for t in towns:     # (a loop, not any() of a generator: compiled, no generator object)
        if t.country_code == cc and ((t.admin1 and t.admin1 == a1)
                                     or t.feature_code == "PPLC"
                                     or _km(t.lat, t.lon, admin.lat, admin.lon) < w.seat_km):
            return True
    return False


class _Context:
    """What the rest of the document says: countries, divisions, points.

    Each mention has a key (its folded name) and a group (the place it is
    currently resolved to). Support for a span leaves out every mention with
    its key or in its group, so that "Dublin" and "Dublin City" do not vouch
    for each other.

    Attributes
    ----------
    parts : bool
        Whether outcomes of it keep candidates, with their parts: only then do
        views keep each candidate's nearby support.
    size : int
        How many mentions are resolved (the others say nothing).
    marks : list
        The facts of their places (see :attr:`_Hopefuls.facts`).
    by_group, by_key : dict
        Indices into ``marks`` by group and by key.
    countries, divisions : dict
        How many of the mentions lie in each country, in each division.
    nations : dict
        How many of the mentions are each country itself.
    spots : list
        One point per group of point places, the group's first mention's (see
        :func:`_spot`); ``spot_groups`` and ``spot_keys`` are its group and key.
    """

    __slots__ = ("size", "marks", "by_group", "by_key", "countries", "divisions", "nations",
                 "spots", "spot_groups", "spot_keys", "w", "_views", "_firsts", "parts")

    def __init__(self, keys: list[str], facts: list[_Fact | None], w: _Weights,
                 parts: bool = True):
        self.w: _Weights = w
        marks: list[_Fact] = []
        by_group: dict[Any, list[int]] = {}
        by_key: dict[str, list[int]] = {}
        countries: dict[Any, int] = {}
        divisions: dict[Any, int] = {}
        nations: dict[Any, int] = {}
        # the spots of the groups' first mentions: their groups, keys and points
        spot_groups: list[Any] = []
        spot_keys: list[str] = []
        spots: list[_Spot] = []
        for key, f in zip(keys, facts):
            if f is None:
                continue
            group, cc, d, spot = f.group, f.country, f.division, f.spot
            i = len(marks)
            g = by_group.get(group)
            if g is None:
                by_group[group] = [i]
                # (a group's places are one place: a point for all its mentions or none)
                if spot is not None:
                    spot_groups.append(group)
                    spot_keys.append(key)
                    spots.append(spot)
            else:
                g.append(i)
            k = by_key.get(key)
            if k is None:
                by_key[key] = [i]
            else:
                k.append(i)
            if cc:
                countries[cc] = countries.get(cc, 0) + 1
                if d is not None:
                    divisions[d] = divisions.get(d, 0) + 1
                if f.nation:
                    nations[cc] = nations.get(cc, 0) + 1
            marks.append(f)
        self.size, self.marks, self.by_group, self.by_key = len(marks), marks, by_group, by_key
        self.countries, self.divisions = countries, divisions
        self.spots, self.spot_groups, self.spot_keys = spots, spot_groups, spot_keys
        self.nations = nations
        self._views: dict = {}
        # each hopefuls' first view (most hopefuls have only that one)
        self._firsts: dict[_Hopefuls, _View] = {}
        self.parts: bool = parts

    def view(self, h: _Hopefuls, key: str, group) -> _View:
        """The context as a mention with ``key``, in ``group`` (the id of the place
        it is now resolved to, ``None`` if none), sees it.

        Mentions alike in key, group and hopefuls share one view: the first
        view of each hopefuls is kept by them alone (a quick key), any other
        by all three.
        """
        v = self._firsts.get(h)
        if v is None:
            v = self._firsts[h] = _View(self, h, key, group)
            return v
        if v.key == key and v.group == group:
            return v
        memo = (h, key, group)
        other = self._views.get(memo)
        if other is None:
            other = self._views[memo] = _View(self, h, key, group)
        return other


#: The nearby supports of a view whose outcome keeps no candidates (see
#: :class:`_View`): never written to.
_NO_NEARBY: Final[list[float | None]] = []

#: The supports of a view that has none (see :class:`_View`): never written to.
_NO_SUPPORT: Final[dict[Any, float]] = {}

#: Scores are sums rounded to 4 decimals: a candidate whose bound is this much
#: below a score cannot reach it, whatever the rounding.
_MARGIN: Final = 0.001

#: Does ``sum()`` add floats one by one, left to right? Then a score, the sum
#: of the static parts and the context parts, is the static total plus the
#: context parts added in turn. From Python 3.12 on ``sum()`` compensates, and
#: scores are summed from the parts.
_PLAIN_SUM: Final = sys.version_info < (3, 12)

#: For building the frozen Scored and Resolution without their __init__
_new: Final = object.__new__
#: (the slots' descriptors, read from the class namespace: to a type checker
#: ``Scored.place`` is the field, not its descriptor)
_scored, _resolution = vars(Scored), vars(Resolution)
_set_place: Final = _scored["place"].__set__
_set_score: Final = _scored["score"].__set__
_set_parts: Final = _scored["parts"].__set__
_set_span: Final = _resolution["span"].__set__
_set_chosen: Final = _resolution["place"].__set__
_set_confidence: Final = _resolution["confidence"].__set__
_set_candidates: Final = _resolution["candidates"].__set__
#: The C maker of a Resolution from its four fields in order (geomap/_typos.c's
#: ``slot_maker``, as recognition makes its spans: one call, where the
#: descriptors are four), or ``None`` when the extension is not built.
_TYPOS: Final = native("geomap._typos")
_MAKE_RESOLUTION: Final = (_TYPOS.slot_maker(Resolution, ("span", "place", "confidence",
                                                          "candidates"))
                           if _TYPOS is not None else None)
#: The same for a Scored.
_MAKE_SCORED: Final = (_TYPOS.slot_maker(Scored, ("place", "score", "parts"))
                       if _TYPOS is not None else None)


def _make_resolution(span: Span, place: Place | None, confidence: float,
                     kept: tuple) -> Resolution:
    """``Resolution(span, place, confidence, kept)``, built without the frozen
    ``__init__`` (which sets each field through ``object.__setattr__``): by the
    C maker (:data:`_MAKE_RESOLUTION`) when it is built, else by the slots'
    descriptors.

    Examples
    --------
    >>> from geomap.spans import Span
    >>> span = Span(0, 5, "Paris", "paris", "name", False, 0)
    >>> _make_resolution(span, None, 0.0, ()) == Resolution(span, None, 0.0)
    True
    """
    if _MAKE_RESOLUTION is not None:
        return cast(Resolution, _MAKE_RESOLUTION(span, place, confidence, kept))
    r = _new(_Resolution)
    _set_span(r, span)
    _set_chosen(r, place)
    _set_confidence(r, confidence)
    _set_candidates(r, kept)
    return r


def _make_scored(place: Place, score: float, parts: tuple) -> Scored:
    """``Scored(place, score, parts)``, built without the frozen ``__init__``,
    as :func:`_make_resolution` builds a Resolution.

    Examples
    --------
    >>> _make_scored(None, 1.5, ()) == Scored(None, 1.5, ())
    True
    """
    if _MAKE_SCORED is not None:
        return cast(Scored, _MAKE_SCORED(place, score, parts))
    s = _new(Scored)
    _set_place(s, place)
    _set_score(s, score)
    _set_parts(s, parts)
    return s


class _View:
    """One mention's view of the context, and its hopefuls scored in it.

    Candidates are scored on demand: choosing the best one needs only those
    that could beat it (:meth:`best`), the outcome needs them all.

    Attributes
    ----------
    key, group
        The mention's key and group (:meth:`_Context.view`).
    countries, divisions : dict
        Country support by country code, admin1 support by division (its
        number, :func:`_division`), for the candidates' values (divisions without support are
        left out).
    across : dict
        Neighbour support by country code, for the candidates' countries
        (empty when the part is off). In these three, a country or division
        without support is left out (its support is 0.0).
    points : list
        The other mentions' points: the spots (:func:`_spot`) of ``ctx.spots``
        not in this group nor with this key.
    most : float
        The most context can add to a candidate's score here.
    scores : list
        ``round(sum of all parts, 4)`` for each of ``h.places``, ``None``
        until scored.
    nearby : list
        The nearby support of each, ``None`` until scored (country and admin1
        support are read from ``countries`` and ``divisions``); empty when the
        context's ``parts`` is false (no outcome of it keeps candidates).
    lone : list of bool
        Whether the ``isolated`` rule applies to each (False when it does not
        or it is not scored yet).
    unsupported : list of bool
        The same for the ``unsupported`` rule.
    others : int
        How many mentions the context has besides this one's key and group.
    """

    __slots__ = ("h", "key", "group", "w", "points", "countries", "divisions", "across",
                 "most", "scores", "nearby", "lone", "unsupported", "others", "_best",
                 "_outcome")

    def __init__(self, ctx: _Context, h: _Hopefuls, key: str, group):
        self.h: _Hopefuls = h
        # (the mention's key and group: what the context keys this view by)
        self.key: str = key
        self.group: Any = group
        w = ctx.w
        self.w: _Weights = w
        # the mentions left out: those in this group or with this key
        grouped: list[int] | None = ctx.by_group.get(group)
        keyed: list[int] | None = ctx.by_key.get(key)
        out: list[int]
        if grouped is None:
            out = keyed if keyed is not None else []
        elif keyed is None or keyed == grouped:
            out = grouped
        else:
            out = list({*grouped, *keyed})
        others = ctx.size - len(out)
        self.others: int = others
        # (the countries and divisions with support only: the others read 0.0; a
        # view without any shares the one empty dict, which no one writes to)
        countries: dict[Any, float] = _NO_SUPPORT
        divisions: dict[Any, float] = _NO_SUPPORT
        across: dict[Any, float] = _NO_SUPPORT
        most_c = most_d = most_g = 0.0
        if others:
            marks = ctx.marks
            # the facts left out (a few: this mention's own), counted off below
            # one by one (no dict of them made per view)
            outs: list[_Fact] = [marks[i] for i in out]
            in_country = ctx.countries
            in_nation = ctx.nations
            # support from across a border, for a country no other mention lies in
            # (the countries the document names are few: the sum runs over them)
            bordered = w.neighbour_on and bool(in_nation)
            bordering = w.neighbours
            for cc in h.countries:
                n = in_country.get(cc, 0)
                if n:
                    for f in outs:
                        if f.country == cc:
                            n -= 1
                if n:
                    if countries is _NO_SUPPORT:
                        countries = {}
                    countries[cc] = v = _support(n, others, w.country_base, w.country_share)
                    if v > most_c:
                        most_c = v
                elif bordered and cc and cc in bordering:
                    near = bordering[cc]
                    for nb, m in in_nation.items():
                        if nb in near:
                            for f in outs:
                                if f.nation and f.country == nb:
                                    m -= 1
                            n += m
                    if n:
                        if across is _NO_SUPPORT:
                            across = {}
                        across[cc] = v = _support(n, others, w.neighbour_base,
                                                  w.neighbour_share)
                        if v > most_g:
                            most_g = v
            ours = h.divisions
            if ours:
                in_division = ctx.divisions
                # (the divisions both the candidates and the document have: the
                # fewer walked, each looked up in the others)
                shared = ([d for d in ours if d in in_division] if len(ours) < len(in_division)
                          else [d for d in in_division if d in ours])
                for d in shared:
                    n = in_division[d]
                    for f in outs:
                        if f.division == d:
                            n -= 1
                    if n:
                        if divisions is _NO_SUPPORT:
                            divisions = {}
                        divisions[d] = v = _support(n, others, w.admin1_base, w.admin1_share)
                        if v > most_d:
                            most_d = v
        self.countries, self.divisions, self.across = countries, divisions, across
        points: list[_Spot] = []
        spots, spot_keys, spot_groups = ctx.spots, ctx.spot_keys, ctx.spot_groups
        for j in range(len(spots)):
            if spot_keys[j] != key and spot_groups[j] != group:
                points.append(spots[j])
        self.points = points
        # the largest country and admin1 supports (max() of each), nearby, isolated
        # and unsupported
        self.most: float = (most_c + most_g + most_d + (w.nearby_most if points else 0.0)
                            + w.isolated_most + w.unsupported_most)
        self.scores: list[float | None] = [None] * len(h.rows)
        # (kept only for an outcome that keeps candidates, which shows the parts)
        self.nearby: list[float | None] = [None] * len(h.rows) if ctx.parts else _NO_NEARBY
        self.lone: list[bool] = [False] * len(h.rows)
        self.unsupported: list[bool] = [False] * len(h.rows)
        self._best: int | None = None
        self._outcome: tuple | None = None

    def score(self, indices: list[int], floor: float = -math.inf) -> None:
        """Score the candidates at ``indices``: static parts, then country, admin1, nearby.

        Parameters
        ----------
        indices : list of int
            Indices into ``h.rows`` (a list: compiled, walked by index, not
            through the iterator protocol).
        floor : float
            A point candidate that even the most nearby support would leave
            below ``floor`` is left unscored, sparing the distances.
        """
        rows, scores, near = self.h.rows, self.scores, self.nearby
        keep_near = near is not _NO_NEARBY
        countries, divisions, points = self.countries, self.divisions, self.points
        across = self.across
        lone, unsupported = self.lone, self.unsupported
        w = self.w
        # isolation needs evidence: enough other mentions
        can_isolate = self.others >= w.isolation_min_others
        plain = _PLAIN_SUM
        reach = w.nearby_most + w.isolated_most + w.unsupported_most
        isolated_part, unsupported_part = w.isolated, w.unsupported
        bordered, borders_support = w.neighbour_on, w.neighbour_supports
        s: float
        for i in indices:
            row = rows[i]
            cc = row.country
            total = row.total
            division = row.division
            spot = row.spot
            # (the supports, 0.0 where none: an empty dict, as most are, is not
            # asked, and no default is made)
            c = 0.0
            if countries:
                got = countries.get(cc)
                if got is not None:
                    c = got
            g = 0.0
            if bordered:
                if across:
                    got = across.get(cc)
                    if got is not None:
                        g = got
                s = total + c + g
            else:
                s = total + c
            a = 0.0     # (admin1 support; none where it does not apply)
            if division is not None:
                if divisions:
                    got = divisions.get(division)
                    if got is not None:
                        a = got
                s = s + a
            # country support, or (when it counts) support from across a border
            backed = c != 0.0 or (borders_support and g > 0.0)
            n = 0.0
            if spot is not None and points:
                if s + reach < floor:
                    continue
                n = _nearby(spot, points, w)
            if keep_near:
                near[i] = n
            iso = False
            if can_isolate and not backed and not a and row.isolable and (
                    n == 0.0 if spot is not None
                    else not points or _nearby(cast(_Spot, row.iso_spot), points, w) == 0.0):
                # a lone far-away candidate: its country unmentioned, nothing near
                iso = lone[i] = True
            # a small place without support: nothing in its country, division, or near
            # (a neighbouring country named is no support for a small place)
            uns = row.needy and c == 0.0 and not a and n == 0.0
            if uns:
                unsupported[i] = True
            if plain:       # the parts' sum as sum() makes it: one by one
                s += n
                if iso:
                    s += isolated_part
                if uns:
                    s += unsupported_part
                # _round4(s), inlined
                y = s * 10000.0
                r = math.floor(y + 0.5)
                scores[i] = r / 10000.0 if r and -0.49 < y - r < 0.49 else round(s, 4)
            else:           # compensated from Python 3.12 on
                parts = row.values + ((c, g) if bordered else (c,)) + (
                    (n,) if division is None else (a, n))
                if iso:
                    parts += (isolated_part,)
                if uns:
                    parts += (unsupported_part,)
                scores[i] = round(sum(parts), 4)

    def best(self) -> int:
        """The index of the best candidate (the first one on ties).

        Candidates are tried by their static score, highest first, until even
        the most context could not lift the next one to the best score; those
        that are tried are scored only if they could reach it.
        """
        if self._best is None:
            scores, most, rows = self.scores, self.most, self.h.rows
            best: float = -math.inf
            best_i = 0
            for i in self.h.ranked:
                if rows[i].total + most < best - _MARGIN:
                    break
                s = scores[i]
                if s is None:
                    self.score([i], best - _MARGIN)
                    s = scores[i]
                    if s is None:
                        continue
                if s > best or (s == best and i < best_i):
                    best, best_i = s, i
            self._best = best_i
        return self._best

    def outcome(self, keep: int) -> tuple[Place, float, tuple[Scored, ...]]:
        """The chosen place, its confidence and the ``keep`` best candidates scored.

        The candidates come best first, in their order in ``h`` on ties.
        """
        if self._outcome is None:       # (a view lives in one resolve() call: one keep)
            scores, near, h = self.scores, self.nearby, self.h
            missing = [i for i, s in enumerate(scores) if s is None]
            if missing:
                self.score(missing)
            # best first, stable: the same order as sorting by -score
            done = cast("list[float]", scores)      # all scored now
            places, rows, countries, divisions = h.places, h.rows, self.countries, self.divisions
            kept = []
            first: int
            if keep == 0 or len(done) == 1:
                # no candidates kept: the order matters only to the sum, whose terms
                # come best first (equal scores are equal terms), and to the first
                # best, which is the first one with the top score
                ranked = sorted(done, reverse=True) if len(done) > 1 else done
                top = ranked[0]
                first = done.index(top) if len(done) > 1 else 0
                if _PLAIN_SUM:      # sum() as it adds floats: one by one, from 0.0
                    z = 0.0
                    for x in ranked:
                        z += math.exp(x - top)
                else:
                    z = sum([math.exp(x - top) for x in ranked])
                order = [first]
            else:
                order = sorted(range(len(done)), key=done.__getitem__, reverse=True)
                first = order[0]
                top = done[first]
                z = sum([math.exp(done[i] - top) for i in order])
            for i in order[:keep]:
                row = rows[i]
                c, division, n = countries.get(row.country, 0.0), row.division, near[i]
                static = tuple(zip(row.names, row.values))      # (name, value) pairs
                context = ((("country", c), ("neighbour", self.across.get(row.country, 0.0)))
                           if self.w.neighbour_on else (("country", c),)) + (
                    (("nearby", n),) if division is None else
                    (("admin1", divisions.get(division, 0.0)), ("nearby", n)))
                kept.append(_make_scored(places[i], done[i], static + context + (
                    (("isolated", self.w.isolated),) if self.lone[i] else ()) + (
                    (("unsupported", self.w.unsupported),) if self.unsupported[i] else ())))
            confidence = 1.0 / z
            if self.lone[first] and not h.major[first]:
                confidence *= self.w.isolated_confidence
            self._outcome = (places[first], _round4(confidence), tuple(kept))
        return self._outcome

    def withheld(self) -> bool:
        """Is the chosen candidate small and unsupported (see ``unsupported``),
        or isolated and weak: matched only by an alternate name (its
        ``alternate name`` part), or without a recorded population and not
        asked for by a type word? Then no place is given (see ``isolated``)."""
        best = self.best()
        if self.unsupported[best]:
            return True
        if not self.lone[best] or self.h.major[best]:
            return False
        names = self.h.rows[best].names
        # (a division the text asks for by its type word is not weak)
        return "alternate name" in names or (self.h.places[best].population == 0
                                             and "type word" not in names)


def _round4(x: float) -> float:
    """``round(x, 4)``, faster.

    ``y = x * 10000.0`` is within a hair (far below 0.01) of the exact product
    for any score, so an integer ``r`` less than 0.49 from ``y`` is the one
    nearest to the exact product, and ``round(x, 4)``, the double nearest to
    ``r / 10**4``, is the correctly rounded ``r / 10000.0``. Otherwise (a tie
    or nearly, or ``r == 0``, where ``round`` keeps the sign of zero) ``round``
    decides.
    """
    y = x * 10000.0
    r = math.floor(y + 0.5)
    return r / 10000.0 if r and -0.49 < y - r < 0.49 else round(x, 4)


def _spot(lat: float, lon: float) -> _Spot:
    """What distances from a point need: its latitude and longitude, and its
    place on the unit sphere, ``x, y, z`` (see :func:`_nearby`)."""
    p, lam = lat * _DEGREE, lon * _DEGREE      # (math.radians, as it computes it)
    c = math.cos(p)
    return _Spot(lat, lon, c * math.cos(lam), c * math.sin(lam), math.sin(p))


def _chord2(km: float) -> float:
    """The squared chord, on the unit sphere, of a great circle arc of ``km``."""
    return (2 * math.sin(km / (2 * _EARTH_KM))) ** 2


def _nearby(spot: _Spot, points: list[_Spot], w: _Weights) -> float:
    """Spatial coherence for a point place at ``spot`` (see :func:`_spot`).

    ``points`` are the other mentions' spots. The score is the best
    :func:`_nearby_score` of the distances to them by :func:`_km` (0 at
    least); the squared chord between the points tells the score without the
    trigonometry, except within a hair of a band's edge, where :func:`_km`
    decides. Points further in latitude alone than the last band are skipped.
    """
    lat1, lon1, x1, y1, z1 = spot.lat, spot.lon, spot.x, spot.y, spot.z
    window, last = w.near_window, w.near_last
    ins, outs, scores = w.near_in, w.near_out, w.near_scores
    top = w.nearby_most
    bands = len(scores)
    n = 0.0
    for q in points:
        lat2 = q.lat
        if -window < lat2 - lat1 < window:
            dx, dy, dz = q.x - x1, q.y - y1, q.z - z1
            c2 = dx * dx + dy * dy + dz * dz
            if c2 > last:
                continue
            s = 0.0
            for j in range(bands):
                if c2 < ins[j]:
                    s = scores[j]
                    break
                if c2 <= outs[j]:       # at a band's edge: the distance decides
                    s = _nearby_score(_km(lat1, lon1, lat2, q.lon), w)
                    break
            if s > n:
                n = s
                if n >= top:
                    return n            # as close as counts: nothing scores more
    return n


def _support(n: int, others: int, base: float, share: float) -> float:
    """Support from the document: ``n`` of the ``others`` other mentions lie in
    the country (the ``country`` part), its neighbours (``neighbour``) or the
    division (``admin1``): ``base + share * n / others``, 0 when none do."""
    return 0.0 if not others or n == 0 else _round4(base + share * n / others)


def _nearby_score(km: float, w: _Weights) -> float:
    """Spatial coherence: the score of the first band ``km`` is below, else 0."""
    for edge, score in zip(w.near_km, w.near_scores):
        if km < edge:
            return score
    return 0.0


def _is_area(p: Place, w: _Weights) -> bool:
    """Is ``p`` an area, without a point for distances (divisions, regions, seas, rivers...)?"""
    return p.feature_class in ("A", "L") or p.feature_code in w.areal_codes


def _contains(division: Place, town: Place) -> bool:
    """Does ``division`` contain ``town``, by their admin codes?"""
    return (division.country_code == town.country_code and bool(town.admin1)
            and division.admin1 == town.admin1
            and (division.feature_code == "ADM1" or (
                bool(town.admin2) and division.admin2 == town.admin2)))


def _population(p: Place) -> int:
    return p.population


def _same(a: Sequence, b: Sequence) -> bool:
    """Are ``a`` and ``b`` the very same objects, one by one?"""
    return a is b or (len(a) == len(b) and all(map(_is, a, b)))


def _weak(cands: Sequence) -> bool:
    """Is a name's own match weak: none of its candidates ``cands`` bears
    it as more than an alternate name (its own name, an abbreviation, a
    former name...) with a recorded population?"""
    for c in cands:
        if c.kind != "alternate" and c.place.population > 0:
            return False
    return True


def _of_kind(p: Place, wanted: frozenset) -> bool:
    """Is ``p`` of a kind in ``wanted`` (feature classes, or class.code)?"""
    return p.feature_class in wanted or f"{p.feature_class}.{p.feature_code}" in wanted


def _extra_key(key: str, cue: str, w: _Weights) -> str:
    """The name with its type word, looked up too: "dnipro river" for "Dnipro river"."""
    if cue == "the":
        return f"{key} {w.article_lookup}"
    if cue[:1] == "+":
        return f"{key} {cue[1:]}"
    return ""


def _is_dateline(span: Span, text: str) -> bool:
    """Does ``span`` open a dateline: the text or a line starts with it, and a
    comma, a bracket or a dash follows ("GENEVA (Reuters) -", "KYIV, Ukraine")?"""
    start = span.start
    if start > 0 and text[start - 1] != "\n":
        return False
    after = text[span.end:span.end + 2]
    return after[:1] == "," or after in _DATELINE_AFTER


_DATELINE_AFTER: Final = frozenset({" (", " -", " \u2013", " \u2014"})


def _word_at(text: str, i: int) -> str:
    """The word of letters starting at ``text[i]``, lower-cased ("" if none)."""
    j = i
    n = len(text)
    while j < n:
        o = ord(text[j])
        if o < 128:
            # an ASCII letter, as isalpha() has it: A-Z and a-z (| 32 lowers them)
            if not 97 <= (o | 32) <= 122:
                break
        elif not text[j].isalpha():
            break
        j += 1
    return text[i:j].lower()


def _words_after(spans: Sequence[Span], text: str) -> list[str]:
    """The word of letters right after each span and a space, lower-cased
    (:func:`_word_at`; "" when no space follows)."""
    out: list[str] = []
    n = len(text)
    for span in spans:
        end = span.end
        out.append(_word_at(text, end + 1) if end < n and text[end] == " " else "")
    return out


def _cues(spans: Sequence[Span], text: str, w: _Weights | None = None,
          after: list[str] | None = None) -> list[str]:
    """Each span's type word (see ``type word`` in the module docstring).

    ``"+word"`` for a word after the name (its candidates with the word are
    looked up too), ``"word"`` for the name's own last word or a word before
    it ("the city of X"), ``"the"`` for the article before a name standing
    alone, ``""`` for none. ``after``: each span's :func:`_words_after`, when
    made already.

    Examples
    --------
    >>> s = [Span(0, 7, "Kharkiv", "kharkiv"), Span(26, 33, "Red Sea", "red sea")]
    >>> _cues(s, "Kharkiv region and the Red Sea coast")
    ['+region', 'sea']
    >>> t = "Ulang and Nasir counties, the Dnipro."
    >>> _cues([Span(0, 5, "Ulang", "ulang"), Span(10, 15, "Nasir", "nasir"),
    ...        Span(29, 35, "Dnipro", "dnipro")], t)
    ['+county', '+county', 'the']
    """
    if w is None:
        w = _DEFAULT_WEIGHTS
    type_words, plurals, gaps = w.type_words, w.plural_type_words, w.list_gaps
    if after is None:
        after = _words_after(spans, text)
    out: list[str] = []
    plural = []
    prev_end = 0            # (the previous span's end: each span's fields read once)
    for k, span in enumerate(spans):
        cue = ""
        name = span.text
        cut = name.rfind(" ")
        if cut > 0:
            own = name[cut + 1:].lower()
            if own in type_words and own != "the":
                cue = own
        end = span.end
        start = span.start
        if end < len(text) and text[end] == " ":
            word = after[k]
            if word in type_words and word != "the" and (
                    type_words[word] != w.town_kinds or text[end + 1].isupper()):
                # (lower-case "city" is too often "a Texas city")
                cue = "+" + word
            elif (word in plurals and k > 0
                  and text[prev_end:start] in gaps):
                # a plural closing a list; after one name it is "Indiana counties"
                cue = "+" + plurals[word]
                plural.append(k)
        if not cue and start >= 4:
            before = text[max(0, start - 20):start].lower()
            if before.endswith(" of "):
                words = before[:-4].rsplit(" ", 1)
                if words[-1] in w.of_type_words:
                    cue = words[-1]
            elif (before.endswith("the ") and (len(before) == 4 or not before[-5].isalpha())
                  and " " not in name):
                follow = text[end:end + 1]
                if not follow or follow in ",.;:)!?" or (
                        follow == " " and after[k] in w.after_alone):
                    cue = "the"
        out.append(cue)
        prev_end = end
    # "Terter, Aghdam, Barda and Agjabedi districts": the plural names the list
    for k in plural:
        j = k
        while j > 0 and text[spans[j - 1].end:spans[j].start] in gaps:
            j -= 1
            if out[j] in ("", "the"):
                out[j] = out[k]
    return out


def _institutions(spans: Sequence[Span], text: str, w: _Weights,
                  follows: list[str] | None = None) -> list[bool]:
    """Which spans are names a local institution follows (see ``institution``
    in the module docstring): "the Berea Police Department", "Hanover's
    council", "Paris High School", "Athens City Council", "the mayor of X".
    ``follows``: each span's :func:`_words_after`, when made already."""
    if follows is None:
        follows = _words_after(spans, text)
    out: list[bool] = []
    words, pairs, firsts, after, city, of = (
        w.institution_words, w.institution_pairs, w.institution_firsts, w.institution_after,
        w.institution_city_words, w.institution_of_words)
    for k, span in enumerate(spans):
        found = False
        if span.kind == "name":
            end = span.end
            tail = text[end:end + 3]
            i = end + 3 if tail == "'s " or tail == "\u2019s " else (
                end + 1 if tail[:1] == " " else -1)
            if i > 0:
                word = _word_at(text, i) if i != end + 1 else follows[k]
                if word in words:
                    found = True
                elif word in after or (word in firsts and text[i:i + 1].isupper()):
                    j = i + len(word)
                    second = _word_at(text, j + 1) if text[j:j + 1] == " " else ""
                    found = second in city if word in after else f"{word} {second}" in pairs
            start = span.start
            if not found and start >= 4 and text[start - 4:start].lower() == " of ":
                before = text[max(0, start - 20):start].lower()
                found = before[:-4].rsplit(" ", 1)[-1] in of
        out.append(found)
    return out


def _qualifiers(spans: Sequence[Span], found: list[_Found], idx: int,
                text: str) -> frozenset:
    """Country codes and (country, admin1) pairs named right after span ``idx``.

    "Springfield, Illinois" qualifies Springfield by Illinois's division.
    """
    if idx + 1 >= len(spans):
        return _NO_QUALIFIERS
    end, start = spans[idx].end, spans[idx + 1].start
    if start - end > 3:
        return _NO_QUALIFIERS
    gap = text[end:start]
    if gap.strip() not in (",", "("):
        return _NO_QUALIFIERS
    return found[idx + 1].qualifies()


_NO_QUALIFIERS: Final[frozenset] = frozenset()


def _claim(owners: dict[Any, str], places: list[Any], key: str) -> None:
    """Record ``key`` as naming each of ``places`` in ``owners``, or ``""``
    once two different keys name one."""
    for where in places:
        had = owners.get(where)
        if had is None:
            owners[where] = key
        elif had and had != key:
            owners[where] = ""


def _nested(spans: Sequence[Span], found: list[_Found], w: _Weights) -> list[frozenset]:
    """For each span, the ids of its candidates that nest with another name's:
    a town whose second-level division is a candidate of another name, or a
    second-level division holding a town that is (by country, admin1 and
    admin2 codes); names with the same key count as one (the reference's
    ``nested``). Each spelling's codes are kept with it (:meth:`_Found.nesting`).

    Only the places of the document's counties can nest, so the towns are
    looked up by the counties (a few, when any), not walked;
    a county is known by its number (:func:`_county`), a quick key.
    """
    # the key naming each county, or "" once two keys do
    counties: dict[Any, str] = {}
    nestings = [f.nesting(w) for f in found]
    keys = [span.key for span in spans]
    for key, n in zip(keys, nestings):
        cs = n.counties
        if cs:
            _claim(counties, cs, key)
    if not counties:
        return [_NO_QUALIFIERS] * len(spans)
    # the key naming a town in each of those counties, or "" once two keys do;
    # and each spelling's counties with towns of it in them (walked again below)
    towns: dict[Any, str] = {}
    commons: list[list[Any]] = []
    for key, n in zip(keys, nestings):
        by_where = n.towns
        common = _common(counties, by_where) if by_where else _NO_WHERE
        commons.append(common)
        if common:
            _claim(towns, common, key)
    if not towns:
        return [_NO_QUALIFIERS] * len(spans)
    out: list[frozenset] = []
    for key, n, common in zip(keys, nestings, commons):
        ids: list[Any] = []
        for where, pid in n.county_ids:
            other = towns.get(where)
            if other is not None and other != key:
                ids.append(pid)
        if common:
            by_where = n.towns
            for where in common:
                if counties[where] != key:
                    ids += by_where[where]
        out.append(frozenset(ids) if ids else _NO_QUALIFIERS)
    return out


#: No counties (never written to).
_NO_WHERE: Final[list[Any]] = []


def _common(a: dict[Any, str], b: dict[Any, list[Any]]) -> list[Any]:
    """The keys of ``a`` that ``b`` has too (walking the smaller one)."""
    if len(a) <= len(b):
        return [k for k in a if k in b]
    return [k for k in b if k in a]


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = lat1 * _DEGREE, lat2 * _DEGREE
    dp, dl = p2 - p1, (lon2 - lon1) * _DEGREE
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


#: The default model's weights, for :func:`_cues` called without any.
_DEFAULT_WEIGHTS: Final = _Weights(DEFAULT_MODEL)
