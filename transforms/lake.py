"""The lake: one Delta Lake table per lake table (delta-rs), where it lives, and the few reads the pipeline needs.

Layout: ``<lake>/<table>/`` is a Delta table (its ``_delta_log/`` and Parquet data files), where ``<lake>`` is
``<warehouse>/lake`` by default, or a folder or object-store URL delta-rs writes (``s3://bucket/prefix``,
``gs://...``, ``az://...``). Every write is one atomic commit: a reader sees all of a write or none of it, a run
killed mid-write leaves at most data files no commit names, and concurrent appends (extraction processes, Dask
workers) each get their own version (on S3 through its conditional writes). Schemas evolve by merge: a column
added to ``transforms.schemas`` appears in new commits and reads as null in older files.

DuckDB reads a table through the list of its live data files at one version (``table_files``), so no DuckDB
extension is needed and every view is a consistent snapshot; ``as_of`` reads the lake as it was at a time.

A lake of plain Parquet parts written by earlier versions (``<table>/ingest_date=YYYY-MM-DD/*.parquet``) is
migrated once, table by table, by ``migrate``: every row of every part is committed to the table's Delta log,
then the old parts are removed.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, WriterProperties, write_deltalake
from deltalake.exceptions import TableNotFoundError
from fsspec.core import split_protocol, url_to_fs

from transforms.extract import ArticleText
from transforms.schemas import TABLES

LOCAL_PROTOCOLS = (None, "file", "local")
_LEGACY_GLOB = "ingest_date=*/*.parquet"
_WRITER = WriterProperties(compression="ZSTD")
# How long replaced files, and the history that names them, are kept by default: a week.
DEFAULT_RETENTION_HOURS = 168
# fsspec's option names (what NEWSFLOW_LAKE_OPTIONS takes) and delta-rs's for the same S3 settings.
_S3_OPTIONS = {"endpoint_url": "AWS_ENDPOINT_URL", "key": "AWS_ACCESS_KEY_ID", "secret": "AWS_SECRET_ACCESS_KEY",
               "token": "AWS_SESSION_TOKEN", "region_name": "AWS_REGION", "profile": "AWS_PROFILE"}


class LakeError(RuntimeError):
    """The lake's location cannot be used (unknown protocol, missing fsspec implementation)."""


@dataclass(frozen=True)
class Lake:
    """Where a warehouse's lake lives: a local folder, or an object-store URL with its storage options in
    fsspec's spelling (``endpoint_url``, ``key``, ``secret``, ...): DuckDB reads through fsspec, delta-rs writes
    with the same options translated (``storage_options``)."""

    url: str
    options: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # How long the tables it creates keep their history (Delta log, removed-file records): the vacuum retention.
    history_hours: float = field(default=DEFAULT_RETENTION_HOURS, compare=False)

    @classmethod
    def at(cls, location: str | Path, options: Mapping[str, Any] | None = None,
           history_hours: float = DEFAULT_RETENTION_HOURS) -> Lake:
        """The lake at ``location``; a local path is made absolute (``file://`` URLs become paths)."""
        text = str(location)
        protocol, path = split_protocol(text)
        if protocol in LOCAL_PROTOCOLS:
            return cls(str(Path(path).expanduser().resolve()), dict(options or {}), history_hours)
        return cls(text.rstrip("/"), dict(options or {}), history_hours)

    @classmethod
    def of_warehouse(cls, warehouse: Path, location: str | Path | None = None,
                     options: Mapping[str, Any] | None = None,
                     history_hours: float = DEFAULT_RETENTION_HOURS) -> Lake:
        """A warehouse's lake: ``location`` when given, else the warehouse's own ``lake`` folder."""
        return cls.at(location if location else Path(warehouse) / "lake", options, history_hours)

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
        """The fsspec filesystem holding the lake (opened once per process): what DuckDB reads through."""
        return self._fs_and_root[0]

    @property
    def protocols(self) -> tuple[str, ...]:
        """The URL schemes of the lake's filesystem (``("s3", "s3a")``); DuckDB knows it by the first."""
        protocol = self.fs.protocol
        return (protocol,) if isinstance(protocol, str) else tuple(protocol)

    def __getstate__(self) -> dict:
        # Processes and Dask workers get the location, not an open connection, and open their own.
        return {"url": self.url, "options": dict(self.options), "history_hours": self.history_hours}

    def table_path(self, table: str) -> str:
        """A table's folder, as the lake's filesystem names it (no protocol)."""
        return f"{self._fs_and_root[1].rstrip('/')}/{table}"

    def table_uri(self, table: str) -> str:
        """A table's location as delta-rs and DuckDB name it: a local path, or the URL."""
        return str(Path(self.url) / table) if self.is_local else f"{self.url}/{table}"

    @property
    def storage_options(self) -> dict[str, str]:
        """The lake's options for delta-rs: fsspec's S3 names translated, plain HTTP allowed for an http://
        endpoint (a local MinIO or test server); other options pass through as strings."""
        translated: dict[str, str] = {}
        options = dict(self.options)
        options.update(options.pop("client_kwargs", None) or {})
        for name, value in options.items():
            translated[_S3_OPTIONS.get(name, name)] = str(value)
        if translated.get("AWS_ENDPOINT_URL", "").startswith("http://"):
            translated.setdefault("AWS_ALLOW_HTTP", "true")
        if split_protocol(self.url)[0] in ("s3", "s3a"):
            translated.setdefault("AWS_REGION", "us-east-1")
        return translated


# Open tables, kept per process and brought up to date by reading only the commits since (opening a table reads
# its checkpoint, which grows with the files compaction replaced until they are vacuumed: tens of milliseconds).
_OPEN: dict[tuple[str, str], DeltaTable] = {}
_OPEN_LOCK = threading.Lock()


def _delta_table(lake: Lake, table: str) -> DeltaTable | None:
    """The table at its newest version, or None when it has no Delta log yet."""
    uri = lake.table_uri(table)
    key = (uri, repr(sorted(lake.storage_options.items())))
    with _OPEN_LOCK:
        try:
            delta = _OPEN.get(key)
            if delta is None:
                delta = _OPEN[key] = DeltaTable(uri, storage_options=lake.storage_options)
            else:
                delta.update_incremental()
            return delta
        except TableNotFoundError:
            _OPEN.pop(key, None)  # never created, or its folder was removed since
            return None
        except OSError as error:
            raise LakeError(f"cannot open the lake table {uri}: {error}") from error


def _check_location(lake: Lake) -> None:
    if not lake.is_local:
        lake.fs  # noqa: B018 - an unknown protocol is a LakeError here, before delta-rs's own message


def table_files(lake: Lake, table: str, as_of: datetime | None = None) -> list[str]:
    """The live data files of a lake table, at its newest version or as it was at ``as_of``: what a reader
    reads. A table that does not exist (yet, or at ``as_of``) has none. A table still in the layout of earlier
    versions (not migrated yet) reads as its Parquet parts."""
    _check_location(lake)
    delta = _delta_table(lake, table)
    if delta is None:
        return legacy_parts(lake, table) if as_of is None else []
    if as_of is not None:
        created = min(commit["timestamp"] for commit in delta.history())
        if as_of.timestamp() * 1000 < created:
            return []
        delta = DeltaTable(lake.table_uri(table), storage_options=lake.storage_options)  # not the shared one
        delta.load_as_version(as_of)
    with _OPEN_LOCK:
        uris = delta.file_uris()
    # delta-rs percent-encodes the paths it hands back ("a b" as "a%20b"); readers want them as they are.
    return sorted(unquote(uri) for uri in uris)


_RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def as_of_time(lake: Lake, value: str) -> datetime:
    """When ``value`` names: an ISO time (UTC when it gives no zone), or a run id, meaning the moment that run
    last recorded its state (its end, for a finished run). Raises ``LakeError`` for anything else."""
    if _RUN_ID.match(value):
        rows = _query(lake, "runs", "select max(recorded_at) from {table} where run_id = $run", run=value)
        if not rows or rows[0][0] is None:
            raise LakeError(f"no run {value} in the lake's runs table")
        return rows[0][0]
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise LakeError(f"--as-of takes a time such as 2026-12-01T14:00:00Z or a run id, not {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def legacy_parts(lake: Lake, table: str) -> list[str]:
    """A table's Parquet parts in the layout before Delta Lake (``ingest_date=*/*.parquet``)."""
    if lake.is_local:
        folder = Path(lake.url) / table
        return [str(path) for path in sorted(folder.glob(_LEGACY_GLOB))] if folder.is_dir() else []
    return [lake.fs.unstrip_protocol(path) for path in sorted(lake.fs.glob(f"{lake.table_path(table)}/{_LEGACY_GLOB}"))]


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


def history_properties(retention_hours: float) -> dict[str, str]:
    """Table properties that keep a table's log and its records of removed files as long as the files
    themselves. Delta's defaults (30 days, a week) keep both longer than the vacuumed files, and every table
    open and vacuum reads them: with the defaults a no-op run took 2.2 s after 20 scheduled runs and 6.2 s
    after 1,000. Time travel reaches back only as far as the files do anyway."""
    retention = f"interval {int(retention_hours)} hours"
    return {"delta.logRetentionDuration": retention, "delta.deletedFileRetentionDuration": retention}


def write_part(lake: Lake, table: str, rows: list[dict], run_id: str, part: str) -> int | None:
    """Append rows to ``table`` as one commit; nothing is committed for no rows, so runs with nothing new leave
    the lake as it was. The commit records the run and the part. Returns the table's new version."""
    if not rows:
        return None
    _check_location(lake)
    arrow = pa.Table.from_pylist(rows, schema=TABLES[table])
    write_deltalake(lake.table_uri(table), arrow, mode="append", schema_mode="merge",
                    storage_options=lake.storage_options, writer_properties=_WRITER,
                    configuration=history_properties(lake.history_hours),  # used when it creates the table
                    commit_properties=CommitProperties(custom_metadata={"run_id": run_id, "part": part}))
    delta = _delta_table(lake, table)
    return delta.version() if delta is not None else None


def _conformed(part: pa.Table, schema: pa.Schema) -> pa.Table:
    """A legacy part in the current schema: its columns cast, missing ones null, unknown ones kept."""
    columns, fields = [], []
    for target in schema:
        if target.name in part.column_names:
            columns.append(part.column(target.name).cast(target.type))
        else:
            columns.append(pa.nulls(part.num_rows, target.type))
        fields.append(target)
    for name in part.column_names:
        if name not in schema.names:
            columns.append(part.column(name))
            fields.append(part.schema.field(name))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=schema.metadata))


def migrate(lake: Lake, table: str) -> int | None:
    """Move a table in the layout of earlier versions into Delta Lake, losslessly: every row of every part in
    one commit (parts written before a column existed get it as null), then the parts are removed. Safe to run
    again at any point: before the commit nothing has changed (a killed migration starts over), after it the
    parts left over are removed. Returns the rows migrated, None when there was nothing to migrate."""
    _check_location(lake)
    parts = legacy_parts(lake, table)
    if not parts:
        return None
    if _delta_table(lake, table) is None:
        schema = TABLES[table]
        tables = [_conformed(pq.read_table(path, filesystem=None if lake.is_local else lake.fs), schema)
                  for path in parts]
        merged = pa.concat_tables(tables, promote_options="default")
        write_deltalake(lake.table_uri(table), merged, mode="append", schema_mode="merge",
                        storage_options=lake.storage_options, writer_properties=_WRITER,
                        configuration=history_properties(lake.history_hours),
                        commit_properties=CommitProperties(custom_metadata={"migrated_parts": str(len(parts))}))
        rows = merged.num_rows
    else:
        rows = 0  # migrated before; only the old parts were left
    for path in parts:
        if lake.is_local:
            Path(path).unlink(missing_ok=True)
        else:
            lake.fs.rm(path)
    return rows


def migrate_lake(lake: Lake) -> dict[str, int]:
    """Migrate every lake table still in the earlier layout (``migrate``); rows migrated per table."""
    migrated = {}
    for table in TABLES:
        rows = migrate(lake, table)
        if rows is not None:
            migrated[table] = rows
    return migrated


@dataclass
class Maintenance:
    """What ``maintain`` did to one table."""

    table: str
    files_before: int = 0
    files_after: int = 0
    compacted: bool = False
    vacuumed: int = 0


def maintain(lake: Lake, table: str, min_small_files: int, target_bytes: int, retention_hours: float,
             force: bool = False) -> Maintenance:
    """Compact a table when it has ``min_small_files`` data files smaller than half ``target_bytes`` (or
    always with ``force``), into files of about ``target_bytes``; then vacuum: delete the files compaction
    replaced more than ``retention_hours`` ago (readers of an older snapshot and ``as_of`` need them until
    then). Compaction is one commit: killed before it, the table is as it was, and the files it wrote are
    vacuumed later as files no version names."""
    delta = _delta_table(lake, table)
    done = Maintenance(table)
    if delta is None:
        return done
    sizes = pa.table(delta.get_add_actions(flatten=True)).column("size_bytes").to_pylist()  # arro3 -> pyarrow
    done.files_before = done.files_after = len(sizes)
    small = sum(1 for size in sizes if size < target_bytes // 2)
    if small >= 2 and (force or small >= min_small_files):
        delta.optimize.compact(target_size=target_bytes, writer_properties=_WRITER)
        done.compacted = True
        done.files_after = len(delta.file_uris())
    wanted = history_properties(retention_hours)
    if any(delta.metadata().configuration.get(key) != value for key, value in wanted.items()):
        # Tables newsflow creates have them; older tables, or a retention changed since, get them here.
        delta.alter.set_table_properties(wanted)
    done.vacuumed = len(delta.vacuum(retention_hours=int(retention_hours), enforce_retention_duration=False,
                                     dry_run=False, full=True))
    return done


def _query(lake: Lake, table: str, sql: str, **parameters: object) -> list[tuple]:
    """Run ``sql`` with ``{table}`` bound to the lake table (an in-memory DuckDB, never the warehouse file)."""
    files = table_files(lake, table)
    if not files:
        return []
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        source = "read_parquet($files, union_by_name = true)"
        return con.execute(sql.replace("{table}", source), {"files": files, **parameters}).fetchall()


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
    marks = table_files(lake, marker)
    if not marks:
        return sorted(article_ids(lake))
    articles = table_files(lake, "articles")
    if not articles:
        return []
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        sql = ("select distinct article_id from read_parquet($articles, union_by_name = true) as a "
               "where not exists (select 1 from read_parquet($marker, union_by_name = true) as m "
               f"where m.article_id = a.article_id and m.{version_column} = $version) order by 1")
        rows = con.execute(sql, {"articles": articles, "marker": marks, "version": version})
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
    if not bands:
        return set()
    ids = list(bands)
    keys = pa.table({"article_id": ids, "bands": pa.array([list(bands[i]) for i in ids], pa.list_(pa.int64()))})
    sql = ("with new as (select article_id, unnest(bands) as band from keys), "
           "placed as (select article_id, unnest(bands) as band from {table} where story_version = $version) "
           "select distinct new.article_id, placed.article_id from new inner join placed on new.band = placed.band "
           "where new.article_id <> placed.article_id")
    files = table_files(lake, "story_signatures")
    if not files:
        return set()
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, lake)
        con.register("keys", keys)
        rows = con.execute(sql.replace("{table}", "read_parquet($files, union_by_name = true)"),
                           {"files": files, "version": story_version}).fetchall()
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
