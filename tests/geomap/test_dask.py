"""The dask engine on a LocalCluster of two workers gives the single-process results:
the same bytes, the same run report, the same pipeline (built from the spec on
every worker, a user's recogniser included)."""

import json
import os
import warnings
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from geomap.documents import RunReport  # noqa: E402
from geomap.engines import run  # noqa: E402
from geomap.engines.dask import DaskEngine, extract  # noqa: E402
from geomap.pipeline import PipelineSpec  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LGL = ROOT.parent / "shared" / "data" / "LGL" / "lgl.xml"


@pytest.fixture(scope="module")
def texts():
    out = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    if LGL.exists():
        from geomap.evaluate import read_corpus

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for d in read_corpus(LGL)[:60]:
                out[f"lgl{d.doc_id}"] = d.text
    return out


@pytest.fixture(scope="module")
def folder(texts, tmp_path_factory):
    d = tmp_path_factory.mktemp("docs")
    for name, text in texts.items():
        (d / f"{name}.txt").write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def client(gazetteer_path):
    import distributed

    from geomap.engines.dask import local_cluster

    with local_cluster(2) as cluster, distributed.Client(cluster) as c:
        yield c


def _run(inputs, engine, spec=None, **kw):
    report = RunReport()
    data = b"".join(t for _, t in run(inputs, engine=engine, fmt="jsonl", report=report,
                                     spec=spec, **kw))
    return data, report


def _dask(client, spec, tmp_path=None, **kw):
    return DaskEngine(client=client, spec=spec, fmt="jsonl",
                      parts_dir=str(tmp_path) if tmp_path else None, **kw)


def _same_report(a: RunReport, b: RunReport) -> None:
    assert a.processed == b.processed
    assert a.skipped == b.skipped
    assert a.ignored == b.ignored
    assert a.notes == b.notes
    assert a.mentions == b.mentions


def test_dask_engine_matches_one_process(folder, gazetteer_path, client, tmp_path):
    spec = PipelineSpec(gazetteer_path)
    local, r1 = _run(folder, "local", spec, jobs=1)
    dask, r2 = _run(folder, _dask(client, spec, tmp_path, partition_files=7))
    assert local.count(b"\n") > 100 and dask == local
    _same_report(r1, r2)
    assert r2.engine == "dask (a given client, 2 workers)"
    assert os.listdir(tmp_path) == []          # the part files were taken in and removed
    # each of the two workers loaded its pipeline once, at start-up, and kept it
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2
    loaded = client.run(
        lambda: len(__import__("geomap.engines.worker", fromlist=["_"])._PIPELINES))
    assert set(loaded.values()) == {1}
    # and runs without the statistical profiler (geomap.engines.dask.WORKER_CONFIG)
    profiling = client.run(lambda: __import__("dask").config.get(
        "distributed.worker.profile.enabled"))
    assert set(profiling.values()) == {False}


def test_every_document_is_accounted_for_as_one_process_would(gazetteer_path, client, tmp_path):
    """Unreadable, empty, too large, misplaced and renamed inputs: the same report."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for i in range(9):
        (a / f"n{i}.txt").write_text(f"Fighting near Shusha, day {i}. Talks in Geneva.\n",
                                     encoding="utf-8")
    (a / "empty.txt").write_text("  \n", encoding="utf-8")
    (a / "big.txt").write_text("Moscow. " * 4_000, encoding="utf-8")          # > max_bytes
    (a / "latin.txt").write_bytes("Réunion à Genève, Moscou.".encode("latin-1"))
    (a / "long.txt").write_text("Talks in Geneva.\n\n" * 120, encoding="utf-8")  # in pieces
    (a / "photo.jpg").write_bytes(b"\xff\xd8")                                # not read
    (a / "sub").mkdir()                                                      # not read
    (a / "gone.txt").symlink_to(tmp_path / "nowhere.txt")                     # dangling
    (a / "sources.csv").write_text("file,source\nn1.txt,Wire\n,orphan\n", encoding="utf-8")
    (b / "n3.txt").write_text("Shelling in Stepanakert.", encoding="utf-8")   # id taken
    (b / "table.csv").write_text("doc,text\nn4,Talks in Yerevan.\nr2,\n", encoding="utf-8")
    inputs = [a, tmp_path / "missing.txt", b]
    (tmp_path / "missing.txt").write_text("Talks in Baku.", encoding="utf-8")
    spec = PipelineSpec(gazetteer_path).with_(chunk_chars=400)
    local, r1 = _run(inputs, "local", spec, jobs=1, max_bytes=20_000)
    parts = tmp_path / "parts"
    parts.mkdir()
    dask, r2 = _run(inputs, _dask(client, spec, parts, partition_files=2), max_bytes=20_000)
    assert dask == local
    _same_report(r1, r2)
    assert {"n3~2", "n4~2"} <= set(r1.processed)       # renamed across partitions
    assert any("empty document" in s.reason for s in r1.skipped)
    assert any("size limit" in s.reason for s in r1.skipped)
    assert any("processed in" in n for n in r1.notes)
    assert len(r1.ignored) == 2 and len(r1.processed) == 14


def test_a_users_recognizer_reaches_the_workers_through_the_spec(folder, gazetteer_path,
                                                                client, tmp_path):
    spec = PipelineSpec(gazetteer_path, recognizer="custom_components:WordList")
    local, r1 = _run(folder, "local", spec, jobs=1)
    dask, r2 = _run(folder, _dask(client, spec, tmp_path))
    assert dask == local
    assert {json.loads(line)["text"] for line in dask.splitlines()} == {"Geneva", "Moscow"}
    kinds = client.run(lambda: sorted(
        type(p.recognizer).__name__ for p in
        __import__("geomap.engines.worker", fromlist=["_"])._PIPELINES.values()))
    assert all("WordList" in k for k in kinds.values())


def test_a_document_the_pipeline_fails_on_is_skipped_and_the_rest_written(
        gazetteer_path, client, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(["Talks in Geneva.", "CRASH in Moscow.", "Moscow said."]):
        (docs / f"d{i}.txt").write_text(text, encoding="utf-8")
    spec = PipelineSpec(gazetteer_path, recognizer="custom_components:Fragile")
    local, r1 = _run(docs, "local", spec, jobs=1)
    dask, r2 = _run(docs, _dask(client, spec))          # records come back with results
    assert dask == local and local.count(b"\n") == 2
    _same_report(r1, r2)
    assert [(s.input, s.reason) for s in r2.skipped] == [
        ("d1", "processing failed: RuntimeError: this recogniser cannot take a crash")]


def test_texts_and_files_read_here_go_in_batches_with_the_same_records(
        texts, folder, gazetteer_path, client):
    spec = PipelineSpec(gazetteer_path)
    some = list(texts.values())[:20]
    local, r1 = _run(some, "local", spec, jobs=1)
    dask, r2 = _run(some, _dask(client, spec))
    assert dask == local and r1.processed == r2.processed
    local, r1 = _run(folder, "local", spec, jobs=1)
    dask, r2 = _run(folder, _dask(client, spec, read_on_workers=False))  # no shared disk
    assert dask == local
    _same_report(r1, r2)


def test_dask_dataframe_and_bag_entry_points(texts, gazetteer_path, client):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from geomap.pipeline import extract as extract_local

    frame = pd.DataFrame({"text": list(texts.values())})
    expected = extract_local(frame)
    got = extract(dd.from_pandas(frame, npartitions=4),
                  gazetteer_path=str(gazetteer_path)).compute()
    cols = ["doc", "start", "end", "text", "place_id", "score", "kind"]
    assert got.reset_index(drop=True)[cols].equals(expected[cols])

    records = extract(db.from_sequence(list(texts.values()), npartitions=3),
                      gazetteer_path=str(gazetteer_path)).compute()
    assert [(r["doc"], r["start"], r["place_id"]) for r in records] == list(
        zip(expected["doc"], expected["start"], expected["place_id"], strict=True))


def test_cli_dask_engine(folder, gazetteer_path, tmp_path):
    import subprocess
    import sys

    out_local, out_dask = tmp_path / "l.jsonl", tmp_path / "d.jsonl"
    for out, extra in ((out_local, ["--jobs", "1"]), (out_dask, ["--engine", "dask",
                                                                 "--workers", "2"])):
        proc = subprocess.run([sys.executable, "-m", "geomap.cli", "extract", str(folder),
                               "--gazetteer", str(gazetteer_path),
                               "-o", str(out), "--report", str(out) + ".json", *extra],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
    assert out_dask.read_text() == out_local.read_text()
    assert json.loads(Path(str(out_dask) + ".json").read_text())["engine"].startswith("dask")
