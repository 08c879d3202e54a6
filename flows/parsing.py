"""Parsing untrusted pages and feeds in a child process with a time limit.

Size limits bound what a hostile document can be, but not how long a parser takes on it: trafilatura spends
minutes on some small pages (a paragraph of 20,000 links: 35 s; one element with 200,000 attributes: 10
minutes). A thread cannot be stopped, a process can: each document is parsed in one long-lived child process,
and a parse that takes longer than ``NEWSFLOW_PARSE_TIMEOUT`` seconds kills the child (a new one starts for the
next document) and becomes a ``parse_timeout`` reject.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections.abc import Callable
from typing import Any, TypeVar

from transforms.pages import MAX_DOCUMENT_CHARS, FeedEntry, UnsafeFeed, feed_entries, page_article
from transforms.readers import EXCERPT_CHARS, RawArticle, Reject

Result = TypeVar("Result")


class ParseTimeout(Exception):
    """A parse that did not finish within the time limit (its process was killed)."""


class BoundedParser:
    """Runs parsing functions (importable, with picklable arguments and results) in a child process, one at a
    time, each within ``timeout`` seconds. The child starts on first use; use as a context manager."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._pool: multiprocessing.pool.Pool | None = None

    def __call__(self, function: Callable[..., Result], *args: Any) -> Result:
        """``function(*args)`` in the child; its exceptions are raised here; ``ParseTimeout`` after the limit."""
        if self._pool is None:
            # spawn, not fork: the parent may hold threads (Prefect's) and locks a forked child would inherit.
            self._pool = multiprocessing.get_context("spawn").Pool(1)
        pending = self._pool.apply_async(function, args)
        try:
            return pending.get(self.timeout)
        except multiprocessing.TimeoutError as error:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            raise ParseTimeout(f"not parsed within {self.timeout:g} s") from error

    def close(self) -> None:
        """Stop the child process."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> BoundedParser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def parse_page(parse: BoundedParser, data: bytes | str, url: str, source: str, external_id: str | None = None,
               origin: str | None = None) -> RawArticle | Reject:
    """``pages.page_article`` within the time limit: a page that takes longer is a ``parse_timeout`` reject."""
    try:
        return parse(page_article, data, url, source, external_id, origin)
    except ParseTimeout as error:
        excerpt = data[:EXCERPT_CHARS] if isinstance(data, str) else data[:EXCERPT_CHARS].decode("utf-8", "replace")
        return Reject(origin or url, "parse_timeout", str(error), excerpt)


def parse_feed(parse: BoundedParser, data: bytes, feed_url: str) -> tuple[list[FeedEntry], Reject | None]:
    """``pages.feed_entries`` within the time limit: the entries, or why the document gives none (a reject:
    ``not_a_feed``, ``too_large``, ``unsafe_xml`` for declared entities, ``parse_timeout``)."""
    excerpt = data[:EXCERPT_CHARS].decode("utf-8", "replace")
    if len(data) > MAX_DOCUMENT_CHARS:
        return [], Reject(feed_url, "too_large", f"{len(data)} bytes, limit {MAX_DOCUMENT_CHARS}", excerpt)
    try:
        entries, problem = parse(feed_entries, data, feed_url)
    except UnsafeFeed as error:
        return [], Reject(feed_url, "unsafe_xml", str(error), excerpt)
    except ParseTimeout as error:
        return [], Reject(feed_url, "parse_timeout", str(error), excerpt)
    return entries, Reject(feed_url, "not_a_feed", problem, excerpt) if problem else None
