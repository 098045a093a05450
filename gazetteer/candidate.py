"""The :class:`Candidate` value object: a place a name may refer to."""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer.place import Place

__all__ = ["Candidate"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a looked-up name may refer to.

    Parameters
    ----------
    place : Place
    matched : str
        The name, as stored (original spelling), whose folded form matched.
    kind : str
        What kind of name it is for that place: ``"name"``, ``"alternate"``,
        ``"abbreviation"``, ``"demonym"``, ``"historical"`` or ``"metonym"``.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> c = Candidate(Place(id=174982, name="Armenia", lat=40.25, lon=45.0,
    ...               country_code="AM", feature_class="A", feature_code="PCLI"),
    ...               matched="Armenian", kind="demonym")
    >>> c.place.name, c.kind
    ('Armenia', 'demonym')
    """

    place: Place
    matched: str
    kind: str
