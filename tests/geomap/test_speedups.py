"""Tests of geomap.speedups: the compiled modules give what the pure Python ones give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geomap import speedups
from tests.geomap.test_evaluate import _shared_data

ROOT = Path(__file__).resolve().parents[2]

# Everything recognition and resolution decide, for every document of the
# corpora given: spans, kinds, chosen places, confidences and each kept
# candidate's score and parts.
_DUMP = """
import sys, warnings
from geomap.evaluate import read_corpus
from geomap.pipeline import Pipeline
from geomap.speedups import compiled
warnings.simplefilter("ignore")
print(compiled())
pipe = Pipeline()
for path in sys.argv[1:]:
    for doc in read_corpus(path):
        for r in pipe.resolve_text(doc.text):
            s = r.span
            print(doc.doc_id, s.start, s.end, repr(s.text), s.key, s.kind, s.fuzzy, s.sentence,
                  r.place.id if r.place else None, repr(r.confidence),
                  [(c.place.id, repr(c.score), c.parts) for c in r.candidates])
"""


def _run(code: str, *args: str, pure: bool, cwd: Path = ROOT) -> str:
    env = dict(os.environ)
    env.pop(speedups.ENV_VAR, None)
    if pure:
        env[speedups.ENV_VAR] = "1"
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=cwd,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _require_compiled() -> None:
    """Skip when this install is pure Python by right (``GEOMAP_PURE_PYTHON``
    set, or no C compiler); where a compiler is, fail unless every speed-up
    is compiled: a silent pure-Python install runs the pipeline 2-3 times
    slower, and CI would stay green."""
    if os.environ.get(speedups.ENV_VAR):
        pytest.skip(f"{speedups.ENV_VAR} is set: the pure-Python install is asked for")
    missing = [name for name, fast in speedups.compiled().items() if not fast]
    if not missing:
        return
    if speedups.compiler() is None:
        pytest.skip("no C compiler for this Python: the install is pure Python")
    pytest.fail(f"a C compiler is here ({speedups.compiler()}) but {', '.join(missing)} "
                f"are not compiled: reinstall with `pip install -e .` (make test does) and "
                f"read its error, or set {speedups.ENV_VAR}=1 for a pure-Python install",
                pytrace=False)


def test_every_speedup_is_compiled_where_a_compiler_is():
    _require_compiled()
    assert all(speedups.compiled().values())


def test_pure_python_switch_imports_the_sources():
    code = "from geomap.speedups import compiled; print(sorted(compiled().items()))"
    assert _run(code, pure=True).strip() == str(
        [("gazetteer._hashes", False), ("gazetteer._records", False), ("gazetteer.names", False),
         ("gazetteer.store", False), ("geomap._scan", False), ("geomap._typos", False),
         ("geomap.assemble", False), ("geomap.recognize", False), ("geomap.resolve", False),
         ("geomap.text", False)])


def test_pure_python_switch_holds_when_the_gazetteer_is_imported_first():
    # gazetteer.store is compiled too: importing gazetteer first must not load it
    code = ("import gazetteer, geomap; from geomap.speedups import compiled; "
            "print(sorted(set(compiled().values())))")
    assert _run(code, pure=True).strip() == "[False]"


def test_compiled_modules_load_from_any_folder(tmp_path):
    """They and their shared library are modules of the geomap package, found
    wherever Python starts (not only beside the project, as a console script runs)."""
    _require_compiled()
    code = "from geomap.speedups import compiled; print(sorted(compiled().items()))"
    assert _run(code, pure=False, cwd=tmp_path).strip() == str(
        sorted(speedups.compiled().items()))


def test_use_pure_python_refuses_once_a_compiled_module_is_imported():
    _require_compiled()
    with pytest.raises(RuntimeError, match="already imported"):
        speedups.use_pure_python()


def test_the_compiler_is_found_as_setup_py_looks_for_it(monkeypatch):
    monkeypatch.setenv("CC", "no-such-compiler-here --flag")
    assert speedups.compiler() is None
    monkeypatch.setenv("CC", sys.executable)        # any executable on an absolute path
    assert speedups.compiler() in (None, sys.executable)   # None: no Python.h


def test_compiled_modules_are_not_older_than_their_sources():
    """An editable install compiles in place: after a source changes, the
    extension beside it is stale until ``pip install -e .`` (``make test``) runs."""
    _require_compiled()
    import importlib

    for path in speedups.COMPILED + speedups.NATIVE:
        module = importlib.import_module(path.rpartition(".")[0].replace("/", "."))
        source = ROOT / path
        assert module.__file__ and not module.__file__.endswith(".py"), path
        if Path(module.__file__).parent == source.parent:     # built in place
            assert os.path.getmtime(module.__file__) >= os.path.getmtime(source), (
                f"{module.__file__} is older than {path}: rebuild it with "
                f"`pip install -e .` (make test does)")


@pytest.mark.slow
@pytest.mark.corpus
def test_compiled_and_pure_python_decide_alike_on_the_corpora(gazetteer_path):
    _require_compiled()
    data = _shared_data()
    corpora = [data / "LGL" / "lgl.xml", data / "GeoVirus" / "GeoVirus.xml"]
    if not all(p.exists() for p in corpora):
        pytest.skip(f"corpora not found under {data}")
    fast = _run(_DUMP, *map(str, corpora), pure=False).splitlines()
    slow = _run(_DUMP, *map(str, corpora), pure=True).splitlines()
    assert fast[0] == str({n: True for n in sorted(speedups.compiled())})
    assert slow[0] == str({n: False for n in sorted(speedups.compiled())})
    assert len(fast) > 7000                  # every mention of the 817 documents
    for a, b in zip(fast[1:], slow[1:]):
        assert a == b
    assert len(fast) == len(slow)
