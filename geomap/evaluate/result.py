"""The :class:`EvaluationResult` value object and its text and JSON forms."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from geomap.evaluate.metrics import PRF, ResolutionScores

__all__ = ["EvaluationResult", "views_table"]


def _clean(value):
    """JSON-safe copy: NaN becomes ``None``, tuples become lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _f(x: float, digits: int = 3) -> str:
    return "—" if math.isnan(x) else f"{x:.{digits}f}"


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Every metric of one evaluation run, with the counts behind them.

    Parameters
    ----------
    documents : int
        Documents evaluated.
    gold_toponyms, gold_with_coordinates : int
        Gold toponyms, and those of them with gold coordinates.
    predicted, predicted_resolved : int
        Predicted mentions, and those of them with a place.
    strict, lenient : PRF
        Recognition scores: same span; overlapping spans matched one-to-one.
    resolution : ResolutionScores
        Over leniently recognised gold toponyms that have coordinates; an
        unresolved prediction counts as an error of 20039 km.
    end_to_end : PRF
        F1@161: true positives are gold toponyms recognised (lenient) and
        resolved within 161 km; precision is over all predicted mentions,
        recall over gold toponyms with coordinates.
    unverifiable : int
        Predictions matched to gold toponyms without coordinates (626 gold
        toponyms of LGL have none): they count in end-to-end precision's
        denominator, as the standard definition has it.
    offset_mismatches : int
        Predicted mentions whose ``text`` is not the document text at their
        offsets (a pipeline bug; offsets were trusted).
    same_id_far : int
        Resolutions to the gold GeoNames id more than 161 km from the gold
        coordinates, scored 0 km as the right place (``match_ids``).
    seconds : float
        Wall time spent in ``predict``.
    docs_per_second : float
        ``documents / seconds``.
    top_missed, top_spurious, top_misplaced : tuple of (str, int)
        Most frequent missed gold strings, spurious predicted strings, and
        gold strings resolved too far away (or not at all).
    errors_path : str or None
        Where the error log was written.
    view : str
        Which gold toponyms were counted (:data:`~geomap.evaluate.views.VIEWS`).
    gold_areal : int
        Gold toponyms with an extent (``radius_km`` > 0) or that name a
        country or first-level division (found with the gazetteer): when there
        are any, the table shows the area-aware accuracy.
    ece, ece_area : float
        Expected calibration error (10 bins) of the predictions' ``score``
        against being right within 161 km, and against the area-aware match
        (inside the gold country or admin1 counts), over the resolved
        predictions the gold judges (a spurious one is wrong; one matched to
        gold without coordinates is left out).
    calibration : tuple of (float, int, int)
        Those predictions' ``(score, right, right area-aware)``, for the
        reliability diagram (not in :meth:`to_dict`).
    area_matched : bool
        Whether the gazetteer found the areal gold toponyms (else only
        ``radius_km`` makes one areal).
    """

    documents: int
    gold_toponyms: int
    gold_with_coordinates: int
    predicted: int
    predicted_resolved: int
    strict: PRF
    lenient: PRF
    resolution: ResolutionScores
    end_to_end: PRF
    unverifiable: int
    offset_mismatches: int
    same_id_far: int
    seconds: float
    docs_per_second: float
    top_missed: tuple[tuple[str, int], ...] = ()
    top_spurious: tuple[tuple[str, int], ...] = ()
    top_misplaced: tuple[tuple[str, int], ...] = ()
    errors_path: str | None = None
    view: str = "all"
    gold_areal: int = 0
    ece: float = math.nan
    ece_area: float = math.nan
    calibration: tuple[tuple[float, int, int], ...] = ()
    area_matched: bool = False

    def to_dict(self) -> dict:
        """Nested plain dict, JSON-safe (NaN as ``None``).

        Examples
        --------
        >>> from geomap.evaluate.metrics import prf, resolution_scores
        >>> r = EvaluationResult(1, 2, 2, 2, 1, prf(1, 2, 2), prf(2, 2, 2),
        ...     resolution_scores([10.0, 20039.0], unresolved=1), prf(1, 2, 2),
        ...     0, 0, 0, 0.5, 2.0)
        >>> r.to_dict()["resolution"]["accuracy_161"]
        0.5
        """
        return _clean(
            {
                "documents": self.documents,
                "view": self.view,
                "gold": {
                    "toponyms": self.gold_toponyms,
                    "with_coordinates": self.gold_with_coordinates,
                    "areal": self.gold_areal,
                },
                "predicted": {"mentions": self.predicted, "resolved": self.predicted_resolved},
                "recognition": {"strict": self.strict.to_dict(), "lenient": self.lenient.to_dict()},
                "resolution": self.resolution.to_dict(),
                "end_to_end_161": self.end_to_end.to_dict(),
                "calibration": {"judged": len(self.calibration), "ece": self.ece,
                                "ece_area": self.ece_area},
                "unverifiable": self.unverifiable,
                "offset_mismatches": self.offset_mismatches,
                "same_id_far": self.same_id_far,
                "speed": {"seconds": self.seconds, "docs_per_second": self.docs_per_second},
                "errors": {
                    "path": self.errors_path,
                    "top_missed": self.top_missed,
                    "top_spurious": self.top_spurious,
                    "top_misplaced": self.top_misplaced,
                },
            }
        )

    def to_json(self, **kwargs) -> str:
        """:meth:`to_dict` as a JSON string; ``kwargs`` go to :func:`json.dumps`."""
        kwargs.setdefault("indent", 2)
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def table(self) -> str:
        """The metrics as an aligned text table."""
        rows = [("", "precision", "recall", "F1", "tp", "predicted", "gold")]
        for label, s in (
            ("recognition, strict", self.strict),
            ("recognition, lenient", self.lenient),
            ("end to end @161 km", self.end_to_end),
        ):
            rows.append(
                (
                    label,
                    _f(s.precision),
                    _f(s.recall),
                    _f(s.f1),
                    f"{s.tp:,}",
                    f"{s.predicted:,}",
                    f"{s.gold:,}",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [
            *([f"view: {self.view}"] if self.view != "all" else []),
            f"documents {self.documents:,}; gold toponyms {self.gold_toponyms:,} "
            f"({self.gold_with_coordinates:,} with coordinates); predicted mentions "
            f"{self.predicted:,} ({self.predicted_resolved:,} resolved)",
            "",
        ]
        for r in rows:
            cells = [r[0].ljust(widths[0])] + [
                c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
        res = self.resolution
        lines += [
            "",
            f"resolution over {res.n:,} recognised toponyms with gold coordinates "
            f"({res.unresolved:,} unresolved, counted as 20039 km):",
            f"  accuracy@161 km  {_f(res.accuracy_161)}",
            *(
                [f"  area-aware       {_f(res.accuracy_161_area)}  (within 161 km of the "
                 f"extent of the {self.gold_areal:,} areal gold features)"]
                if self.gold_areal and not self.area_matched else []
            ),
            *(
                [f"  area-aware       {_f(res.accuracy_161_area)}  (a prediction inside the "
                 f"gold country or admin1 counts, for the {self.gold_areal:,} areal gold "
                 "toponyms)"] if self.area_matched else []
            ),
            f"  mean error       {_f(res.mean_km, 1)} km",
            f"  median error     {_f(res.median_km, 1)} km",
            f"  AUC              {_f(res.auc)}  (lower is better)",
            "",
            f"calibration of score over {len(self.calibration):,} judged resolved predictions: "
            f"ECE (10 bins) {_f(self.ece)} against within 161 km, "
            f"{_f(self.ece_area)} area-aware",
            "  (the targets: acc@161 and F1@161 use the plain match, as their baselines do; "
            "the score model is fitted to, and its ECE target judged by, the area-aware match)",
            "",
            f"speed: {_f(self.docs_per_second, 1)} documents/s ({self.seconds:.1f} s in predict)",
        ]
        if self.unverifiable:
            lines.append(
                f"note: {self.unverifiable:,} predictions match gold toponyms without "
                "coordinates (counted as predictions in end-to-end precision)"
            )
        if self.same_id_far:
            lines.append(
                f"note: {self.same_id_far:,} resolutions have the gold GeoNames id but lie "
                "over 161 km from the gold coordinates; scored as 0 km"
            )
        if self.offset_mismatches:
            lines.append(
                f"warning: {self.offset_mismatches:,} predicted mentions have text that "
                "differs from the document at their offsets"
            )
        for label, top in (
            ("most often missed", self.top_missed),
            ("most often spurious", self.top_spurious),
            ("most often misplaced or unresolved", self.top_misplaced),
        ):
            if top:
                lines.append(f"{label}: " + ", ".join(f"{s!r} {n}" for s, n in top))
        if self.errors_path:
            lines.append(f"errors written to {self.errors_path}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def views_table(results: dict[str, EvaluationResult]) -> str:
    """One line per view: recognition F1 (strict, lenient), accuracy@161 (plain and
    area-aware) and end-to-end F1@161, with the gold and predicted counts.

    Examples
    --------
    >>> from geomap.evaluate.metrics import prf, resolution_scores
    >>> r = EvaluationResult(1, 2, 2, 2, 2, prf(1, 2, 2), prf(2, 2, 2),
    ...     resolution_scores([10.0, 900.0]), prf(1, 2, 2), 0, 0, 0, 0.5, 2.0)
    >>> head, row = views_table({"all": r}).splitlines()
    >>> row.split()
    ['all', '2', '2', '0.500', '1.000', '1.000', '1.000', '0.500', '0.500', '0.500']
    """
    head = ("view", "gold", "predicted", "strict F1", "lenient P", "lenient R", "lenient F1",
            "acc@161", "area acc@161", "F1@161")
    rows = [head]
    for name, r in results.items():
        rows.append((name, f"{r.gold_toponyms:,}", f"{r.predicted:,}", _f(r.strict.f1),
                     _f(r.lenient.precision), _f(r.lenient.recall), _f(r.lenient.f1),
                     _f(r.resolution.accuracy_161), _f(r.resolution.accuracy_161_area),
                     _f(r.end_to_end.f1)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join([r[0].ljust(widths[0])]
                  + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]).rstrip()
        for r in rows)
