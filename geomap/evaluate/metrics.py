"""The standard geoparsing metrics, as small functions and frozen score values.

Recognition is scored by precision, recall and F1 (:class:`PRF`).  Resolution
is scored over error distances in km (:class:`ResolutionScores`):
accuracy@161 km, mean and median error, and the area under the curve of
sorted log errors (Gritta et al. 2018, "What's missing in geographical
parsing?"), normalised so that 0 is perfect and 1 is every error at the
antipode:

    AUC = trapz(log(1 + sorted_errors_km)) / (log(MAX_ERROR_KM) * (n - 1))

Distances are great-circle distances (geopy's :class:`~geopy.distance.great_circle`,
mean Earth radius 6371.009 km): within 0.5 % of the geodesic, which does not
matter at a 161 km threshold and is several times faster.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

__all__ = [
    "ACCURACY_KM",
    "MAX_ERROR_KM",
    "PRF",
    "ResolutionScores",
    "distance_km",
    "prf",
    "auc",
    "resolution_scores",
]

#: Threshold of accuracy@161: 161 km = 100 miles.
ACCURACY_KM = 161.0
#: Largest error: half the Earth's circumference, used for unresolved mentions.
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 from counts of true positives, predictions and gold.

    Precision (recall) is NaN when there are no predictions (no gold); F1 is 0
    when both are 0 and NaN when either is NaN.

    Examples
    --------
    >>> s = prf(3, 4, 6)
    >>> round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)
    (0.75, 0.5, 0.6)
    """

    tp: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ResolutionScores:
    """Scores of error distances.

    Parameters
    ----------
    n : int
        Number of errors scored (recognised toponyms with gold coordinates).
    unresolved : int
        How many of them had no predicted place; each counts as an error of
        :data:`MAX_ERROR_KM`.
    accuracy_161 : float
        Fraction of errors <= 161 km.
    mean_km, median_km : float
        Mean and median error.
    auc : float
        Area under the curve of sorted log errors, 0 (best) to 1.
    accuracy_161_area : float
        Area-aware accuracy@161: the fraction of errors <= 161 km once the
        gold feature's extent (``radius_km`` of a country, region, sea or
        river) is taken off the distance; equal to ``accuracy_161`` when no
        gold toponym has an extent.

    Examples
    --------
    >>> r = resolution_scores([0.0, 100.0, 1000.0, 20039.0], unresolved=1)
    >>> r.accuracy_161, r.median_km
    (0.5, 550.0)
    """

    n: int
    unresolved: int
    accuracy_161: float
    mean_km: float
    median_km: float
    auc: float
    accuracy_161_area: float = math.nan

    def to_dict(self) -> dict:
        return asdict(self)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two ``(lat, lon)`` points.

    Examples
    --------
    >>> round(distance_km((48.8566, 2.3522), (51.5074, -0.1278)))
    344
    """
    from geopy.distance import great_circle

    return great_circle(a, b).km


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


def prf(tp: int, predicted: int, gold: int) -> PRF:
    """Precision, recall and F1 of ``tp`` true positives among counts.

    Examples
    --------
    >>> prf(0, 0, 5).recall, prf(0, 2, 5).f1
    (0.0, 0.0)
    """
    p, r = _ratio(tp, predicted), _ratio(tp, gold)
    if math.isnan(p) or math.isnan(r):
        f1 = math.nan
    else:
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(tp, predicted, gold, p, r, f1)


def auc(errors_km: Sequence[float]) -> float:
    """Normalised area under the curve of sorted log errors (lower is better).

    ``trapz(log(1 + e)) / (log(MAX_ERROR_KM) * (n - 1))`` over the errors
    sorted ascending, errors clipped to ``[0, MAX_ERROR_KM]``.  The formula
    is Gritta et al.'s as published, so all errors at the maximum give
    ``log(20040) / log(20039)``, a hair above 1.  With one error the curve
    is a point and its height ``log(1 + e) / log(MAX_ERROR_KM)`` is
    returned; with none, NaN.

    Examples
    --------
    >>> auc([0.0, 0.0]), round(auc([20039.0, 20039.0]), 4)
    (0.0, 1.0)
    >>> round(auc([0.0, 20039.0]), 3)
    0.5
    """
    ys = [math.log1p(min(max(e, 0.0), MAX_ERROR_KM)) for e in sorted(errors_km)]
    scale = math.log(MAX_ERROR_KM)
    if not ys:
        return math.nan
    if len(ys) == 1:
        return ys[0] / scale
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:], strict=False))
    return area / (scale * (len(ys) - 1))


def resolution_scores(
    errors_km: Sequence[float],
    *,
    unresolved: int = 0,
    area_errors_km: Sequence[float] | None = None,
) -> ResolutionScores:
    """Accuracy@161, mean and median error and AUC of error distances in km.

    ``unresolved`` only records how many of the errors stand for unresolved
    mentions; they must already be in ``errors_km`` (as :data:`MAX_ERROR_KM`).
    ``area_errors_km``, the same errors less each gold feature's extent
    (never below 0), gives the area-aware accuracy; without it, that is
    ``accuracy_161``.

    Examples
    --------
    >>> r = resolution_scores([])
    >>> r.n, r.accuracy_161
    (0, nan)
    >>> r = resolution_scores([10.0, 900.0], area_errors_km=[10.0, 0.0])
    >>> r.accuracy_161, r.accuracy_161_area
    (0.5, 1.0)
    """
    n = len(errors_km)
    if not n:
        return ResolutionScores(0, unresolved, math.nan, math.nan, math.nan, math.nan)
    within = sum(e <= ACCURACY_KM for e in errors_km)
    area = errors_km if area_errors_km is None else area_errors_km
    if len(area) != n:
        raise ValueError(f"Expected {n} area errors, instead got: {len(area)}")
    return ResolutionScores(
        n=n,
        unresolved=unresolved,
        accuracy_161=within / n,
        mean_km=statistics.fmean(errors_km),
        median_km=statistics.median(errors_km),
        auc=auc(errors_km),
        accuracy_161_area=sum(e <= ACCURACY_KM for e in area) / n,
    )
