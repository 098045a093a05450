"""The recogniser's memos of misses (a word alone, a run with no
transliteration variant) are caches only: a recogniser that has seen other
documents finds in a text what a fresh one finds (real gazetteer)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import Recognizer

# words that miss alone and match in a longer name or as a variant, words
# that are variants alone, Arabic articles, connectors and plain words
WORDS = ["Smith", "County", "Kharkov", "Lugansk", "Deir", "ez", "Zor", "Dayr", "az", "Zawr",
         "Columbus", "Ohio", "said", "of", "the", "The", "Strip", "Gaza", "New", "York",
         "Mr", "Malloy", "in", "near", "Al", "Fashir", "el", "Fasher", "Hamas", "fighters",
         "Springfield", "Monday", "spoke", "hit", "Sudan", "Damascuss", "overnight", "so",
         "Ukraine", "Syria", "officials", "2024", "and"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "-", "\n"]

TEXTS = [
    # a lone variant and a lone typo turned down after a title, then places
    "Mr Fasher spoke. Mr Damascuss spoke.",
    "Shelling hit Fasher overnight. Sudan said so.",
    "Strikes hit Damascuss overnight. Syria said so.",
    "Smith said so. Officials of Smith County said it was over.",
    "Deir said nothing. Strikes hit Deir ez-Zor and Homs, Syria.",
    "Kharkov. Russian troops shelled Kharkov and Lugansk, Ukraine said.",
    "Mr Dayr spoke. Syrian forces entered Dayr az Zawr.",
    "Fasher fell. The army left el-Fasher, Sudan.",
    "Gaza Strip talks went on. The Strip was quiet, and the Strip said nothing.",
]


def _fresh(gaz, text):
    """What a recogniser that has seen nothing finds (its typo index shared:
    it is built once from the same names)."""
    rec = Recognizer(gaz)
    rec._fuzzy = _index(gaz)
    return rec.recognize(text)


_INDEX: dict = {}


def _index(gaz):
    if id(gaz) not in _INDEX:
        _INDEX[id(gaz)] = Recognizer(gaz)._fuzzy_index()
    return _INDEX[id(gaz)]


def test_seen_documents_change_nothing(gaz):
    seasoned = Recognizer(gaz)
    for text in TEXTS + TEXTS[::-1]:
        assert seasoned.recognize(text) == _fresh(gaz, text), text


def test_a_word_turned_down_alone_is_no_miss(gaz):
    rec = Recognizer(gaz)
    # "Fasher" is a variant of Al Fashir, "Damascuss" a typo of Damascus:
    # after "Mr" they are people, which says nothing about the word alone
    assert not rec.recognize("Mr Fasher spoke. Mr Damascuss spoke on Monday.")
    assert "Monday" in rec._lone_misses
    assert "Fasher" not in rec._lone_misses and "Damascuss" not in rec._lone_misses
    found = [s.text for s in rec.recognize("Shelling hit Fasher overnight. Sudan said so.")]
    assert found == ["Fasher", "Sudan"]
    found = [s.text for s in rec.recognize("Strikes hit Damascuss overnight. Syria said so.")]
    assert found == ["Damascuss", "Syria"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)),
                         min_size=1, max_size=14), min_size=2, max_size=4))
def test_any_sequence_of_documents(gaz, docs):
    seasoned = Recognizer(gaz)
    texts = ["".join(w + s for w, s in doc) for doc in docs]
    for text in texts + texts:
        assert seasoned.recognize(text) == _fresh(gaz, text), text
