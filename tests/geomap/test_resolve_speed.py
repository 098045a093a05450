"""The resolve engine's shortcuts give what the plain code gives."""

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import resolve
from geomap.resolution import Resolution, Scored
from geomap.resolve import _word_at
from geomap.spans import Span


def _plain_word_at(text: str, i: int) -> str:
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j].lower()


def test_word_at_reads_ascii_and_other_letters():
    text = "the Berea Police, Zürich\u2019s Ωmega [x] @home `q {z"
    assert _word_at(text, 4) == "berea"
    assert _word_at(text, 18) == "zürich"
    assert _word_at(text, 27) == "ωmega"
    assert _word_at(text, 33) == ""          # "[" is no letter
    assert [_word_at(text, text.index(c) + 1) for c in "@`{"] == ["home", "q", "z"]
    assert _word_at(text, len(text)) == ""


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_word_at_is_the_plain_scan(text, i):
    assert _word_at(text, i) == _plain_word_at(text, i)


def test_word_at_on_every_ascii_character():
    for c in map(chr, range(128)):
        assert _word_at(f"{c}ab", 0) == _plain_word_at(f"{c}ab", 0), repr(c)


class _Switching:
    """A store whose candidates for one key can be swapped between documents
    (as a store that drops a key from its cache and reads it again returns new
    tuples): ``entries`` of the real store, but ``only`` for ``key``."""

    def __init__(self, gaz, key: str):
        self.gaz, self.key, self.only = gaz, key, None
        self.variant_keys = gaz.variant_keys

    def candidates(self, name, **kw):
        return self.gaz.candidates(name, **kw)

    def entries(self, key):
        raw = self.gaz.entries(key)
        if key == self.key and self.only is not None:
            return tuple(c for c in raw if c.place.country_code == self.only)
        return raw


def test_the_spelling_cache_is_checked_again_in_each_document(gaz, rec):
    # an entry checked once in a document serves the document's other mentions
    # of the spelling; the next document checks it again, and a store that now
    # gives other candidates is heard
    from geomap.resolve import Resolver

    text = "Talks in Paris went on. Paris police said Paris was calm."
    spans = rec(text)
    store = _Switching(gaz, "paris")
    engine = Resolver(store)
    first = engine.resolve(spans, text, keep_candidates=0)
    paris = [r for r in first if r.span.text == "Paris"]
    assert len(paris) == 3 and {r.place.country_code for r in paris} == {"FR"}
    store.only = "US"
    again = engine.resolve(spans, text, keep_candidates=0)
    assert {r.place.country_code for r in again if r.span.text == "Paris"} == {"US"}
    # and the same as a resolver with no cache at all
    fresh = Resolver(store).resolve(spans, text, keep_candidates=0)
    assert [(r.span, r.place, r.confidence) for r in again] == [
        (r.span, r.place, r.confidence) for r in fresh]


def test_division_numbers_tell_pairs_apart_as_the_pairs_do():
    # admin1 support is counted by division number: equal pairs, equal numbers
    from hypothesis import given as _given

    from geomap.resolve import _division, _Weights
    from geomap.resolver_model import DEFAULT_MODEL

    w = _Weights(DEFAULT_MODEL)
    code = st.one_of(st.none(), st.sampled_from(["", "US", "FR", "None", "01", "1"]), st.text())

    @_given(st.lists(st.tuples(code, code), max_size=30))
    def check(pairs):
        numbers = [_division(w, cc, a1) for cc, a1 in pairs]
        for (p, m) in zip(pairs, numbers):
            for (q, n) in zip(pairs, numbers):
                assert (p == q) == (m == n)

    check()


def test_one_spelling_read_once_scores_alike_under_each_mentions_parts(gaz, rec):
    # a spelling's candidates are read once (_Cand); mentions of it with a
    # qualifier, a type word, an institution, a dateline or none each score as
    # the plain reference does, whichever comes first in the engine's caches
    from geomap.resolve import Resolver
    from geomap.resolve_reference import ReferenceResolver
    from tests.geomap.test_resolve_reference import decided

    texts = ["SPRINGFIELD, Illinois - Springfield police said Springfield County and "
             "Springfield, Missouri, and the Springfield river were calm. Paris, Texas "
             "and Paris City Council met in Paris.",
             "Paris police met in Paris. Springfield was calm; the Springfield region too."]
    for order in (texts, texts[::-1]):
        engine, reference = Resolver(gaz), ReferenceResolver(gaz)
        for text in order:
            spans = rec(text)
            assert len(spans) >= 4
            assert decided(engine.resolve(spans, text)) == decided(
                reference.resolve(spans, text))
            assert decided(engine.resolve(spans, text, keep_candidates=0)) == [
                (*d[:3], []) for d in decided(reference.resolve(spans, text))]


def test_the_value_makers_set_every_field_in_order():
    # the engine names the fields; a new field would be left unset
    assert tuple(f.name for f in dataclasses.fields(Resolution)) == (
        "span", "place", "confidence", "candidates")
    assert tuple(f.name for f in dataclasses.fields(Scored)) == ("place", "score", "parts")


def test_the_c_makers_are_used_when_the_extension_is_built():
    # (compiled or pure, the module uses the C maker whenever _typos imports)
    assert (resolve._MAKE_RESOLUTION is None) == (resolve._TYPOS is None)
    assert (resolve._MAKE_SCORED is None) == (resolve._TYPOS is None)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.text(max_size=8), st.floats(allow_nan=False),
       st.sampled_from([None, "place"]),
       st.lists(st.tuples(st.sampled_from(["country", "nearby"]), st.floats(allow_nan=False)),
                max_size=3).map(tuple))
def test_a_made_resolution_is_the_one_its_fields_make(start, text, number, place, parts):
    span = Span(start, start + len(text), text, text.lower(), "name", False, 0)
    scored = resolve._make_scored(place, number, parts)
    assert type(scored) is Scored and scored == Scored(place, number, parts)
    made = resolve._make_resolution(span, place, number, (scored,))
    plain = Resolution(span, place, number, (Scored(place, number, parts),))
    assert type(made) is Resolution
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)) == plain
    assert resolve._make_resolution(span, None, 0.0, ()) == Resolution(span, None, 0.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.confidence = 1.0  # type: ignore[misc]


def test_mentions_alike_share_one_view_and_only_they(gaz, rec):
    # a context keys each hopefuls' first view by the hopefuls alone, the
    # others by (hopefuls, key, group): the same view for the same three,
    # whatever the order they are asked in, and another for any other
    from hypothesis import given as _given

    from geomap.resolve import _NO_QUALIFIERS, Resolver, _Context

    text = "Talks in Paris and Springfield."
    engine = Resolver(gaz)
    spans = rec(text)
    hs = [engine._prepare(engine._found(s), s, _NO_QUALIFIERS, "", engine._w, False, False,
                          _NO_QUALIFIERS) for s in spans]
    assert len(hs) == 2 and hs[0] is not hs[1]
    asks = st.tuples(st.sampled_from([0, 1]), st.sampled_from(["paris", "springfield"]),
                     st.sampled_from([None, 1, 2, 10**12]))

    @settings(max_examples=100, deadline=None)
    @_given(st.lists(asks, max_size=20))
    def check(seq):
        ctx = _Context([], [], engine._w)
        seen: dict = {}
        for n, key, group in seq:
            v = ctx.view(hs[n], key, group)
            assert v.h is hs[n] and v.key == key and v.group == group
            assert seen.setdefault((n, key, group), v) is v
        assert len({id(v) for v in seen.values()}) == len(seen)

    check()
