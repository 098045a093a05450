"""Compiled speed-ups: the pipeline's hot modules, compiled with mypyc.

geomap is pure Python, and stays so: every module runs as it is written.
When geomap is installed from source on a machine with a C compiler, the
modules in :data:`COMPILED` are also compiled to C extensions by `mypyc
<https://mypyc.readthedocs.io>`_, mypy's compiler for type-annotated Python
(``setup.py`` does it at install time). The compiled modules are the same
code, so they give the same results, only faster; ``tests/geomap/
test_speedups.py`` runs both on the evaluation corpora and compares them.
Without a compiler, or with ``GEOMAP_PURE_PYTHON=1`` set at install time,
the install keeps the pure Python modules.

Set ``GEOMAP_PURE_PYTHON=1`` when running geomap to use the pure Python
modules even where compiled ones are installed: to profile them with
:mod:`cProfile` (which cannot see into compiled code), or to check a result.

Examples
--------
>>> from geomap import speedups
>>> sorted(speedups.compiled())
['geomap.recognize', 'geomap.resolve', 'geomap.text']
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

__all__ = ["COMPILED", "ENV_VAR", "compiled", "use_pure_python"]

#: The modules compiled when possible, as paths from the project root.
COMPILED = ("geomap/text.py", "geomap/recognize.py", "geomap/resolve.py")
#: The environment variable that asks for pure Python.
ENV_VAR = "GEOMAP_PURE_PYTHON"

_NAMES = frozenset(path[:-3].replace("/", ".") for path in COMPILED)


def compiled() -> dict[str, bool]:
    """Which of the :data:`COMPILED` modules run compiled in this process.

    Imports them.
    """
    out = {}
    for name in sorted(_NAMES):
        module = importlib.import_module(name)
        out[name] = not (module.__file__ or "").endswith(".py")
    return out


class _PureFinder:
    """Finds the ``.py`` source of the compiled modules, ahead of the
    extension modules beside them."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in _NAMES:
            return None
        for entry in path or ():
            source = os.path.join(entry, name.rpartition(".")[2] + ".py")
            if os.path.exists(source):
                return importlib.util.spec_from_file_location(
                    name, source, loader=importlib.machinery.SourceFileLoader(name, source))
        return None


def use_pure_python() -> None:
    """Import the pure Python modules from now on, even where compiled ones exist.

    Call it before the pipeline is imported (``geomap`` does, when
    ``GEOMAP_PURE_PYTHON`` is set): a module already imported stays as it is.

    Raises
    ------
    RuntimeError
        If a compiled module is already imported.
    """
    loaded = [n for n in _NAMES if n in sys.modules
              and not (sys.modules[n].__file__ or "").endswith(".py")]
    if loaded:
        raise RuntimeError(f"compiled modules already imported: {', '.join(sorted(loaded))}; "
                           f"set {ENV_VAR}=1 before starting Python instead")
    if not any(isinstance(f, _PureFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PureFinder())
