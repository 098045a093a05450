"""The ``geomap`` process (:func:`geomap.cli.run`) collects garbage as the
local engine's workers do, and its status is main()'s."""

import gc

import pytest

from geomap import cli
from geomap.engines import worker


@pytest.fixture
def collector():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_the_command_runs_with_the_workers_collector_thresholds(monkeypatch, collector):
    seen = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_threshold()) or 1)
    gc.set_threshold(700, 10, 10)
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    assert exit_.value.code == 1
    assert seen == [cli.RUN_THRESHOLDS]


def test_the_workers_use_the_same_thresholds(collector):
    gc.set_threshold(700, 10, 10)
    worker.tune_collector()
    assert gc.get_threshold() == cli.RUN_THRESHOLDS
