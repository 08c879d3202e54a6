"""The lake's location: a folder, or any fsspec URL (here fsspec's in-memory filesystem stands in for an
object store; tests/test_object_storage.py runs the whole flow against an S3 server)."""

from __future__ import annotations

import pickle
import uuid
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import fsspec
import pytest

from transforms import lake
from transforms.lake import Lake, LakeError
from transforms.warehouse import BuildError, build, connect


@pytest.fixture
def memory_lake() -> Lake:
    """A lake under a fresh prefix of fsspec's process-wide memory filesystem."""
    found = Lake.at(f"memory://lakes/{uuid.uuid4().hex}")
    yield found
    root = found.table_path("")
    if found.fs.exists(root):
        found.fs.rm(root, recursive=True)


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


def test_a_remote_lake_writes_reads_and_globs_its_parts(memory_lake: Lake):
    assert lake.table_files(memory_lake, "articles") == [] and lake.article_ids(memory_lake) == set()
    written = lake.write_part(memory_lake, "articles", [_article("a1", "https://feed#1"), _article("a2")], "r1", "ingest")
    lake.write_part(memory_lake, "articles", [_article("a3")], "r2", "ingest")
    folder = memory_lake.fs.unstrip_protocol(memory_lake.table_path("articles"))
    assert written.startswith(f"{folder}/ingest_date=") and written.endswith("/r1-ingest.parquet")
    assert len(lake.table_files(memory_lake, "articles")) == 2
    assert lake.article_ids(memory_lake) == {"a1", "a2", "a3"}
    assert lake.origins_with_prefix(memory_lake, "https://feed#") == {"https://feed#1"}
    assert [a.article_id for a in lake.read_articles(memory_lake, ["a3", "missing", "a1"])] == ["a3", "a1"]
    assert lake.table_glob(memory_lake, "articles") == f"{folder}/ingest_date=*/*.parquet"
    assert lake.write_part(memory_lake, "articles", [], "r3", "ingest") is None


def test_a_lake_crosses_processes_as_its_location_not_an_open_filesystem(memory_lake: Lake):
    assert memory_lake.fs is not None  # opened in this process
    copy = pickle.loads(pickle.dumps(Lake.at("s3://bucket/lake", {"endpoint_url": "http://127.0.0.1:9"})))
    assert copy == Lake.at("s3://bucket/lake") and copy.options == {"endpoint_url": "http://127.0.0.1:9"}
    assert "_fs_and_root" not in pickle.loads(pickle.dumps(memory_lake)).__dict__


def test_an_unknown_protocol_is_a_clear_error():
    with pytest.raises(LakeError, match="nosuchfs://bucket"):
        lake.table_files(Lake.at("nosuchfs://bucket/lake"), "articles")


def test_the_build_reads_a_remote_lake_and_later_connections_find_it_from_the_views(tmp_path: Path, settings,
                                                                                     memory_lake: Lake):
    lake.write_part(memory_lake, "articles", [_article("a1")], "r", "0")
    result = build(tmp_path, settings.sql_dir, settings.seeds_dir, memory_lake)
    assert not result.failed_tests
    assert not (tmp_path / "lake").exists()  # nothing written to the warehouse's default lake
    # No lake given: the connection registers the filesystem the lake views name.
    with connect(tmp_path, read_only=True) as con:
        assert con.execute("select article_id from staging.stg_articles").fetchall() == [("a1",)]
    with duckdb.connect(str(tmp_path / "newsflow.duckdb"), read_only=True) as con:
        view = con.execute("select sql from duckdb_views() where schema_name = 'lake' and view_name = 'articles'")
        assert f"'{memory_lake.fs.unstrip_protocol(memory_lake.table_path('articles'))}/" in view.fetchone()[0]


def test_a_warehouse_whose_lake_cannot_be_opened_here_says_so_and_can_be_rebuilt(tmp_path: Path, settings, memory_lake: Lake,
                                                             monkeypatch):
    lake.write_part(memory_lake, "articles", [_article("a1")], "r", "0")
    build(tmp_path, settings.sql_dir, settings.seeds_dir, memory_lake)

    def missing(protocol: str, **options: object) -> None:
        raise ImportError(f"Install {protocol}fs to access {protocol}")

    monkeypatch.setattr(fsspec, "filesystem", missing)
    with pytest.raises(BuildError, match="memory://, which cannot be opened here: Install memoryfs"):
        connect(tmp_path, read_only=True)
    # A build onto another lake replaces those views without opening the old lake.
    assert not build(tmp_path, settings.sql_dir, settings.seeds_dir, Lake.of_warehouse(tmp_path)).failed_tests
    with connect(tmp_path, read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_articles").fetchone() == (0,)


def test_ingest_commits_are_bounded_and_deduplicated_against_the_lake(tmp_path: Path):
    from flows.pipeline import ArticleCommits
    from transforms.lake import known_article_ids, pending_article_ids, table_files, write_part

    the_lake = Lake.at(tmp_path / "lake")
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    write_part(the_lake, "articles", [{"article_id": "a0", "title": "t", "body": "b"}], "r0", "ingest", now)
    commits = ArticleCommits(the_lake, "r1", now, size=2)
    for article_id in ["a0", "a1", "a2", "a1", "a3", "a4", "a5", "a6"]:
        commits.add({"article_id": article_id, "title": "t", "body": "b"})
    # r0's part and r1's three full commits ([a0, a1] less a0, [a2, a3], [a4, a5]), written while adding.
    assert len(table_files(the_lake, "articles")) == 4
    commits.flush()  # a6
    assert (commits.new, commits.duplicates) == (6, 2)  # a0 is in the lake, a1 came twice
    assert len(table_files(the_lake, "articles")) == 5
    assert known_article_ids(the_lake, ["a3", "zz"]) == {"a3"}
    write_part(the_lake, "extractions", [{"article_id": "a2", "extractor_version": "v1"},
                                         {"article_id": "a3", "extractor_version": "v0"}], "r1", "b0", now)
    assert pending_article_ids(the_lake, "v1") == ["a0", "a1", "a3", "a4", "a5", "a6"]
