"""Time the writer's formatting of 50,000 mentions (JSON Lines and CSV).

The mentions are those of the conflict-dev documents, repeated under new
document ids until there are 50,000; formatting is timed with the gazetteer
(the divisions' names, as the workers format), best of 5.

Run: .venv/bin/python benchmarks/bench_format.py [N]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

DOCS = Path(os.environ.get("GEOMAP_BENCH_DOCS") or
            Path(__file__).resolve().parents[2] / "shared/data/conflict-dev/docs")


def main(n: int = 50_000) -> None:
    from gazetteer import Gazetteer
    from geomap.documents import Document
    from geomap.engines.writer import format_mentions
    from geomap.pipeline import Pipeline

    gaz = Gazetteer.open(build=False, progress=False)
    pipe = Pipeline(gaz)
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))]
    if not texts:
        sys.exit(f"bench_format: no documents in {DOCS} (set GEOMAP_BENCH_DOCS)")
    mentions: list = []
    i = 0
    while len(mentions) < n:
        for text in texts:
            mentions += pipe.mentions(Document(f"d{i}", text, "src", "2023-09-20",
                                               "https://example.org/a"))
            i += 1
    mentions = mentions[:n]
    for fmt in ("jsonl", "csv"):
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            out = format_mentions(mentions, fmt, gazetteer=gaz)
            best = min(best, time.perf_counter() - t)
        print(f"{fmt}: {n:,} mentions formatted in {best * 1000:.0f} ms (best of 5), "
              f"{len(out.encode()) / n:.0f} bytes a record")
    print(f"command: .venv/bin/python benchmarks/bench_format.py {n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
