import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer import fold
from gazetteer.names import _skeleton_step
from gazetteer.sources._util import keep_name


@pytest.mark.parametrize("raw, folded", [
    ("Nagorno-Karabakh", "nagorno karabakh"),
    ("NAGORNO–KARABAKH", "nagorno karabakh"),
    ("Genève", "geneve"),
    ("St. John's", "st johns"),
    ("U.S.", "u s"),
    ("Xankəndi", "xankandi"),
    ("Şuşa", "susa"),
    ("  ", ""),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize("name, kept", [
    ("Genf", True), ("GVA", False), ("LSGG", False), ("X", False), ("Ufa", True), ("UK", True),
])
def test_keep_name_drops_airport_codes_and_short_names(name, kept):
    assert keep_name(name) is kept


# fold's and the skeleton's fast paths (plain words returned as they are,
# letters replaced rather than translated) against the rules they shortcut
_ASCII = st.text(st.sampled_from("abcXYZ019 -_'`.\t\n"), max_size=12)


@given(_ASCII)
def test_fold_ascii_fast_path_is_the_rule(raw):
    import re
    expected = re.sub(r"[\W_]+", " ", raw.lower().replace("'", "").replace("`", "")).strip()
    assert fold(raw) == expected


@given(st.text(st.characters(max_codepoint=127), max_size=16))
def test_fold_any_ascii_text_is_the_rule(raw):
    """Every ASCII character (controls, punctuation, ``_``, apostrophes):
    fold's table for ASCII text gives what the regular expression gives."""
    expected = re.sub(r"[\W_]+", " ", raw.lower().replace("'", "").replace("`", "")).strip()
    assert fold(raw) == expected


@pytest.mark.parametrize("raw, folded", [
    ("Geneva", "geneva"), ("new york", "new york"), ("New  York", "new york"),
    (" Gaza", "gaza"), ("Gaza ", "gaza"), ("A1", "a1"), ("o'hare", "ohare"), ("", ""),
])
def test_fold_plain_words(raw, folded):
    assert fold(raw) == folded


# the skeleton's rules as first written, as regular expressions
_TA_MARBUTA = re.compile(r"(?<=[a-z]{2})([ae])h\b")
_IYE = re.compile(r"i[iy]?e\b")
_UKR_ENDINGS = re.compile(r"(?<=[a-z]{2})o(vka|v)\b")
_DOUBLED = re.compile(r"([a-z])\1+")


def _step_by_translate(key: str) -> str:
    """The skeleton's step as first written, with ``str.translate`` and
    regular expressions."""
    import gazetteer.names as n
    if not key.isascii():
        key = " ".join(key.translate(n._MARKS).split())
    if " " in key:
        words = key.split(" ")
        last = words.pop()
        words = [w for w in words if w not in n.ARTICLES] + [last]
        key = " ".join(words)
    s = key
    if "h" in s:
        s = _TA_MARBUTA.sub(r"\1", s)
    if "ie" in s or "iye" in s:
        s = _IYE.sub("ia", s)
    s = s.replace("kh", "h").translate(str.maketrans("yg", "ih"))
    for old, new in n._VOWELS:
        s = s.replace(old, new)
    s = s.translate(str.maketrans("e", "i"))
    if "ov" in s:
        s = _UKR_ENDINGS.sub(r"i\1", s)
    return _DOUBLED.sub(r"\1", s)


@given(st.text(st.sampled_from("aeghiklnorstuvwyz "), max_size=14))
def test_skeleton_step_replaces_as_translate_would(key):
    assert _skeleton_step(key) == _step_by_translate(key)


@pytest.mark.parametrize("key", [
    "nabatiieh", "zahiriyeh", "hamidiye", "sadah", "ah", "bah", "mah", "khah", "deir ez zor",
    "bilohorivka", "belogorovka", "kharkov", "ov", "xov", "novka", "ma arrat", "aaa bbb", "11",
    "al fashir", "el fasher", "qarieh", "ma\u02bfrib", "\u0161ah", "z\u00e9ah", "mieh ie",
])
def test_skeleton_step_by_words_is_the_regex_rules(key):
    # the step rewrites word by word with string tests: the regular
    # expressions' answers, at word ends and with letters outside a-z
    key = fold(key)
    assert _skeleton_step(key) == _step_by_translate(key)


@given(st.text(st.sampled_from("aeiouyghkvwlrsdtzn \u02bf\u00e9\u0161\u044f12-"), max_size=30))
def test_skeleton_step_by_words_on_any_folded_key(text):
    key = fold(text)
    assert _skeleton_step(key) == _step_by_translate(key)


@given(st.text(st.sampled_from("abzAZ09 é-ss"), max_size=12) | st.text(max_size=12))
def test_has_doubled_is_the_search(text):
    from gazetteer.names import _has_doubled
    assert _has_doubled(text) is (_DOUBLED.search(text) is not None)


@given(st.text(st.sampled_from("abzAZ09 é-ss"), max_size=14) | st.text(max_size=14))
def test_undoubled_is_the_substitution(text):
    from gazetteer.names import _undoubled
    assert _undoubled(text) == _DOUBLED.sub(r"\1", text)
