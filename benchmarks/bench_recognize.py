"""Recognition's own speed, and wordfreq's start-up: the figures issue 16 quotes.

Prints, for the corpus given (the 588 LGL articles by default):

* the time of one first pass of :class:`geomap.recognize.Recognizer` over
  every text (a fresh recogniser in a fresh process: its memos and the word
  frequencies are filled on the way), and of the best of ``--repeat`` warm
  passes after it;
* with ``--reference``, the same for :mod:`geomap.recognize_reference`;
* the start-up of the word frequencies (import and first lookup), read as
  geomap reads them and through wordfreq's public API, each in a fresh
  process (the public API is used only if it stays within 0.15 s).

Usage::

    .venv/bin/python benchmarks/bench_recognize.py --corpus ../shared/data/LGL/lgl.xml
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings

_STARTUP = {
    "geomap (common words of wordfreq's file)":
        "from geomap.frequencies import common_english_frequencies as f; f()['river']",
    "wordfreq.zipf_frequency (public API)":
        "from wordfreq import zipf_frequency; zipf_frequency('river', 'en')",
    "wordfreq.get_frequency_dict (public API)":
        "from wordfreq import get_frequency_dict; get_frequency_dict('en', 'best')['river']",
}


def _startup(code: str, runs: int) -> float:
    timed = ("import time; t = time.perf_counter(); " + code +
             "; print(time.perf_counter() - t)")
    return min(float(subprocess.run([sys.executable, "-c", timed], capture_output=True,
                                    text=True, check=True).stdout) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/data/LGL/lgl.xml")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reference", action="store_true",
                        help="time the reference implementation too")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from gazetteer import Gazetteer
    from geomap.evaluate import read_corpus
    from geomap.recognize import Recognizer
    from geomap.speedups import compiled

    texts = [d.text for d in read_corpus(args.corpus)]
    gaz = Gazetteer.open()
    print(f"compiled recognize: {compiled()['geomap.recognize']}; {len(texts)} texts")
    runners = [("engine", Recognizer(gaz).recognize)]
    if args.reference:
        from geomap.recognize_reference import ReferenceRecognizer
        runners.append(("reference", ReferenceRecognizer(gaz).recognize))
    for name, run in runners:
        t = time.perf_counter()
        for text in texts:
            run(text)
        first = time.perf_counter() - t
        warm = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for text in texts:
                run(text)
            warm.append(time.perf_counter() - t)
        print(f"{name}: first pass {first:.3f} s, warm pass {min(warm):.3f} s "
              f"(best of {args.repeat})")
    for label, code in _STARTUP.items():
        print(f"start-up, {label}: {_startup(code, 3):.3f} s (best of 3 processes)")
    print(f"command: .venv/bin/python benchmarks/bench_recognize.py --corpus {args.corpus}"
          + (" --reference" if args.reference else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
