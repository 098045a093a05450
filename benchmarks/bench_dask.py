"""Speed-up of ``geomap extract --engine dask`` with 1 and 2 workers.

Writes the LGL articles ``--copies`` times over as ``.txt`` files (as
``bench_speed.py`` does) and times, as whole processes with a built
gazetteer: the local engine in one process, the local engine with a pool of
two processes, and the dask engine on a ``LocalCluster`` of 1 and 2 workers
(cluster start-up included). Outputs are checked to be identical.

Usage::

    .venv/bin/python benchmarks/bench_dask.py [--copies 10] [--repeat 1]
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import (  # noqa: E402
    DEFAULT_LGL,
    best_of,
    geomap_executable,
    machine,
    write_corpus,
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lgl", type=Path, default=DEFAULT_LGL)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)

    exe = geomap_executable()
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-dask-"))
    try:
        corpus = tmp / "corpus"
        n, size = write_corpus(args.lgl, corpus, args.copies)
        runs = {
            "local, 1 process": ["--jobs", "1"],
            "local, 2 processes": ["--jobs", "2"],
            "dask, 1 worker": ["--engine", "dask", "--workers", "1"],
            "dask, 2 workers": ["--engine", "dask", "--workers", "2"],
        }
        walls, outs = {}, {}
        for name, extra in runs.items():
            out = tmp / f"{len(outs)}.jsonl"
            cmd = [exe, "extract", str(corpus), "--format", "jsonl", "-o", str(out), "-q",
                   *extra]
            walls[name], _, tree = best_of(cmd, args.repeat)
            outs[name] = out
        same = all(filecmp.cmp(outs["local, 1 process"], o, shallow=False)
                   for o in outs.values())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    mb = size / 1e6
    base = walls["local, 1 process"]
    print(f"machine: {machine()}")
    print(f"corpus: LGL x {args.copies} = {n} files, {mb:.1f} MB; whole-process wall, "
          f"best of {args.repeat}")
    print(f"{'run':<20} {'wall s':>7} {'MB/s':>6} {'articles/s':>10} {'speed-up':>8}")
    for name, w in walls.items():
        print(f"{name:<20} {w:7.2f} {mb / w:6.2f} {n / w:10.0f} {base / w:7.2f}x")
    print(f"outputs identical to the single-process run: {same}")
    print(f"command: .venv/bin/python benchmarks/bench_dask.py --lgl {args.lgl} "
          f"--copies {args.copies} --repeat {args.repeat}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
