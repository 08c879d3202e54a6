from pathlib import Path

import pytest

from transforms.lake import Lake, write_part
from transforms.warehouse import (
    BuildError,
    build,
    connect,
    load_models,
    referenced_tables,
)


def test_references_exclude_ctes():
    sql = "with a as (select * from staging.stg_x), b as (select * from a join seeds.countries using (k)) select * from b"
    assert referenced_tables(sql) == {"staging.stg_x", "seeds.countries"}


def test_model_order_follows_references(tmp_path: Path):
    (tmp_path / "staging").mkdir()
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "b_mart.sql").write_text("select * from marts.c_mart")
    (tmp_path / "marts" / "c_mart.sql").write_text("select * from staging.stg_a")
    (tmp_path / "staging" / "stg_a.sql").write_text("select 1 as x")
    assert [m.qualified for m in load_models(tmp_path)] == ["staging.stg_a", "marts.c_mart", "marts.b_mart"]


def test_cycle_is_a_clear_error(tmp_path: Path):
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "a.sql").write_text("select * from marts.b")
    (tmp_path / "marts" / "b.sql").write_text("select * from marts.a")
    with pytest.raises(BuildError, match="cycle"):
        load_models(tmp_path)


def test_project_models_build_on_an_empty_lake_and_a_failing_data_test_fails_the_build(tmp_path: Path, settings):
    result = build(tmp_path, settings.sql_dir, settings.seeds_dir)
    assert "marts.country_pair_cooperation" in result.models and not result.failed_tests
    assert result.marts["country_pair_cooperation"] == 0
    # A relation with its pair in the wrong order must be caught by the data tests.
    write_part(Lake.of_warehouse(tmp_path), "articles", [{"article_id": "a1", "title": "T", "body": "B", "run_id": "r"}], "r", "0")
    bad = {"article_id": "a1", "relation_id": "x", "sentence_idx": 0, "start": 0, "end": 1, "country_a": "USA",
           "country_b": "JPN", "polarity": "conflict", "relation_type": "ACCUSE", "quad_class": 3, "confidence": 0.9,
           "run_id": "r"}
    write_part(Lake.of_warehouse(tmp_path), "relations", [bad], "r", "0")
    write_part(Lake.of_warehouse(tmp_path), "extractions", [{"article_id": "a1", "extractor_version": "v", "run_id": "r"}], "r", "0")
    with pytest.raises(BuildError, match="relations_pair_ordered"):
        build(tmp_path, settings.sql_dir, settings.seeds_dir)


def test_lake_written_by_an_older_version_is_still_read(tmp_path: Path, settings):
    from datetime import datetime, timezone

    import pyarrow as pa
    from deltalake import write_deltalake

    from transforms.schemas import ENTITIES

    the_lake = Lake.of_warehouse(tmp_path)
    article = {"article_id": "a1", "title": "T", "body": "Japan.", "run_id": "r", "ingested_at": datetime.now(timezone.utc)}
    write_part(the_lake, "articles", [article], "r", "0")
    write_part(the_lake, "extractions", [{"article_id": "a1", "extractor_version": "old", "run_id": "r"}], "r", "0")
    # An entities commit from before `is_location` existed, then one with it: the schema evolves by merge.
    old_schema = pa.schema([f for f in ENTITIES if f.name != "is_location"])
    row = {"article_id": "a1", "entity_id": "e1", "sentence_idx": 1, "start": 3, "end": 8, "text": "Japan",
           "label": "GPE", "country_code": "JPN", "canonical_name": "Japan", "extractor_version": "old", "run_id": "r"}
    write_deltalake(the_lake.table_uri("entities"), pa.Table.from_pylist([row], schema=old_schema), mode="append")
    write_part(the_lake, "entities", [{**row, "entity_id": "e2", "is_location": True, "run_id": "r2"}], "r2", "0")
    result = build(tmp_path, settings.sql_dir, settings.seeds_dir)
    assert result.versions == {"old": 1}
    with connect(tmp_path, read_only=True) as con:
        assert con.execute("select entity_id, is_location from lake.entities order by 1").fetchall() == [
            ("e1", None), ("e2", True)]
        assert con.execute("select text, is_location from staging.stg_entities").fetchall() == [("Japan", None)]


def test_a_process_holding_the_database_is_named(tmp_path: Path, settings):
    import subprocess
    import sys

    build(tmp_path, settings.sql_dir, settings.seeds_dir)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "time.sleep(60)", str(tmp_path / "newsflow.duckdb")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(BuildError, match=r"held by another process.*PID"):
            connect(tmp_path, attempts=2, wait_seconds=0.05)
    finally:
        holder.kill()
        holder.wait()


def test_a_hostile_warehouse_path_is_quoted_not_pasted(tmp_path: Path, settings):
    from datetime import datetime, timezone

    warehouse = tmp_path / "o'brien'); drop schema staging cascade; --"
    article = {"article_id": "a1", "title": "T", "body": "B", "run_id": "r", "ingested_at": datetime.now(timezone.utc)}
    write_part(Lake.of_warehouse(warehouse), "articles", [article], "r", "0")
    build(warehouse, settings.sql_dir, settings.seeds_dir)
    with connect(warehouse, read_only=True) as con:
        assert con.execute("select article_id from staging.stg_articles").fetchall() == [("a1",)]


def _quote_speakers(rows: list[tuple]) -> dict[str, tuple]:
    """marts.quote_speakers over stg_quotes rows (quote, article, speaker id, name, country, basis, sector)."""
    import duckdb

    con = duckdb.connect()
    con.execute("create schema staging; create schema marts")
    con.execute("create table staging.stg_quotes (quote_id varchar, article_id varchar, speaker_id varchar, "
                "speaker_name varchar, speaker_country varchar, speaker_country_basis varchar, speaker_sector varchar)")
    con.executemany("insert into staging.stg_quotes values (?, ?, ?, ?, ?, ?, ?)",
                    [row + (None,) * (7 - len(row)) for row in rows])
    sql = (Path(__file__).parent.parent / "sql" / "marts" / "quote_speakers.sql").read_text()
    found = con.execute(f"select quote_id, speaker_id, speaker_country, speaker_country_basis, speaker_sector "
                        f"from ({sql})").fetchall()
    return {row[0]: row[1:] for row in found}


def test_a_surname_alone_joins_the_one_person_of_that_surname():
    rows = [("q1", "a1", "id-dt", "Donald Trump"), ("q2", "a2", "id-t", "Trump"), ("q3", "a3", "id-hc", "Hillary Clinton"),
            ("q4", "a3", "id-bc", "Bill Clinton"), ("q5", "a4", "id-c", "Clinton"), ("q6", "a5", "id-et", "Eric Trump")]
    rows += [(f"d{n}", "a1", "id-dt", "Donald Trump") for n in range(5)]
    resolved = {key: value[0] for key, value in _quote_speakers(rows).items()}
    # Donald Trump has six quotes to Eric Trump's one: "Trump" alone is him; the Clintons are one each.
    assert {k: v for k, v in resolved.items() if k.startswith("q")} == {
        "q1": "id-dt", "q2": "id-dt", "q3": "id-hc", "q4": "id-bc", "q5": "id-c", "q6": "id-et"}


def test_a_speakers_country_comes_from_their_other_quotes_when_the_mention_does_not_show_it():
    rows = [("q1", "a1", "id-o", "Barack Obama", "USA", "dictionary", "GOV"),
            ("q2", "a2", "id-o", "Barack Obama", "FRA", "context"),  # quoted in a story about France
            ("q3", "a3", "id-o", "Barack Obama"),  # in a story of no one country
            ("q4", "a4", "id-w", "Jane Warren", "USA", "context"), ("q5", "a5", "id-w", "Jane Warren"),
            ("q6", "a6", "id-n", "Nobody Known"),
            ("q7", "a7", "id-o", "Barack Obama", "KEN", "role", "ELI"),  # the mention itself says otherwise
            ("q8", "a8", "id-o", "Barack Obama", "USA", "dictionary", "GOV")]
    assert _quote_speakers(rows) == {
        "q1": ("id-o", "USA", "dictionary", "GOV"), "q2": ("id-o", "USA", "context", "GOV"),
        "q3": ("id-o", "USA", "context", "GOV"), "q4": ("id-w", "USA", "context", None),
        "q5": ("id-w", "USA", "context", None), "q6": ("id-n", None, None, None),
        "q7": ("id-o", "KEN", "role", "ELI"), "q8": ("id-o", "USA", "dictionary", "GOV")}
