"""The recogniser's shortcuts give what the plain definitions give: the
sentence of a token, remembered for the token last asked about, and the
sentence found by moving on through the capitalised tokens, and the plain
words of the word frequencies found by string tests."""

import re
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import Recognizer, _Ctx, _plain, _wordfreq_tokens
from geomap.text import sentence_spans

_WORDS = st.sampled_from(["Talks", "in", "Geneva", "ended", "Mr.", "Smith", "said", "U.S.",
                          "Dan", "Adkins", "Flores, 26,", "D.", "Ohio", "Monday"])
_ENDS = st.sampled_from([" ", " ", " ", ". ", "! ", "? ", "\n", ".\n\n"])
_TEXT = st.lists(st.tuples(_WORDS, _ENDS), max_size=40).map(
    lambda parts: "".join(w + e for w, e in parts))


def _plain_sentence(ctx: _Ctx, i: int) -> int:
    return bisect_right([e for _, e in ctx.sentences[:-1]], ctx.starts[i])


def test_sentence_of_each_token():
    text = "Talks in Geneva ended. Mr. Smith said so.\nOhio next"
    ctx = _Ctx(text, sentence_spans(text))
    assert [ctx.sentence(i) for i in range(len(ctx.words))] == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]
    # asked again, and out of order: the same
    assert [ctx.sentence(i) for i in (9, 0, 0, 4, 9, 3)] == [2, 0, 0, 1, 2, 0]


@given(_TEXT, st.lists(st.integers(min_value=0, max_value=200), max_size=30))
def test_sentence_is_the_plain_bisect_in_any_order(text, asks):
    ctx = _Ctx(text, sentence_spans(text))
    n = len(ctx.words)
    for i in (a % n for a in asks) if n else ():
        assert ctx.sentence(i) == _plain_sentence(ctx, i)


class _NoPlaces:
    """A gazetteer without names: person evidence depends on the text alone."""

    def has_name(self, key):
        return False

    def candidates(self, name, **filters):
        return []

    def max_name_tokens(self):
        return 4


@given(_TEXT)
def test_person_evidence_needs_no_order(text):
    # the sentence cursor moves on through the capitalised tokens: asked about
    # each token alone (a fresh cursor each time) it finds the same people
    rec = Recognizer(_NoPlaces(), fuzzy_names=())
    ctx = _Ctx(text, sentence_spans(text))
    caps = [i for i, c in enumerate(ctx.caps) if c]
    whole = rec._person_tokens(ctx, caps)
    alone = set()
    for k in caps:
        alone |= rec._person_tokens(ctx, [k])
    assert whole == alone


def test_person_evidence_across_sentences():
    text = ("Talks with Dan Adkins ended. Talks in Ohio.\nHe met Matthew D. Flores. "
            "Mr. Smith stayed.\nOne Flores, 26, was there. Adkins said")
    rec = Recognizer(_NoPlaces(), fuzzy_names=())
    ctx = _Ctx(text, sentence_spans(text))
    caps = [i for i, c in enumerate(ctx.caps) if c]
    # a surname after a first name, after an initial, after a title, before an age
    # (and the initial itself, after the first name)
    assert rec._person_tokens(ctx, caps) == {"Adkins", "D", "Flores", "Smith"}


_PLAIN_WORDS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _plain_tokens(word: str):
    """``_wordfreq_tokens`` of an ASCII word by the regular expressions (the definition)."""
    if _PLAIN_WORDS.fullmatch(word):
        return [None if re.search(r"[0-9]{2}", t) else t for t in word.split(" ")]
    if re.fullmatch(r"(?:[a-z]\.){2,}", word):
        return [word[:-1]]
    return None


@pytest.mark.parametrize("word", ["", "a", "gaza", "g20", "tv13 news", "new  york", " york",
                                  "york ", "New york", "2024", "u.s.", "al-shabaab", "a\tb"])
def test_plain_words_without_the_regex(word):
    assert _plain(word.split(" ")) == (_PLAIN_WORDS.fullmatch(word) is not None)
    assert _wordfreq_tokens(word) == _plain_tokens(word)


@given(st.text(alphabet="abzAZ09 .-_\t'", max_size=12))
def test_plain_words_are_the_regex_on_any_ascii(word):
    assert _plain(word.split(" ")) == (_PLAIN_WORDS.fullmatch(word) is not None)
    assert _wordfreq_tokens(word) == _plain_tokens(word)


@given(_TEXT)
def test_person_words_asked_one_by_one_are_the_person_tokens(text):
    # person evidence is found for the words asked about, at their own
    # tokens, in any order: the same words as the whole document's scan
    rec = Recognizer(_NoPlaces(), fuzzy_names=())
    ctx = _Ctx(text, sentence_spans(text))
    whole = rec._person_tokens(_Ctx(text, sentence_spans(text)), ctx.capitals)
    asked = sorted({ctx.words[k] for k in ctx.capitals}, reverse=True) + ["Nobody", "Dan Adkins"]
    assert {w for w in asked if rec._person_word(ctx, w)} == whole


def test_person_words_named():
    text = ("Talks with Dan Adkins ended. Talks in Ohio.\nHe met Matthew D. Flores. "
            "Mr. Smith stayed.\nOne Flores, 26, was there. Adkins said")
    rec = Recognizer(_NoPlaces(), fuzzy_names=())
    ctx = _Ctx(text, sentence_spans(text))
    assert [rec._person_word(ctx, w) for w in ("Smith", "Ohio", "Adkins", "Talks", "D")] == [
        True, False, True, False, True]


_HEADLINES = st.lists(st.tuples(st.sampled_from(
    ["Talks", "In", "Geneva", "of", "the", "ended", "said", "U.S.", "ATTACK", "12", "and",
     "\u00e9t\u00e9", "iPhone", "well-known", "e.g.", "_of", "(and", "of_", "l'Ouest", "\u00c9TAT",
     "-the", "x"]),
    st.sampled_from([" ", " ", " ", ". ", "! ", "\n", ".\n\n", "-", " (", "\t", ""])),
    max_size=40).map(lambda parts: "".join(w + e for w, e in parts))


@settings(max_examples=300)
@given(_HEADLINES, st.lists(st.integers(min_value=0, max_value=50), max_size=20))
def test_headlines_asked_one_by_one_are_the_headline_sentences(text, asks):
    from geomap.recognize import _headline_sentences
    rec = Recognizer(_NoPlaces(), fuzzy_names=())
    ctx = _Ctx(text, sentence_spans(text))
    whole = _headline_sentences(ctx, rec._prose_word, rec._function_words)
    for k in asks:        # any order, again and again, past the last sentence
        assert rec._headline(ctx, k) == (k in whole)
    assert {k for k in range(len(ctx.sentences)) if rec._headline(ctx, k)} == whole
