"""Output files: written atomically, with the permissions of any new file.

A killed run never leaves a half-written file that looks complete: the data
goes to a temporary file in the destination folder, which is renamed over the
destination only once it is complete. The temporary file is created private
(``0600``, as :func:`tempfile.mkstemp` makes it) and given, before the rename,
the mode ``open(path, "w")`` would have given the file under the process's
umask, so outputs are as readable as any other file the user writes.
"""

from __future__ import annotations

import os
import tempfile
from os import PathLike
from pathlib import Path

__all__ = ["atomic_write", "new_file_mode", "temporary_file"]


def atomic_write(path: str | PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and :func:`os.replace`.

    The temporary file lives in the destination folder (created if needed),
    so the rename is atomic; the file gets the mode a new file would get
    (:func:`new_file_mode`). Text is written as UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.txt"
    >>> atomic_write(p, "hi").read_text()
    'hi'
    >>> oct(p.stat().st_mode & 0o777) == oct(new_file_mode())
    True
    """
    path = Path(path)
    fd, tmp = temporary_file(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def temporary_file(path: str | PathLike) -> tuple[int, str]:
    """A new temporary file next to ``path``, to be renamed over it when complete.

    The folder is created if needed. The file is opened for writing and has
    the mode of a new file (:func:`new_file_mode`), so that
    :func:`os.replace` gives ``path`` the usual permissions.

    Returns
    -------
    (int, str)
        The open file descriptor (binary, write) and the temporary file's path.
        The caller closes the descriptor, and removes the file on failure.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> fd, tmp = temporary_file(target)
    >>> _ = os.write(fd, b"{}\\n"); os.close(fd)
    >>> os.replace(tmp, target); target.read_text()
    '{}\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, new_file_mode())  # mkstemp makes 0600
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, tmp


def new_file_mode() -> int:
    """The mode ``open(..., "w")`` would give a new file under the current umask.

    Read from ``/proc/self/status`` where the kernel gives it (Linux 4.7 and
    later), so that no other thread ever sees a changed umask; elsewhere the
    umask is read by setting it and putting it back.

    Examples
    --------
    >>> mask = os.umask(0o027); new_file_mode() == 0o640; _ = os.umask(mask)
    True
    """
    return 0o666 & ~_umask()


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
