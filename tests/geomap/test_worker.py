"""Pool worker set-up: the pipeline loaded once, and the collector tuned."""

import json
import subprocess
import sys


def test_warm_worker_loads_once_and_tunes_the_collector(gazetteer_path):
    code = (
        "import gc, json, sys\n"
        "from geomap.engines import worker\n"
        "before = gc.get_threshold()\n"
        "pid = worker.warm_worker(sys.argv[1])\n"
        "pipe = worker.pipeline(sys.argv[1])\n"
        "print(json.dumps({'before': before, 'after': gc.get_threshold(),\n"
        "                  'frozen': gc.get_freeze_count(),\n"
        "                  'same': pipe is worker.pipeline(sys.argv[1])}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(gazetteer_path)], check=True,
                         capture_output=True, text=True).stdout
    got = json.loads(out)
    assert got["before"] == [700, 10, 10]
    assert got["after"] == [10_000, 50, 100]
    assert got["frozen"] > 10_000           # the loaded tables are out of the collector's sight
    assert got["same"]
