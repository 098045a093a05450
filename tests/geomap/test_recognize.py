"""Recognition on classes of error news text is full of (real gazetteer)."""

import pytest

from geomap.recognize import Recognizer, case_compatible


@pytest.fixture(scope="module")
def rec(gaz):
    return Recognizer(gaz)


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
                                  "adkins", "karabakh", "stepanakert", "zzqxv", "a", "i"])
def test_plain_word_frequency_is_wordfreqs(word):
    """The tokenizer-free fast path gives wordfreq's own Zipf value (from
    Zipf 3 up: every decision is about more common words)."""
    from wordfreq import zipf_frequency

    from geomap.recognize import _plain_zipf

    assert _same_above_the_floor(_plain_zipf(word), zipf_frequency(word, "en"))


def test_plain_phrase_frequency_is_wordfreqs():
    """Folded multi-word names ("raquel henry") take the fast path too, with
    wordfreq's way of combining the words' frequencies; phrases with rarer
    words stay below the floor, as wordfreq has them."""
    import random

    from wordfreq import get_frequency_dict, zipf_frequency

    from geomap.frequencies import MIN_ZIPF
    from geomap.recognize import _frequencies, _plain_zipf, _zipf

    words = sorted(w for w in _frequencies() if w.isascii() and w.isalpha() and w.islower())
    rare = sorted(w for w, f in get_frequency_dict("en", "best").items()
                  if w.isascii() and w.isalpha() and w.islower() and w not in _frequencies())
    rng = random.Random(7)
    phrases = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
               for _ in range(3000)]
    phrases += [f"{w} zzqxvw" for w in rng.sample(words, 50)] + ["sheila d williams"]
    phrases += rng.sample(rare, 300) + [f"{a} {b}" for a, b in zip(rng.sample(words, 300),
                                                                    rng.sample(rare, 300))]
    above = 0
    for phrase in phrases:
        theirs = zipf_frequency(phrase, "en")
        above += theirs >= MIN_ZIPF
        assert _same_above_the_floor(_plain_zipf(phrase), theirs), phrase
    assert above > 1000
    # and the words that are not plain go to wordfreq itself
    for word in ("são paulo", "route 66", "o'brien", "a  b"):
        assert _zipf(word) == zipf_frequency(word, "en")


def test_common_word_threshold_is_at_least_the_floor(gaz):
    from geomap.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="common_word_zipf >= 3.0"):
        Recognizer(gaz, common_word_zipf=2.5)

