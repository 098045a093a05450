"""Tokens and sentences with character offsets into the original text."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress, repeat
from operator import itemgetter
from typing import Final, NamedTuple

from geomap.speedups import native

__all__ = ["Token", "tokenize", "token_columns", "token_table", "capitals", "spelled",
           "sentence_spans", "is_upper"]

# Dotted abbreviations ("U.S.", "U.K.") are one token; otherwise runs of
# letters/digits. Hyphens and apostrophes split tokens: a span over several
# tokens is folded as a whole, so "Nagorno-Karabakh" and "N'Djamena" still match.
# Written so that each token is found by a single pass: a letter or digit,
# then either full stop + (letter + full stop)+ after a letter (an
# abbreviation), or more letters and digits; the same tokens as
# ``(?:[^\W\d_]\.){2,}|[^\W_]+``, which tries two alternatives everywhere.
_TOKEN: Final = r"[^\W_](?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|[^\W_]*)"
# Capturing: re.split then alternates gaps and tokens.
_SPLIT: Final = re.compile(f"({_TOKEN})")
# The same for ASCII text, where letters and digits are [A-Za-z0-9]: a
# character class the regex engine tests much faster than Unicode categories.
_SPLIT_ASCII: Final = re.compile(r"([A-Za-z0-9](?:(?<=[A-Za-z])\.(?:[A-Za-z]\.)+|[A-Za-z0-9]*))")
# The word before a full stop, to tell "Mr." from a sentence end.
_LAST_WORD: Final = re.compile(r"([^\W\d_]+)\.?$")
# A sentence ends at . ! ? (plus closing quotes/brackets) before white space,
# or at a line break.
# Written to start with one character set, so that the regex engine skips
# to the candidates at C speed: the same matches as
# ``[.!?…]+["'”’»)\]]*(?=\s)|\n``.
_SENT_END: Final = re.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"'”’»)\]]*(?=\s))")
_ABBREV: Final = {
    "mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "gov", "sen", "rep", "lt", "col",
    "sgt", "capt", "jr", "sr", "co", "corp", "inc", "no", "vs", "prof", "rev", "ave",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
    "r", "s", "t", "u", "v", "w", "x", "y", "z", "calif", "mass", "conn", "fla", "ill",
    "wash", "tenn", "penn", "ariz", "colo", "okla", "wis", "minn", "mich", "ind", "va"}
#: How far before a full stop an abbreviation is looked for: the longest one,
#: and the character before it.
_LONGEST_ABBREV: Final = max(map(len, _ABBREV)) + 1


#: The same scanners as the regular expressions here, in one pass of C each
#: (``geomap/_scan.c``), or ``None`` (see :mod:`geomap.speedups`).
_NATIVE: Final = native("geomap._scan")
#: The C :func:`spelled`, or ``None`` (a Final: compiled, a call of a C
#: static, where ``_NATIVE.spelled`` looks the name up on the module each time).
_SPELLED: Final = _NATIVE.spelled if _NATIVE is not None else None


class Token(NamedTuple):
    """A word with its offsets; ``sentence`` is the index of its sentence.

    A named tuple: documents have thousands of tokens, and tuples are the
    cheapest immutable values Python makes.
    """

    start: int
    end: int
    text: str
    sentence: int
    is_capitalized: bool

    @property
    def is_upper(self) -> bool:
        return is_upper(self.text)


def is_upper(word: str) -> bool:
    """Is ``word`` written in capitals, with at least two letters ("UK", "U.S.")?

    Examples
    --------
    >>> is_upper("UK"), is_upper("A"), is_upper("Uk")
    (True, False, False)
    """
    # (a lower-case ASCII letter second, as in most capitalised words, says
    # no without the method call)
    if len(word) > 1 and 97 <= ord(word[1]) <= 122:
        return False
    return word.isupper() and sum(c.isalpha() for c in word) > 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence ``(start, end)`` spans.

    Examples
    --------
    >>> t = "Talks in Geneva. Mr. Smith left.\\nNew line"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Talks in Geneva.', 'Mr. Smith left.', 'New line']
    """
    if _NATIVE is not None:
        return _NATIVE.sentences(text, _ABBREV, _LONGEST_ABBREV)
    return _regex_sentence_spans(text)


def _regex_sentence_spans(text: str) -> list[tuple[int, int]]:
    """:func:`sentence_spans` by the regular expressions (the definition)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group()[0] == "." and _abbreviation_before(text, start, m.start()):
            continue
        _push(spans, text, start, end)
        start = end
    _push(spans, text, start, len(text))
    return spans


def _abbreviation_before(text: str, start: int, dot: int) -> bool:
    """Is the word ending at the full stop ``text[dot]`` an abbreviation ("Mr.")?"""
    # Only a short window is searched: a word longer than any abbreviation
    # that fills it is not one.
    lo = max(start, dot - _LONGEST_ABBREV)
    word = _LAST_WORD.search(text, lo, dot + 1)
    if word is None or (word.start() == lo and lo > start and text[lo - 1].isalpha()):
        return False
    return word.group(1).lower() in _ABBREV


def _push(spans, text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def token_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """The tokens of ``text`` as three columns: words, start and end offsets.

    The recogniser reads tokens by index from these lists: a document has
    thousands of tokens and only a few are looked at closely, so no object is
    made per token.

    Examples
    --------
    >>> token_columns("U.S. troops left.")
    (['U.S.', 'troops', 'left'], [0, 5, 12], [4, 11, 16])
    """
    if _NATIVE is not None:
        words, starts, ends, _ = _NATIVE.columns(text)
        return words, starts, ends
    return _regex_columns(text)


def token_table(text: str) -> tuple[list[str], list[int], list[int], list[bool]]:
    """:func:`token_columns`, and a fourth column: is the word capitalised
    (its first character upper case)?

    Examples
    --------
    >>> token_table("U.S. troops left.")[3]
    [True, False, False]
    """
    if _NATIVE is not None:
        return _NATIVE.columns(text)
    words, starts, ends = _regex_columns(text)
    return words, starts, ends, list(map(str.isupper, map(itemgetter(0), words)))


def capitals(caps: list[bool]) -> list[int]:
    """The indices of the true items of ``caps`` (:func:`token_table`'s fourth
    column): the capitalised tokens, in order.

    Examples
    --------
    >>> capitals(token_table("U.S. troops left Geneva.")[3])
    [0, 3]
    """
    if _NATIVE is not None:
        return _NATIVE.capitals(caps)
    return list(compress(range(len(caps)), caps))


def spelled(words: list[str], indices: list[int], word: str) -> list[int]:
    """The items ``i`` of ``indices``, in order, whose word ``words[i]`` is
    ``word``: where a document's capitalised tokens (:func:`capitals`) spell
    a word. (In C when built: a comparison of lengths and code units per
    index, where a compiled loop reads, unboxes and compares each.)

    Examples
    --------
    >>> words = token_table("Adkins met Dan Adkins.")[0]
    >>> spelled(words, [0, 2, 3], "Adkins")
    [0, 3]
    """
    if _SPELLED is not None:
        return _SPELLED(words, indices, word)
    return [i for i in indices if words[i] == word]



def _regex_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """:func:`token_columns` by the regular expression (the definition)."""
    # re.split gives [gap, token, gap, token, ..., gap]; the running sum of
    # the pieces' lengths gives every offset without a Python-level loop.
    pieces = (_SPLIT_ASCII if text.isascii() else _SPLIT).split(text)
    offsets = list(accumulate(map(len, pieces)))
    words = pieces[1::2]
    return words, offsets[0:-1:2], offsets[1::2]


def tokenize(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Token]:
    """Tokens of ``text`` with their sentence index.

    Examples
    --------
    >>> [t.text for t in tokenize("U.S. troops left Nagorno-Karabakh.")]
    ['U.S.', 'troops', 'left', 'Nagorno', 'Karabakh']
    """
    if sentences is None:
        sentences = sentence_spans(text)
    words, starts, ends = token_columns(text)
    bounds = [e for _, e in sentences[:-1]]
    index = map(bisect_right, repeat(bounds), starts)
    capitalized = map(str.isupper, map(itemgetter(0), words))
    # tuple.__new__ builds the named tuples at C speed (Token() calls Python code)
    return list(map(tuple.__new__, repeat(Token), zip(starts, ends, words, index, capitalized)))
