"""Compiled speed-ups: the pipeline's hot modules, compiled with mypyc, and
helpers in C.

geomap is pure Python, and stays so: every module runs as it is written.
When geomap is installed from source on a machine with a C compiler, the
modules in :data:`COMPILED` (the pipeline's, and the gazetteer's store and
name folding) are also compiled to C extensions by `mypyc
<https://mypyc.readthedocs.io>`_, mypy's compiler for type-annotated Python
(``setup.py`` does it at install time), and the extensions in :data:`NATIVE`
are built: the tokenizer and sentence splitter of :mod:`geomap.text`, which
find what its regular expressions find, in one pass over the text, and the
recogniser's typo index, which answers as the dict that defines it in
:mod:`geomap.recognize`, and the store's search of its key hashes and maker of
Place and Candidate objects, which do what :mod:`gazetteer.store`'s Python
does (``tests/gazetteer/test_store_hashes.py``, ``test_store_records.py``).
The compiled modules are the same code, and the extensions the same
definitions, so they give the same results, only faster;
``tests/geomap/test_speedups.py`` runs both on the evaluation corpora and
compares them, ``tests/geomap/test_text.py`` compares the
scanners with the regular expressions on arbitrary text, and
``tests/geomap/test_recognize.py`` the typo index with the dict.

The build is honest: where a C compiler can build extensions for this Python
(:func:`compiler`), a failure to compile (mypyc missing, a type error in a
compiled module, a C error) fails the install, and
``tests/geomap/test_speedups.py`` fails (it does not skip) when a module is
not compiled or is older than its source, since pure Python runs the
pipeline 2-3 times slower. Without a compiler the install is pure Python,
with a note; ``GEOMAP_PURE_PYTHON=1`` set at install time asks for a
pure-Python install on purpose (and, set when testing, for the tests of the
pure modules only).

Set ``GEOMAP_PURE_PYTHON=1`` when running geomap to use the pure Python
modules even where compiled ones are installed: to profile them with
:mod:`cProfile` (which cannot see into compiled code), or to check a result.

Examples
--------
>>> from geomap import speedups
>>> sorted(speedups.compiled())
['gazetteer._hashes', 'gazetteer._records', 'gazetteer.names', 'gazetteer.store',
 'geomap._scan', 'geomap._typos', 'geomap.assemble', 'geomap.recognize', 'geomap.resolve',
 'geomap.text']
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import sys
import sysconfig
from types import ModuleType

__all__ = ["COMPILED", "NATIVE", "ENV_VAR", "compiled", "compiler", "native", "use_pure_python"]

#: The modules compiled when possible, as paths from the project root.
COMPILED = ("geomap/text.py", "geomap/recognize.py", "geomap/resolve.py", "geomap/assemble.py",
            "gazetteer/names.py", "gazetteer/store.py")
#: The C extensions built when possible, as paths of their sources; the
#: modules that use one fall back to Python when it is missing.
NATIVE = ("geomap/_scan.c", "geomap/_typos.c", "gazetteer/_hashes.c", "gazetteer/_records.c")
#: The environment variable that asks for pure Python.
ENV_VAR = "GEOMAP_PURE_PYTHON"

_NAMES = frozenset(path[:-3].replace("/", ".") for path in COMPILED)
_NATIVE_NAMES = frozenset(path[:-2].replace("/", ".") for path in NATIVE)


def compiled() -> dict[str, bool]:
    """Which of the :data:`COMPILED` modules run compiled, and which of the
    :data:`NATIVE` extensions are used, in this process.

    Imports them.
    """
    out = {}
    for name in _NAMES:
        module = importlib.import_module(name)
        out[name] = not (module.__file__ or "").endswith(".py")
    for name in _NATIVE_NAMES:
        out[name] = native(name) is not None
    return dict(sorted(out.items()))


def compiler() -> str | None:
    """The C compiler that builds extensions for this Python, or ``None``
    when there is none (no compiler Python was built with on the ``PATH``,
    or no ``Python.h``).

    ``setup.py`` compiles, and fails on a failed compile, when there is one.
    Reads only the standard library (``setup.py`` runs this file before
    geomap is installed).

    Examples
    --------
    >>> compiler() is None or os.path.isabs(compiler())
    True
    """
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "").split()
    found = shutil.which(cc[0]) if cc else None
    include = sysconfig.get_paths().get("include") or ""
    if found is None or not os.path.exists(os.path.join(include, "Python.h")):
        return None
    return found


def native(name: str) -> ModuleType | None:
    """The :data:`NATIVE` extension ``name`` (``"geomap._scan"``), or ``None``
    when it is not built (no C compiler) or pure Python is asked for.

    The modules that use one keep the Python definition for ``None``.
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


class _PureFinder:
    """Finds the ``.py`` source of the compiled modules, ahead of the
    extension modules beside them, and none of the :data:`NATIVE` extensions."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name in _NATIVE_NAMES:
            raise ModuleNotFoundError(f"{name} is not used: {ENV_VAR} is set", name=name)
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
    loaded += [n for n in _NATIVE_NAMES if n in sys.modules]
    if loaded:
        raise RuntimeError(f"compiled modules already imported: {', '.join(sorted(loaded))}; "
                           f"set {ENV_VAR}=1 before starting Python instead")
    if not any(isinstance(f, _PureFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PureFinder())
