"""The worker pool with real processes: order, deaths that cost nothing, a piece
that kills its worker every time, errors raised in the parent, and workers that
end with their parent (also without the kernel's parent-death signal)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from geomap.engines.pool import WorkerError, WorkerPool, death_cause


def _square(items):
    return [x * x for x in items]


def _die_on_poison(items):
    out = []
    for x in items:
        if x == "poison":
            os.kill(os.getpid(), signal.SIGKILL)
        out.append(x.upper())
    return out


def _die_once(flag):
    """A work function whose first call kills its worker (as the OOM killer would)."""
    def work(items):
        try:
            fd = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return [x.upper() for x in items]
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)
    return work


def _fail_to_start():
    raise LookupError("no gazetteer here")


def _die_at_start():
    os.kill(os.getpid(), signal.SIGKILL)


def test_results_come_in_input_order_from_jobs_workers():
    batches = [list(range(i, i + 1 + i % 4)) for i in range(50)]
    with WorkerPool(2, _square, window=3) as pool:
        got = list(pool.map(batches))
        assert len(pool.pids) == 2 and pool.started == 2 and pool.notes == []
    assert got == [[x * x for x in b] for b in batches]


def test_a_killed_worker_costs_nothing_its_batch_is_done_again(tmp_path):
    batches = [[f"d{i}a", f"d{i}b"] for i in range(6)]
    with WorkerPool(2, _die_once(tmp_path / "flag")) as pool:
        got = list(pool.map(batches))
        assert pool.started == 3                    # one replacement
    assert got == [[x.upper() for x in b] for b in batches]
    assert len(pool.notes) == 1
    assert "killed by signal 9, SIGKILL; out of memory?" in pool.notes[0]
    assert "batch of 2 document pieces; each was processed again, alone" in pool.notes[0]


def test_a_piece_that_kills_every_worker_is_given_up_and_the_others_done():
    batches = [["a", "b"], ["c", "poison", "d"], ["e"], ["f", "g"]]
    with WorkerPool(2, _die_on_poison, lost=lambda item, why: ("LOST", item, why)) as pool:
        got = list(pool.map(batches))
    assert got[0] == ["A", "B"] and got[2] == ["E"] and got[3] == ["F", "G"]
    c, lost, d = got[1]
    assert (c, d) == ("C", "D")
    assert lost[:2] == ("LOST", "poison")
    assert lost[2] == ("a worker process died processing it, twice "
                       "(killed by signal 9, SIGKILL; out of memory?); not processed")
    assert any("given up" in n for n in pool.notes)


def test_an_error_in_a_worker_is_raised_in_the_parent():
    with WorkerPool(2, _square) as pool, pytest.raises(TypeError):
        list(pool.map([[1], ["x"], [2]]))
    with WorkerPool(2, _square, initializer=_fail_to_start) as pool:
        with pytest.raises(LookupError, match="no gazetteer here"):
            list(pool.map([[1]]))


def _damaged(items):
    from gazetteer.errors import DamagedStoreError

    raise DamagedStoreError("The gazetteer store /x is damaged")


def test_a_worker_error_that_is_an_os_error_is_raised_not_waited_for():
    # DamagedStoreError is an OSError, as a broken pipe is: it must not be taken
    # for one (the parent then waited for ever)
    from gazetteer.errors import DamagedStoreError

    with WorkerPool(2, _damaged) as pool, pytest.raises(DamagedStoreError, match="damaged"):
        list(pool.map([[1], [2], [3]]))


def test_workers_that_die_as_they_start_stop_the_run():
    with WorkerPool(1, _square, initializer=_die_at_start) as pool:
        with pytest.raises(WorkerError, match=r"die as they start \(killed by signal 9"):
            list(pool.map([[1]]))


def test_closing_early_ends_busy_workers():
    pool = WorkerPool(2, _square)
    it = pool.map([[i] for i in range(100)])
    assert next(it) == [0]
    procs = [psutil.Process(p) for p in pool.pids]
    pool.close()
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in procs)


def test_death_cause():
    assert death_cause(-15) == "killed by signal 15, SIGTERM"
    assert death_cause(1) == "exit status 1"


_PARENT = textwrap.dedent("""
    import sys, threading, time
    from geomap.engines.pool import WorkerPool

    def slow(items):
        if items[0]:
            time.sleep(60)
        return items

    def go():
        pool = WorkerPool(2, slow)
        it = pool.map([[0], [1], [2]])
        next(it)                            # forked here; now each holds a slow batch
        print(*pool.pids, flush=True)
        time.sleep(60)

    if sys.argv[1] == "thread":             # forked by a thread: no parent-death signal
        threading.Thread(target=go).start()
    else:
        go()
""")


def _gone(pids, seconds):
    """True once none of ``pids`` runs (a zombie has ended), within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("where", ["main", "thread"])
def test_workers_end_within_seconds_of_a_killed_parent(where):
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, where], stdout=subprocess.PIPE,
                              text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(psutil.pid_exists(p) for p in pids)
        parent.kill()
        parent.wait()
        assert _gone(pids, 5)
    finally:
        parent.kill()
        parent.wait()
