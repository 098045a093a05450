"""Benchmark the gazetteer: build, open, lookups, memory, file size.

Run from the repository root::

    .venv/bin/python benchmarks/bench_gazetteer.py [--store PATH] [--skip-build]

Targets: build <= 60 s; open <= 0.3 s; name lookup <= 50 us median;
resident memory <= 300 MB.

"cold" figures are first lookups of a name in the process (nothing cached
yet); "first use" is what a fresh process pays once: the first ``has_name``
(reading the key hashes) and ``prominent_names()``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_us(fn, items) -> tuple[float, float]:
    times = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        times.append((time.perf_counter() - t) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="existing store to measure (skips the build)")
    parser.add_argument("--n", type=int, default=5000, help="number of names to look up")
    args = parser.parse_args()
    t = time.perf_counter()
    from gazetteer import Gazetteer, build, fold
    import_s = time.perf_counter() - t

    if args.store:
        path, build_s = Path(args.store), None
    else:
        path = Path(tempfile.mkdtemp()) / "gazetteer.sqlite"
        t = time.perf_counter()
        build(path, progress=False)
        build_s = time.perf_counter() - t
        print(f"build time           {build_s:.1f} s")
        # measure the store in use in a fresh process, as a user's process opens it
        import subprocess
        import sys

        sys.exit(subprocess.call([sys.executable, __file__, "--store", str(path),
                                  "--n", str(args.n)]))
    # open in a fresh state: measure a second open (first one may warm the OS cache)
    t = time.perf_counter()
    gaz = Gazetteer.open(path, build=False)
    open_s = time.perf_counter() - t
    # what an open costs when the file is not the one sealed (gazetteer.seal):
    # the checksum when it changed since, SQLite's check when it has no seal
    from gazetteer.seal import digest, sqlite_check

    t = time.perf_counter()
    digest(path)
    digest_s = time.perf_counter() - t
    t = time.perf_counter()
    sqlite_check(path)
    check_s = time.perf_counter() - t
    rng = random.Random(42)
    names = [r[0] for r in gaz._query(
        "SELECT name FROM places WHERE population > 0 ORDER BY id", ())]
    t = time.perf_counter()
    gaz.has_name("geneva")
    gaz.prominent_names()
    first_s = time.perf_counter() - t
    sample = rng.sample(names, min(2 * args.n, len(names)))
    names, others = sample[:args.n], sample[args.n:]
    keys = [fold(n) for n in names]
    cold_has_med, cold_has_p95 = timed_us(gaz.has_name, [fold(n) for n in others])
    cand_med, cand_p95 = timed_us(gaz.candidates, names)
    has_med, has_p95 = timed_us(gaz.has_name, keys)
    miss_med, _ = timed_us(gaz.has_name, [k + " zz" for k in keys])
    warm_med, _ = timed_us(gaz.candidates, names)
    near_med, near_p95 = timed_us(lambda ll: gaz.nearest(*ll),
                                  [(rng.uniform(-60, 70), rng.uniform(-180, 180))
                                   for _ in range(500)])
    print(f"store file           {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"sources              {gaz.sources()}")
    print(f"build time           {build_s:.1f} s" if build_s
          else "build time           (not in this process)")
    print(f"import time          {import_s:.3f} s (the gazetteer package, this process)")
    print(f"open time            {open_s:.3f} s (the file is the one sealed)")
    print(f"open, file changed   +{digest_s:.3f} s (its SHA-256 compared with the seal, once)")
    print(f"open, no seal        +{check_s:.3f} s (PRAGMA quick_check, once, then sealed)")
    print(f"first use            {first_s:.3f} s (key hashes, prominent names)")
    print(f"candidates() cold    median {cand_med:.1f} us, p95 {cand_p95:.1f} us "
          f"({len(names)} real names)")
    print(f"candidates() cached  median {warm_med:.1f} us")
    print(f"has_name() hit cold  median {cold_has_med:.1f} us, p95 {cold_has_p95:.1f} us "
          f"({len(others)} other real names)")
    print(f"has_name() hit       median {has_med:.1f} us, p95 {has_p95:.1f} us "
          "(names looked up above)")
    print(f"has_name() miss      median {miss_med:.1f} us")
    print(f"nearest()            median {near_med:.1f} us, p95 {near_p95:.1f} us (500 points)")
    print(f"resident memory      {rss_mb():.0f} MB (VmRSS after open + lookups)")
    print("reproduce with       .venv/bin/python benchmarks/bench_gazetteer.py")


if __name__ == "__main__":
    main()
