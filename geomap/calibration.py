"""The calibrated ``score``: the probability that a mention is right.

A mention's ``score`` is the probability that it is a real place mention
AND that its place lies within 161 km of the place meant: a logistic
regression over what the pipeline knows of the resolution (the features of
:func:`geomap.assemble.features`: the old share among the name's candidates,
population, feature class, how the name was written and matched, how much of
the document agrees...), and the products of a few pairs of them (the
model's ``pairs``: how much the document agrees matters more for a small
town than for a country, say). Its parameters are a small JSON file,
``geomap/data/score_model.json``, fitted by ``benchmarks/fit_score.py`` on
LGL, GeoVirus and conflict-dev with document-level cross-validation; this
module evaluates it in pure Python (no numpy at run time).

It also holds the measures of calibration that ``geomap evaluate`` and the
fitting script report: :func:`expected_calibration_error`,
:func:`reliability` and :func:`brier_score`, and the reliability diagram
(:func:`plot_reliability`, with the ``[plot]`` extra).

Examples
--------
>>> m = ScoreModel(("a", "b"), (1.0, -2.0), 0.5)
>>> round(m.probability([1.0, 0.0]), 4)
0.8176
>>> m2 = ScoreModel(("a", "b"), (1.0, -2.0), 0.5, pairs=((0, 0),), pair_weights=(-1.0,))
>>> m2.logit([1.0, 0.0])
0.5
>>> expected_calibration_error([0.9, 0.9, 0.1, 0.1], [1, 1, 0, 0])
0.1
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

__all__ = [
    "FEATURES",
    "MODEL_PATH",
    "ScoreModel",
    "load_model",
    "expected_calibration_error",
    "reliability",
    "brier_score",
    "plot_reliability",
]

#: The names of the features the score model weighs, in the order
#: :func:`geomap.assemble.features` computes them.
FEATURES: tuple[str, ...] = (
    "share", "share is 1", "share low", "log population", "no population",
    "country", "admin1", "other division", "town", "capital", "water", "terrain",
    "area", "spot", "curated", "demonym", "fuzzy", "variant", "all capitals",
    "sentence start", "several words", "common word", "mentions", "repeats",
    "country agrees", "admin1 agrees", "first sentence", "countries")

#: The shipped parameters (``benchmarks/fit_score.py`` writes them).
MODEL_PATH = Path(__file__).parent / "data" / "score_model.json"


@dataclass(frozen=True, slots=True)
class ScoreModel:
    """A logistic regression over named features.

    Parameters
    ----------
    features : tuple of str
        The features' names, in the order of :func:`geomap.assemble.features`.
    weights : tuple of float
        One weight per feature.
    intercept : float
    threshold : float
        The documented "no answer" threshold: below it a mention's place is a
        guess more likely wrong than useful (``geomap extract --min-score``).
    meta : dict
        How the parameters were fitted (corpora, folds, figures).
    pairs : tuple of (int, int)
        Pairs of features (indices into ``features``) whose product is a term
        of its own (a feature with itself: its square).
    pair_weights : tuple of float
        One weight per pair.
    """

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = 0.0
    meta: dict = field(default_factory=dict, compare=False)
    pairs: tuple[tuple[int, int], ...] = ()
    pair_weights: tuple[float, ...] = ()

    def logit(self, x: Sequence[float]) -> float:
        """The log-odds for the feature values ``x`` (the features' terms in
        order, then the pairs', as :func:`geomap.assemble.assemble` adds them)."""
        z = self.intercept
        for w, v in zip(self.weights, x):
            z += w * v
        for (i, j), w in zip(self.pairs, self.pair_weights):
            z += w * (x[i] * x[j])
        return z

    def pair_terms(self) -> list[tuple[int, int, float]]:
        """The pairs with their weights, ``(i, j, weight)`` each (for assemble)."""
        return [(i, j, w) for (i, j), w in zip(self.pairs, self.pair_weights)]

    def probability(self, x: Sequence[float]) -> float:
        """The probability for the feature values ``x`` (rounded to 4 decimals)."""
        z = self.logit(x)
        if z >= 0:
            p = 1.0 / (1.0 + math.exp(-z))
        else:
            e = math.exp(z)
            p = e / (1.0 + e)
        return round(p, 4)

    def to_dict(self) -> dict:
        """The JSON form (see :func:`load_model`): the pairs by the features' names."""
        return {"features": list(self.features), "weights": list(self.weights),
                "intercept": self.intercept, "threshold": self.threshold,
                "pairs": [[self.features[i], self.features[j]] for i, j in self.pairs],
                "pair_weights": list(self.pair_weights), "meta": self.meta}


@functools.cache
def _default() -> ScoreModel:
    return _read(MODEL_PATH)


def load_model(path: str | PathLike | None = None) -> ScoreModel:
    """The score model at ``path`` (default: the shipped :data:`MODEL_PATH`, read once).

    Raises
    ------
    ConfigurationError
        If the file cannot be read, is not the model's JSON, or its features
        are not those :func:`geomap.assemble.features` computes.
    """
    return _default() if path is None else _read(Path(path))


def _read(path: Path) -> ScoreModel:
    from geomap.errors import ConfigurationError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = tuple(data["features"])
        if features != FEATURES:
            raise ConfigurationError(
                f"The score model {path} has features {list(features)}; this geomap "
                f"computes {list(FEATURES)}: refit it with benchmarks/fit_score.py")
        position = {name: i for i, name in enumerate(FEATURES)}
        pairs = tuple((position[a], position[b]) for a, b in data.get("pairs", []))
        pair_weights = tuple(float(w) for w in data.get("pair_weights", []))
        model = ScoreModel(features, tuple(float(w) for w in data["weights"]),
                           float(data["intercept"]), float(data.get("threshold", 0.0)),
                           dict(data.get("meta", {})), pairs, pair_weights)
    except ConfigurationError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigurationError(f"Cannot read the score model {path}: {err}") from err
    if len(model.weights) != len(FEATURES) or len(pair_weights) != len(pairs) \
            or not all(map(math.isfinite, model.weights + pair_weights + (model.intercept,))):
        raise ConfigurationError(
            f"The score model {path} needs one finite weight per feature "
            f"({len(FEATURES)}) and per pair ({len(pairs)}): refit it with "
            "benchmarks/fit_score.py")
    return model


def reliability(probabilities: Sequence[float], labels: Sequence[int],
                bins: int = 10) -> list[tuple[float, float, float, int]]:
    """The reliability table: for each of ``bins`` equal-width bins of
    probability, ``(lower edge, mean probability, share of labels 1, count)``
    (empty bins have NaN means).

    Examples
    --------
    >>> reliability([0.05, 0.95, 0.95], [0, 1, 0], bins=2)
    [(0.0, 0.05, 0.0, 1), (0.5, 0.95, 0.5, 2)]
    """
    sums = [0.0] * bins
    hits = [0] * bins
    counts = [0] * bins
    for p, y in zip(probabilities, labels, strict=True):
        b = min(bins - 1, max(0, int(p * bins)))
        sums[b] += p
        hits[b] += y
        counts[b] += 1
    return [(b / bins, sums[b] / counts[b] if counts[b] else math.nan,
             hits[b] / counts[b] if counts[b] else math.nan, counts[b]) for b in range(bins)]


def expected_calibration_error(probabilities: Sequence[float], labels: Sequence[int],
                               bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal-width bins: the mean, weighted by
    the bins' sizes, of ``|mean probability - share of labels 1|`` (NaN when empty).

    Examples
    --------
    >>> expected_calibration_error([1.0, 1.0], [1, 0])
    0.5
    """
    n = len(probabilities)
    if not n:
        return math.nan
    return round(sum(c * abs(p - y) for _, p, y, c in reliability(probabilities, labels, bins)
                     if c) / n, 10)


def brier_score(probabilities: Sequence[float], labels: Sequence[int]) -> float:
    """The mean squared difference between probabilities and labels (NaN when empty).

    Examples
    --------
    >>> brier_score([1.0, 0.5], [1, 0])
    0.125
    """
    n = len(probabilities)
    if not n:
        return math.nan
    return sum((p - y) ** 2 for p, y in zip(probabilities, labels, strict=True)) / n


def plot_reliability(curves: dict[str, tuple[Sequence[float], Sequence[int]]],
                     path: str | PathLike, *, bins: int = 10, title: str = "") -> None:
    """Draw the reliability diagram of one or more sets of ``(probabilities, labels)``
    to ``path`` (PNG, SVG, PDF: by its suffix), with each curve's ECE in its legend
    and the bins' counts below.

    Raises
    ------
    ConfigurationError
        If matplotlib is not installed (``pip install 'geomap[plot]'``).
    InputError
        If the file cannot be written.
    """
    from geomap.errors import ConfigurationError, InputError

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ConfigurationError(
            "The reliability diagram needs matplotlib: pip install 'geomap[plot]'") from err
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(5.5, 6.5), sharex=True,
                                   gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="perfect")
    width = 1.0 / bins
    for k, (name, (ps, ys)) in enumerate(curves.items()):
        table = [row for row in reliability(ps, ys, bins) if row[3]]
        ece = expected_calibration_error(ps, ys, bins)
        ax.plot([r[1] for r in table], [r[2] for r in table], marker="o",
                label=f"{name} (ECE {ece:.3f}, n={len(ps):,})")
        offset = (k + 0.5) * width / max(1, len(curves))
        hist.bar([r[0] + offset for r in table], [r[3] for r in table],
                 width=width / max(1, len(curves)), alpha=0.7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share placed within 161 km")
    ax.set_title(title or "reliability of score")
    ax.legend(loc="upper left", fontsize=8)
    hist.set_xlabel("score (10 bins)")
    hist.set_ylabel("mentions")
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as err:
        raise InputError(f"Cannot write {path}: {err}") from err
    finally:
        plt.close(fig)
