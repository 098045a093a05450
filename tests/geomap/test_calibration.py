"""Tests of geomap.calibration: the score model, its features and the calibration measures."""

from __future__ import annotations

import json
import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer.place import Place
from geomap.assemble import FEATURES, assemble, features
from geomap.calibration import (
    MODEL_PATH,
    ScoreModel,
    brier_score,
    expected_calibration_error,
    load_model,
    plot_reliability,
    reliability,
)
from geomap.documents import Document
from geomap.errors import ConfigurationError
from geomap.resolution import Resolution
from geomap.spans import Span

_probs = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 1)), max_size=60)


def _town(name, pop, cc="FR", admin1="11", code="PPL"):
    return Place(id=hash(name) % 10**6, name=name, lat=48.0, lon=2.0, country_code=cc,
                 admin1=admin1, feature_class="P", feature_code=code, population=pop)


def test_shipped_model_loads_fast_and_matches_the_features():
    from geomap.calibration import _read

    t0 = time.perf_counter()
    model = _read(MODEL_PATH)
    ms = (time.perf_counter() - t0) * 1000
    assert model.features == FEATURES and len(model.weights) == len(FEATURES)
    assert ms <= 10, f"loading the score model took {ms:.1f} ms"
    assert MODEL_PATH.stat().st_size < 16_000
    assert 0 < model.threshold < 1


def test_a_model_for_other_features_is_refused(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"features": ["x"], "weights": [1.0], "intercept": 0.0}))
    with pytest.raises(ConfigurationError, match="m.json"):
        load_model(bad)
    bad.write_text("{not json")
    with pytest.raises(ConfigurationError, match="m.json"):
        load_model(bad)


@given(st.lists(st.floats(-50, 50), min_size=3, max_size=3))
def test_probability_is_a_probability(x):
    m = ScoreModel(("a", "b", "c"), (2.0, -1.0, 0.5), -0.3)
    p = m.probability(x)
    assert 0.0 <= p <= 1.0
    assert abs(p - 1 / (1 + math.exp(-m.logit(x)))) <= 5e-5


def test_pairs_are_products_of_named_features(tmp_path):
    """A pair's term is its weight times the product of its two features; the
    JSON names the pairs by feature and reads back to the same model."""
    n = len(FEATURES)
    m = ScoreModel(FEATURES, (0.0,) * n, 0.25, 0.3, {}, ((0, 3), (3, 3)), (2.0, -0.5))
    x = [0.0] * n
    x[0], x[3] = 0.5, 0.8
    assert m.logit(x) == pytest.approx(0.25 + 2.0 * 0.5 * 0.8 - 0.5 * 0.8 * 0.8)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(m.to_dict()))
    assert json.loads(path.read_text())["pairs"] == [[FEATURES[0], FEATURES[3]],
                                                      [FEATURES[3], FEATURES[3]]]
    again = load_model(path)
    assert again == m and again.pair_terms() == [(0, 3, 2.0), (3, 3, -0.5)]


@pytest.mark.parametrize("change", [
    {"pairs": [["share", "no such feature"]], "pair_weights": [1.0]},
    {"pairs": [["share", "share"]], "pair_weights": []},
    {"pairs": [["share"]], "pair_weights": [1.0]},
    {"intercept": float("nan")},
])
def test_a_model_with_bad_pairs_or_weights_is_refused(tmp_path, change):
    data = {**ScoreModel(FEATURES, (0.0,) * len(FEATURES), 0.0).to_dict(), **change}
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(ConfigurationError, match="m.json"):
        load_model(bad)


@given(st.lists(st.floats(-50, 50), min_size=3, max_size=3),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.floats(-5, 5)), max_size=4))
def test_probability_with_pairs_is_a_probability(x, terms):
    m = ScoreModel(("a", "b", "c"), (2.0, -1.0, 0.5), -0.3, pairs=tuple(
        (i, j) for i, j, _ in terms), pair_weights=tuple(w for _, _, w in terms))
    z = -0.3 + 2.0 * x[0] - x[1] + 0.5 * x[2] + sum(w * x[i] * x[j] for i, j, w in terms)
    assert m.logit(x) == pytest.approx(z, rel=1e-9, abs=1e-6)
    p = m.probability(x)
    assert 0.0 <= p <= 1.0
    assert abs(p - 1 / (1 + math.exp(-max(-700.0, min(700.0, m.logit(x)))))) <= 5e-5


def test_assemble_scores_as_the_shipped_model_does():
    """assemble's (compiled) arithmetic and ScoreModel.probability give the same
    score, pairs included, for every mention."""
    model = load_model()
    assert model.pairs, "the shipped model weighs products of features"
    text = "Officials in Paris and Lyon met. Later, in Paris, Hope spoke."
    sentences = [(0, 32), (33, len(text))]
    paris = Place(id=1, name="Paris", lat=48.85, lon=2.35, country_code="FR", admin1="11",
                  feature_class="P", feature_code="PPLC", population=2_100_000)
    rs = [Resolution(Span(13, 18, "Paris", "paris", sentence=0), paris, 0.7),
          Resolution(Span(23, 27, "Lyon", "lyon", sentence=0), _town("Lyon", 500_000), 1.0),
          Resolution(Span(43, 48, "Paris", "paris", sentence=1), paris, 0.7),
          Resolution(Span(50, 54, "Hope", "hope", sentence=1),
                     _town("Hope", 300, cc="CA", admin1="02"), 1.0)]
    xs = features(text, sentences, rs)
    ms = assemble(Document("d", text), 0, text, sentences, rs, keep_unresolved=True)
    assert [m.score for m in ms] == [model.probability(x) for x in xs]
    assert len({m.score for m in ms}) > 1


@given(_probs)
def test_ece_and_brier_are_in_range(pairs):
    ps, ys = [p for p, _ in pairs], [y for _, y in pairs]
    e, b = expected_calibration_error(ps, ys), brier_score(ps, ys)
    if not pairs:
        assert math.isnan(e) and math.isnan(b)
        return
    assert 0.0 <= e <= 1.0 and 0.0 <= b <= 1.0
    assert sum(row[3] for row in reliability(ps, ys)) == len(pairs)


def test_ece_of_calibrated_and_of_overconfident_scores():
    ps = [0.25] * 4 + [0.75] * 4
    ys = [1, 0, 0, 0] + [1, 1, 1, 0]
    assert expected_calibration_error(ps, ys) == 0.0
    assert expected_calibration_error([1.0] * 4, [1, 0, 0, 0]) == 0.75


def test_a_lone_weak_candidate_is_not_certain():
    """The share among a name's candidates is 1.0 for a lone candidate, right or
    wrong; the score weighs what else is known: a small town named by a common
    word, alone in its country, scores well below a capital the document agrees with."""
    text = "Hope was high. Officials in Paris and Lyon met in Paris."
    sentences = [(0, 14), (15, len(text))]
    paris = Place(id=1, name="Paris", lat=48.85, lon=2.35, country_code="FR", admin1="11",
                  feature_class="P", feature_code="PPLC", population=2_100_000)
    lyon = _town("Lyon", 500_000, admin1="84")
    hope = _town("Hope", 300, cc="CA", admin1="02")
    rs = [Resolution(Span(0, 4, "Hope", "hope", sentence=0), hope, 1.0),
          Resolution(Span(28, 33, "Paris", "paris", sentence=1), paris, 0.6),
          Resolution(Span(38, 42, "Lyon", "lyon", sentence=1), lyon, 1.0),
          Resolution(Span(50, 55, "Paris", "paris", sentence=1), paris, 0.6),
          Resolution(Span(5, 8, "was", "was"), None, 0.0)]
    xs = features(text, sentences, rs)
    assert xs[-1] is None and all(len(x) == len(FEATURES) for x in xs[:-1])
    ms = assemble(Document("d", text), 0, text, sentences, rs, keep_unresolved=True)
    score = {m.start: m.score for m in ms}
    assert score[0] < 0.5
    assert score[0] < score[28] and score[0] < score[38]
    assert ms[-1].place is None and ms[-1].score == 0.0
    assert all(0.0 <= m.score <= 1.0 for m in ms)


def test_reliability_diagram_is_drawn(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.png"
    plot_reliability({"a": ([0.1, 0.9, 0.8], [0, 1, 1])}, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
