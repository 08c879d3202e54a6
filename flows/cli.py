"""The ``newsflow`` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

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


def _fail(message: str, code: int = 2) -> None:
    errors.print(f"[red]error:[/red] {message}", soft_wrap=True)  # one line, whatever the width
    raise typer.Exit(code)


@app.command()
def run(
    source: Annotated[list[Path] | None, typer.Option("--source", "-s", help="file or folder of .txt/.json/.jsonl articles; repeatable (default: seeds/articles)")] = None,
    warehouse: Annotated[Path | None, typer.Option("--warehouse", "-w", help="warehouse folder (default: $NEWSFLOW_WAREHOUSE or ./warehouse)")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="articles per extraction task (default 500)")] = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="re-extract every article, replacing the old extraction")] = False,
    n_process: Annotated[int | None, typer.Option("--n-process", min=1, help="extraction processes on this machine, each taking whole batches (default $NEWSFLOW_N_PROCESS or 1)")] = None,
    runner: Annotated[str, typer.Option(help="where extraction batches run: local (this process) or dask")] = "local",
    dask_address: Annotated[str | None, typer.Option(help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")] = None,
    dask_workers: Annotated[int, typer.Option(min=1, help="workers of the local Dask cluster")] = 2,
) -> None:
    """Run the pipeline: ingest sources, extract new articles, build the warehouse.

    Examples:

      newsflow run

      newsflow run --source ../shared/corpus/reuters21578_multi_country.jsonl --warehouse /tmp/wh

      newsflow run --full-refresh

      newsflow run --runner dask --dask-address tcp://scheduler:8786
    """
    from flows.server import ServerError, temporary_api
    from flows.settings import Settings

    settings = Settings()
    target = (warehouse or settings.warehouse).resolve()
    if runner not in ("local", "dask"):
        _fail(f"--runner takes local or dask, not {runner!r}")
    if target.exists() and not target.is_dir():
        _fail(f"--warehouse {target} is a file; pass a folder (it is created if missing)")
    # Without a configured Prefect API, a temporary server starts now and comes up while Prefect, spaCy and
    # DuckDB are imported below.
    with temporary_api() as server:
        from flows.pipeline import with_runner

        try:
            server.wait()
        except ServerError as error:
            _fail(f"{error}; set PREFECT_API_URL to a running server (see `newsflow server`)", code=1)
        try:
            flow_function, workers = with_runner(runner, n_process or settings.n_process, dask_address, dask_workers)
            summary = flow_function(sources=[str(s) for s in source] if source else None, warehouse_dir=str(target),
                                    batch_size=batch_size, full_refresh=full_refresh, workers=workers)
        except Exception as error:  # the run failed; its row in `runs` says why
            _fail(f"run failed: {error}", code=1)
            return
    table = Table(title=f"newsflow run {summary.run_id}", show_header=False)
    table.add_row("files read", f"{summary.files_read} ({summary.files_unchanged} unchanged, skipped)")
    table.add_row("articles seen", str(summary.articles_seen))
    table.add_row("new", str(summary.articles_new))
    table.add_row("already known", str(summary.articles_duplicate))
    rejected = str(summary.articles_rejected)
    if summary.rejects_by_reason:
        rejected += " (" + ", ".join(f"{k}: {v}" for k, v in sorted(summary.rejects_by_reason.items())) + ")"
    table.add_row("rejected", rejected)
    table.add_row("extracted", str(summary.articles_extracted))
    for name, count in summary.rows.items():
        table.add_row(f"{name} rows", str(count))
    table.add_row("warehouse", summary.warehouse)
    console.print(table)
    if summary.articles_rejected:
        console.print("Rejected input is in the `rejects` table: newsflow sql \"select * from staging.stg_rejects\"")
    console.print(f"Try: newsflow sql --warehouse {summary.warehouse} \"{EXAMPLE_QUERY}\"")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="a SQL query (read-only)")],
    warehouse: Annotated[Path | None, typer.Option("--warehouse", "-w", help="warehouse folder")] = None,
    limit: Annotated[int, typer.Option(help="rows to print at most")] = 50,
) -> None:
    """Run a read-only query against the warehouse and print the result as a table.

    Examples:

      newsflow sql "select * from marts.country_pair_cooperation limit 5"

      newsflow sql "select speaker_name, quotes from marts.speakers order by quotes desc"
    """
    import duckdb

    from flows.settings import Settings
    from transforms.warehouse import BuildError, connect

    target = (warehouse or Settings().warehouse).resolve()
    try:
        with connect(target, read_only=True) as con:
            result = con.execute(query)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchmany(limit + 1)
    except BuildError as error:
        _fail(str(error))
        return
    except duckdb.Error as error:
        _fail(str(error).splitlines()[0])
        return
    table = Table(*columns)
    for row in rows[:limit]:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    if len(rows) > limit:
        console.print(f"(more than {limit} rows; use --limit)")


@app.command("eval")
def evaluate(
    task: Annotated[list[str] | None, typer.Option("--task", "-t", help="relations, quotes or countries; repeatable (default: all)")] = None,
    shared: Annotated[Path | None, typer.Option(help="folder with gold/ and corpus/ (default: ../shared beside the project)")] = None,
    split: Annotated[str, typer.Option(help="PolNeAR split scored for quotes: dev (report) or train (tune)")] = "dev",
    limit: Annotated[int | None, typer.Option(help="score quotes and countries on the first N articles only")] = None,
    examples: Annotated[int, typer.Option(help="misses and false hits to list per task")] = 8,
) -> None:
    """Score the extractor against the gold files; prints one JSON object per task.

    Examples:

      newsflow eval

      newsflow eval --task quotes --split train
    """
    import json

    from flows.settings import PROJECT_ROOT, Settings
    from transforms import evaluation
    from transforms.lexicons import load_lexicons
    from transforms.nlp import load_pipeline

    tasks = task or ["relations", "quotes", "countries"]
    unknown = set(tasks) - {"relations", "quotes", "countries"}
    if unknown:
        _fail(f"unknown task(s): {', '.join(sorted(unknown))}; choose relations, quotes or countries")
    root = (shared or PROJECT_ROOT.parent / "shared").resolve()
    if not (root / "gold").is_dir():
        _fail(f"no gold data under {root}; pass --shared DIR (the folder holding gold/ and corpus/)")
    settings = Settings()
    nlp = load_pipeline(settings.spacy_model, str(settings.seeds_dir))
    lexicons = load_lexicons(str(settings.seeds_dir))
    corpus = root / "corpus"
    for name in tasks:
        if name == "relations":
            result = evaluation.evaluate_relations(nlp, lexicons, root / "gold" / "relations_dev.jsonl",
                                                   [corpus / "reuters21578_multi_country.jsonl", corpus / "bbc_news.jsonl"], examples)
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
    as_json: Annotated[bool, typer.Option("--json", help="print only the JSON result")] = False,
) -> None:
    """Measure throughput: bare nlp.pipe vs the full pipeline on the same texts, re-run, SQL build, peak RSS.

    Examples:

      newsflow bench --limit 500

      newsflow bench --scale 1000,4000,16000
    """
    import json

    from flows.bench import run_bench, run_scale
    from flows.settings import PROJECT_ROOT

    corpus = (source or PROJECT_ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl").resolve()
    if not corpus.is_file():
        _fail(f"no corpus at {corpus}; pass --source FILE.jsonl")
    if scale:
        try:
            sizes = [int(s) for s in scale.split(",") if s.strip()]
        except ValueError:
            _fail(f"--scale takes comma-separated whole numbers, not {scale!r}")
            return
        results = run_scale(corpus, sizes, n_process)
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
    result = run_bench(corpus, limit, n_process)
    print(json.dumps(result))
    if not as_json:
        table = Table("stage", "seconds", "articles/s", "words/s")
        for stage in ("bare", "full", "rerun"):
            r = result[stage]
            table.add_row(stage, str(r["seconds"]), str(r["articles_per_s"]), str(r["words_per_s"]))
        console.print(table)
        console.print(f"full/bare throughput {result['full_over_bare']}, SQL build {result['build_seconds']} s, "
                      f"peak RSS {result['peak_rss_mb']} MiB, {result['articles']} articles, n_process {n_process}")


def main() -> None:
    """Entry point for ``python -m flows.cli``."""
    app()


if __name__ == "__main__":
    sys.exit(main())
