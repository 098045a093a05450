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


def _installed_compiled() -> bool:
    return any(speedups.compiled().values())


def test_pure_python_switch_imports_the_sources():
    code = "from geomap.speedups import compiled; print(sorted(compiled().items()))"
    assert _run(code, pure=True).strip() == str(
        [("gazetteer.names", False), ("gazetteer.store", False), ("geomap._scan", False),
         ("geomap._typos", False), ("geomap.assemble", False), ("geomap.recognize", False),
         ("geomap.resolve", False), ("geomap.text", False)])


def test_pure_python_switch_holds_when_the_gazetteer_is_imported_first():
    # gazetteer.store is compiled too: importing gazetteer first must not load it
    code = ("import gazetteer, geomap; from geomap.speedups import compiled; "
            "print(sorted(set(compiled().values())))")
    assert _run(code, pure=True).strip() == "[False]"


def test_compiled_modules_load_from_any_folder(tmp_path):
    """They and their shared library are modules of the geomap package, found
    wherever Python starts (not only beside the project, as a console script runs)."""
    if not _installed_compiled():
        pytest.skip("this install is pure Python (no compiled modules)")
    code = "from geomap.speedups import compiled; print(sorted(compiled().items()))"
    assert _run(code, pure=False, cwd=tmp_path).strip() == str(
        sorted(speedups.compiled().items()))


def test_use_pure_python_refuses_once_a_compiled_module_is_imported():
    if not _installed_compiled():
        pytest.skip("this install is pure Python (no compiled modules)")
    with pytest.raises(RuntimeError, match="already imported"):
        speedups.use_pure_python()


def test_compiled_modules_are_not_older_than_their_sources():
    """An editable install compiles in place: after a source changes, the
    extension beside it is stale until ``pip install -e .`` (``make test``) runs."""
    if not _installed_compiled():
        pytest.skip("this install is pure Python (no compiled modules)")
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
    if not _installed_compiled():
        pytest.skip("this install is pure Python (no compiled modules)")
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
