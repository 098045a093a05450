"""Start-up cost of the score model's parameter file (issue 17: "loaded at start-up in ≤ 10 ms").

What the issue means: reading ``geomap/data/score_model.json`` and building
the model from it (:func:`geomap.calibration.load_model`), plus laying it out
for the compiled scorer (:func:`geomap.assemble._score_terms`), after
Python's own imports. Each figure comes from a fresh interpreter (``-X
frozen_modules=on`` as usual, no bytecode writing turned off), which first
imports the standard-library modules geomap itself needs anyway (json, math,
dataclasses, pathlib, functools), then times:

* ``import``: importing :mod:`geomap.calibration` (geomap's own module);
* ``load``: :func:`~geomap.calibration.load_model` on the shipped file, the
  first call (file read, JSON parse, checks, the frozen model);
* ``terms``: the compiled scorer's layout of it (``assemble._score_terms``;
  the import of :mod:`geomap.assemble` before it is not counted).

It prints the minimum and median over ``--runs`` processes and the command
that reproduces them.

Usage::

    .venv/bin/python benchmarks/bench_score_load.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = """\
import time
import json, math, functools, dataclasses, pathlib, collections.abc, os  # Python's own
t0 = time.perf_counter()
import geomap.calibration as calibration
t1 = time.perf_counter()
model = calibration.load_model()
t2 = time.perf_counter()
import geomap.assemble as assemble           # (not timed: the scorer's module and its imports)
t2b = time.perf_counter()
assemble._score_terms()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "terms": t3 - t2b,
                  "features": len(model.features), "pairs": len(model.pairs),
                  "file": str(calibration.MODEL_PATH),
                  "compiled": assemble.__file__.endswith(".so")}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    rows = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD], check=True, capture_output=True,
                             text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    first = rows[0]
    print(f"score model: {first['file']} ({first['features']} features, "
          f"{first['pairs']} pairs; scorer compiled: {first['compiled']})")
    for key in ("load", "terms", "import"):
        values = [r[key] * 1e3 for r in rows]
        print(f"  {key:7s} min {min(values):6.2f} ms   median {statistics.median(values):6.2f} ms")
    total = [(r["load"] + r["terms"]) * 1e3 for r in rows]
    print(f"  load + terms (the issue's figure, limit 10 ms): min {min(total):.2f} ms, "
          f"median {statistics.median(total):.2f} ms over {len(rows)} processes")
    print(f"command: {sys.executable} benchmarks/bench_score_load.py --runs {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
