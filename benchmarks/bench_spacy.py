"""geomap with spaCy recognisers against its default, on LGL and GeoVirus.

For each corpus and each recogniser, the pipeline (geomap's resolver over the
embedded gazetteer) is scored with :func:`geomap.evaluate.evaluate` as
``geomap evaluate`` scores it (unresolved mentions kept): lenient
recognition F1, accuracy@161 km, end-to-end F1@161 and documents/s. The
recognisers:

``default``
    geomap's own :class:`~geomap.recognize.Recognizer`.
``spacy``
    :class:`~geomap.spacy_recognizer.SpacyRecognizer`: the model's GPE, LOC
    and FAC entities are the mentions.
``veto``
    :class:`~geomap.spacy_recognizer.VetoingRecognizer` as it is by default:
    geomap's matches, less those inside a longer PERSON entity.
``veto-org``, ``veto-overlap``
    The veto by PERSON and ORG entities containing the match; by PERSON and
    ORG entities overlapping it at all.

A trained English pipeline is needed (``--model``, default
``en_core_web_sm``; any installed package name or path); it is not a
dependency of geomap. Prints the table and the command that reproduces it.

Usage::

    .venv/bin/python benchmarks/bench_spacy.py --model en_core_web_sm
    .venv/bin/python benchmarks/bench_spacy.py --only default veto --limit 100

Neither spaCy recogniser is geomap's default: see the README for the figures.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {"LGL": "LGL/lgl.xml", "GeoVirus": "GeoVirus/GeoVirus.xml"}
RECOGNIZERS = ("default", "spacy", "veto", "veto-org", "veto-overlap")


def default_data() -> Path:
    shared = os.environ.get("GEOMAP_SHARED")
    return (Path(shared) if shared else ROOT / ".." / "shared").resolve() / "data"


def make_recognizer(name: str, gaz, nlp):
    from geomap.recognize import Recognizer
    from geomap.spacy_recognizer import SpacyRecognizer, VetoingRecognizer

    if name == "default":
        return Recognizer(gaz)
    if name == "spacy":
        return SpacyRecognizer(nlp, gazetteer=gaz)
    if name == "veto":
        return VetoingRecognizer(Recognizer(gaz), nlp)
    if name == "veto-org":
        return VetoingRecognizer(Recognizer(gaz), nlp, labels=("PERSON", "ORG"))
    if name == "veto-overlap":
        return VetoingRecognizer(Recognizer(gaz), nlp, labels=("PERSON", "ORG"), mode="overlap")
    raise SystemExit(f"bench_spacy: unknown recogniser {name!r}; valid: {', '.join(RECOGNIZERS)}")


def pipeline_with(gaz, recognizer):
    from geomap.pipeline import Pipeline

    return Pipeline(gaz, recognizer=recognizer)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=default_data(),
                    help="folder holding LGL/ and GeoVirus/ (default ../shared/data)")
    ap.add_argument("--model", default="en_core_web_sm",
                    help="spaCy pipeline (package name or path) with an entity recogniser")
    ap.add_argument("--only", nargs="+", choices=RECOGNIZERS, default=list(RECOGNIZERS),
                    help="the recognisers to measure")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    args = ap.parse_args(argv)

    from gazetteer import Gazetteer
    from geomap.evaluate import evaluate, read_corpus
    from geomap.spacy_recognizer import load_nlp

    gaz = Gazetteer.open(progress=False)
    nlp = None
    if any(r != "default" for r in args.only):
        import spacy

        nlp = load_nlp(args.model)
        meta = nlp.meta
        print(f"spaCy {spacy.__version__}; model {args.model}: {meta.get('lang')}_"
              f"{meta.get('name')} {meta.get('version')} ({meta.get('license', '?')} licence), "
              f"components run: {', '.join(nlp.pipe_names)}")
    rows = []
    for corpus, rel in CORPORA.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docs = read_corpus(args.data / rel)
        if args.limit is not None:
            docs = docs[:args.limit]
        for name in args.only:
            pipe = pipeline_with(gaz, make_recognizer(name, gaz, nlp))
            pipe.process("Warm-up in Geneva.")     # lazy indexes and models, outside the timing
            r = evaluate(docs, lambda text, pipe=pipe: pipe.process(text, keep_unresolved=True))
            rows.append((corpus, name, len(docs), r.lenient.f1, r.resolution.accuracy_161,
                         r.end_to_end.f1, r.docs_per_second))
            print(f"  {corpus:9} {name:13} done", file=sys.stderr, flush=True)

    print(f"{'corpus':9} {'recogniser':13} {'docs':>5} {'lenient F1':>10} {'acc@161':>8} "
          f"{'F1@161':>7} {'docs/s':>8}")
    for corpus, name, n, f1, acc, e2e, speed in rows:
        print(f"{corpus:9} {name:13} {n:5d} {f1:10.3f} {acc:8.3f} {e2e:7.3f} {speed:8.1f}")
    cmd = [".venv/bin/python", "benchmarks/bench_spacy.py", "--model", args.model]
    if args.only != list(RECOGNIZERS):
        cmd += ["--only", *args.only]
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    print("command:", shlex.join(cmd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
