"""The resolver's model: every weight, threshold and word list resolution uses.

A :class:`ResolverModel` is a frozen, picklable value. The resolution engine
(:class:`geomap.resolve.Resolver`) and its plain reference
(:class:`geomap.resolve_reference.ReferenceResolver`) read every number and
word of the algorithm from it, so that a weight changed here moves both, and a
fitted model can be shipped as a small parameter file
(:meth:`ResolverModel.to_json`, :meth:`ResolverModel.from_json`).

The parts of a candidate's score (see :mod:`geomap.resolve`) and the fields
that weigh them:

=================  ============================================================
part               fields
=================  ============================================================
``population``     :attr:`~ResolverModel.population_weight`
``feature``        :attr:`~ResolverModel.feature_bonus`
``alternate name`` :attr:`~ResolverModel.alternate_name`
``variant``        :attr:`~ResolverModel.variant` (and ``variant_lookup``)
``curated``        :attr:`~ResolverModel.curated`
``seat``           :attr:`~ResolverModel.seat_division`,
                   :attr:`~ResolverModel.seat_town` (and ``seat_population``,
                   ``seat_km``)
``short form``     :attr:`~ResolverModel.short_form`
``qualifier``      :attr:`~ResolverModel.qualifier`
``type word``      :attr:`~ResolverModel.type_bonus`,
                   :attr:`~ResolverModel.article_bonus` and the word lists
``country``        ``country_base + country_share * share of the others``
``neighbour``      ``neighbour_base + neighbour_share * share of the others``
``admin1``         ``admin1_base + admin1_share * share of the others``
``nearby``         :attr:`~ResolverModel.nearby` (distance bands)
``isolated``       :attr:`~ResolverModel.isolated` and the isolation fields
``largest``        :attr:`~ResolverModel.largest`
``other name``     :attr:`~ResolverModel.other_name`
``dateline``       :attr:`~ResolverModel.dateline`
``unsupported``    :attr:`~ResolverModel.unsupported` (and
                   ``unsupported_population``)
``institution``    :attr:`~ResolverModel.institution_bonus` and the word lists
``county``         :attr:`~ResolverModel.county`
=================  ============================================================

Two models: ``ResolverModel()`` holds the hand-set weights of issue 16 (its
issue 17 parts at 0, so it gives that release's answers, but for issue 14's
``unsupported`` rule), and
:data:`DEFAULT_MODEL`, what the resolvers use by default, is that model with
the weights fitted to the development corpora by ``benchmarks/fit_resolver.py``
(a conditional logit over each mention's candidates), read from
``geomap/data/resolver_params.json`` (:meth:`ResolverModel.fitted`).

Adding a part: add its weight here (a field whose default leaves today's
answers unchanged, e.g. ``0.0``, and to :meth:`ResolverModel.most_context`
when it is a context part that can be positive), then the function that
computes it in :mod:`geomap.resolve_reference` (called from
``static_parts`` for a part that needs no context, from ``context_parts``
for one that does), and the same in the engine (:mod:`geomap.resolve`: a
static part in ``_static_parts``, copied into ``_Weights``; a context part
in ``_View.score``, ``_View.outcome`` and the view's bound ``most``), with
the same name and the same place in the order of the parts. The equality
tests (``tests/geomap/test_resolve_reference.py``) then hold the two to the
same numbers; add the new weight to their table of changed weights.

Examples
--------
>>> m = ResolverModel()
>>> m.type_bonus, dict(m.feature_bonus)["PCLI"]
(6.0, 4.0)
>>> heavier = m.replace(type_bonus=8.0)
>>> heavier.type_bonus, heavier == m
(8.0, False)
>>> ResolverModel.from_json(heavier.to_json()) == heavier
True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geomap.errors import ConfigurationError

__all__ = ["ResolverModel", "DEFAULT_MODEL", "HAND_MODEL", "EARTH_KM", "PARAMS_FILE",
           "VARIANT_LOOKUPS"]

#: The fitted weights the default model is made of (``benchmarks/fit_resolver.py``).
PARAMS_FILE = "resolver_params.json"

#: The values of :attr:`ResolverModel.variant_lookup`.
VARIANT_LOOKUPS = ("off", "weak", "always")

#: The mean Earth radius (km) distances are measured with; not a weight.
EARTH_KM = 6371.0088

_A = frozenset({"A"})
_H = frozenset({"H"})
_T = frozenset({"T", "L"})
_S = frozenset({"S"})
_P = frozenset({"P"})

_FEATURE_BONUS: tuple[tuple[str, float], ...] = (
    ("PCLI", 4.0), ("PCLD", 3.5), ("PCLS", 3.5), ("PCLF", 3.5), ("PCLIX", 3.5), ("PCL", 3.5),
    ("PCLH", 3.0), ("TERR", 3.0), ("CONT", 4.0), ("RGN", 3.0), ("RGNH", 2.5), ("ZN", 2.5),
    ("ADM1", 2.5), ("ADM2", 0.8), ("PPLC", 1.5), ("PPLA", 0.8), ("PPLA2", 0.4))

_TYPE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("region", frozenset({"A", "L.RGN", "L.AREA"})), ("oblast", _A), ("province", _A),
    ("governorate", _A), ("state", _A), ("district", _A), ("county", _A), ("prefecture", _A),
    ("department", _A), ("municipality", _A), ("raion", _A), ("rayon", _A), ("krai", _A),
    ("strip", frozenset({"A", "L"})),
    ("river", frozenset({"H.STM"})), ("sea", _H), ("ocean", _H), ("gulf", _H), ("bay", _H),
    ("strait", _H), ("straits", _H), ("lake", _H), ("reservoir", _H), ("canal", _H),
    ("delta", _H),
    ("desert", _T), ("mountains", _T), ("mountain", _T), ("range", _T), ("valley", _T),
    ("gorge", _T), ("peninsula", _T), ("spit", _T), ("island", _T), ("islands", _T),
    ("hills", _T), ("heights", _T),
    ("camp", _S), ("crossing", _S), ("dam", _S), ("bridge", _S), ("airport", _S),
    ("airbase", _S), ("airfield", _S), ("port", frozenset({"L.PRT", "S"})), ("plant", _S),
    ("city", _P), ("town", _P), ("village", _P),
    # "the X" standing alone: water, terrain and areas rather than a town
    ("the", frozenset({"H", "T", "L"})),
)

_PLURAL_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    *((w + "s", w) for w, _ in _TYPE_WORDS if not w.endswith(("s", "y")) and w != "the"),
    ("counties", "county"), ("cities", "city"), ("valleys", "valley"))

_AFTER_ALONE = frozenset({
    "and", "or", "in", "on", "at", "to", "from", "near", "into", "across", "along", "between",
    "with", "by", "as", "was", "is", "were", "are", "has", "had", "which", "that", "where",
    "for", "of", "but", "toward", "towards", "through", "while", "after", "before", "since",
    "south", "north", "east", "west", "itself", "basin", "bank", "banks", "valley"})

#: Words after a name for what local news names after a town or county ("the
#: Berea Police Department", "Columbus Council", "Hanover police"); not what
#: a state or a country has too ("Texas Fire Service", "a Georgia jail").
_INSTITUTION_WORDS = frozenset({
    "police", "policeman", "policemen", "council", "councilman", "councilwoman",
    "councilmen", "councilors", "councillors", "councilor", "councillor", "mayor",
    "firefighters", "selectmen", "aldermen", "township", "rotary", "kiwanis"})
#: ... and pairs of words, capitalised as a proper name ("Paris High School",
#: not "Texas high school football").
_INSTITUTION_PAIRS = frozenset({
    "high school", "middle school", "elementary school", "junior high", "fire department",
    "fire chief", "fire station", "fire marshal", "public library", "public schools",
    "school board", "school district", "city schools", "community center"})
#: ... and after "city", "town", "village", "county" ("Paris City Hall",
#: "Decatur city officials").
_INSTITUTION_CITY_WORDS = frozenset({
    *_INSTITUTION_WORDS, "hall", "officials", "manager", "clerk", "attorney", "commission",
    "limits", "employees", "board", "government", "administrator", "schools"})

_AREAL_CODES = frozenset({
    "CONT", "OCN", "SEA", "GULF", "BAY", "STRT", "STM", "LK", "RSV", "CNL", "DLTA", "DSRT",
    "MTS", "VAL", "PEN", "ISLS", "SPIT", "HLLS", "PLAT"})


@dataclass(frozen=True)
class ResolverModel:
    """The weights, thresholds and word lists of resolution, with their defaults.

    Every field is immutable (numbers, strings, frozensets, tuples of pairs),
    so that a model is hashable and picklable and can reach worker processes.
    Tables that read as mappings are tuples of ``(key, value)`` pairs, kept
    sorted by key.

    Attributes
    ----------
    max_candidates : int
        How many of the gazetteer's candidates for a name are considered.
    population_weight : float
        The ``population`` part is ``population_weight * log10(population + 1)``.
    feature_bonus : tuple of (str, float)
        The ``feature`` part by GeoNames feature code (0 for codes not listed).
    alternate_name : float
        A town matched only by an alternate (often former) name.
    variant : float
        A name matched by its transliteration skeleton only ("el-Fasher").
    curated : float
        A place from the curated file (regions and entities news names).
    seat_division : float
        A division named after a large town in or around it ("Moscow" the
        oblast), unless a type word asks for the division.
    seat_town : float
        The town a same-named division among the candidates is named after.
    seat_population : int
        Towns this populous count as a division's seat.
    seat_km : float
        A seat lies in the division's admin1 or within this distance of it;
        the country's capital is a seat of a division named like it wherever
        it lies ("Washington" the state, "Buenos Aires" the province).
    short_form : float
        A division whose name is longer than the name written ("Geneva" for
        Geneva County).
    qualifier : float
        "City, State": the next mention names the candidate's country or
        first-level division.
    type_bonus : float
        The ``type word`` part: ``+type_bonus`` for candidates of the kind a
        type word selects, ``-type_bonus`` for the others.
    article_bonus : float
        The same for "the X" standing alone (only towns get the minus).
    type_words : tuple of (str, frozenset)
        Type words and the kinds they select, as feature classes (``"A"``) or
        ``class.code`` (``"H.STM"``); the entry ``"the"`` gives the kinds the
        article selects.
    plural_type_words : tuple of (str, str)
        Plurals closing a list of names ("Ulang and Nasir counties"), and
        their type word.
    of_type_words : frozenset of str
        Words that are type words before "of X" ("the city of X").
    town_kinds : frozenset of str
        A type word selecting exactly these kinds counts after a name only
        when capitalised ("Gaza City", not "a Texas city").
    list_gaps : frozenset of str
        What joins the names of a list.
    after_alone : frozenset of str
        Words after "the X" that leave X standing alone.
    article_lookup : str
        The word "the X" standing alone looks up the name with ("X river").
    country_base, country_share : float
        The ``country`` part: ``country_base + country_share * n / others``
        when ``n`` of the ``others`` other mentions lie in the country.
    neighbour_base, neighbour_share : float
        The ``neighbour`` part: ``neighbour_base + neighbour_share * n /
        others`` when no other mention lies in the candidate's country and
        ``n`` of the ``others`` lie in the countries bordering it
        (:func:`gazetteer.neighbours.neighbours`): "Gaza" in an article that
        names Israel. ``0`` and ``0`` switch the part off.
    neighbour_supports : bool
        Whether a candidate with the ``neighbour`` part counts as supported
        by the document, so that the ``isolated`` rule leaves it alone, as it
        does a candidate in a mentioned country. The ``unsupported`` rule
        still applies: a small place needs support from its own country,
        division or a place near it.
    admin1_base, admin1_share : float
        The ``admin1`` part, the same for the first-level division.
    nearby : tuple of (float, float)
        ``(km, score)`` bands, nearest first: the ``nearby`` part is the score
        of the first band the distance to another mentioned place is below.
    isolated : float
        The ``isolated`` part of a lone far-away candidate.
    isolated_confidence : float
        What a chosen isolated place's confidence is multiplied by.
    isolation_min_others : int
        Isolation needs at least this many other mentions.
    isolation_population : int
        Places this populous (and capitals) keep their confidence isolated.
    destination_population : int
        Towns this populous are never isolated.
    minor_divisions : frozenset of str
        Divisions that isolation judges by their point, as it does towns.
    areal_codes : frozenset of str
        Feature codes outside classes A and L that are areas (no point for
        distances).
    largest : float
        The ``largest`` part: the most populous of a name's candidates (with
        a recorded population; all of them on a tie).
    other_name : float
        The ``other name`` part: a candidate whose own name is not the name
        written (matched by an alternate name, an abbreviation, a short form).
    dateline : float
        The ``dateline`` part: for a name opening the text or a line and
        followed by a comma, a bracket or a dash ("GENEVA (Reuters) -"), the
        most populous of its candidates.
    unsupported : float
        The ``unsupported`` part of a small place the document does not
        support: a point place with fewer than ``unsupported_population``
        people (none recorded), no feature bonus (not a capital, seat or
        division) and not curated, without a qualifier or type word asking for
        it ("X, Y", "the village of X"), no other mention in its country or
        first-level division and none near it. Such a place still winning is
        withheld (no place). With millions of villages in a store (``geomap
        gazetteer add``) most share a name with a place the article is not
        about. ``0`` switches the rule off.
    unsupported_population : int
        Places with fewer people than this are small (1: none recorded).
    variant_lookup : str
        When a name's candidates also include those of the keys sharing its
        transliteration skeleton (the store's ``variant_keys``), each with
        the ``variant`` part: ``"always"``, ``"weak"`` (when the name is
        only an alternate name of its candidates, or of none with a recorded
        population: "Aziziya" is only an alternate name of an Iraqi town,
        while the Libyan town is "Al Aziziyah", "Azizia"), or ``"off"``.
    institution_bonus : float
        The ``institution`` part: a name followed by a word for what local
        news names after a town or county (:attr:`institution_words`: "the
        Berea Police Department", "Columbus Council"; or by one of
        :attr:`institution_pairs`, capitalised: "Paris High School"; or by
        one of :attr:`institution_after` and one of
        :attr:`institution_city_words`: "Athens City Council", "Decatur city
        officials"), or after "mayor of"
        (:attr:`institution_of_words`), says the place is a town or a county:
        ``+institution_bonus`` for a populated place or a division below the
        first level, ``-institution_bonus`` for the others (countries,
        first-level divisions, regions, water...). ``0`` switches it off.
    county : float
        The ``county`` part: a town whose county (second-level division) is
        a candidate of another name in the document ("Paris" and "Henry
        County": Paris, Tennessee lies in Henry County, Tennessee), or a
        county holding a town that is. It reads the other names'
        candidates, not their choices, so that two names that fit together
        lift each other out of a wrong first guess. ``0`` switches it off.
    institution_words, institution_pairs : frozenset of str
        Those words and pairs (lower-case; a pair as two words and a space).
    institution_after, institution_city_words : frozenset of str
        Those words (lower-case).
    institution_of_words : frozenset of str
        Words before "of X" that say the same ("the mayor of X").
    context_margin : float
        Candidates further than the most context can add plus this margin
        below the best score without context are dropped.
    rounds : int
        At most this many context rounds.

    Examples
    --------
    >>> m = ResolverModel(type_bonus=5.0)
    >>> m.type_bonus, ResolverModel().type_bonus
    (5.0, 6.0)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(m)) == m and hash(m) == hash(pickle.loads(pickle.dumps(m)))
    True
    """

    max_candidates: int = 250
    population_weight: float = 0.9
    feature_bonus: tuple[tuple[str, float], ...] = _FEATURE_BONUS
    alternate_name: float = -1.0
    variant: float = -0.5
    curated: float = 3.0
    seat_division: float = -4.0
    seat_town: float = 0.8
    seat_population: int = 50_000
    seat_km: float = 150.0
    short_form: float = -1.5
    qualifier: float = 4.0
    type_bonus: float = 6.0
    article_bonus: float = 4.0
    type_words: tuple[tuple[str, frozenset[str]], ...] = _TYPE_WORDS
    plural_type_words: tuple[tuple[str, str], ...] = _PLURAL_TYPE_WORDS
    of_type_words: frozenset[str] = frozenset({
        "city", "town", "village", "province", "region", "state", "governorate", "district",
        "county"})
    town_kinds: frozenset[str] = _P
    list_gaps: frozenset[str] = frozenset({", ", " and ", ", and ", " or ", " & "})
    after_alone: frozenset[str] = _AFTER_ALONE
    article_lookup: str = "river"
    country_base: float = 0.5
    country_share: float = 2.5
    neighbour_base: float = 0.0
    neighbour_share: float = 0.0
    neighbour_supports: bool = True
    admin1_base: float = 1.0
    admin1_share: float = 3.0
    nearby: tuple[tuple[float, float], ...] = ((50.0, 1.5), (200.0, 1.0), (500.0, 0.4))
    isolated: float = -2.0
    isolated_confidence: float = 0.25
    isolation_min_others: int = 2
    isolation_population: int = 1_000_000
    destination_population: int = 100_000
    minor_divisions: frozenset[str] = frozenset({"ADM2", "ADM3", "ADM4", "ADM5", "ADMD"})
    areal_codes: frozenset[str] = _AREAL_CODES
    largest: float = 0.0
    other_name: float = 0.0
    dateline: float = 0.0
    unsupported: float = -4.0
    unsupported_population: int = 1
    variant_lookup: str = "weak"
    institution_bonus: float = 0.0
    county: float = 0.0
    institution_words: frozenset[str] = _INSTITUTION_WORDS
    institution_pairs: frozenset[str] = _INSTITUTION_PAIRS
    institution_after: frozenset[str] = frozenset({"city", "town", "village"})
    institution_city_words: frozenset[str] = _INSTITUTION_CITY_WORDS
    institution_of_words: frozenset[str] = frozenset({"mayor", "mayors", "sheriff"})
    context_margin: float = 4.0
    rounds: int = field(default=3)

    def __post_init__(self) -> None:
        # tables in one order (by key), so that equal tables make equal models
        for name in _TABLES:
            table = getattr(self, name)
            object.__setattr__(self, name, tuple(sorted(dict(table).items())))
        bands = [km for km, _ in self.nearby]
        if bands != sorted(bands) or any(km <= 0 for km in bands):
            raise ConfigurationError(
                f"ResolverModel.nearby: distances must be positive and ascending, got {bands}")
        if self.variant_lookup not in VARIANT_LOOKUPS:
            raise ConfigurationError(
                f"ResolverModel.variant_lookup: one of {VARIANT_LOOKUPS}, "
                f"got {self.variant_lookup!r}")
        if self.rounds < 1 or self.max_candidates < 1:
            raise ConfigurationError("ResolverModel: rounds and max_candidates must be >= 1")

    def most_context(self) -> float:
        """The most context (country, neighbour, admin1, nearby, isolated) can add to a
        score, plus :attr:`context_margin`: a candidate further than this below
        the best score without context is dropped.

        Examples
        --------
        >>> ResolverModel().most_context()
        12.5
        """
        country = max(0.0, self.country_base, self.country_base + self.country_share)
        neighbour = max(0.0, self.neighbour_base, self.neighbour_base + self.neighbour_share)
        admin1 = max(0.0, self.admin1_base, self.admin1_base + self.admin1_share)
        nearby = max([0.0, *(score for _, score in self.nearby)])
        return (country + neighbour + admin1 + nearby + max(0.0, self.isolated)
                + max(0.0, self.unsupported) + self.context_margin)

    def replace(self, **changes: Any) -> ResolverModel:
        """A copy with ``changes`` (field names and values).

        Examples
        --------
        >>> ResolverModel().replace(qualifier=2.0).qualifier
        2.0
        """
        try:
            return dataclasses.replace(self, **changes)
        except TypeError as e:
            raise ConfigurationError(f"ResolverModel.replace: {e}") from e

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready values: tables as objects, sets as sorted lists.

        Examples
        --------
        >>> d = ResolverModel().to_dict()
        >>> d["feature_bonus"]["PCLI"], d["type_words"]["river"], d["nearby"][0]
        (4.0, ['H.STM'], [50.0, 1.5])
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, frozenset):
                value = sorted(value)
            elif f.name in _TABLES:
                value = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in value}
            elif isinstance(value, tuple):
                value = [list(pair) for pair in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResolverModel:
        """The model of :meth:`to_dict`'s values; missing fields keep their defaults.

        Raises
        ------
        ConfigurationError
            For a field the model does not have, or a value of the wrong shape.

        Examples
        --------
        >>> ResolverModel.from_dict({"isolated": -3.0}).isolated
        -3.0
        """
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigurationError(
                f"ResolverModel: unknown field(s) {unknown}; known: {sorted(known)}")
        values: dict[str, Any] = {}
        try:
            for name, value in data.items():
                default = getattr(_DEFAULTS, name)
                if isinstance(default, frozenset):
                    value = frozenset(str(v) for v in value)
                elif name in _TABLES:
                    value = tuple((str(k), frozenset(v) if name == "type_words" else
                                   (str(v) if name == "plural_type_words" else float(v)))
                                  for k, v in dict(value).items())
                elif isinstance(default, tuple):
                    value = tuple((float(a), float(b)) for a, b in value)
                elif isinstance(default, bool) or isinstance(default, str):
                    value = type(default)(value)
                elif isinstance(default, int):
                    if int(value) != value:
                        raise ValueError(f"{value!r} is not an integer")
                    value = int(value)
                else:
                    value = float(value)
                values[name] = value
        except (TypeError, ValueError) as e:
            raise ConfigurationError(f"ResolverModel field {name!r}: {e}") from e
        return cls(**values)

    @classmethod
    def fitted(cls, text: str | None = None) -> ResolverModel:
        """The hand-set model with the fitted weights of a parameter file.

        Parameters
        ----------
        text : str, optional
            The file's text: a JSON object whose ``"weights"`` are fields and
            values as :meth:`from_dict` takes them (its ``"fit"`` says how
            they were fitted); by default the packaged
            ``geomap/data/resolver_params.json``.

        Raises
        ------
        ConfigurationError
            When the file is not such an object.

        Examples
        --------
        >>> ResolverModel.fitted('{"weights": {"largest": 1.5}}').largest
        1.5
        >>> ResolverModel.fitted() == DEFAULT_MODEL
        True
        """
        if text is None:
            from importlib.resources import files

            text = files("geomap.data").joinpath(PARAMS_FILE).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ConfigurationError(f"{PARAMS_FILE}: not JSON: {e}") from e
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
            raise ConfigurationError(f"{PARAMS_FILE}: no object of \"weights\"")
        return cls.from_dict(data["weights"])

    def to_json(self) -> str:
        """The model as a JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ResolverModel:
        """The model of a JSON text (see :meth:`from_dict`).

        Raises
        ------
        ConfigurationError
            When the text is not a JSON object of the model's fields.
        """
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ConfigurationError(f"ResolverModel: not JSON: {e}") from e
        if not isinstance(data, dict):
            raise ConfigurationError("ResolverModel: the JSON is not an object of fields")
        return cls.from_dict(data)


#: The tables kept as tuples of pairs and written as JSON objects.
_TABLES = frozenset({"feature_bonus", "type_words", "plural_type_words"})

#: The hand-set model (issue 16's weights; the new parts at 0).
HAND_MODEL = ResolverModel()
_DEFAULTS = HAND_MODEL
#: The default model: the hand-set one with the fitted weights (:meth:`ResolverModel.fitted`).
DEFAULT_MODEL = ResolverModel.fitted()
