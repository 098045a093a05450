"""Document focus: where the events a document reports happened.

One row per document: a country, an admin1 (first-level division) and a
place, with a confidence and the evidence, from an explainable score over
the document's resolved mentions (CLIFF-CLAVIN's "focus", made to ignore the
places that only speak or act):

1. **Votes.** Each resolved mention votes with weight 1, doubled
   (:data:`LEAD_BONUS`) when it stands in the lead (the first
   :data:`LEAD_CHARS` characters: headline, dateline, first paragraph) and
   doubled again (:data:`EVENT_BONUS`) when an event word (the ``violence``
   words of :mod:`geomap.categories` and :data:`EVENT_WORDS`) stands within
   :data:`EVENT_WINDOW` characters of it in its sentence.
2. **Metonyms are left out.** A place named as an agent -- followed by a
   reporting or agent verb ("Moscow said", "Kyiv has acknowledged",
   "Russia's defence ministry claimed"), by ``-backed``/``-led``, or by
   "government"/"authorities" ("the Bangui government") -- votes for
   nothing: where a capital speaks is not where the shelling was.
3. **Country.** The country with the most votes; every mention votes for
   its place's country; a demonym ("Ukrainian") votes for its country only,
   at :data:`DEMONYM_WEIGHT`; the dateline ("KHARKIV, Ukraine (AP) --")
   votes with weight :data:`DATELINE_WEIGHT` (where the story was filed, often a
   capital far from the events). A country that only one name supports (however
   often it is repeated: its resolutions are one decision, right or wrong
   together), while another country has two or more independent supports
   (distinct places, the country's name, a demonym), counts
   :data:`UNCORROBORATED_FACTOR` of its votes: a name resolved to a town
   abroad ("Nasir" to a town in Turkey) does not outvote a region and a
   town of the country the story is about.
4. **Place.** Among the sub-national places of that country: own votes,
   plus :data:`NEAR_SHARE` of the votes of the other places within
   :data:`NEAR_KM` (a front line is reported as a cluster of villages), plus
   :data:`CONTAIN_SHARE` of the votes of a named admin1 containing it
   ("Kharkiv region" supports Vovchansk). Areas (admin units, regions) count
   :data:`AREA_FACTOR` of that, so a town beats the unit around it when they
   agree, and a country never is the place while a place in it is named.
   The dateline votes for a place at :data:`DATELINE_PLACE_WEIGHT`: wire
   copy is often filed from a capital far from the events.
5. **Admin1** is the chosen place's first-level division (the gazetteer's
   admin1 code and name), else the division with the most votes.

``confidence`` is the place's share of all candidate places' scores (the
country's share of the votes when no sub-national place is named);
``country_confidence`` the country's share of all country votes.

Examples
--------
>>> from gazetteer.place import Place
>>> from geomap.mentions import Mention
>>> text = "Moscow said its troops shelled Vovchansk, where two people were killed."
>>> moscow = Place(524901, "Moscow", 55.75, 37.62, "RU", "P", "PPLC")
>>> vovchansk = Place(689304, "Vovchansk", 50.29, 36.94, "UA", "P", "PPL", admin1="07")
>>> ms = [Mention("d", 0, 6, "Moscow", moscow, sentence=text),
...       Mention("d", 31, 40, "Vovchansk", vovchansk, sentence=text)]
>>> f = focus_of(ms)
>>> f.country_code, f.place_name, f.metonyms
('UA', 'Vovchansk', 'Moscow said')
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from gazetteer.place import Place
from geomap.mentions import Mention

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FOCUS_COLUMNS", "DocumentFocus", "focus", "focus_of", "focus_rows", "is_agent",
           "is_dateline", "event_words", "format_focus", "EVENT_WORDS"]

#: Characters from the start of a document that make its lead.
LEAD_CHARS = 300
#: Extra weight (times the base weight 1) of a mention in the lead.
LEAD_BONUS = 1.0
#: Extra weight of a mention with an event word within EVENT_WINDOW characters.
EVENT_BONUS = 1.0
#: How far (characters, either side, within the mention's sentence) event words count.
EVENT_WINDOW = 100
#: Weight of a demonym's vote for its country (it names no place in it).
DEMONYM_WEIGHT = 0.5
#: Share of the votes of other places within NEAR_KM that a place receives.
NEAR_SHARE = 0.5
NEAR_KM = 50.0
#: Share of the votes of a named admin1 (or admin2) that a place inside it receives.
CONTAIN_SHARE = 0.5
#: Factor on the score of an area (admin unit, region) as a candidate place.
AREA_FACTOR = 0.8
#: Weight of the dateline's vote (no lead or event bonus: it says where the story was
#: filed, and the words after it are the story's).
DATELINE_WEIGHT = 1.0
#: Factor on the dateline's vote for a place (its vote for the country is whole).
DATELINE_PLACE_WEIGHT = 0.5
#: Factor on the votes of a country only one name supports, when another has two.
UNCORROBORATED_FACTOR = 0.25

#: Event words beyond the ``violence`` words of :mod:`geomap.categories`: what
#: happens at a front or a camp (a trailing ``*`` matches any ending).
EVENT_WORDS: tuple[str, ...] = (
    "captur*", "recaptur*", "seiz*", "advanc*", "retak*", "retook", "overran", "overrun",
    "fell", "occup*", "besieg*", "encircl*", "front", "frontline*", "front-line",
    "struck", "hit", "target*", "pound*", "destroy*", "damag*", "burn*", "torch*",
    "loot*", "abduct*", "kidnap*", "murder*", "gunmen", "terrorist*", "jihadist*",
    "displac*", "fled", "flee*", "evacuat*", "civilian*", "casualt*", "explosive*",
    "landmine*", "mortar*", "airstrike*", "air strike*", "shelling", "fighting",
)

#: Verbs of a place named as an agent ("Moscow said"), after optional
#: auxiliaries and up to three words of an agent noun phrase.
_AGENT_VERBS = (
    "said|says|say|saying|announced|announces|accused|accuses|claimed|claims|denied|denies|"
    "warned|warns|condemned|condemns|demanded|demands|urged|urges|stated|states|insisted|"
    "insists|rejected|rejects|vowed|vows|threatened|threatens|blamed|blames|confirmed|"
    "confirms|acknowledged|acknowledges|alleged|alleges|responded|declared|declares|"
    "dismissed|reported|reports|told|called|calls|sent|sends|summoned|protested|"
    "criticised|criticized|welcomed|promised|pledged|asked|appealed|decided|agreed"
)
_AGENT_NOUNS = (
    "defen[cs]e|foreign|interior|military|army|armed|forces?|government|ministry|ministers?|"
    "president|presidency|prime|leaders?|officials?|authorities|spokes(?:wo)?man|"
    "spokesperson|command|general|staff|regime|administration|embassy|mission|state|media|"
    "news|agency|has|have|had|would|will|also|later|then|on|had|previously|repeatedly|"
    "\\w+day|[a-z]+ly"
)
_AGENT_AFTER = re.compile(
    r"(?:['’]s?)?(?:\s+(?:" + _AGENT_NOUNS + r")){0,4}\s+(?:" + _AGENT_VERBS + r")\b"
    r"|-(?:backed|led|supported|sponsored|aligned|allied|brokered|funded|armed)\b"
    r"|\s+(?:government|authorities|regime)\b",
    re.IGNORECASE,
)
#: A dateline after its place: optional ", Country" or "/OTHER", optional
#: "(Agency)", then a dash or colon.
_DATELINE_AFTER = re.compile(
    r"(?:\s*[,/]\s*[A-Z][\w.’' -]{0,30}?)?(?:\s*\([^()\n]{1,40}\))?"
    r"(?:\s*[:–—]|\s+-|(?<=\))\s*-)")


def is_agent(after: str) -> bool:
    """Whether the text right after a place name makes it an agent (a metonym).

    Examples
    --------
    >>> is_agent(" said on Sunday"), is_agent("'s defence ministry claimed"), is_agent("-backed")
    (True, True, True)
    >>> is_agent(" overnight, officials said"), is_agent("'s port was hit")
    (False, False)
    """
    return bool(_AGENT_AFTER.match(after))


def is_dateline(before: str, after: str) -> bool:
    """Whether a place name stands as a dateline: at the start of a line, followed by
    an optional ", Country", an optional "(Agency)" and a dash or colon.

    Examples
    --------
    >>> is_dateline("", ", Ukraine (AP) — Russian"), is_dateline("Title\\n", ":  Gunmen")
    (True, True)
    >>> is_dateline("Talks in ", " - a city"), is_dateline("", "-led forces")
    (False, False)
    """
    line = before.rsplit("\n", 1)[-1]
    return not line.strip() and bool(_DATELINE_AFTER.match(after))


@lru_cache(maxsize=1)
def _event_pattern() -> re.Pattern:
    from geomap.categories import load_words

    words = [*load_words().get("violence", ()), *EVENT_WORDS]
    alternatives = sorted({re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "")
                           for w in words if w.strip("*")}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def event_words(text: str) -> list[str]:
    """The event words in ``text``, lower-cased, in order.

    Examples
    --------
    >>> event_words("Drones struck a school; three were killed.")
    ['drones', 'struck', 'killed']
    """
    return [m.group(0).lower() for m in _event_pattern().finditer(text)]


#: Columns of the focus table, in order.
FOCUS_COLUMNS: tuple[str, ...] = (
    "doc", "country_code", "country_name", "country_id", "admin1_code", "admin1_name",
    "admin1_id", "place_id", "place_name", "geonameid", "feature_code", "lat", "lon",
    "confidence", "country_confidence", "mentions", "country_mentions", "place_mentions",
    "dateline", "event_words", "metonyms", "evidence",
)


@dataclass(frozen=True, slots=True)
class DocumentFocus:
    """Where one document's events happened, and why geomap thinks so.

    Parameters
    ----------
    doc : str
        Document id.
    country_code, country_name, country_id
        ISO 3166-1 alpha-2 code, name and place id of the country.
    admin1_code, admin1_name, admin1_id
        GeoNames admin1 code (``"UA.07"``), name and place id of the
        first-level division, when known.
    place_id, place_name, geonameid, feature_code, lat, lon
        The focus place: the most specific place named where the events
        happened (the admin1 or the country when no place in it is named).
    confidence, country_confidence : float
        0..1: the place's share of the candidate places' scores, and the
        country's share of the country votes.
    mentions, country_mentions, place_mentions : int
        Resolved mentions that voted, those in the focus country, those of
        the focus place.
    dateline : str or None
        The dateline as written.
    event_words : str
        The event words near the focus place's mentions, ``", "``-joined.
    metonyms : str
        The agent mentions left out ("Moscow said"), ``"; "``-joined.
    evidence : str
        The scores behind the choice, in words.
    """

    doc: str
    country_code: str | None = None
    country_name: str | None = None
    country_id: int | None = None
    admin1_code: str | None = None
    admin1_name: str | None = None
    admin1_id: int | None = None
    place_id: int | None = None
    place_name: str | None = None
    geonameid: int | None = None
    feature_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float = 0.0
    country_confidence: float = 0.0
    mentions: int = 0
    country_mentions: int = 0
    place_mentions: int = 0
    dateline: str | None = None
    event_words: str = ""
    metonyms: str = ""
    evidence: str = "no resolved place mention"

    def as_record(self) -> dict:
        """The focus as one row of the focus table (:data:`FOCUS_COLUMNS`)."""
        return asdict(self)


@dataclass
class _Vote:
    """One resolved mention's vote (private, mutable while scoring)."""

    mention: Mention
    place: Place  # the mention's place (never ``None``: only resolved mentions vote)
    weight: float
    lead: bool
    events: list[str]
    dateline: bool = False
    agent: bool = False
    demonym: bool = False


@dataclass
class _Candidate:
    place: Place
    own: float = 0.0
    votes: list[_Vote] = field(default_factory=list)
    score: float = 0.0
    why: str = ""


def _context(m: Mention) -> tuple[str, str]:
    """The mention's sentence context before and after it (empty when it has none)."""
    s = m.sentence if isinstance(m.sentence, str) else ""
    at = m.start - (m.sentence_start if isinstance(m.sentence_start, int) else 0)
    end = at + (m.end - m.start)
    if not s or at < 0 or end > len(s):
        return "", ""
    return s[:at], s[end:]


def _vote(m: Mention, place: Place) -> _Vote:
    before, after = _context(m)
    near = before[-EVENT_WINDOW:] + " " + after[:EVENT_WINDOW]
    events = event_words(near)
    lead = m.start < LEAD_CHARS
    demonym = "demonym" in str(m.kind).lower()
    dateline = lead and not demonym and is_dateline(before, after)
    if dateline:  # where the story was filed: the words after it are the story's
        return _Vote(m, place, DATELINE_WEIGHT, lead, [], dateline=True)
    weight = 1.0 * (1.0 + (LEAD_BONUS if lead else 0.0)) * (
        1.0 + (EVENT_BONUS if events else 0.0))
    return _Vote(m, place, weight, lead, events, agent=not demonym and is_agent(after),
                 demonym=demonym)


def _is_area(p: Place) -> bool:
    return p.feature_class in ("A", "L") or p.feature_code.startswith("ADM")


def _km(a: Place, b: Place) -> float:
    from gazetteer.distance import haversine_km

    return haversine_km(a.lat, a.lon, b.lat, b.lon)


class _Units(Protocol):
    """What the focus reads from a gazetteer: country and admin1 places."""

    def country(self, code: str) -> Place | None: ...

    def admin(self, country_code: str | None, admin1: str) -> Place | None: ...


class _Names:
    """Country and admin1 names and places from the gazetteer, cached."""

    def __init__(self, gazetteer: _Units | None) -> None:
        self.gaz = gazetteer
        self._country: dict[str, Place | None] = {}
        self._admin: dict[tuple[str, str], Place | None] = {}

    def country(self, code: str) -> Place | None:
        if code not in self._country:
            self._country[code] = self.gaz.country(code) if self.gaz is not None else None
        return self._country[code]

    def admin1(self, code: str, admin1: str) -> Place | None:
        key = (code, admin1)
        if key not in self._admin:
            self._admin[key] = (self.gaz.admin(code, admin1) if self.gaz is not None
                                else None)
        return self._admin[key]


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def focus_of(mentions: Sequence[Mention], gazetteer=None, *, doc: str | None = None
             ) -> DocumentFocus:
    """The focus of one document from its mentions (in text order).

    Parameters
    ----------
    mentions : sequence of Mention
        The document's mentions, with their ``sentence`` context (as the
        pipeline gives them); unresolved ones are ignored.
    gazetteer : gazetteer.Gazetteer, optional
        For country and admin1 names and places; without it, only codes.
    doc : str, optional
        Document id (default: that of the first mention).

    Returns
    -------
    DocumentFocus
    """
    names = gazetteer if isinstance(gazetteer, _Names) else _Names(gazetteer)
    doc_id = doc if doc is not None else (mentions[0].doc if mentions else "")
    votes = [_vote(m, m.place) for m in mentions if m.place is not None]
    if not votes:
        return DocumentFocus(doc_id)
    used = [v for v in votes if not v.agent]
    metonyms = "; ".join(dict.fromkeys(
        v.mention.text + _first_word(_context(v.mention)[1]) for v in votes if v.agent))
    dateline = next((v.mention.text for v in votes if v.dateline), None)

    # country
    country_votes: dict[str, float] = defaultdict(float)
    supports: dict[str, set[int]] = defaultdict(set)
    for v in used:
        cc = v.place.country_code
        if cc:
            country_votes[cc] += v.weight * (DEMONYM_WEIGHT if v.demonym else 1.0)
            supports[cc].add(v.place.id)
    if any(len(s) > 1 for s in supports.values()):
        for code, s in supports.items():
            if len(s) == 1:
                country_votes[code] *= UNCORROBORATED_FACTOR
    if not country_votes:
        return DocumentFocus(doc_id, mentions=len(used), dateline=dateline, metonyms=metonyms,
                             evidence="no mention in a country")
    cc = max(country_votes, key=lambda c: (country_votes[c], -_first(used, c)))
    total = sum(country_votes.values())
    in_country = [v for v in used if v.place.country_code == cc]

    # places in that country
    cands: dict[int, _Candidate] = {}
    for v in in_country:
        p = v.place
        if v.demonym or p.is_country:
            continue
        c = cands.setdefault(p.id, _Candidate(p))
        c.own += v.weight * (DATELINE_PLACE_WEIGHT if v.dateline else 1.0)
        c.votes.append(v)
    for c in cands.values():
        near = sum(o.own for o in cands.values()
                   if o is not c and not _is_area(o.place) and _km(c.place, o.place) <= NEAR_KM)
        within = sum(o.own for o in cands.values()
                     if o is not c and _contains(o.place, c.place))
        c.score = (c.own + NEAR_SHARE * near + CONTAIN_SHARE * within) * (
            AREA_FACTOR if _is_area(c.place) else 1.0)
        c.why = (f"own {_f(c.own)}" + (f" + nearby {_f(NEAR_SHARE * near)}" if near else "")
                 + (f" + containing unit {_f(CONTAIN_SHARE * within)}" if within else "")
                 + (f", x{AREA_FACTOR} as an area" if _is_area(c.place) else ""))
    country_place = names.country(cc)
    country_name = country_place.name if country_place else None
    country_share = country_votes[cc] / total
    evidence = [f"country {cc}: {_f(country_votes[cc])} of {_f(total)} votes "
                f"({len(in_country)} of {len(used)} mentions)"]
    if cands:
        best = max(cands.values(), key=lambda c: (c.score, -c.votes[0].mention.start))
        place: Place | None = best.place
        confidence = best.score / sum(c.score for c in cands.values())
        words = list(dict.fromkeys(w for v in best.votes for w in v.events))
        evidence.append(f"place {best.place.name}: {_f(best.score)} ({best.why}; "
                        f"{len(best.votes)} mentions, {sum(v.lead for v in best.votes)} "
                        f"in the lead) of {_f(sum(c.score for c in cands.values()))} over "
                        f"{len(cands)} places")
        n_place = len(best.votes)
    else:
        place, confidence, words, n_place = country_place, country_share, [], 0
        evidence.append("no place named inside the country")
    admin1_code = admin1_name = admin1_id = None
    a1 = place.admin1 if place is not None and not place.is_country else None
    if a1 is None:
        a1 = _top_admin1(in_country)
    if a1 is not None:
        unit = names.admin1(cc, a1)
        admin1_code = f"{cc}.{a1}"
        admin1_name = unit.name if unit else None
        admin1_id = unit.id if unit else None
        if place is None:
            place = unit
    if dateline:
        evidence.append(f"dateline {dateline}")
    if metonyms:
        evidence.append(f"left out: {metonyms}")
    return DocumentFocus(
        doc=doc_id,
        country_code=cc,
        country_name=country_name,
        country_id=country_place.id if country_place else None,
        admin1_code=admin1_code,
        admin1_name=admin1_name,
        admin1_id=admin1_id,
        place_id=place.id if place else None,
        place_name=place.name if place else None,
        geonameid=place.geonameid if place else None,
        feature_code=place.feature_code if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        confidence=round(confidence, 3),
        country_confidence=round(country_share, 3),
        mentions=len(used),
        country_mentions=len(in_country),
        place_mentions=n_place,
        dateline=dateline,
        event_words=", ".join(words),
        metonyms=metonyms,
        evidence="; ".join(evidence),
    )


def _first_word(after: str) -> str:
    m = re.match(r"(?:['’]s)?\s+\S+|-\w+", after)
    return m.group(0) if m else ""


def _first(votes: list[_Vote], cc: str) -> int:
    return next(v.mention.start for v in votes if v.place.country_code == cc)


def _contains(unit: Place, p: Place) -> bool:
    """Whether admin unit ``unit`` (ADM1/ADM2) contains place ``p`` by admin codes."""
    if unit.id == p.id or unit.country_code != p.country_code or unit.admin1 is None:
        return False
    if unit.feature_code == "ADM1":
        return p.admin1 == unit.admin1
    if unit.feature_code == "ADM2":
        return p.admin1 == unit.admin1 and unit.admin2 is not None and p.admin2 == unit.admin2
    return False


def _top_admin1(votes: list[_Vote]) -> str | None:
    tally: dict[str, float] = defaultdict(float)
    for v in votes:
        a1 = v.place.admin1
        if a1 and not v.demonym:
            tally[a1] += v.weight
    return max(tally, key=tally.__getitem__) if tally else None


def _mentions_of(mentions, gazetteer) -> Iterable[tuple[str, list[Mention]]]:
    """``(doc, mentions)`` in input order, from Mention objects or a mention table."""
    if hasattr(mentions, "columns"):
        yield from _frame_mentions(mentions, gazetteer)
        return
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if not isinstance(m, Mention):
            from geomap.errors import InputTypeError

            raise InputTypeError(f"Expected Mention objects or a mention table, instead got: "
                                 f"{type(m).__name__}")
        groups.setdefault(m.doc, []).append(m)
    yield from groups.items()


def _frame_mentions(df, gazetteer) -> Iterable[tuple[str, list[Mention]]]:
    from geomap.errors import InputError

    missing = {"doc", "start", "end", "text", "place_id"} - set(df.columns)
    if missing:
        raise InputError(f"The mention table lacks the column(s) {', '.join(sorted(missing))}")
    places: dict[int, Place | None] = {}

    def place(row) -> Place | None:
        pid = row.get("place_id")
        if pid is None or (isinstance(pid, float) and math.isnan(pid)) or _is_na(pid):
            return None
        pid = int(pid)
        if pid not in places:
            known = gazetteer.get(pid) if gazetteer is not None else None
            places[pid] = known or _row_place(row, pid)
        return places[pid]

    groups: dict[str, list[Mention]] = {}
    for row in df.to_dict("records"):
        doc = str(row["doc"])
        sentence = row.get("sentence")
        at = row.get("sentence_start")
        groups.setdefault(doc, []).append(Mention(
            doc=doc, start=int(row["start"]), end=int(row["end"]), text=str(row["text"]),
            place=place(row), kind=str(row.get("kind") or "name"),
            sentence=sentence if isinstance(sentence, str) else "",
            sentence_start=int(at) if isinstance(at, int | float) and not _is_na(at) else 0))
    yield from groups.items()


def _is_na(value) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _row_place(row, pid: int) -> Place | None:
    """A place from the columns of a mention table row (when the gazetteer lacks it)."""
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None or _is_na(lat) or _is_na(lon):
        return None
    gid = row.get("geonameid")
    return Place(id=pid, name=str(row.get("name") or ""), lat=float(lat), lon=float(lon),
                 country_code=row.get("country_code") or None,
                 feature_class=str(row.get("feature_class") or "P"),
                 feature_code=str(row.get("feature_code") or "PPL"),
                 geonameid=None if gid is None or _is_na(gid) else int(gid),
                 admin1=row.get("admin1_code") or None)


def _open(gazetteer):
    """``(store, whether we opened it)`` for a store, a path or ``None`` (the default)."""
    if gazetteer is not None and hasattr(gazetteer, "admin"):
        return gazetteer, False
    from gazetteer import Gazetteer

    return Gazetteer.open(gazetteer, progress=False), True


def focus_rows(mentions, *, gazetteer=None, documents: Iterable[str] | None = None
               ) -> list[DocumentFocus]:
    """The focus of each document as :class:`DocumentFocus` values (see :func:`focus`)."""
    gaz, opened = _open(gazetteer)
    try:
        names = _Names(gaz)
        found = {doc: focus_of(ms, names, doc=doc) for doc, ms in _mentions_of(mentions, gaz)}
    finally:
        if opened:
            gaz.close()
    order = list(dict.fromkeys(documents)) if documents is not None else list(found)
    return [found.get(d) or DocumentFocus(d) for d in order]


def focus(mentions, *, gazetteer=None, documents: Iterable[str] | None = None
          ) -> pd.DataFrame:
    """The focus of each document: one row per document (:data:`FOCUS_COLUMNS`).

    Parameters
    ----------
    mentions : pandas.DataFrame or iterable of Mention
        The mention table (:func:`geomap.extract`) or the pipeline's mentions.
        The ``sentence`` context is used for event words, datelines and
        metonyms.
    gazetteer : gazetteer.Gazetteer or path, optional
        The store (default: the one :func:`geomap.extract` uses), for admin1
        codes and names.
    documents : iterable of str, optional
        Document ids to report, in order: a document without mentions gets a
        row without a place ("no resolved place mention"). By default the
        documents of ``mentions``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import geomap                                      # doctest: +SKIP
    >>> df = geomap.extract("news/")                       # doctest: +SKIP
    >>> geomap.focus(df)[["doc", "country_code", "admin1_name", "place_name"]]  # doctest: +SKIP
    """
    import pandas as pd

    rows = [r.as_record() for r in focus_rows(mentions, gazetteer=gazetteer,
                                              documents=documents)]
    df = pd.DataFrame(rows, columns=list(FOCUS_COLUMNS))
    for col in ("country_id", "admin1_id", "place_id", "geonameid"):
        df[col] = df[col].astype("Int64")
    for col in ("lat", "lon", "confidence", "country_confidence"):
        df[col] = df[col].astype("float64")
    return df


def format_focus(rows: Iterable[DocumentFocus], fmt: str, *,
                 neutralize_formulas: bool = True) -> str:
    """Focus rows as CSV (with its header) or JSON Lines, by the mention writer's rules.

    CSV: every text cell quoted and, unless ``neutralize_formulas`` is false, a
    cell a spreadsheet would take for a formula prefixed with ``'``
    (:mod:`geomap.csvcells`); numbers bare. JSON Lines: one record per line
    for any line reader (the line breaks JSON leaves raw escaped).

    Examples
    --------
    >>> print(format_focus([DocumentFocus("=cmd", "UA", lat=50.0)], "csv").splitlines()[1][:24])
    "'=cmd","UA",,,,,,,,,,50
    """
    from geomap.csvcells import text_cell
    from geomap.engines.writer import FORMATS, _encode

    if fmt == "jsonl":
        return "".join(_encode(r.as_record()) + "\n" for r in rows)
    if fmt != "csv":
        raise ValueError(f"Expected a format among {FORMATS}, instead got: {fmt!r}")

    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return text_cell(str(value), neutralize_formulas=neutralize_formulas)
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return float.__repr__(value) if math.isfinite(value) else ""
        return text_cell(str(value), neutralize_formulas=neutralize_formulas)

    lines = [",".join(FOCUS_COLUMNS)]
    lines += [",".join(cell(v) for v in r.as_record().values()) for r in rows]
    return "\n".join(lines) + "\n"
