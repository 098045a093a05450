"""A user's own components, importable by worker processes (local pool, Dask).

Imported as ``custom_components`` (this folder is on ``sys.path`` under
pytest; spawned Dask workers inherit it), and named in a
:class:`~geomap.pipeline.PipelineSpec` as ``"custom_components:WordList"``.
"""

import re

from gazetteer.names import fold
from geomap.spans import Span


class WordList:
    """Recognises exactly the given words (whole words, as written), nothing else.

    A stand-in for a user's matcher: unlike geomap's recogniser it knows no
    context, so "Paris Hilton" is a place to it.
    """

    def __init__(self, gazetteer, *, words=("Geneva", "Moscow")):
        self.gazetteer = gazetteer
        self.words = tuple(words)
        alternatives = "|".join(map(re.escape, self.words))
        self._pattern = re.compile(rf"\b(?:{alternatives})\b")
        #: How many texts this instance recognised (one instance per process).
        self.calls = 0

    def recognize(self, text, sentences=None):
        self.calls += 1
        return [Span(m.start(), m.end(), m.group(), fold(m.group()))
                for m in self._pattern.finditer(text)]


def not_a_recognizer(gazetteer):
    """A factory whose product has no ``recognize`` method."""
    return object()


class Fragile(WordList):
    """A word list that fails on any text holding ``CRASH``."""

    def recognize(self, text, sentences=None):
        if "CRASH" in text:
            raise RuntimeError("this recogniser cannot take a crash")
        return super().recognize(text, sentences)
