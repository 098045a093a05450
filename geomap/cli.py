"""The ``geomap`` command line.

``geomap extract``, ``geomap places``, ``geomap map``, ``geomap export``, ``geomap focus``,
``geomap explain``, ``geomap evaluate`` and
``geomap gazetteer build|add|info``. Each reads the gazetteer store ``--gazetteer PATH``
(default ``$GEOMAP_GAZETTEER``, else the cache). Every input is accounted for: skipped inputs
get one line each on stderr naming the file and the problem, the others are
still processed, and the exit status is 1 when anything was skipped (2 when
nothing could be processed at all).

Untrusted input
---------------
* A PATH is always a file or folder, never text: a missing one is an error
  naming it; ``-`` reads standard input as one document (id ``stdin``).
* Every document, standard input included, is refused above ``--max-bytes``.
* Options are checked before any work (before the gazetteer is opened or an
  input read): numbers, column names, category names and the category word
  list, and the output files, which must not be an input, a file a folder
  input would read, another output, or a folder. A usage error exits with 2.
* Bad input gives one ``geomap: error:`` line, never a traceback.
* When the reader of standard output goes away (``geomap extract ... | head``)
  the run ends quietly with status 141 (128 + SIGPIPE), as Unix tools do.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

__all__ = ["main", "run", "printable", "byte_size",
           "EXIT_OK", "EXIT_PARTIAL", "EXIT_FAIL", "EXIT_PIPE"]

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2
#: Status of a run whose standard output was closed by its reader: 128 + SIGPIPE,
#: what the shell reports for a Unix tool ended by that signal.
EXIT_PIPE = 141
#: The garbage collector's thresholds of the ``geomap`` process (:func:`run`).
RUN_THRESHOLDS = (10_000, 50, 100)
#: The PATH that reads standard input.
STDIN = "-"
#: Document id of standard input.
STDIN_ID = "stdin"
#: Folder entries not read (sub-folders, other file types) listed on stderr; the rest
#: are counted there and listed in the ``--report``.
IGNORED_SHOWN = 20


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Examples
    --------
    >>> main(["explain"])  # "geomap: error: give PATH(s) or --text" on stderr
    2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_FAIL
    try:
        _check(args)
        return args.func(args)
    except BrokenPipeError as e:
        if _stdout_closed():
            return _end_quietly()
        return _error(e)
    except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM during a run (engines.Terminated)
        import signal

        signum = int(getattr(e, "signum", signal.SIGINT))
        print(f"geomap: {'terminated' if signum == signal.SIGTERM else 'interrupted'}",
              file=sys.stderr)
        return 128 + signum
    except Exception as e:  # one clear line for any error we raise or meet
        return _error(e)


def run() -> None:
    """The ``geomap`` console script: :func:`main`, then exit with its status.

    The process exists for this one command, so it collects garbage as the
    local engine's workers do (:func:`geomap.engines.worker.tune_collector`'s
    thresholds): the pipeline's caches grow large and hold almost no
    reference cycles, and the default thresholds' frequent collections mostly
    walk them (0.14 s of the 1.2 s of CPU of ``geomap extract --jobs 1`` over
    the 588 LGL articles; 0.03 s with these). What the run leaves in memory
    is put out of the collector's sight before the process ends: the
    interpreter's last collection would only walk it (0.15 s after a corpus
    of thousands of articles).
    """
    import gc

    gc.set_threshold(*RUN_THRESHOLDS)
    status = main()
    gc.freeze()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # the reader left after the last write
        status = _end_quietly()
    sys.exit(status)


def _error(e: BaseException) -> int:
    """One ``geomap: error:`` line for ``e``; a traceback only when asked for."""
    from gazetteer.errors import GazetteerError
    from geomap.errors import GeomapError

    if isinstance(e, OSError) and e.filename is not None and e.strerror:
        message = f"{e.filename}: {e.strerror}"
    elif isinstance(e, (GeomapError, GazetteerError, OSError)):
        message = str(e)
    elif isinstance(e, MemoryError):
        message = "out of memory (--max-bytes caps the size of one document)"
    else:
        message = f"unexpected {type(e).__name__}: {e}"
    _say(f"error: {message}")
    if os.environ.get("GEOMAP_TRACEBACK"):
        import traceback

        traceback.print_exception(e, file=sys.stderr)
    return EXIT_FAIL


#: What a terminal takes for commands or what hides or reorders text: C0 and C1 controls
#: (escape sequences), line and paragraph separators, bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep: str = "") -> str:
    """``text`` with the characters a terminal would act on written as escapes.

    File names, document ids and sources come from anyone: in a message they
    must neither send escape sequences to the terminal nor start a line that
    looks like one of geomap's own. Characters in ``keep`` stay as they are.

    Examples
    --------
    >>> print(printable("bad\\x1b[2Jname\\ngeomap: ok"))
    bad\\x1b[2Jname\\ngeomap: ok
    """
    return _UNPRINTABLE.sub(
        lambda m: m[0] if m[0] in keep else m[0].encode("unicode_escape").decode("ascii"), text)


def _say(message: str) -> None:
    """One ``geomap: ...`` line on stderr, printable whatever names it holds."""
    print(f"geomap: {printable(message)}", file=sys.stderr)


def _stdout_closed() -> bool:
    """Whether standard output is a pipe that no one reads any more."""
    try:
        import select

        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poll.poll(0))
    except (AttributeError, OSError, ValueError):  # no fd (captured), or no poll
        return False


def _end_quietly() -> int:
    """Stop writing to a standard output whose reader has gone.

    What Python still holds for it would be flushed at exit and fail again
    ("Exception ignored ... BrokenPipeError"): standard output is pointed at
    the null device first, as the Python documentation advises.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    except (AttributeError, OSError, ValueError):
        pass
    return EXIT_PIPE


# -- option values --------------------------------------------------------------

def byte_size(text: str) -> int:
    """A size in bytes as written on the command line: ``1000000``, ``100M``, ``100MB``.

    ``K``, ``M``, ``G``, ``T`` (and ``KiB``...) are powers of 1024; ``KB``,
    ``MB``... powers of 1000, as GNU tools read them.

    Examples
    --------
    >>> byte_size("100M"), byte_size("100MB"), byte_size("4096"), byte_size("2 KiB")
    (104857600, 100000000, 4096, 2048)
    """
    m = re.fullmatch(r"\s*(\d{1,15})\s*([kmgt]?)(i?b)?\s*", text, flags=re.IGNORECASE)
    if m is None or (m[3] and m[3].lower() == "ib" and not m[2]):
        raise argparse.ArgumentTypeError(
            f"expected a size in bytes such as 100M or 100000000, instead got: {text!r}")
    power = " kmgt".index(m[2].lower()) if m[2] else 0
    base = 1000 if m[2] and m[3] and m[3].lower() == "b" else 1024
    return int(m[1]) * base ** power


def _count(minimum: int):
    """An argparse type: an integer of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum}, instead got: {text!r}")
        return value
    parse.__name__ = f"integer >= {minimum}"
    return parse


def _probability(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:        # also refuses nan
        raise argparse.ArgumentTypeError(
            f"expected a probability from 0 to 1, instead got: {text!r}")
    return value


_probability.__name__ = "probability"


#: ``geomap --help``'s examples.
EXAMPLES = """\
examples:
  geomap extract seeds/ -o mentions.jsonl       one record per place mention
  geomap extract articles.csv --text-column body --format csv -o mentions.csv
  geomap places seeds/ --format geojson -o places.geojson
                                                one row per place: counts, sources, dates
  geomap map seeds/ -o map.html --offline       an HTML map that needs no network
  geomap focus seeds/ -o focus.csv              where each article's events happened
  geomap export seeds/ --gpkg seeds.gpkg --csv mentions.csv
  geomap explain --text "Shelling near Stepanakert went on."
  geomap evaluate ../shared/data/LGL/lgl.xml --errors lgl.tsv
  geomap gazetteer info

PATH is a file or folder (.txt, .md, .html; .csv, .jsonl, .parquet tables with
one document per row) or - for standard input. Every command: geomap COMMAND --help.
"""
#: Each command's ``--help`` examples.
COMMAND_EXAMPLES = {
    "extract": ["geomap extract seeds/ -o mentions.jsonl",
                "geomap extract news.parquet --text-column body --date-column published "
                "--format csv -o mentions.csv",
                "cat article.txt | geomap extract - --min-score 0.5"],
    "places": ["geomap places seeds/ -o places.csv",
               "geomap places seeds/ --format geojson -o places.geojson"],
    "map": ["geomap map seeds/ -o map.html",
            "geomap map seeds/ -o map.html --offline --color-by category",
            "geomap map seeds/ -o violence.html --only-category violence --geojson places.geojson"],
    "export": ["geomap export seeds/ --gpkg seeds.gpkg",
               "geomap export seeds/ --csv mentions.csv --places places.geojson"],
    "explain": ["geomap explain --text \"Talks in Geneva; shelling near Stepanakert.\"",
                "geomap explain seeds/000_5d2bf229be0e025c.txt --top 3"],
    "focus": ["geomap focus seeds/ -o focus.csv",
              "geomap focus ../shared/data/conflict-dev/docs --format jsonl"],
    "evaluate": ["geomap evaluate ../shared/data/LGL/lgl.xml --errors lgl.tsv",
                 "geomap evaluate ../shared/data/conflict-dev --json -"],
}


def _add_examples(sub) -> None:
    """Give each command in ``COMMAND_EXAMPLES`` an examples epilog (kept as written)."""
    for name, lines in COMMAND_EXAMPLES.items():
        parser = sub.choices[name]
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in lines)


class _LazyParser(argparse.ArgumentParser):
    """A sub-command's parser whose arguments ``fill(parser)`` adds when they
    are first needed: to parse its command line or to show its help or usage.
    The modules that define them (``gazetteer build``'s and ``add``'s) are
    then imported only for that command, not at every start-up."""

    def __init__(self, *args, fill: Callable | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill = fill

    def complete(self) -> argparse.ArgumentParser:
        """Add the arguments now, if not yet added; return the parser."""
        fill, self._fill = self._fill, None
        if fill is not None:
            fill(self)
        return self

    def parse_known_args(self, args=None, namespace=None):
        self.complete()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self.complete()
        return super().format_usage()

    def format_help(self) -> str:
        self.complete()
        return super().format_help()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="geomap", description=__doc__.splitlines()[0],
                                epilog=EXAMPLES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version="geomap 0.1.0")
    sub = p.add_subparsers(metavar="COMMAND")

    def max_bytes(sp):
        sp.add_argument("--max-bytes", type=byte_size, metavar="SIZE", default=None,
                        help="refuse a document (file, table or standard input) larger than "
                             "this: bytes, or with K, M, G (powers of 1024) or KB, MB, GB "
                             "(powers of 1000) (default: 100 MB)")

    def csv_raw(sp):
        sp.add_argument("--csv-raw", action="store_true",
                        help="CSV: write cells as they are; by default a cell a spreadsheet "
                             "would take for a formula (starting with =, +, -, @, tab or "
                             "carriage return) gets a ' before it")

    def gazetteer(sp):
        sp.add_argument("--gazetteer", metavar="PATH",
                        help="the gazetteer store to use (default: $GEOMAP_GAZETTEER, else "
                             "gazetteer.sqlite in the cache); built there when missing")

    def inputs(sp):
        gazetteer(sp)
        sp.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or folders: .txt/.md/.html (sources.csv sidecar read), "
                             ".csv/.jsonl/.parquet tables with one document per row; "
                             "- reads standard input as one document")
        for col in ("text", "doc", "source", "date", "url"):
            sp.add_argument(f"--{col}-column", metavar="NAME", default=col,
                            help=f"table column holding the {col} (default: {col})")
        max_bytes(sp)
        sp.add_argument("--report", metavar="FILE", help="write the run report as JSON")
        sp.add_argument("--keep-unresolved", action="store_true",
                        help="keep recognised names that no place fits")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")

    sp = sub.add_parser("extract", help="write one record per place mention")
    inputs(sp)
    sp.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                    help="JSON Lines (one record per line) or CSV (default: jsonl)")
    csv_raw(sp)
    sp.add_argument("--min-score", type=_probability, metavar="P",
                    help="write only the mentions whose score (the probability that the "
                         "place is right within 161 km) is at least P")
    sp.add_argument("-o", "--output", metavar="FILE",
                    help="output file (default, or -: standard output)")
    sp.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="where to run: this machine (default) or a Dask cluster")
    sp.add_argument("--jobs", type=_count(1), metavar="N",
                    help="local engine: processes (default: every core for large inputs)")
    sp.add_argument("--scheduler", metavar="ADDRESS",
                    help="dask engine: scheduler address (default: start a LocalCluster)")
    sp.add_argument("--workers", type=_count(1), metavar="N",
                    help="dask engine: LocalCluster workers (default: every core)")
    sp.set_defaults(func=_cmd_extract)

    sp = sub.add_parser("places", help="write one row per place mentioned: where it is, its "
                                       "mentions, documents, sources and dates")
    inputs(sp)
    sp.add_argument("--format", choices=("csv", "geojson"), default="csv",
                    help="CSV (with lat and lon columns) or GeoJSON (one Point Feature per "
                         "place, as export --places) (default: csv)")
    csv_raw(sp)
    sp.add_argument("-o", "--output", metavar="FILE",
                    help="output file (default, or -: standard output)")
    sp.add_argument("--categories", metavar="FILE",
                    help="category word list for the mentions_<category> counts (JSON, like "
                         "geomap/data/categories.json)")
    sp.set_defaults(func=_cmd_places)

    sp = sub.add_parser("map", help="write a standalone HTML map of the places mentioned")
    inputs(sp)
    sp.add_argument("-o", "--output", metavar="FILE", required=True, help="HTML file to write")
    sp.add_argument("--geojson", metavar="FILE", help="also write the places as GeoJSON")
    sp.add_argument("--offline", action="store_true",
                    help="inline Leaflet (no CDN) and draw country outlines instead of tiles")
    sp.add_argument("--color-by", choices=("category",),
                    help="colour markers by their most frequent mention category")
    sp.add_argument("--only-category", action="append", metavar="CATEGORY",
                    help="draw only mentions of this category (repeatable)")
    sp.add_argument("--cluster", action=argparse.BooleanOptionalAction, default=None,
                    help="cluster markers (default: when there are more than 500 places)")
    sp.add_argument("--country-markers", action="store_true",
                    help="also draw countries mentioned as a whole (and demonyms) as markers "
                         "at the country's point, besides shading them")
    sp.add_argument("--labels", type=_count(0), default=15, metavar="N",
                    help="write the names of the N places with the most mentions on the map "
                         "(they follow the filters; 0 for none) (default: 15)")
    sp.add_argument("--categories", metavar="FILE",
                    help="category word list (JSON, like geomap/data/categories.json)")
    sp.set_defaults(func=_cmd_map)

    sp = sub.add_parser("export", help="write places and mentions for GIS tools and pandas")
    inputs(sp)
    sp.add_argument("--places", metavar="FILE", help="places as GeoJSON (one Feature each)")
    sp.add_argument("--mentions", metavar="FILE", help="mentions as GeoJSON (one Feature each)")
    sp.add_argument("--csv", metavar="FILE", help="the mention table as CSV")
    csv_raw(sp)
    sp.add_argument("--parquet", metavar="FILE", help="the mention table as Parquet")
    sp.add_argument("--gpkg", metavar="FILE", help="GeoPackage with places and mentions layers")
    sp.add_argument("--categories", metavar="FILE",
                    help="category word list (JSON, like geomap/data/categories.json)")
    sp.set_defaults(func=_cmd_export)

    sp = sub.add_parser("explain", help="show every candidate and why the winner won")
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="files or folders, as for extract; - reads standard input")
    sp.add_argument("--text", help="explain this text instead of files")
    sp.add_argument("--top", type=_count(0), default=5, metavar="N",
                    help="candidates shown per mention")
    max_bytes(sp)
    gazetteer(sp)
    sp.set_defaults(func=_cmd_explain)

    sp = sub.add_parser("focus", help="write each document's focus: the country, admin1 and "
                                      "place where its events happened, with the evidence")
    inputs(sp)
    sp.add_argument("--format", choices=("csv", "jsonl"), default="csv",
                    help="CSV or JSON Lines, one row per document (default: csv)")
    csv_raw(sp)
    sp.add_argument("-o", "--output", metavar="FILE",
                    help="output file (default, or -: standard output)")
    sp.set_defaults(func=_cmd_focus)

    sp = sub.add_parser("evaluate", help="score the pipeline on a gold corpus "
                                         "(LGL, GeoVirus, conflict-dev)")
    sp.add_argument("corpus", metavar="CORPUS_FILE",
                    help="LGL/TR-News or GeoVirus XML, or a conflict-dev folder "
                         "(gold.json and docs/) or its gold.json")
    sp.add_argument("--errors", metavar="FILE", help="write the errors here")
    sp.add_argument("--json", metavar="FILE", help="write the metrics as JSON here (- prints it)")
    sp.add_argument("--limit", type=_count(0), metavar="N", help="only the first N documents")
    sp.add_argument("--calibration", metavar="FILE.png",
                    help="draw the reliability diagram of score here (needs geomap[plot])")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    gazetteer(sp)
    sp.set_defaults(func=_cmd_evaluate)

    gz = sub.add_parser("gazetteer", help="build or inspect the gazetteer")
    gsub = gz.add_subparsers(metavar="ACTION", parser_class=_LazyParser)

    def build_arguments(b):
        from gazetteer.build import add_build_arguments

        add_build_arguments(b)

    def add_arguments(a):
        from gazetteer.add import add_arguments

        add_arguments(a)

    b = gsub.add_parser("build", help="(re)build the gazetteer store", fill=build_arguments)
    b.set_defaults(func=_cmd_gaz_build)
    a = gsub.add_parser("add", help="add GeoNames' full dumps of countries (downloaded) or "
                                    "your files to the store, without rebuilding it",
                        fill=add_arguments)
    a.set_defaults(func=_cmd_gaz_add)
    i = gsub.add_parser("info", help="where the store is and what it was built from")
    i.add_argument("--path", "--gazetteer", dest="path", metavar="PATH",
                   help="the store (default: $GEOMAP_GAZETTEER, else the cache)")
    i.set_defaults(func=_cmd_gaz_info)

    def gazetteer_usage(args) -> int:
        gz.print_help(sys.stderr)
        return EXIT_FAIL

    gz.set_defaults(func=gazetteer_usage)
    _add_examples(sub)
    return p


# -- checks before any work -------------------------------------------------------

#: Output options: (flag, attribute of the parsed arguments).
_OUTPUTS = (("-o", "output"), ("--report", "report"), ("--geojson", "geojson"),
            ("--places", "places"), ("--mentions", "mentions"), ("--csv", "csv"),
            ("--parquet", "parquet"), ("--gpkg", "gpkg"), ("--errors", "errors"),
            ("--json", "json"))
#: Output options that may be ``-``, standard output.
_STDOUT_OK = {("extract", "output"), ("evaluate", "json"), ("focus", "output"),
              ("places", "output")}


def _check(args) -> None:
    """Check the options against each other and the file system, before any work.

    Raises
    ------
    ConfigurationError
        Naming the option and what is wrong with it.
    """
    from geomap.errors import ConfigurationError

    command = args.func.__name__.removeprefix("_cmd_")
    if command == "extract":
        misplaced = ("--jobs" if args.engine == "dask" and args.jobs is not None else
                     "--scheduler/--workers" if args.engine == "local"
                     and (args.scheduler or args.workers) else None)
        if misplaced:
            other = "local" if args.engine == "dask" else "dask"
            raise ConfigurationError(f"{misplaced} applies to --engine {other}")
        if args.csv_raw and args.format != "csv":
            raise ConfigurationError("--csv-raw applies to --format csv")
        if args.output in (None, STDIN) and sys.stdout is None:
            raise ConfigurationError("standard output is closed; give -o FILE")
    if command in ("focus", "places") and args.csv_raw and args.format != "csv":
        raise ConfigurationError("--csv-raw applies to --format csv")
    if command == "export" and not any(
            (args.places, args.mentions, args.csv, args.parquet, args.gpkg)):
        raise ConfigurationError(
            "give at least one of --places, --mentions, --csv, --parquet, --gpkg")
    if command == "explain":
        if args.text is not None and args.paths:
            raise ConfigurationError("give PATH(s) or --text, not both")
        if args.text is None and not args.paths:
            raise ConfigurationError("give PATH(s) or --text")
    paths = getattr(args, "paths", None) or []
    if paths.count(STDIN) > 1:
        raise ConfigurationError(f"{STDIN} (standard input) can be given only once")
    for path in paths:
        if not path.strip():
            raise ConfigurationError(f"PATH {path!r} is empty; give a file or folder")
    for col in ("text", "doc", "source", "date", "url"):
        name = getattr(args, f"{col}_column", col)
        if not name.strip():
            raise ConfigurationError(f"--{col}-column is empty; give a column name")
    if command == "evaluate":
        from geomap.evaluate.corpora import GOLD_JSON

        folder = os.path.isdir(args.corpus)
        _regular_file("CORPUS_FILE", os.path.join(args.corpus, GOLD_JSON) if folder
                      else args.corpus)
    if getattr(args, "categories", None) is not None or getattr(args, "only_category", None):
        _check_categories(args.categories, getattr(args, "only_category", None))
    _check_outputs(args, command)


def _check_categories(path: str | None, wanted: list[str] | None) -> None:
    """The word list ``--categories`` loads, and each ``--only-category`` is one of its names."""
    from geomap.categories import OTHER, category_of, load_words
    from geomap.errors import ConfigurationError

    if path is not None:
        _regular_file("--categories", path)
    category_of("", path)  # reads and compiles the word list: its errors come now
    if wanted:
        known = [*load_words(path), OTHER]
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise ConfigurationError(
                f"--only-category: unknown {', '.join(map(repr, unknown))}; "
                f"valid categories: {', '.join(dict.fromkeys(known))}")


def _regular_file(what: str, path: str) -> None:
    """``path`` is a regular file (a FIFO or a device would hang or never end)."""
    import stat

    from geomap.errors import ConfigurationError

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as e:
        reason = e.strerror.lower() if isinstance(e, OSError) and e.strerror else str(e)
        raise ConfigurationError(f"{what} {path}: {reason}") from e
    if not stat.S_ISREG(mode):
        raise ConfigurationError(f"{what} {path}: not a regular file")


def _check_outputs(args, command: str) -> None:
    """No output is a folder, another output, an input, or a file a folder input reads."""
    from geomap.documents import HTML_SUFFIXES, SIDECAR, TABLE_SUFFIXES, TEXT_SUFFIXES
    from geomap.errors import ConfigurationError

    readable = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES
    outputs: list[tuple[str, str]] = []
    for flag, attr in _OUTPUTS:
        value = getattr(args, attr, None)
        if value is None:
            continue
        if value == STDIN:
            if (command, attr) in _STDOUT_OK:
                if attr == "output":
                    args.output = None
                continue
            raise ConfigurationError(f"{flag} - (standard output) is not supported here; "
                                     f"give a file name")
        if not value.strip():
            raise ConfigurationError(f"{flag} is empty; give a file name")
        if os.path.isdir(value):
            raise ConfigurationError(f"{flag} {value}: is a folder; give a file name")
        folder = _existing_ancestor(Path(value).parent)
        if not folder.is_dir():
            raise ConfigurationError(f"{flag} {value}: {folder} is not a folder")
        _writable(flag, value, folder)
        for other_flag, other in outputs:
            if _same_file(value, other):
                raise ConfigurationError(
                    f"{other_flag} and {flag} name the same file: {value}")
        outputs.append((flag, value))
    inputs = [p for p in getattr(args, "paths", None) or [] if p != STDIN]
    inputs += [x for x in (getattr(args, "corpus", None), getattr(args, "categories", None))
               if x is not None]
    for flag, value in outputs:
        where = _real(Path(value).parent) / Path(value).name
        for path in inputs:
            if _same_file(value, path):
                raise ConfigurationError(
                    f"{flag} {value} is the input {path}: the run would overwrite what it "
                    f"reads; give another file name")
            if os.path.isdir(path) and where.parent == _real(Path(path)) and (
                    where.suffix.lower() in readable or where.name == SIDECAR):
                raise ConfigurationError(
                    f"{flag} {value} is in the input folder {path}, where it is read as an "
                    f"input; write it elsewhere")
            if not os.path.isdir(path) and where == _real(Path(path).parent) / SIDECAR:
                raise ConfigurationError(
                    f"{flag} {value} is the {SIDECAR} metadata of the input {path}; "
                    f"write it elsewhere")


def _writable(flag: str, value: str, folder: Path) -> None:
    """A file can be made in ``folder`` (tried: permissions alone do not say so for root or
    a read-only file system)."""
    import tempfile

    from geomap.errors import ConfigurationError

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise ConfigurationError(
            f"{flag} {value}: cannot write in {folder}: {(e.strerror or str(e)).lower()}"
        ) from e


def _existing_ancestor(path: Path) -> Path:
    """``path`` or its nearest existing ancestor (what creating the folder would start from)."""
    path = Path(os.path.abspath(path))
    while not os.path.lexists(path) and path.parent != path:
        path = path.parent
    return path


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one file: by device and inode when both exist
    (hard and symbolic links included), else by resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _real(Path(a)) == _real(Path(b))


# -- reading --------------------------------------------------------------------

def _inputs(args, report) -> list:
    """The PATH arguments as :func:`~geomap.documents.read_documents` takes them: a
    :class:`~pathlib.Path` each (never a text), standard input as its binary stream
    (read as one document, ``stdin``). A PATH that names nothing is skipped in
    ``report`` with its reason, so that the others are still read."""
    out: list = []
    for path in args.paths:
        if path == STDIN:
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            if stream is None:
                report.skip(STDIN_ID, "standard input is closed")
            else:
                out.append(stream)
            continue
        try:
            os.lstat(path)  # a dangling link exists: read_documents says what it is
        except OSError as e:
            report.skip(os.fspath(Path(path)), (e.strerror or str(e)).lower())
            continue
        except ValueError:
            report.skip(repr(path), "not a file name (it holds a NUL character)")
            continue
        out.append(Path(path))
    return out


def _limits(args) -> dict:
    """Reading options given on the command line (``--max-bytes``); the library's defaults
    otherwise."""
    return {} if args.max_bytes is None else {"max_bytes": args.max_bytes}


# -- commands -----------------------------------------------------------------

def _mentions(args, report):
    """The mention table of the inputs, read and processed by the local engine."""
    import itertools

    from geomap.engines import run
    from geomap.mentions import to_frame

    found = run(_inputs(args, report), fmt=None, report=report, columns=_columns(args),
                progress=_progress(args), max_bytes=args.max_bytes, spec=_spec(args))
    made = list(itertools.chain.from_iterable(found))
    # (the run readied the store: its divisions name the records' admin columns)
    with _gazetteer(args) as gaz:
        df = to_frame(made, gazetteer=gaz, report=report)
    _finish(args, report)
    return df


def _spec(args):
    """The pipeline a command runs, as every engine builds it: geomap's components on
    ``--gazetteer``'s store (:class:`~geomap.pipeline.PipelineSpec`)."""
    from geomap.pipeline import PipelineConfig, PipelineSpec

    keep = bool(getattr(args, "keep_unresolved", False))
    return PipelineSpec(args.gazetteer, PipelineConfig(keep_unresolved=keep))


def _progress(args) -> bool:
    """Progress bars only for a person watching: stderr is a terminal and not --quiet."""
    return not args.quiet and sys.stderr.isatty()


def _columns(args):
    from geomap.documents import Columns

    return Columns(text=args.text_column, doc=args.doc_column, source=args.source_column,
                   date=args.date_column, url=args.url_column)


def _finish(args, report) -> None:
    """Print skipped inputs and notes, write ``--report``, print the summary."""
    for s in report.skipped:
        _say(f"error: {s.input}: {s.reason}")
    for s in report.ignored[:IGNORED_SHOWN]:
        _say(f"note: {s.input}: {s.reason}")
    if len(report.ignored) > IGNORED_SHOWN:
        more = len(report.ignored) - IGNORED_SHOWN
        _say(f"note: {more:,} more folder entries not read" +
             (f" (listed in {args.report})" if args.report else " (--report FILE lists them)"))
    for note in report.notes:
        _say(f"note: {note}")
    if args.report:
        from geomap.files import atomic_write

        atomic_write(args.report, json.dumps(report.to_dict(), indent=2) + "\n")
    if not args.quiet:
        print(f"geomap: {report.summary()}", file=sys.stderr)


def _status(report) -> int:
    if not report.processed:
        print("geomap: error: no documents could be processed", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_PARTIAL if report.skipped else EXIT_OK


def _cmd_extract(args) -> int:
    """Stream: documents are read, processed and written a batch at a time.

    Records are formatted where they are made (in the workers); raw CSV
    (``--csv-raw``, rarely asked for) is formatted here, from the mentions.
    """
    from geomap.documents import RunReport
    from geomap.engines import run
    from geomap.engines.writer import MentionWriter, format_mentions

    report = RunReport()
    options = {"jobs": args.jobs} if args.engine == "local" else {
        "scheduler": args.scheduler, "workers": args.workers}
    raw = args.csv_raw
    low = args.min_score is not None     # filtered here, then formatted here
    inputs = _inputs(args, report)
    gaz = None
    with MentionWriter(args.output, args.format) as out:
        for made in run(inputs, engine=args.engine, fmt=None if raw or low else args.format,
                        report=report, columns=_columns(args),
                        progress=_progress(args), max_bytes=args.max_bytes, spec=_spec(args),
                        **options):
            if raw or low:      # formatted here (the workers neutralise): with the store
                gaz = gaz or _gazetteer(args)
                if low:
                    made = [m for m in made if m.score >= args.min_score]
                out.write(format_mentions(made, args.format, neutralize_formulas=not raw,
                                          gazetteer=gaz))
            else:
                out.write(made[1])
    if gaz is not None:
        gaz.close()
    _finish(args, report)
    return _status(report)


def _country_shapes(path: str | None = None) -> list:
    """The gazetteer's country outlines, for the choropleth and the offline base map."""
    from gazetteer import Gazetteer

    with Gazetteer.open(path, progress=False) as gaz:
        return list(gaz.country_shapes())


def _cmd_map(args) -> int:
    from geomap.categories import categorize
    from geomap.documents import RunReport
    from geomap.export import write_geojson
    from geomap.maps import write_map

    report = RunReport()
    df = _mentions(args, report)
    if not report.processed:
        return _status(report)
    df = categorize(df, words=args.categories)
    options = {"offline": True, "tiles": None} if args.offline else {}
    write_map(df, args.output, country_shapes=_country_shapes(args.gazetteer),
              color_by=args.color_by,
              cluster=args.cluster, only_categories=args.only_category,
              category_words=args.categories, country_markers=args.country_markers,
              labels=args.labels, **options)
    if args.geojson:
        write_geojson(df, args.geojson)
    if not args.quiet:
        _say(f"wrote {args.output}" + (f" and {args.geojson}" if args.geojson else ""))
    return _status(report)


def _cmd_places(args) -> int:
    """The per-place table (:func:`geomap.export.place_table`) as CSV or GeoJSON."""
    from geomap.categories import categorize
    from geomap.documents import RunReport
    from geomap.export import format_places
    from geomap.files import atomic_write

    report = RunReport()
    df = _mentions(args, report)
    if not report.processed:
        return _status(report)
    text = format_places(categorize(df, words=args.categories), args.format,
                         neutralize_formulas=not args.csv_raw)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text)
        if not args.quiet:
            _say(f"wrote {args.output}")
    return _status(report)


def _cmd_export(args) -> int:
    import functools

    from geomap import export
    from geomap.categories import categorize
    from geomap.documents import RunReport

    writers: list[tuple[str | None, Callable[[pd.DataFrame, str], Path]]] = [
        (args.places, export.write_geojson), (args.mentions, export.write_mentions_geojson),
        (args.csv, functools.partial(export.write_csv, neutralize_formulas=not args.csv_raw)),
        (args.parquet, export.write_parquet),
        (args.gpkg, export.write_gpkg)]
    report = RunReport()
    df = _mentions(args, report)
    if not report.processed:
        return _status(report)
    df = categorize(df, words=args.categories)
    written = []
    for path, write in writers:
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            written.append(str(write(df, path)))
    if not args.quiet:
        _say(f"wrote {', '.join(written)}")
    return _status(report)


def _cmd_explain(args) -> int:
    from geomap.documents import RunReport, read_documents

    report = RunReport()
    docs = [args.text] if args.text is not None else _inputs(args, report)
    pipe = _spec(args).build(_gazetteer(args))
    for doc in read_documents(docs, report, **_limits(args)):
        print(f"== {printable(doc.id)}")
        resolutions, rejected = pipe.trace(doc.text)
        for r in resolutions:
            print(printable(r.explain(top=args.top), keep="\n"))
        for span, why in rejected:
            print(f"{span.text!r} [{span.start}:{span.end}] not a place here: {why}")
    for s in report.skipped:
        _say(f"error: {s.input}: {s.reason}")
    return _status(report)


def _cmd_focus(args) -> int:
    """One focus row per document processed (a document without places gets an empty one)."""
    import itertools

    from geomap.docfocus import focus_rows, format_focus
    from geomap.documents import RunReport
    from geomap.engines import run
    from geomap.files import atomic_write

    report = RunReport()
    found = run(_inputs(args, report), fmt=None, report=report, columns=_columns(args),
                progress=_progress(args), max_bytes=args.max_bytes, spec=_spec(args))
    mentions = list(itertools.chain.from_iterable(found))
    with _gazetteer(args) as gaz:
        rows = focus_rows(mentions, gazetteer=gaz, documents=report.processed)
    text = format_focus(rows, args.format, neutralize_formulas=not args.csv_raw)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text)
    _finish(args, report)
    return _status(report)


def _cmd_evaluate(args) -> int:
    from geomap.evaluate import evaluate_corpus

    pipe = _spec(args).build(_gazetteer(args))
    evaluate_corpus(args.corpus, lambda text: pipe.process(text, keep_unresolved=True),
                    errors_path=args.errors, json_path=args.json, limit=args.limit,
                    progress=not args.quiet and sys.stderr.isatty(),
                    gazetteer=pipe.gazetteer, calibration_path=args.calibration)
    return EXIT_OK


def _gazetteer(args):
    """The store ``--gazetteer`` names (default: ``$GEOMAP_GAZETTEER``, else the cache), open."""
    from gazetteer import Gazetteer

    return Gazetteer.open(args.gazetteer, progress=not getattr(args, "quiet", False))


def _cmd_gaz_add(args) -> int:
    from gazetteer.add import add_from_args

    result = add_from_args(args, log=_say)
    _say(f"added {result.places:,} places ({result.names:,} names) to {result.path} "
         f"in {result.seconds:.1f} s")
    return EXIT_OK


def _cmd_gaz_build(args) -> int:
    from gazetteer.build import build_from_args

    path = build_from_args(args)
    print(f"geomap: gazetteer built at {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_gaz_info(args) -> int:
    from gazetteer import Gazetteer

    with Gazetteer.open(args.path, build=False) as gaz:  # looking never builds
        print(f"path: {gaz.path}")
        for name, version in sorted(gaz.sources().items()):
            print(f"source: {name} {version}")
    return EXIT_OK


if __name__ == "__main__":
    run()
