"""A damaged store is found out, named, and rebuilt, or the run stops (issue 13, class 8).

Real SQLite: each test copies the session's built store (166 MB, a fraction
of a second) with its seal into its own folder and damages the copy as a
disk or a careless hand would: pages overwritten, the file cut short, one
value changed where SQLite cannot see it. The rebuild is the real one only in
the test marked slow; the others stand it in with a copy of the good store,
as the build takes 30 s.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import struct
import sys
from pathlib import Path

import pytest

from gazetteer import Gazetteer
from gazetteer.errors import DamagedStoreError, GazetteerCorruptError, GazetteerError
from gazetteer.paths import STORE_FILENAME
from gazetteer.seal import read_seal, seal, seal_path, sqlite_check, verify
from gazetteer.store import diagnose_store

PAGE = 4096

#: Documents whose places a damaged store got wrong or lost: Cambridge is
#: Cambridge, Massachusetts in this context, not Cambridge, England.
DOCS = {
    "cambridge.txt": "Researchers at Harvard in Cambridge, Massachusetts, met colleagues "
                     "from Boston and Worcester.",
    "karabakh.txt": "Talks in Geneva between Armenia and Azerbaijan over Nagorno-Karabakh "
                    "resumed, officials in Yerevan and Baku said.",
    "europe.txt": "Protests spread from Paris to Lyon and Marseille, while Berlin and "
                  "Madrid watched.",
}


@pytest.fixture
def store(tmp_path, gazetteer_path) -> Path:
    """A copy of the session's good store, with its seal, in its own cache folder."""
    assert verify(gazetteer_path) is None          # sealed, and the file it was built as
    folder = tmp_path / "cache"
    folder.mkdir()
    copy = folder / STORE_FILENAME
    shutil.copyfile(gazetteer_path, copy)
    shutil.copyfile(seal_path(gazetteer_path), seal_path(copy))
    return copy


def overwrite_pages(path: Path, share: float = 0.005, seed: int = 13) -> int:
    """Overwrite ``share`` of the pages after the header page with random bytes."""
    rng = random.Random(seed)
    pages = path.stat().st_size // PAGE
    chosen = rng.sample(range(1, pages), max(1, int(pages * share)))
    with path.open("r+b") as fh:
        for page in chosen:
            fh.seek(page * PAGE)
            fh.write(rng.randbytes(PAGE))
    return len(chosen)


def break_names_root(path: Path) -> None:
    """Overwrite the root page of the names table, in place: every name lookup fails."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'names'").fetchone()[0]
    con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * PAGE)
        fh.write(b"\xff" * PAGE)


def write_docs(folder: Path) -> Path:
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def stand_in_build(good: Path, calls: list):
    """gazetteer.build.build as the tests stand it in: the good store, sealed."""

    def build(path, *, extra_sources=(), progress=True):
        calls.append(Path(path))
        shutil.copyfile(good, path)
        seal(path)
        return Path(path)

    return build


def test_overwritten_pages_are_found_on_open_and_named(store):
    assert overwrite_pages(store) >= 200                    # 0.5% of 40,644 pages
    kind, what = diagnose_store(store)
    assert kind == "damaged" and "SHA-256 differs" in what
    with pytest.raises(DamagedStoreError) as err:
        Gazetteer.open(store, build=False)
    assert str(store) in str(err.value) and "SHA-256" in str(err.value)
    assert isinstance(err.value, GazetteerCorruptError) and isinstance(err.value, GazetteerError)


def test_without_a_seal_sqlite_checks_the_store_once(store):
    seal_path(store).unlink()                  # a store copied without its seal
    overwrite_pages(store)
    assert sqlite_check(store) is not None
    kind, what = diagnose_store(store)
    assert kind == "damaged" and "malformed" in what
    assert read_seal(store) is None            # a damaged store is not sealed as found


def test_a_good_store_without_a_seal_is_checked_and_sealed(store, gazetteer_path):
    seal_path(store).unlink()                  # as a store built before seals existed
    assert diagnose_store(store) is None
    assert read_seal(store).sha256 == read_seal(gazetteer_path).sha256
    with Gazetteer.open(store, build=False) as g:
        assert g.candidates("Geneva")[0].place.country_code == "CH"


def test_a_changed_value_sqlite_cannot_see_is_found_by_the_seal(store):
    """One value changed in place: SQLite's own check passes and the store
    answers wrongly (Cambridge, Massachusetts moved to England's latitude);
    the seal tells."""
    with Gazetteer(store) as g:
        ma = next(c.place for c in g.candidates("Cambridge") if c.place.country_code == "US"
                  and c.place.admin1 == "MA")
    data = bytes(store.read_bytes())
    for order in ">", "<":      # the places row (SQLite's REAL), the packed names row
        old, new = struct.pack(f"{order}d", ma.lat), struct.pack(f"{order}d", 52.2053)
        assert data.count(old) >= 1
        data = data.replace(old, new)
    store.write_bytes(data)
    assert sqlite_check(store) is None         # SQLite sees nothing wrong
    with Gazetteer(store) as g:                # the raw store answers wrongly
        assert {c.place.lat for c in g.candidates("Cambridge")
                if c.place.id == ma.id} == {52.2053}
    assert diagnose_store(store)[0] == "damaged"
    with pytest.raises(DamagedStoreError, match="SHA-256"):
        Gazetteer.open(store, build=False)


@pytest.mark.parametrize("keep", [0.5, 3 * PAGE, 0])
def test_truncated_store_is_named_and_rebuilt(store, gazetteer_path, monkeypatch, capsys, keep):
    size = store.stat().st_size
    with store.open("r+b") as fh:
        fh.truncate(int(size * keep) if isinstance(keep, float) else keep)
    kind, what = diagnose_store(store)
    assert kind == "damaged"
    assert ("truncated" in what) if keep else ("not a readable gazetteer store" in what)
    with pytest.raises(DamagedStoreError, match=f"{store.name} cannot be used: "):
        Gazetteer.open(store, build=False)
    calls: list = []
    monkeypatch.setattr(sys.modules["gazetteer.build"], "build",
                        stand_in_build(gazetteer_path, calls))
    with Gazetteer.open(store, progress=False) as g:
        assert g.candidates("Geneva")[0].place.country_code == "CH"
    assert calls == [store] and diagnose_store(store) is None
    err = capsys.readouterr().err
    assert f"geomap: the gazetteer cache at {store} is damaged (" in err
    assert "rebuilding (about 30 s)" in err


def test_a_query_that_fails_stops_and_the_next_open_rebuilds(store, gazetteer_path,
                                                             monkeypatch, capsys):
    """Damage that comes after the store was opened: the query raises
    DamagedStoreError (no wrong answer, no per-document skip), the seal is
    marked, and the next open rebuilds even if the file looked unchanged."""
    from geomap.documents import Document
    from geomap.engines import worker
    from geomap.pipeline import Pipeline

    g = Gazetteer.open(store, build=False)
    pipe = Pipeline(g)
    monkeypatch.setitem(worker._PIPELINES, worker._key(worker.as_spec(str(store))), pipe)
    break_names_root(store)
    docs = [(Document(name, text), 0) for name, text in DOCS.items()]
    with pytest.raises(DamagedStoreError) as err:
        worker.process_batch(str(store), docs, fmt="jsonl")
    assert str(store) in str(err.value) and "malformed" in str(err.value)
    g.close()
    assert read_seal(store).damaged.startswith("a query on it failed")
    assert diagnose_store(store) == ("damaged", read_seal(store).damaged)
    calls: list = []
    monkeypatch.setattr(sys.modules["gazetteer.build"], "build",
                        stand_in_build(gazetteer_path, calls))
    with Gazetteer.open(store, progress=False) as g:
        assert g.candidates("Cambridge")
    assert calls == [store] and read_seal(store).damaged is None
    assert "a query on it failed" in capsys.readouterr().err


def test_a_pool_worker_reports_the_damage_with_its_first_batch(store, monkeypatch):
    """A store that breaks as a pool worker warms up: the worker starts (a
    failing initializer would only show as a dead worker), never rebuilds,
    and its first batch raises DamagedStoreError for the parent to report."""
    from geomap.documents import Document
    from geomap.engines import worker

    monkeypatch.setattr(worker, "_PIPELINES", {})
    break_names_root(store)
    seal(store)                        # sealed as it is: only a query can tell
    assert worker.warm_worker(str(store)) > 0
    with pytest.raises(DamagedStoreError, match="malformed"):
        worker.process_batch(str(store), [(Document("a", DOCS["cambridge.txt"]), 0)])
    assert read_seal(store).damaged.startswith("a query on it failed: ")
    with pytest.raises(DamagedStoreError, match="a query on it failed"):
        Gazetteer.open(store, build=False)       # the next run rebuilds it


def test_a_failed_query_does_not_mark_a_store_rebuilt_since(store, tmp_path):
    """The mark is for the file the failing connection read, not a newer one at that path."""
    from gazetteer.seal import mark_damaged

    st = store.stat()
    replaced = tmp_path / "replaced"
    shutil.copyfile(store, replaced)
    replaced.replace(store)                        # another file (inode) at the path now
    mark_damaged(store, (st.st_dev, st.st_ino), "a query on it failed (test)")
    assert read_seal(store).damaged is None


def _mentions(path: Path) -> list[tuple]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["doc"], r["start"], r["text"], r["geonameid"], r["country_code"]) for r in rows]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_run_on_a_damaged_cache_rebuilds_and_matches_a_good_store(
        tmp_path, store, gazetteer_path, monkeypatch, capsys, jobs):
    """The whole run (the parent checks the store before any worker starts):
    rebuilt once, announced on a stderr that is not a terminal, and the
    mentions are those of the good store, Cambridge in Massachusetts."""
    from geomap.cli import main

    docs = write_docs(tmp_path / "docs")
    good_out, out = tmp_path / "good.jsonl", tmp_path / "out.jsonl"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(gazetteer_path.parent))
    assert main(["extract", str(docs), "-q", "-o", str(good_out), "--jobs", jobs]) == 0
    capsys.readouterr()
    overwrite_pages(store)
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(store.parent))
    calls: list = []
    monkeypatch.setattr(sys.modules["gazetteer.build"], "build",
                        stand_in_build(gazetteer_path, calls))
    assert main(["extract", str(docs), "-q", "-o", str(out), "--jobs", jobs]) == 0
    err = capsys.readouterr().err
    assert not sys.stderr.isatty()
    assert f"geomap: the gazetteer cache at {store} is damaged (its SHA-256 differs" in err
    assert "Traceback" not in err and calls == [store]
    assert _mentions(out) == _mentions(good_out)
    assert ("cambridge", 26, "Cambridge", 4931972, "US") in _mentions(out)


@pytest.mark.slow
def test_real_rebuild_of_a_damaged_cache_with_a_worker_pool(tmp_path, store, gazetteer_path):
    """The real thing, as a user meets it: ``geomap extract --jobs 2`` in a
    subprocess whose stderr is a pipe, on a cache with 0.5% of its pages
    overwritten: one real rebuild (about 30-40 s on two cores), then the
    output of the good store."""
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geomap"))
    from run_cli import geomap_cli

    docs = write_docs(tmp_path / "docs")
    good_out, out = tmp_path / "good.jsonl", tmp_path / "out.jsonl"
    env = {**os.environ, "GEOMAP_CACHE_DIR": str(gazetteer_path.parent)}
    proc = geomap_cli("extract", str(docs), "-o", str(good_out), "--jobs", "2", env=env)
    assert proc.returncode == 0, proc.stderr
    overwrite_pages(store)
    env["GEOMAP_CACHE_DIR"] = str(store.parent)
    proc = geomap_cli("extract", str(docs), "-o", str(out), "--jobs", "2", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"geomap: the gazetteer cache at {store} is damaged (" in proc.stderr
    assert "rebuilding (about 30 s)" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_bytes() == good_out.read_bytes()
    assert diagnose_store(store) is None
