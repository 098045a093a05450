"""One-to-one matching of predicted spans to gold spans.

Spans are ``(start, end)`` pairs, end-exclusive.  Two matchings are used:

strict
    a prediction matches a gold span with exactly the same offsets;
lenient
    a prediction matches a gold span it overlaps (shares at least one
    character with).  Among all one-to-one matchings the one with the most
    pairs is chosen (so a long prediction covering two gold spans counts
    once, and never blocks a pairing that another prediction could make);
    ties prefer exact spans, then larger overlaps, then earlier predictions.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["overlap", "match_strict", "match_lenient"]

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    """Number of characters two end-exclusive spans share.

    Examples
    --------
    >>> overlap((0, 5), (3, 9)), overlap((0, 5), (5, 9))
    (2, 0)
    """
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_strict(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[int, int]:
    """Pair gold and predicted spans with identical offsets, one-to-one.

    Returns
    -------
    dict
        ``{gold index: predicted index}``; a repeated prediction matches once.

    Examples
    --------
    >>> match_strict([(0, 5), (9, 12)], [(9, 12), (9, 12), (0, 4)])
    {1: 0}
    """
    free: dict[Span, list[int]] = {}
    for j, span in enumerate(predicted):
        free.setdefault((span[0], span[1]), []).append(j)
    pairs = {}
    for i, span in enumerate(gold):
        candidates = free.get((span[0], span[1]))
        if candidates:
            pairs[i] = candidates.pop(0)
    return pairs


def match_lenient(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[int, int]:
    """Pair gold and predicted spans that overlap: a maximum one-to-one matching.

    Uses augmenting paths (Kuhn's algorithm); documents have tens of spans,
    so this is fast.  Candidates are tried in order of preference (exact,
    larger overlap, earlier start), which decides between equally large
    matchings.

    Returns
    -------
    dict
        ``{gold index: predicted index}``.

    Examples
    --------
    A prediction that overlaps two gold spans matches one of them; the other
    gold span stays unmatched.

    >>> match_lenient([(0, 8), (9, 15)], [(0, 15)])
    {0: 0}

    The matching is maximal: ``(2, 11)`` goes to the second gold span so
    that ``(0, 3)`` can match the first.

    >>> dict(sorted(match_lenient([(0, 8), (9, 15)], [(2, 11), (0, 3)]).items()))
    {0: 1, 1: 0}
    """
    candidates: list[list[int]] = []
    for g in gold:
        near = [j for j, p in enumerate(predicted) if overlap(g, p) > 0]
        near.sort(key=lambda j: (tuple(predicted[j]) != tuple(g), -overlap(g, predicted[j]), j))
        candidates.append(near)

    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        if candidates[i]:
            augment(i, set())
    return {i: j for j, i in owner.items()}
