"""How long writing a big map takes, and how big it is.

Builds a synthetic mention table (10,000 places, 100,000 mentions, 20
sources, sentences of about 100 characters), then times ``write_map`` and
the exports. Targets (issue 15): the map written in <= 5 s, <= 8 MB, opened in
headless Chromium in <= 2 s.

Reproduce with::

    .venv/bin/python benchmarks/bench_maps.py [--places 10000] [--mentions 100000] \\
        [--offline] [--browser]

``--browser`` (needs ``--offline``, Playwright and /usr/bin/chromium) also
times opening the map in headless Chromium until the clusters are drawn: the
page's own time (``performance.now()`` from navigation, what a reader waits
once the browser runs) and the time with the browser's launch; a script error
in the page fails the run. CPU seconds of ``write_map`` are printed too: on a
shared machine they vary less than wall time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gazetteer.place import Place  # noqa: E402
from geomap.export import write_csv, write_geojson, write_mentions_geojson  # noqa: E402
from geomap.maps import write_map  # noqa: E402
from geomap.mentions import Mention, to_frame  # noqa: E402

WORDS = ("shelling", "talks", "aid", "convoy", "officials", "said", "near", "the", "city",
         "reported", "ceasefire", "refugees", "forces", "on", "Tuesday", "in")


def table(n_places: int, n_mentions: int, seed: int = 1):
    rng = random.Random(seed)
    places = [Place(id=i + 1, name=f"Place {i}", lat=rng.uniform(-60, 70),
                    lon=rng.uniform(-180, 180), country_code=rng.choice(["RU", "UA", "AM"]),
                    feature_code=rng.choice(["PPL", "PPLA", "ADM1"]), geonameid=i + 1)
              for i in range(n_places)]
    weights = [1 / (i + 1) for i in range(n_places)]  # Zipf: a few places get most mentions
    chosen = rng.choices(places, weights=weights, k=n_mentions - n_places) + places
    mentions = []
    for k, place in enumerate(chosen):
        before = " ".join(rng.choices(WORDS, k=8))
        sentence = f"{before} {place.name} {' '.join(rng.choices(WORDS, k=6))}."
        start = 1000 + len(before) + 1
        mentions.append(Mention(doc=f"doc{k // 20}", start=start, end=start + len(place.name),
                                text=place.name, place=place, score=0.9,
                                source=f"source{k % 20}", date=f"2024-03-{k % 28 + 1:02d}",
                                sentence=sentence, sentence_start=1000))
    return to_frame(mentions)


def open_in_browser(path: Path) -> tuple[float, float]:
    """Seconds until Leaflet has drawn markers or clusters: from navigation, and from launch."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "geomap"))
    from browser import open_map

    t = time.perf_counter()
    with open_map(path, wait=False) as session:
        session.page.wait_for_selector(".marker-cluster, path.leaflet-interactive",
                                       timeout=60_000)
        page = session.page.evaluate("performance.now()") / 1000
        launched = time.perf_counter() - t
        session.page.wait_for_timeout(1000)  # a late error (e.g. when the view settles)
        errors = [e for e in session.errors if "ERR_FAILED" not in e]  # blocked tiles
        if errors:
            raise SystemExit(f"the map's page has errors: {errors}")
        return page, launched


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--offline", action="store_true", help="inline Leaflet (geomap[offline])")
    parser.add_argument("--browser", action="store_true",
                        help="time opening the map in headless Chromium (with --offline)")
    args = parser.parse_args(argv)
    t = time.perf_counter()
    df = table(args.places, args.mentions)
    print(f"mention table: {len(df):,} mentions of {args.places:,} places "
          f"built in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for label, write, name in [
            ("write_map", lambda p: write_map(df, p, offline=args.offline), "map.html"),
            ("write_geojson (places)", lambda p: write_geojson(df, p), "places.geojson"),
            ("write_mentions_geojson", lambda p: write_mentions_geojson(df, p),
             "mentions.geojson"),
            ("write_csv", lambda p: write_csv(df, p), "mentions.csv"),
        ]:
            t, cpu = time.perf_counter(), time.process_time()
            path = write(Path(tmp) / name)
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
            print(f"{label:24s} {seconds:6.2f} s  {path.stat().st_size / 1e6:7.2f} MB  "
                  f"(CPU {cpu:.2f} s)")
            if label == "write_map" and args.browser:
                page, launched = open_in_browser(path)
                print(f"{'open in Chromium':24s} {page:6.2f} s  (with the browser's launch: "
                      f"{launched:.2f} s)")
    print("reproduce: .venv/bin/python benchmarks/bench_maps.py "
          f"--places {args.places} --mentions {args.mentions}"
          + (" --offline" if args.offline else "") + (" --browser" if args.browser else ""))


if __name__ == "__main__":
    main()
