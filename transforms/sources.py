"""Where articles come from: files and folders, RSS/Atom feeds and single web pages, each with a name.

Sources come from ``--source`` values (a path, or an http(s) URL whose content decides feed or page) or from
a sources file (TOML or YAML) such as::

    [[source]]
    name = "world-news"
    feed = "https://example.org/world/rss.xml"

    [[source]]
    name = "inbox"
    folder = "landing/"
    archive = "landing-done/"

    [[source]]
    name = "one-story"
    url = "https://example.org/2024/05/story.html"

A named source's name is written to ``articles.source``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

KINDS = ("folder", "file", "feed", "url")


class SourcesFileError(ValueError):
    """A sources file that cannot be used, with what is wrong in it."""


@dataclass(frozen=True)
class Source:
    """One source: ``kind`` is folder/file (a path), feed (RSS/Atom) or url (a page, or a feed if it is one)."""

    kind: str
    location: str
    name: str | None = None
    archive: str | None = None

    @property
    def needs_fetch(self) -> bool:
        """Read by the ``fetch-source`` task: a feed or a page, on the web or saved as a file."""
        return urlsplit(self.location).scheme in ("http", "https") or self.kind in ("feed", "url")


def is_url(value: str) -> bool:
    """Whether a ``--source`` value names a web address rather than a path (any scheme but a drive letter)."""
    scheme = urlsplit(value).scheme
    return len(scheme) > 1 and "://" in value


FEED_SUFFIXES = (".rss", ".atom", ".xml")


def from_argument(value: str, archive: str | None = None) -> Source:
    """A ``--source`` value: a URL (feed or page, decided by what it serves), a saved feed file (.rss, .atom,
    .xml), or a file or folder of articles."""
    if is_url(value):
        return Source("url", value)
    path = Path(value).expanduser()
    if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
        return Source("feed", str(path.resolve()))
    return Source("folder" if path.is_dir() else "file", str(path.resolve()), archive=archive)


def read_sources_file(path: Path) -> list[Source]:
    """The sources listed in a TOML or YAML file; relative paths are relative to the file's folder."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SourcesFileError(f"cannot read sources file {path}: {error.strerror or error}") from error
    try:
        data = yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise SourcesFileError(f"{path} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {error}") from error
    entries = (data or {}).get("source") or (data or {}).get("sources") or []
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(f"{path} lists no sources: expected [[source]] tables (TOML) or a `sources:` list (YAML)")
    sources: list[Source] = []
    names: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise SourcesFileError(f"{path}: source {number} is not a table")
        kinds = [kind for kind in KINDS if entry.get(kind)]
        name = entry.get("name")
        if len(kinds) != 1:
            raise SourcesFileError(f"{path}: source {number} ({name or 'unnamed'}) needs exactly one of "
                                   f"{', '.join(KINDS)}")
        if not name or not isinstance(name, str):
            raise SourcesFileError(f"{path}: source {number} has no name")
        if name in names:
            raise SourcesFileError(f"{path}: two sources are named {name!r}")
        names.add(name)
        kind, location = kinds[0], str(entry[kinds[0]])
        if kind in ("feed", "url"):
            if urlsplit(location).scheme not in ("http", "https") and not is_url(location):
                location = str((path.parent / location).resolve())  # a feed or page saved as a file
        else:
            location = str((path.parent / Path(location).expanduser()).resolve())
        archive = entry.get("archive")
        sources.append(Source(kind, location, name, str((path.parent / archive).resolve()) if archive else None))
    return sources
