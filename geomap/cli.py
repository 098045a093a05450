"""The ``geomap`` command line.

``geomap extract``, ``geomap map``, ``geomap export``, ``geomap explain``, ``geomap evaluate`` and
``geomap gazetteer build|info``. Every input is accounted for: skipped inputs
get one line each on stderr naming the file and the problem, the others are
still processed, and the exit status is 1 when anything was skipped (2 when
nothing could be processed at all).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["main", "run"]

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_FAIL
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # one clear line for any error we raise or meet
        from gazetteer.errors import GazetteerError
        from geomap.errors import GeomapError

        if isinstance(e, (GeomapError, GazetteerError, OSError)):
            print(f"geomap: error: {e}", file=sys.stderr)
            return EXIT_FAIL
        raise


def run() -> None:
    """The ``geomap`` console script: :func:`main`, then exit with its status.

    What the run leaves in memory (the gazetteer's and the pipeline's caches,
    after a run in this process) is put out of the garbage collector's sight
    first: the interpreter's last collection would only walk it before the
    process ends (0.15 s after a corpus of thousands of articles).
    """
    status = main()
    import gc

    gc.freeze()
    sys.exit(status)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="geomap", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version="geomap 0.1.0")
    sub = p.add_subparsers(metavar="COMMAND")

    def inputs(sp):
        sp.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or folders: .txt/.md/.html (sources.csv sidecar read), "
                             ".csv/.jsonl/.parquet tables with one document per row")
        for col in ("text", "doc", "source", "date", "url"):
            sp.add_argument(f"--{col}-column", metavar="NAME", default=col,
                            help=f"table column holding the {col} (default: {col})")
        sp.add_argument("--report", metavar="FILE", help="write the run report as JSON")
        sp.add_argument("--keep-unresolved", action="store_true",
                        help="keep recognised names that no place fits")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")

    sp = sub.add_parser("extract", help="write one record per place mention")
    inputs(sp)
    sp.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    sp.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    sp.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="where to run: this machine (default) or a Dask cluster")
    sp.add_argument("--jobs", type=int, metavar="N",
                    help="local engine: processes (default: every core for large inputs)")
    sp.add_argument("--scheduler", metavar="ADDRESS",
                    help="dask engine: scheduler address (default: start a LocalCluster)")
    sp.add_argument("--workers", type=int, metavar="N",
                    help="dask engine: LocalCluster workers (default: every core)")
    sp.set_defaults(func=_cmd_extract)

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
    sp.add_argument("--categories", metavar="FILE",
                    help="category word list (JSON, like geomap/data/categories.json)")
    sp.set_defaults(func=_cmd_map)

    sp = sub.add_parser("export", help="write places and mentions for GIS tools and pandas")
    inputs(sp)
    sp.add_argument("--places", metavar="FILE", help="places as GeoJSON (one Feature each)")
    sp.add_argument("--mentions", metavar="FILE", help="mentions as GeoJSON (one Feature each)")
    sp.add_argument("--csv", metavar="FILE", help="the mention table as CSV")
    sp.add_argument("--parquet", metavar="FILE", help="the mention table as Parquet")
    sp.add_argument("--gpkg", metavar="FILE", help="GeoPackage with places and mentions layers")
    sp.add_argument("--categories", metavar="FILE",
                    help="category word list (JSON, like geomap/data/categories.json)")
    sp.set_defaults(func=_cmd_export)

    sp = sub.add_parser("explain", help="show every candidate and why the winner won")
    sp.add_argument("paths", nargs="*", metavar="PATH")
    sp.add_argument("--text", help="explain this text instead of files")
    sp.add_argument("--top", type=int, default=5, help="candidates shown per mention")
    sp.set_defaults(func=_cmd_explain)

    sp = sub.add_parser("evaluate", help="score the pipeline on a gold corpus (LGL, GeoVirus)")
    sp.add_argument("corpus", metavar="CORPUS_FILE")
    sp.add_argument("--errors", metavar="FILE", help="write the errors here")
    sp.add_argument("--json", metavar="FILE", help="write the metrics as JSON here")
    sp.add_argument("--limit", type=int, help="only the first N documents")
    sp.add_argument("-q", "--quiet", action="store_true")
    sp.set_defaults(func=_cmd_evaluate)

    gz = sub.add_parser("gazetteer", help="build or inspect the gazetteer")
    gsub = gz.add_subparsers(metavar="ACTION")
    b = gsub.add_parser("build", help="(re)build the gazetteer store")
    from gazetteer.build import add_build_arguments

    add_build_arguments(b)
    b.set_defaults(func=_cmd_gaz_build)
    i = gsub.add_parser("info", help="where the store is and what it was built from")
    i.add_argument("--path")
    i.set_defaults(func=_cmd_gaz_info)
    gz.set_defaults(func=lambda a: (gz.print_help(sys.stderr), EXIT_FAIL)[1])
    return p


# -- commands -----------------------------------------------------------------

def _run(args):
    """Run the pipeline over the inputs; print skipped inputs; return (df, report)."""
    from geomap.documents import RunReport
    from geomap.pipeline import Pipeline

    report = RunReport()
    show = _progress(args)
    pipe = Pipeline(progress=show)
    df = pipe.extract(args.paths, report=report, keep_unresolved=args.keep_unresolved,
                      progress=show, columns=_columns(args))
    _finish(args, report)
    return df, report


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
        print(f"geomap: error: {s.input}: {s.reason}", file=sys.stderr)
    for note in report.notes:
        print(f"geomap: note: {note}", file=sys.stderr)
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
    """Stream: documents are read, processed and written a batch at a time."""
    from geomap.documents import RunReport
    from geomap.engines import run
    from geomap.engines.writer import MentionWriter

    report = RunReport()
    misplaced = ("--jobs" if args.engine == "dask" and args.jobs is not None else
                 "--scheduler/--workers" if args.engine == "local"
                 and (args.scheduler or args.workers) else None)
    if misplaced:
        other = "local" if args.engine == "dask" else "dask"
        print(f"geomap: error: {misplaced} applies to --engine {other}", file=sys.stderr)
        return EXIT_FAIL
    options = {"jobs": args.jobs} if args.engine == "local" else {
        "scheduler": args.scheduler, "workers": args.workers}
    with MentionWriter(args.output, args.format) as out:
        for _, data in run(args.paths, engine=args.engine, fmt=args.format, report=report,
                           columns=_columns(args), keep_unresolved=args.keep_unresolved,
                           progress=_progress(args), **options):
            out.write(data)
    _finish(args, report)
    return _status(report)


def _country_shapes() -> list:
    """The gazetteer's country outlines, for the choropleth and the offline base map."""
    from gazetteer import Gazetteer

    with Gazetteer.open(progress=False) as gaz:
        return list(gaz.country_shapes())


def _cmd_map(args) -> int:
    from geomap.categories import categorize
    from geomap.export import write_geojson
    from geomap.maps import write_map

    df, report = _run(args)
    if not report.processed:
        return _status(report)
    df = categorize(df, words=args.categories)
    options = {"offline": True, "tiles": None} if args.offline else {}
    write_map(df, args.output, country_shapes=_country_shapes(), color_by=args.color_by,
              cluster=args.cluster, only_categories=args.only_category, **options)
    if args.geojson:
        write_geojson(df, args.geojson)
    if not args.quiet:
        print(f"geomap: wrote {args.output}" + (f" and {args.geojson}" if args.geojson else ""),
              file=sys.stderr)
    return _status(report)


def _cmd_export(args) -> int:
    from geomap import export
    from geomap.categories import categorize

    writers = [(args.places, export.write_geojson), (args.mentions, export.write_mentions_geojson),
               (args.csv, export.write_csv), (args.parquet, export.write_parquet),
               (args.gpkg, export.write_gpkg)]
    if not any(path for path, _ in writers):
        print("geomap: error: give at least one of --places, --mentions, --csv, --parquet, "
              "--gpkg", file=sys.stderr)
        return EXIT_FAIL
    df, report = _run(args)
    if not report.processed:
        return _status(report)
    df = categorize(df, words=args.categories)
    written = []
    for path, write in writers:
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            written.append(str(write(df, path)))
    if not args.quiet:
        print(f"geomap: wrote {', '.join(written)}", file=sys.stderr)
    return _status(report)


def _cmd_explain(args) -> int:
    from geomap.documents import RunReport, read_documents
    from geomap.pipeline import Pipeline

    pipe = Pipeline()
    report = RunReport()
    docs = [args.text] if args.text else args.paths
    if not docs:
        print("geomap: error: give PATH(s) or --text", file=sys.stderr)
        return EXIT_FAIL
    for doc in read_documents(docs, report):
        print(f"== {doc.id}")
        rejected: list = []
        spans = pipe.recognizer.recognize(doc.text, trace=rejected)
        for r in pipe.resolver.resolve(spans, doc.text):
            print(r.explain(top=args.top))
        for span, why in rejected:
            print(f"{span.text!r} [{span.start}:{span.end}] not a place here: {why}")
    for s in report.skipped:
        print(f"geomap: error: {s.input}: {s.reason}", file=sys.stderr)
    return _status(report)


def _cmd_evaluate(args) -> int:
    from geomap.evaluate import evaluate_corpus
    from geomap.pipeline import Pipeline

    pipe = Pipeline()
    evaluate_corpus(args.corpus, lambda text: pipe.process(text, keep_unresolved=True),
                    errors_path=args.errors, json_path=args.json, limit=args.limit,
                    progress=not args.quiet and sys.stderr.isatty())
    return EXIT_OK


def _cmd_gaz_build(args) -> int:
    from gazetteer.build import build_from_args

    path = build_from_args(args)
    print(f"geomap: gazetteer built at {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_gaz_info(args) -> int:
    from gazetteer import Gazetteer

    with Gazetteer.open(args.path) as gaz:
        print(f"path: {gaz.path}")
        for name, version in sorted(gaz.sources().items()):
            print(f"source: {name} {version}")
    return EXIT_OK


if __name__ == "__main__":
    run()
