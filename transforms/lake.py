"""The Parquet lake: atomic writes of table parts and the few reads the pipeline needs.

Layout: ``<warehouse>/lake/<table>/ingest_date=YYYY-MM-DD/<run_id>-<part>.parquet``. A part is written under a
hidden temporary name and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from transforms.extract import ArticleText
from transforms.schemas import TABLES


def lake_root(warehouse: Path) -> Path:
    """The lake folder of a warehouse."""
    return warehouse / "lake"


def table_files(warehouse: Path, table: str) -> list[Path]:
    """The complete Parquet parts of a lake table."""
    folder = lake_root(warehouse) / table
    return sorted(folder.glob("ingest_date=*/*.parquet")) if folder.is_dir() else []


def table_glob(warehouse: Path, table: str) -> str:
    """A glob over a lake table's parts, for Parquet readers."""
    return str(lake_root(warehouse).resolve() / table / "ingest_date=*" / "*.parquet")


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def write_part(warehouse: Path, table: str, rows: list[dict], run_id: str, part: str,
               ingest_date: datetime | None = None) -> Path | None:
    """Write rows as one Parquet part of ``table`` atomically; nothing is written for no rows (a table
    without parts reads as empty), so runs with nothing new leave the lake as it was."""
    if not rows:
        return None
    schema = TABLES[table]
    day = (ingest_date or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    folder = lake_root(warehouse) / table / f"ingest_date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{run_id}-{part}.parquet"
    temporary = folder / f".{target.name}.{uuid.uuid4().hex[:6]}.tmp"
    arrow = pa.Table.from_pylist(rows, schema=schema)
    try:
        pq.write_table(arrow, temporary, compression="zstd")
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _query(warehouse: Path, table: str, sql: str, **parameters: object) -> list[tuple]:
    """Run ``sql`` with ``{table}`` bound to the lake table (an in-memory DuckDB, never the warehouse file)."""
    if not table_files(warehouse, table):
        return []
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        source = "read_parquet($glob, union_by_name = true, hive_partitioning = true)"
        return con.execute(sql.replace("{table}", source), {"glob": table_glob(warehouse, table), **parameters}).fetchall()


def article_ids(warehouse: Path) -> set[str]:
    """Ids of every article already in the lake."""
    return {row[0] for row in _query(warehouse, "articles", "select distinct article_id from {table}")}


def read_file_ids(warehouse: Path, reader_version: str) -> set[str]:
    """Content hashes of the source files already read completely by ``reader_version``."""
    sql = "select distinct file_id from {table} where reader_version = $version"
    return {row[0] for row in _query(warehouse, "source_files", sql, version=reader_version)}


def origins_with_prefix(warehouse: Path, prefix: str) -> set[str]:
    """Origins of the lake's articles that start with ``prefix`` (a feed URL + "#": its known entries)."""
    sql = "select distinct origin from {table} where starts_with(origin, $prefix)"
    return {row[0] for row in _query(warehouse, "articles", sql, prefix=prefix)}


def extracted_ids(warehouse: Path, extractor_version: str) -> set[str]:
    """Ids of the articles extracted with ``extractor_version``."""
    sql = "select distinct article_id from {table} where extractor_version = $version"
    return {row[0] for row in _query(warehouse, "extractions", sql, version=extractor_version)}


def read_articles(warehouse: Path, ids: list[str]) -> Iterator[ArticleText]:
    """The articles with these ids, in the given order."""
    sql = ("select article_id, any_value(title), any_value(body), any_value(published_at) from {table} "
           "where article_id in (select unnest($ids)) group by article_id")
    found = {row[0]: ArticleText(*row) for row in _query(warehouse, "articles", sql, ids=ids)}
    for article_id in ids:
        if article_id in found:
            yield found[article_id]
