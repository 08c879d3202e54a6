"""Fetching feeds and pages over HTTP: bounded in time, size and redirects, http/https only.

A ``fetch-source`` task fetches one source and writes what it found as a JSONL file of raw articles under
``<warehouse>/.fetched/<run_id>/``, which the ingest task then reads like any other file (normalising,
deduplicating, rejecting). Failures that may pass (timeouts, refused connections, 5xx, 429) raise
``TransientFetchError`` and Prefect retries the task with exponential backoff; others (404, too large, not
HTML, redirect loops) become rejects with the URL and reason straight away.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from flows.addresses import AddressPolicy, BlockedAddress, GuardedTransport
from flows.settings import Settings
from transforms import lake
from flows.parsing import BoundedParser, parse_feed, parse_page
from transforms.pages import entry_article, is_full_text, looks_like_feed
from transforms.readers import EXCERPT_CHARS, RawArticle, Reject
from transforms.sources import Source

FETCHED_DIR = ".fetched"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """A fetch that failed for good: ``reason`` is the reject code."""

    def __init__(self, url: str, reason: str, detail: str) -> None:
        super().__init__(f"{url}: {reason}: {detail}")
        self.url, self.reason, self.detail = url, reason, detail


class TransientFetchError(FetchError):
    """A fetch that may succeed if tried again later."""


@dataclass
class Fetched:
    """A response body read within the limits."""

    url: str
    content_type: str
    data: bytes


def http_client(settings: Settings, policy: AddressPolicy) -> httpx.Client:
    """An HTTP client with newsflow's user agent, timeouts and redirect limit, connecting only where
    ``policy`` allows (every connection: the first request's and each redirect's)."""
    return httpx.Client(follow_redirects=True, max_redirects=settings.fetch_max_redirects,
                        timeout=httpx.Timeout(settings.fetch_timeout), transport=GuardedTransport(policy),
                        headers={"User-Agent": settings.user_agent, "Accept": "*/*"})


def fetch(client: httpx.Client, url: str, settings: Settings) -> Fetched:
    """GET ``url``; raises ``FetchError`` (or ``TransientFetchError``) instead of returning a bad response."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(url, "bad_scheme", "only http and https URLs are fetched")
    deadline = time.monotonic() + settings.fetch_timeout
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                error = TransientFetchError if response.status_code >= 500 or response.status_code == 429 else FetchError
                raise error(url, f"http_{response.status_code}", response.reason_phrase or "HTTP error")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.fetch_max_bytes:
                raise FetchError(url, "too_large", f"{declared} bytes, limit {settings.fetch_max_bytes}")
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > settings.fetch_max_bytes:
                    raise FetchError(url, "too_large", f"more than {settings.fetch_max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise TransientFetchError(url, "timeout", f"not complete after {settings.fetch_timeout:g} s")
                chunks.append(chunk)
            return Fetched(str(response.url), response.headers.get("content-type", "").lower(), b"".join(chunks))
    except BlockedAddress as error:
        raise FetchError(url, "blocked_address", str(error)) from error
    except httpx.TooManyRedirects as error:
        raise FetchError(url, "redirect_loop", f"more than {settings.fetch_max_redirects} redirects") from error
    except httpx.TimeoutException as error:
        raise TransientFetchError(url, "timeout", f"no answer within {settings.fetch_timeout:g} s") from error
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        raise FetchError(url, "bad_url", str(error)) from error
    except httpx.TransportError as error:
        raise TransientFetchError(url, "connection_failed", str(error) or type(error).__name__) from error


def fetch_with_backoff(client: httpx.Client, url: str, settings: Settings) -> Fetched:
    """``fetch`` retried on transient failures with the task's backoff (for the pages a feed links to: one
    slow page should not make the whole feed's task start over)."""
    for attempt in range(settings.fetch_retries + 1):
        try:
            return fetch(client, url, settings)
        except TransientFetchError:
            if attempt == settings.fetch_retries:
                raise
            time.sleep(settings.fetch_backoff * 2 ** attempt)
    raise AssertionError("unreachable")


def _read_local(location: str) -> Fetched:
    path = Path(location)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FetchError(location, "unreadable", error.strerror or str(error)) from error
    kind = "text/html" if path.suffix.lower() in (".html", ".htm") else "application/xml"
    return Fetched(location, kind, data)


def _record(raw: RawArticle) -> dict:
    return {"origin": raw.origin, "id": raw.external_id, "title": raw.title, "body": raw.body,
            "published_at": raw.published, "url": raw.url, "source": raw.source}


def _page(parse: BoundedParser, fetched: Fetched, source_name: str, external_id: str | None = None,
          origin: str | None = None, published: str | None = None) -> RawArticle | Reject:
    if not any(kind in fetched.content_type for kind in HTML_TYPES) and not fetched.data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return Reject(origin or fetched.url, "not_html", f"content type {fetched.content_type or 'unknown'}",
                      fetched.data[:EXCERPT_CHARS].decode("utf-8", "replace"))
    result = parse_page(parse, fetched.data, fetched.url, source_name, external_id, origin)
    if isinstance(result, RawArticle) and not result.published and published:
        result.published = published
    return result


@dataclass
class Collected:
    """What one remote source gave: raw articles, rejects, feed entries already known, and why the source
    itself failed (None when it did not)."""

    articles: list[RawArticle]
    rejects: list[Reject]
    known_entries: int = 0
    error: str | None = None


def source_policy(source: Source, settings: Settings) -> AddressPolicy:
    """Where one source's fetches may connect: its own host anywhere (the user named it), then public
    addresses, the allowed networks and the class of address the source was on."""
    location = urlsplit(source.location)
    trusted = location.hostname if location.scheme in ("http", "https") else None
    return AddressPolicy(settings.allowed_networks, trusted_host=trusted)


def collect(source: Source, client: httpx.Client, settings: Settings, known_origins: set[str],
            policy: AddressPolicy, parse: BoundedParser) -> Collected:
    """Fetch and read one remote source (a feed and the pages its entries link to, or one page); ``client``
    connects through ``policy``, which stops trusting the source's host once the source itself is read;
    documents are parsed by ``parse``, within its time limit.

    Raises ``TransientFetchError`` when the source itself could not be fetched for a passing reason.
    """
    name = source.name or urlsplit(source.location).netloc or Path(source.location).stem
    is_local = urlsplit(source.location).scheme not in ("http", "https")
    try:
        top = _read_local(source.location) if is_local else fetch(client, source.location, settings)
    except TransientFetchError:
        raise
    except FetchError as error:
        return Collected([], [Reject(error.url, error.reason, error.detail)], error=f"{error.reason}: {error.detail}")
    finally:
        policy.seal()
    if source.kind == "feed" or (source.kind == "url" and looks_like_feed(top.data, top.content_type)):
        entries, problem = parse_feed(parse, top.data, source.location)
        if problem:
            return Collected([], [problem], error=f"{problem.reason}: {problem.detail}")
        articles, rejects, known = [], [], 0
        for entry in entries:
            origin = f"{source.location}#{entry.entry_id}"
            if origin in known_origins:
                known += 1  # already an article: the linked page is not fetched again
                continue
            if is_full_text(entry) or not entry.link or urlsplit(entry.link).scheme not in ("http", "https"):
                articles.append(entry_article(entry, source.location, name))
                continue
            try:
                page = fetch_with_backoff(client, entry.link, settings)
            except FetchError as error:
                rejects.append(Reject(origin, error.reason, f"{error.url}: {error.detail}"))
                continue
            result = _page(parse, page, name, entry.entry_id, origin, entry.published)
            (articles if isinstance(result, RawArticle) else rejects).append(result)
        return Collected(articles, rejects, known)
    result = _page(parse, top, name)
    if isinstance(result, Reject):
        return Collected([], [result], error=f"{result.reason}: {result.detail}")
    return Collected([result], [])


def _is_transient(task: object, task_run: object, state: State) -> bool:
    # Prefect retry condition: retry only what may pass.
    try:
        state.result()
    except TransientFetchError:
        return True
    except Exception:
        return False
    return False


@task(name="fetch-source", cache_policy=NO_CACHE, retry_condition_fn=_is_transient)
def fetch_source(source: Source, warehouse_dir: str, run_id: str, settings: Settings) -> dict:
    """Fetch one feed or page; write its raw articles as a JSONL file for ingest and its rejects to the lake."""
    warehouse = Path(warehouse_dir)
    the_lake = settings.lake_at(warehouse)
    known = lake.origins_with_prefix(the_lake, f"{source.location}#") if source.kind in ("feed", "url") else set()
    policy = source_policy(source, settings)
    with http_client(settings, policy) as client, BoundedParser(settings.parse_timeout) as parse:
        collected = collect(source, client, settings, known, policy, parse)
    articles, rejects = collected.articles, collected.rejects
    now = datetime.now(timezone.utc)
    part = f"fetch-{uuid.uuid4().hex[:8]}"
    lake.write_part(the_lake, "rejects", [reject.row(run_id, now) for reject in rejects], run_id, part)
    path = None
    if articles:
        folder = warehouse / FETCHED_DIR / run_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', source.name or 'source')}-{part}.jsonl"
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            for raw in articles:
                handle.write(json.dumps(_record(raw), ensure_ascii=False, default=str) + "\n")
        os.replace(temporary, path)
    return {"path": str(path) if path else None, "articles": len(articles), "known_entries": collected.known_entries,
            "rejects": len(rejects), "error": collected.error}
