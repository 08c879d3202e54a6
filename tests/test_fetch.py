"""Live sources against a local HTTP server on 127.0.0.1: a feed whose entries link to a good page, a slow
page, a 404, a redirect loop, a huge page and a PDF; a page given directly; a feed that is missing."""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from transforms.warehouse import DATABASE_FILE

LONG_TEXT = (
    "Kazakhstan and Armenia agreed on Tuesday to deepen cooperation in transport and energy, the two foreign "
    "ministers said after talks in Astana. The agreement covers rail freight, a joint power line study and "
    "student exchanges between universities in Yerevan and Almaty. Officials from both governments will meet "
    "again in the spring to review progress on the projects, which are financed from both national budgets."
)
STORY = """<!doctype html><html><head><title>Japan and Australia sign a defence pact</title>
<meta property="article:published_time" content="2024-05-02T08:00:00Z"></head><body>
<nav>Home | World | Business</nav><article><h1>Japan and Australia sign a defence pact</h1>
<p>Japan and Australia signed a defence cooperation agreement on Thursday, the two prime ministers said.</p>
<p>"This is a historic step for our two countries," the Australian prime minister told reporters in Tokyo.</p>
<p>The pact allows the two militaries to train together and to share logistics.</p></article>
<footer>Copyright 2024</footer></body></html>"""
STORY2 = STORY.replace("Japan and Australia sign a defence pact", "Chile and Peru open a new border crossing").replace(
    "Japan and Australia signed a defence cooperation agreement on Thursday",
    "Chile and Peru opened a new border crossing on Friday").replace("Australian", "Chilean")


def feed(base: str) -> str:
    def item(guid: str, link: str, description: str, title: str = "") -> str:
        return (f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title or 'Story ' + guid}</title>"
                f"<link>{base}{link}</link>"
                f"<description>{description}</description><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>")

    items = [
        item("a1", "/a1.html", LONG_TEXT),  # full text in the feed: the page is never fetched
        item("a2", "/story.html", "Teaser only."),
        item("a2", "/story.html", "Teaser only."),  # the same entry twice
        item("a3", "/missing.html", "Teaser."),
        item("a4", "/slow.html", "Teaser."),
        item("a5", "/loop.html", "Teaser."),
        item("a6", "/huge.html", "Teaser."),
        item("a7", "/report.pdf", "Teaser."),
        item("a8", "/a8.html", LONG_TEXT, "Story a1"),  # another id, a1's title and text: one article
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Fixture news</title>'
            f"<link>{base}</link><description>fixture</description>{''.join(items)}</channel></rss>")


def hostile_feed(base: str) -> str:
    """Teasers linking to a cloud metadata service, a private address and (by a redirect) the metadata service
    again, beside one good page on the feed's own host."""
    links = {"m1": "http://169.254.169.254/latest/meta-data/", "m2": "http://10.1.2.3/internal",
             "m3": f"{base}/to-metadata", "m4": "http://[::ffff:169.254.169.254]/latest/", "ok": f"{base}/story.html",
             "slow": f"{base}/links.html"}
    items = "".join(f"<item><guid isPermaLink=\"false\">{guid}</guid><title>Story {guid}</title><link>{link}</link>"
                    "<description>Teaser.</description></item>" for guid, link in links.items())
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>{items}</channel></rss>'


# "Billion laughs": ten entities of ten, nine levels deep (10^9 copies of "lol" if expanded).
_LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
ENTITY_BOMB = (f'<?xml version="1.0"?><!DOCTYPE rss [{_LAUGHS}]><rss version="2.0"><channel><title>Bomb</title>'
               "<item><guid>b1</guid><title>&lol9;</title><description>&lol9;</description></item></channel></rss>")


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    hits: Counter


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.server.hits[self.path] += 1
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/feed.xml":
            self._send(200, "application/rss+xml", feed(base).encode())
        elif self.path == "/story.html":
            self._send(200, "text/html; charset=utf-8", STORY.encode())
        elif self.path == "/story2.html":
            self._send(200, "text/html; charset=utf-8", STORY2.encode())
        elif self.path == "/slow.html":
            time.sleep(4)
            self._send(200, "text/html", STORY.encode())
        elif self.path == "/loop.html":
            self._send(302, "text/html", b"", {"Location": "/loop.html"})
        elif self.path == "/huge.html":
            self.send_response(200)  # no Content-Length: the limit must hold while reading
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(10):
                self.wfile.write(chunk)
        elif self.path == "/hostile.xml":
            self._send(200, "application/rss+xml", hostile_feed(base).encode())
        elif self.path == "/bomb.xml":
            self._send(200, "application/rss+xml", ENTITY_BOMB.encode())
        elif self.path == "/links.html":  # small, but trafilatura takes half a minute on it
            self._send(200, "text/html", ("<html><body><article><p>" + "<a href='/x'>link</a> " * 20_000
                                          + "</p></article></body></html>").encode())
        elif self.path == "/to-metadata":
            self._send(302, "text/html", b"", {"Location": "http://169.254.169.254/latest/meta-data/iam/"})
        elif self.path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 not a web page")
        else:
            self._send(404, "text/html", b"<html><body>not found</body></html>")


@pytest.fixture()
def site() -> Iterator[tuple[str, Counter]]:
    server = FixtureServer(("127.0.0.1", 0), Handler)
    server.hits = Counter()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server.hits
    finally:
        server.shutdown()
        server.server_close()


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / DATABASE_FILE), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_feed_pages_and_failures(prefect_harness: None, site: tuple[str, Counter], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch):
    from flows.pipeline import newsflow

    base, hits = site
    monkeypatch.setenv("NEWSFLOW_FETCH_TIMEOUT", "1.5")
    monkeypatch.setenv("NEWSFLOW_FETCH_RETRIES", "1")
    monkeypatch.setenv("NEWSFLOW_FETCH_BACKOFF", "0.1")
    monkeypatch.setenv("NEWSFLOW_FETCH_MAX_BYTES", "200000")
    warehouse = tmp_path / "warehouse"
    sources = [f"{base}/feed.xml", f"{base}/story2.html", f"{base}/gone.xml"]
    summary = newsflow(sources=sources, warehouse_dir=str(warehouse))

    assert summary.status == "succeeded"
    assert summary.sources_failed == [f"{base}/gone.xml"]
    articles = _rows(warehouse, "select external_id, title, source, origin, url, published_at from staging.stg_articles "
                                "order by external_id")
    assert [(a[0], a[1]) for a in articles] == [
        ("a1", "Story a1"),
        ("a2", "Japan and Australia sign a defence pact"),
        (f"{base}/story2.html", "Chile and Peru open a new border crossing"),
    ]
    assert articles[1][3] == f"{base}/feed.xml#a2" and articles[1][4] == f"{base}/story.html"
    assert articles[1][5] is not None and articles[1][5].year == 2024
    assert summary.articles_duplicate == 1  # a8 has a1's text
    rejects = dict(_rows(warehouse, "select origin, reason from staging.stg_rejects"))
    assert rejects == {
        f"{base}/feed.xml#a3": "http_404",
        f"{base}/feed.xml#a4": "timeout",
        f"{base}/feed.xml#a5": "redirect_loop",
        f"{base}/feed.xml#a6": "too_large",
        f"{base}/feed.xml#a7": "not_html",
        f"{base}/gone.xml": "http_404",
    }
    assert hits["/a1.html"] == 0 and hits["/story.html"] == 1
    assert hits["/slow.html"] == 2  # one retry with backoff, then given up
    # The fetched files were only a hand-over to ingest.
    assert not any((warehouse / ".fetched").rglob("*.jsonl"))
    # Extraction ran on the fetched articles like on any other.
    assert _rows(warehouse, "select count(*) from staging.stg_relations where country_a = 'AUS' and country_b = 'JPN'")[0][0] >= 1

    again = newsflow(sources=sources, warehouse_dir=str(warehouse))
    assert again.articles_new == 0
    assert hits["/story.html"] == 1, "a known entry's page is not fetched again"
    assert hits["/feed.xml"] == 2


def test_transient_failure_of_a_source_is_retried_then_reported(prefect_harness: None, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    from flows.pipeline import newsflow

    monkeypatch.setenv("NEWSFLOW_FETCH_RETRIES", "2")
    monkeypatch.setenv("NEWSFLOW_FETCH_BACKOFF", "0.05")
    monkeypatch.setenv("NEWSFLOW_FETCH_TIMEOUT", "2")
    # Nothing listens on this port: connection refused, a failure that may pass, so it is retried.
    from flows.server import free_port

    url = f"http://127.0.0.1:{free_port()}/feed.xml"
    summary = newsflow(sources=[url, str(Path(__file__).parent.parent / "seeds" / "articles")],
                       warehouse_dir=str(tmp_path / "warehouse"))
    assert summary.status == "succeeded" and summary.sources_failed == [url]
    assert summary.articles_new > 0  # the other source still landed
    rejects = _rows(tmp_path / "warehouse", "select origin, reason, detail from staging.stg_rejects")
    assert [(r[0], r[1]) for r in rejects] == [(url, "connection_failed")]
    assert "after 2 retries" in rejects[0][2]


@pytest.fixture()
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connection to an address that is not loopback fails before a packet is sent, and is
    recorded: the test asserts the list stays empty, so a fetch the policy failed to stop shows up here."""
    attempts: list[object] = []
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def is_loopback(address: object) -> bool:
        if isinstance(address, tuple) and address:
            try:
                return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
            except ValueError:
                return False
        return isinstance(address, (str, bytes))  # a Unix socket

    def guarded(sock: socket.socket, address: object) -> None:
        if not is_loopback(address):
            attempts.append(address)
            raise OSError(errno.ENETUNREACH, "the test's socket guard: no traffic beyond loopback")
        return connect(sock, address)

    def guarded_ex(sock: socket.socket, address: object) -> int:
        if not is_loopback(address):
            attempts.append(address)
            return errno.ENETUNREACH
        return connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_ex)
    return attempts


def test_hostile_feeds_links_and_pages_are_rejected(prefect_harness: None, site: tuple[str, Counter],
                                                    socket_guard: list[object], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    """Links to internal addresses are refused before connecting; an entity bomb is not expanded; a page the
    parser would spend half a minute on is stopped."""
    from flows.pipeline import newsflow

    base, hits = site
    monkeypatch.setenv("NEWSFLOW_PARSE_TIMEOUT", "2")
    warehouse = tmp_path / "warehouse"
    summary = newsflow(sources=[f"{base}/hostile.xml", f"{base}/bomb.xml"], warehouse_dir=str(warehouse))

    assert summary.status == "succeeded" and summary.sources_failed == [f"{base}/bomb.xml"]
    assert socket_guard == [], "a connection beyond loopback was attempted"
    rejects = {origin: (reason, detail) for origin, reason, detail in
               _rows(warehouse, "select origin, reason, detail from staging.stg_rejects")}
    assert {origin: reason for origin, (reason, _) in rejects.items()} == {
        f"{base}/hostile.xml#m1": "blocked_address",
        f"{base}/hostile.xml#m2": "blocked_address",
        f"{base}/hostile.xml#m3": "blocked_address",
        f"{base}/hostile.xml#m4": "blocked_address",
        f"{base}/hostile.xml#slow": "parse_timeout",
        f"{base}/bomb.xml": "unsafe_xml",
    }
    assert "169.254.169.254 is a link-local address" in rejects[f"{base}/hostile.xml#m1"][1]
    assert "10.1.2.3 is a private address" in rejects[f"{base}/hostile.xml#m2"][1]
    assert hits["/to-metadata"] == 1  # the redirect came from the feed's own host; its target was refused
    # The good page on the feed's own (loopback) host landed.
    assert _rows(warehouse, "select external_id from staging.stg_articles") == [("ok",)]


def test_allowed_networks_open_an_address_class_to_links(prefect_harness: None, site: tuple[str, Counter],
                                                        socket_guard: list[object], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    from flows.pipeline import newsflow

    base, _ = site
    monkeypatch.setenv("NEWSFLOW_FETCH_ALLOWED_NETWORKS", "10.0.0.0/8")
    monkeypatch.setenv("NEWSFLOW_FETCH_RETRIES", "0")
    warehouse = tmp_path / "warehouse"
    newsflow(sources=[f"{base}/hostile.xml"], warehouse_dir=str(warehouse))
    reasons = dict(_rows(warehouse, "select origin, reason from staging.stg_rejects"))
    # 10.1.2.3 was allowed, so a connection was tried (and stopped by the guard, not by the policy).
    assert reasons[f"{base}/hostile.xml#m2"] == "connection_failed"
    assert [address[0] for address in socket_guard] == ["10.1.2.3"]
    assert reasons[f"{base}/hostile.xml#m1"] == "blocked_address"
