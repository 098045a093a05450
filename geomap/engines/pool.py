"""Worker processes that end with their parent, and whose deaths cost no document.

:class:`WorkerPool` runs a function over batches in ``jobs`` processes and
yields the results in input order, with a bounded read-ahead, like
``ProcessPoolExecutor.map``. Unlike the executor it knows which batches each
worker holds (:data:`DEPTH`, done in order: the first is the one in hand), so
a worker's death is handled, not fatal:

* **A lost worker costs nothing.** When a worker dies (the kernel's
  out-of-memory killer, a crash, ``kill -9``), a fresh one takes its place
  and the batch it held is done again, each of its pieces alone. A piece
  that kills a worker a second time, alone, is the cause: it is given up
  (``lost(piece, reason)`` stands for its result, so the run reports it) and
  every other piece is done. The deaths are described in :attr:`WorkerPool.notes`.
* **Workers end with their parent, whatever ends it** (``SIGKILL``
  included), by three means, any of which suffices:

  1. On Linux the worker asks the kernel for ``SIGKILL`` when its parent
     dies (``prctl(PR_SET_PDEATHSIG)``). The kernel means the parent
     *thread* that forked it, so this is set only for workers forked by the
     main thread (whose end is the process's end); and since the parent may
     have died before the request, the worker then checks that its parent
     is still the process that started it.
  2. A watchdog thread in every worker (any POSIX system) polls
     :func:`os.getppid` every :data:`WATCH_SECONDS`: a worker whose parent
     died has been adopted by another process, and exits.
  3. A worker's reader thread, which takes tasks off its pipe while the
     worker computes, exits the process on end-of-file: the parent is gone.
     (Workers close the pipe ends of their siblings that forking copied into
     them, so that the parent's end is the only one.)

* **Ctrl-C** reaches the whole process group: workers ignore ``SIGINT`` and
  leave it to the parent, which ends them as it unwinds.

The pool is generic: ``work(items) -> list`` (one result per item) runs in
the workers, after ``initializer()``. An exception from ``initializer`` or
``work`` (not a death) stops the run: it is raised in the parent.

Examples
--------
>>> with WorkerPool(2, work=lambda items: [x * x for x in items]) as pool:
...     list(pool.map([[1, 2], [3], [4, 5]]))
[[1, 4], [9], [16, 25]]
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from geomap.errors import GeomapError

__all__ = ["WorkerPool", "WorkerError", "WATCH_SECONDS", "death_cause"]

#: How often a worker checks that its parent is alive (seconds).
WATCH_SECONDS = 0.25
#: This many workers in a row dying before they are ready stops the run.
START_FAILURES = 3
#: Seconds a worker is given to end after the pool asks it to.
STOP_SECONDS = 2.0
#: Batches sent to a worker ahead of its results: the next one waits in the
#: worker while it works, so it never waits for this process.
DEPTH = 2
_PR_SET_PDEATHSIG = 1


class WorkerError(GeomapError, RuntimeError):
    """Worker processes cannot be started or kept alive."""


def death_cause(exitcode: int | None) -> str:
    """How a process ended, from :attr:`multiprocessing.Process.exitcode`.

    Examples
    --------
    >>> death_cause(-9)
    'killed by signal 9, SIGKILL; out of memory?'
    >>> death_cause(3)
    'exit status 3'
    """
    if exitcode is None:
        return "unknown cause"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        hint = "; out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"killed by signal {-exitcode}, {name}{hint}"
    return f"exit status {exitcode}"


# -- the worker side ------------------------------------------------------------

def _follow_parent(parent: int, deathsig: bool) -> None:
    """End this process when ``parent`` dies (see the module docstring)."""
    if deathsig and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):     # no libc to ask: the watchdog remains
            pass
    if os.getppid() != parent:                # died before we asked
        os._exit(1)

    def watch():
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="geomap-parent-watch", daemon=True).start()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a :class:`WorkerError` naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return WorkerError(f"{type(exc).__name__}: {exc}")


def _read(tasks, inbox) -> None:
    """A worker's reader thread: tasks into ``inbox`` until ``None``; the
    parent gone (end of file) or a message cut short ends the process."""
    while True:
        try:
            message = tasks.recv()
        except Exception:
            os._exit(1)
        inbox.put(message)
        if message is None:
            return


def _serve(tasks, results, parent: int, deathsig: bool, siblings: list,
           initializer: Callable | None, work: Callable) -> None:
    """A worker's life: set-up, then ``(key, items)`` in, ``(key, results)`` out."""
    import queue

    for conn in siblings:
        conn.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _follow_parent(parent, deathsig)
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read, args=(tasks, inbox), name="geomap-tasks",
                     daemon=True).start()
    try:
        try:
            if initializer is not None:
                initializer()
        except Exception as e:
            results.send(("failed", None, _portable(e)))
            return
        results.send(("ready", None, os.getpid()))
        while True:
            message = inbox.get()
            if message is None:
                return
            key, items = message
            try:
                out = ("done", key, work(items))
            except Exception as e:
                out = ("failed", key, _portable(e))
            results.send(out)
    except (BrokenPipeError, ConnectionResetError):   # the parent is gone
        os._exit(1)


# -- the parent side ------------------------------------------------------------

@dataclass(slots=True)
class _Task:
    batch: int                  # the batch's index in the input
    part: int | None            # the piece's index when it runs alone
    items: list


@dataclass(slots=True)
class _Worker:
    proc: Any                   # a multiprocessing Process
    tasks: Any                  # our sending end (a Connection)
    results: Any                # our receiving end
    ready: bool = False
    held: deque = field(default_factory=deque)      # tasks sent, in order


@dataclass
class _Run:
    """The state of one :meth:`WorkerPool.map`."""

    queue: deque = field(default_factory=deque)      # tasks to send, retries first
    done: dict = field(default_factory=dict)         # batch -> results
    parts: dict = field(default_factory=dict)        # batch -> results of its pieces
    read: int = 0                                    # batches read
    exhausted: bool = False


class WorkerPool:
    """Run ``work`` over batches in ``jobs`` processes; results in input order.

    Parameters
    ----------
    jobs : int
        Worker processes.
    work : callable
        ``work(items) -> list``, one result per item; runs in a worker.
    initializer : callable, optional
        Runs once in each worker before its first batch.
    lost : callable, optional
        ``lost(item, reason)``: the result that stands for an item that
        killed a worker twice. Default: the reason.
    window : int, optional
        Batches read ahead of the one to yield (default ``2 * jobs + 2``).
    """

    def __init__(self, jobs: int, work: Callable, *, initializer: Callable | None = None,
                 lost: Callable | None = None, window: int | None = None):
        if jobs < 1:
            raise ValueError(f"Expected jobs >= 1, instead got: {jobs!r}")
        import multiprocessing

        # fork: workers start warm and share pages; our own checks of the
        # parent's id assume the parent is the process that started them
        self._ctx = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        self.jobs = jobs
        self.work = work
        self.initializer = initializer
        self.lost = lost or (lambda item, reason: reason)
        self.window = window or 2 * jobs + 2
        #: What happened to workers that died, for the run report.
        self.notes: list[str] = []
        self._workers: list[_Worker] = []
        self._start_failures = 0
        self._started = 0
        self._mapping = False

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.proc.pid for w in self._workers]

    @property
    def started(self) -> int:
        """Workers started so far (replacements included)."""
        return self._started

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- workers --------------------------------------------------------------

    def _start_worker(self) -> None:
        ctx = self._ctx
        task_r, task_w = ctx.Pipe(duplex=False)
        result_r, result_w = ctx.Pipe(duplex=False)
        forking = ctx.get_start_method() == "fork"
        siblings = [c for w in self._workers for c in (w.tasks, w.results)] if forking else []
        if forking:
            siblings += [task_w, result_r]
        deathsig = threading.current_thread() is threading.main_thread()
        proc = ctx.Process(target=_serve, name="geomap-worker", daemon=True,
                           args=(task_r, result_w, os.getpid(), deathsig, siblings,
                                 self.initializer, self.work))
        proc.start()
        task_r.close()
        result_w.close()
        self._started += 1
        self._workers.append(_Worker(proc, task_w, result_r))

    def _drop(self, w: _Worker) -> None:
        self._workers.remove(w)
        for conn in (w.tasks, w.results):
            conn.close()

    def close(self) -> None:
        """End the workers: asked to stop after a finished :meth:`map`, else killed
        (an interrupted run may have left a message half sent)."""
        workers, self._workers = self._workers, []
        for w in workers:
            if not self._mapping and not w.held:
                try:
                    w.tasks.send(None)
                except OSError:
                    pass
            else:
                w.proc.kill()
        deadline = time.monotonic() + STOP_SECONDS
        for w in workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.exitcode is None:
                w.proc.kill()
                w.proc.join()
            for conn in (w.tasks, w.results):
                conn.close()

    # -- the run --------------------------------------------------------------

    def map(self, batches: Iterable[Iterable]) -> Iterator[list]:
        """``work(batch)`` for each batch, in order."""
        run = _Run()
        source = iter(batches)
        out = 0
        self._mapping = True
        while True:
            self._fill(run, source, out)
            if out in run.done:
                yield run.done.pop(out)
                out += 1
                continue
            if run.exhausted and out == run.read:
                self._mapping = False
                return
            self._wait(run)

    def _fill(self, run: _Run, source: Iterator, out: int) -> None:
        """Send tasks to workers with room, read batches up to the window, start
        workers, send again."""
        self._send(run)
        while not run.exhausted and run.read - out < self.window:
            try:
                batch = list(next(source))
            except StopIteration:
                run.exhausted = True
                break
            run.queue.append(_Task(run.read, None, batch))
            run.read += 1
        self._start(run)
        self._send(run)
        self._start(run)                        # in place of any that died as we sent

    def _start(self, run: _Run) -> None:
        while run.queue and len(self._workers) < self.jobs:
            self._start_worker()

    def _send(self, run: _Run) -> None:
        """Give the tasks waiting to the ready workers, up to :data:`DEPTH` each."""
        for depth in range(1, DEPTH + 1):
            for w in list(self._workers):
                if not run.queue:
                    return
                if w.ready and len(w.held) < depth:
                    task = run.queue.popleft()
                    w.held.append(task)
                    try:
                        w.tasks.send((task.batch, task.items))
                    except OSError:             # it died, before this task
                        w.held.pop()
                        run.queue.appendleft(task)
                        self._died(w, run)

    def _wait(self, run: _Run) -> None:
        """Block until a worker sends something or dies; handle it."""
        from multiprocessing.connection import wait

        by_object = {}
        for w in self._workers:
            by_object[w.results] = by_object[w.proc.sentinel] = w
        for obj in wait(list(by_object)):
            w = by_object[obj]
            if w not in self._workers:
                continue                        # handled with its other object
            while True:                         # what it sent before it ended
                try:
                    if not w.results.poll():
                        break
                    message = w.results.recv()
                except (EOFError, OSError):     # the pipe only: a worker's error
                    break                       # (an OSError too) is raised below
                self._received(w, message, run)
            if not w.proc.is_alive():
                self._died(w, run)

    def _received(self, w: _Worker, message: tuple, run: _Run) -> None:
        kind, key, value = message
        if kind == "ready":
            w.ready = True
            self._start_failures = 0
        elif kind == "failed":
            raise value
        else:
            self._finish(w.held.popleft(), value, run)

    def _finish(self, task: _Task, results: list, run: _Run) -> None:
        if task.part is None:
            run.done[task.batch] = results
            return
        parts = run.parts[task.batch]
        parts[task.part] = results
        if all(p is not None for p in parts):
            del run.parts[task.batch]
            run.done[task.batch] = [r for p in parts for r in p]

    def _died(self, w: _Worker, run: _Run) -> None:
        """A worker ended unasked: replace it; its batch is done again or given up."""
        w.proc.join(1.0)
        cause = death_cause(w.proc.exitcode)
        self._drop(w)
        task = w.held.popleft() if w.held else None
        # the others were waiting their turn: they go first again, without blame
        run.queue.extendleft(reversed(w.held))
        if not w.ready:
            self._start_failures += 1
            if self._start_failures >= START_FAILURES:
                raise WorkerError(f"worker processes die as they start ({cause}); "
                                  f"{self._start_failures} in a row")
        if task is None:
            when = "as it started" if not w.ready else "between batches"
            self.notes.append(f"a worker process died ({cause}) {when}; "
                              "a new one took its place")
            return
        if task.part is None:
            self.notes.append(
                f"a worker process died ({cause}) holding a batch of {len(task.items)} "
                f"document piece{'s' if len(task.items) != 1 else ''}; "
                "each was processed again, alone")
            run.parts[task.batch] = [None] * len(task.items)
            run.queue.extendleft(reversed(
                [_Task(task.batch, k, [item]) for k, item in enumerate(task.items)]))
            return
        reason = f"a worker process died processing it, twice ({cause}); not processed"
        self.notes.append(f"a document piece killed a worker process again ({cause}); "
                          "it was given up and the run went on")
        self._finish(task, [self.lost(task.items[0], reason)], run)
