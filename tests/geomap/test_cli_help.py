"""The command line's help (examples, a text for every option), ``geomap places``, and
options checked before any work starts."""

import argparse
import csv
import io
import json

import pytest
from run_cli import SEEDS, geomap_cli

from geomap.cli import COMMAND_EXAMPLES, _parser, main


def walk(parser, path=("geomap",)):
    """Every (command path, action) of the argparse tree (as its help shows it:
    a sub-command's arguments may be added only when needed)."""
    parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, action


def test_every_option_of_every_command_has_help():
    actions = list(walk(_parser()))
    assert len({path for path, _ in actions}) >= 11  # geomap, 8 commands, gazetteer's 3
    missing = [(" ".join(path), action.option_strings or action.dest) for path, action in actions
               if not action.help]
    assert missing == []


def test_gazetteer_actions_parse_and_show_their_arguments(capsys):
    # their arguments are added when first needed (not at every start-up)
    args = _parser().parse_args(["gazetteer", "add", "--countries", "UA"])
    assert args.func.__name__ == "_cmd_gaz_add" and "UA" in str(args.countries)
    args = _parser().parse_args(["gazetteer", "build", "--geonames-dump", "x.txt"])
    assert args.func.__name__ == "_cmd_gaz_build"
    with pytest.raises(SystemExit):
        main(["gazetteer", "add", "--help"])
    assert "--countries" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["gazetteer", "build", "--no-such-option"])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_top_level_help_has_usage_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    examples = out[out.index("examples:"):]
    for command in ("extract", "places", "map", "focus", "export", "explain", "evaluate",
                    "gazetteer"):
        assert f"  geomap {command} " in examples
    assert "geomap COMMAND --help" in examples


@pytest.mark.parametrize("command", sorted(COMMAND_EXAMPLES))
def test_each_command_help_has_examples_that_parse(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert out.split("examples:\n")[1].strip().startswith(f"geomap {command} ")
    for line in COMMAND_EXAMPLES[command]:
        words = [w.strip('"') for w in line.replace('\\"', '"').split()]
        if "|" in words:
            words = words[words.index("|") + 1:]
        args = _parser().parse_args(_text_as_one(words[1:]))
        assert args.func.__name__ == f"_cmd_{command}"


def _text_as_one(words):
    """``--text "a b"`` as one argument (the examples are written for a shell)."""
    if "--text" in words:
        i = words.index("--text")
        return [*words[:i + 1], " ".join(words[i + 1:])]
    return words


# -- options checked before any work ------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["places", "seeds", "--format", "xml"], "invalid choice: 'xml'"),
    (["extract", "seeds", "--jobs", "0"], "expected an integer >= 1"),
    (["places", "seeds", "-o", "/sys/places.csv"], "-o /sys/places.csv: cannot write in /sys"),
    (["map", "seeds", "-o", "/sys/x/map.html"], "cannot write in /sys"),
    (["places", "seeds", "--format", "geojson", "--csv-raw"], "--csv-raw applies to --format"),
    (["export", "seeds", "--gpkg", "/sys/a.gpkg"], "--gpkg /sys/a.gpkg: cannot write in /sys"),
    (["extract", "seeds", "--min-score", "1.5"], "expected a probability from 0 to 1"),
    (["extract", "seeds", "--min-score", "nan"], "expected a probability from 0 to 1"),
    (["extract", "seeds", "--min-score", "-0.1"], "expected a probability from 0 to 1"),
])
def test_bad_options_stop_before_any_work(tmp_path, capsys, argv, message):
    store = tmp_path / "never-built.sqlite"  # a missing store is built: an error comes first
    try:
        status = main([*argv, "--gazetteer", str(store)])
    except SystemExit as e:  # argparse's own checks (choices, types)
        status = e.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert not store.exists()


# -- geomap places --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_places(gazetteer_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("places")
    for args in (["places", str(SEEDS), "-o", str(out / "places.csv")],
                 ["places", str(SEEDS), "--format", "geojson", "-o", str(out / "places.geojson")],
                 ["export", str(SEEDS), "--places", str(out / "export.geojson")]):
        proc = geomap_cli(*args, "-q")
        assert proc.returncode == 0, proc.stderr
    return out


def test_places_geojson_is_what_export_writes(seeds_places):
    written = (seeds_places / "places.geojson").read_bytes()
    assert written == (seeds_places / "export.geojson").read_bytes()
    features = json.loads(written)["features"]
    assert len(features) > 20 and all(f["geometry"]["type"] == "Point" for f in features)


def test_places_csv_has_a_row_per_place_with_the_geojson_properties(seeds_places):
    features = json.loads((seeds_places / "places.geojson").read_text("utf-8"))["features"]
    with open(seeds_places / "places.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["place_id"]) for r in rows] == [f["id"] for f in features]
    props = features[0]["properties"]
    assert list(rows[0]) == [*list(props)[:2], "lat", "lon", *list(props)[2:]]
    moscow = next(r for r in rows if r["name"] == "Moscow")
    feature = next(f for f in features if f["properties"]["name"] == "Moscow")
    assert [float(moscow["lon"]), float(moscow["lat"])] == pytest.approx(
        feature["geometry"]["coordinates"])
    assert int(moscow["mentions"]) == feature["properties"]["mentions"] > 1
    assert moscow["country_name"] == "Russia" and "mentions_violence" in moscow


def test_places_to_standard_output(gazetteer_path):
    proc = geomap_cli("places", str(SEEDS / "000_5d2bf229be0e025c.txt"), "-q")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows and {"Armenia", "Azerbaijan"} <= {r["name"] for r in rows}


# -- geomap extract --min-score -----------------------------------------------------------

def test_min_score_keeps_exactly_the_mentions_at_or_above_it(gazetteer_path):
    doc = str(SEEDS / "000_5d2bf229be0e025c.txt")
    every = geomap_cli("extract", doc, "-q")
    assert every.returncode == 0, every.stderr
    records = [json.loads(line) for line in every.stdout.splitlines()]
    scores = sorted({r["score"] for r in records})
    cut = scores[len(scores) // 2]      # a score some records are below and some at or above
    assert scores[0] < cut
    kept = geomap_cli("extract", doc, "-q", "--min-score", str(cut))
    assert kept.returncode == 0, kept.stderr
    assert [json.loads(line) for line in kept.stdout.splitlines()] == [
        r for r in records if r["score"] >= cut]
