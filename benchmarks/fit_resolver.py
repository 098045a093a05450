"""Fit the resolver's weights (``geomap/data/resolver_params.json``) to the development corpora.

Resolution scores each candidate place of a mention as a sum of named parts
(:mod:`geomap.resolve`), each a weight of the model
(:class:`geomap.resolver_model.ResolverModel`) times a feature: ``population``
is ``population_weight * log10(population + 1)``, ``qualifier`` is
``qualifier * 1`` when the next mention names the candidate's country, and so
on. The winner's confidence is its share of ``exp(score)``. So the weights
are those of a conditional logit over each mention's candidates, and this
script fits them as one:

1. For every recognised span of each corpus matched to a gold toponym with
   coordinates (the lenient one-to-one match of ``geomap evaluate``), every
   candidate's features are read from the reference resolver
   (:mod:`geomap.resolve_reference`): its parts computed with a probe model
   whose weights are all non-zero, in the context (the other mentions'
   choices) the hand-set model settles on. A candidate is right when it has
   the gold GeoNames id or lies within 161 km of the gold point.
2. The weights maximise the log-likelihood that the winner is right (the
   softmax over each span's candidates; spans where all or none of the
   candidates are right say nothing; each corpus weighs the same, as in
   ``benchmarks/fit_score.py``), with an L2 penalty that pulls each
   weight towards its hand-set value (0 for the new parts), so that a weight
   the corpora say nothing about (a country's feature code, which rarely
   competes with a same-named place in them) keeps its value, by L-BFGS
   (scipy).
   The ``neighbour`` part (issue 17: support from a country named across
   the candidate's border) is fitted as ``neighbour_base`` and
   ``neighbour_share``, like ``country``; the table of neighbours is the
   store's (:func:`gazetteer.neighbours.neighbours`).
   The ``institution`` part (issue 17: "the Berea Police Department",
   "Columbus Council" say the name is a town or county) is fitted as one
   weight, ``institution_bonus``, like ``type_bonus``: + for towns and minor
   divisions, - for the other places.
   The ``county`` part (a town whose county is another name's candidate,
   or a county holding a town that is: "Paris" with "Henry County") is
   fitted as one weight.
   The ``nearby`` bands are fitted as increments, nearest band on top, kept
   non-negative so that the nearest band scores most; the thresholds keep
   their values. ``variant`` is fitted since the candidates of a name's
   transliteration variants join its own (``variant_lookup``): it tells
   them apart from the name's own candidates.
3. Figures: acc@161 over the recognised toponyms with coordinates, by the
   engine (:class:`geomap.resolve.Resolver`) with each model: the hand-set
   weights, the fit out of fold (5 folds of whole documents per corpus, each
   fold's model fitted on the other folds of all corpora), and across corpora
   (LGL -> GeoVirus, GeoVirus -> LGL, both -> conflict-dev). The weights
   written are fitted on all the corpora.

The result is deterministic: the same corpora and gazetteer give the same file.

    GEOMAP_PURE_PYTHON=1 .venv/bin/python benchmarks/fit_resolver.py \\
        ../shared/data/LGL/lgl.xml ../shared/data/GeoVirus/GeoVirus.xml \\
        ../shared/data/conflict-dev --write geomap/data/resolver_params.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix

from gazetteer.neighbours import neighbours
from geomap.documents import Document
from geomap.evaluate.corpora import load_corpus
from geomap.evaluate.matching import match_lenient
from geomap.evaluate.metrics import ACCURACY_KM, distance_km
from geomap.pipeline import Pipeline, split_document
from geomap.resolve import Resolver
from geomap.resolve_reference import (
    ReferenceResolver,
    context_parts,
    institutions,
    is_dateline,
    is_division,
    nested,
    qualifiers,
    seen_from,
    static_parts,
)
from geomap.resolver_model import HAND_MODEL, ResolverModel
from geomap.text import sentence_spans

FOLDS = 5
#: The L2 penalty: lambda / 2 * the sum of the squared differences of the
#: weights from the hand-set ones, against the log-likelihood summed over the spans.
LAMBDA = 10.0
#: A feature code gets its own weight when this many right candidates have it
#: (the codes of the hand-set table always do).
MIN_CODE = 20
#: Weights are written rounded to this many decimals.
DECIMALS = 3
#: A new part (0 when hand-set) whose fitted weight is nearer 0 than this is
#: left at 0: it changes no choice, and the engine skips a part at 0.
NEGLIGIBLE = 0.02

#: Every part with a weight gets a non-zero probe weight, so that it shows.
PROBE = HAND_MODEL.replace(largest=1.0, other_name=1.0, dateline=1.0, neighbour_base=1.0,
                           institution_bonus=1.0, county=1.0, context_margin=1e9,
                           max_candidates=HAND_MODEL.max_candidates)


@dataclass
class Piece:
    text: str
    spans: list
    gold: list          # per span: the matched gold toponym with coordinates, or None


@dataclass
class Corpus:
    name: str
    docs: list          # of lists of Piece


def corpus_name(path: str) -> str:
    p = Path(path)
    return (p.stem if p.is_file() and p.name != "gold.json" else
            (p.parent.name if p.name == "gold.json" else p.name))


def collect(pipe: Pipeline, path: str) -> Corpus:
    """The recognised spans of every document, matched to the gold toponyms."""
    corpus = load_corpus(path)
    docs = []
    for gold in corpus.documents:
        doc = Document(id=gold.doc_id, text=gold.text)
        pieces, where = [], []
        for piece, offset in split_document(doc, pipe.chunk_chars):
            text = piece.text
            spans = pipe.recognizer.recognize(text, sentence_spans(text))
            pieces.append(Piece(text, list(spans), [None] * len(spans)))
            where += [(len(pieces) - 1, k, offset + s.start, offset + s.end)
                      for k, s in enumerate(spans)]
        pairs = match_lenient([(t.start, t.end) for t in gold.toponyms],
                              [(a, b) for _, _, a, b in where])
        for i, j in pairs.items():
            t = gold.toponyms[i]
            if t.has_coordinates:
                p, k, _, _ = where[j]
                pieces[p].gold[k] = t
        docs.append(pieces)
    return Corpus(corpus_name(path), docs)


def right(place, gold) -> bool:
    """Does ``place`` count as right for the gold toponym (as ``geomap evaluate`` counts)?"""
    if gold.geonameid is not None and place.geonameid == gold.geonameid:
        return True
    return distance_km(gold.point, place.point) <= ACCURACY_KM


# -- features ---------------------------------------------------------------------------

def features(place, parts, cue: str, seen, m: ResolverModel) -> dict[str, float]:
    """The feature behind each of a candidate's parts (by the field that weighs it)."""
    out: dict[str, float] = {}
    for name, value in parts:
        if name == "population":
            out["population_weight"] = math.log10(max(place.population, 0) + 1)
        elif name == "feature":
            out["feature." + place.feature_code] = 1.0
        elif name == "seat":
            out["seat_division" if is_division(place) else "seat_town"] = 1.0
        elif name == "institution":
            out["institution_bonus"] = math.copysign(1.0, value)
        elif name == "county":
            out["county"] = 1.0
        elif name == "type word":
            out["article_bonus" if cue == "the" else "type_bonus"] = math.copysign(1.0, value)
        elif name == "country" and value:
            out["country_base"] = 1.0
            out["country_share"] = seen.countries[place.country_code] / seen.others
        elif name == "neighbour" and value:
            out["neighbour_base"] = 1.0
            out["neighbour_share"] = sum(seen.nations[c] for c in
                                         seen.near.get(place.country_code, ())) / seen.others
        elif name == "admin1" and value:
            out["admin1_base"] = 1.0
            out["admin1_share"] = (seen.divisions[(place.country_code, place.admin1)]
                                   / seen.others)
        elif name == "nearby" and value:
            d = min(_km(place, q) for q in seen.points)
            for k, (edge, _) in enumerate(m.nearby):
                if d < edge:
                    out[f"nearby.{k}"] = 1.0
        elif name in ("alternate name", "variant", "curated", "short form", "qualifier",
                      "isolated", "largest", "other name", "dateline"):
            out[name.replace(" ", "_")] = 1.0
    return out


def _km(p, q) -> float:
    return distance_km((p.lat, p.lon), (q.lat, q.lon))


def extract(gaz, corpus: Corpus, model: ResolverModel) -> list[list[tuple[list, list]]]:
    """Per document, per matched span: ``(features of each candidate, right or not)``,
    in the context ``model`` settles on."""
    ref = ReferenceResolver(gaz, model)
    near = neighbours(gaz)
    out = []
    for pieces in corpus.docs:
        rows = []
        for piece in pieces:
            if not any(piece.gold):
                continue
            spans, text = piece.spans, piece.text
            cues, found, _, marks, groups = ref.settle(spans, text)
            local = institutions(spans, text, PROBE)
            nests = nested(spans, [f[0] for f in found], PROBE)
            for i, (span, g) in enumerate(zip(spans, piece.gold)):
                cands, named, vary = found[i]
                if g is None or not cands:
                    continue
                quals = qualifiers(spans, [f[0] for f in found], i, text)
                static = static_parts(span, cands, named, quals, cues[i], PROBE,
                                      is_dateline(span, text), vary, local[i], nests[i])
                seen = seen_from(marks, span.key, groups[i], model, near)
                xs, ys = [], []
                for p, parts in static:
                    context, _ = context_parts(p, seen, PROBE)
                    xs.append(features(p, parts + context, cues[i], seen, PROBE))
                    ys.append(right(p, g))
                rows.append((xs, ys))
        out.append(rows)
    return out


# -- the fit ------------------------------------------------------------------------------

FIXED = ("population_weight", "alternate_name", "variant", "curated", "seat_division", "seat_town",
         "short_form", "qualifier", "type_bonus", "article_bonus", "country_base",
         "country_share", "neighbour_base", "neighbour_share", "admin1_base", "admin1_share",
         "isolated", "largest", "other_name", "dateline", "institution_bonus", "county")


def vocabulary(rows_by_corpus) -> list[str]:
    """The fitted weights: the parts', the hand-set table's feature codes, the
    codes of at least MIN_CODE right candidates, and the nearby bands."""
    counts: dict[str, int] = {}
    for docs in rows_by_corpus:
        for rows in docs:
            for xs, ys in rows:
                for x, y in zip(xs, ys):
                    if y:
                        for k in x:
                            if k.startswith("feature."):
                                counts[k] = counts.get(k, 0) + 1
    codes = {"feature." + c for c, _ in HAND_MODEL.feature_bonus}
    codes |= {k for k, n in counts.items() if n >= MIN_CODE and k != "feature.PPL"}
    return [*FIXED, *sorted(codes), *(f"nearby.{k}" for k in range(len(HAND_MODEL.nearby)))]


def design(docs_rows, vocab: list[str]):
    """The candidates' feature matrix, each informative span's row range, and
    which candidates are right."""
    index = {k: i for i, k in enumerate(vocab)}
    data, cols, indptr, right_, starts = [], [], [0], [], []
    for rows in docs_rows:
        for xs, ys in rows:
            if len(xs) < 2 or all(ys) or not any(ys):
                continue            # a span whose every candidate is right (or none) says nothing
            starts.append(len(right_))
            for x, y in zip(xs, ys):
                for k, v in sorted(x.items()):
                    if k in index and v:
                        cols.append(index[k])
                        data.append(v)
                indptr.append(len(cols))
                right_.append(bool(y))
    starts.append(len(right_))
    X = csr_matrix((np.array(data, float), np.array(cols, int), np.array(indptr, int)),
                   shape=(len(right_), len(vocab)))
    return X, np.array(starts), np.array(right_)


def prior(vocab: list[str]) -> np.ndarray:
    """The hand-set weights, in the fit's terms (the nearby bands as increments)."""
    hand = HAND_MODEL.to_dict()
    bands = [score for _, score in HAND_MODEL.nearby] + [0.0]
    out = []
    for k in vocab:
        if k.startswith("feature."):
            out.append(hand["feature_bonus"].get(k.split(".", 1)[1], 0.0))
        elif k.startswith("nearby."):
            j = int(k.split(".")[1])
            out.append(bands[j] - bands[j + 1])
        else:
            out.append(float(hand[k]))
    return np.array(out)


def fit(parts: list, vocab: list[str], lam: float = LAMBDA) -> np.ndarray:
    """The weights maximising the penalised conditional log-likelihood, each
    corpus (each item of ``parts``) given the same weight in it, as
    ``benchmarks/fit_score.py`` gives them: a span of a corpus with ``n``
    informative spans weighs ``total / (corpora * n)``, so that the largest
    corpus (LGL's local US news) does not set the weights for all news."""
    Xs = [design(p, vocab) for p in parts]
    X = _vstack([x for x, _, _ in Xs])
    starts, offset = [], 0
    for x, s, _ in Xs:
        starts.append(s[:-1] + offset)
        offset += x.shape[0]
    st = np.concatenate(starts + [np.array([offset])])
    y = np.concatenate([r for _, _, r in Xs])
    seg = np.repeat(np.arange(len(st) - 1), np.diff(st))
    counts = [len(s) - 1 for _, s, _ in Xs]
    used = [n for n in counts if n]
    total = sum(used)
    w = np.concatenate([np.full(n, total / (len(used) * n)) for n in counts if n]) \
        if used else np.zeros(0)
    wc = w[seg]
    bounds = [(0.0, None) if k.startswith("nearby.") else (None, None) for k in vocab]

    def loss(theta):
        s = X @ theta
        top = np.maximum.reduceat(s, st[:-1])
        e = np.exp(s - top[seg])
        z_all = np.add.reduceat(e, st[:-1])
        z_right = np.add.reduceat(e * y, st[:-1])
        nll = -np.sum(w * (np.log(z_right) - np.log(z_all)))
        p_all = e / z_all[seg]
        p_right = e * y / z_right[seg]
        grad = X.T @ (wc * (p_all - p_right))
        off = theta - start
        return nll + lam / 2 * off @ off, grad + lam * off

    start = prior(vocab)
    res = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 2000, "gtol": 1e-7})
    return res.x


def _vstack(xs):
    from scipy.sparse import vstack

    return vstack(xs).tocsr()


def as_model(theta: np.ndarray, vocab: list[str]) -> ResolverModel:
    """The hand-set model with the fitted weights (rounded)."""
    w = {k: round(float(v), DECIMALS) + 0.0 for k, v in zip(vocab, theta)}
    for k in ("largest", "other_name", "dateline", "neighbour_base", "neighbour_share",
              "institution_bonus", "county"):
        if abs(w[k]) < NEGLIGIBLE:
            w[k] = 0.0
    changes: dict = {k: w[k] for k in FIXED}
    changes["population_weight"] = w["population_weight"]
    changes["feature_bonus"] = tuple((k.split(".", 1)[1], v) for k, v in w.items()
                                     if k.startswith("feature."))
    bands = [w[f"nearby.{k}"] for k in range(len(HAND_MODEL.nearby))]
    # increments: the band within 50 km scores all three, the next two...
    changes["nearby"] = tuple((edge, round(sum(bands[k:]), DECIMALS))
                              for k, (edge, _) in enumerate(HAND_MODEL.nearby))
    return HAND_MODEL.replace(**changes)


# -- the figures --------------------------------------------------------------------------

def accuracy(gaz, corpus: Corpus, model: ResolverModel, docs=None) -> tuple[int, int]:
    """(right, judged) over the matched spans of the documents ``docs`` (all by default)."""
    res = Resolver(gaz, model)
    good = n = 0
    for d, pieces in enumerate(corpus.docs):
        if docs is not None and d not in docs:
            continue
        for piece in pieces:
            if not any(piece.gold):
                continue
            for r, g in zip(res.resolve(piece.spans, piece.text, keep_candidates=0),
                            piece.gold):
                if g is not None:
                    n += 1
                    good += r.place is not None and right(r.place, g)
    return good, n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", help="LGL, GeoVirus, conflict-dev (in that order)")
    ap.add_argument("--write", metavar="FILE", help="write the fitted parameters here")
    ap.add_argument("--lambda", dest="lam", type=float, default=LAMBDA,
                    help=f"the L2 penalty (default {LAMBDA}; the shipped file uses the default)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    pipe = Pipeline()
    gaz = pipe.gazetteer
    data = [collect(pipe, p) for p in args.corpora]
    rows = [extract(gaz, c, HAND_MODEL) for c in data]
    vocab = vocabulary(rows)
    print(f"collected in {time.perf_counter() - t0:.1f} s: " + "; ".join(
        f"{c.name} {len(c.docs)} documents, {sum(len(r) for r in rs):,} matched spans"
        for c, rs in zip(data, rows)))
    print(f"{len(vocab)} weights: {', '.join(vocab)}")

    report: dict = {"hand": {}, "out_of_fold": {}, "cross_corpus": {}}
    print("\nacc@161 over the recognised toponyms with coordinates (the engine):")
    print(f"{'corpus':14} {'hand-set':>9} {'fitted, out of fold':>20}")
    oof_models = []
    for k in range(FOLDS):
        train = [[r for d, r in enumerate(rs) if d % FOLDS != k] for rs in rows]
        oof_models.append(as_model(fit(train, vocab, args.lam), vocab))
    for c in data:
        hand = accuracy(gaz, c, HAND_MODEL)
        good = n = 0
        for k, m in enumerate(oof_models):
            g, j = accuracy(gaz, c, m, {d for d in range(len(c.docs)) if d % FOLDS == k})
            good, n = good + g, n + j
        report["hand"][c.name] = round(hand[0] / hand[1], 4)
        report["out_of_fold"][c.name] = round(good / n, 4)
        print(f"{c.name:14} {hand[0] / hand[1]:9.3f} {good / n:20.3f}   ({n:,} toponyms)")

    if len(data) >= 2:
        print("\nfitted on one corpus, tested on another (acc@161; the hand-set weights):")
        pairs = [((0,), 1), ((1,), 0)] + ([((0, 1), 2)] if len(data) >= 3 else [])
        for train, test in pairs:
            m = as_model(fit([rows[i] for i in train], vocab, args.lam), vocab)
            g, n = accuracy(gaz, data[test], m)
            name = " + ".join(data[i].name for i in train) + " -> " + data[test].name
            report["cross_corpus"][name] = round(g / n, 4)
            print(f"  {name:28} {g / n:.3f}  ({report['hand'][data[test].name]:.3f})")

    theta = fit(rows, vocab, args.lam)
    final = as_model(theta, vocab)
    for c in data:
        g, n = accuracy(gaz, c, final)
        print(f"fitted on all, in sample: {c.name:14} {g / n:.3f}")
    weights = {k: v for k, v in final.to_dict().items()
               if v != HAND_MODEL.to_dict()[k]}
    print("\nweights (fitted on all corpora; hand-set in brackets):")
    hand = HAND_MODEL.to_dict()
    for k, v in weights.items():
        print(f"  {k:18} {json.dumps(v)}  ({json.dumps(hand[k])})")
    command = ("GEOMAP_PURE_PYTHON=1 .venv/bin/python benchmarks/fit_resolver.py "
               + " ".join(args.corpora) + " --write geomap/data/resolver_params.json")
    if args.write:
        doc = {"weights": weights,
               "fit": {"corpora": [c.name for c in data], "folds": FOLDS, "lambda": args.lam,
                       "acc161": report, "command": command}}
        Path(args.write).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")
        print(f"wrote {args.write}")
    print(f"\n({time.perf_counter() - t0:.1f} s) reproduce: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
