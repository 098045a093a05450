"""Tokens and sentences keep exact offsets into the original text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.text import is_upper, sentence_spans, token_columns, tokenize


@pytest.mark.parametrize("text, expected", [
    ("Talks in Geneva. Mr. Smith left.", ["Talks in Geneva.", "Mr. Smith left."]),
    ("Headline\n\nBody one. Body two!", ["Headline", "Body one.", "Body two!"]),
    ("He said “go.” Then left.", ["He said “go.”", "Then left."]),
    ("Springfield, Ill. is small.", ["Springfield, Ill. is small."]),
])
def test_sentences(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_tokens_offsets_and_sentences():
    text = "U.S. envoy in Nagorno-Karabakh. Then Russia’s turn."
    toks = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert [t.text for t in toks] == ["U.S.", "envoy", "in", "Nagorno", "Karabakh", "Then",
                                      "Russia", "s", "turn"]
    assert [t.sentence for t in toks] == [0, 0, 0, 0, 0, 1, 1, 1, 1]


# The tokenizer's one-pass regex must give exactly the tokens of the plain
# definition: a dotted abbreviation (two or more "letter.") or a run of
# letters and digits, tried in that order.
_PLAIN_TOKENS = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZé É3_.-'’ \n.U.S.x"), max_size=40)
       | st.text(alphabet=st.sampled_from("aZ3_.-' \n.U.S.x"), max_size=40)
       | st.text(max_size=40))
def test_token_columns_match_the_plain_definition(text):
    words, starts, ends = token_columns(text)
    plain = list(_PLAIN_TOKENS.finditer(text))
    assert words == [m.group() for m in plain]
    assert starts == [m.start() for m in plain]
    assert ends == [m.end() for m in plain]


@pytest.mark.parametrize("text, expected", [
    ("U.S. and U.K.", ["U.S.", "and", "U.K."]),
    ("AB.C.D. 3.E.F. U.Sa e.g.", ["AB", "C.D.", "3", "E.F.", "U", "Sa", "e.g."]),
])
def test_dotted_abbreviations(text, expected):
    assert text.isascii()
    assert token_columns(text)[0] == expected


_PLAIN_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(".!?…\n \t\"'”’»)]aZ3"), max_size=30))
def test_sentence_end_regex_matches_the_plain_definition(text):
    from geomap.text import _SENT_END

    assert ([m.span() for m in _SENT_END.finditer(text)]
            == [m.span() for m in _PLAIN_SENTENCE_END.finditer(text)])


# The C scanners (geomap/_scan.c) against the regular expressions they stand
# for: letters, decimal and other digits, title case, marks, the dots and stops,
# quotes and Unicode white space, and anything else.
_SCAN_ALPHABET = st.sampled_from("aZé É3_.-'’ \n\t.U.S.xMr.Dr.st.İK٣²Ⅻǅ\u0301…!?”»)]\""
                                 "\xa0\u2028\x1c")


def _native():
    from geomap.text import _NATIVE

    if _NATIVE is None:
        pytest.skip("the C scanners are not built (pure Python install)")
    return _NATIVE


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_SCAN_ALPHABET, max_size=60) | st.text(max_size=60))
def test_c_tokenizer_finds_the_regex_tokens(text):
    from operator import itemgetter

    from geomap.text import _regex_columns

    words, starts, ends = _regex_columns(text)
    caps = list(map(str.isupper, map(itemgetter(0), words)))
    assert _native().columns(text) == (words, starts, ends, caps)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_SCAN_ALPHABET, max_size=60) | st.text(max_size=60))
def test_c_sentence_splitter_finds_the_regex_sentences(text):
    from geomap.text import _ABBREV, _LONGEST_ABBREV, _regex_sentence_spans

    assert _native().sentences(text, _ABBREV, _LONGEST_ABBREV) == _regex_sentence_spans(text)


def _abbreviation_texts():
    """Texts of abbreviations ("Mr", "Gen") and other words, in any case, some
    with a non-ASCII letter whose lower case differs ("İ", the Kelvin sign),
    each followed by a full stop or another break."""
    from geomap.text import _ABBREV

    word = st.sampled_from(sorted(_ABBREV) + ["said", "Paris", "x", "ab", "Öst"])
    spelled = st.tuples(word, st.sampled_from(
        [str, str.upper, str.title, lambda w: "İ" + w, lambda w: w[:-1] + "\u212a"])).map(
        lambda t: t[1](t[0]))
    gap = st.sampled_from([". ", ".", " ", ".\n", "! ", ".” ", "-", ". A "])
    return st.lists(st.tuples(spelled, gap), max_size=8).map(
        lambda parts: "".join(w + g for w, g in parts))


@settings(max_examples=400, deadline=None)
@given(_abbreviation_texts())
def test_c_sentence_splitter_knows_the_abbreviations(text):
    from geomap.text import _ABBREV, _LONGEST_ABBREV, _regex_sentence_spans

    assert _native().sentences(text, _ABBREV, _LONGEST_ABBREV) == _regex_sentence_spans(text)


def test_c_scanners_refuse_other_types():
    scan = _native()
    with pytest.raises(TypeError, match="expects str"):
        scan.columns(b"bytes")
    with pytest.raises(TypeError):
        scan.sentences("text", ["mr"], 4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=80)
       | st.lists(st.sampled_from([0, 1, "", "x", None, [], [0]]), max_size=20))
def test_capitals_are_the_true_items(caps):
    from itertools import compress

    from geomap.text import capitals

    assert capitals(caps) == list(compress(range(len(caps)), caps))
    assert _native().capitals(caps) == list(compress(range(len(caps)), caps))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Adkins", "adkins", "Ad", "Adkins\u00e9", "\u0100dkins",
                                 "\U0001d400", ""]), max_size=30),
       st.data())
def test_spelled_is_its_definition(words, data):
    from geomap.text import spelled

    # indices in range, negative ones too, in any order and repeated
    indices = data.draw(st.lists(st.integers(-len(words), len(words) - 1), max_size=40)
                        if words else st.just([]))
    # the word as a str made apart from the list's (equal, not the same object)
    word = "".join(data.draw(st.sampled_from(["Adkins", "Ad", "\u0100dkins", "\U0001d400", ""])))
    expected = [i for i in indices if words[i] == word]
    assert spelled(words, indices, word) == expected
    native = _native()
    assert native.spelled(words, indices, word) == expected
    # anything else compares as Python compares it (1 == 1.0)
    assert native.spelled([1, "1", 1.0], [0, 1, 2], 1) == [0, 2]
    # a str word: past an item that is no str, or an index that is negative,
    # the rest is compared the general way
    assert native.spelled(["a", 1, "a", "b"], [0, 1, 2, -1, -2, 3], "a") == [0, 2, -2]
    assert native.spelled(["a", "b", "a"], [2, -1, 0, True], "a") == [2, -1, 0]


def test_c_spelled_refuses_what_python_refuses():
    scan = _native()
    with pytest.raises(TypeError, match="two lists"):
        scan.spelled(("a",), [0], "a")
    with pytest.raises(IndexError):
        scan.spelled(["a"], [1], "a")
    with pytest.raises(IndexError):
        scan.spelled(["a"], [-2], "a")
    with pytest.raises(TypeError):
        scan.spelled(["a"], ["0"], "a")


def test_c_capitals_refuses_other_types():
    with pytest.raises(TypeError, match="expects list"):
        _native().capitals((True, False))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("aBz. 1\u00e9\u00c9\u24b6"),
               max_size=6))
def test_is_upper_is_its_definition(word):
    # (a lower-case ASCII letter second answers at once: the same answer)
    assert is_upper(word) == (word.isupper() and sum(c.isalpha() for c in word) > 1)
