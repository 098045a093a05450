"""The value objects of resolution: :class:`Resolution` and :class:`Scored`.

They live in a module of their own, apart from :mod:`geomap.resolve`, so that
they stay plain Python classes (picklable, introspectable) when the resolver
is compiled (see :mod:`geomap.speedups`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer.place import Place
from geomap.spans import Span

__all__ = ["Resolution", "Scored"]


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate place and the named parts of its score."""

    place: Place
    score: float
    parts: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome for one span: the chosen place (or ``None``) and why."""

    span: Span
    place: Place | None
    confidence: float
    candidates: tuple[Scored, ...] = ()

    def explain(self, top: int = 5) -> str:
        """A human-readable account of the candidates and why the winner won."""
        head = f"{self.span.text!r} [{self.span.start}:{self.span.end}]"
        if self.place is None and not self.candidates:
            return f"{head} -> no place (no candidate in the gazetteer)"
        if self.place is None:
            # withheld by the resolver (far away, or small and unsupported: see its parts)
            lines = [f"{head} -> no place (its best candidate is isolated and weak, "
                     "or small and unsupported)"]
        else:
            lines = [f"{head} -> {_label(self.place)} (confidence {self.confidence:.2f})"]
        for s in self.candidates[:top]:
            parts = ", ".join(f"{k} {v:+.2f}" for k, v in s.parts if v)
            lines.append(f"    {s.score:6.2f}  {_label(s.place)}  [{parts}]")
        if len(self.candidates) > top:
            lines.append(f"    ... {len(self.candidates) - top} more candidates")
        if len(self.candidates) > 1:
            lines.append("    " + versus(self.candidates[0], self.candidates[1]))
        return "\n".join(lines)


def versus(first: Scored, second: Scored) -> str:
    """Each part's contribution to the first candidate's lead over the second
    (parts by name, largest difference first; parts equal in both left out).

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> p = Place(id=1, name="A", lat=0.0, lon=0.0)
    >>> a = Scored(p, 5.0, (("population", 1.0), ("country", 4.0)))
    >>> b = Scored(p, 3.5, (("population", 2.5),))
    >>> versus(a, b)
    'winner - runner-up +1.50: country +4.00, population -1.50'
    """
    diff: dict[str, float] = {}
    for name, value in first.parts:
        diff[name] = diff.get(name, 0.0) + value
    for name, value in second.parts:
        diff[name] = diff.get(name, 0.0) - value
    shown = sorted(((n, d) for n, d in diff.items() if abs(d) >= 0.005),
                   key=lambda nd: -abs(nd[1]))
    return (f"winner - runner-up {first.score - second.score:+.2f}: "
            + (", ".join(f"{n} {d:+.2f}" for n, d in shown) or "no part differs"))


def _label(p: Place) -> str:
    return (f"{p.name} ({p.country_code or '--'}, {p.feature_code}, pop {p.population:,}, "
            f"id {p.id}, {p.lat:.3f},{p.lon:.3f})")
