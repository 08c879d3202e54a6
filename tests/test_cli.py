"""The command line as a data tool: help with examples everywhere, query output formats, quiet runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app

COMMANDS = ("run", "server", "serve", "sql", "maintain", "docs", "report", "eval", "bench")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Examples" in result.output and f"newsflow {command}" in result.output


def test_sql_output_formats(seed_warehouse: Path, tmp_path: Path):
    query = "select country_a, country_b, cooperation_mentions from marts.country_pair_cooperation order by all"
    runner = CliRunner()
    table = runner.invoke(app, ["sql", query, "-w", str(seed_warehouse), "--limit", "2"])
    assert table.exit_code == 0 and "country_a" in table.output and "more than 2 rows" in table.output
    csv = runner.invoke(app, ["sql", query, "-w", str(seed_warehouse), "--format", "csv"])
    lines = csv.output.strip().splitlines()
    assert csv.exit_code == 0 and lines[0] == '"country_a","country_b","cooperation_mentions"' and len(lines) > 3
    as_json = runner.invoke(app, ["sql", query, "-w", str(seed_warehouse), "--format", "json"])
    rows = [json.loads(line) for line in as_json.output.strip().splitlines()]
    assert len(rows) == len(lines) - 1 and set(rows[0]) == {"country_a", "country_b", "cooperation_mentions"}
    target = tmp_path / "pairs.parquet"
    written = runner.invoke(app, ["sql", query, "-w", str(seed_warehouse), "-f", "parquet", "-o", str(target)])
    assert written.exit_code == 0 and pq.read_table(target).num_rows == len(rows)
    # A list column ("aliases") becomes JSON text in CSV.
    nested = runner.invoke(app, ["sql", "select 'A' as name, ['A', 'B'] as aliases", "-w", str(seed_warehouse),
                                 "--format", "csv"])
    assert nested.exit_code == 0 and nested.output.strip().splitlines()[1] == '"A","[""A"", ""B""]"'


@pytest.mark.parametrize("arguments, message", [
    (["--format", "parquet"], "add --output"),
    (["--format", "xml"], "--format takes"),
    (["--warehouse", "/no/such/warehouse"], "run `newsflow run` first"),
])
def test_sql_mistakes_are_one_line_and_exit_2(arguments: list[str], message: str, seed_warehouse: Path):
    args = ["sql", "select 1", *arguments]
    if "--warehouse" not in arguments:
        args += ["--warehouse", str(seed_warehouse)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_sql_is_one_line(seed_warehouse: Path):
    result = CliRunner().invoke(app, ["sql", "selec 1", "-w", str(seed_warehouse)])
    assert result.exit_code == 2 and result.output.startswith("error: Parser Error")


@pytest.mark.parametrize("statement, message", [
    ("copy (select 1) to '{outside}/copied.csv'", "`copy` is refused"),
    ("copy (select 1) to '{lake}/copied.csv'", "`copy` is refused"),  # even where reads are allowed
    ("select 1; copy (select 1) to '{outside}/copied.csv'", "`copy` is refused"),
    ("export database '{outside}/exported'", "`export` is refused"),
    ("attach '{outside}/other.duckdb' as other", "`attach` is refused"),
    ("install httpfs", "`install` is refused"),
    ("load httpfs", "`load` is refused"),
    ("set enable_external_access = true", "`set` is refused"),
    ("select * from read_text('/etc/hostname')", "file system operations are disabled"),
    ("select * from read_csv('{outside}/secret.csv')", "file system operations are disabled"),
    ("select * from read_csv('{lake}/{escape}')", "file system operations are disabled"),  # ../ out of the lake
    ("select * from glob('/*')", "file system operations are disabled"),
])
def test_sql_reads_the_warehouse_only_and_writes_nothing(statement: str, message: str, seed_warehouse: Path,
                                                         tmp_path: Path):
    (tmp_path / "secret.csv").write_text("password\nhunter2\n")
    before = sorted(path for path in seed_warehouse.rglob("*"))
    lake = seed_warehouse / "lake"
    query = statement.format(outside=tmp_path, lake=lake, escape=os.path.relpath(tmp_path / "secret.csv", lake))
    result = CliRunner().invoke(app, ["sql", query, "-w", str(seed_warehouse)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "hunter2" not in result.output
    assert sorted(tmp_path.iterdir()) == [tmp_path / "secret.csv"]
    assert sorted(path for path in seed_warehouse.rglob("*")) == before


@pytest.mark.parametrize("query", [
    "select count(*) from lake.articles",
    "select count(*) from staging.stg_relations",
    "select count(*) from marts.country_pair_cooperation",
    "select count(*) from seeds.countries",
    "describe marts.speakers",
    "summarize staging.stg_articles",
    "select count(*) from read_parquet('{warehouse}/marts/speakers/*.parquet')",
    "select count(*) from read_parquet('{warehouse}/lake/articles/*.parquet')",
])
def test_sql_queries_over_the_warehouse_still_work(query: str, seed_warehouse: Path):
    result = CliRunner().invoke(app, ["sql", query.format(warehouse=seed_warehouse), "-w", str(seed_warehouse),
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) >= 2


def test_quiet_run_prints_nothing_but_problems(prefect_harness: None, seed_warehouse: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    import shutil

    from tests.conftest import SEED_ARTICLES

    warehouse = tmp_path / "warehouse"  # a copy: other tests count the seed warehouse's runs
    shutil.copytree(seed_warehouse, warehouse)
    # The CLI sets this for itself; set here so that it is restored after the test.
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    result = CliRunner().invoke(app, ["--quiet", "run", "--source", str(SEED_ARTICLES), "-w", str(warehouse)])
    assert result.exit_code == 0 and result.output == ""
    both = CliRunner().invoke(app, ["--quiet", "--verbose", "run"])
    assert both.exit_code == 2 and "contradict" in both.output


def _count(warehouse: Path, query: str, *options: str) -> int:
    result = CliRunner().invoke(app, ["sql", query, "-w", str(warehouse), "--format", "csv", *options])
    assert result.exit_code == 0, result.output
    return int(result.output.strip().splitlines()[-1])


def test_sql_as_of_reads_the_lake_as_it_was_and_maintain_keeps_every_row(
        prefect_harness: None, seed_warehouse: Path, tmp_path: Path):
    import shutil

    from flows.pipeline import newsflow
    from tests.conftest import warehouse_snapshot
    from transforms.lake import Lake, table_files

    warehouse = tmp_path / "warehouse"  # a copy: other tests count the seed warehouse's runs
    shutil.copytree(seed_warehouse, warehouse)
    articles = "select count(*) from staging.stg_articles"
    seeded = _count(warehouse, articles)
    first_run = CliRunner().invoke(app, ["sql", "select min(run_id) from lake.runs", "-w", str(warehouse),
                                         "--format", "csv"]).output.strip().splitlines()[-1].strip('"')
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"title": "Chile and Peru sign a fishing accord",
                                 "body": "Chile and Peru signed an accord on fishing rights on Tuesday."}) + "\n")
    assert newsflow(sources=[str(later)], warehouse_dir=str(warehouse)).status == "succeeded"

    assert _count(warehouse, articles) == seeded + 1
    assert _count(warehouse, articles, "--as-of", first_run) == seeded  # staging rebuilt over the old lake
    assert _count(warehouse, "select count(*) from marts.stories", "--as-of", first_run) == seeded
    assert _count(warehouse, articles, "--as-of", "2000-01-01T00:00:00Z") == 0  # before the lake existed
    assert _count(warehouse, articles, "--as-of", "2999-01-01") == seeded + 1
    for wrong, message in (("yesterday", "--as-of takes a time"), ("20000101T000000Z-0123abcd", "no run 20000101T000000Z-0123abcd")):
        result = CliRunner().invoke(app, ["sql", articles, "-w", str(warehouse), "--as-of", wrong])
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
        assert message in result.output and "Traceback" not in result.output

    the_lake = Lake.of_warehouse(warehouse)
    before, snapshot = len(table_files(the_lake, "articles")), warehouse_snapshot(warehouse)
    assert before >= 2  # two runs, a file each
    maintained = CliRunner().invoke(app, ["maintain", "-w", str(warehouse), "--retention-hours", "0"])
    assert maintained.exit_code == 0 and "articles" in maintained.output, maintained.output
    assert len(table_files(the_lake, "articles")) == 1
    assert warehouse_snapshot(warehouse) == snapshot
    assert _count(warehouse, articles) == seeded + 1
