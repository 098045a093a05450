"""Evaluate a geoparser against gold corpora (LGL, TR-News, GeoVirus, conflict-dev).

Read a corpus with :func:`read_corpus` (or :func:`load_corpus` to keep the
gold-data issues met while reading), then score a ``predict`` function,
document text -> mentions, with :func:`evaluate`; :func:`evaluate_corpus`
does both and prints the table, as the ``geomap evaluate`` command.

Examples
--------
>>> from gazetteer.place import Place
>>> from geomap.mentions import Mention
>>> doc = GoldDocument("d", "Rain in Lyon.", (GoldToponym(8, 12, "Lyon", 45.76, 4.835),))
>>> lyon = Place(id=2996944, name="Lyon", lat=45.748, lon=4.847)
>>> r = evaluate([doc], lambda text: [Mention("d", 8, 12, "Lyon", lyon)])
>>> r.end_to_end.f1
1.0
"""

from geomap.evaluate.corpora import (
    FORMATS,
    Corpus,
    CorpusStats,
    GoldDataWarning,
    GoldDocument,
    GoldFocus,
    GoldIssue,
    GoldToponym,
    detect_format,
    load_corpus,
    read_corpus,
)
from geomap.evaluate.errorlog import ErrorRecord, write_errors
from geomap.evaluate.harness import Predict, evaluate, evaluate_corpus, evaluate_views
from geomap.evaluate.matching import match_lenient, match_strict
from geomap.evaluate.metrics import (
    ACCURACY_KM,
    MAX_ERROR_KM,
    PRF,
    ResolutionScores,
    auc,
    distance_km,
    prf,
    resolution_scores,
)
from geomap.evaluate.result import EvaluationResult, views_table
from geomap.evaluate.views import VIEWS, View, apply_view

__all__ = [
    "ACCURACY_KM",
    "MAX_ERROR_KM",
    "FORMATS",
    "PRF",
    "Corpus",
    "CorpusStats",
    "ErrorRecord",
    "EvaluationResult",
    "GoldDataWarning",
    "GoldDocument",
    "GoldFocus",
    "GoldIssue",
    "GoldToponym",
    "Predict",
    "ResolutionScores",
    "VIEWS",
    "View",
    "apply_view",
    "auc",
    "detect_format",
    "distance_km",
    "evaluate",
    "evaluate_corpus",
    "evaluate_views",
    "load_corpus",
    "match_lenient",
    "match_strict",
    "prf",
    "read_corpus",
    "resolution_scores",
    "views_table",
    "write_errors",
]
