"""Per-stage time of ``geomap extract`` in one process: reading, sentences,
recognition, resolution, assembly and record formatting.

Reads the files of a folder (as ``geomap extract FOLDER`` does, through
:func:`geomap.documents.read_documents`), then runs each stage of
:meth:`geomap.pipeline.Pipeline.piece_mentions` on every document, timing
each stage over the whole corpus, and prints the seconds per stage (the
minimum over ``--repeat`` rounds) and their sum. The first round is also
printed alone: it fills the per-process caches (the store's lookups, the
formatted places), as the first pass of a worker does.

Usage::

    .venv/bin/python benchmarks/bench_stages.py FOLDER [--repeat 3] [--format jsonl]

Make the folder with ``benchmarks/bench_speed.py``'s corpus (the LGL texts
written ``--copies`` times), for example::

    .venv/bin/python -c "import sys; sys.path.insert(0, 'benchmarks'); \\
      import bench_speed as b; from pathlib import Path; \\
      b.write_corpus(Path('../shared/data/LGL/lgl.xml'), Path('/tmp/corpus'), 10)"

Set ``GEOMAP_PURE_PYTHON=1`` to time the pure-Python modules.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES = ("read", "sentences", "recognize", "resolve", "assemble", "format")


def one_round(pipe, folder: Path, fmt: str) -> dict[str, float]:
    """Seconds per stage for one pass over ``folder``."""
    from geomap.assemble import assemble
    from geomap.documents import read_documents
    from geomap.engines.writer import format_mentions
    from geomap.report import RunReport
    from geomap.text import sentence_spans

    clock = time.process_time     # CPU time: the machine may be shared
    out = dict.fromkeys(STAGES, 0.0)
    t = clock()
    docs = list(read_documents([folder], RunReport()))
    out["read"] = clock() - t
    recognizer, resolver, gazetteer = pipe.recognizer, pipe.resolver, pipe.gazetteer
    keep = pipe.config.keep_unresolved
    for doc in docs:
        text = doc.text
        t0 = clock()
        sentences = sentence_spans(text)
        t1 = clock()
        spans = recognizer.recognize(text, sentences)
        t2 = clock()
        resolutions = resolver.resolve(spans, text, keep_candidates=0)
        t3 = clock()
        ms = assemble(doc, 0, text, sentences, resolutions, keep)
        t4 = clock()
        format_mentions(ms, fmt, gazetteer=gazetteer).encode("utf-8")
        t5 = clock()
        out["sentences"] += t1 - t0
        out["recognize"] += t2 - t1
        out["resolve"] += t3 - t2
        out["assemble"] += t4 - t3
        out["format"] += t5 - t4
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", default="jsonl", choices=("jsonl", "csv"))
    args = ap.parse_args(argv)

    from geomap import speedups
    from geomap.engines.worker import pipeline, tune_collector, warm

    t = time.perf_counter()
    warm()
    tune_collector()
    pipe = pipeline()
    start = time.perf_counter() - t
    compiled = all(speedups.compiled().values())
    first = one_round(pipe, args.folder, args.format)
    rounds = [one_round(pipe, args.folder, args.format) for _ in range(max(args.repeat, 1))]
    best = {k: min(r[k] for r in rounds) for k in STAGES}
    print(f"geomap stages on {args.folder} ({'compiled' if compiled else 'pure Python'}); "
          f"start-up {start:.2f} s")
    print(f"{'stage':<10} {'first':>8} {'min of ' + str(len(rounds)):>10}")
    for k in STAGES:
        print(f"{k:<10} {first[k]:8.3f} {best[k]:10.3f}")
    print(f"{'total':<10} {sum(first.values()):8.3f} {sum(best.values()):10.3f}")
    print("reproduce: .venv/bin/python benchmarks/bench_stages.py "
          + " ".join(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
