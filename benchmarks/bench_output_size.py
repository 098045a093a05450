"""Output size and peak memory of ``geomap extract`` on text with no sentence breaks.

Issue 13, class 4: a record's context was its whole sentence, so text
without sentence breaks (a word repeated, a list of names) repeated the
whole text in every record: 63 KB of ``UK UK UK ...`` gave 1.3 GB of JSON
Lines and 2.6 GB of memory. The context is now a window of at most
``geomap.assemble.CONTEXT_CHARS`` characters, so the output is linear in the
input. This script writes, into a temp folder:

* ``uk.txt``: ``UK UK UK ...``, ``--kb`` KB (default 100);
* ``geneva.txt``: ``Geneva Geneva ...``, ``--kb`` KB (a city's name);
* ``cities.txt``: ``Moscow, Paris, London, ...``, ``--list-kb`` KB (default
  60) of capital cities' names, comma-separated, on one line;

runs ``geomap extract FILE --format jsonl|csv -o OUT -q`` on each (a fresh
helper process per run, as :mod:`bench_speed` does) and prints the output's
size, its records, the wall time and the peak resident memory (the largest
process, from ``getrusage``, and the sum over geomap and its workers,
sampled), against the targets: at most 30 MB of output and 600 MB of memory.

Usage::

    .venv/bin/python benchmarks/bench_output_size.py [--kb 100] [--list-kb 60]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_speed import geomap_executable, machine, run  # noqa: E402

#: Capital cities, written out here (the list is cycled to the size asked).
CITIES = (
    "Moscow Paris London Berlin Madrid Rome Vienna Prague Warsaw Budapest Bucharest Sofia "
    "Athens Ankara Tbilisi Yerevan Baku Tehran Baghdad Damascus Beirut Amman Cairo Tunis "
    "Algiers Rabat Dakar Accra Lagos Nairobi Kampala Kigali Addis_Ababa Khartoum Riyadh Doha "
    "Muscat Kabul Islamabad Delhi Dhaka Kathmandu Colombo Bangkok Hanoi Manila Jakarta Beijing "
    "Seoul Tokyo Canberra Wellington Ottawa Washington Havana Bogota Lima Quito Caracas "
    "Santiago Montevideo Brasilia Asuncion Kyiv Minsk Vilnius Riga Tallinn Helsinki Stockholm "
    "Oslo Copenhagen Dublin Lisbon Bern Brussels Amsterdam Luxembourg Ljubljana Zagreb "
    "Belgrade Sarajevo Skopje Tirana Podgorica Chisinau Nicosia Valletta Reykjavik"
).replace("_", " ").split()

TARGET_BYTES = 30 * 10**6
TARGET_RSS_MB = 600


def repeated(unit: str, size: int) -> str:
    """``unit`` over and over, cut to ``size`` bytes (ASCII) at a unit's end."""
    text = unit * (size // len(unit) + 1)
    return text[: size - size % len(unit)].rstrip(" ,")


def write_inputs(folder: Path, kb: float, list_kb: float) -> list[Path]:
    """Write the three inputs; return their paths."""
    names = ", ".join(CITIES) + ", "
    texts = {"uk.txt": repeated("UK ", int(kb * 1000)),
             "geneva.txt": repeated("Geneva ", int(kb * 1000)),
             "cities.txt": repeated(names, int(list_kb * 1000) + len(names))[: int(list_kb * 1000)]
             .rsplit(",", 1)[0]}
    paths = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text + "\n", encoding="ascii")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=float, default=100, help="size of the repeated-name files")
    ap.add_argument("--list-kb", type=float, default=60, help="size of the list of cities")
    args = ap.parse_args(argv)

    from geomap.assemble import CONTEXT_CHARS

    exe = geomap_executable()
    if exe is None:
        raise SystemExit("geomap is not installed beside this Python nor on PATH")
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-size-"))
    worst_bytes = worst_rss = 0.0
    try:
        print(f"machine: {machine()}; context window {CONTEXT_CHARS} characters")
        print(f"{'input':<12} {'KB':>6} {'format':<6} {'records':>8} {'output MB':>10} "
              f"{'bytes/rec':>9} {'wall s':>7} {'RSS MB':>7} {'tree MB':>8}")
        for path in write_inputs(tmp, args.kb, args.list_kb):
            for fmt in ("jsonl", "csv"):
                out = tmp / f"{path.stem}.{fmt}"
                wall, rss, tree, _ = run([exe, "extract", str(path), "--format", fmt,
                                          "-o", str(out), "-q"])
                size = out.stat().st_size
                with out.open("rb") as fh:
                    records = sum(1 for _ in fh) - (fmt == "csv")
                worst_bytes, worst_rss = max(worst_bytes, size), max(worst_rss, rss, tree)
                print(f"{path.name:<12} {path.stat().st_size / 1000:6.1f} {fmt:<6} "
                      f"{records:8d} {size / 1e6:10.2f} {size / max(records, 1):9.0f} "
                      f"{wall:7.2f} {rss:7.0f} {tree:8.0f}")
                out.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ok = worst_bytes <= TARGET_BYTES and worst_rss <= TARGET_RSS_MB
    print(f"largest output {worst_bytes / 1e6:.1f} MB (target <= {TARGET_BYTES / 1e6:.0f} MB), "
          f"peak memory {worst_rss:.0f} MB (target <= {TARGET_RSS_MB} MB): "
          + ("met" if ok else "NOT MET"))
    print("RSS = largest single process (getrusage); tree = sum over geomap and its workers "
          "(sampled every 20 ms)")
    print("command: .venv/bin/python benchmarks/bench_output_size.py "
          f"--kb {args.kb:g} --list-kb {args.list_kb:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
