"""Digest of geomap's output on the development corpora, to prove a change
leaves output byte-identical (issue: restructure without changing answers).

Writes every document of each corpus to a folder, runs ``geomap extract
--format jsonl --jobs 1`` on it and prints the SHA-256 of the output, one line
per corpus. Run it before and after a change and compare the lines.

    .venv/bin/python benchmarks/output_digest.py \
        ../shared/data/LGL/lgl.xml ../shared/data/GeoVirus/GeoVirus.xml
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from geomap.evaluate.corpora import read_corpus


def digest(corpus: Path, geomap: str, keep: Path | None = None) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i, doc in enumerate(read_corpus(corpus)):
            (folder / f"{i:05d}.txt").write_text(doc.text, encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        subprocess.run([geomap, "extract", str(folder), "--format", "jsonl", "--jobs", "1",
                        "-o", str(out), "-q"], check=True)
        data = out.read_bytes()
        if keep is not None:
            keep.write_bytes(data)
        return hashlib.sha256(data).hexdigest()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--keep", type=Path, help="folder to keep each corpus's output in")
    args = ap.parse_args(argv)
    geomap = str(Path(sys.executable).with_name("geomap"))
    for corpus in args.corpora:
        keep = None
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            keep = args.keep / (corpus.stem + ".jsonl")
        print(f"{digest(corpus, geomap, keep)}  {corpus.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
