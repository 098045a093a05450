"""CPU time of recognition alone, as a worker of ``geomap extract`` spends it.

Loads the pipeline as a worker does (:func:`geomap.engines.worker.warm` and
:func:`~geomap.engines.worker.tune_collector`), splits the corpus's texts
into sentences beforehand, then times :meth:`geomap.recognize.Recognizer.recognize`
over every text with :func:`time.process_time` (CPU, not wall time: the
machine may be shared): one first pass, which fills the per-process caches
(the store's lookups, the recogniser's memos) as a worker's first pass does,
then ``--repeat`` warm passes, of which the minimum and the median are
printed. Run it a few times, interleaved with the code it is compared with.

Usage::

    .venv/bin/python benchmarks/bench_recognize_cpu.py --corpus ../shared/data/LGL/lgl.xml

Set ``GEOMAP_PURE_PYTHON=1`` to time the pure-Python modules, and
``GEOMAP_GAZETTEER`` to time against a given store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="../shared/data/LGL/lgl.xml")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from geomap import speedups
    from geomap.engines.worker import pipeline, tune_collector, warm
    from geomap.evaluate import read_corpus
    from geomap.text import sentence_spans

    warm()
    tune_collector()
    recognize = pipeline().recognizer.recognize
    texts = [d.text for d in read_corpus(args.corpus)]
    sentences = [sentence_spans(t) for t in texts]
    clock = time.process_time

    def one_pass() -> float:
        t = clock()
        for text, spans in zip(texts, sentences):
            recognize(text, spans)
        return clock() - t

    first = one_pass()
    warm_passes = [one_pass() for _ in range(max(args.repeat, 1))]
    compiled = speedups.compiled()["geomap.recognize"]
    print(f"recognition CPU over {len(texts)} texts ({'compiled' if compiled else 'pure Python'}): "
          f"first pass {first:.4f} s, warm pass min {min(warm_passes):.4f} s, "
          f"median {statistics.median(warm_passes):.4f} s (of {len(warm_passes)})")
    print("reproduce: .venv/bin/python benchmarks/bench_recognize_cpu.py "
          + " ".join(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
