"""Speed, cold start and memory of ``geomap extract`` against geotext.

Writes the LGL articles ``--copies`` times over as ``.txt`` files into a temp
folder (588 x 10 = 5,880 files, about 11.4 MB), then runs, side by side and
as separate processes:

* geotext: a script calling ``GeoText(text)`` on each file and printing the
  cities and countries found (``pip install geotext``);
* ``geomap extract FOLDER --format jsonl -o FILE`` with a built gazetteer.

Each figure is whole-process wall time, start-up included, and the peak
resident memory of the child (``resource.getrusage(RUSAGE_CHILDREN)``, read
after each child alone). It also times ``geomap extract`` on one short
article (cold start) and checks that peak memory does not grow with the
number of documents (one copy against ``--copies``).

Usage::

    .venv/bin/python benchmarks/bench_speed.py [--lgl ../shared/data/LGL/lgl.xml]
                                               [--copies 10] [--repeat 3] [--big-mb 50]
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_LGL = ROOT.parent / "shared" / "data" / "LGL" / "lgl.xml"
if not DEFAULT_LGL.exists():
    DEFAULT_LGL = Path("/work/shared/data/LGL/lgl.xml")

GEOTEXT_SCRIPT = """\
import sys
from pathlib import Path
from geotext import GeoText
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    g = GeoText(p.read_text(encoding="utf-8"))
    print(p.name, g.cities, g.countries)
"""


@functools.cache
def lgl_documents(lgl: Path) -> list:
    """The LGL articles (read once per process)."""
    sys.path.insert(0, str(ROOT))
    from geomap.evaluate import read_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_corpus(lgl)


def write_corpus(lgl: Path, folder: Path, copies: int) -> tuple[int, int]:
    """Write the corpus; return (files, bytes)."""
    docs = lgl_documents(lgl)
    folder.mkdir(parents=True, exist_ok=True)
    n = size = 0
    for c in range(copies):
        for d in docs:
            data = d.text.encode("utf-8")
            (folder / f"{c:02d}_{d.doc_id}.txt").write_bytes(data)
            n += 1
            size += len(data)
    return n, size


def write_big(lgl: Path, path: Path, mb: float) -> float:
    """Write one document of about ``mb`` MB: the LGL texts, over and over,
    joined by blank lines; return its size in MB."""
    texts = [d.text for d in lgl_documents(lgl)]
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            for t in texts:
                data = t + "\n\n"
                fh.write(data)
                size += len(data.encode("utf-8"))
    return size / 1e6


_HELPER = """\
import json, resource, subprocess, sys, threading, time
cmd = json.loads(sys.argv[1])
peak = [0]
t = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
def watch():
    try:
        import psutil
    except ImportError:
        return
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            procs = [root] + root.children(recursive=True)
            peak[0] = max(peak[0], sum(p.memory_info().rss for p in procs))
        except psutil.Error:
            pass
        time.sleep(0.02)
th = threading.Thread(target=watch, daemon=True)
th.start()
rc = proc.wait()
w = time.perf_counter() - t
th.join()
r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(w, r / 1024, peak[0] / 2**20, rc)
"""


def run(cmd: list[str]) -> tuple[float, float, float, int]:
    """Run ``cmd`` from a fresh helper process.

    Returns (wall s, peak RSS MB of the largest process, peak RSS MB summed
    over the process tree (sampled every 20 ms with psutil), exit code).
    """
    import json

    out = subprocess.run([sys.executable, "-c", _HELPER, json.dumps(cmd)],
                         capture_output=True, text=True, check=True)
    w, rss, tree, rc = out.stdout.split()
    if int(rc) != 0:
        raise SystemExit(f"command failed (exit {rc}): {' '.join(cmd)}")
    return float(w), float(rss), float(tree), int(rc)


def best_of(cmd, repeat):
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def geomap_executable() -> str | None:
    """The ``geomap`` script beside this Python, else the one on PATH."""
    bindir = Path(sys.executable).parent
    return str(bindir / "geomap") if (bindir / "geomap").exists() else shutil.which("geomap")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lgl", type=Path, default=DEFAULT_LGL)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool; the best wall is kept")
    ap.add_argument("--big-mb", type=float, default=0,
                    help="also time one document of this many MB (the LGL texts joined "
                         "by blank lines), e.g. 50")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="leave PYTHONDONTWRITEBYTECODE as it is: every run then compiles "
                         "the modules whose .pyc is missing or stale from source")
    args = ap.parse_args(argv)

    geomap_exe = geomap_executable()
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    bytecode = "as the environment has it"
    if not args.no_bytecode_cache:
        # an installed package runs from its .pyc files: with
        # PYTHONDONTWRITEBYTECODE set (and the tree's .pyc stale after edits)
        # every geomap run would compile its modules from source, parent and
        # workers alike; the children write them once, aside, in the warm-up
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        bytecode = "cached for this run (PYTHONPYCACHEPREFIX in the temp folder)"
    try:
        corpus = tmp / "corpus"
        n, size = write_corpus(args.lgl, corpus, args.copies)
        one = tmp / "one"
        n1, _ = write_corpus(args.lgl, one, 1)
        short = tmp / "short.txt"
        short.write_text("Shelling was reported in Stepanakert on Friday, officials in "
                         "Yerevan said.\n", encoding="utf-8")
        gt_script = tmp / "geotext_run.py"
        gt_script.write_text(GEOTEXT_SCRIPT)
        mb = size / 1e6
        out = tmp / "mentions.jsonl"
        # warm the page cache, the gazetteer check and the bytecode once (the
        # distinct articles: enough batches for the worker processes)
        subprocess.run([geomap_exe, "extract", str(short), "-q", "-o", str(out)], check=True)
        subprocess.run([geomap_exe, "extract", str(one), "-q", "-o", str(out)], check=True)
        subprocess.run([sys.executable, str(gt_script), str(one)], check=True,
                       stdout=subprocess.DEVNULL)

        geotext_cmd = [sys.executable, str(gt_script), str(corpus)]
        tools = {
            "geotext": geotext_cmd,
            "geomap": [geomap_exe, "extract", str(corpus), "--format", "jsonl", "-o", str(out),
                       "-q"],
            "geomap -j1": [geomap_exe, "extract", str(corpus), "--format", "jsonl", "-o",
                           str(out), "-q", "--jobs", "1"],
        }
        walls = {k: [] for k in tools}
        rss = {k: (0.0, 0.0) for k in tools}
        for _ in range(args.repeat):  # interleaved, side by side
            for name, cmd in tools.items():
                w, r, t = best_of(cmd, 1)
                walls[name].append(w)
                rss[name] = (max(rss[name][0], r), max(rss[name][1], t))
        mentions = sum(1 for _ in out.open(encoding="utf-8"))
        one_cmd = [geomap_exe, "extract", str(one), "--format", "jsonl", "-o", str(out), "-q"]
        # the 588 articles once: no article repeats, so what the lookup
        # caches save counts less than in the corpus of copies
        one_wall, one_rss, one_tree = best_of(one_cmd, args.repeat)
        one_gt = best_of([sys.executable, str(gt_script), str(one)], args.repeat)[0]
        cold_cmd = [geomap_exe, "extract", str(short), "--format", "jsonl", "-o", str(out), "-q"]
        cold, _, _ = best_of(cold_cmd, args.repeat)
        big = None
        if args.big_mb:
            big_file = tmp / "big.txt"
            big_mb = write_big(args.lgl, big_file, args.big_mb)
            big_cmd = [geomap_exe, "extract", str(big_file), "--format", "jsonl", "-o",
                       str(out), "-q"]
            big = (big_mb, *best_of(big_cmd, 1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"machine: {machine()}")
    print(f"corpus: LGL x {args.copies} = {n} files, {mb:.1f} MB (best of {args.repeat} runs)")
    print(f"Python bytecode: {bytecode}")
    print(f"{'tool':<11} {'wall s':>7} {'MB/s':>6} {'articles/s':>10} {'RSS MB':>7} "
          f"{'tree RSS MB':>11}")
    for name in tools:
        w = min(walls[name])
        print(f"{name:<11} {w:7.2f} {mb / w:6.2f} {n / w:10.0f} {rss[name][0]:7.0f} "
              f"{rss[name][1]:11.0f}")
    gt = min(walls["geotext"])
    print(f"ratio geomap/geotext wall: {min(walls['geomap']) / gt:.1f}x "
          f"(--jobs 1: {min(walls['geomap -j1']) / gt:.1f}x; target <= 3x); "
          f"{mentions} mentions written")
    print(f"{n1} distinct documents once ({n1} files): geomap {one_wall:.2f} s, geotext "
          f"{one_gt:.2f} s, ratio {one_wall / one_gt:.1f}x")
    print(f"cold start (one short article): {cold:.2f} s (target <= 1.0 s)")
    print(f"peak RSS, all processes: {n1} documents {one_tree:.0f} MB, {n} documents "
          f"{rss['geomap'][1]:.0f} MB (target <= 500 MB, flat)")
    if big is not None:
        print(f"one {big[0]:.1f} MB document: {big[1]:.1f} s, {big[0] / big[1]:.2f} MB/s, "
              f"peak RSS {big[2]:.0f} MB (largest process), {big[3]:.0f} MB (all processes)")
    print("RSS = largest single process (getrusage); tree = sum over geomap and its workers "
          "(pages shared after fork count once per process)")
    print("command: .venv/bin/python benchmarks/bench_speed.py "
          f"--lgl {args.lgl} --copies {args.copies} --repeat {args.repeat}"
          + (f" --big-mb {args.big_mb:g}" if args.big_mb else "")
          + (" --no-bytecode-cache" if args.no_bytecode_cache else ""))
    print("geomap command: geomap extract CORPUS --format jsonl -o FILE -q [--jobs 1]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
