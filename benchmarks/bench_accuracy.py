"""Accuracy benchmark: geomap's pipeline on the gold corpora (LGL, GeoVirus).

Prints, per corpus, the corpus counts and the metrics table of
:func:`geomap.evaluate.evaluate`, then one summary line per corpus and the
command that reproduces the figures.  Error logs (TSV) and metrics (JSON) go
to ``--out``.

Usage::

    .venv/bin/python benchmarks/bench_accuracy.py                 # both corpora
    .venv/bin/python benchmarks/bench_accuracy.py --limit 50      # quick look
    .venv/bin/python benchmarks/bench_accuracy.py --predictor oracle   # harness check: all 1.0

The corpora are looked for in ``../shared/data`` beside the repository (or
``$GEOMAP_SHARED/data``); they are never part of the repository.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from gazetteer.place import Place
from geomap.evaluate import evaluate_corpus, load_corpus
from geomap.mentions import Mention

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {"lgl": "LGL/lgl.xml", "geovirus": "GeoVirus/GeoVirus.xml"}


def default_data() -> Path:
    shared = os.environ.get("GEOMAP_SHARED")
    return (Path(shared) if shared else ROOT / ".." / "shared").resolve() / "data"


def pipeline_predict():
    """The real pipeline, keeping recognised but unresolved mentions."""
    try:
        from geomap.pipeline import Pipeline

        pipeline = Pipeline()
    except ImportError as err:
        sys.exit(f"bench_accuracy: the pipeline is not usable yet ({err})")
    return lambda text: pipeline.process(text, keep_unresolved=True)


def oracle_predict(path: Path):
    """Gold spans with gold coordinates: checks the harness (every score 1.0)."""
    gold = {d.text: d for d in load_corpus(path).documents}

    def predict(text):
        return [
            Mention("", t.start, t.end, t.text, Place(0, t.name or t.text, t.lat, t.lon))
            if t.point
            else Mention("", t.start, t.end, t.text)
            for t in gold[text].toponyms
        ]

    return predict


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help="lgl, geovirus (default both)")
    parser.add_argument("--data", type=Path, default=default_data(), help="shared data folder")
    parser.add_argument("--limit", type=int, help="only the first N documents of each corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench_accuracy")
    parser.add_argument("--predictor", choices=["pipeline", "oracle"], default="pipeline")
    args = parser.parse_args(argv)
    unknown = set(args.corpora) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpus {sorted(unknown)}; valid corpora are: {', '.join(CORPORA)}")

    args.out.mkdir(parents=True, exist_ok=True)
    shared_predict = pipeline_predict() if args.predictor == "pipeline" else None
    summary = []
    for name in args.corpora or list(CORPORA):
        path = args.data / CORPORA[name]
        if not path.is_file():
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        print(f"== {name} ==")
        predict = shared_predict or oracle_predict(path)
        r = evaluate_corpus(
            path,
            predict,
            errors_path=args.out / f"{name}_errors.tsv",
            json_path=args.out / f"{name}_metrics.json",
            limit=args.limit,
            progress=sys.stderr.isatty(),
        )
        summary.append((name, r))
        print()

    print("corpus     docs  strict F1  lenient F1  acc@161  median km  AUC    F1@161  docs/s")
    for name, r in summary:
        print(
            f"{name:<9} {r.documents:>5}  {r.strict.f1:9.3f}  {r.lenient.f1:10.3f}  "
            f"{r.resolution.accuracy_161:7.3f}  {r.resolution.median_km:9.1f}  "
            f"{r.resolution.auc:5.3f}  {r.end_to_end.f1:6.3f}  {r.docs_per_second:6.1f}"
        )
    argv_shown = sys.argv[1:] if argv is None else argv
    print(f"\nreproduce: .venv/bin/python benchmarks/bench_accuracy.py {shlex.join(argv_shown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
