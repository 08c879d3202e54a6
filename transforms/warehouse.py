"""The DuckDB build: seed tables, lake views, SQL models in dependency order, data tests, mart export.

Only this module opens ``<warehouse>/newsflow.duckdb`` for writing. Model order comes from the SQL itself:
each model's referenced tables are parsed with sqlglot, and the models are sorted topologically.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb
import fsspec
import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp

from transforms.lake import Lake, LakeError, attach, table_files
from transforms.schemas import TABLES

DATABASE_FILE = "newsflow.duckdb"
MODEL_LAYERS = ("staging", "marts")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class BuildError(RuntimeError):
    """The build could not complete (bad model SQL, dependency cycle, failing data tests)."""


@dataclass(frozen=True)
class Model:
    """One SQL model: ``<layer>.<name>`` built from ``sql/<layer>/<name>.sql``."""

    layer: str
    name: str
    sql: str
    depends_on: frozenset[str]

    @property
    def qualified(self) -> str:
        return f"{self.layer}.{self.name}"


@dataclass
class BuildResult:
    """What a build did."""

    models: list[str] = field(default_factory=list)
    tests: dict[str, int] = field(default_factory=dict)
    marts: dict[str, int] = field(default_factory=dict)
    # Articles per extractor version their current extraction was written by (a lake can hold several).
    versions: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed_tests(self) -> dict[str, int]:
        return {name: rows for name, rows in self.tests.items() if rows}


def identifier(name: str) -> str:
    """A validated SQL identifier (lower-case letters, digits, underscores): never pasted user text."""
    if not _IDENTIFIER.match(name):
        raise BuildError(f"not a valid model or table name: {name!r} (use lower_snake_case)")
    return name


def string_literal(value: str) -> str:
    """A SQL string literal for places where DuckDB takes no parameter (view definitions)."""
    if "\x00" in value:
        raise BuildError("a path may not contain NUL characters")
    return "'" + value.replace("'", "''") + "'"


def referenced_tables(sql: str) -> set[str]:
    """Qualified names (``schema.table``) a SELECT reads, CTE names excluded."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    names = set()
    for table in tree.find_all(exp.Table):
        if table.name in ctes and not table.db:
            continue
        names.add(f"{table.db}.{table.name}" if table.db else table.name)
    return names


def load_models(sql_dir: Path) -> list[Model]:
    """Every model under ``sql/staging`` and ``sql/marts``, in the order their references require."""
    models: dict[str, Model] = {}
    for layer in MODEL_LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8").strip().rstrip(";")
            try:
                depends = referenced_tables(sql)
            except sqlglot.errors.ParseError as error:
                raise BuildError(f"{path}: cannot parse SQL: {error}") from error
            model = Model(layer, identifier(path.stem), sql, frozenset(depends))
            models[model.qualified] = model
    graph = {name: {d for d in model.depends_on if d in models} for name, model in models.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise BuildError(f"models reference each other in a cycle: {error.args[1]}") from error
    return [models[name] for name in order]


def _drop(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    kinds = con.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} {schema}.{name}")


def _load_seeds(con: duckdb.DuckDBPyConnection, seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.csv")):
        name = identifier(path.stem)
        _drop(con, "seeds", name)
        try:
            con.execute(f"create table seeds.{name} as select * from read_csv(?, header = true, delim = ',', quote = '\"', comment = '#')",
                        [str(path)])
        except duckdb.Error as error:
            raise BuildError(f"seed file {path} cannot be read as CSV: {str(error).splitlines()[0]}") from error


def _create_lake_views(con: duckdb.DuckDBPyConnection, lake: Lake, as_of: datetime | None = None) -> None:
    """``lake.<table>``: a view over the data files of the table's newest version (or of its version at
    ``as_of``), or an empty typed table when it has none. The file list is fixed when the view is made, so
    every model of a build reads one snapshot of each table."""
    attach(con, lake)
    for table, schema in TABLES.items():
        _drop(con, "lake", table)
        con.register("empty_lake_part", schema.empty_table())
        files = table_files(lake, table, as_of)
        if not files:
            con.execute(f"create table lake.{table} as select * from empty_lake_part")
            con.unregister("empty_lake_part")
            continue
        types = dict(con.execute("select column_name, column_type from (describe empty_lake_part)").fetchall())
        con.unregister("empty_lake_part")
        source = f"read_parquet([{', '.join(string_literal(path) for path in files)}], union_by_name = true)"
        present = [r[0] for r in con.execute(f"select column_name from (describe select * from {source})").fetchall()]
        # Files written before a column existed lack it: it reads as null rather than failing the models.
        columns = [f'"{name}"' if name in present else f'cast(null as {types[name]}) as "{name}"'
                   for name in schema.names]
        columns += [f'"{name}"' for name in present if name not in schema.names]
        con.execute(f"create view lake.{table} as select {', '.join(columns)} from {source}")


# DuckDB keeps a view's file list as ``read_parquet(list_value('<file>', ...))``.
_VIEW_PROTOCOL = re.compile(r"read_parquet\((?:list_value\(|\[)'([a-z][a-z0-9+.-]*)://")


def _attach_remote_lake(con: duckdb.DuckDBPyConnection, lake: Lake | None) -> None:
    """Register the filesystem of a remote lake the warehouse's ``lake`` views read, found in the views
    themselves: a warehouse built over ``s3://`` opens without repeating where its lake is. The configured
    ``lake`` lends its storage options (``NEWSFLOW_LAKE_OPTIONS``) unless it names another remote protocol."""
    views = con.execute("select sql from duckdb_views() where schema_name = 'lake'").fetchall()
    protocols = {match for (sql,) in views for match in _VIEW_PROTOCOL.findall(sql or "")}
    for protocol in sorted(protocols - set(con.list_filesystems())):
        if lake is not None and not lake.is_local and protocol in lake.protocols:
            attach(con, lake)
            continue
        options = lake.options if lake is not None and lake.is_local else {}
        try:
            con.register_filesystem(fsspec.filesystem(protocol, **options))
        except (ImportError, ValueError) as error:
            raise LakeError(f"the warehouse's lake is on {protocol}://, which cannot be opened here: {error}") from error


def _open(warehouse: Path, read_only: bool, attempts: int, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the warehouse database, retrying while another process holds it."""
    path = warehouse / DATABASE_FILE
    if read_only and not path.exists():
        raise BuildError(f"no warehouse at {warehouse}: run `newsflow run` first")
    last_error: Exception | None = None
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:  # locked by another process
            last_error = error
            time.sleep(wait_seconds * (attempt + 1))
    raise BuildError(f"the warehouse database {path} is held by another process: {last_error}")


def connect(warehouse: Path, read_only: bool = False, attempts: int = 10, wait_seconds: float = 0.5,
            lake: Lake | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse database, retrying while another process holds it. When its lake is remote, the
    lake's fsspec filesystem is registered so that the ``lake`` and ``staging`` views read."""
    return _prepared(_open(warehouse, read_only, attempts, wait_seconds), lambda con: _attach_remote_lake(con, lake))


def _prepared(con: duckdb.DuckDBPyConnection, setup: Callable[[duckdb.DuckDBPyConnection], None]
              ) -> duckdb.DuckDBPyConnection:
    """``con`` after ``setup(con)``; closed when setup fails (a lake that cannot be opened is a BuildError)."""
    try:
        setup(con)
    except LakeError as error:
        con.close()
        raise BuildError(str(error)) from error
    except Exception:
        con.close()
        raise
    return con


class QueryRefused(BuildError):
    """A statement a read-only connection does not run (it would write, attach, load or reconfigure)."""


_LAKE_ROOT = re.compile(r"read_parquet\((?:list_value\(|\[)'((?:[^']|'')+?)/[a-z_]+/[^/']+\.parquet'")


def _lake_roots(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The lake folders the warehouse's ``lake`` views read, as DuckDB names them (a remote root in both the
    ``s3://bucket/x`` and the ``memory:///x`` spelling: filesystems differ in which they hand back)."""
    views = con.execute("select sql from duckdb_views() where schema_name = 'lake'").fetchall()
    roots = set()
    for (sql,) in views:
        for root in _LAKE_ROOT.findall(sql or ""):
            root = root.replace("''", "'")
            roots.add(f"{root}/")
            protocol, separator, path = root.partition("://")
            if separator:
                roots.add(f"{protocol}://{path.lstrip('/')}/")
                roots.add(f"{protocol}:///{path.lstrip('/')}/")
    return roots


def confine(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Let a read-only connection read the warehouse database, the lake its views read and the exported marts,
    and nothing else: no other file or URL, no extension, no attached database, no change of these settings
    (DuckDB's ``enable_external_access = false`` with ``allowed_directories``, then ``lock_configuration``)."""
    directories = sorted(_lake_roots(con) | {f"{warehouse / 'marts'}/"})
    con.execute("set allowed_directories = ?", [directories])
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def connect_confined(warehouse: Path, lake: Lake | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection confined to the warehouse (``confine``): for ``sql``, ``docs`` and ``report``."""
    con = connect(warehouse, read_only=True, lake=lake)
    try:
        confine(con, warehouse)
    except Exception:
        con.close()
        raise
    return con


def check_query(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise ``QueryRefused`` unless every statement of ``query`` is a query (``select``, ``from``, ``with``,
    ``describe``, ``show``, ``summarize``, ``pivot``): a read-only database still lets ``copy ... to``,
    ``export`` or ``call`` write files where reads are allowed."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise QueryRefused(str(error).splitlines()[0]) from error
    if not statements:
        raise QueryRefused("no statement to run")
    for statement in statements:
        if statement.type != duckdb.StatementType.SELECT:
            words = statement.query.split()
            kind = words[0].lower() if words else statement.type.name.lower()
            raise QueryRefused(f"`{kind}` is refused: newsflow sql runs read-only queries "
                               "(select, describe, show, summarize); --output writes the rows to a file")


# A mart with one of these columns grows with time: it is exported as one file per month of that column.
PARTITION_COLUMNS = ("month", "day", "dated_at")


def _export(con: duckdb.DuckDBPyConnection, warehouse: Path, mart: str) -> int:
    """Write ``marts/<mart>/``: ``<YYYY-MM>.parquet`` per month for marts that grow with time, else
    ``<mart>.parquet``. Plain files with the month inside the rows (no ``key=value`` folders), so every reader
    sees the same column types without options. The folder is swapped in whole."""
    folder = warehouse / "marts"
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".{mart}.{uuid.uuid4().hex[:6]}.tmp"
    staging.mkdir()
    try:
        columns = [row[0] for row in con.execute(f"select column_name from (describe marts.{mart})").fetchall()]
        key = next((column for column in PARTITION_COLUMNS if column in columns), None)
        rows = 0
        if key is None:
            table = con.sql(f"select * from marts.{mart}").to_arrow_table()
            pq.write_table(table, staging / f"{mart}.parquet", compression="zstd")
            rows = table.num_rows
        else:
            month = f"coalesce(strftime({key}, '%Y-%m'), 'undated')"
            for (label,) in con.execute(f"select distinct {month} from marts.{mart} order by 1").fetchall():
                table = con.sql(f"select * from marts.{mart} where {month} = {string_literal(label)} order by all").to_arrow_table()
                pq.write_table(table, staging / f"{label}.parquet", compression="zstd")
                rows += table.num_rows
            if rows == 0:  # still a file, so that readers see the columns
                pq.write_table(con.sql(f"select * from marts.{mart}").to_arrow_table(), staging / "empty.parquet")
        target, previous = folder / mart, folder / f".{mart}.{uuid.uuid4().hex[:6]}.old"
        if target.exists():
            os.replace(target, previous)
        os.replace(staging, target)
        shutil.rmtree(previous, ignore_errors=True)
        (folder / f"{mart}.parquet").unlink(missing_ok=True)  # the single-file layout of earlier versions
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return rows


def run_data_tests(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> dict[str, int]:
    """Each ``sql/tests/*.sql`` returns offending rows; the result maps test name to offending row count."""
    results = {}
    for path in sorted((sql_dir / "tests").glob("*.sql")):
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        results[path.stem] = con.execute(f"select count(*) from ({sql})").fetchall()[0][0]
    return results


def _build_models(con: duckdb.DuckDBPyConnection, models: list[Model], seeds_dir: Path, lake: Lake,
                  as_of: datetime | None = None) -> list[str]:
    """Seeds, lake views (at ``as_of``), staging views and mart tables in ``con``; the models built."""
    for schema in ("seeds", "lake", *MODEL_LAYERS):
        con.execute(f"create schema if not exists {schema}")
    _load_seeds(con, seeds_dir)
    _create_lake_views(con, lake, as_of)
    built = []
    for model in models:
        kind = "view" if model.layer == "staging" else "table"
        _drop(con, model.layer, model.name)
        try:
            con.execute(f"create {kind} {model.qualified} as {model.sql}")
        except duckdb.Error as error:
            raise BuildError(f"model {model.qualified} failed: {error}") from error
        built.append(model.qualified)
    return built


def connect_as_of(warehouse: Path, sql_dir: Path, seeds_dir: Path, lake: Lake, as_of: datetime
                  ) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse over the lake as it was at ``as_of`` (every lake table at its version of then,
    the staging views and marts built over them), confined as ``connect_confined`` is: time travel for
    ``newsflow sql --as-of``. The warehouse file is not touched."""
    def setup(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("set enable_progress_bar = false")
        _build_models(con, load_models(sql_dir), seeds_dir, lake, as_of)
        confine(con, warehouse)

    return _prepared(duckdb.connect(), setup)


def build(warehouse: Path, sql_dir: Path, seeds_dir: Path, lake: Lake | None = None) -> BuildResult:
    """Build the warehouse from the lake (``<warehouse>/lake`` unless given); raise ``BuildError`` when a
    model fails or a data test finds rows.

    Marts are exported to ``<warehouse>/marts/<mart>/`` only when every data test passes.
    """
    started = time.perf_counter()
    models = load_models(sql_dir)
    result = BuildResult()
    warehouse.mkdir(parents=True, exist_ok=True)
    lake = lake or Lake.of_warehouse(warehouse)
    # Not connect(): the views about to be replaced may name a lake this build no longer reads.
    with _open(warehouse, read_only=False, attempts=10, wait_seconds=0.5) as con:
        result.models = _build_models(con, models, seeds_dir, lake)
        result.versions = dict(con.execute(
            "select extractor_version, count(*) from staging.stg_latest_extractions group by all order by all"
        ).fetchall())
        result.tests = run_data_tests(con, sql_dir)
        if result.failed_tests:
            failed = ", ".join(f"{name} ({rows} rows)" for name, rows in result.failed_tests.items())
            raise BuildError(f"data tests failed: {failed}; query them with `newsflow sql` to see the rows")
        for model in models:
            if model.layer == "marts":
                result.marts[model.name] = _export(con, warehouse, model.name)
    result.seconds = time.perf_counter() - started
    return result
