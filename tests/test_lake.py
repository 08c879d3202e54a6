"""The lake: Delta tables in a folder or on object storage (here moto's S3 server on loopback; tests/test_object_storage.py
runs the whole flow against it), migration of the earlier layout, time travel and maintenance."""

from __future__ import annotations

import pickle
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import write_deltalake

from transforms import lake
from transforms.lake import Lake, LakeError
from transforms.schemas import ARTICLES, TABLES
from transforms.warehouse import BuildError, build, connect


@pytest.fixture
def s3_lake(s3_options: dict[str, str]) -> Lake:
    """A lake under a fresh prefix of the test S3 server's bucket."""
    return Lake.at(f"s3://newsflow-test/lakes/{uuid.uuid4().hex}", s3_options)


def _article(article_id: str, origin: str = "file.jsonl") -> dict:
    return {"article_id": article_id, "title": "T", "body": "B", "origin": origin, "run_id": "r",
            "ingested_at": datetime.now(timezone.utc)}


def test_a_local_location_is_an_absolute_folder_and_the_default_is_inside_the_warehouse(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Lake.at("lakes/one").url == str(tmp_path / "lakes" / "one")
    assert Lake.at(f"file://{tmp_path}/two").url == str(tmp_path / "two")
    assert Lake.of_warehouse(tmp_path / "wh").url == str(tmp_path / "wh" / "lake")
    assert Lake.of_warehouse(tmp_path / "wh", "s3://bucket/lake/").url == "s3://bucket/lake"
    assert Lake.at("lakes/one").is_local and not Lake.at("s3://bucket/lake").is_local


def test_storage_options_are_translated_for_delta_rs():
    options = Lake.at("s3://bucket/lake", {"endpoint_url": "http://127.0.0.1:9000", "key": "k", "secret": "s",
                                           "client_kwargs": {"region_name": "eu-west-1"}}).storage_options
    assert options == {"AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID": "k",
                       "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1", "AWS_ALLOW_HTTP": "true"}
    assert Lake.at("s3://bucket/lake").storage_options == {"AWS_REGION": "us-east-1"}


def test_a_remote_lake_commits_and_reads_its_tables(s3_lake: Lake):
    assert lake.table_files(s3_lake, "articles") == [] and lake.article_ids(s3_lake) == set()
    assert lake.write_part(s3_lake, "articles", [_article("a1", "https://feed#1"), _article("a2")], "r1", "ingest") == 0
    assert lake.write_part(s3_lake, "articles", [_article("a3")], "r2", "ingest") == 1
    files = lake.table_files(s3_lake, "articles")
    assert len(files) == 2 and all(f.startswith(f"{s3_lake.url}/articles/") for f in files)
    assert lake.article_ids(s3_lake) == {"a1", "a2", "a3"}
    assert lake.origins_with_prefix(s3_lake, "https://feed#") == {"https://feed#1"}
    assert [a.article_id for a in lake.read_articles(s3_lake, ["a3", "missing", "a1"])] == ["a3", "a1"]
    assert lake.write_part(s3_lake, "articles", [], "r3", "ingest") is None


def test_a_lake_crosses_processes_as_its_location_not_an_open_filesystem(s3_lake: Lake):
    assert s3_lake.fs is not None  # opened in this process
    copy = pickle.loads(pickle.dumps(Lake.at("s3://bucket/lake", {"endpoint_url": "http://127.0.0.1:9"})))
    assert copy == Lake.at("s3://bucket/lake") and copy.options == {"endpoint_url": "http://127.0.0.1:9"}
    assert "_fs_and_root" not in pickle.loads(pickle.dumps(s3_lake)).__dict__


def test_an_unknown_protocol_is_a_clear_error():
    with pytest.raises(LakeError, match="nosuchfs://bucket"):
        lake.table_files(Lake.at("nosuchfs://bucket/lake"), "articles")


def test_the_build_reads_a_remote_lake_and_later_connections_find_it_from_the_views(tmp_path: Path, settings,
                                                                                     s3_lake: Lake):
    lake.write_part(s3_lake, "articles", [_article("a1")], "r", "0")
    result = build(tmp_path, settings.sql_dir, settings.seeds_dir, s3_lake)
    assert not result.failed_tests
    assert not (tmp_path / "lake").exists()  # nothing written to the warehouse's default lake
    # No lake location given (only NEWSFLOW_LAKE_OPTIONS): the connection registers the filesystem the views name.
    with connect(tmp_path, read_only=True, lake=Lake.of_warehouse(tmp_path, None, s3_lake.options)) as con:
        assert con.execute("select article_id from staging.stg_articles").fetchall() == [("a1",)]
    with duckdb.connect(str(tmp_path / "newsflow.duckdb"), read_only=True) as con:
        view = con.execute("select sql from duckdb_views() where schema_name = 'lake' and view_name = 'articles'")
        assert f"'{s3_lake.url}/articles/" in view.fetchone()[0]


def test_a_warehouse_whose_lake_cannot_be_opened_here_says_so_and_can_be_rebuilt(tmp_path: Path, settings,
                                                                                  s3_lake: Lake, monkeypatch):
    lake.write_part(s3_lake, "articles", [_article("a1")], "r", "0")
    build(tmp_path, settings.sql_dir, settings.seeds_dir, s3_lake)

    def missing(protocol: str, **options: object) -> None:
        raise ImportError(f"Install {protocol}fs to access {protocol}")

    monkeypatch.setattr(fsspec, "filesystem", missing)
    with pytest.raises(BuildError, match="s3://, which cannot be opened here: Install s3fs"):
        connect(tmp_path, read_only=True)
    # A build onto another lake replaces those views without opening the old lake.
    assert not build(tmp_path, settings.sql_dir, settings.seeds_dir, Lake.of_warehouse(tmp_path)).failed_tests
    with connect(tmp_path, read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_articles").fetchone() == (0,)


def _write_legacy_part(root: Path, table: str, day: str, name: str, rows: list[dict], schema: pa.Schema) -> None:
    """A part as versions before Delta Lake wrote it: ``<table>/ingest_date=<day>/<name>.parquet``."""
    folder = root / table / f"ingest_date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / f"{name}.parquet")


@pytest.mark.parametrize("killed", [False, True])
def test_a_lake_of_plain_parquet_parts_is_migrated_once_and_losslessly(tmp_path: Path, killed: bool, monkeypatch):
    root = tmp_path / "lake"
    old_articles = pa.schema([f for f in ARTICLES if f.name != "is_title_derived"])  # before that column existed
    _write_legacy_part(root, "articles", "2026-11-01", "r1-ingest", [_article("a1"), _article("a2")], old_articles)
    _write_legacy_part(root, "articles", "2026-11-02", "r2-ingest", [{**_article("a3"), "is_title_derived": True}],
                       ARTICLES)
    _write_legacy_part(root, "rejects", "2026-11-01", "r1-ingest", [{"origin": "x", "reason": "binary"}],
                       TABLES["rejects"])
    the_lake = Lake.at(root)
    # Not migrated yet, the old parts still read.
    assert lake.article_ids(the_lake) == {"a1", "a2", "a3"}
    if killed:  # killed after the commit, before the old parts were removed: the next migration finishes
        real_rm = Path.unlink
        monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            lake.migrate(the_lake, "articles")
        monkeypatch.setattr(Path, "unlink", real_rm)
        assert lake.migrate_lake(the_lake) == {"articles": 0, "rejects": 1}
    else:
        assert lake.migrate_lake(the_lake) == {"articles": 3, "rejects": 1}
    assert lake.migrate_lake(the_lake) == {}  # once
    assert not list(root.rglob("ingest_date=*/*.parquet"))
    with duckdb.connect() as con:
        rows = con.execute("select article_id, is_title_derived from read_parquet(?, union_by_name = true) "
                           "order by 1", [lake.table_files(the_lake, "articles")]).fetchall()
    assert rows == [("a1", None), ("a2", None), ("a3", True)]
    assert lake.write_part(the_lake, "articles", [_article("a4")], "r3", "ingest") == 1
    assert lake.article_ids(the_lake) == {"a1", "a2", "a3", "a4"}


def test_the_lake_reads_as_it_was_at_a_time(tmp_path: Path):
    the_lake = Lake.at(tmp_path / "lake")
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    lake.write_part(the_lake, "articles", [_article("a1")], "r1", "ingest")
    between = datetime.now(timezone.utc)
    lake.write_part(the_lake, "articles", [_article("a2")], "r2", "ingest")
    assert lake.table_files(the_lake, "articles", as_of=before) == []
    assert len(lake.table_files(the_lake, "articles", as_of=between)) == 1
    assert len(lake.table_files(the_lake, "articles")) == 2


def test_maintenance_compacts_small_files_and_vacuums_what_it_replaced(tmp_path: Path):
    the_lake = Lake.at(tmp_path / "lake")
    for number in range(5):
        lake.write_part(the_lake, "articles", [_article(f"a{number}")], f"r{number}", "ingest")
    kept = lake.maintain(the_lake, "articles", min_small_files=6, target_bytes=1 << 20, retention_hours=0)
    assert (kept.files_before, kept.files_after, kept.compacted) == (5, 5, False)
    done = lake.maintain(the_lake, "articles", min_small_files=5, target_bytes=1 << 20, retention_hours=0)
    assert (done.files_before, done.files_after, done.compacted, done.vacuumed) == (5, 1, True, 5)
    assert len(list((tmp_path / "lake" / "articles").glob("*.parquet"))) == 1
    assert lake.article_ids(the_lake) == {f"a{n}" for n in range(5)}
    # Within the retention period the replaced files stay, for older snapshots.
    for number in range(5, 8):
        lake.write_part(the_lake, "articles", [_article(f"a{number}")], f"r{number}", "ingest")
    held = lake.maintain(the_lake, "articles", min_small_files=2, target_bytes=1 << 20, retention_hours=24)
    assert held.compacted and held.vacuumed == 0 and held.files_after == 1
    assert len(list((tmp_path / "lake" / "articles").glob("*.parquet"))) == 5


def test_tables_keep_their_log_and_removed_file_records_as_long_as_the_files(tmp_path: Path):
    def history(table: str) -> dict[str, str]:
        return {key: value for key, value in lake._delta_table(the_lake, table).metadata().configuration.items()
                if key in ("delta.logRetentionDuration", "delta.deletedFileRetentionDuration")}

    the_lake = Lake.at(tmp_path / "lake", history_hours=6)
    lake.write_part(the_lake, "articles", [_article("a1")], "r1", "ingest")
    assert history("articles") == {"delta.logRetentionDuration": "interval 6 hours",
                                   "delta.deletedFileRetentionDuration": "interval 6 hours"}
    # A table of an earlier version (Delta's defaults) or a retention changed since: maintenance sets them.
    write_deltalake(the_lake.table_uri("runs"), pa.Table.from_pylist([{"run_id": "r0"}], schema=TABLES["runs"]))
    assert history("runs") == {}
    lake.maintain(the_lake, "runs", min_small_files=10, target_bytes=1 << 20, retention_hours=6)
    lake.maintain(the_lake, "articles", min_small_files=10, target_bytes=1 << 20, retention_hours=0)
    assert set(history("runs").values()) == {"interval 6 hours"}
    assert set(history("articles").values()) == {"interval 0 hours"}
    assert lake.article_ids(the_lake) == {"a1"}


def test_a_compaction_killed_before_its_commit_leaves_files_no_version_reads(tmp_path: Path):
    the_lake = Lake.at(tmp_path / "lake")
    for number in range(3):
        lake.write_part(the_lake, "articles", [_article(f"a{number}")], f"r{number}", "ingest")
    # What a compaction killed before its commit leaves: a data file that no version of the log names.
    orphan = tmp_path / "lake" / "articles" / f"part-00000-{uuid.uuid4()}-c000.zstd.parquet"
    pq.write_table(pa.Table.from_pylist([_article("a0"), _article("a1")], schema=ARTICLES), orphan)
    assert str(orphan) not in lake.table_files(the_lake, "articles")
    assert sorted(a.article_id for a in lake.read_articles(the_lake, ["a0", "a1", "a2"])) == ["a0", "a1", "a2"]
    done = lake.maintain(the_lake, "articles", min_small_files=16, target_bytes=1 << 20, retention_hours=0)
    assert not done.compacted and not orphan.exists()  # vacuumed as a file no version names


def test_ingest_commits_are_bounded_and_deduplicated_against_the_lake(tmp_path: Path):
    from flows.pipeline import ArticleCommits
    from transforms.lake import known_article_ids, pending_article_ids, table_files, write_part

    the_lake = Lake.at(tmp_path / "lake")
    write_part(the_lake, "articles", [{"article_id": "a0", "title": "t", "body": "b"}], "r0", "ingest")
    commits = ArticleCommits(the_lake, "r1", size=2)
    for article_id in ["a0", "a1", "a2", "a1", "a3", "a4", "a5", "a6"]:
        commits.add({"article_id": article_id, "title": "t", "body": "b"})
    # r0's part and r1's three full commits ([a0, a1] less a0, [a2, a3], [a4, a5]), written while adding.
    assert len(table_files(the_lake, "articles")) == 4
    commits.flush()  # a6
    assert (commits.new, commits.duplicates) == (6, 2)  # a0 is in the lake, a1 came twice
    assert len(table_files(the_lake, "articles")) == 5
    assert known_article_ids(the_lake, ["a3", "zz"]) == {"a3"}
    write_part(the_lake, "extractions", [{"article_id": "a2", "extractor_version": "v1"},
                                         {"article_id": "a3", "extractor_version": "v0"}], "r1", "b0")
    assert pending_article_ids(the_lake, "v1") == ["a0", "a1", "a3", "a4", "a5", "a6"]
