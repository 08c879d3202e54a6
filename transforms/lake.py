"""The Parquet lake: where it lives, atomic writes of table parts, and the few reads the pipeline needs.

Layout: ``<lake>/<table>/ingest_date=YYYY-MM-DD/<run_id>-<part>.parquet``, where ``<lake>`` is
``<warehouse>/lake`` by default, or any folder or fsspec URL (``s3://bucket/prefix``, ``gs://...``). A reader
never sees half a part: in a folder a part is written under a hidden temporary name and renamed into place; in
an object store it is uploaded in one request, and an object store publishes an object whole or not at all.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import split_protocol, url_to_fs

from transforms.extract import ArticleText
from transforms.schemas import TABLES

LOCAL_PROTOCOLS = (None, "file", "local")
_PART_GLOB = "ingest_date=*/*.parquet"


class LakeError(RuntimeError):
    """The lake's location cannot be used (unknown protocol, missing fsspec implementation)."""


@dataclass(frozen=True)
class Lake:
    """Where a warehouse's Parquet lake lives: a local folder, or an fsspec URL with its storage options
    (credentials, ``endpoint_url``, ...) as fsspec's implementation for that protocol takes them."""

    url: str
    options: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, location: str | Path, options: Mapping[str, Any] | None = None) -> Lake:
        """The lake at ``location``; a local path is made absolute (``file://`` URLs become paths)."""
        text = str(location)
        protocol, path = split_protocol(text)
        if protocol in LOCAL_PROTOCOLS:
            return cls(str(Path(path).expanduser().resolve()), dict(options or {}))
        return cls(text.rstrip("/"), dict(options or {}))

    @classmethod
    def of_warehouse(cls, warehouse: Path, location: str | Path | None = None,
                     options: Mapping[str, Any] | None = None) -> Lake:
        """A warehouse's lake: ``location`` when given, else the warehouse's own ``lake`` folder."""
        return cls.at(location if location else Path(warehouse) / "lake", options)

    @property
    def is_local(self) -> bool:
        return split_protocol(self.url)[0] in LOCAL_PROTOCOLS

    @cached_property
    def _fs_and_root(self) -> tuple[fsspec.AbstractFileSystem, str]:
        try:
            return url_to_fs(self.url, **self.options)
        except (ImportError, ValueError) as error:  # fsspec names the package to install
            raise LakeError(f"cannot open the lake at {self.url}: {error}") from error

    @property
    def fs(self) -> fsspec.AbstractFileSystem:
        """The fsspec filesystem holding the lake (opened once per process)."""
        return self._fs_and_root[0]

    @property
    def protocols(self) -> tuple[str, ...]:
        """The URL schemes of the lake's filesystem (``("s3", "s3a")``); DuckDB knows it by the first."""
        protocol = self.fs.protocol
        return (protocol,) if isinstance(protocol, str) else tuple(protocol)

    def __getstate__(self) -> dict:
        # Processes and Dask workers get the location, not an open connection, and open their own.
        return {"url": self.url, "options": dict(self.options)}

    def table_path(self, table: str) -> str:
        """A table's folder, as the lake's filesystem names it (no protocol)."""
        return f"{self._fs_and_root[1].rstrip('/')}/{table}"


def table_files(lake: Lake, table: str) -> list[str]:
    """The complete Parquet parts of a lake table (temporary files are hidden and never match)."""
    if lake.is_local:
        folder = Path(lake.url) / table
        return [str(path) for path in sorted(folder.glob(_PART_GLOB))] if folder.is_dir() else []
    return sorted(lake.fs.glob(f"{lake.table_path(table)}/{_PART_GLOB}"))


def table_glob(lake: Lake, table: str) -> str:
    """A glob over a lake table's parts, for Parquet readers (a URL for a remote lake)."""
    if lake.is_local:
        return f"{Path(lake.url) / table}/{_PART_GLOB}"
    return lake.fs.unstrip_protocol(f"{lake.table_path(table)}/{_PART_GLOB}")


def attach(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """Let DuckDB read a remote lake through its fsspec filesystem: no DuckDB extension to download, and the
    same credentials as the writers. A local lake needs nothing."""
    if lake.is_local:
        return
    if lake.protocols[0] not in con.list_filesystems():
        con.register_filesystem(lake.fs)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def write_part(lake: Lake, table: str, rows: list[dict], run_id: str, part: str,
               ingest_date: datetime | None = None) -> str | None:
    """Write rows as one Parquet part of ``table`` atomically; nothing is written for no rows (a table
    without parts reads as empty), so runs with nothing new leave the lake as it was. Returns the part's path."""
    if not rows:
        return None
    day = (ingest_date or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    name = f"{run_id}-{part}.parquet"
    arrow = pa.Table.from_pylist(rows, schema=TABLES[table])
    if not lake.is_local:
        target = f"{lake.table_path(table)}/ingest_date={day}/{name}"
        buffer = pa.BufferOutputStream()
        pq.write_table(arrow, buffer, compression="zstd")
        lake.fs.pipe_file(target, buffer.getvalue().to_pybytes())  # one upload: visible whole or not at all
        return lake.fs.unstrip_protocol(target)
    folder = Path(lake.url) / table / f"ingest_date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    target_path = folder / name
    temporary = folder / f".{name}.{uuid.uuid4().hex[:6]}.tmp"
    try:
        pq.write_table(arrow, temporary, compression="zstd")
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target_path)
    finally:
        temporary.unlink(missing_ok=True)
    return str(target_path)


def _query(lake: Lake, table: str, sql: str, **parameters: object) -> list[tuple]:
    """Run ``sql`` with ``{table}`` bound to the lake table (an in-memory DuckDB, never the warehouse file)."""
    if not table_files(lake, table):
        return []
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        source = "read_parquet($glob, union_by_name = true, hive_partitioning = true)"
        return con.execute(sql.replace("{table}", source), {"glob": table_glob(lake, table), **parameters}).fetchall()


def article_ids(lake: Lake) -> set[str]:
    """Ids of every article already in the lake."""
    return {row[0] for row in _query(lake, "articles", "select distinct article_id from {table}")}


def known_article_ids(lake: Lake, ids: list[str]) -> set[str]:
    """Which of ``ids`` the lake's articles already hold: a semi-join in DuckDB, so that deduplicating a
    commit never loads the ids of the whole lake."""
    if not ids:
        return set()
    sql = "select distinct article_id from {table} where article_id in (select unnest($ids))"
    return {row[0] for row in _query(lake, "articles", sql, ids=ids)}


def _articles_without(lake: Lake, marker: str, version_column: str, version: str) -> list[str]:
    """Ids of the lake's articles with no ``marker`` row of ``version``, sorted: an anti-join in DuckDB over
    articles and the marker table, so the lake's ids are never all loaded."""
    if not table_files(lake, marker):
        return sorted(article_ids(lake))
    if not table_files(lake, "articles"):
        return []
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        reader = "read_parquet({}, union_by_name = true, hive_partitioning = true)"
        sql = (f"select distinct article_id from {reader.format('$articles')} as a where not exists ("
               f"select 1 from {reader.format('$marker')} as m "
               f"where m.article_id = a.article_id and m.{version_column} = $version) order by 1")
        rows = con.execute(sql, {"articles": table_glob(lake, "articles"), "marker": table_glob(lake, marker),
                                 "version": version})
        return [row[0] for row in rows.fetchall()]


def pending_article_ids(lake: Lake, extractor_version: str) -> list[str]:
    """Ids of the lake's articles without an extraction by ``extractor_version``, sorted."""
    return _articles_without(lake, "extractions", "extractor_version", extractor_version)


def unplaced_article_ids(lake: Lake, story_version: str) -> list[str]:
    """Ids of the lake's articles not yet placed in a story by ``story_version``, sorted."""
    return _articles_without(lake, "story_signatures", "story_version", story_version)


def story_candidates(lake: Lake, bands: Mapping[str, tuple[int, ...]], story_version: str) -> set[tuple[str, str]]:
    """Pairs ``(article, placed article)`` where an article of ``bands`` shares an LSH band key with one the lake
    already placed by ``story_version``: a DuckDB join over the story_signatures table (the lake's LSH index), so
    that the placed articles' texts are never loaded."""
    if not bands or not table_files(lake, "story_signatures"):
        return set()
    ids = list(bands)
    keys = pa.table({"article_id": ids, "bands": pa.array([list(bands[i]) for i in ids], pa.list_(pa.int64()))})
    sql = ("with new as (select article_id, unnest(bands) as band from keys), "
           "placed as (select article_id, unnest(bands) as band from {table} where story_version = $version) "
           "select distinct new.article_id, placed.article_id from new inner join placed on new.band = placed.band "
           "where new.article_id <> placed.article_id")
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        con.register("keys", keys)
        source = "read_parquet($glob, union_by_name = true, hive_partitioning = true)"
        rows = con.execute(sql.replace("{table}", source), {"glob": table_glob(lake, "story_signatures"),
                                                            "version": story_version}).fetchall()
    return {(row[0], row[1]) for row in rows}


def read_file_ids(lake: Lake, reader_version: str) -> set[str]:
    """Content hashes of the source files already read completely by ``reader_version``."""
    sql = "select distinct file_id from {table} where reader_version = $version"
    return {row[0] for row in _query(lake, "source_files", sql, version=reader_version)}


def origins_with_prefix(lake: Lake, prefix: str) -> set[str]:
    """Origins of the lake's articles that start with ``prefix`` (a feed URL + "#": its known entries)."""
    sql = "select distinct origin from {table} where starts_with(origin, $prefix)"
    return {row[0] for row in _query(lake, "articles", sql, prefix=prefix)}


def read_articles(lake: Lake, ids: list[str]) -> Iterator[ArticleText]:
    """The articles with these ids, in the given order."""
    sql = ("select article_id, any_value(title), any_value(body), any_value(published_at) from {table} "
           "where article_id in (select unnest($ids)) group by article_id")
    found = {row[0]: ArticleText(*row) for row in _query(lake, "articles", sql, ids=ids)}
    for article_id in ids:
        if article_id in found:
            yield found[article_id]
