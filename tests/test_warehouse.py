from pathlib import Path

import pytest

from transforms.lake import write_part
from transforms.warehouse import BuildError, build, load_models, referenced_tables


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
    write_part(tmp_path, "articles", [{"article_id": "a1", "title": "T", "body": "B", "run_id": "r"}], "r", "0")
    bad = {"article_id": "a1", "relation_id": "x", "sentence_idx": 0, "start": 0, "end": 1, "country_a": "USA",
           "country_b": "JPN", "polarity": "conflict", "relation_type": "ACCUSE", "quad_class": 3, "confidence": 0.9,
           "run_id": "r"}
    write_part(tmp_path, "relations", [bad], "r", "0")
    write_part(tmp_path, "extractions", [{"article_id": "a1", "extractor_version": "v", "run_id": "r"}], "r", "0")
    with pytest.raises(BuildError, match="relations_pair_ordered"):
        build(tmp_path, settings.sql_dir, settings.seeds_dir)
