"""Name folding: the one normal form used to index and look up names."""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

__all__ = ["fold", "key_hash"]

_APOSTROPHES = str.maketrans({c: "" for c in "'’‘`´ʼʻ"})
_NON_ALNUM = re.compile(r"[\W_]+")
# Letters that NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                          "ð": "d", "þ": "th", "ı": "i", "ə": "a"})


@lru_cache(maxsize=1 << 18)
def fold(name: str) -> str:
    """Fold a name to its lookup key.

    Case, diacritics, apostrophes, punctuation and hyphen/space variants are
    all folded away, so that ``"Nagorno-Karabakh"``, ``"nagorno karabakh"``
    and ``"NAGORNO–KARABAKH"`` share one key.

    Examples
    --------
    >>> fold("Nagorno-Karabakh")
    'nagorno karabakh'
    >>> fold("Genève")
    'geneve'
    >>> fold("St. John's")
    'st johns'
    """
    if name.isascii():
        # nothing to decompose or transliterate: the same result, much sooner
        return _NON_ALNUM.sub(" ", name.lower().translate(_APOSTROPHES)).strip()
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_SPECIAL).translate(_APOSTROPHES)
    return _NON_ALNUM.sub(" ", s).strip()


def key_hash(folded: str) -> int:
    """A stable 32-bit hash of a folded key (CRC-32 of its UTF-8 bytes).

    The store keeps the sorted hashes of all its keys, so that most words
    that are no name are turned away without a query.

    Examples
    --------
    >>> key_hash("geneva") == key_hash(fold("Geneva"))
    True
    """
    return zlib.crc32(folded.encode("utf-8"))
