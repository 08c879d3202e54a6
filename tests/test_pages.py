"""HTML pages and feeds to raw articles, and sources files (tiny inline inputs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.pages import (
    MAX_DOCUMENT_CHARS,
    UnsafeFeed,
    entry_article,
    feed_entries,
    html_to_text,
    is_full_text,
    looks_like_feed,
    page_article,
)
from transforms.readers import RawArticle, Reject
from transforms.sources import (
    Source,
    SourcesFileError,
    from_argument,
    is_url,
    read_sources_file,
)

PAGE = """<html><head><title>Talks in Ankara | Example News</title></head><body>
<nav>Home | World</nav><article><h1>Turkey and Greece resume talks</h1>
<p>Turkey and Greece resumed talks on maritime borders on Monday, diplomats said.</p>
<p>The two delegations met in Ankara for five hours and agreed to meet again next month.</p>
</article><footer>Copyright</footer></body></html>"""


def test_page_article_keeps_the_main_text_in_paragraphs_without_the_headline_twice():
    article = page_article(PAGE.encode(), "https://example.org/talks", "example")
    assert isinstance(article, RawArticle)
    assert article.title == "Turkey and Greece resume talks"
    assert article.body.split("\n\n") == [
        "Turkey and Greece resumed talks on maritime borders on Monday, diplomats said.",
        "The two delegations met in Ankara for five hours and agreed to meet again next month.",
    ]
    assert "Copyright" not in article.body and "Home" not in article.body
    assert (article.url, article.source, article.external_id) == ("https://example.org/talks", "example",
                                                                  "https://example.org/talks")


def test_page_without_article_text_is_a_reject():
    result = page_article(b"<html><body><nav>Home</nav></body></html>", "https://example.org/", "example")
    assert isinstance(result, Reject) and result.reason == "no_article_text"
    assert page_article(b"   ", "https://example.org/", "x").reason == "empty_page"


def test_feed_entries_drop_repeated_ids_and_read_html_summaries():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><guid isPermaLink="false">x1</guid><title>One</title><link>https://e.org/1</link>
      <description>&lt;p&gt;First &lt;b&gt;paragraph&lt;/b&gt;.&lt;/p&gt;</description></item>
    <item><guid isPermaLink="false">x1</guid><title>One again</title><link>https://e.org/1</link></item>
    <item><title>No id</title><link>https://e.org/3</link><description>Plain text.</description></item>
    </channel></rss>"""
    entries, problem = feed_entries(rss, "https://e.org/rss")
    assert problem is None
    assert [(e.entry_id, e.title) for e in entries] == [("x1", "One"), ("https://e.org/3", "No id")]
    assert entries[0].text == "First paragraph." and not is_full_text(entries[0])
    article = entry_article(entries[0], "https://e.org/rss", "e")
    assert article.origin == "https://e.org/rss#x1" and article.external_id == "x1"


def test_not_a_feed():
    entries, problem = feed_entries(b"<html><body>hello</body></html>", "https://e.org/")
    assert entries == [] and problem.startswith("no feed entries")


def test_html_to_text_and_feed_detection():
    assert html_to_text("no markup") == "no markup"
    assert html_to_text("<p>One.</p><p>Two.</p>") == "One.\n\nTwo."
    assert looks_like_feed(b"<?xml version='1.0'?><rss>", "text/xml")
    assert looks_like_feed(b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>", "")
    assert not looks_like_feed(b"<!doctype html><html>", "text/html; charset=utf-8")


def test_sources_file_toml_and_yaml(tmp_path: Path):
    (tmp_path / "inbox").mkdir()
    toml = tmp_path / "sources.toml"
    toml.write_text('[[source]]\nname = "wire"\nfeed = "https://e.org/rss"\n\n'
                    '[[source]]\nname = "inbox"\nfolder = "inbox"\narchive = "done"\n\n'
                    '[[source]]\nname = "saved"\nfeed = "feeds/saved.xml"\n')
    sources = read_sources_file(toml)
    assert sources == [
        Source("feed", "https://e.org/rss", "wire"),
        Source("folder", str(tmp_path / "inbox"), "inbox", str(tmp_path / "done")),
        Source("feed", str(tmp_path / "feeds" / "saved.xml"), "saved"),
    ]
    assert sources[0].needs_fetch and not sources[1].needs_fetch and sources[2].needs_fetch
    yaml_file = tmp_path / "sources.yaml"
    yaml_file.write_text("sources:\n  - name: story\n    url: https://e.org/a.html\n")
    assert read_sources_file(yaml_file) == [Source("url", "https://e.org/a.html", "story")]


@pytest.mark.parametrize("text, message", [
    ("", "lists no sources"),
    ('[[source]]\nfeed = "https://e.org/rss"\n', "has no name"),
    ('[[source]]\nname = "a"\nfeed = "https://e.org/rss"\nfolder = "x"\n', "exactly one of"),
    ('[[source]]\nname = "a"\nfeed = "https://e.org/1"\n[[source]]\nname = "a"\nfeed = "https://e.org/2"\n',
     "two sources are named"),
    ("[[source]\n", "not valid TOML"),
])
def test_bad_sources_files_say_what_is_wrong(tmp_path: Path, text: str, message: str):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesFileError, match=message):
        read_sources_file(path)


def test_source_arguments(tmp_path: Path):
    assert is_url("https://e.org/rss") and not is_url("C:/data") and not is_url("inbox/")
    assert from_argument("https://e.org/rss") == Source("url", "https://e.org/rss")
    assert from_argument(str(tmp_path), archive="/done") == Source("folder", str(tmp_path.resolve()), archive="/done")
    saved = tmp_path / "world.rss"
    saved.write_text("<rss/>")
    assert from_argument(str(saved)) == Source("feed", str(saved.resolve())) and from_argument(str(saved)).needs_fetch


@pytest.mark.parametrize("declarations, body", [
    ('<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">', "&b;"),  # expansion
    ('<!ENTITY secret SYSTEM "file:///etc/hostname">', "&secret;"),  # an external entity
])
def test_feeds_declaring_entities_are_refused(declarations: str, body: str):
    feed = (f'<?xml version="1.0"?><!DOCTYPE rss [{declarations}]><rss version="2.0"><channel><title>t</title>'
            f"<item><guid>1</guid><title>x</title><description>{body}</description></item></channel></rss>")
    with pytest.raises(UnsafeFeed, match="declares XML entities"):
        feed_entries(feed.encode(), "https://e.org/rss")


def test_a_doctype_without_entities_is_a_feed():
    feed = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>t</title>'
            b"<item><title>A &amp; B</title><link>https://e.org/a</link><description>d</description></item>"
            b"</channel></rss>")
    entries, problem = feed_entries(feed, "https://e.org/rss")
    assert problem is None and [entry.title for entry in entries] == ["A & B"]


def test_a_page_beyond_the_size_limit_is_not_parsed():
    page = "<html><body><p>" + "x" * (MAX_DOCUMENT_CHARS + 1) + "</p></body></html>"
    assert page_article(page, "https://e.org/", "e").reason == "too_large"
