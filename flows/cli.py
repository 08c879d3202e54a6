"""The ``newsflow`` command line."""

from __future__ import annotations

import atexit
import os
import sys
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

# No telemetry: nothing leaves the machine except fetches of the sources a user names. DO_NOT_TRACK turns off
# the Prefect client's usage events (sent from interactive terminals); the other its server's.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

app = typer.Typer(
    help="newsflow: raw news articles in, a DuckDB/Parquet warehouse of entities, relations and quotes out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

EXAMPLE_QUERY = (
    "select country_a, country_b, sum(cooperation_mentions) as cooperation, sum(conflict_mentions) as conflict "
    "from marts.country_pair_cooperation group by all order by cooperation desc limit 10"
)


class Output:
    """How much the CLI says: ``quiet`` (errors and warnings only) or ``verbose`` (debug logs)."""

    quiet = False
    verbose = False
    skip_teardown = False  # set by a finished ``run``: see main()


@app.callback()
def main_options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="print only warnings and errors")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="print debug logs (Prefect's and newsflow's)")] = False,
) -> None:
    """newsflow: raw news articles in, a DuckDB/Parquet warehouse of entities, relations and quotes out.

    Start with `newsflow run`, then `newsflow sql`, `newsflow report` and `newsflow docs`.
    """
    if quiet and verbose:
        _fail("--quiet and --verbose contradict each other; give one")
    Output.quiet, Output.verbose = quiet, verbose
    # Before Prefect is imported (the commands import it lazily). What is printed changes, not what reaches the
    # Prefect API: a terminal shows progress bars instead of INFO log lines, a log file or pipe gets the lines.
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "DEBUG")
    elif quiet or console.is_terminal:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


def _say(*objects: object) -> None:
    if not Output.quiet:
        console.print(*objects)


def _fail(message: str, code: int = 2) -> None:
    errors.print(f"[red]error:[/red] {message}", soft_wrap=True)  # one line, whatever the width
    raise typer.Exit(code)


SourceOption = Annotated[list[str] | None, typer.Option(
    "--source", "-s", help="a file or folder (.txt .json .jsonl .html), or an http(s) URL of a feed or page; repeatable "
    "(default: seeds/articles)")]
SourcesFileOption = Annotated[Path | None, typer.Option(
    "--sources-file", help="a TOML or YAML file naming feeds, pages and folders (see README, Live sources)")]
WarehouseOption = Annotated[Path | None, typer.Option(
    "--warehouse", "-w", help="warehouse folder (default: $NEWSFLOW_WAREHOUSE or ./warehouse)")]
LakeOption = Annotated[str | None, typer.Option(
    "--lake", help="where the Parquet lake lives: a folder or an fsspec URL such as s3://bucket/newsflow "
    "(default: $NEWSFLOW_LAKE or <warehouse>/lake)")]
ArchiveOption = Annotated[Path | None, typer.Option(
    "--archive", help="move files of --source folders here once they are read (a landing folder's done pile)")]


def _check_sources(source: list[str] | None, sources_file: Path | None) -> None:
    from transforms.sources import SourcesFileError, read_sources_file

    for value in source or []:
        if "://" in value and not value.lower().startswith(("http://", "https://")):
            _fail(f"--source {value}: only http and https URLs are fetched")
    if sources_file is not None:
        try:
            read_sources_file(sources_file)
        except SourcesFileError as error:
            _fail(str(error))


@app.command()
def run(
    source: SourceOption = None,
    sources_file: SourcesFileOption = None,
    warehouse: WarehouseOption = None,
    lake: LakeOption = None,
    archive: ArchiveOption = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="articles per extraction task (default 500)")] = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="re-extract every article, replacing the old extraction")] = False,
    n_process: Annotated[int | None, typer.Option("--n-process", min=1, help="extraction processes on this machine, each taking whole batches (default $NEWSFLOW_N_PROCESS or 1)")] = None,
    runner: Annotated[str, typer.Option(help="where extraction batches run: local (this machine) or dask")] = "local",
    dask_address: Annotated[str | None, typer.Option(help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")] = None,
    dask_workers: Annotated[int, typer.Option(min=1, help="workers of the local Dask cluster")] = 2,
) -> None:
    """Run the pipeline once: fetch and ingest sources, extract new articles, build the warehouse.

    Examples:

      newsflow run

      newsflow run --source ../shared/corpus/reuters21578_multi_country.jsonl --warehouse /tmp/wh

      newsflow run --source https://example.org/world/rss.xml --source inbox/ --archive done/

      newsflow run --sources-file sources.toml --n-process 2

      newsflow run --runner dask --dask-address tcp://scheduler:8786 --lake s3://bucket/newsflow
    """
    _check_sources(source, sources_file)
    from flows.server import ServerError, temporary_api
    from flows.settings import Settings

    settings = Settings()
    if lake:
        settings = settings.model_copy(update={"lake": lake})
    target = (warehouse or settings.warehouse).resolve()
    if runner not in ("local", "dask"):
        _fail(f"--runner takes local or dask, not {runner!r}")
    if target.exists() and not target.is_dir():
        _fail(f"--warehouse {target} is a file; pass a folder (it is created if missing)")
    # Without a configured Prefect API, a temporary server starts now and comes up while Prefect, spaCy and
    # DuckDB are imported below.
    processes = n_process or settings.n_process
    with temporary_api() as server, ExitStack() as pool:
        from flows import workers
        from flows.pipeline import expects_extraction, with_runner

        if runner == "local" and (processes > 1 or server.api_url is not None):
            # Before the flow, when there is work: load the model (while a temporary server is still starting),
            # and with --n-process K fork the K extraction processes from this one, which then holds the model
            # and has no Prefect threads yet (see flows.workers). Any problem here (a missing model) is left
            # for the run itself to report.
            try:
                if expects_extraction(source, str(target), settings, full_refresh,
                                      str(sources_file) if sources_file else None):
                    from transforms.nlp import load_pipeline

                    if processes == 1:
                        load_pipeline(settings.spacy_model, str(settings.seeds_dir))
                    elif workers.forks():
                        pool.enter_context(workers.extraction_pool(processes, settings.spacy_model,
                                                                   str(settings.seeds_dir), start_now=True))
            except Exception:  # noqa: BLE001
                pass
        try:
            server.wait()
        except ServerError as error:
            _fail(f"{error}; set PREFECT_API_URL to a running server (see `newsflow server`)", code=1)
        from flows.progress import RichReporter

        show_bars = errors.is_terminal and not Output.quiet and not Output.verbose
        try:
            flow_function, batches_at_once = with_runner(runner, processes, dask_address, dask_workers)
            with server.heartbeats(), RichReporter(errors) if show_bars else nullcontext():
                summary = flow_function(sources=source, warehouse_dir=str(target), batch_size=batch_size,
                                        full_refresh=full_refresh, workers=batches_at_once,
                                        sources_file=str(sources_file.resolve()) if sources_file else None,
                                        archive_dir=str(archive.resolve()) if archive else None,
                                        lake_url=lake)
        except Exception as error:  # the run failed; its row in `runs` says why
            _fail(f"run failed: {error}", code=1)
            return
    table = Table(title=f"newsflow run {summary.run_id}", show_header=False)
    table.add_row("files read", f"{summary.files_read} ({summary.files_unchanged} unchanged, skipped; "
                  f"{summary.files_pending} still being written, left for the next run)")
    table.add_row("articles seen", str(summary.articles_seen))
    table.add_row("new", str(summary.articles_new))
    table.add_row("already known", str(summary.articles_duplicate))
    rejected = str(summary.articles_rejected)
    if summary.rejects_by_reason:
        rejected += " (" + ", ".join(f"{k}: {v}" for k, v in sorted(summary.rejects_by_reason.items())) + ")"
    table.add_row("rejected", rejected)
    table.add_row("placed in stories", f"{summary.articles_placed} ({summary.story_links} links to reports of "
                  "the same story)")
    table.add_row("extracted", str(summary.articles_extracted))
    for name, count in summary.rows.items():
        table.add_row(f"{name} rows", str(count))
    table.add_row("warehouse", summary.warehouse)
    if summary.lake != str(Path(summary.warehouse) / "lake"):
        table.add_row("lake", summary.lake)
    if summary.sources_failed:
        table.add_row("[red]failed sources[/red]", ", ".join(summary.sources_failed))
    _say(table)
    if summary.sources_failed:
        errors.print(f"[yellow]warning:[/yellow] {len(summary.sources_failed)} source(s) failed: "
                     f"{', '.join(summary.sources_failed)}; the reasons are in `rejects`", soft_wrap=True)
    if summary.articles_rejected:
        _say("Rejected input is in the `rejects` table: newsflow sql \"select * from staging.stg_rejects\"")
    _say(f"Try: newsflow sql --warehouse {summary.warehouse} \"{EXAMPLE_QUERY}\"")
    Output.skip_teardown = True


@app.command()
def server(
    host: Annotated[str | None, typer.Option(help="address to listen on (default: PREFECT_SERVER_API_HOST, else 127.0.0.1, loopback: the API has no login)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="port of the API and UI (default: PREFECT_SERVER_API_PORT, else the port in PREFECT_API_URL, else 4200)")] = None,
    home: Annotated[Path | None, typer.Option(help="Prefect's data folder (default: $PREFECT_HOME, else <warehouse>/.prefect)")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Start a local Prefect server (API, UI, scheduler) for `newsflow serve`; Ctrl-C stops it.

    Prefect's temporary server, which `newsflow run` uses on its own, cannot keep schedules: this one can.
    Its database and log (server.log) live in --home.

    Examples:

      newsflow server

      nohup newsflow server --port 4200 > /dev/null 2>&1 &
    """
    from flows.server import (
        ServerError,
        is_healthy,
        server_address,
        start_server,
        stop,
        wait_until_healthy,
    )
    from flows.settings import Settings

    try:
        host, port = server_address(host, port)
    except ServerError as error:
        _fail(str(error))
        return
    api_url = f"http://{host}:{port}/api"
    if is_healthy(api_url):
        console.print(f"A Prefect server already answers at {api_url}.")
        console.print(f"  export PREFECT_API_URL={api_url}")
        return
    if home is None:
        home = Path(os.environ["PREFECT_HOME"]) if os.environ.get("PREFECT_HOME") else (warehouse or Settings().warehouse) / ".prefect"
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    process = start_server(host, port, ui=True, services=True, log_file=home / "server.log", prefect_home=home)
    try:
        try:
            wait_until_healthy(api_url, process, timeout=180)
        except ServerError as error:
            _fail(f"{error}; see {home / 'server.log'}", code=1)
        console.print(f"Prefect server running: UI http://{host}:{port}  API {api_url}  data {home}")
        console.print("In another shell, to schedule newsflow:")
        console.print(f"  export PREFECT_API_URL={api_url}")
        console.print("  newsflow serve --interval 900 --source inbox/ --archive done/")
        console.print("Ctrl-C stops the server.")
        process.wait()
        _fail(f"the Prefect server exited with code {process.returncode}; see {home / 'server.log'}", code=1)
    except KeyboardInterrupt:
        console.print("stopping the Prefect server")
    finally:
        stop(process)


@app.command()
def serve(
    cron: Annotated[str | None, typer.Option(help='cron schedule, e.g. "*/15 * * * *" (UTC)')] = None,
    interval: Annotated[float | None, typer.Option(min=1, help="seconds between runs")] = None,
    source: SourceOption = None,
    sources_file: SourcesFileOption = None,
    warehouse: WarehouseOption = None,
    lake: LakeOption = None,
    archive: ArchiveOption = None,
    settle_seconds: Annotated[float, typer.Option(min=0, help="leave files modified less than this many seconds ago for the next run")] = 5.0,
    name: Annotated[str, typer.Option(help="deployment name")] = "scheduled",
) -> None:
    """Serve the flow on a schedule as a Prefect deployment; runs happen in this process's runner until Ctrl-C.

    Needs a Prefect API that keeps schedules: `newsflow server`, then export PREFECT_API_URL as it says.
    A landing folder given with --source is picked up file by file, each file exactly once (by content hash).

    Examples:

      newsflow serve --cron "*/15 * * * *" --source inbox/ --archive done/

      newsflow serve --interval 3600 --sources-file sources.toml --warehouse /data/newsflow
    """
    from flows.server import configured_api_url, is_healthy
    from flows.settings import Settings

    if (cron is None) == (interval is None):
        _fail("give a schedule: --cron \"*/15 * * * *\" or --interval SECONDS (one of the two)")
    _check_sources(source, sources_file)
    api_url = configured_api_url()
    if not api_url:
        _fail("serve needs a Prefect server that keeps schedules, and none is configured: start one with "
              "`newsflow server` (in another shell or in the background), then `export "
              "PREFECT_API_URL=http://127.0.0.1:4200/api` and run serve again")
    if not is_healthy(api_url):
        _fail(f"no Prefect API answers at {api_url} (PREFECT_API_URL): start it with `newsflow server`, or point "
              "PREFECT_API_URL at a running server")
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import newsflow
    from transforms.sources import from_argument

    target = (warehouse or Settings().warehouse).resolve()
    parameters = {
        # Absolute paths: scheduled runs start in the runner's working folder.
        "sources": [from_argument(value).location for value in source] if source else None,
        "sources_file": str(sources_file.resolve()) if sources_file else None,
        "warehouse_dir": str(target),
        "archive_dir": str(archive.resolve()) if archive else None,
        "settle_seconds": settle_seconds,
        "lake_url": lake,
    }
    schedule = f"cron {cron!r}" if cron else f"every {interval:g} s"
    console.print(f"Serving newsflow/{name} ({schedule}) into {target}; API {api_url}, UI {api_url.removesuffix('/api')}")
    console.print("Runs appear in the UI; Ctrl-C stops serving (the schedule is paused).")
    try:
        newsflow.serve(name=name, cron=cron, interval=interval, parameters=parameters, limit=1,
                       print_starting_message=False, entrypoint_type=EntrypointType.MODULE_PATH)
    except ValueError as error:
        _fail(f"cannot serve: {str(error).splitlines()[0]}")


FORMATS = ("table", "csv", "json", "parquet")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="a SQL query (read-only: select, describe, show, summarize)")],
    warehouse: WarehouseOption = None,
    limit: Annotated[int, typer.Option(min=1, help="rows to print at most in a table")] = 50,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table (aligned, on screen), csv, json (one object per line) or parquet")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write all rows to this file instead of the screen (needed for parquet)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="query the lake as it was at this time (ISO, UTC when no zone) or at the end of this run id; staging and marts are built over it in memory")] = None,
) -> None:
    """Run a read-only query against the warehouse: an aligned table, or CSV, JSON or Parquet.

    Schemas: lake (views over the Delta tables), staging, marts, seeds (see `newsflow docs`). The connection reads the
    warehouse, its lake and its exported marts and nothing else; it writes nothing (copy, export, attach,
    install, load and set are refused): --output is how rows get into a file.

    Examples:

      newsflow sql "select * from marts.country_pair_cooperation limit 5"

      newsflow sql "select speaker_name, quotes from marts.speakers order by quotes desc" --format csv

      newsflow sql "select * from staging.stg_relations" --format parquet --output relations.parquet

      newsflow sql "select count(*) from staging.stg_articles" --as-of 2026-12-01T09:00:00Z
    """
    import duckdb

    from flows.settings import Settings
    from transforms.lake import LakeError, as_of_time
    from transforms.warehouse import BuildError, check_query, connect_as_of, connect_confined

    if output_format not in FORMATS:
        _fail(f"--format takes {', '.join(FORMATS)}, not {output_format!r}")
    if output_format == "parquet" and output is None:
        _fail("--format parquet writes a file: add --output FILE.parquet")
    settings = Settings()
    target = (warehouse or settings.warehouse).resolve()
    the_lake = settings.lake_at(target)
    try:
        if as_of is None:
            connection = connect_confined(target, lake=the_lake)
        else:
            connection = connect_as_of(target, settings.sql_dir, settings.seeds_dir, the_lake, as_of_time(the_lake, as_of))
        with connection as con:
            check_query(con, query)
            if output_format == "table" and output is None:
                result = con.execute(query)
                if result.description is None:
                    _fail("the statement returns no rows; newsflow sql runs queries (select ...)")
                columns = [d[0] for d in result.description]
                rows = result.fetchmany(limit + 1)
            else:
                relation = con.sql(query)
                if relation is None:
                    _fail("the statement returns no rows; newsflow sql runs queries (select ...)")
                arrow = relation.to_arrow_table()
    except (BuildError, LakeError) as error:
        _fail(str(error))
        return
    except duckdb.Error as error:
        _fail(str(error).splitlines()[0])
        return
    if output_format == "table" and output is None:
        table = Table(*columns)
        for row in rows[:limit]:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
        if len(rows) > limit:
            console.print(f"(more than {limit} rows; use --limit, or --format csv for all)")
        return
    _write_rows(arrow, "csv" if output_format == "table" else output_format, output)


def _write_rows(arrow, output_format: str, output: Path | None) -> None:
    """Write an Arrow table as CSV, JSON lines or Parquet to ``output`` (or stdout for text formats)."""
    import io
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    try:
        if output_format == "parquet":
            pq.write_table(arrow, output)
        elif output_format == "csv":
            buffer = io.BytesIO()
            pacsv.write_csv(_flat(arrow), buffer)
            _emit(buffer.getvalue().decode("utf-8"), output)
        else:
            lines = (json.dumps(row, ensure_ascii=False, default=str) for row in arrow.to_pylist())
            _emit("".join(f"{line}\n" for line in lines), output)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    if output is not None:
        _say(f"{arrow.num_rows} rows written to {output}")


def _flat(arrow):
    """The table with its nested columns (lists, structs, maps: "aliases") as JSON text, which CSV can hold."""
    import json

    import pyarrow as pa

    for index, column in enumerate(arrow.schema):
        if pa.types.is_nested(column.type):
            text = pa.array([None if value is None else json.dumps(value, ensure_ascii=False, default=str)
                             for value in arrow.column(index).to_pylist()], pa.string())
            arrow = arrow.set_column(index, column.name, text)
    return arrow


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def docs(warehouse: WarehouseOption = None) -> None:
    """Write the data dictionary as Markdown and HTML under <warehouse>/docs.

    Every lake table, staging view, mart and seed table with its columns, types, descriptions and SQL lineage,
    generated from the code (Arrow schemas, comments in the SQL models) and the built database.

    Examples:

      newsflow docs

      newsflow docs --warehouse /data/newsflow
    """
    from flows.settings import Settings
    from transforms.docs import write_docs
    from transforms.warehouse import BuildError, connect_confined

    settings = Settings()
    target = (warehouse or settings.warehouse).resolve()
    try:
        with connect_confined(target, lake=settings.lake_at(target)) as con:
            markdown_path, html_path = write_docs(con, target, settings.sql_dir)
    except BuildError as error:
        _fail(str(error))
        return
    _say(f"data dictionary: {markdown_path} and {html_path}")


@app.command()
def maintain(
    warehouse: WarehouseOption = None,
    lake: Annotated[str | None, typer.Option(help="the lake, when not <warehouse>/lake (default: NEWSFLOW_LAKE)")] = None,
    retention_hours: Annotated[float | None, typer.Option(min=0, help="delete the files compaction replaced this long ago (default: NEWSFLOW_VACUUM_RETENTION_HOURS, 168)")] = None,
) -> None:
    """Compact every lake table that has small data files and vacuum the files compaction replaced, now.

    Runs do this on their own (a table is compacted once it has NEWSFLOW_COMPACT_MIN_FILES small files); this
    command does it whatever the count, then rebuilds the warehouse. It waits for a run holding the warehouse.

    Examples:

      newsflow maintain

      newsflow maintain --retention-hours 0
    """
    from flows.pipeline import WarehouseBusy, maintain_warehouse
    from flows.settings import Settings
    from transforms.lake import LakeError
    from transforms.warehouse import BuildError

    updates: dict[str, object] = {}
    if lake:
        updates["lake"] = lake
    if retention_hours is not None:
        updates["vacuum_retention_hours"] = retention_hours
    settings = Settings().model_copy(update=updates)
    target = (warehouse or settings.warehouse).resolve()
    try:
        migrated, done = maintain_warehouse(str(target), settings)
    except (WarehouseBusy, LakeError, BuildError) as error:
        _fail(str(error), code=1)
        return
    table = Table("table", "data files before", "after", "files deleted")
    for entry in done:
        if entry.files_before or entry.vacuumed:
            table.add_row(entry.table, str(entry.files_before), str(entry.files_after), str(entry.vacuumed))
    if migrated:
        _say(f"migrated to Delta Lake: {', '.join(f'{name} ({rows} rows)' for name, rows in migrated.items())}")
    _say(table)


@app.command()
def report(
    warehouse: WarehouseOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="HTML file to write (default: <warehouse>/report.html)")] = None,
) -> None:
    """Write one self-contained HTML report of the main findings (opens without a network).

    Cooperation vs conflict between countries, cooperation over time for the top pairs, the most-quoted
    speakers, and for every pair the sentences and quotes behind its numbers.

    Examples:

      newsflow report

      newsflow report --warehouse /data/newsflow --output /srv/www/newsflow.html
    """
    from flows.settings import Settings
    from transforms.report import write_report
    from transforms.warehouse import BuildError, connect_confined

    settings = Settings()
    target = (warehouse or settings.warehouse).resolve()
    try:
        with connect_confined(target, lake=settings.lake_at(target)) as con:
            path = write_report(con, (output or target / "report.html").resolve(), str(target))
    except BuildError as error:
        _fail(str(error))
        return
    except OSError as error:
        _fail(f"cannot write the report: {error.strerror or error} ({error.filename or output})")
        return
    _say(f"report: {path}")


@app.command("eval")
def evaluate(
    task: Annotated[list[str] | None, typer.Option("--task", "-t", help="relations, quotes, countries or stories; repeatable (default: all)")] = None,
    shared: Annotated[Path | None, typer.Option(help="folder with gold/ and corpus/ (default: ../shared beside the project)")] = None,
    split: Annotated[str, typer.Option(help="PolNeAR split scored for quotes: dev (report) or train (tune)")] = "dev",
    limit: Annotated[int | None, typer.Option(help="score quotes and countries on the first N articles only")] = None,
    examples: Annotated[int, typer.Option(help="misses and false hits to list per task")] = 8,
    pairs: Annotated[Path | None, typer.Option(help="labelled article pairs for stories (default: the project's tests/data/story_pairs.csv)")] = None,
) -> None:
    """Score the extractor against the gold files, and story detection against labelled article pairs; prints
    one JSON object per task.

    Examples:

      newsflow eval

      newsflow eval --task quotes --split train

      newsflow eval --task stories
    """
    import json

    from flows.settings import PROJECT_ROOT, Settings
    from transforms import evaluation
    from transforms.lexicons import load_lexicons
    from transforms.nlp import load_pipeline

    tasks = task or ["relations", "quotes", "countries", "stories"]
    unknown = set(tasks) - {"relations", "quotes", "countries", "stories"}
    if unknown:
        _fail(f"unknown task(s): {', '.join(sorted(unknown))}; choose relations, quotes, countries or stories")
    root = (shared or PROJECT_ROOT.parent / "shared").resolve()
    if not (root / "gold").is_dir():
        _fail(f"no gold data under {root}; pass --shared DIR (the folder holding gold/ and corpus/)")
    settings = Settings()
    corpus = root / "corpus"
    if set(tasks) - {"stories"}:  # story detection needs no model
        nlp = load_pipeline(settings.spacy_model, str(settings.seeds_dir))
        lexicons = load_lexicons(str(settings.seeds_dir))
    for name in tasks:
        if name == "stories":
            result = evaluation.evaluate_stories(pairs or PROJECT_ROOT / "tests" / "data" / "story_pairs.csv", corpus,
                                                 settings.story_parameters, examples)
        elif name == "relations":
            result = evaluation.evaluate_relations(nlp, lexicons, root / "gold" / "relations_dev.jsonl",
                                                   [corpus / "reuters21578_multi_country.jsonl", corpus / "bbc_news.jsonl",
                                                    corpus / "polnear_articles.jsonl"], examples)
        elif name == "quotes":
            result = evaluation.evaluate_quotes(nlp, lexicons, root / "gold" / "polnear_attributions.jsonl",
                                                corpus / "polnear_articles.jsonl", split, examples, limit)
        else:
            result = evaluation.evaluate_countries(nlp, lexicons, corpus / "reuters21578_multi_country.jsonl", limit, examples)
        print(json.dumps(result, ensure_ascii=False))


@app.command()
def bench(
    source: Annotated[Path | None, typer.Option("--source", "-s", help="JSONL corpus (default: ../shared/corpus/reuters21578.jsonl)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="articles to measure on")] = 2000,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="processes: nlp.pipe's in bare, the run's extraction processes in full")] = 1,
    scale: Annotated[str | None, typer.Option(help="comma-separated sizes, each measured in a fresh process, e.g. 1000,4000,16000")] = None,
    repeat: Annotated[int, typer.Option(min=1, help="measure bare and full this many times in turn; report medians")] = 1,
    scheduled: Annotated[int | None, typer.Option(min=2, help="simulate this many scheduled runs of --stories-per-run new stories each, then compare with one run of them all")] = None,
    stories_per_run: Annotated[int, typer.Option(min=1, help="new stories per simulated scheduled run")] = 3,
    ingest_only: Annotated[bool, typer.Option("--ingest-only", help="with --scale: ingest alone (distinct records cycled from the corpus), its seconds and peak RSS per size")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON result")] = False,
) -> None:
    """Measure throughput: bare nlp.pipe vs the full pipeline on the same texts, re-run, SQL build, peak RSS.

    Examples:

      newsflow bench --limit 500

      newsflow bench --repeat 3 --n-process 2

      newsflow bench --scale 1000,4000,16000

      newsflow bench --scale 20000,200000 --ingest-only

      newsflow bench --scheduled 1000 --stories-per-run 3
    """
    import json

    from flows.bench import run_bench, run_ingest_scale, run_scale, run_scheduled
    from flows.settings import PROJECT_ROOT

    corpus = (source or PROJECT_ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl").resolve()
    if not corpus.is_file():
        _fail(f"no corpus at {corpus}; pass --source FILE.jsonl")
    if scheduled:
        result = run_scheduled(corpus, scheduled, stories_per_run)
        print(json.dumps(result))
        if not as_json:
            table = Table("runs", "Parquet files", "run s", "no-op run s", "build s")
            for r in result["checkpoints"]:
                table.add_row(str(r["runs"]), str(r["parquet_files"]), str(r["run_seconds"]),
                              str(r["noop_seconds"]), str(r["build_seconds"]))
            console.print(table)
            differing = {t: c for t, c in result["comparison"].items() if c["only_in_small_runs"] or c["only_in_one_run"]}
            console.print(f"last / first checkpoint: files {result['files_ratio']}x, build {result['build_ratio']}x, "
                          f"no-op run {result['noop_ratio']}x, run {result['run_ratio']}x; staging against one run of "
                          f"the same stories: {'equal' if not differing else f'differs in {sorted(differing)}'}")
            end = result["at_end"]
            console.print(f"at the end, the last checkpoint's warehouse: no-op run {end['runs_noop_seconds']} s, build "
                          f"{end['runs_build_seconds']} s; one run of the same stories: no-op run "
                          f"{end['one_run_noop_seconds']} s, build {end['one_run_build_seconds']} s")
        return
    if scale:
        try:
            sizes = [int(s) for s in scale.split(",") if s.strip()]
        except ValueError:
            _fail(f"--scale takes comma-separated whole numbers, not {scale!r}")
            return
        if ingest_only:
            results = run_ingest_scale(corpus, sizes)
            print(json.dumps(results))
            if not as_json:
                table = Table("records", "new articles", "ingest seconds", "peak RSS (MiB)")
                for r in results:
                    table.add_row(str(r["records"]), str(r["new"]), str(r["seconds"]), str(r["peak_rss_mb"]))
                ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
                console.print(table)
                console.print(f"peak RSS at {results[-1]['records']} records / at {results[0]['records']}: {ratio:.2f}")
            return
        results = run_scale(corpus, sizes, n_process, repeat)
        print(json.dumps(results))
        if not as_json:
            table = Table("articles", "full articles/s", "full ms/article", "ingest+extract ms/article",
                          "peak RSS (MiB)")
            for r in results:
                table.add_row(str(r["articles"]), str(r["full"]["articles_per_s"]),
                              f"{1000 * r['full']['seconds'] / r['articles']:.1f}", str(r["flow_ms_per_article"]),
                              str(r["peak_rss_mb"]))
            console.print(table)
        return
    if ingest_only:
        _fail("--ingest-only measures sizes: add --scale, e.g. --scale 20000,200000")
    result = run_bench(corpus, limit, n_process, repeat)
    print(json.dumps(result))
    if not as_json:
        table = Table("stage", "seconds", "articles/s", "words/s")
        for stage in ("bare", "full", "single", "rerun"):
            if r := result.get(stage):
                table.add_row(stage, str(r["seconds"]), str(r["articles_per_s"]), str(r["words_per_s"]))
        console.print(table)
        speedup = f", {result['speedup_over_single']}x single-process full" if "speedup_over_single" in result else ""
        console.print(f"full/bare throughput {result['full_over_bare']}{speedup} (medians of {result['repeat']}), "
                      f"SQL build {result['build_seconds']} s, peak RSS {result['peak_rss_mb']} MiB, "
                      f"{result['articles']} articles, n_process {n_process}")


def main() -> None:
    """Entry point of the ``newsflow`` command and of ``python -m flows.cli``."""
    try:
        app()
    except SystemExit as done:
        if Output.skip_teardown and done.code in (0, None):
            # The run is over: its files are closed and the warehouse lock released. Tearing the interpreter
            # down object by object (the model's vocabulary, Prefect's modules) would take most of a second
            # more; the exit handlers (log flushing) still run.
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        raise


if __name__ == "__main__":
    sys.exit(main())
