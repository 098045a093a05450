"""Fit the score model (``geomap/data/score_model.json``) and report its calibration.

``score`` is the probability that a mention is a real place mention placed
within 161 km of the truth (see :mod:`geomap.calibration`). This script runs
the pipeline over the development corpora, labels each resolved mention 1 when
it overlaps a gold toponym (the evaluate harness's lenient one-to-one
matching) and lies within 161 km of the gold coordinates, 0 otherwise (a
false positive is 0; a mention matched to gold without coordinates cannot be
labelled and is left out), and fits a logistic regression over the features
of :func:`geomap.assemble.features` and the products of the pairs of
:data:`PAIRED` (scikit-learn, the ``[fit]`` extra; only this script needs it).

It prints, with document-level cross-validation (folds never split a
document): the out-of-fold ECE (10 bins) and Brier score per corpus, the fit
on one corpus tested on the other (LGL <-> GeoVirus, both directions), and the
effect of a "no answer" threshold on F1@161 (mentions below it dropped), then
fits on all three corpora and writes the parameter file (``--write``).

    GEOMAP_PURE_PYTHON=1 .venv/bin/python benchmarks/fit_score.py \\
        ../shared/data/LGL/lgl.xml ../shared/data/GeoVirus/GeoVirus.xml \\
        ../shared/data/conflict-dev --write geomap/data/score_model.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from geomap.assemble import FEATURES, assemble, features
from geomap.calibration import ScoreModel, brier_score, expected_calibration_error
from geomap.evaluate.areas import gold_area, inside
from geomap.evaluate.corpora import UNJUDGED_KINDS, load_corpus
from geomap.evaluate.matching import match_lenient
from geomap.evaluate.metrics import ACCURACY_KM, distance_km
from geomap.pipeline import Pipeline, split_document
from geomap.text import sentence_spans

FOLDS = 5
#: Which match labels a mention right: "plain" (within 161 km of the gold
#: point) or "area" (also: inside the gold country or admin1, for those).
LABELS = "area"
#: Weigh each corpus the same (not each mention): the small conflict-dev counts.
BALANCED = True
BALANCE = 1.0
#: Inverse regularisation strength of the logistic regression.
C = 1.0
#: Features whose pairwise products are terms of the model too (each with
#: each: how much the document agrees, the name's population, share or
#: commonness matter differently for a town, a country or a curated entry;
#: a single weight per feature was overconfident on LGL's mid scores and
#: underconfident on conflict-dev's). Squares only of the graded ones.
PAIRED = ("share", "log population", "mentions", "countries", "admin1 agrees",
          "country agrees", "common word", "curated", "town", "country")
GRADED = frozenset({"share", "log population", "mentions", "countries", "admin1 agrees",
                    "country agrees", "common word"})
PAIRS: tuple[tuple[int, int], ...] = tuple(
    (FEATURES.index(a), FEATURES.index(b)) for n, a in enumerate(PAIRED)
    for b in PAIRED[n:] if a != b or a in GRADED)
THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def corpus_name(path: str) -> str:
    p = Path(path)
    return (p.stem if p.is_file() and p.name != "gold.json" else
            (p.parent.name if p.name == "gold.json" else p.name))


def collect(pipe: Pipeline, path: str) -> dict:
    """Per resolved mention of the corpus: features, label, document index; and the
    corpus's counts for F1@161 (predictions, gold with coordinates)."""
    from geomap.documents import Document

    corpus = load_corpus(path)
    unjudged = UNJUDGED_KINDS.get(corpus.format, frozenset())
    rows: list[tuple[list[float], int, int]] = []   # (features, label, doc index)
    predicted = gold_coords = 0
    for d, gold in enumerate(corpus.documents):
        doc = Document(id=gold.doc_id, text=gold.text)
        mentions, xs = [], []
        for piece, offset in split_document(doc, pipe.chunk_chars):
            text = piece.text
            sentences = sentence_spans(text)
            spans = pipe.recognizer.recognize(text, sentences)
            resolutions = pipe.resolver.resolve(spans, text, keep_candidates=0)
            mentions += assemble(piece, offset, text, sentences, resolutions, True)
            xs += features(text, sentences, resolutions)
        predicted += len(mentions)
        gold_coords += sum(t.has_coordinates for t in gold.toponyms)
        pairs = match_lenient([(t.start, t.end) for t in gold.toponyms],
                              [(m.start, m.end) for m in mentions])
        owner = {j: i for i, j in pairs.items()}
        for j, (m, x) in enumerate(zip(mentions, xs)):
            if x is None:
                continue
            i = owner.get(j)
            if i is None:
                if m.kind in unjudged:      # (GeoVirus's gold has no demonyms)
                    continue
                y = 0
            else:
                g = gold.toponyms[i]
                if not g.has_coordinates:
                    continue
                y = int(distance_km(g.point, m.place.point) <= ACCURACY_KM
                        or (LABELS == "area" and inside(m.place, gold_area(g, pipe.gazetteer))))
            rows.append((x, y, d))
    return {"name": corpus_name(path), "rows": rows, "predicted": predicted,
            "gold_coords": gold_coords, "documents": len(corpus.documents)}


def expand(x: list[float]) -> list[float]:
    """The features and the products of :data:`PAIRS`, as the model weighs them."""
    return list(x) + [x[i] * x[j] for i, j in PAIRS]


def fit(xs, ys, weights=None):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=5000)
    model.fit([expand(x) for x in xs], ys, sample_weight=weights)
    return model


def balanced(sizes: list[int]) -> list[float]:
    """Sample weights that move each corpus's total weight towards the mean size
    (all the way with :data:`BALANCE` 1): ``(mean / size) ** BALANCE`` each."""
    mean = sum(sizes) / len(sizes)
    return [(mean / n) ** BALANCE for n in sizes for _ in range(n)]


def as_score_model(model, threshold: float = 0.0, meta: dict | None = None) -> ScoreModel:
    coef = [round(float(w), 6) for w in model.coef_[0]]
    return ScoreModel(FEATURES, tuple(coef[:len(FEATURES)]),
                      round(float(model.intercept_[0]), 6), threshold, meta or {},
                      PAIRS, tuple(coef[len(FEATURES):]))


def probabilities(m: ScoreModel, xs) -> list[float]:
    return [m.probability(x) for x in xs]


def out_of_fold(data: list[dict]) -> list[list[float]]:
    """Out-of-fold probabilities for every row of every corpus: folds of whole
    documents, each corpus split into FOLDS, the model fitted on the rest of all
    corpora."""
    fold_of = [[d % FOLDS for _, _, d in c["rows"]] for c in data]
    oof = [[math.nan] * len(c["rows"]) for c in data]
    for k in range(FOLDS):
        xs, ys, sizes = [], [], []
        for c, folds in zip(data, fold_of):
            n = 0
            for (x, y, _), f in zip(c["rows"], folds):
                if f != k:
                    xs.append(x)
                    ys.append(y)
                    n += 1
            sizes.append(n)
        m = as_score_model(fit(xs, ys, balanced(sizes) if BALANCED else None))
        for c, folds, out in zip(data, fold_of, oof):
            for n, ((x, _, _), f) in enumerate(zip(c["rows"], folds)):
                if f == k:
                    out[n] = m.probability(x)
    return oof


def f1_161(c: dict, ps: list[float], threshold: float) -> float:
    """F1@161 when the mentions below ``threshold`` are dropped."""
    tp = sum(1 for (_, y, _), p in zip(c["rows"], ps) if y == 1 and p >= threshold)
    dropped = sum(1 for p in ps if p < threshold)
    predicted = c["predicted"] - dropped
    return 2 * tp / (predicted + c["gold_coords"]) if predicted + c["gold_coords"] else math.nan


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", help="LGL, GeoVirus, conflict-dev (in that order)")
    ap.add_argument("--write", metavar="FILE", help="write the fitted parameters here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    pipe = Pipeline()
    data = [collect(pipe, p) for p in args.corpora]
    print(f"collected in {time.perf_counter() - t0:.1f} s: " + "; ".join(
        f"{c['name']} {c['documents']} documents, {len(c['rows']):,} labelled mentions, "
        f"{sum(y for _, y, _ in c['rows']) / max(1, len(c['rows'])):.3f} positive"
        for c in data))
    print(f"\nfeatures ({len(FEATURES)}): {', '.join(FEATURES)}")
    print(f"and the products of {len(PAIRS)} pairs of: {', '.join(PAIRED)} "
          f"(squares of {', '.join(p for p in PAIRED if p in GRADED)})")

    oof = out_of_fold(data)
    print(f"\nout of fold ({FOLDS} folds of whole documents, fitted on all corpora):")
    print(f"{'corpus':14} {'ECE':>6} {'Brier':>6} {'ECE of the old share':>21}")
    report: dict = {"out_of_fold": {}, "cross_corpus": {}, "threshold": {}}
    for c, ps in zip(data, oof):
        ys = [y for _, y, _ in c["rows"]]
        old = [x[0] for x, _, _ in c["rows"]]
        ece, brier = expected_calibration_error(ps, ys), brier_score(ps, ys)
        report["out_of_fold"][c["name"]] = {"ece": round(ece, 4), "brier": round(brier, 4),
                                            "ece_share": round(expected_calibration_error(
                                                old, ys), 4)}
        print(f"{c['name']:14} {ece:6.3f} {brier:6.3f} "
              f"{expected_calibration_error(old, ys):21.3f}")

    if len(data) >= 2:
        print("\nfit on one corpus, tested on the other:")
        for a, b in ((0, 1), (1, 0)):
            ta, tb = data[a], data[b]
            m = as_score_model(fit([x for x, _, _ in ta["rows"]], [y for _, y, _ in ta["rows"]]))
            ps = probabilities(m, [x for x, _, _ in tb["rows"]])
            ys = [y for _, y, _ in tb["rows"]]
            ece, brier = expected_calibration_error(ps, ys), brier_score(ps, ys)
            report["cross_corpus"][f"{ta['name']} -> {tb['name']}"] = {
                "ece": round(ece, 4), "brier": round(brier, 4)}
            print(f"  fitted on {ta['name']:12} tested on {tb['name']:12} "
                  f"ECE {ece:.3f}  Brier {brier:.3f}")

    print("\nF1@161 with the mentions below a threshold dropped (out-of-fold scores):")
    print("threshold " + " ".join(f"{c['name']:>12}" for c in data))
    best = 0.0
    base = [f1_161(c, ps, 0.0) for c, ps in zip(data, oof)]
    for t in THRESHOLDS:
        row = [f1_161(c, ps, t) for c, ps in zip(data, oof)]
        report["threshold"][str(t)] = [round(f, 4) for f in row]
        print(f"{t:9.2f} " + " ".join(f"{f:12.3f}" for f in row))
        if all(f >= b for f, b in zip(row, base)) and sum(row) > sum(
                f1_161(c, ps, best) for c, ps in zip(data, oof)):
            best = t
    print(f"threshold that raises F1@161 most without lowering it on any corpus: {best}")

    xs = [x for c in data for x, _, _ in c["rows"]]
    ys = [y for c in data for _, y, _ in c["rows"]]
    meta = {"corpora": [c["name"] for c in data], "mentions": len(xs), "C": C,
            "folds": FOLDS, "labels": LABELS, "balance": BALANCE if BALANCED else 0.0,
            **report,
            "command": "GEOMAP_PURE_PYTHON=1 .venv/bin/python benchmarks/fit_score.py "
                       + " ".join(args.corpora) + " --write geomap/data/score_model.json"}
    final = as_score_model(fit(xs, ys, balanced([len(c["rows"]) for c in data])
                               if BALANCED else None), best, meta)
    print("\nweights (fitted on all corpora):")
    for name, w in zip(FEATURES, final.weights):
        print(f"  {name:16} {w:+.3f}")
    print(f"  {'(intercept)':16} {final.intercept:+.3f}")
    for (i, j), w in zip(final.pairs, final.pair_weights):
        print(f"  {FEATURES[i] + ' x ' + FEATURES[j]:32} {w:+.3f}")
    if args.write:
        Path(args.write).write_text(json.dumps(final.to_dict(), indent=1) + "\n",
                                    encoding="utf-8")
        print(f"wrote {args.write}")
    print(f"\n({time.perf_counter() - t0:.1f} s) reproduce: {meta['command']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
