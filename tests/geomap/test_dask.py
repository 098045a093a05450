"""The dask engine on a LocalCluster of two workers gives the single-process results."""

import json
import warnings

import pytest

pytest.importorskip("distributed")

from geomap.documents import RunReport  # noqa: E402
from geomap.engines import run  # noqa: E402
from geomap.engines.dask import DaskEngine, extract  # noqa: E402

pytestmark = pytest.mark.slow

from pathlib import Path  # noqa: E402

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
def engine(gazetteer_path):
    eng = DaskEngine(workers=2, gazetteer_path=gazetteer_path, fmt="jsonl")
    eng.start()
    yield eng
    eng.close()


def _lines(inputs, gazetteer_path, engine, **kw):
    report = RunReport()
    text = b"".join(t for _, t in run(inputs, engine=engine, fmt="jsonl", report=report,
                                     gazetteer_path=gazetteer_path, **kw))
    return text.splitlines(), report


def test_dask_engine_matches_one_process(folder, gazetteer_path, engine):
    local, r1 = _lines(folder, gazetteer_path, "local", jobs=1)

    class Kept(DaskEngine):        # reuse the module's cluster; run() enters and exits it
        def __init__(self):
            self.__dict__.update(engine.__dict__)

        def start(self):
            pass

        def close(self):
            pass

    dask, r2 = _lines(folder, gazetteer_path, Kept())
    assert len(local) > 100 and dask == local
    assert r2.processed == r1.processed and r2.mentions == r1.mentions
    assert r2.engine == "dask (LocalCluster, 2 workers)"
    # each of the two workers loaded its pipeline once, at start-up
    pids = engine._client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2
    loaded = engine._client.run(
        lambda: len(__import__("geomap.engines.worker", fromlist=["_"])._PIPELINES))
    assert set(loaded.values()) == {1}


def test_dask_dataframe_and_bag_entry_points(texts, gazetteer_path, engine):
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
                               "-o", str(out), "--report", str(out) + ".json", *extra],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
    assert out_dask.read_text() == out_local.read_text()
    assert json.loads(Path(str(out_dask) + ".json").read_text())["engine"].startswith("dask")
