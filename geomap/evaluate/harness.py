"""Run a geoparser over gold documents and score it.

:func:`evaluate` takes gold documents and a ``predict`` function (document
text -> mentions) and returns an :class:`~geomap.evaluate.result.EvaluationResult`;
:func:`evaluate_views` scores one run in several :mod:`~geomap.evaluate.views`
(every toponym, literal names only...); :func:`evaluate_corpus` is the
``geomap evaluate`` command: read a corpus, evaluate, print the table and
write the JSON and the error log.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import TextIO

from geomap.evaluate.areas import gold_area, inside
from geomap.evaluate.corpora import UNJUDGED_KINDS, GoldDocument, GoldToponym, load_corpus
from geomap.evaluate.errorlog import ErrorRecord, context, most_common, write_errors
from geomap.evaluate.matching import match_lenient, match_strict
from geomap.evaluate.metrics import (
    ACCURACY_KM,
    MAX_ERROR_KM,
    distance_km,
    prf,
    resolution_scores,
)
from geomap.evaluate.result import EvaluationResult, views_table
from geomap.evaluate.views import VIEWS, apply_view, has_view_marks
from geomap.mentions import Mention

__all__ = ["Predict", "evaluate", "evaluate_views", "evaluate_corpus"]

#: A geoparser: document text -> its mentions (``place`` None when unresolved).
Predict = Callable[[str], Sequence[Mention]]


@dataclass
class _Tally:
    """Running counts over documents (private, mutable)."""

    gold: int = 0
    gold_coords: int = 0
    predicted: int = 0
    resolved: int = 0
    strict_tp: int = 0
    lenient_tp: int = 0
    e2e_tp: int = 0
    unresolved: int = 0
    unverifiable: int = 0
    offset_mismatches: int = 0
    same_id_far: int = 0
    areal: int = 0
    errors_km: list[float] = field(default_factory=list)
    area_errors_km: list[float] = field(default_factory=list)
    records: list[ErrorRecord] = field(default_factory=list)
    # (score, right within 161 km, right area-aware) of each judged resolved prediction
    calibration: list[tuple[float, int, int]] = field(default_factory=list)


def _place_label(place) -> str:
    parts = [place.country_code, place.feature_code, f"id {place.id}"]
    return f"{place.name} ({', '.join(p for p in parts if p)})"


def _gold_label(t: GoldToponym) -> str | None:
    if t.name and t.geonameid is not None:
        return f"{t.name} (geonameid {t.geonameid})"
    return t.name


def _record(kind: str, doc: GoldDocument, g: GoldToponym | None, m: Mention | None, dist=None):
    if g is not None:
        span = (g.start, g.end)
    elif m is not None:
        span = (m.start, m.end)
    else:
        raise TypeError("an error record needs a gold toponym or a mention")
    p = m.place if m is not None else None
    return ErrorRecord(
        kind=kind,
        doc_id=doc.doc_id,
        start=span[0],
        end=span[1],
        gold_text=g.text if g is not None else None,
        predicted_text=doc.text[m.start : m.end] if m is not None else None,
        gold_place=_gold_label(g) if g is not None else None,
        gold_lat=g.lat if g is not None else None,
        gold_lon=g.lon if g is not None else None,
        predicted_place=_place_label(p) if p is not None else None,
        predicted_lat=p.lat if p is not None else None,
        predicted_lon=p.lon if p is not None else None,
        distance_km=dist,
        context=context(doc.text, *span),
    )


def _valid(mentions: Sequence[Mention], text: str, tally: _Tally) -> list[Mention]:
    """Mentions with usable offsets; counts (and drops) the others."""
    out = []
    for m in mentions:
        if not (isinstance(m.start, int) and isinstance(m.end, int)):
            tally.offset_mismatches += 1
            continue
        if not 0 <= m.start < m.end <= len(text):
            tally.offset_mismatches += 1
            continue
        if text[m.start : m.end] != m.text:
            tally.offset_mismatches += 1
        out.append(m)
    return out


def _error_km(g: GoldToponym, place, tally: _Tally, match_ids: bool) -> float:
    """Distance from the gold point to the place; 0 when both have the same GeoNames id."""
    point = g.point
    if point is None:
        raise ValueError(f"gold toponym {g.text!r} at {g.start} has no coordinates to measure from")
    d = distance_km(point, place.point)
    if match_ids and g.geonameid is not None and place.geonameid == g.geonameid:
        tally.same_id_far += d > ACCURACY_KM
        return 0.0
    return d


def _score_document(
    doc: GoldDocument, mentions: list[Mention], tally: _Tally, match_ids: bool,
    gazetteer=None, unjudged: frozenset = frozenset(),
) -> None:
    gold_spans = [(t.start, t.end) for t in doc.toponyms]
    pred_spans = [(m.start, m.end) for m in mentions]
    tally.gold += len(gold_spans)
    tally.predicted += len(mentions)
    tally.resolved += sum(m.place is not None for m in mentions)
    tally.strict_tp += len(match_strict(gold_spans, pred_spans))
    lenient = match_lenient(gold_spans, pred_spans)
    tally.lenient_tp += len(lenient)
    # the country or admin1 each gold toponym names, if any (the area-aware match)
    areas = [gold_area(g, gazetteer) if gazetteer is not None else None for g in doc.toponyms]
    owner = {j: i for i, j in lenient.items()}
    for j, m in enumerate(mentions):
        if m.place is None:
            continue
        i = owner.get(j)
        if i is None:
            if m.kind not in unjudged:
                tally.calibration.append((m.score, 0, 0))
            continue
        g = doc.toponyms[i]
        if g.has_coordinates:
            right = _error_km(g, m.place, _Tally(), match_ids) <= ACCURACY_KM
            area = right or inside(m.place, areas[i])
            tally.calibration.append((m.score, int(right), int(area)))

    for i, g in enumerate(doc.toponyms):
        tally.gold_coords += g.has_coordinates
        tally.areal += g.radius_km > 0 or areas[i] is not None
        hit = lenient.get(i)
        if hit is None:
            tally.records.append(_record("missed", doc, g, None))
            continue
        m = mentions[hit]
        if pred_spans[hit] != gold_spans[i]:
            tally.records.append(_record("boundary", doc, g, m))
        if not g.has_coordinates:
            tally.unverifiable += 1
        elif m.place is None:
            tally.unresolved += 1
            tally.errors_km.append(MAX_ERROR_KM)
            tally.area_errors_km.append(MAX_ERROR_KM)
            tally.records.append(_record("unresolved", doc, g, m))
        else:
            d = _error_km(g, m.place, tally, match_ids)
            tally.errors_km.append(d)
            if inside(m.place, areas[i]):
                tally.area_errors_km.append(0.0)     # inside the gold country or admin1
            else:
                tally.area_errors_km.append(max(0.0, d - g.radius_km))
            if d <= ACCURACY_KM:
                tally.e2e_tp += 1
            else:
                tally.records.append(_record("misplaced", doc, g, m, d))

    matched = set(lenient.values())
    for j, m in enumerate(mentions):
        if j not in matched:
            tally.records.append(_record("spurious", doc, None, m))


def _progress(documents: Sequence[GoldDocument], enabled: bool) -> Iterable[GoldDocument]:
    if not enabled:
        return documents
    from tqdm.auto import tqdm

    return tqdm(documents, desc="evaluate", unit="doc")


def evaluate(
    documents: Iterable[GoldDocument],
    predict: Predict,
    *,
    errors_path: str | PathLike | None = None,
    progress: bool = False,
    match_ids: bool = False,
    view: str = "all",
    gazetteer=None,
    unjudged: frozenset = frozenset(),
) -> EvaluationResult:
    """Run ``predict`` on every document and score its mentions against the gold.

    Parameters
    ----------
    documents : iterable of GoldDocument
        E.g. from :func:`~geomap.evaluate.corpora.read_corpus`.
    predict : callable
        ``predict(text) -> Sequence[Mention]`` with 0-based, end-exclusive
        offsets into ``text``; ``place`` is ``None`` for mentions recognised
        but not resolved.  Only ``start``, ``end``, ``text`` and ``place``
        are read.
    errors_path : str or path-like, optional
        Where to write the error log (TSV, see :mod:`geomap.evaluate.errorlog`).
    progress : bool
        Show a progress bar (tqdm) on stderr.
    match_ids : bool
        Score a prediction with the gold GeoNames id as 0 km, whatever the
        distance between the two sources' coordinates for it (see Notes).
    view : str
        Which gold toponyms count (:data:`~geomap.evaluate.views.VIEWS`):
        ``"all"`` (default), ``"no-demonyms"``, ``"no-metonyms"`` or
        ``"names-literal"``.
    gazetteer : gazetteer.Gazetteer, optional
        Finds the areal gold toponyms (countries, first-level divisions:
        :mod:`~geomap.evaluate.areas`) for the area-aware match: a prediction
        inside the gold area counts as right (0 km). Without it, only a gold
        ``radius_km`` (conflict-dev) makes a toponym areal.
    unjudged : frozenset of str
        Kinds of prediction (``Mention.kind``) the gold does not judge
        (:data:`~geomap.evaluate.corpora.UNJUDGED_KINDS`): left out of the
        calibration figures.

    Returns
    -------
    EvaluationResult

    Notes
    -----
    Recognition: strict = same span; lenient = overlapping spans, matched
    one-to-one (maximum matching).  Resolution is scored over gold toponyms
    with coordinates that are leniently recognised; a recognised but
    unresolved prediction counts as an error of 20039 km (Gritta et al. 2018).
    End to end, a gold toponym is a true positive when recognised and
    resolved within 161 km (great-circle distance); precision is over all
    predicted mentions, recall over gold toponyms with coordinates.
    Predictions matched to gold toponyms without coordinates are counted
    in ``unverifiable`` (they cap a perfect system's end-to-end precision,
    at 0.88 on LGL).  Mentions with offsets
    outside the text are dropped and counted in ``offset_mismatches``, as
    are mentions whose ``text`` differs from the document at their offsets
    (those are kept, offsets trusted).

    With ``match_ids`` (off by default: the standard metric is distance to
    the gold coordinates), a prediction whose place has the gold GeoNames
    id is the right place and scores 0 km: coordinates of large
    places differ between GeoNames releases and sources (the United States
    is at 39.76, -98.5 in LGL's GeoNames and 38, -97 in others, 235 km
    apart), which would otherwise count correct resolutions as misplaced.
    ``same_id_far`` in the result counts how often this changed the verdict.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.evaluate.corpora import GoldDocument, GoldToponym
    >>> doc = GoldDocument("d", "From Paris to Lyon.", (
    ...     GoldToponym(5, 10, "Paris", 48.857, 2.352),
    ...     GoldToponym(14, 18, "Lyon", 45.76, 4.835)))
    >>> paris = Place(id=2988507, name="Paris", lat=48.853, lon=2.349)
    >>> def predict(text):
    ...     return [Mention("d", 5, 10, "Paris", paris), Mention("d", 0, 4, "From")]
    >>> r = evaluate([doc], predict)
    >>> r.strict.precision, r.strict.recall, r.resolution.accuracy_161
    (0.5, 0.5, 1.0)
    """
    return evaluate_views(documents, predict, (view,), errors_path=errors_path,
                          progress=progress, match_ids=match_ids, gazetteer=gazetteer,
                          unjudged=unjudged)[view]


def evaluate_views(
    documents: Iterable[GoldDocument],
    predict: Predict,
    views: Sequence[str] = tuple(VIEWS),
    *,
    errors_path: str | PathLike | None = None,
    progress: bool = False,
    match_ids: bool = False,
    gazetteer=None,
    unjudged: frozenset = frozenset(),
) -> dict[str, EvaluationResult]:
    """Run ``predict`` once on every document and score it in each view.

    Parameters are those of :func:`evaluate`; ``views`` names the
    :data:`~geomap.evaluate.views.VIEWS` to score. The error log, when
    asked for, is that of the first view.

    Returns
    -------
    dict
        ``{view name: EvaluationResult}``, in the order of ``views``.

    Raises
    ------
    ConfigurationError
        If a view is not one of :data:`~geomap.evaluate.views.VIEWS`.

    Examples
    --------
    >>> from gazetteer.place import Place
    >>> from geomap.evaluate.corpora import GoldDocument, GoldToponym
    >>> doc = GoldDocument("d", "Kyiv said Lviv was hit.", (
    ...     GoldToponym(0, 4, "Kyiv", 50.45, 30.52, metonym=True),
    ...     GoldToponym(10, 14, "Lviv", 49.84, 24.03)))
    >>> lviv = Place(id=702550, name="Lviv", lat=49.84, lon=24.02)
    >>> r = evaluate_views([doc], lambda text: [Mention("d", 10, 14, "Lviv", lviv)])
    >>> r["all"].lenient.recall, r["names-literal"].lenient.recall
    (0.5, 1.0)
    """
    from geomap.errors import ConfigurationError

    unknown = [v for v in views if v not in VIEWS]
    if unknown or not views:
        raise ConfigurationError(
            f"Unknown view(s) {unknown!r}; valid views are: {', '.join(VIEWS)}")
    documents = list(documents)
    predictions, seconds, mismatches = _predict_all(documents, predict, progress)
    if mismatches:
        warnings.warn(
            f"{mismatches} predicted mentions have offsets that do not match "
            "the document text",
            RuntimeWarning,
            stacklevel=2,
        )
    results = {}
    for k, name in enumerate(views):
        results[name] = _score(documents, predictions, VIEWS[name], match_ids, seconds,
                               mismatches, errors_path if k == 0 else None, gazetteer,
                               unjudged)
    return results


def _predict_all(documents: Sequence[GoldDocument], predict: Predict, progress: bool):
    """Each document's valid mentions, the seconds spent in ``predict`` and the
    number of mentions whose offsets do not match the text."""
    counter = _Tally()
    seconds = 0.0
    out = []
    for doc in _progress(documents, progress):
        t0 = time.perf_counter()
        mentions = list(predict(doc.text))
        seconds += time.perf_counter() - t0
        out.append(_valid(mentions, doc.text, counter))
    return out, seconds, counter.offset_mismatches


def _score(documents, predictions, view, match_ids, seconds, mismatches, errors_path,
           gazetteer=None, unjudged=frozenset()):
    from geomap.calibration import expected_calibration_error

    tally = _Tally(offset_mismatches=mismatches)
    for doc, mentions in zip(documents, predictions, strict=True):
        doc, mentions = apply_view(view, doc, mentions)
        _score_document(doc, mentions, tally, match_ids, gazetteer, unjudged)
    if errors_path is not None:
        write_errors(tally.records, errors_path)
    n = len(documents)
    return EvaluationResult(
        documents=n,
        gold_toponyms=tally.gold,
        gold_with_coordinates=tally.gold_coords,
        predicted=tally.predicted,
        predicted_resolved=tally.resolved,
        strict=prf(tally.strict_tp, tally.predicted, tally.gold),
        lenient=prf(tally.lenient_tp, tally.predicted, tally.gold),
        resolution=resolution_scores(tally.errors_km, unresolved=tally.unresolved,
                                     area_errors_km=tally.area_errors_km),
        end_to_end=prf(tally.e2e_tp, tally.predicted, tally.gold_coords),
        unverifiable=tally.unverifiable,
        offset_mismatches=tally.offset_mismatches,
        same_id_far=tally.same_id_far,
        seconds=seconds,
        docs_per_second=n / seconds if seconds > 0 else float("nan"),
        top_missed=most_common(tally.records, "missed"),
        top_spurious=most_common(tally.records, "spurious"),
        top_misplaced=most_common(tally.records, ("misplaced", "unresolved")),
        errors_path=str(errors_path) if errors_path is not None else None,
        view=view.name,
        gold_areal=tally.areal,
        ece=expected_calibration_error([c[0] for c in tally.calibration],
                                       [c[1] for c in tally.calibration]),
        ece_area=expected_calibration_error([c[0] for c in tally.calibration],
                                            [c[2] for c in tally.calibration]),
        calibration=tuple(tally.calibration),
        area_matched=gazetteer is not None,
    )


def evaluate_corpus(
    path: str | PathLike,
    predict: Predict,
    *,
    errors_path: str | PathLike | None = None,
    json_path: str | PathLike | None = None,
    limit: int | None = None,
    progress: bool = False,
    out: TextIO | None = None,
    gazetteer=None,
    calibration_path: str | PathLike | None = None,
) -> EvaluationResult:
    """``geomap evaluate CORPUS``: read, evaluate, print the table, write JSON.

    A corpus that marks demonyms and metonyms (conflict-dev) is scored in
    every view of :data:`~geomap.evaluate.views.VIEWS`: the full table is
    that of all toponyms, followed by one line per view; the JSON then has
    a ``views`` member with each view's metrics.

    Parameters
    ----------
    path : str or path-like
        A gold corpus: LGL/TR-News or GeoVirus XML, or a conflict-dev folder
        or its ``gold.json`` (detected).
    predict : callable
        The geoparser, as for :func:`evaluate`.
    errors_path : str or path-like, optional
        Error log (TSV) to write.
    json_path : str or path-like, optional
        File to write the result as JSON; ``"-"`` prints it to ``out``.
    limit : int, optional
        Evaluate only the first ``limit`` documents.
    progress : bool
        Show a progress bar.
    out : text stream, optional
        Where to print; standard output by default.
    gazetteer : gazetteer.Gazetteer, optional
        For the area-aware match (see :func:`evaluate`).
    calibration_path : str or path-like, optional
        Draw the reliability diagram of ``score`` here (PNG; needs the
        ``[plot]`` extra, matplotlib).

    Returns
    -------
    EvaluationResult
        Of all toponyms (view ``all``).

    Raises
    ------
    InputError
        If the corpus cannot be read or an output file cannot be written.
    ConfigurationError
        If ``limit`` is negative.
    """
    from pathlib import Path

    from geomap.errors import ConfigurationError, InputError

    out = out if out is not None else sys.stdout
    if limit is not None and limit < 0:
        raise ConfigurationError(f"limit must be >= 0, instead got: {limit}")
    corpus = load_corpus(path)
    print(f"corpus {corpus.path} ({corpus.format}): {corpus.stats}", file=out)
    if corpus.issues:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(corpus.issue_counts().items()))
        print(f"gold data issues: {counts}", file=out)
    documents = corpus.documents[:limit] if limit is not None else corpus.documents
    views = tuple(VIEWS) if has_view_marks(documents) else ("all",)
    results = evaluate_views(documents, predict, views, errors_path=errors_path,
                             progress=progress, gazetteer=gazetteer,
                             unjudged=UNJUDGED_KINDS.get(corpus.format, frozenset()))
    result = results["all"]
    print(result.table(), file=out)
    data = result.to_dict()
    if len(results) > 1:
        print("\nby view (demonyms, metonyms: gold marks; a prediction labelled demonym, or "
              "overlapping only gold the view leaves out, is not counted):", file=out)
        print(views_table(results), file=out)
        data["views"] = {name: r.to_dict() for name, r in results.items()}
    if calibration_path is not None:
        from geomap.calibration import plot_reliability

        pairs = result.calibration
        curves: dict[str, tuple[Sequence[float], Sequence[int]]] = {
            "within 161 km": ([c[0] for c in pairs], [c[1] for c in pairs])}
        if result.area_matched:
            curves["area-aware"] = ([c[0] for c in pairs], [c[2] for c in pairs])
        plot_reliability(curves, calibration_path,
                         title=f"reliability of score: {Path(corpus.path).name}")
        print(f"reliability diagram written to {calibration_path}", file=out)
    if json_path is not None:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        if str(json_path) == "-":
            print(text, file=out)
        else:
            try:
                Path(json_path).write_text(text + "\n", encoding="utf-8")
            except OSError as err:
                raise InputError(f"Cannot write {json_path}: {err}") from err
    return result
