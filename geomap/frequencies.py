"""English word frequencies from wordfreq's table, the common words only.

The recogniser asks whether a word is common in English ("Will", "Enter")
with `wordfreq <https://github.com/rspeer/wordfreq>`_'s frequencies, and
every question it asks is "at least this common?" for a Zipf value of
:data:`MIN_ZIPF` or more. So only the words that common are read: wordfreq
keeps its lists most frequent first, and the 29,000 words of Zipf 3 and more
are read in 0.005 s (the first 250 KB of the file, decompressed), where
wordfreq's whole table of 321,000 words takes 0.1 s, which every worker
process would pay.

Examples
--------
>>> freqs = common_english_frequencies()
>>> freqs["the"] > freqs["river"] > 10 ** -6
True
>>> "zzqxv" in freqs
False
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import os
from itertools import repeat

__all__ = ["MIN_ZIPF", "common_english_frequencies"]

#: The rarest words read: Zipf 3, a frequency of one in a million words.
MIN_ZIPF = 3.0
#: Bytes the unpacker reads from the decompressed file at a time.
_READ_SIZE = 1 << 16
#: wordfreq's best English list ("best" is the large list where there is one).
_FILE = ("data", "large_en.msgpack.gz")


@functools.cache
def common_english_frequencies() -> dict[str, float]:
    """Word -> frequency (0..1), as ``wordfreq.get_frequency_dict("en", "best")``
    has it, for the words of Zipf :data:`MIN_ZIPF` and more (and perhaps some
    rarer ones).

    Read from wordfreq's ``large_en`` file: a gzipped msgpack "cBpack", a
    header and then lists of words by frequency in centibels, most frequent
    first (as wordfreq's ``read_cBpack`` documents); the words of list ``i``
    have wordfreq's frequency ``10 ** (-i / 100)``, Zipf ``9 - i / 100``.
    When the file is not there or not in that format (another wordfreq
    release), wordfreq's own table is used. ``tests/geomap/test_frequencies.py``
    checks both against wordfreq.
    """
    freqs = _read_common()
    if freqs is None:
        from wordfreq import get_frequency_dict

        return get_frequency_dict("en", "best")
    return freqs


def _read_common() -> dict[str, float] | None:
    """The common words' frequencies from wordfreq's file, or ``None`` if it
    cannot be read."""
    spec = importlib.util.find_spec("wordfreq")      # finds the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(spec.submodule_search_locations[0], *_FILE)
    last = round((9 - MIN_ZIPF) * 100)              # the list of the rarest words read
    freqs: dict[str, float] = {}
    try:
        import msgpack

        with gzip.open(path, "rb") as fh:
            # read in small steps: the common words take the file's first
            # ~250 KB (of 2.6 MB); the default step, 1 MB, would decompress
            # four times that (5 ms more at every start-up)
            unpacker = msgpack.Unpacker(fh, raw=False, read_size=_READ_SIZE)
            size = unpacker.read_array_header()
            header = unpacker.unpack()
            if not isinstance(header, dict) or header.get("format") != "cB" \
                    or header.get("version") != 1:
                return None
            for index in range(min(size - 1, last + 1)):
                bucket = unpacker.unpack()
                if bucket:      # a later list's word replaces an earlier one, as in wordfreq
                    freqs.update(zip(bucket, repeat(10 ** (-index / 100))))
    except Exception:       # missing, moved or another format: wordfreq knows
        return None
    return freqs
