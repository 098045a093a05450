"""Output files, written atomically with the permissions of any new file.

geomap's name for :mod:`gazetteer.atomic`, the one atomic-write helper of
both packages (it lives in :mod:`gazetteer`, which does not import
:mod:`geomap`): a killed run never leaves a half-written file that looks
complete, and an output gets the mode ``open(path, "w")`` would give it.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> atomic_write(p, "hi").read_text()
'hi'
"""

from __future__ import annotations

from gazetteer.atomic import atomic_file, atomic_path, atomic_write, new_file_mode

__all__ = ["atomic_write", "atomic_file", "atomic_path", "new_file_mode"]
