"""Document focus on conflict-dev: country accuracy and place within 100 km.

Runs the pipeline on each document of the conflict-dev corpus (a folder with
``gold.json`` and ``docs/``), takes :func:`geomap.docfocus.focus_of` of its
mentions and compares it with the gold ``focus``: the country (ISO code),
the admin1 (the GeoNames code at the end of the gold note, "ADM1 UA.07") and
the distance from the focus place to the gold point. Prints one line per
document, the figures, and the command that reproduces them. Targets
(issue 15): country >= 95 %, place within 100 km >= 80 %.

``--loo`` also reports a leave-one-out estimate for the weights of
:mod:`geomap.docfocus`: for each document, the weight setting (from a small grid)
that does best on the other documents is applied to it.

Usage::

    .venv/bin/python benchmarks/bench_focus.py [CORPUS] [--loo] [-v]
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "conflict-dev"
WITHIN_KM = 100.0

#: Weights tried by --loo (name in geomap.docfocus -> values).
GRID = {
    "LEAD_BONUS": (0.5, 1.0, 2.0),
    "EVENT_BONUS": (0.5, 1.0, 2.0),
    "NEAR_SHARE": (0.0, 0.5, 1.0),
    "DATELINE_PLACE_WEIGHT": (0.0, 0.5, 1.0),
    "UNCORROBORATED_FACTOR": (0.25, 0.5, 1.0),
}


def _score(corpus, found, gaz):
    from gazetteer.distance import haversine_km

    fmod = importlib.import_module("geomap.docfocus")

    rows = []
    names = fmod._Names(gaz)
    for doc in corpus.documents:
        f = fmod.focus_of(found[doc.doc_id], names, doc=doc.doc_id)
        g = doc.focus
        m = re.search(r"ADM1 ([A-Z]{2}\.\w+)", g.note or "")
        km = (haversine_km(f.lat, f.lon, g.lat, g.lon)
              if f.lat is not None and g.point is not None else float("inf"))
        rows.append((doc.doc_id, f, g, km, f.country_code == g.country,
                     m is not None and f.admin1_code == m.group(1), km <= WITHIN_KM))
    return rows


def _figures(rows):
    n = len(rows)
    return (sum(r[4] for r in rows) / n, sum(r[5] for r in rows) / n,
            sum(r[6] for r in rows) / n)


def _with(settings, fn):
    fmod = importlib.import_module("geomap.docfocus")
    old = {k: getattr(fmod, k) for k in settings}
    try:
        for k, v in settings.items():
            setattr(fmod, k, v)
        return fn()
    finally:
        for k, v in old.items():
            setattr(fmod, k, v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--loo", action="store_true", help="leave-one-out over the weight grid")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the evidence too")
    a = ap.parse_args(argv)

    from geomap.documents import Document
    from geomap.evaluate import load_corpus
    from geomap.pipeline import Pipeline

    corpus = load_corpus(a.corpus)
    docs = [d for d in corpus.documents if d.focus is not None and d.focus.point]
    if not docs:
        print(f"no document with a gold focus in {a.corpus}", file=sys.stderr)
        return 2
    pipe = Pipeline()
    found = {d.doc_id: pipe.mentions(Document(id=d.doc_id, text=d.text)) for d in docs}
    t0 = time.perf_counter()
    rows = _score(corpus, found, pipe.gazetteer)
    seconds = time.perf_counter() - t0
    for doc_id, f, g, km, c_ok, a_ok, p_ok in rows:
        print(f"{doc_id[:34]:34s} {'ok' if c_ok else 'XX'} {f.country_code or '-':2s}/"
              f"{g.country:2s} {'ok' if a_ok else '--'} {f.admin1_code or '-':8s} "
              f"{'ok' if p_ok else 'XX'} {km:7.0f} km  {f.place_name or '-'!s:28.28s} "
              f"(gold {g.place}) conf {f.confidence:.2f}")
        if a.verbose:
            print(f"    {f.evidence}")
    country, admin1, place = _figures(rows)
    n = len(rows)
    print(f"\ndocuments {n}; country accuracy {country:.3f} ({round(country * n)}/{n}); "
          f"admin1 accuracy {admin1:.3f}; place within {WITHIN_KM:.0f} km {place:.3f} "
          f"({round(place * n)}/{n}); focus {1000 * seconds / n:.2f} ms/document")
    if a.loo:
        keys = list(GRID)
        settings = [dict(zip(keys, vals, strict=True))
                    for vals in itertools.product(*GRID.values())]
        per = [_with(s, lambda: _score(corpus, found, pipe.gazetteer)) for s in settings]
        hits = {"country": 0, "place": 0}
        for i in range(n):
            def rest(k, i=i):
                return sum(r[4] + r[6] for j, r in enumerate(per[k]) if j != i)
            best = max(range(len(settings)), key=rest)
            hits["country"] += per[best][i][4]
            hits["place"] += per[best][i][6]
        totals = [sum(r[4] + r[6] for r in per[k]) for k in range(len(settings))]
        top = max(totals)
        best_all = [settings[k] for k in range(len(settings)) if totals[k] == top]
        now = next(k for k, s in enumerate(settings)
                   if all(getattr(importlib.import_module("geomap.docfocus"), key) == v
                          for key, v in s.items()))
        print(f"grid: the current weights score {totals[now]} (country + place hits of "
              f"{2 * n}); the best {top}, by {len(best_all)} settings, e.g. {best_all[0]}")
        print(f"leave-one-out over {len(settings)} weight settings: country "
              f"{hits['country'] / n:.3f}, place within {WITHIN_KM:.0f} km "
              f"{hits['place'] / n:.3f}")
    print(f"command: .venv/bin/python benchmarks/bench_focus.py {a.corpus}"
          + (" --loo" if a.loo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
