"""The data dictionary is generated from the code and covers every column of the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.docs import model_comments, undocumented, warehouse_docs, write_docs
from transforms.warehouse import connect

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"


def test_model_comments_read_the_final_select():
    sql = """-- Pairs per month.
-- Second line.
with x as (select 1 as a),
final as (
    select
        a, -- the a
        a + 1 as b -- one more than a
    from x
)
select * from final"""
    header, comments = model_comments(sql)
    assert header == "Pairs per month. Second line."
    assert comments == {"a": "the a", "b": "one more than a"}


@pytest.fixture(scope="module")
def docs(seed_warehouse: Path):
    with connect(seed_warehouse, read_only=True) as con:
        return warehouse_docs(con, SQL_DIR)


def test_every_column_of_every_table_has_a_description(docs):
    assert undocumented(docs) == [], "describe these columns (schemas.py, a comment in the model, or docs.SEEDS)"
    assert all(doc.description for doc in docs), [doc.qualified for doc in docs if not doc.description]


def test_dictionary_lists_every_table_with_lineage(docs, seed_warehouse: Path, tmp_path: Path):
    names = {doc.qualified for doc in docs}
    models = {f"{p.parent.name}.{p.stem}" for layer in ("staging", "marts") for p in (SQL_DIR / layer).glob("*.sql")}
    assert models <= names
    assert {"lake.articles", "lake.relations", "seeds.countries", "seeds.relation_cues"} <= names
    speakers = next(doc for doc in docs if doc.qualified == "marts.speakers")
    assert speakers.upstream == ["marts.quote_speakers", "marts.story_members", "staging.stg_quotes"]
    assert [c.type for c in speakers.columns if c.name == "quotes"] == ["BIGINT"]
    with connect(seed_warehouse, read_only=True) as con:
        markdown_path, html_path = write_docs(con, tmp_path, SQL_DIR)
    text = markdown_path.read_text()
    assert "### `marts.pair_quotes`" in text and "    - `lake.quotes`" in text
    assert "<table>" in html_path.read_text()
