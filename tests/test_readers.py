import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.readers import RawArticle, Reject, read_sources, to_article_row

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _read(*paths: Path) -> tuple[list[RawArticle], list[Reject]]:
    items = list(read_sources(paths))
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, Reject)]


def test_text_file_title_body(tmp_path):
    (tmp_path / "a.txt").write_text("Title here\n\nFirst paragraph.\n\nPhoto: agency\n", encoding="utf-8")
    articles, rejects = _read(tmp_path)
    assert rejects == []
    assert articles[0].title == "Title here" and articles[0].external_id == "a"
    row = to_article_row(articles[0], "run", NOW)
    assert row["body"] == "First paragraph." and row["word_count"] == 4


def test_json_object_array_and_jsonl_with_broken_records(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": 1, "title": "T1", "body": "B1", "date": "2020-01-02"}))
    (tmp_path / "many.json").write_text(json.dumps([{"id": "a", "title": "T2", "body": "B2", "extra": 1}, "oops"]))
    (tmp_path / "lines.jsonl").write_text('{"id": "x", "title": "T3", "body": "B3", "published_at": "1987-02-26"}\n{"id": "y", "title": "T4"\n')
    articles, rejects = _read(tmp_path)
    assert sorted(a.title for a in articles) == ["T1", "T2", "T3"]
    assert sorted(r.reason for r in rejects) == ["invalid_json", "not_an_object"]
    assert {a.external_id for a in articles} == {"1", "a", "x"}
    dated = to_article_row(next(a for a in articles if a.title == "T3"), "run", NOW)
    assert dated["published_at"] == datetime(1987, 2, 26, tzinfo=timezone.utc)


def test_unreadable_input_is_rejected_not_raised(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "notes.csv").write_text("a,b")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\n\nA body with \xe9l\xe8ve text.".encode("latin-1"))
    articles, rejects = _read(tmp_path, tmp_path / "missing.jsonl")
    assert sorted(r.reason for r in rejects) == ["binary", "empty_file", "missing_source", "unsupported_type"]
    assert articles[0].title.startswith("Caf")


def test_missing_body_is_rejected_with_reason():
    result = to_article_row(RawArticle("o", "1", "Title", "   "), "run", NOW)
    assert isinstance(result, Reject) and result.reason == "empty_body"



@pytest.mark.parametrize("body, title, rest", [
    # A wire brief: the headline is the first line.
    ("FEDERAL RESERVE WEEKLY REPORT - FEB 26\n\nNet free reserves were 644 mln dlrs.",
     "FEDERAL RESERVE WEEKLY REPORT - FEB 26", "Net free reserves were 644 mln dlrs."),
    # One paragraph: its first sentence.
    ("Kazakhstan and Armenia signed a transport pact. The deal covers rail freight.",
     "Kazakhstan and Armenia signed a transport pact.", "The deal covers rail freight."),
    # Nothing would remain: the first words, marked, and the body whole.
    ("Markets were closed on Monday for the holiday and will reopen on Tuesday morning at nine o'clock sharp",
     "Markets were closed on Monday for the holiday and will reopen on Tuesday…",
     "Markets were closed on Monday for the holiday and will reopen on Tuesday morning at nine o'clock sharp"),
    ("Oil rose.", "Oil rose.", "Oil rose."),
])
def test_a_record_without_a_title_is_an_article(body: str, title: str, rest: str):
    row = to_article_row(RawArticle("o", "1", "", body), "run", NOW)
    assert not isinstance(row, Reject)
    assert (row["title"], row["body"], row["is_title_derived"]) == (title, rest, True)
    titled = to_article_row(RawArticle("o", "1", "A title", body), "run", NOW)
    assert titled["is_title_derived"] is False and titled["title"] == "A title"


@given(st.binary(max_size=300))
def test_any_bytes_never_crash_the_readers(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    for suffix in (".txt", ".json", ".jsonl"):
        (folder / f"f{suffix}").write_bytes(data)
    for item in read_sources([folder]):
        assert isinstance(item, (RawArticle, Reject))
        if isinstance(item, RawArticle):
            row = to_article_row(item, "run", NOW)
            assert isinstance(row, (dict, Reject))


def test_oversized_article_is_rejected():
    raw = RawArticle("big.txt", "big", "Title", "word " * 1_000)
    result = to_article_row(raw, "run", NOW, max_chars=2_000)
    assert isinstance(result, Reject) and result.reason == "too_large"
    assert isinstance(to_article_row(raw, "run", NOW, max_chars=10_000), dict)


def test_links_out_of_the_source_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret title\n\nSecret body.")
    source = tmp_path / "source"
    source.mkdir()
    (source / "ok.txt").write_text("Title\n\nBody.")
    (source / "link.txt").symlink_to(outside / "secret.txt")
    (source / "folder").symlink_to(outside, target_is_directory=True)
    articles, rejects = _read(source)
    assert [a.title for a in articles] == ["Title"]
    assert {r.reason for r in rejects} == {"outside_source"}


def test_html_where_text_was_expected_is_rejected():
    page = "<!DOCTYPE html><html><body><p>Hello</p></body></html>"
    result = to_article_row(RawArticle("page.txt", "page", "Title", page), "run", NOW)
    assert isinstance(result, Reject) and result.reason == "html"
    prose = "Prices rose 3 <b>percent</b> on Monday, traders said, in thin trading before the holiday."
    assert isinstance(to_article_row(RawArticle("o", "1", "Title", prose), "run", NOW), dict)
    # Wire copy puts company names in angle brackets: that is text, not markup.
    wire = "<Associates Corp> is issuing a bond, <IBJ Ltd> said. <A B> <C D> <E F> <G H> <I J> <K L> <M N>."
    assert isinstance(to_article_row(RawArticle("o", "1", "Title", wire), "run", NOW), dict)


def test_hostile_text_survives_normalisation():
    body = "\u202eRight-to-left\u202c text, zero\u200bwidth, emoji 🚀, control\x07 and " + "word " * 20_000
    row = to_article_row(RawArticle("o", "1", "T\u200d", body), "run", NOW)
    assert isinstance(row, dict) and "\u200b" not in row["body"] and "\x07" not in row["body"]


def test_json_array_with_a_syntactically_broken_record_keeps_the_others(tmp_path):
    (tmp_path / "batch.json").write_text(
        '[\n {"id": "1", "title": "One", "body": "First."},\n {"id": "2", "title": "Two", "body": "Sec\n'
        ' {"id": "3", "title": "Three", "body": "Third."}\n]')
    articles, rejects = _read(tmp_path)
    assert [a.title for a in articles] == ["One", "Three"]
    assert [r.reason for r in rejects] == ["invalid_json"]


def test_same_text_through_another_file_and_format_is_one_article(tmp_path):
    (tmp_path / "a.txt").write_text("Same Title\n\nSame   body,\nwrapped.\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x", "title": "Same Title", "body": "Same body, wrapped."}) + "\n")
    articles, _ = _read(tmp_path)
    ids = {to_article_row(a, "run", NOW)["article_id"] for a in articles}
    assert len(articles) == 2 and len(ids) == 1


def test_a_50_megabyte_file_is_rejected_without_normalising_it(tmp_path):
    (tmp_path / "huge.txt").write_bytes(b"Huge\n\n" + b"lorem ipsum " * 4_400_000)
    articles, rejects = _read(tmp_path)
    result = to_article_row(articles[0], "run", NOW)
    assert rejects == [] and isinstance(result, Reject) and result.reason == "too_large"


def test_html_pages_are_read_and_files_being_written_are_pending(tmp_path: Path):
    from transforms.readers import Pending, iter_source_files

    (tmp_path / "story.html").write_text(
        "<html><head><title>Peru and Chile open a crossing</title></head><body><article>"
        "<h1>Peru and Chile open a crossing</h1><p>Peru and Chile opened a new border crossing on Friday.</p>"
        "<p>Trade officials from both countries attended.</p></article></body></html>", encoding="utf-8")
    (tmp_path / "next.jsonl.part").write_text('{"title": "half', encoding="utf-8")
    (tmp_path / "draft.txt~").write_text("x", encoding="utf-8")
    listed = list(iter_source_files([tmp_path]))
    assert sorted(p.path.name for p in listed if isinstance(p, Pending)) == ["draft.txt~", "next.jsonl.part"]
    (article,) = [item for item in read_sources([tmp_path]) if isinstance(item, RawArticle)]
    assert article.title == "Peru and Chile open a crossing" and article.external_id == "story"
    assert article.body.startswith("Peru and Chile opened a new border crossing")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_decode(tmp_path: Path, encoding: str):
    import codecs

    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
             "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    text = "Café talks in Yerevan\n\nArmenia and Kazakhstan agreed on rail freight, the ministers said. 日本"
    data = marks.get(encoding, b"") + text.encode(encoding)  # "utf-16"/"utf-32" write their own mark
    (tmp_path / "story.txt").write_bytes(data)
    (tmp_path / "story.json").write_bytes(marks.get(encoding, b"") + json.dumps(
        {"id": "j1", "title": "Café talks", "body": "Rail freight deal."}, ensure_ascii=False).encode(encoding))
    articles, rejects = _read(tmp_path)
    assert rejects == []
    assert sorted(article.title for article in articles) == ["Café talks", "Café talks in Yerevan"]
    assert any(article.body.endswith("日本") for article in articles)


def test_a_truncated_utf16_file_is_undecodable_not_binary(tmp_path: Path):
    import codecs

    (tmp_path / "cut.txt").write_bytes(codecs.BOM_UTF16_LE + "Title\n\nBody".encode("utf-16-le")[:-1])
    _, rejects = _read(tmp_path)
    assert [reject.reason for reject in rejects] == ["undecodable"]


def test_a_file_read_whole_has_a_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from transforms import readers

    monkeypatch.setattr(readers, "MAX_WHOLE_FILE_BYTES", 100)
    (tmp_path / "big.json").write_text(json.dumps({"title": "T", "body": "x" * 200}))
    (tmp_path / "big.jsonl").write_text(json.dumps({"title": "T", "body": "x" * 200}) + "\n")  # streamed
    articles, rejects = _read(tmp_path)
    assert [(Path(r.origin).name, r.reason) for r in rejects] == [("big.json", "too_large")]
    assert len(articles) == 1
