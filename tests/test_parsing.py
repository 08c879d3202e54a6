"""The time-bounded parser process: results and errors come back; a parse past the limit is stopped."""

from __future__ import annotations

import time

import pytest

from flows.parsing import BoundedParser, ParseTimeout, parse_page


def test_results_errors_and_a_stopped_parse():
    with BoundedParser(timeout=5) as parse:
        assert parse(sorted, [3, 1, 2]) == [1, 2, 3]
        with pytest.raises(ZeroDivisionError):
            parse(divmod, 1, 0)
        parse.timeout = 0.5
        with pytest.raises(ParseTimeout, match="not parsed within 0.5 s"):
            parse(time.sleep, 30)
        parse.timeout = 5
        assert parse(sorted, "cba") == ["a", "b", "c"]  # a new process took over


def test_a_page_past_the_limit_is_a_reject():
    with BoundedParser(timeout=0.5) as parse:
        page = "<html><body><article><p>" + "<a href='/x'>link</a> " * 20_000 + "</p></article></body></html>"
        reject = parse_page(parse, page, "https://e.org/links", "e", None, "https://e.org/feed#1")
    assert reject.reason == "parse_timeout" and reject.origin == "https://e.org/feed#1"


def test_a_feed_beyond_the_size_limit_is_too_large(monkeypatch):
    from flows import parsing

    monkeypatch.setattr(parsing, "MAX_DOCUMENT_CHARS", 50)
    with BoundedParser(timeout=5) as parse:
        entries, reject = parsing.parse_feed(parse, b"<rss>" + b" " * 100 + b"</rss>", "https://e.org/rss")
    assert entries == [] and reject.reason == "too_large"
