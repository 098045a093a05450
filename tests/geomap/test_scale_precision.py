"""Precision with millions of small places in the store (issue 14).

A place without population or prominence wins only with support from the
document (the ``unsupported`` rule of geomap.resolver_model): another mention
in its country or first-level division, one near it, a qualifier ("X,
Poland") or a type word ("the village of X"). Each path is shown with a store
of our own, the session's store with a GeoNames dump added through the real
add path (``gazetteer.add.add_sources``); and at a small scale, the namesakes
of 500 names re-imported unpopulated elsewhere leave the answers of our
example texts as they were (``benchmarks/bench_scale_precision.py`` does it
with every packaged town on the evaluation corpora).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gazetteer"))
from geonames_server import geoname  # noqa: E402

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.add import add_sources  # noqa: E402
from gazetteer.names import fold  # noqa: E402
from gazetteer.sources.geonames_dump import GeoNamesDump  # noqa: E402
from geomap.recognize import Recognizer  # noqa: E402
from geomap.resolve import Resolver  # noqa: E402
from geomap.resolve_reference import ReferenceResolver  # noqa: E402
from geomap.resolver_model import DEFAULT_MODEL  # noqa: E402
from tests.geomap.test_resolve_reference import agree  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# invented names, far from any real GeoNames id
ZORVANKA = 99_300_001       # a village in Donetsk oblast, no population
BRENIVKA = 99_300_002       # a village in Poland, 30 km from Lviv, no population
KELVORTH = 99_300_003       # a village in Chad called Kelvorth, no population
NOVA_KELVORTH = 99_300_004  # a hamlet of 30 in Mali, also known as Kelvorth


def _write_dump(path: Path, rows: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(path.stem + ".txt", "".join(r + "\n" for r in rows))
    return path


def _copy_store(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gazetteer.sqlite"
    shutil.copyfile(src, path)
    return path


@pytest.fixture(scope="module")
def villages(gazetteer_path, tmp_path_factory):
    """The session's store with four small places added by ``add_sources``."""
    folder = tmp_path_factory.mktemp("villages")
    path = _copy_store(gazetteer_path, folder / "store")
    rows = [
        geoname(ZORVANKA, "Zorvanka", 48.62, 37.70, "UA", admin1="05"),
        geoname(BRENIVKA, "Brenivka", 49.90, 23.62, "PL", admin1="80"),
        geoname(KELVORTH, "Kelvorth", 12.10, 15.03, "TD"),
        geoname(NOVA_KELVORTH, "Nova Kelvorth", 14.50, -4.20, "ML", population=30,
                alternates=["Kelvorth"]),
    ]
    add_sources(path, [GeoNamesDump(_write_dump(folder / "XX.zip", rows))])
    with Gazetteer.open(path, build=False) as g:
        yield g


def _resolve(gaz, text, model=DEFAULT_MODEL, rec=None):
    """``{span text: resolution}``, the engine's, checked against the reference's."""
    rec = rec or Recognizer(gaz)
    spans = rec(text)
    agree(Resolver(gaz, model), ReferenceResolver(gaz, model), spans, text)
    return {r.span.text: r for r in Resolver(gaz, model).resolve(spans, text)}


def _id(resolution):
    return None if resolution.place is None else resolution.place.id


# -- each path: with support the small place wins, without it loses ------------------

@pytest.mark.parametrize("text, name, place, support", [
    # country: another mention in Ukraine
    ("Shelling hit Zorvanka overnight, officials in Kyiv said.", "Zorvanka", ZORVANKA,
     "country"),
    # first-level division: Kramatorsk is in Donetsk oblast too
    ("Shelling hit Zorvanka overnight, officials in Kramatorsk said.", "Zorvanka",
     ZORVANKA, "admin1"),
    # nearby: Lviv is 30 km away, across the border
    ("Refugees crossed at Brenivka, officials in Lviv said.", "Brenivka", BRENIVKA,
     "nearby"),
    # qualifier: "X, Poland"
    ("Refugees crossed at Brenivka, Poland, officials in Odesa said.", "Brenivka",
     BRENIVKA, "qualifier"),
    # type word: "the village of X"
    ("Officials in Paris spoke of the village of Zorvanka.", "Zorvanka", ZORVANKA,
     "type word"),
])
def test_a_small_place_with_support_wins(villages, text, name, place, support):
    r = _resolve(villages, text)[name]
    assert _id(r) == place, r.explain()
    parts = dict(r.candidates[0].parts)
    assert parts[support] > 0 and "unsupported" not in parts


@pytest.mark.parametrize("text, name, place", [
    ("Officials in Paris spoke of Zorvanka.", "Zorvanka", ZORVANKA),
    ("Shelling hit Zorvanka overnight.", "Zorvanka", ZORVANKA),
    # Odesa is in Ukraine, 1,000 km away: no support for a Polish village
    ("Refugees crossed at Brenivka, officials in Odesa said.", "Brenivka", BRENIVKA),
])
def test_a_small_place_without_support_loses(villages, text, name, place):
    r = _resolve(villages, text)[name]
    assert r.place is None, r.explain()
    assert dict(r.candidates[0].parts)["unsupported"] == DEFAULT_MODEL.unsupported
    assert "no place" in r.explain() and "unsupported" in r.explain()
    # without the rule the same text gives the village
    off = _resolve(villages, text, DEFAULT_MODEL.replace(unsupported=0.0))[name]
    assert _id(off) == place


def test_an_unsupported_small_place_gives_way_to_the_next_candidate(villages):
    text = "Officials in Paris spoke of Kelvorth."
    r = _resolve(villages, text)["Kelvorth"]
    assert _id(r) == NOVA_KELVORTH, r.explain()
    off = _resolve(villages, text, DEFAULT_MODEL.replace(unsupported=0.0))["Kelvorth"]
    assert _id(off) == KELVORTH


def test_the_rule_strength_is_the_models(villages):
    text = "Officials in Paris spoke of Kelvorth."
    model = DEFAULT_MODEL.replace(unsupported=-0.5)
    r = _resolve(villages, text, model)["Kelvorth"]
    assert dict(r.candidates[0].parts).get("unsupported") == -0.5 or \
        any(dict(c.parts).get("unsupported") == -0.5 for c in r.candidates)
    # a threshold: with 50 people a place is still small, and needs support
    many = DEFAULT_MODEL.replace(unsupported_population=50)
    r = _resolve(villages, text, many)["Kelvorth"]
    assert r.place is None, r.explain()


# -- at a small scale: 500 names re-imported unpopulated elsewhere ----------------------

_TEXTS = [
    "Police in Springfield, Illinois, said the suspect fled toward Peoria and Chicago.",
    "The storm hit Richmond and Norfolk before moving up the coast to Baltimore.",
    "Talks in Geneva and Vienna stalled; Moscow and Kyiv traded blame.",
    "Farmers near Fresno and Bakersfield said the drought in California was the worst yet.",
    "Athens police said protesters marched from Syntagma Square toward Piraeus.",
    "Shelling hit Kramatorsk and Sloviansk, officials in Donetsk oblast said.",
    "Flights from Nairobi to Mombasa and Kisumu resumed on Monday.",
    "The mayor of Columbus met officials from Dayton and Cincinnati in Ohio.",
]


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_scale_precision", ROOT / "benchmarks" / "bench_scale_precision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def namesakes(gazetteer_path, gaz, tmp_path_factory):
    """The session's store with unpopulated namesakes of 500 names (those of the
    texts first), each at another town's point, half in the same country."""
    rec = Recognizer(gaz)
    keys = {s.key for text in _TEXTS for s in rec(text)}
    for name in sorted(gaz.prominent_names())[::7]:
        if len(keys) >= 500:
            break
        keys.add(fold(name))
    folder = tmp_path_factory.mktemp("namesakes")
    path = _copy_store(gazetteer_path, folder / "store")
    bench = _bench()
    rows = bench.decoy_rows(gazetteer_path, same_country=0.5, seed=14, keys=keys)
    assert len(rows) >= 500
    add_sources(path, [GeoNamesDump(bench.write_dump(rows, folder / "ZZ.zip"))])
    with Gazetteer.open(path, build=False) as g:
        yield g, len(rows)


def test_namesakes_of_the_names_leave_the_answers_as_they_were(gaz, namesakes):
    big, added = namesakes
    assert len(big.candidates("Richmond", limit=1000)) > len(gaz.candidates("Richmond",
                                                                          limit=1000))
    for text in _TEXTS:
        before = {k: _id(r) for k, r in _resolve(gaz, text).items()}
        after = {k: _id(r) for k, r in _resolve(big, text).items()}
        assert after == before, text
        assert sum(v is not None for v in before.values()) >= 2, text
