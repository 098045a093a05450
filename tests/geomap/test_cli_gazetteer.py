"""``--gazetteer PATH`` / ``GEOMAP_GAZETTEER`` and ``geomap gazetteer add``, as a user runs them.

A copy of the session's store gets a village from a GeoNames country dump served
on 127.0.0.1; extract finds the village with that store and not with the default.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from run_cli import geomap_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gazetteer"))
from geonames_server import alternate, closed_port, geoname, serve, write_country  # noqa: E402

from gazetteer.seal import digest, seal_path  # noqa: E402

VILLAGE = 99_100_011
TEXT = "Drones struck Pidkhutirske Druhe, a village in Donetsk Oblast, Ukraine, at dawn.\n"


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    write_country(root, "UA",
                  [geoname(VILLAGE, "Pidkhutirske Druhe", 48.41, 37.61, "UA", admin1="05")],
                  [alternate(1, VILLAGE, "uk", "Підхутірське Друге")])
    return root


@pytest.fixture(scope="module")
def own_store(gazetteer_path, tmp_path_factory, mirror):
    """A project's own store: a copy of the default one with the village added by the CLI."""
    path = tmp_path_factory.mktemp("project") / "project.sqlite"
    shutil.copyfile(gazetteer_path, path)
    with serve(mirror) as url:
        done = geomap_cli("gazetteer", "add", "--countries", "UA", "--gazetteer", str(path),
                          "--base-url", url)
    assert done.returncode == 0, done.stderr
    return path, done


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _place_ids(stdout):
    return {json.loads(line)["geonameid"] for line in stdout.splitlines() if line.strip()}


def test_add_prints_each_download_with_its_checksum(own_store, mirror):
    _, done = own_store
    for member in ("UA.zip", "alternatenames/UA.zip"):
        sha = digest(mirror / member)
        assert f"{member} (" in done.stderr and f"SHA-256 {sha}" in done.stderr
    assert "geomap: added " in done.stderr and "project.sqlite" in done.stderr


def test_extract_uses_the_store_named_by_the_option(own_store, text_file):
    path, _ = own_store
    mine = geomap_cli("extract", str(text_file), "--gazetteer", str(path), "-q")
    default = geomap_cli("extract", str(text_file), "-q")
    assert mine.returncode == 0 and default.returncode == 0, mine.stderr + default.stderr
    assert VILLAGE in _place_ids(mine.stdout)
    assert VILLAGE not in _place_ids(default.stdout)


def test_the_environment_variable_names_the_store_too(own_store, text_file):
    path, _ = own_store
    env = {**os.environ, "GEOMAP_GAZETTEER": str(path)}
    done = geomap_cli("extract", str(text_file), "-q", env=env)
    assert done.returncode == 0, done.stderr
    assert VILLAGE in _place_ids(done.stdout)
    info = geomap_cli("gazetteer", "info", env=env)
    assert f"path: {path}" in info.stdout and "source: geonames_dump" in info.stdout


@pytest.mark.parametrize("command", [
    ["explain", "--text", TEXT],
    ["map", "{text}", "-o", "{tmp}/map.html", "--offline"],
    ["export", "{text}", "--csv", "{tmp}/mentions.csv"],
])
def test_other_commands_take_the_option(own_store, text_file, tmp_path, command):
    path, _ = own_store
    args = [a.format(text=text_file, tmp=tmp_path) for a in command]
    done = geomap_cli(*args, "--gazetteer", str(path))
    assert done.returncode == 0, done.stderr
    if command[0] == "explain":
        assert str(VILLAGE) in done.stdout
    elif command[0] == "export":
        assert str(VILLAGE) in (tmp_path / "mentions.csv").read_text(encoding="utf-8")


def test_evaluate_takes_the_option(own_store):
    path, _ = own_store
    corpus = Path(__file__).parent / "fixtures" / "geovirus_small.xml"
    done = geomap_cli("evaluate", str(corpus), "--gazetteer", str(path), "-q", "--json", "-")
    assert done.returncode == 0, done.stderr


def test_a_failed_add_says_what_to_fetch_and_changes_nothing(own_store):
    path, _ = own_store
    before = digest(path), seal_path(path).read_bytes()
    url = f"http://127.0.0.1:{closed_port()}/dump/"
    done = geomap_cli("gazetteer", "add", "--countries", "LB", "--gazetteer", str(path),
                      "--base-url", url, "--timeout", "5")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geomap: error: Could not download "
                                                   f"{url}LB.zip")
    assert "--geonames-dump LB.zip --alternate-names LB-alternatenames.zip" in lines[0]
    assert (digest(path), seal_path(path).read_bytes()) == before


def test_add_from_files_needs_files_that_exist(own_store, tmp_path):
    path, _ = own_store
    done = geomap_cli("gazetteer", "add", "--geonames-dump", str(tmp_path / "XX.zip"),
                      "--gazetteer", str(path))
    assert done.returncode == 2 and "XX.zip: no such file" in done.stderr
    done = geomap_cli("gazetteer", "add", "--gazetteer", str(path))
    assert done.returncode == 2 and "Nothing to add" in done.stderr
