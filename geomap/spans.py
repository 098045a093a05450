"""The :class:`Span` value object: a place mention as recognition found it.

It lives in a module of its own, apart from :mod:`geomap.recognize`, so that
it stays a plain Python class (picklable, introspectable) when the recogniser
is compiled (see :mod:`geomap.speedups`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A recognised place mention: offsets, text and how it was found.

    ``key`` is the gazetteer name it matched (folded); ``kind`` is ``"name"``
    or ``"demonym"``; ``fuzzy`` is true when it matched by one edit.
    """

    start: int
    end: int
    text: str
    key: str
    kind: str = "name"
    fuzzy: bool = False
    sentence: int = 0
