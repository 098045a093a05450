"""Throughput of the dask engine against one local process, with identical output.

Writes the LGL articles ``--copies`` times over as ``.txt`` files (as
``bench_speed.py`` does) and measures documents per second of a whole run
(listing, reading, processing, writing the JSON Lines output) with warm
workers, as a user with a running cluster sees it:

1. the local engine in this process (``jobs=1``), its pipeline loaded first;
2. the dask engine on a ``LocalCluster`` (processes, as the engine starts
   one: :func:`geomap.engines.dask.local_cluster`) of 1 worker, and its
   ratio to (1): the per-worker throughput under Dask;
3. the same with 2 workers, and its ratio to (1);

and, as a control, the local engine with a pool of 2 processes: on a machine
shared with other work, it shows what two processes can gain at that moment.

The clusters' start-up (workers started, gazetteer opened once per worker) is
timed apart and printed. So are the CPU seconds per 1,000 documents of this
process and of the workers, which, unlike the wall times, hardly move with the
load other programs put on the machine. Each figure is the best of ``--repeat`` runs; the
machine's load average is printed before and after. Every output must equal
the local one byte for byte (exit status 1 otherwise).

Usage::

    .venv/bin/python benchmarks/bench_dask.py [--copies 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import DEFAULT_LGL, machine, write_corpus  # noqa: E402


def _cpu(client) -> float:
    """CPU seconds used so far by the cluster's worker processes."""
    return sum(client.run(time.process_time).values()) if client is not None else 0.0


def _timed_run(corpus: Path, out: Path, engine, spec, client=None,
               jobs: int = 1) -> tuple[float, float, float]:
    """Wall seconds of a run, and the CPU seconds of this process and of the workers."""
    from geomap.documents import RunReport
    from geomap.engines import run

    report = RunReport()
    cpu0, workers0 = time.process_time(), _cpu(client)
    t0 = time.perf_counter()
    with open(out, "wb") as fh:
        for _, data in run(corpus, engine=engine, fmt="jsonl", report=report, spec=spec,
                           **({"jobs": jobs} if engine == "local" else {})):
            fh.write(data)
    wall = time.perf_counter() - t0
    cpu, workers = time.process_time() - cpu0, _cpu(client) - workers0
    if report.skipped:
        raise SystemExit(f"documents skipped: {report.skipped[:3]}")
    return wall, cpu, workers


def _code_stamp() -> float:
    """The latest change to geomap's modules and data: workers started later import
    what is on disk then, so a change during the run makes outputs differ."""
    import geomap

    root = Path(geomap.__file__).parent
    return max(p.stat().st_mtime for p in root.rglob("*") if p.suffix in (".py", ".so", ".json"))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lgl", type=Path, default=DEFAULT_LGL)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import distributed

    from geomap.engines import _ready_store
    from geomap.engines.dask import DaskEngine, local_cluster
    from geomap.engines.worker import warm
    from geomap.pipeline import PipelineSpec

    load_before, stamp = _load(), _code_stamp()
    spec = PipelineSpec(_ready_store())
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-dask-"))
    try:
        corpus = tmp / "corpus"
        n, size = write_corpus(args.lgl, corpus, args.copies)
        warm(spec)
        walls, starts, outs = {}, {}, {}
        outs["local"] = tmp / "local.jsonl"
        walls["local"] = min(_timed_run(corpus, outs["local"], "local", spec)
                             for _ in range(args.repeat))
        outs["pool"] = tmp / "pool.jsonl"
        walls["pool"] = min(_timed_run(corpus, outs["pool"], "local", spec, jobs=2)
                            for _ in range(args.repeat))
        for workers in (1, 2):
            name = f"dask {workers}"
            t0 = time.perf_counter()
            with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
                parts = tmp / f"parts{workers}"
                parts.mkdir()
                engine = DaskEngine(client=client, spec=spec, fmt="jsonl", parts_dir=str(parts))
                engine.start()               # the workers open the gazetteer, once each
                starts[name] = time.perf_counter() - t0
                outs[name] = tmp / f"dask{workers}.jsonl"
                walls[name] = min(_timed_run(corpus, outs[name], engine, spec, client)
                                  for _ in range(args.repeat))
        same = {k: outs[k].read_bytes() == outs["local"].read_bytes() for k in outs}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    local = n / walls["local"][0]
    print(f"machine: {machine()}; load average before {load_before}, after {_load()}")
    print(f"corpus: LGL x {args.copies} = {n} files, {size / 1e6:.1f} MB; "
          f"whole runs with warm workers, best of {args.repeat}")
    print(f"local, 1 process:  {local:7.0f} docs/s   CPU s per 1000 docs: "
          f"{1000 * walls['local'][1] / n:.2f}")
    for workers in (1, 2):
        name = f"dask {workers}"
        wall, client_cpu, worker_cpu = walls[name]
        rate = n / wall
        print(f"dask, {workers} worker{'s' if workers > 1 else ' '}:   {rate:7.0f} docs/s  "
              f"{rate / local:.2f}x one local process  CPU s per 1000 docs: workers "
              f"{1000 * worker_cpu / n:.2f}, client {1000 * client_cpu / n:.2f}  "
              f"(cluster start-up {starts[name]:.1f} s, not counted)")
    pool = n / walls["pool"][0]
    print(f"control: local engine, 2 processes: {pool:7.0f} docs/s  {pool / local:.2f}x one "
          "local process (what this machine's free cores allow two processes now)")
    print(f"outputs identical to the local process's: {all(same.values())}")
    if _code_stamp() != stamp:
        print("warning: geomap's modules or data changed on disk during the run: the "
              "workers started later may have run other code; run it again")
    print(f"command: .venv/bin/python benchmarks/bench_dask.py --lgl {args.lgl} "
          f"--copies {args.copies} --repeat {args.repeat}")
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
