from datetime import datetime, timezone

from hypothesis import given
from hypothesis import strategies as st

from transforms.normalise import (
    article_id,
    clean_text,
    is_boilerplate,
    normalise_body,
    normalise_title,
    parse_published,
    split_paragraphs,
)


def test_credit_line_with_cyrillic_lookalike_is_boilerplate():
    # "Photо" with a Cyrillic o, as in the seed article.
    assert is_boilerplate("Phot\u043e: 24.kz")
    assert normalise_body("First paragraph.\n\nPhot\u043e: 24.kz") == "First paragraph."


def test_ordinary_sentences_are_not_boilerplate():
    assert not is_boilerplate("Sources close to the talks said the deal was near.")
    assert not is_boilerplate("Photographers gathered outside the ministry.")


def test_wire_paragraphs_and_hard_wraps():
    body = "SALVADOR, Feb 26 - Showers continued\nthroughout the week.\n    The dry period means\nlate crops.\nReuter\n\x03"
    assert split_paragraphs(body)[:2] == ["SALVADOR, Feb 26 - Showers continued throughout the week.", "The dry period means late crops."]
    assert normalise_body(body) == "SALVADOR, Feb 26 - Showers continued throughout the week.\n\nThe dry period means late crops."


def test_invisible_and_control_characters_removed_and_nfc():
    assert clean_text("Cafe\u0301\u200b\x07") == "Café "
    assert normalise_title("  Two\nlines\t title ") == "Two lines title"


def test_article_id_is_content_hash_of_normalised_text():
    assert article_id("T", "Body.") == article_id(normalise_title(" T "), normalise_body("Body.\r\n"))
    assert article_id("T", "Body.") != article_id("T", "Body!")


def test_dates_to_utc_and_nonsense_to_none():
    assert parse_published("26-FEB-1987 15:01:01.79") == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=timezone.utc)
    assert parse_published("2020-05-01T12:00:00+02:00") == datetime(2020, 5, 1, 10, 0, tzinfo=timezone.utc)
    assert parse_published("Tue, 10 Jun 2003 04:00:00 GMT") == datetime(2003, 6, 10, 4, 0, tzinfo=timezone.utc)
    assert parse_published("not a date") is None
    assert parse_published("31/31/2020") is None
    assert parse_published("") is None


@given(st.text())
def test_normalisation_is_idempotent(text):
    once = normalise_body(text)
    assert normalise_body(once) == once


@given(st.text())
def test_date_parser_never_raises(text):
    result = parse_published(text)
    assert result is None or result.tzinfo is not None


def test_a_dateline_with_the_agency_name_is_a_dateline():
    from transforms.normalise import DATELINE

    assert DATELINE.match("BRUSSELS, March 27, Reuter - Greece and Turkey's NATO allies called")
    assert DATELINE.match("TAUPO, New Zealand, March 23, Reuter - Debt among African countries")
    assert DATELINE.match("SALVADOR, Feb 26 - Showers continued")
    assert not DATELINE.match("Greece and Turkey, March 27 talks - a preview")
