"""How far resolution alone could go: the acc@161 ceiling the gazetteer sets.

For every recognised span matched to a gold toponym with coordinates (the
lenient one-to-one match of ``geomap evaluate``, as ``benchmarks/fit_resolver.py``
collects them), this counts:

* **right**: the default resolver's winner is right (within 161 km of the gold
  point, or the gold GeoNames id): acc@161 over the recognised toponyms;
* **a right candidate considered**: some candidate the resolver scored for the
  span is right, so a better choice among them could get it;
* **a right place under the name**: some place the store finds for the span's
  text (``Gazetteer.lookup``, every place of that name, before the resolver's
  filters) is right.

The second share is the ceiling of any re-weighting of the resolver on the
default gazetteer; what lies above the third needs other gazetteer data (a
place the packaged data lacks, or a point convention that differs from the
gold's, such as a country's point). The wrong spans are split the same way.

    .venv/bin/python benchmarks/bench_ceiling.py ../shared/data/LGL/lgl.xml \\
        ../shared/data/GeoVirus/GeoVirus.xml ../shared/data/conflict-dev
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_resolver import collect, right  # noqa: E402

from geomap.pipeline import Pipeline  # noqa: E402
from geomap.resolve import Resolver  # noqa: E402

#: Candidates kept per span: all of them.
KEEP = 10_000


def ceiling(pipe: Pipeline, path: str) -> tuple[str, Counter, Counter]:
    """``(corpus name, counts, names of wrong spans without a right candidate)``."""
    corpus = collect(pipe, path)
    gaz = pipe.gazetteer
    res = Resolver(gaz)
    n: Counter = Counter()
    missing: Counter = Counter()
    for pieces in corpus.docs:
        for piece in pieces:
            if not any(piece.gold):
                continue
            out = res.resolve(piece.spans, piece.text, keep_candidates=KEEP)
            for span, r, g in zip(piece.spans, out, piece.gold):
                if g is None:
                    continue
                n["spans"] += 1
                win = r.place is not None and right(r.place, g)
                considered = any(right(c.place, g) for c in r.candidates)
                named = considered or any(right(p, g) for p in gaz.lookup(span.text))
                n["right"] += win
                n["considered"] += considered
                n["named"] += named
                if not win:
                    n["wrong"] += 1
                    n["wrong, right candidate considered"] += considered
                    n["wrong, right place only under the name"] += named and not considered
                    n["wrong, no right place"] += not named
                    if not named:
                        missing[span.text] += 1
    return corpus.name, n, missing


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--top", type=int, default=12, help="names listed per corpus")
    args = ap.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe = Pipeline()
        results = [ceiling(pipe, p) for p in args.corpora]
    print(f"{'corpus':14} {'spans':>6} {'acc@161':>8} {'ceiling: considered':>20} "
          f"{'under the name':>15}")
    for name, n, _ in results:
        s = n["spans"]
        print(f"{name:14} {s:6,} {n['right'] / s:8.3f} {n['considered'] / s:20.3f} "
              f"{n['named'] / s:15.3f}")
    for name, n, missing in results:
        print(f"\n{name}: {n['wrong']:,} wrong spans: "
              f"{n['wrong, right candidate considered']:,} with a right candidate considered, "
              f"{n['wrong, right place only under the name']:,} with a right place only "
              f"under the name, {n['wrong, no right place']:,} with no right place")
        top = ", ".join(f"{k!r} {v}" for k, v in missing.most_common(args.top))
        print(f"  no right place, most often: {top}")
    print("\ncommand: .venv/bin/python benchmarks/bench_ceiling.py " + " ".join(args.corpora))
    return 0


if __name__ == "__main__":
    sys.exit(main())
