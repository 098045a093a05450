"""Measure the rule that tells mostly-UTF-8 text from a legacy code page.

:func:`geomap.decoding.mostly_utf8` calls bytes UTF-8 (their bad bytes read as
U+FFFD) when the valid multi-byte sequences are at least as many as the
undecodable bytes. This script measures both sides on real text:

* damaged UTF-8: the news of the development corpora (LGL, GeoVirus,
  conflict-dev, seeds) and lines of 12 place names from the gazetteer, each with
  1, 2 or 3 stray bytes (0x80-0xFF: a Windows-1252 quote, an isolated Latin-1
  letter...) put between characters;
* legacy text: the same texts in Windows-1252, -1250, -1251 and ISO-8859-2
  where they can be written in them.

For each it prints how many texts the rule (and :func:`geomap.decoding.decode`)
reads as UTF-8 and the distribution of ``invalid / valid`` multi-byte sequences.

Run from the repository root::

    .venv/bin/python benchmarks/bench_decoding.py [--store PATH] [--names 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("GEOMAP_DATA", "/work/shared/data"))

from gazetteer.schema import name_rows  # noqa: E402
from geomap.decoding import ESCAPE, decode, mostly_utf8, replace_escaped  # noqa: E402

LEGACY = ("cp1252", "cp1250", "cp1251", "iso-8859-2")


def corpus_texts() -> list[str]:
    texts = []
    for xml in (DATA / "LGL" / "lgl.xml", DATA / "GeoVirus" / "GeoVirus.xml"):
        if xml.exists():
            raw = xml.read_text(encoding="utf-8")
            texts += re.findall(r"<text>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</text>", raw, re.S)
    for folder in (DATA / "conflict-dev" / "docs", ROOT / "seeds"):
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    return texts


def place_names(store: Path, n: int, seed: int = 1) -> list[str]:
    """``n`` non-ASCII place names (Latin, Cyrillic... as GeoNames spells them)."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    # the spellings other than their places' own names, in the store's order
    spellings = (c.matched for _, c in name_rows(con) if c.matched is not c.place.name)
    names = [s for s in islice(dict.fromkeys(spellings), n * 20) if not s.isascii()]
    con.close()
    random.Random(seed).shuffle(names)
    return names[:n]


def lines_of(names: list[str], encoding: str = "utf-8") -> list[str]:
    """Lines of 12 of ``names``, those that ``encoding`` can write."""
    fit = []
    for name in names:
        try:
            name.encode(encoding)
        except UnicodeEncodeError:
            continue
        fit.append(name)
    return [", ".join(fit[i:i + 12]) + "." for i in range(0, len(fit), 12)]


def counts(raw: bytes) -> tuple[int, int]:
    """(undecodable bytes, valid multi-byte sequences) of ``raw`` read as UTF-8."""
    text, bad = replace_escaped(raw.decode("utf-8", ESCAPE))
    return bad, len(text) - len(text.encode("ascii", "ignore")) - bad


def damage(raw: bytes, k: int, rnd: random.Random) -> bytes:
    """``raw`` with ``k`` stray bytes put at character boundaries."""
    text = raw.decode("utf-8")
    cuts = sorted(rnd.randrange(len(text) + 1) for _ in range(k))
    out, last = [], 0
    for c in cuts:
        out.append(text[last:c].encode("utf-8"))
        out.append(bytes([rnd.choice([0x92, 0x93, 0x96, 0xE9, 0xFC, 0xA0, 0xB0])]))
        last = c
    out.append(text[last:].encode("utf-8"))
    return b"".join(out)


def show(label: str, samples: list[bytes], want_utf8: bool) -> None:
    utf8 = rule = 0
    ratios = []
    for raw in samples:
        bad, valid = counts(raw)
        rule += mostly_utf8(bad, valid)
        ratios.append(bad / valid if valid else float("inf"))
        utf8 += decode(raw).encoding == "utf-8"
    ratios.sort()
    q = [ratios[int(f * (len(ratios) - 1))] for f in (0.0, 0.5, 0.9, 1.0)] if ratios else []
    right = utf8 if want_utf8 else len(samples) - utf8
    print(f"{label:<34} {len(samples):>6} texts  read as UTF-8: {utf8:>6}  "
          f"right: {right / max(1, len(samples)):6.1%}  invalid/valid min/median/p90/max: "
          + " ".join(f"{x:.2f}" for x in q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=os.path.expanduser("~/.cache/geomap/gazetteer.sqlite"))
    ap.add_argument("--names", type=int, default=20_000)
    args = ap.parse_args()
    rnd = random.Random(13)
    news = corpus_texts()
    names = place_names(Path(args.store), args.names) if Path(args.store).exists() else []
    for label, texts in (("news", news), ("place-name lines", lines_of(names))):
        accented = [t.encode("utf-8") for t in texts if not t.isascii()]
        print(f"{label}: {len(texts)} texts, {len(accented)} with non-ASCII characters")
        for k in (1, 2, 3):
            show(f"  UTF-8 + {k} stray byte{'s' if k > 1 else ''}",
                 [damage(r, k, rnd) for r in accented], True)
        for enc in LEGACY:
            legacy = []
            for t in (lines_of(names, enc) if label != "news" else texts):
                if t.isascii():
                    continue
                try:
                    legacy.append(t.encode(enc))
                except UnicodeEncodeError:
                    pass
            show(f"  {enc}", legacy, False)
    print("\n(right: UTF-8 for damaged UTF-8, not UTF-8 for a legacy encoding; inf: no valid "
          "multi-byte sequence at all)")
    print("command: .venv/bin/python benchmarks/bench_decoding.py "
          + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
