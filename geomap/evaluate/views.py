"""Views of a gold corpus: which gold toponyms (and predictions) a score counts.

A corpus that marks demonyms ("Ukrainian") and metonyms ("Moscow said") can
be scored on every toponym or on the literal place names only. A view keeps
some gold toponyms and drops the others; the predictions it ignores are those
labelled demonyms when demonyms are dropped, and those that overlap only
dropped gold toponyms (neither right nor wrong: the annotators decided
nothing about them in this view). These are the views, and the rules, of
conflict-dev's ``score.py``.

Examples
--------
>>> from geomap.evaluate.corpora import GoldDocument, GoldToponym
>>> from geomap.mentions import Mention
>>> doc = GoldDocument("d", "Moscow said Ukrainian towns were hit.", (
...     GoldToponym(0, 6, "Moscow", 55.75, 37.62, metonym=True),
...     GoldToponym(12, 21, "Ukrainian", 49.0, 32.0, kind="demonym")))
>>> kept, preds = apply_view(VIEWS["names-literal"], doc, [Mention("d", 0, 6, "Moscow")])
>>> kept.toponyms, preds
((), [])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from geomap.evaluate.corpora import GoldDocument, GoldToponym
from geomap.evaluate.matching import overlap
from geomap.mentions import Mention

__all__ = ["View", "VIEWS", "apply_view", "has_view_marks"]


@dataclass(frozen=True, slots=True)
class View:
    """Which gold toponyms a score counts.

    Parameters
    ----------
    name : str
        As ``score.py`` names it: ``all``, ``no-demonyms``, ``no-metonyms``,
        ``names-literal``.
    demonyms, metonyms : bool
        Whether gold demonyms, and gold metonyms, are kept.
    description : str
        One line for the table.

    Examples
    --------
    >>> VIEWS["no-demonyms"].keeps(GoldToponym(0, 9, "Ukrainian", kind="demonym"))
    False
    """

    name: str
    demonyms: bool
    metonyms: bool
    description: str

    def keeps(self, t: GoldToponym) -> bool:
        """Whether gold toponym ``t`` is counted in this view."""
        return (self.demonyms or t.kind != "demonym") and (self.metonyms or not t.metonym)


#: The views, by name, in the order they are printed.
VIEWS: dict[str, View] = {
    v.name: v
    for v in (
        View("all", True, True, "every toponym"),
        View("no-demonyms", False, True, "no demonyms"),
        View("no-metonyms", True, False, "no metonyms"),
        View("names-literal", False, False, "literal names only (no demonyms, no metonyms)"),
    )
}


def has_view_marks(documents: Sequence[GoldDocument]) -> bool:
    """Whether any gold toponym is marked a demonym or a metonym.

    Examples
    --------
    >>> has_view_marks([GoldDocument("d", "Paris", (GoldToponym(0, 5, "Paris"),))])
    False
    """
    return any(t.kind == "demonym" or t.metonym for d in documents for t in d.toponyms)


def apply_view(
    view: View, doc: GoldDocument, mentions: Sequence[Mention]
) -> tuple[GoldDocument, list[Mention]]:
    """The document with only the gold toponyms ``view`` keeps, and the predictions it scores.

    Predictions labelled demonyms (their ``kind`` contains "demonym") are
    ignored when the view drops demonyms; predictions that overlap a dropped
    gold toponym and no kept one are ignored.
    """
    if view.demonyms and view.metonyms:
        return doc, list(mentions)
    kept = tuple(t for t in doc.toponyms if view.keeps(t))
    dropped = [(t.start, t.end) for t in doc.toponyms if not view.keeps(t)]
    spans = [(t.start, t.end) for t in kept]
    out = []
    for m in mentions:
        if not view.demonyms and "demonym" in str(m.kind).lower():
            continue
        span = (m.start, m.end)
        if any(overlap(span, d) for d in dropped) and not any(overlap(span, g) for g in spans):
            continue
        out.append(m)
    return dataclasses.replace(doc, toponyms=kept), out
