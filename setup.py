"""Build geomap, compiling its hot modules with mypyc and its C text
scanners when this machine can.

Everything else is in ``pyproject.toml``. The modules listed in
``geomap/speedups.py`` (``COMPILED``) are compiled to C extensions by mypyc
(a build requirement), and the extensions listed there (``NATIVE``) are
built. Where a C compiler can build extensions for this Python
(``speedups.compiler()``), a failed compile fails the install, with what
failed and how to install pure Python instead: pure Python gives the same
results 2-3 times slower, which no one should get without asking. Without a
compiler, or with ``GEOMAP_PURE_PYTHON=1``, the install is pure Python.
"""

import os
import runpy
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

_SPEEDUPS = runpy.run_path(os.path.join("geomap", "speedups.py"))
_ADVICE = (f"fix it, or set {_SPEEDUPS['ENV_VAR']}=1 to install geomap as pure Python "
           "(the same results, 2-3 times slower)")


def _fail(what: str, error: BaseException) -> None:
    why = "see the errors above" if isinstance(error, SystemExit) else repr(error)
    print(f"\ngeomap: {what} failed ({why})\ngeomap: {_ADVICE}\n", file=sys.stderr)


def _ext_modules():
    if os.environ.get(_SPEEDUPS["ENV_VAR"]):
        print(f"geomap: {_SPEEDUPS['ENV_VAR']} is set: installing pure Python", file=sys.stderr)
        return []
    if _SPEEDUPS["compiler"]() is None:
        print("geomap: no C compiler (or no Python.h) for this Python: installing pure "
              "Python (the same results, 2-3 times slower)", file=sys.stderr)
        return []
    modules = _SPEEDUPS["COMPILED"]
    try:
        from mypyc.build import mypycify

        # type-check the compiled modules only; what they import is checked
        # as far as it is typed, and runs as Python
        extensions = mypycify(["--follow-imports=silent", "--ignore-missing-imports",
                               *modules], opt_level="3", group_name="geomap._compiled")
    except (Exception, SystemExit) as e:     # mypyc missing, or a type error
        _fail(f"compiling {', '.join(modules)} with mypyc", e)
        raise
    native = [Extension(path[:-2].replace("/", "."), [path]) for path in _SPEEDUPS["NATIVE"]]
    return extensions + native


class _BuildExt(build_ext):
    """build_ext that says, when a C compile fails, how to go without."""

    def run(self):
        try:
            super().run()
        except Exception as e:
            _fail("building the C extensions", e)
            raise


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": _BuildExt})
