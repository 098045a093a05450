"""CPU time of recognition, resolution, assembly and record formatting over
the LGL texts, in one fresh process: the first pass (which fills the
per-process caches, as a worker's first batch does) and the minimum of
``--passes`` warm passes.

Recognition runs first, timed apart: its first pass over the texts (which
fills the store's caches: names, candidates, spelling variants) and a second,
warm one. Each pass then resolves (``keep_candidates=0``, as ``geomap
extract`` does), assembles and formats (``--format``) every text, timing each
stage by ``time.process_time``. Run it a few times, interleaved with the code
it is compared with (for example a clean worktree on ``PYTHONPATH``), and
compare the minima: the machine may be shared. Set ``GEOMAP_GAZETTEER`` to
pin a store, ``GEOMAP_PURE_PYTHON=1`` to time the pure-Python modules.

Usage::

    .venv/bin/python benchmarks/bench_resolve_cpu.py [--lgl ../shared/data/LGL/lgl.xml]
                                                     [--passes 10] [--format jsonl]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LGL = ROOT.parent / "shared" / "data" / "LGL" / "lgl.xml"
STAGES = ("resolve", "assemble", "format")


def one_pass(pipe, prepared, fmt: str) -> dict[str, float]:
    """CPU seconds per stage for one pass over ``prepared`` (doc, sentences, spans)."""
    from geomap.assemble import assemble
    from geomap.engines.writer import format_mentions

    clock = time.process_time
    resolver, gazetteer = pipe.resolver, pipe.gazetteer
    keep = pipe.config.keep_unresolved
    out = dict.fromkeys(STAGES, 0.0)
    for doc, sentences, spans in prepared:
        t0 = clock()
        resolutions = resolver.resolve(spans, doc.text, keep_candidates=0)
        t1 = clock()
        ms = assemble(doc, 0, doc.text, sentences, resolutions, keep)
        t2 = clock()
        format_mentions(ms, fmt, gazetteer=gazetteer).encode("utf-8")
        t3 = clock()
        out["resolve"] += t1 - t0
        out["assemble"] += t2 - t1
        out["format"] += t3 - t2
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lgl", type=Path, default=DEFAULT_LGL)
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--format", default="jsonl", choices=("jsonl", "csv"))
    args = ap.parse_args(argv)

    from geomap import speedups
    from geomap.documents import Document
    from geomap.engines.worker import pipeline, tune_collector, warm
    from geomap.evaluate import read_corpus
    from geomap.text import sentence_spans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        texts = [d.text for d in read_corpus(args.lgl)]
    warm()
    tune_collector()
    pipe = pipeline()
    split = [(text, sentence_spans(text)) for text in texts]
    clock = time.process_time
    t0 = clock()
    found = [pipe.recognizer.recognize(text, sentences) for text, sentences in split]
    t1 = clock()
    for text, sentences in split:
        pipe.recognizer.recognize(text, sentences)
    recognised = (t1 - t0, clock() - t1)
    prepared = [(Document(f"{i:05d}", text), sentences, spans)
                for i, ((text, sentences), spans) in enumerate(zip(split, found))]
    first = one_pass(pipe, prepared, args.format)
    passes = [one_pass(pipe, prepared, args.format) for _ in range(max(args.passes, 1))]
    best = {k: min(p[k] for p in passes) for k in STAGES}
    compiled = all(speedups.compiled().values())
    print(f"{len(texts)} texts, {sum(len(p[2]) for p in prepared)} spans "
          f"({'compiled' if compiled else 'pure Python'}); CPU seconds")
    print(f"{'stage':<10} {'first':>8} {'min of ' + str(len(passes)):>10}")
    print(f"{'recognize':<10} {recognised[0]:8.4f} {recognised[1]:10.4f}  (second pass, once)")
    for k in STAGES:
        print(f"{k:<10} {first[k]:8.4f} {best[k]:10.4f}")
    both = min(p["resolve"] + p["assemble"] for p in passes)
    print(f"{'res+asm':<10} {first['resolve'] + first['assemble']:8.4f} {both:10.4f}")
    print("reproduce: .venv/bin/python benchmarks/bench_resolve_cpu.py "
          + " ".join(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
