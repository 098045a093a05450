"""Build geomap, compiling its hot modules with mypyc and its C text
scanners when this machine can.

Everything else is in ``pyproject.toml``. The modules listed in
``geomap/speedups.py`` (``COMPILED``) are compiled to C extensions by mypyc
(a build requirement), and the extensions listed there (``NATIVE``) are
built; without a C compiler, or with ``GEOMAP_PURE_PYTHON=1``, the install
is pure Python and gives the same results.
"""

import os
import runpy
import sys

from setuptools import Extension, setup


def _ext_modules():
    if os.environ.get("GEOMAP_PURE_PYTHON"):
        return []
    speedups = runpy.run_path(os.path.join("geomap", "speedups.py"))
    # no C compiler: the modules that use them fall back to Python
    native = [Extension(path[:-2].replace("/", "."), [path], optional=True)
              for path in speedups["NATIVE"]]
    modules = speedups["COMPILED"]
    try:
        from mypyc.build import mypycify

        # type-check the compiled modules only; what they import is checked
        # as far as it is typed, and runs as Python
        extensions = mypycify(["--follow-imports=silent", "--ignore-missing-imports",
                               *modules], opt_level="3", group_name="geomap._compiled")
    except (Exception, SystemExit) as e:     # mypyc missing, or a type error
        print(f"geomap: not compiling {', '.join(modules)} ({e!r}); "
              "installing them as pure Python", file=sys.stderr)
        return native
    for ext in extensions:
        ext.optional = True      # no C compiler: the pure Python modules are used
    return extensions + native


setup(ext_modules=_ext_modules())
