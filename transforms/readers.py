"""Readers: files of raw articles (.txt, .json, .jsonl) to article rows, and everything unreadable to rejects.

A reader never raises on bad input: each bad file or record becomes a ``Reject`` with a short reason code,
and the good records of the same file are kept.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from transforms.normalise import (
    article_id,
    derive_title,
    document_text,
    normalise_body,
    normalise_title,
    parse_published,
    word_count,
)

SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl", ".html", ".htm")
# Names that writers and downloaders use while a file is not complete yet: left for a later run.
TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".filepart")
DATE_FIELDS = ("published_at", "published", "date")
EXCERPT_CHARS = 200
# Real markup tags only: wire copy writes company names in angle brackets ("<IBJ International Ltd>").
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|b|i|u|em|strong|ul|ol|li|table|thead|tbody|tr|td|th|h[1-6]|img|script|style|head|"
    r"body|html|meta|link|section|article|header|footer|nav|figure|figcaption|iframe|form|input|button)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


@dataclass
class RawArticle:
    """One article as a source gave it, before normalisation."""

    origin: str
    external_id: str
    title: str
    body: str
    published: object = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass
class Reject:
    """Input that could not become an article, with a reason code (see README, Operations)."""

    origin: str
    reason: str
    detail: str
    excerpt: str = ""

    def row(self, run_id: str, seen_at: datetime) -> dict:
        """The reject as a row of the lake table ``rejects``."""
        return {"origin": self.origin, "reason": self.reason, "detail": self.detail, "excerpt": self.excerpt,
                "seen_at": seen_at, "run_id": run_id}


def _excerpt(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text[:EXCERPT_CHARS]


# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's. The codecs read the mark and drop it.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """Decode file bytes: UTF-8 (with or without BOM) first, then the detected encoding.

    Returns (text, encoding) or (None, reason) when the data is binary or undecodable. UTF-16 and UTF-32
    with a byte-order mark (Windows tools write them) decode as such: their NUL bytes are not binary.
    """
    for marks, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(marks):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, "undecodable"
    if b"\x00" in data[:8192]:
        return None, "binary"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return None, "undecodable"
    return str(best), best.encoding


@dataclass
class Pending:
    """A file that is still being written (by its name): not read now, and not a reject."""

    path: Path


def is_temporary_name(path: Path) -> bool:
    """Whether the name says the file is still being written or downloaded."""
    return path.suffix.lower() in TEMPORARY_SUFFIXES or path.name.endswith("~")


def iter_source_files(sources: Iterable[Path]) -> Iterator[Path | Reject | Pending]:
    """Files to read, in a stable order: each source is a file or a folder (searched recursively).

    Hidden files and folders are skipped; a file with a temporary name is ``Pending``; a missing source, an
    unsupported file or a link leading outside the folder is a reject.
    """
    for source in sources:
        if source.is_file() and is_temporary_name(source):
            yield Pending(source)
            continue
        if source.is_file():
            yield source if source.suffix.lower() in SUPPORTED_SUFFIXES else Reject(
                str(source), "unsupported_type", f"expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
        elif source.is_dir():
            root = source.resolve()
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                    continue
                if is_temporary_name(path):
                    yield Pending(path)
                elif not path.resolve().is_relative_to(root):
                    # A link that leads out of the folder the user gave is not followed.
                    yield Reject(str(path), "outside_source", f"resolves outside {root}")
                elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield path
                else:
                    yield Reject(str(path), "unsupported_type", f"expected one of {', '.join(SUPPORTED_SUFFIXES)}")
        else:
            yield Reject(str(source), "missing_source", "no such file or folder")


def read_text_file(path: Path, text: str) -> Iterator[RawArticle | Reject]:
    """A plain-text article: the first non-empty line is the title, the rest the body."""
    lines = text.lstrip().split("\n", 1)
    title = lines[0].strip()
    body = lines[1] if len(lines) > 1 else ""
    yield RawArticle(origin=str(path), external_id=path.stem, title=title, body=body, source=path.parent.name)


def record_to_article(record: Any, origin: str, default_source: str) -> RawArticle | Reject:
    """A JSON object with id, title, body (and optional dates, source, url) as a raw article."""
    if not isinstance(record, dict):
        return Reject(origin, "not_an_object", f"expected a JSON object, got {type(record).__name__}", _excerpt(record))
    title, body = record.get("title"), record.get("body")
    if not isinstance(title, (str, type(None))) or not isinstance(body, (str, type(None))):
        return Reject(origin, "bad_field_type", "title and body must be strings", _excerpt(record))
    published = next((record[f] for f in DATE_FIELDS if record.get(f) not in (None, "")), None)
    external_id = record.get("id")
    return RawArticle(
        # A record may say where it came from (newsflow's fetched feed entries do: feed URL + entry id).
        origin=str(record["origin"]) if record.get("origin") else origin,
        external_id=str(external_id) if external_id is not None else "",
        title=title or "",
        body=body or "",
        published=published,
        source=str(record["source"]) if record.get("source") else default_source,
        url=str(record["url"]) if record.get("url") else None,
        language=str(record["language"]) if record.get("language") else None,
    )


def read_json_file(path: Path, text: str) -> Iterator[RawArticle | Reject]:
    """A JSON file holding one article object or an array of them.

    An array with a broken record is read record by record: the broken one is rejected, the rest are kept.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if text.lstrip().startswith("["):
            yield from _salvage_array(path, text)
        else:
            yield Reject(str(path), "invalid_json", str(error), _excerpt(text))
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield record_to_article(record, f"{path}#{index}", path.stem)


def _salvage_array(path: Path, text: str) -> Iterator[RawArticle | Reject]:
    """Decode the objects of a broken JSON array one at a time, resuming at the next object after an error."""
    decoder = json.JSONDecoder()
    position, index = text.index("[") + 1, 0
    while True:
        start = text.find("{", position)
        if start < 0:
            return
        try:
            record, position = decoder.raw_decode(text, start)
        except json.JSONDecodeError as error:
            yield Reject(f"{path}#{index}", "invalid_json", str(error), _excerpt(text[start:start + EXCERPT_CHARS]))
            # Resume at the next object that opens a line or follows a comma; nested braces are not records.
            following = re.search(r"(?:^|,)\s*(?=\{)", text[start + 1:], re.MULTILINE)
            if following is None:
                return
            position = start + 1 + following.end()
        else:
            yield record_to_article(record, f"{path}#{index}", path.stem)
        index += 1


def _jsonl_line(path: Path, number: int, line: str) -> RawArticle | Reject:
    origin = f"{path}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Reject(origin, "invalid_json", str(error), _excerpt(line))
    return record_to_article(record, origin, path.stem)


def _decoded_lines(handle: BinaryIO, head: bytes) -> Iterator[tuple[int, str | None]]:
    """Numbered lines of a text file read as a stream: by its byte-order mark's encoding, else UTF-8 line by
    line (a line that is not UTF-8 decodes in its detected encoding; None when it decodes in none)."""
    encoding = next((name for marks, name in _BYTE_ORDER_MARKS if head.startswith(marks)), None)
    if encoding is not None:
        yield from enumerate(io.TextIOWrapper(handle, encoding=encoding, newline=None), start=1)
        return
    for number, raw in enumerate(handle, start=1):
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, decode_bytes(raw)[0]


def read_jsonl_stream(path: Path) -> Iterator[RawArticle | Reject]:
    """JSON Lines, read as a stream (a file of millions of records needs the memory of one): one article
    object per line; a broken line is rejected, the others kept."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Reject(str(path), "unreadable", str(error))
        return
    with handle:
        head = handle.read(8192)
        handle.seek(0)
        if b"\x00" in head and not head.startswith(tuple(marks for marks, _ in _BYTE_ORDER_MARKS)):
            yield Reject(str(path), "binary", "not text in a known encoding", _excerpt(head[:EXCERPT_CHARS]))
            return
        has_content = False
        try:
            for number, line in _decoded_lines(handle, head):
                if line is None:
                    yield Reject(f"{path}:{number}", "undecodable", "a line in no known encoding")
                    continue
                if line.strip():
                    has_content = True
                    yield _jsonl_line(path, number, line)
        except UnicodeDecodeError as error:  # a byte-order mark's encoding broken further on
            yield Reject(str(path), "undecodable", f"not {error.encoding} from byte {error.start} of a line on")
            return
        except OSError as error:
            yield Reject(str(path), "unreadable", str(error))
            return
    if not has_content:
        yield Reject(str(path), "empty_file", "the file has no content")


_READERS = {".txt": read_text_file, ".json": read_json_file}
# Text, JSON and HTML files are read whole; JSON Lines are streamed and have no limit.
MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024


PageParser = Callable[[str, str, str, str, str], "RawArticle | Reject"]


def read_file(path: Path, parse_page: PageParser | None = None) -> Iterator[RawArticle | Reject]:
    """Raw articles and rejects from one file of a supported type; HTML pages go through ``parse_page``
    (html, url, source, external id, origin), ``pages.page_article`` unless given. JSON Lines are streamed;
    other files are read whole (an article, a page, a JSON array)."""
    if path.suffix.lower() == ".jsonl":
        yield from read_jsonl_stream(path)
        return
    try:
        size = path.stat().st_size
        if size > MAX_WHOLE_FILE_BYTES:  # read whole, it would take its size in memory several times over
            yield Reject(str(path), "too_large", f"{size} bytes, limit {MAX_WHOLE_FILE_BYTES} for a file read "
                         "whole: split it, or write JSON Lines (.jsonl), which are streamed")
            return
        data = path.read_bytes()
    except OSError as error:
        yield Reject(str(path), "unreadable", str(error))
        return
    if not data.strip():
        yield Reject(str(path), "empty_file", "the file has no content")
        return
    text, encoding_or_reason = decode_bytes(data)
    if text is None:
        yield Reject(str(path), encoding_or_reason, "not text in a known encoding", _excerpt(data[:EXCERPT_CHARS]))
        return
    if path.suffix.lower() in (".html", ".htm"):
        if parse_page is None:
            from transforms.pages import page_article as parse_page  # pages imports this module

        yield parse_page(text, path.resolve().as_uri(), path.parent.name, path.stem, str(path))
        return
    yield from _READERS[path.suffix.lower()](path, text)


def file_digest(path: Path) -> str | None:
    """sha256 of a file's bytes (read in chunks), or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def reader_version(language: str, max_chars: int) -> str:
    """Changes whenever reading or normalising could give different rows: the code of this module, the
    normaliser and the page reader, and the settings they take. A file already read by the same version need not be read again."""
    digest = hashlib.sha256(f"{language}|{max_chars}".encode())
    for module in ("readers", "normalise", "pages"):
        digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
    return digest.hexdigest()[:12]


def read_sources(sources: Iterable[Path]) -> Iterator[RawArticle | Reject]:
    """Raw articles and rejects from files and folders."""
    for item in iter_source_files(sources):
        if isinstance(item, Reject):
            yield item
        elif isinstance(item, Path):
            yield from read_file(item)


def looks_like_html(text: str) -> bool:
    """Markup where plain text was expected: a document or a body made mostly of tags."""
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    tags = _HTML_TAG.findall(text[:20_000])
    return len(tags) >= 5 and sum(map(len, tags)) > 0.2 * len(text[:20_000])


def to_article_row(raw: RawArticle, run_id: str, ingested_at: datetime, default_language: str = "en",
                   max_chars: int = 200_000) -> dict | Reject:
    """Normalise a raw article into an ``articles`` row, or reject it (empty body, longer than ``max_chars``:
    one huge record must not take the memory of a whole batch). A record without a title takes one from its
    body (``normalise.derive_title``; ``is_title_derived``)."""
    if len(raw.title) + len(raw.body) > 2 * max_chars:  # before normalising, which copies the text
        return Reject(raw.origin, "too_large", f"more than {max_chars} characters", _excerpt(raw.title))
    if looks_like_html(raw.body):
        return Reject(raw.origin, "html", "the body is HTML markup, not text", _excerpt(raw.body))
    title = normalise_title(raw.title)
    body = normalise_body(raw.body)
    if len(title) + len(body) > max_chars:
        return Reject(raw.origin, "too_large", f"{len(title) + len(body)} characters, limit {max_chars}",
                      _excerpt(title))
    if not body:
        return Reject(raw.origin, "empty_body", "no body text after normalisation", _excerpt(raw.title))
    is_title_derived = not title
    if is_title_derived:  # wire briefs and many feeds have no headline: the story is still an article
        title, body = derive_title(body)
    return {
        "article_id": article_id(title, body),
        "external_id": raw.external_id or None,
        "source": raw.source,
        "url": raw.url,
        "title": title,
        "body": body,
        "published_at": parse_published(raw.published),
        "ingested_at": ingested_at,
        "language": raw.language or default_language,
        "word_count": word_count(document_text(title, body)),
        "origin": raw.origin,
        "is_title_derived": is_title_derived,
        "run_id": run_id,
    }
