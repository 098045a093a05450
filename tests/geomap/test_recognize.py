"""Recognition on classes of error news text is full of (real gazetteer)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import Recognizer, case_compatible


def texts(rec, text):
    return [s.text for s in rec(text)]


@pytest.mark.parametrize("text, expected", [
    # people whose names are also places
    ("Russian President Vladimir Putin met Jordan Peterson in Toronto.", ["Russian", "Toronto"]),
    ("Sen. Sherrod Brown spoke. Later Brown said the vote was close.", []),
    ("Bill Robinson can be reached by e-mail.", []),
    # organisations named after a place they are not in
    ("The OSCE Minsk Group met in Vienna.", ["Vienna"]),
    ("Agence France-Presse reported from Kabul.", ["Kabul"]),
    # local institutions keep their place (as annotated in local news corpora)
    ("The Dublin City Council met on Monday.", ["Dublin City"]),
    ("Gainesville Police Department officers arrived.", ["Gainesville"]),
    # everyday words that are also small places
    ("Of course, nobody will Enter the building. Leave a Reply.", []),
    ("We said no. As always, Will stayed home.", []),
    # diseases, currencies, strain codes
    ("The Marburg virus and Lassa fever spread.", []),
    ("The agency asked for US$2.8 million.", []),
    ("A/California/7/2009 (H1N1)-like virus.", []),
    # demonyms, plural demonyms and abbreviations
    ("Armenian and Azerbaijani forces; the Azeris denied it.",
     ["Armenian", "Azerbaijani", "Azeris"]),
    ("U.S. officials and UK diplomats met.", ["U.S.", "UK"]),
    # headlines in capitals still work
    ("TROOPS ENTER STEPANAKERT AS FIGHTING SPREADS TO SHUSHA", ["STEPANAKERT", "SHUSHA"]),
    # multi-word names, hyphen and space variants, a typo in a prominent name
    ("Fighting in Nagorno Karabakh and the Nagorno-Karbakh region.",
     ["Nagorno Karabakh", "Nagorno-Karbakh"]),
    ("Springfield, Ill. and Charleston, W.Va. officials met.",
     ["Springfield", "Ill", "Charleston", "W.Va"]),
])
def test_recognition(rec, text, expected):
    assert texts(rec, text) == expected


def test_demonym_kind(rec):
    kinds = {s.text: s.kind for s in rec("Armenian troops left Armenia.")}
    assert kinds == {"Armenian": "demonym", "Armenia": "name"}


def test_fuzzy_flag(rec):
    (span,) = rec("Clashes in Nagorno-Karbakh.")
    assert span.fuzzy and span.key == "nagorno karabakh"


def test_trace_explains_rejections(rec):
    trace = []
    assert rec.recognize("Vladimir Putin spoke.", trace=trace) == []
    assert any(s.text == "Vladimir" and "longer name" in why for s, why in trace)


def test_offsets_are_exact(rec):
    text = "Talks in Genève — then Yerevan’s mayor visited Stepanakert."
    for s in rec(text):
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text, matched, ok", [
    ("We", "we", False), ("As", "AS", False), ("AS", "AS", True), ("U.S.", "U. S.", True),
    ("Geneva", "Geneva", True), ("GENEVA", "Geneva", True),
])
def test_case_compatible(text, matched, ok):
    assert case_compatible(text, matched) is ok


def test_head_of_a_longer_name(rec):
    text = "Leaders of the Commonwealth of Independent States met in Ashgabat on Friday."
    assert texts(rec, text) == ["Ashgabat"]


def _same_above_the_floor(ours: float, theirs: float) -> bool:
    """Equal where wordfreq's value is MIN_ZIPF or more, both below it otherwise."""
    from geomap.frequencies import MIN_ZIPF

    return ours == theirs if theirs >= MIN_ZIPF else ours < MIN_ZIPF


@pytest.mark.parametrize("word", ["the", "of", "course", "enter", "reply", "springfield",
                                  "adkins", "karabakh", "stepanakert", "zzqxv", "a", "i",
                                  "n1", "h5n1", "g20", "tv13", "1a", "u.s.", "d.c.", "josé",
                                  "straße", "ﬁle", "zaïre", "e\u0301cole", "h5n1 avian flu",
                                  "wowk tv13", "rc2 corp", "2009", "o'brien", "são paulo"])
def test_word_frequency_is_wordfreqs(word):
    """The fast paths give wordfreq's own Zipf value (from Zipf 3 up: every
    decision is about more common words)."""
    from wordfreq import zipf_frequency

    from geomap.recognize import _zipf

    assert _same_above_the_floor(_zipf(word), zipf_frequency(word, "en"))


def _check_against_wordfreq(words, least_above):
    from wordfreq import zipf_frequency

    from geomap.frequencies import MIN_ZIPF
    from geomap.recognize import _zipf

    above = 0
    for word in words:
        theirs = zipf_frequency(word, "en")
        above += theirs >= MIN_ZIPF
        assert _same_above_the_floor(_zipf(word), theirs), word
    assert above >= least_above


def test_plain_phrase_frequency_is_wordfreqs():
    """Folded multi-word names ("raquel henry") take the fast path too, with
    wordfreq's way of combining the words' frequencies; phrases with rarer
    words stay below the floor, as wordfreq has them."""
    import random

    from wordfreq import get_frequency_dict

    from geomap.frequencies import common_english_frequencies

    common = common_english_frequencies()
    words = sorted(w for w in common if w.isascii() and w.isalpha() and w.islower())
    rare = sorted(w for w, f in get_frequency_dict("en", "best").items()
                  if w.isascii() and w.isalpha() and w.islower() and w not in common)
    rng = random.Random(7)
    phrases = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
               for _ in range(3000)]
    phrases += [f"{w} zzqxvw" for w in rng.sample(words, 50)] + ["sheila d williams"]
    phrases += rng.sample(rare, 300) + [f"{a} {b}" for a, b in zip(rng.sample(words, 300),
                                                                    rng.sample(rare, 300))]
    _check_against_wordfreq(phrases, 1000)


def test_words_with_digits_frequency_is_wordfreqs():
    """Letters and digits ("h5n1", "g8"), and runs of digits, which wordfreq
    counts as zeros: the latter are left to wordfreq unless a rare word
    beside them decides."""
    import random

    from wordfreq import get_frequency_dict

    table = get_frequency_dict("en", "best")
    mixed = sorted(w for w in table if w.isascii() and w.isalnum() and w.islower()
                   and any(c.isdigit() for c in w))
    rng = random.Random(11)
    alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
    made = ["".join(rng.choice(alnum) for _ in range(rng.randint(1, 5))) for _ in range(2000)]
    plain = [w for w in table if w.isascii() and w.isalpha() and w.islower()][:3000]
    pairs = [f"{rng.choice(plain)} {rng.choice(mixed)}" for _ in range(500)]
    _check_against_wordfreq(rng.sample(mixed, 2000) + made + pairs, 100)


def test_numbered_names_need_no_wordfreq(gazetteer_path):
    """Call signs and numbered names ("WOWK-TV13", "LB126") are rare by the
    common-word table alone: recognising them does not import wordfreq (its
    import and whole table cost each worker about half a second)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from gazetteer.store import Gazetteer\n"
            "from geomap.recognize import Recognizer\n"
            f"g = Gazetteer.open({str(gazetteer_path)!r}, build=False)\n"
            "r = Recognizer(g)\n"
            "r.recognize('Tv13 Tv13 reported that Lb126 and Route 9B82 were closed in Ohio.')\n"
            "print('wordfreq' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_dotted_abbreviation_frequency_is_wordfreqs():
    from itertools import product
    from string import ascii_lowercase as az

    words = ["".join(f"{c}." for c in letters)
             for n in (2, 3) for letters in product(az, repeat=n)]
    _check_against_wordfreq(words, 10)


def test_latin_word_frequency_is_wordfreqs():
    """Words of Latin letters beyond ASCII, as written and decomposed (NFD),
    wordfreq's own and made up, with marks and the letters case folding
    changes ("ß", "ﬁ", "ŉ")."""
    import random
    import unicodedata

    from wordfreq import get_frequency_dict

    own = sorted(w for w in get_frequency_dict("en", "best")
                 if not w.isascii() and w.isalpha() and w.islower()
                 and all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in w))
    rng = random.Random(5)
    letters = ("abcdeilnorsuyzßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćčďđēęěğīıłńňōőœřśşšťūůűźżž"
               "ſǆǉǌǰȁȃȉȑȓșțɐɓɔɛɣḍḥṇṣṭẓẞỳ\u0300\u0301\u0308\u030c\u0327ŉﬁ")
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    words = rng.sample(own, min(3000, len(own))) + made
    words += [unicodedata.normalize("NFD", w) for w in words[:500]]
    _check_against_wordfreq(words, 100)


def test_common_word_threshold_is_at_least_the_floor(gaz):
    from geomap.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="common_word_zipf >= 3.0"):
        Recognizer(gaz, common_word_zipf=2.5)



# The typo index: the C TypoIndex (geomap/_typos.c) against the deletion dict
# that defines it, on small alphabets (many names make the same strings, so
# which name comes first matters), marks, title case and astral letters.
def _typo_index_type():
    from geomap.recognize import _TYPOS

    if _TYPOS is None:
        pytest.skip("the C typo index is not built (pure Python install)")
    return _TYPOS.TypoIndex


_TYPO_NAME = st.text(alphabet=st.sampled_from("abaé ǅ\u0301𝔸"), max_size=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TYPO_NAME, max_size=12), st.lists(_TYPO_NAME, max_size=12))
def test_c_typo_index_answers_as_the_deletion_dict(names, queries):
    from geomap.recognize import _deletion_dict, _one_edit

    index, table = _deletion_dict(names), _typo_index_type()(names)
    assert len(table) == sum(len(n) + 1 for n in names)
    for q in queries + names + [n[:-1] for n in names] + [n + "a" for n in names]:
        assert table.get(q) == index.get(q)
        assert table.one_edit(q) == _one_edit(q, index)


def test_c_typo_index_on_the_prominent_names(gaz):
    import random

    from geomap.recognize import _deletion_dict, _deletion_index, _one_edit

    names = [n for n in gaz.prominent_names() if len(n) >= 8]
    index, table = _deletion_dict(names), _deletion_index(names)
    assert type(table) is _typo_index_type()       # what the recogniser uses when built
    rnd = random.Random(5)
    letters = "abcdefghijklmnopqrstuvwxyz é"
    found = 0
    for _ in range(4000):
        w, k = rnd.choice(names), rnd.randrange(8)
        q = rnd.choice([w[:k] + w[k + 1:], w[:k] + rnd.choice(letters) + w[k:],
                        w[:k] + rnd.choice(letters) + w[k + 1:], w, w[::-1]])
        hit = _one_edit(q, index)
        assert table.one_edit(q) == hit and table.get(q) == index.get(q)
        found += hit is not None
    assert 2000 < found < 4000


def test_c_typo_index_refuses_what_is_not_text():
    table_type = _typo_index_type()
    with pytest.raises(TypeError):
        table_type(["geneva", 3])
    with pytest.raises(TypeError):
        table_type(["geneva"]).one_edit(b"geneva")
    assert len(table_type([])) == 0 and table_type([]).one_edit("x") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60)).map(sorted), st.integers(-5, 70))
def test_sentence_of_is_bisect_right(bounds, start):
    from bisect import bisect_right

    from geomap.recognize import _sentence_of

    assert _sentence_of(bounds, start) == bisect_right(bounds, start)


def _common_words():
    from geomap.frequencies import common_english_frequencies

    return sorted(w for w in common_english_frequencies()
                  if w.isascii() and w.isalpha() and w.islower())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_zipf_below_is_the_rounded_comparison(data):
    """_zipf_below decides a phrase of common words from its unrounded Zipf
    value only far enough from the threshold: its answer is always
    ``_zipf(word) < threshold``, on the threshold's edge too (thresholds
    drawn at the phrase's own value, give or take the rounding)."""
    from geomap.frequencies import MIN_ZIPF
    from geomap.recognize import _zipf, _zipf_below

    words = _common_words()
    n = data.draw(st.integers(1, 4))
    phrase = " ".join(data.draw(st.sampled_from(words)) for _ in range(n))
    if data.draw(st.booleans()):
        phrase += " " + data.draw(st.sampled_from(["zzqxj", "tv13", "the", "Of", "a"]))
    z = _zipf(phrase)
    for threshold in (z - 0.011, z - 0.005, z, z + 0.001, z + 0.005, z + 0.0101,
                      data.draw(st.floats(MIN_ZIPF, 8.0))):
        threshold = max(threshold, MIN_ZIPF)
        assert _zipf_below(phrase, threshold) == (z < threshold), (phrase, threshold)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" -\u2013'\u2019.\n,a\t", max_size=5), st.text(max_size=3),
       st.text(max_size=3))
def test_joined_is_the_name_gap_expression(gap, before, after):
    """_joined answers by a set of gaps what geomap.rules.NAME_GAP's match
    says, for any gap between any text (a newline at the end included)."""
    from geomap.recognize import _joined
    from geomap.rules import NAME_GAP

    text = before + "X" + gap + "Y" + after
    end = len(before) + 1
    assert _joined(text, end, end + len(gap)) == (NAME_GAP.match(gap) is not None)
