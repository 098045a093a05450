"""The recogniser's model: every threshold and word list recognition uses, by name.

A :class:`RecognizerModel` is a frozen, picklable value. Both
implementations of recognition read it: the engine
(:class:`geomap.recognize.Recognizer`, compiled) and the reference
(:class:`geomap.recognize_reference.ReferenceRecognizer`, plain Python), so
a threshold changed here, or a word added to a list, changes both alike,
compiled or not. ``disabled`` switches rules off by their ids
(:mod:`geomap.rules`).

Examples
--------
>>> from dataclasses import replace
>>> model = RecognizerModel()
>>> model.common_word_zipf, "president" in model.titles
(4.3, True)
>>> stricter = replace(model, common_word_zipf=4.0, disabled=frozenset({"person-name"}))
>>> stricter.enabled("person-name"), stricter.enabled("acronym")
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geomap import wordlists as w
from geomap.errors import ConfigurationError
from geomap.frequencies import MIN_ZIPF

__all__ = ["RecognizerModel"]

#: The fields holding a Zipf threshold, each compared with ``>=`` to a word's
#: frequency, which is known only from ``MIN_ZIPF`` up.
_ZIPF_FIELDS = ("common_word_zipf", "very_common_word_zipf", "sentence_start_zipf",
                "person_word_zipf", "fuzzy_max_zipf", "variant_max_zipf")


@dataclass(frozen=True)
class RecognizerModel:
    """The configuration of recognition: thresholds, word lists and the rules switched off.

    Parameters
    ----------
    common_word_zipf
        A single word this common in English (Zipf scale) is a place only
        when one of its candidates is prominent ("Enter", "Will").
    very_common_word_zipf
        A single word this common is a place only when it names a country or
        region ("Of", "Was").
    sentence_start_zipf
        At the start of a sentence or in a headline, a word this common is a
        place only when one of its candidates is prominent.
    person_word_zipf
        A capitalised word this common before another is a person's first
        name only when it does not start its sentence ("Two Richmond officers").
    max_name_tokens
        The most tokens a name may span (the gazetteer's own maximum bounds it too).
    short_word_length
        Words of at most this many letters, not in capitals, are places only
        when prominent ("Bar", "Sur").
    acronym_length
        All-capital tokens of at most this many letters must match an abbreviation.
    prominent_population
        A town this populous, known by this very name, is prominent.
    fuzzy_min_length, fuzzy_max_zipf, fuzzy_max_tokens
        A typo is looked for in a run of at most ``fuzzy_max_tokens`` tokens
        whose folded text has ``fuzzy_min_length`` characters or more and is
        rarer than ``fuzzy_max_zipf``, among the prominent names that long.
    variant_min_length, variant_max_zipf, variant_max_tokens, variant_min_population
        A run of at most ``variant_max_tokens`` tokens, folded to at least
        ``variant_min_length`` characters and rarer than ``variant_max_zipf``
        in English, is matched by its transliteration skeleton, to a town of
        ``variant_min_population`` or another notable place.
    organisation_max_tokens
        The longest listed organisation name looked for, in tokens.
    organisation_max_middle
        How many capitalised words may stand between a place and the head word
        that ends an organisation's name ("Kachin Independence Army").
    connectors, titles, place_words, institutions, time_words, modifiers, stopwords, \
speech_verbs, disease_words, disease_adjectives, place_suffixes, route_words, saints, \
dedications, org_heads, army_heads, group_words, ship_prefixes, locatives, feature_generics, \
back_references, article_words, function_words, name_links, prominent_codes, country_like_codes
        The word lists (documented in :mod:`geomap.wordlists`, whose values
        are the defaults).
    direction_initials
        Capital letters that before a full stop abbreviate a direction ("W.
        Columbia"), never a person's initial.
    organisations
        Folded names of organisations named like places
        (:func:`geomap.wordlists.organisations`).
    first_names
        Common first names, lower-case (:func:`geomap.wordlists.first_names`):
        one before a capitalised word is a person's, even when that word is a
        prominent place's name ("George Washington").
    disabled
        Ids of the rules switched off (:data:`geomap.rules.RULES`).

    Examples
    --------
    >>> import pickle
    >>> m = RecognizerModel(disabled=frozenset({"acronym"}))
    >>> pickle.loads(pickle.dumps(m)) == m
    True
    >>> RecognizerModel(disabled=frozenset({"no-such-rule"}))
    Traceback (most recent call last):
    ...
    geomap.errors.ConfigurationError: Expected rule ids of geomap.rules.RULES in disabled, \
instead got: ['no-such-rule']
    """

    common_word_zipf: float = 4.3
    very_common_word_zipf: float = 5.5
    sentence_start_zipf: float = 3.5
    person_word_zipf: float = 4.5
    max_name_tokens: int = 7
    short_word_length: int = 3
    acronym_length: int = 5
    prominent_population: int = 100_000
    fuzzy_min_length: int = 8
    fuzzy_max_zipf: float = 3.0
    fuzzy_max_tokens: int = 3
    variant_min_length: int = 4
    variant_max_zipf: float = 3.0
    variant_max_tokens: int = 4
    variant_min_population: int = 50_000
    organisation_max_tokens: int = 5
    organisation_max_middle: int = 4
    connectors: frozenset[str] = w.CONNECTORS
    titles: frozenset[str] = w.TITLES
    place_words: frozenset[str] = w.PLACE_WORDS
    institutions: frozenset[str] = w.INSTITUTIONS
    time_words: frozenset[str] = w.TIME_WORDS
    modifiers: frozenset[str] = w.MODIFIERS
    stopwords: frozenset[str] = w.STOPWORDS
    speech_verbs: frozenset[str] = w.SPEECH_VERBS
    disease_words: frozenset[str] = w.DISEASE_WORDS
    disease_adjectives: frozenset[str] = w.DISEASE_ADJECTIVES
    place_suffixes: frozenset[str] = w.PLACE_SUFFIXES
    route_words: frozenset[str] = w.ROUTE_WORDS
    saints: frozenset[str] = w.SAINTS
    dedications: frozenset[str] = w.DEDICATIONS
    org_heads: frozenset[str] = w.ORG_HEADS
    army_heads: frozenset[str] = w.ARMY_HEADS
    group_words: frozenset[str] = w.GROUP_WORDS
    ship_prefixes: frozenset[str] = w.SHIP_PREFIXES
    locatives: frozenset[str] = w.LOCATIVES
    feature_generics: frozenset[str] = w.FEATURE_GENERICS
    back_references: frozenset[str] = w.BACK_REFERENCES
    article_words: frozenset[str] = w.ARTICLE_WORDS
    function_words: frozenset[str] = w.FUNCTION_WORDS
    name_links: frozenset[str] = w.NAME_LINKS
    prominent_codes: frozenset[str] = w.PROMINENT_CODES
    country_like_codes: frozenset[str] = w.COUNTRY_LIKE_CODES
    direction_initials: frozenset[str] = frozenset({"N", "S", "E", "W"})
    organisations: frozenset[str] = field(default_factory=w.organisations)
    first_names: frozenset[str] = field(default_factory=w.first_names)
    disabled: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in _ZIPF_FIELDS:
            value = getattr(self, name)
            if not value >= MIN_ZIPF:
                raise ConfigurationError(
                    f"Expected {name} >= {MIN_ZIPF} (a word rarer than one in a million "
                    f"is never common), instead got: {value!r}")
        for name in ("max_name_tokens", "fuzzy_max_tokens", "variant_max_tokens",
                     "organisation_max_tokens"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise ConfigurationError(
                    f"Expected {name} >= 1, instead got: {getattr(self, name)!r}")
        from geomap.rules import RULES

        unknown = sorted(set(self.disabled) - {r for r, rule in RULES.items() if rule.switchable})
        if unknown:
            raise ConfigurationError(
                f"Expected rule ids of geomap.rules.RULES in disabled, instead got: {unknown}")
        # word lists as frozensets, whatever collection was given
        for f in self.__dataclass_fields__.values():
            value = getattr(self, f.name)
            if isinstance(value, (set, list, tuple)):
                object.__setattr__(self, f.name, frozenset(value))

    def enabled(self, rule_id: str) -> bool:
        """Is the rule ``rule_id`` on (not in :attr:`disabled`)?"""
        return rule_id not in self.disabled
