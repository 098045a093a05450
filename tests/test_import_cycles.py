"""No import cycles in ``gazetteer/`` or ``geomap/``, read from the source files with :mod:`ast`.

The graph has a node per module and an edge ``a -> b`` when ``a`` imports
``b``: ``import x.y`` is an edge to ``x.y``; ``from x import y`` is an edge
to ``x.y`` when that is a module, else to ``x``; relative imports are
resolved. A package's ``__init__`` is not an implied edge of its
submodules (Python runs it first; counting it would make every package a
cycle). Imports under ``if TYPE_CHECKING:`` never run and are no edges.

Two strengths:

* **load time** (both packages): only the imports that run when a module is
  loaded -- at module level, including inside a module-level ``if``/``try``/
  ``with``. An import inside a function runs at the call, after every module
  is loaded, so it cannot form a load-time cycle (a partly initialised
  module, an ``ImportError`` that depends on import order).
* **any time** (both packages): imports inside functions too. A
  function-level import that closes a cycle is a dependency both ways in
  disguise (``build`` calling into ``store`` while ``store`` rebuilds
  through ``build``; ``documents`` reading tables through ``tables`` while
  ``tables`` takes ``documents``' internals). The gazetteer's modules also
  form layers -- features, schema, place, names < sources < build < opening
  < store -- and a test holds them to it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gazetteer", "geomap")

def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(body: list[ast.stmt], deep: bool):
    """The import statements that run: at module level (``deep=False``), or
    anywhere, functions included (``deep=True``); never under TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse, deep)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            if deep or isinstance(node, ast.ClassDef):     # a class body runs at load time
                yield from _imports(node.body, deep)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()):
                    if isinstance(child, ast.stmt):
                        yield from _imports([child], deep)
                    elif hasattr(child, "body"):           # except handlers, match cases
                        yield from _imports(child.body, deep)


def graph(deep: bool) -> dict[str, set[str]]:
    """Module -> the modules of these packages it imports."""
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        deps = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")).body, deep):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
                continue
            base = node.module or ""
            if node.level:
                anchor = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in modules:
                    deps.add(target)
                elif base in modules:
                    deps.add(base)
        deps.discard(name)
        edges[name] = deps
    return edges


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _shown(edges, component) -> str:
    return "; ".join(f"{m} -> {', '.join(sorted(edges[m] & component))}"
                     for m in sorted(component))


def test_no_load_time_cycle():
    edges = graph(deep=False)
    found = cycles(edges)
    assert not found, "import cycles at load time: " + " | ".join(_shown(edges, c)
                                                                  for c in found)


def test_no_cycle_through_imports_inside_functions_either():
    edges = graph(deep=True)
    found = cycles(edges)
    assert not found, "import cycles: " + " | ".join(_shown(edges, c) for c in found)


def test_the_gazetteer_is_layered():
    edges = graph(deep=True)

    def reaches(a: str, b: str, avoiding: str = "") -> bool:
        seen, todo = {avoiding}, [a]
        while todo:
            m = todo.pop()
            if m == b:
                return True
            if m not in seen:
                seen.add(m)
                todo += edges.get(m, ())
        return False

    # the store reaches the builder only through the open-or-build policy
    assert not reaches("gazetteer.store", "gazetteer.build", avoiding="gazetteer.opening")
    assert not reaches("gazetteer.build", "gazetteer.store")
    assert not reaches("gazetteer.build", "gazetteer.opening")
    assert not reaches("gazetteer.schema", "gazetteer.build")
    for concrete in ("gazetteer.sources.registry", "gazetteer.sources.user_csv",
                     "gazetteer.sources.geonames_dump"):
        assert not reaches("gazetteer.sources.base", concrete)


@pytest.mark.parametrize("source, deep, expected", [
    ("import gazetteer.build\n", False, {"gazetteer.build"}),
    ("from gazetteer import store\n", False, {"gazetteer.store"}),
    ("from gazetteer import Gazetteer\n", False, {"gazetteer"}),
    ("def f():\n    import gazetteer.build\n", False, set()),
    ("def f():\n    import gazetteer.build\n", True, {"gazetteer.build"}),
    ("if TYPE_CHECKING:\n    import gazetteer.build\n", True, set()),
    ("try:\n    import gazetteer.build\nexcept ImportError:\n    pass\n", False,
     {"gazetteer.build"}),
])
def test_the_graph_reads_imports_as_documented(tmp_path, monkeypatch, source, deep, expected):
    """The reader itself: which statements are edges."""
    pkg = tmp_path / "gazetteer"
    pkg.mkdir()
    for name in ("__init__", "build", "store", "probe"):
        (pkg / f"{name}.py").write_text(source if name == "probe" else "", encoding="utf-8")
    (tmp_path / "geomap").mkdir()
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert graph(deep)["gazetteer.probe"] == expected


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
