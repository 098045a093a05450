"""Time ``gazetteer add --countries`` on a large country, served from 127.0.0.1.

Generates a country dump at scale in GeoNames' exact formats (``XX.zip`` with
``XX.txt``, 19 columns; ``alternatenames/XX.zip`` with ``XX.txt``, 10 columns):
by default 300,000 places (a mix of classes P, A, H, T, S; most without
population) and 600,000 alternate names, about the size of Russia's dump. It
is served by ``http.server`` on 127.0.0.1 and added to a copy of a built store,
then the copy is opened and queried. Prints the figures and the command.

Usage::

    .venv/bin/python benchmarks/bench_add.py --store ~/.cache/geomap/gazetteer.sqlite \
        [--places 300000] [--alternates 600000] [--work /tmp/bench_add]

The store given is only read (copied into ``--work``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "gazetteer"))

_SYLLABLES = ("ka", "vo", "ri", "ne", "lo", "sha", "pe", "dro", "mi", "yu", "ta", "ze", "khu",
              "tir", "zh", "ov", "an", "ivka", "ske", "ne", "hor", "bil", "chy", "lu")
_CLASSES = [("P", "PPL")] * 70 + [("P", "PPLX")] * 5 + [("A", "ADM3")] * 5 + \
    [("H", "STM")] * 8 + [("T", "HLL")] * 7 + [("S", "FRM")] * 5


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5))).capitalize()


def make_country(root: Path, code: str, places: int, alternates: int, seed: int = 14) -> None:
    """Write ``root/XX.zip`` and ``root/alternatenames/XX.zip`` at scale."""
    rng = random.Random(seed)
    first = 90_000_000
    (root / "alternatenames").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(root / f"{code}.zip", "w", zipfile.ZIP_DEFLATED) as z, \
            z.open(f"{code}.txt", "w") as raw:
        lines = []
        for i in range(places):
            fclass, fcode = rng.choice(_CLASSES)
            name = _name(rng)
            alts = ",".join(_name(rng) for _ in range(rng.randint(0, 3)))
            pop = rng.choice((0, 0, 0, 0, 0, 0, 0, 120, 800, 2500)) if fclass == "P" else 0
            lines.append("\t".join((
                str(first + i), name, name, alts, f"{rng.uniform(41, 70):.5f}",
                f"{rng.uniform(28, 180):.5f}", fclass, fcode, code, "",
                f"{rng.randint(1, 85):02d}", "", "", "", str(pop), "", str(rng.randint(0, 900)),
                "Europe/Moscow", "2024-05-01")) + "\n")
            if len(lines) == 10_000:
                raw.write("".join(lines).encode("utf-8"))
                lines = []
        raw.write("".join(lines).encode("utf-8"))
    with zipfile.ZipFile(root / "alternatenames" / f"{code}.zip", "w",
                         zipfile.ZIP_DEFLATED) as z, z.open(f"{code}.txt", "w") as raw:
        lines = []
        langs = ("ru", "en", "uk", "de", "", "link", "post", "abbr")
        for i in range(alternates):
            lang = rng.choice(langs)
            name = (f"https://ru.wikipedia.org/wiki/{_name(rng)}" if lang == "link"
                    else str(rng.randint(100000, 999999)) if lang == "post" else _name(rng))
            lines.append("\t".join((str(i + 1), str(first + rng.randrange(places)), lang, name,
                                    "", "", "", rng.choice(("", "", "", "1")), "", "")) + "\n")
            if len(lines) == 10_000:
                raw.write("".join(lines).encode("utf-8"))
                lines = []
        raw.write("".join(lines).encode("utf-8"))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True, help="a built store (read only; copied)")
    p.add_argument("--places", type=int, default=300_000)
    p.add_argument("--alternates", type=int, default=600_000)
    p.add_argument("--work", help="working folder (default: a temporary one)")
    args = p.parse_args()

    from geonames_server import serve

    from gazetteer import Gazetteer
    from gazetteer.add import add_countries
    from gazetteer.seal import seal_path

    work = Path(args.work or tempfile.mkdtemp(prefix="bench_add."))
    shutil.rmtree(work / "store", ignore_errors=True)
    (work / "store").mkdir(parents=True)
    store = work / "store" / "gazetteer.sqlite"
    shutil.copyfile(args.store, store)
    if seal_path(args.store).exists():
        shutil.copyfile(seal_path(args.store), seal_path(store))
    with Gazetteer.open(store, build=False):
        pass                                     # sealed for this copy: not part of the timing

    t = time.perf_counter()
    make_country(work / "mirror", "XR", args.places, args.alternates)
    made = time.perf_counter() - t
    size = sum(f.stat().st_size for f in (work / "mirror").rglob("*.zip"))
    before = store.stat().st_size
    with serve(work / "mirror") as url:
        t = time.perf_counter()
        result = add_countries(["XR"], store, base_url=url)
        total = time.perf_counter() - t
    t = time.perf_counter()
    with Gazetteer.open(store, build=False) as g:
        opened = time.perf_counter() - t
        found = len(g.candidates(g.get(90_000_000).name))
    print(f"command          {' '.join(sys.argv)}")
    print(f"country dump     {args.places:,} places, {args.alternates:,} alternate names "
          f"({size / 1e6:.1f} MB zipped; generated in {made:.0f} s)")
    print(f"gazetteer add    {total:.1f} s in all (download + check + add), "
          f"{result.seconds:.1f} s adding to the store")
    print(f"written          {result.places:,} places, {result.names:,} name rows")
    print(f"store            {before / 1e6:.1f} MB -> {store.stat().st_size / 1e6:.1f} MB")
    print(f"open after add   {opened:.3f} s (sealed again: no checksum on open); "
          f"first place found: {found} candidate(s)")


if __name__ == "__main__":
    main()
