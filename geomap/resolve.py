"""Resolution: choose the place each recognised span refers to.

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
``admin1``
    The same for the candidate's first-level division (state, province).
``qualifier``
    "City, State" / "City, Country": the next mention names the candidate's
    division or country.
``nearby``
    Spatial coherence: another mention's place lies close to the candidate.

Context comes from a first pass that picks each span's best candidate by
population and feature alone; a second pass scores again with that context,
leaving each span's own key out of its context.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from gazetteer.names import fold
from gazetteer.place import Place
from geomap.recognize import Span, case_compatible

__all__ = ["Resolver", "Resolution", "Scored"]

_FEATURE_BONUS = {
    "PCLI": 4.0, "PCLD": 3.5, "PCLS": 3.5, "PCLF": 3.5, "PCLIX": 3.5, "PCL": 3.5, "PCLH": 3.0,
    "TERR": 3.0, "CONT": 4.0, "RGN": 3.0, "RGNH": 2.5, "ZN": 2.5, "ADM1": 2.5, "ADM2": 0.8,
    "PPLC": 1.5, "PPLA": 0.8, "PPLA2": 0.4,
}
_MAX_CANDIDATES = 250
_EARTH_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate place and the named parts of its score."""

    place: Place
    score: float
    parts: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome for one span: the chosen place (or ``None``) and why."""

    span: Span
    place: Place | None
    confidence: float
    candidates: tuple[Scored, ...] = ()

    def explain(self, top: int = 5) -> str:
        """A human-readable account of the candidates and why the winner won."""
        head = f"{self.span.text!r} [{self.span.start}:{self.span.end}]"
        if self.place is None:
            return f"{head} -> no place (no candidate in the gazetteer)"
        lines = [f"{head} -> {_label(self.place)} (confidence {self.confidence:.2f})"]
        for s in self.candidates[:top]:
            parts = ", ".join(f"{k} {v:+.2f}" for k, v in s.parts if v)
            lines.append(f"    {s.score:6.2f}  {_label(s.place)}  [{parts}]")
        if len(self.candidates) > top:
            lines.append(f"    ... {len(self.candidates) - top} more candidates")
        return "\n".join(lines)


def _label(p: Place) -> str:
    return (f"{p.name} ({p.country_code or '--'}, {p.feature_code}, pop {p.population:,}, "
            f"id {p.id}, {p.lat:.3f},{p.lon:.3f})")


class Resolver:
    """Resolve spans to places with document context.

    Parameters
    ----------
    gazetteer
        Anything with ``candidates(name, limit=...)`` returning objects with
        ``place`` and ``kind``.
    keep_candidates
        How many scored candidates each :class:`Resolution` keeps for
        explanation.
    """

    def __init__(self, gazetteer, *, keep_candidates: int = 10, rounds: int = 3):
        self.gaz = gazetteer
        self.keep = keep_candidates
        self.rounds = max(1, rounds)

    def resolve(self, spans: list[Span], text: str = "") -> list[Resolution]:
        """Resolve all ``spans`` of one document together.

        A first choice by population and feature alone gives the context for a
        second round; each round's choices give the context for the next, until
        they no longer change (at most ``rounds`` rounds).
        """
        found = [self._candidates(s) for s in spans]
        cands = [[c.place for c in cs] for cs in found]
        keys = [s.key for s in spans]
        static = [_hopefuls(self._static_parts(cs, span, _qualifiers(spans, cands, i, text)))
                  for i, (span, cs) in enumerate(zip(spans, found))]
        current = [max(c, key=_prior_value) if c else None for c in cands]
        scored_all: list[list[Scored]] = []
        for _ in range(self.rounds):
            ctx = _Context(keys, current)
            scored_all = [
                sorted((self._score(p, parts, span.key, ctx, cur) for p, parts in st),
                       key=lambda s: -s.score)
                for span, st, cur in zip(spans, static, current)
            ]
            chosen = [sc[0].place if sc else None for sc in scored_all]
            if all(a is b for a, b in zip(chosen, current)):
                break
            current = chosen
        out = []
        for span, scored in zip(spans, scored_all):
            if not scored:
                out.append(Resolution(span, None, 0.0))
                continue
            best = scored[0]
            z = sum(math.exp(s.score - best.score) for s in scored)
            out.append(Resolution(span, best.place, round(1.0 / z, 4), tuple(scored[:self.keep])))
        return out

    def _candidates(self, span: Span) -> list:
        cs = self.gaz.candidates(span.key, limit=_MAX_CANDIDATES)
        if not span.fuzzy:
            cs = [c for c in cs if case_compatible(span.text, c.matched)]
        if span.kind == "demonym":
            dem = [c for c in cs if c.kind == "demonym"]
            cs = dem or cs
        return cs

    def _static_parts(self, found: list, span: Span, qualifiers: set):
        """The parts of each candidate's score that do not depend on context."""
        cands = [c.place for c in found]
        seats = _seats(cands)
        seat_ids = {p.id for p in seats}
        divisions = [p for p in cands if p.feature_class == "A"
                     and p.feature_code.startswith("ADM")]
        out = []
        for c in found:
            p = c.place
            parts = [("population", math.log10(max(p.population, 0) + 1) * 0.9),
                     ("feature", _FEATURE_BONUS.get(p.feature_code, 0.0))]
            if (c.kind == "alternate" and p.feature_class == "P"
                    and fold(p.name) != span.key):
                # a town known by this name only as an alternate, often a former, name
                parts.append(("alternate name", -1.0))
            if p.source == "curated":
                # curated regions and entities exist because news names them
                parts.append(("curated", 3.0))
            is_division = p.feature_class == "A" and p.feature_code.startswith("ADM")
            if is_division and _is_seat(p, seats):
                # A division named after a large town in it ("Moscow", "Yerevan"):
                # news means the town unless it says "Oblast", "Province"...
                parts.append(("seat", -4.0))
            if p.id in seat_ids and any(_is_seat(a, [p]) for a in divisions):
                # the town a same-named division is named after: its seat ("Geneva")
                parts.append(("seat", 0.8))
            if is_division and fold(p.name) != span.key:
                # "Geneva" for Geneva County: a short form of a division's name
                parts.append(("short form", -1.5))
            if qualifiers and (p.country_code in qualifiers
                               or (p.country_code, p.admin1) in qualifiers):
                parts.append(("qualifier", 4.0))
            out.append((p, tuple(parts)))
        return out

    def _score(self, p: Place, static: tuple, key: str, ctx: _Context,
               current: Place | None) -> Scored:
        group = current.id if current is not None else None
        parts = [*static, ("country", ctx.country_support(p, group, key))]
        if p.feature_code != "ADM1" and not p.feature_code.startswith("PCL"):
            parts.append(("admin1", ctx.admin1_support(p, group, key)))
        parts.append(("nearby", ctx.nearby(p, group, key)))
        return Scored(p, round(sum(v for _, v in parts), 4), tuple(parts))


#: The most context can add to a score (country + admin1 + nearby), plus a
#: margin: a candidate further than this below the best one without context
#: can never win, and is not scored again in every round.
_CONTEXT_MAX = 3.0 + 4.0 + 1.5 + 4.0


def _hopefuls(static: list) -> list:
    """The candidates that context could still make win."""
    if len(static) < 2:
        return static
    totals = [sum(v for _, v in parts) for _, parts in static]
    floor = max(totals) - _CONTEXT_MAX
    return [sp for sp, t in zip(static, totals) if t >= floor]


def _seats(places: list[Place]) -> list[Place]:
    """The sizeable towns among one name's candidates."""
    return [p for p in places if p.feature_class == "P" and p.population >= 50_000]


def _is_seat(admin: Place, towns: list[Place]) -> bool:
    """Is ``admin`` named after one of ``towns`` in it or around it?"""
    return any(t.country_code == admin.country_code
               and ((t.admin1 and t.admin1 == admin.admin1)
                    or _km(t.lat, t.lon, admin.lat, admin.lon) < 150)
               for t in towns)


def _prior_value(p: Place) -> float:
    return math.log10(max(p.population, 0) + 1) * 0.9 + _FEATURE_BONUS.get(p.feature_code, 0.0)


class _Context:
    """What the rest of the document says: countries, divisions, points.

    Each mention has a key (its folded name) and a group (the place it is
    currently resolved to). Support for a span leaves out every mention with
    its key or in its group, so that "Dublin" and "Dublin City" do not vouch
    for each other.
    """

    def __init__(self, keys: list[str], places: list[Place | None]):
        self.total = 0
        self.cc, self.a1 = _Counts(), _Counts()
        self.size, self.points = _Counts(), {}
        self._nearby: dict = {}
        for key, p in zip(keys, places):
            if p is None:
                continue
            group = p.id
            self.total += 1
            self.size.add(group, key, None)
            if p.country_code:
                self.cc.add(group, key, p.country_code)
                if p.admin1:
                    self.a1.add(group, key, (p.country_code, p.admin1))
            if not _is_area(p):
                self.points.setdefault(group, (key, p.lat, p.lon))

    def _others(self, group, key) -> int:
        return self.size.count(group, key, None)

    def country_support(self, p: Place, group, key: str) -> float:
        others = self._others(group, key)
        if not others or not p.country_code:
            return 0.0
        n = self.cc.count(group, key, p.country_code)
        return 0.0 if n == 0 else round(0.5 + 2.5 * n / others, 4)

    def admin1_support(self, p: Place, group, key: str) -> float:
        others = self._others(group, key)
        if not others or not p.admin1:
            return 0.0
        n = self.a1.count(group, key, (p.country_code, p.admin1))
        return 0.0 if n == 0 else round(1.0 + 3.0 * n / others, 4)

    def nearby(self, p: Place, group, key: str) -> float:
        if _is_area(p):
            return 0.0
        memo = (p.id, group, key)
        if memo in self._nearby:
            return self._nearby[memo]
        best = math.inf
        for g, (k, lat, lon) in self.points.items():
            if g != group and k != key and abs(lat - p.lat) < 4.5:   # 4.5 degrees > 500 km
                best = min(best, _km(p.lat, p.lon, lat, lon))
        self._nearby[memo] = value = _nearby_score(best)
        return value


def _nearby_score(best: float) -> float:
    """Spatial coherence: how close the nearest other mentioned place is."""
    if best < 50:
        return 1.5
    if best < 200:
        return 1.0
    if best < 500:
        return 0.4
    return 0.0


class _Counts:
    """Counts of values, able to leave out one group and one key."""

    def __init__(self) -> None:
        self.all: Counter = Counter()
        self.by_group: Counter = Counter()
        self.by_key: Counter = Counter()
        self.both: Counter = Counter()

    def add(self, group, key, value) -> None:
        self.all[value] += 1
        self.by_group[(group, value)] += 1
        self.by_key[(key, value)] += 1
        self.both[(group, key, value)] += 1

    def count(self, group, key, value) -> int:
        """How often ``value`` occurs outside ``group`` and ``key``."""
        return (self.all[value] - self.by_group[(group, value)] - self.by_key[(key, value)]
                + self.both[(group, key, value)])


def _is_area(p: Place) -> bool:
    return p.feature_class in ("A", "L") or p.feature_code in ("CONT",)


def _qualifiers(spans, cands, idx, text) -> set:
    """Country codes and (country, admin1) pairs named right after span ``idx``.

    "Springfield, Illinois" qualifies Springfield by Illinois's division.
    """
    if idx + 1 >= len(spans):
        return set()
    span, nxt = spans[idx], spans[idx + 1]
    gap = text[span.end:nxt.start]
    if gap.strip() not in (",", "(") or len(gap) > 3:
        return set()
    out: set = set()
    for q in cands[idx + 1]:
        if q.feature_code.startswith("PCL"):
            out.add(q.country_code)
        elif q.feature_code == "ADM1" and q.admin1:
            out.add((q.country_code, q.admin1))
    return out


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))
