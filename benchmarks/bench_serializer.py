"""Would orjson write geomap's JSON faster, and the same bytes?

Times, on the mentions of the conflict-dev documents repeated to N (as
``bench_format.py`` makes them), best of 5:

* ``writer``: today's JSON Lines formatting (:func:`geomap.engines.writer.format_mentions`);
* ``writer, orjson strings``: the same records, each string encoded by
  ``orjson.dumps(s).decode()`` in place of :mod:`json`'s C ``encode_basestring``;
* ``orjson records``: each mention's record dict (``Mention.as_record``) by
  ``orjson.dumps``, and ``json.dumps`` of the same dicts for comparison;
* ``geojson``: the places and mentions GeoJSON of ``geomap.export`` by
  ``json.dumps`` (as today) and by ``orjson.dumps``.

and says, for each orjson variant, whether its bytes equal today's.
Needs orjson (``pip install orjson``); it is not a dependency of geomap.

Run: .venv/bin/python benchmarks/bench_serializer.py [N]
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from pathlib import Path

DOCS = Path(os.environ.get("GEOMAP_BENCH_DOCS") or
            Path(__file__).resolve().parents[2] / "shared/data/conflict-dev/docs")


def _best(fn, repeat: int = 5):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _finite(record: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in record.items()}


def main(n: int = 50_000) -> None:
    import orjson

    from gazetteer import Gazetteer
    from geomap import export
    from geomap.admins import AdminNames
    from geomap.documents import Document
    from geomap.engines import writer
    from geomap.mentions import to_frame
    from geomap.pipeline import Pipeline

    gaz = Gazetteer.open(build=False, progress=False)
    pipe = Pipeline(gaz)
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))]
    if not texts:
        sys.exit(f"bench_serializer: no documents in {DOCS} (set GEOMAP_BENCH_DOCS)")
    mentions: list = []
    i = 0
    while len(mentions) < n:
        for text in texts:
            mentions += pipe.mentions(Document(f"d{i}", text, "src", "2023-09-20",
                                               "https://example.org/a"))
            i += 1
    mentions = mentions[:n]
    print(f"{n:,} mentions of {i:,} documents ({len(texts)} texts of conflict-dev)")

    t_today, today = _best(lambda: writer.format_mentions(mentions, "jsonl", gazetteer=gaz))
    print(f"writer (json C encode_basestring):  {t_today * 1000:6.0f} ms")

    # the writer, its string encoder swapped for orjson's
    saved = writer._encode_basestring
    writer._encode_basestring = lambda s: orjson.dumps(s).decode()
    writer._PLACES.clear()
    writer._DISPLAY = {"json": {}, True: {}, False: {}}
    try:
        t_swap, swapped = _best(lambda: writer.format_mentions(mentions, "jsonl", gazetteer=gaz))
    finally:
        writer._encode_basestring = saved
        writer._PLACES.clear()
        writer._DISPLAY = {"json": {}, True: {}, False: {}}
    print(f"writer, orjson strings:             {t_swap * 1000:6.0f} ms  "
          f"same bytes: {swapped == today}")

    names = AdminNames(gaz)
    records = [_finite(m.as_record(names)) for m in mentions]
    t_json, by_json = _best(lambda: "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    t_or, by_or = _best(lambda: b"".join(orjson.dumps(r) + b"\n" for r in records))
    print(f"records, json.dumps:                {t_json * 1000:6.0f} ms  "
          f"same bytes: {by_json == today}")
    print(f"records, orjson.dumps:              {t_or * 1000:6.0f} ms  "
          f"same bytes: {by_or == today.encode()}  (orjson writes no space after , and :)")
    t_rec, _ = _best(lambda: [_finite(m.as_record(names)) for m in mentions])
    print(f"  + making the record dicts:        {t_rec * 1000:6.0f} ms")
    # orjson, then json.dumps's separators put back outside strings
    token = re.compile(r'"(?:[^"\\]|\\.)*"|[,:]')
    spaced = {",": ", ", ":": ": "}

    def _respace():
        text = b"".join(orjson.dumps(r) + b"\n" for r in records).decode()
        return token.sub(lambda m: spaced.get(m.group(), m.group()), text)

    t_re, by_re = _best(_respace)
    print(f"records, orjson + separators put back: {t_re * 1000:3.0f} ms  "
          f"same bytes: {by_re == today}  (before the breaks' escapes, floats as orjson)")

    frame = to_frame(mentions, gazetteer=gaz)
    for name, build in (("places", export.places_geojson), ("mentions", export.mentions_geojson)):
        collection = build(frame)
        t_a, a = _best(lambda c=collection: export._dump(c))

        def _orjson(c=collection):
            text = orjson.dumps(c).decode()
            for ch in export._RAW_BREAKS:
                if ch in text:
                    text = text.replace(ch, f"\\u{ord(ch):04x}")
            return text

        t_b, b = _best(_orjson)
        print(f"geojson {name:8s}: json.dumps {t_a * 1000:5.0f} ms, orjson {t_b * 1000:5.0f} ms"
              f" ({len(a):,} bytes)  same bytes: {a == b}")
    print(f"command: .venv/bin/python benchmarks/bench_serializer.py {n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
