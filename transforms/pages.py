"""HTML pages and RSS/Atom feeds to raw articles: trafilatura for a page's main text, title and date;
feedparser for feeds. Pure functions of the bytes (fetching is the flow's job)."""

from __future__ import annotations

from dataclasses import dataclass

import defusedxml.ElementTree as defused
import feedparser
import lxml.etree
import lxml.html
import trafilatura
from defusedxml import EntitiesForbidden, ExternalReferenceForbidden

from transforms.readers import EXCERPT_CHARS, RawArticle, Reject, decode_bytes

# An entry whose feed text is at least this long is the article; a shorter one is a teaser, and the page it
# links to is fetched instead.
FULL_TEXT_CHARS = 400
# A larger page or feed is not parsed (a fetch stops at NEWSFLOW_FETCH_MAX_BYTES already; this holds for saved
# files too): the biggest news pages are a few hundred kB of markup.
MAX_DOCUMENT_CHARS = 5_000_000


class UnsafeFeed(ValueError):
    """A feed declaring XML entities (the "billion laughs" expansion, external entities reading local files):
    it is refused, not expanded."""


def page_article(data: bytes | str, url: str, source: str, external_id: str | None = None,
                 origin: str | None = None) -> RawArticle | Reject:
    """The main text of an HTML page as a raw article, or a reject when the page has no article text."""
    html = data if isinstance(data, str) else decode_bytes(data)[0]
    if not html or not html.strip():
        return Reject(origin or url, "empty_page", "the page has no content")
    if len(html) > MAX_DOCUMENT_CHARS:
        return Reject(origin or url, "too_large", f"{len(html)} characters of HTML, limit {MAX_DOCUMENT_CHARS}",
                      html[:EXCERPT_CHARS])
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=False)
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = (getattr(document, "title", None) or "").strip() if document is not None else ""
    if not text:
        return Reject(origin or url, "no_article_text", "no main text found in the page", html[:EXCERPT_CHARS])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    elif not title and lines:
        title, lines = lines[0], lines[1:]  # no headline in the markup: the first line is one
    if not lines:
        return Reject(origin or url, "no_article_text", "the page has a headline but no text", html[:EXCERPT_CHARS])
    return RawArticle(origin=origin or url, external_id=external_id or url, title=title,
                      body="\n\n".join(lines), source=source, url=url,
                      published=getattr(document, "date", None))


@dataclass
class FeedEntry:
    """One feed entry: its id, link and whatever text the feed carries."""

    entry_id: str
    link: str | None
    title: str
    text: str
    published: str | None


BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


def html_to_text(fragment: str) -> str:
    """Paragraph text of an HTML fragment (a feed's summary or content): one paragraph per block element,
    inline markup flattened; text outside any block when there are none."""
    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return " ".join(fragment.split())
    blocks = [" ".join(element.text_content().split()) for element in root.iter(*BLOCKS)
              if not any(ancestor.tag in BLOCKS for ancestor in element.iterancestors())]
    blocks = [block for block in blocks if block]
    whole = " ".join(root.text_content().split())
    if not blocks or sum(map(len, blocks)) < 0.8 * len(whole):
        return whole
    return "\n\n".join(blocks)


def feed_entries(data: bytes, feed_url: str) -> tuple[list[FeedEntry], str | None]:
    """The entries of an RSS/Atom document (duplicates by entry id dropped, first kept), and an error message
    when the bytes are no feed at all. Raises ``UnsafeFeed`` for a feed declaring XML entities."""
    if len(data) > MAX_DOCUMENT_CHARS:
        return [], f"{len(data)} bytes, more than a feed may have ({MAX_DOCUMENT_CHARS})"
    refuse_entity_declarations(data)
    parsed = feedparser.parse(data, response_headers={"content-location": feed_url})
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        return [], f"no feed entries ({problem})" if problem else "no feed entries"
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link")
        entry_id = entry.get("id") or link or entry.get("title")
        if not entry_id or entry_id in seen:
            continue
        seen.add(entry_id)
        contents = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
        text = max((html_to_text(c) for c in contents), key=len, default="")
        entries.append(FeedEntry(entry_id=entry_id, link=link, title=html_to_text(entry.get("title", "")),
                                 text=text, published=entry.get("published") or entry.get("updated")))
    return entries, None


def refuse_entity_declarations(data: bytes) -> None:
    """Raise ``UnsafeFeed`` when an XML document declares entities or references external ones (defusedxml's
    checks, on expat's events: nothing is expanded or fetched). A document that is not well-formed XML passes:
    feedparser then reads it with its loose parser, which expands no declared entity."""
    try:
        defused.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden) as error:
        name = getattr(error, "name", None) or getattr(error, "sysid", None) or "an external entity"
        raise UnsafeFeed(f"the feed declares XML entities ({name!s}); they are not expanded") from error
    except (defused.ParseError, ValueError):
        pass


def entry_article(entry: FeedEntry, feed_url: str, source: str) -> RawArticle:
    """A feed entry carrying its full text, as a raw article (origin: feed URL + entry id)."""
    return RawArticle(origin=f"{feed_url}#{entry.entry_id}", external_id=entry.entry_id, title=entry.title,
                      body=entry.text, source=source, url=entry.link, published=entry.published)


def is_full_text(entry: FeedEntry) -> bool:
    """Whether the feed carries the article itself rather than a teaser."""
    return len(entry.text) >= FULL_TEXT_CHARS


def looks_like_feed(data: bytes, content_type: str) -> bool:
    """RSS/Atom by content type, or by the document's first element."""
    if any(kind in content_type for kind in ("rss", "atom", "xml")) and "html" not in content_type:
        return True
    head = data[:500].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in data[:2000].lower())
