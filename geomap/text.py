"""Tokens and sentences with character offsets into the original text."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize", "sentence_spans"]

# Dotted abbreviations ("U.S.", "U.K.") are one token; otherwise runs of
# letters/digits. Hyphens and apostrophes split tokens: a span over several
# tokens is folded as a whole, so "Nagorno-Karabakh" and "N'Djamena" still match.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+")
# A sentence ends at . ! ? (plus closing quotes/brackets) before white space,
# or at a line break.
_SENT_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_ABBREV = {"mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "gov", "sen", "rep", "lt", "col",
           "sgt", "capt", "jr", "sr", "co", "corp", "inc", "no", "vs", "prof", "rev", "ave",
           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
           "r", "s", "t", "u", "v", "w", "x", "y", "z", "calif", "mass", "conn", "fla", "ill",
           "wash", "tenn", "penn", "ariz", "colo", "okla", "wis", "minn", "mich", "ind", "va"}


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
        return self.text.isupper() and sum(c.isalpha() for c in self.text) > 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence ``(start, end)`` spans.

    Examples
    --------
    >>> t = "Talks in Geneva. Mr. Smith left.\\nNew line"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Talks in Geneva.', 'Mr. Smith left.', 'New line']
    """
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group() != "\n":
            word = re.search(r"([^\W\d_]+)\.?$", text[start:m.start() + 1])
            if m.group().startswith(".") and word and word.group(1).lower() in _ABBREV:
                continue
        _push(spans, text, start, end)
        start = end
    _push(spans, text, start, len(text))
    return spans


def _push(spans, text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def tokenize(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Token]:
    """Tokens of ``text`` with their sentence index.

    Examples
    --------
    >>> [t.text for t in tokenize("U.S. troops left Nagorno-Karabakh.")]
    ['U.S.', 'troops', 'left', 'Nagorno', 'Karabakh']
    """
    if sentences is None:
        sentences = sentence_spans(text)
    out = []
    si = 0
    n = len(sentences)
    bound = sentences[0][1] if n > 1 else len(text) + 1
    for m in _TOKEN.finditer(text):
        s = m.start()
        if s >= bound:
            while si < n - 1 and s >= sentences[si][1]:
                si += 1
            bound = sentences[si][1] if si < n - 1 else len(text) + 1
        word = m.group()
        out.append(Token(s, m.end(), word, si, word[:1].isupper()))
    return out
