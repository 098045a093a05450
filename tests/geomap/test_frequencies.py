"""geomap.frequencies reads wordfreq's common words as wordfreq has them."""

import subprocess
import sys

from geomap import frequencies


def test_the_common_words_are_wordfreqs():
    from wordfreq import get_frequency_dict, zipf_frequency

    ours = frequencies._read_common()
    assert ours is not None                         # read from the file, not by wordfreq
    theirs = get_frequency_dict("en", "best")
    floor = 10 ** (frequencies.MIN_ZIPF - 9)
    assert {w for w, f in theirs.items() if f >= floor} == set(ours)
    assert all(theirs[w] == f for w, f in ours.items())
    assert 20_000 < len(ours) < len(theirs) / 5
    assert zipf_frequency("river", "en") >= frequencies.MIN_ZIPF and "river" in ours


def test_without_the_file_wordfreq_gives_its_whole_table(monkeypatch):
    from wordfreq import get_frequency_dict

    monkeypatch.setattr(frequencies, "_FILE", ("data", "no_such_list.msgpack.gz"))
    frequencies.common_english_frequencies.cache_clear()
    try:
        assert frequencies._read_common() is None
        assert frequencies.common_english_frequencies() is get_frequency_dict("en", "best")
    finally:
        frequencies.common_english_frequencies.cache_clear()


def test_reading_them_does_not_import_wordfreq():
    code = ("import sys; from geomap.frequencies import common_english_frequencies as f; "
            "f(); print('wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
