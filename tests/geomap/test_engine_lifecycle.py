"""``geomap extract`` and its worker processes, as a user (or the system) ends them.

Real runs on a corpus large enough for a pool (``--jobs 2``). To act while the
run is surely under way, the test stops the parent (``SIGSTOP``) as soon as its
two workers exist, sends what it tests, and lets the parent go on (``SIGCONT``).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from run_cli import ROOT, SEEDS, geomap_cli

from geomap.engines import run
from geomap.engines.local import LocalEngine, cap_jobs, usable_cpus
from geomap.report import RunReport

COPIES = 1500       # about 4 MB: a few seconds for two workers


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, gazetteer_path):
    folder = tmp_path_factory.mktemp("lifecycle") / "corpus"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(COPIES):
        shutil.copyfile(seeds[i % len(seeds)], folder / f"d{i:04d}.txt")
    return folder


@pytest.fixture(scope="module")
def good_output(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "good.jsonl"
    done = geomap_cli("extract", str(corpus), "--jobs", "1", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _start(corpus, out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "geomap.cli", "extract", str(corpus), "--jobs", "2",
         "-o", str(out), *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)


def _stop_with_workers(proc, timeout=60):
    """Wait for the run's two workers, stop the parent, return the workers."""
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = parent.children()
        if len(kids) == 2:
            proc.send_signal(signal.SIGSTOP)
            kids = parent.children()
            assert len(kids) == 2
            return kids
        assert proc.poll() is None, "the run ended before its workers started"
        time.sleep(0.01)
    raise AssertionError("no workers appeared")


def _gone(procs, seconds=5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_workers_end_within_seconds_when_the_parent_is_killed(corpus, tmp_path):
    proc = _start(corpus, tmp_path / "out.jsonl")
    try:
        workers = _stop_with_workers(proc)
        proc.kill()
        proc.wait(10)
        assert _gone(workers)
        assert not (tmp_path / "out.jsonl").exists()       # never a partial output
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("signum, statuses", [(signal.SIGTERM, {143}),
                                              (signal.SIGINT, {130})])
def test_sigterm_and_sigint_end_the_run_cleanly(corpus, tmp_path, signum, statuses):
    """The workers end, no output or temp file is left, one line and no traceback."""
    out = tmp_path / "out.jsonl"
    proc = _start(corpus, out, "--report", str(tmp_path / "report.json"))
    try:
        workers = _stop_with_workers(proc)
        if signum == signal.SIGINT:               # Ctrl-C: the whole process group
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode in statuses, err
        assert "Traceback" not in err
        assert _gone(workers)
        assert _leftovers(tmp_path) == []             # no output, temp file or report
    finally:
        proc.kill()
        proc.wait()


def test_a_worker_killed_by_the_system_costs_no_document(corpus, good_output, tmp_path):
    """SIGKILL to a worker mid-run (the OOM killer's way): a new worker takes its
    place, the output is the good run's, with a note. (A worker killed holding a
    batch: test_pool.py, where the moment is certain.)"""
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    proc = _start(corpus, out, "--report", str(report))
    try:
        workers = _stop_with_workers(proc)
        workers[0].kill()
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "geomap: note: a worker process died (killed by signal 9, SIGKILL; " \
           "out of memory?)" in err
    assert out.read_bytes() == good_output
    got = json.loads(report.read_text())
    assert got["processed"] == COPIES and got["skipped"] == 0
    assert any("killed by signal 9" in n for n in got["notes"])


def test_jobs_beyond_the_cpus_are_capped_with_a_note(corpus, good_output, tmp_path):
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    done = geomap_cli("extract", str(corpus), "--jobs", "100000", "-o", str(out),
                      "--report", str(report))
    assert done.returncode == 0, done.stderr
    jobs, note = cap_jobs(100_000)
    assert jobs <= usable_cpus()
    assert f"geomap: note: --jobs 100000 capped to {jobs} (" in done.stderr
    assert note in json.loads(report.read_text())["notes"]
    assert json.loads(report.read_text())["engine"] == \
        f"local ({jobs} process{'es' if jobs > 1 else ''})"
    assert out.read_bytes() == good_output


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_is_an_error(jobs, tmp_path):
    done = geomap_cli("extract", str(SEEDS), "--jobs", jobs, "-o", str(tmp_path / "o.jsonl"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "--jobs" in done.stderr
    assert _leftovers(tmp_path) == []


def test_memory_caps_jobs_too():
    assert cap_jobs(4, cpus=4, memory=2**30) == (
        4, None)
    assert cap_jobs(16, cpus=16, memory=2**30)[0] == 5         # 1 GiB / 200 MiB
    assert cap_jobs(3, cpus=8, memory=10 * 2**20) == (
        1, "--jobs 3 capped to 1 (10 MB of memory available, 200 MB set aside per worker)")


class _PoisonEngine(LocalEngine):
    """The local engine, but a worker handed the document ``poison`` dies of it
    (SIGKILL), as one would on a document that exhausts its memory."""

    def _work(self):
        real = super()._work()

        def work(pieces):
            if any(doc.id == "poison" for doc, _ in pieces):
                os.kill(os.getpid(), signal.SIGKILL)
            return real(pieces)
        return work


def _run(folder, gazetteer_path, engine):
    report = RunReport()
    data = b"".join(d for _, d in run(folder, engine=engine, fmt="jsonl", report=report,
                                      gazetteer_path=gazetteer_path))
    return data, report


def test_a_document_that_kills_its_worker_twice_is_reported_and_the_rest_written(
        gazetteer_path, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(40):
        shutil.copyfile(seeds[i % len(seeds)], tmp_path / f"d{i:02d}.txt")
    good, good_report = _run(tmp_path, gazetteer_path, "local")
    shutil.copyfile(seeds[0], tmp_path / "poison.txt")
    got, report = _run(tmp_path, gazetteer_path, _PoisonEngine(
        jobs=2, gazetteer_path=str(gazetteer_path), fmt="jsonl"))
    assert got == good
    assert report.processed == good_report.processed
    assert [(s.input, s.reason) for s in report.skipped] == [(
        "poison", "processing failed: a worker process died processing it, twice "
                  "(killed by signal 9, SIGKILL; out of memory?); not processed")]
    assert report.engine == "local (2 processes)"
    assert any("each was processed again, alone" in n for n in report.notes)
    assert any("given up" in n for n in report.notes)



@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=6), st.text(max_size=30),
    *[st.none() | st.text(max_size=6) for _ in range(5)], st.integers(0, 10**6))
def test_a_batch_sent_to_a_worker_holds_the_same_documents(ident, text, source, date, url,
                                                           path, encoding, offset):
    """The pool's pipes pickle a Document by its fields (local._reduce_document,
    rebuilt by the C slot maker when built): what a worker reads is the
    Document sent, the same in every field, frozen; other pickles are not
    changed."""
    import dataclasses
    import pickle
    from multiprocessing.reduction import ForkingPickler

    from geomap.engines import local
    from geomap.reading import Document

    local._register_reducer()
    doc = Document(ident, text, source, date, url, path, encoding)
    sent = [(doc, offset), (doc, offset + 1)]
    key, got = pickle.loads(ForkingPickler.dumps((3, sent)))
    assert key == 3 and got == sent
    assert all(type(d) is Document for d, _ in got)
    assert got[0][0] is got[1][0]                   # one copy of a document's text
    assert [getattr(got[0][0], f) for f in local._DOCUMENT_FIELDS] == [
        getattr(doc, f) for f in local._DOCUMENT_FIELDS]
    assert tuple(f.name for f in dataclasses.fields(Document)) == local._DOCUMENT_FIELDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        got[0][0].text = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(doc)) == doc
