"""Stories: the same report sent again (a repeat, a correction, an update, another headline) is one story.

Two articles are reports of the same story when:
- most of the shorter one is in the other: the containment of their word 5-gram sets ("shingles", over the
  lower-cased words of title and body), |A & B| / min(|A|, |B|), reaches the threshold. Containment rather than
  Jaccard, because an update that adds paragraphs to a report is still that report;
- they were published at most ``window_days`` apart (when both dates are known): repeats, corrections and
  updates follow a report within a day or two, while the same template weeks apart ("Fed adds reserves via
  customer repurchases", a monthly crop estimate) is another day's news;
- their headlines do not carry different figures ("M-1 FELL 430 MLN" against "M-1 RISES 217 MLN", "COMEX
  COPPER 12:30" against "12:00"): a headline's figure is the news.

Candidates come from MinHash locality-sensitive hashing (datasketch's ``MinHash``; the band keys are stored in
the lake, so the index is a lake table and never all texts in memory); every candidate is then checked exactly,
so LSH only decides what is compared. A story is a connected component of these links (``marts.story_members``
in SQL; ``group_stories`` here for the evaluation), and its id is the article id of its earliest published
report. Pure functions: text in, fingerprints and links out.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np
from datasketch import MinHash, MinHashLSH

from transforms.extract import ArticleText

WORD = re.compile(r"\w+")
FIGURE = re.compile(r"\d+(?:[.,/:-]\d+)*")
# MinHash's permutations are seeded, so signatures (and the stored band keys) are the same in every process.
MINHASH_SEED = 1
CODE_VERSION = "1"


@dataclass(frozen=True)
class StoryParameters:
    """How reports of one story are found (see the module docstring).

    ``threshold``: containment from which two articles are one story; ``window_days``: the most days between
    their publication; ``candidate_jaccard``: the Jaccard similarity LSH is tuned to find, well below what a
    containment of ``threshold`` implies for texts of similar length; ``num_perm``: MinHash permutations;
    ``shingle_words``: words per shingle.
    """

    threshold: float = 0.75
    window_days: float = 2.0
    candidate_jaccard: float = 0.2
    num_perm: int = 128
    shingle_words: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError(f"the story threshold must be in (0, 1], not {self.threshold}")
        if self.window_days < 0:
            raise ValueError(f"the story window must be 0 days or more, not {self.window_days}")

    @cached_property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) of the LSH index: datasketch's choice for ``candidate_jaccard``."""
        lsh = MinHashLSH(threshold=self.candidate_jaccard, num_perm=self.num_perm)
        return lsh.b, lsh.r

    @property
    def version(self) -> str:
        """Fingerprint of everything that decides the stored band keys and links: a change recomputes them."""
        bands, rows = self.bands
        return (f"stories-{CODE_VERSION}-c{self.threshold:g}-w{self.window_days:g}d-p{self.num_perm}"
                f"-s{self.shingle_words}-b{bands}x{rows}")


@dataclass(frozen=True)
class Fingerprint:
    """An article's shingles (8-byte hashes) and its LSH band keys."""

    shingles: frozenset[bytes]
    bands: tuple[int, ...]


def article_text(title: str, body: str) -> str:
    """The text stories compare: title and body, as ``article_id`` hashes them."""
    return f"{title}\n\n{body}"


def shingles(text: str, words: int = 5) -> frozenset[bytes]:
    """The text's word ``words``-grams over its lower-cased words, each as an 8-byte hash; a text shorter than
    that is one shingle of all its words, and a text without words has none."""
    tokens = WORD.findall(text.lower())
    if not tokens:
        return frozenset()
    grams = (" ".join(tokens[start:start + words]) for start in range(max(1, len(tokens) - words + 1)))
    return frozenset(hashlib.blake2b(gram.encode(), digest_size=8).digest() for gram in grams)


def _first_four_bytes(value: bytes) -> int:
    # The shingles are already hashes: MinHash needs 32 bits of each, not another SHA-1.
    return int.from_bytes(value[:4], "little")


def fingerprint(text: str, parameters: StoryParameters) -> Fingerprint:
    """The shingles and LSH band keys of one article's text (``article_text``)."""
    grams = shingles(text, parameters.shingle_words)
    if not grams:
        return Fingerprint(grams, ())
    minhash = MinHash(num_perm=parameters.num_perm, seed=MINHASH_SEED, hashfunc=_first_four_bytes)
    minhash.update_batch(list(grams))
    values = minhash.hashvalues.astype(np.uint64)
    bands, rows = parameters.bands
    keys = []
    for band in range(bands):
        # The band's number is part of the key, so equal keys mean the same band agrees.
        digest = hashlib.blake2b(values[band * rows:(band + 1) * rows].tobytes(), digest_size=8,
                                 person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))  # an int64 column in the lake
    return Fingerprint(grams, tuple(keys))


def containment(left: frozenset[bytes], right: frozenset[bytes]) -> float:
    """How much of the smaller shingle set is in the other (0 when either is empty)."""
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def jaccard(left: frozenset[bytes], right: frozenset[bytes]) -> float:
    """Jaccard similarity of two shingle sets (0 when either is empty)."""
    if not left or not right:
        return 0.0
    common = len(left & right)
    return common / (len(left) + len(right) - common)


def headline_figures(title: str) -> set[str]:
    """The figures a headline carries: amounts, dates, times ("430", "9.25", "12:30")."""
    return set(FIGURE.findall(title))


def figures_conflict(left: str, right: str) -> bool:
    """True when both headlines carry figures and neither's figures are all in the other's."""
    first, second = headline_figures(left), headline_figures(right)
    return bool(first and second and not (first <= second or second <= first))


def within_window(left: datetime | None, right: datetime | None, days: float) -> bool:
    """True when the two publication times are at most ``days`` apart, or either is unknown."""
    if left is None or right is None:
        return True
    return abs((left - right).total_seconds()) <= days * 86400


def candidates_within(prints: Mapping[str, Fingerprint]) -> set[tuple[str, str]]:
    """Pairs of these articles that share an LSH band key, each as ``(later, earlier)`` in the mapping's
    order."""
    order = {article_id: position for position, article_id in enumerate(prints)}
    buckets: dict[int, list[str]] = defaultdict(list)
    for article_id, print_ in prints.items():
        for key in print_.bands:
            buckets[key].append(article_id)
    pairs = set()
    for members in buckets.values():
        for position, later in enumerate(members):
            for earlier in members[:position]:
                pairs.add((later, earlier) if order[later] > order[earlier] else (earlier, later))
    return pairs


def links(pairs: Iterable[tuple[str, str]], articles: Mapping[str, ArticleText],
          prints: Mapping[str, Fingerprint], parameters: StoryParameters) -> list[dict[str, object]]:
    """The candidate pairs that are reports of one story, as ``story_links`` rows: ``article_id`` is the
    article being placed, ``linked_article_id`` one placed before it, with their containment and Jaccard."""
    rows = []
    for article_id, other in sorted(set(pairs)):
        first, second = articles[article_id], articles[other]
        if not within_window(first.published_at, second.published_at, parameters.window_days):
            continue
        if figures_conflict(first.title, second.title):
            continue
        left, right = prints[article_id].shingles, prints[other].shingles
        similarity = containment(left, right)
        if similarity >= parameters.threshold:
            rows.append({"article_id": article_id, "linked_article_id": other,
                         "similarity": round(similarity, 4), "jaccard": round(jaccard(left, right), 4)})
    return rows


def story_order(article: ArticleText) -> tuple:
    """Which report of a story comes first: the earliest published (undated ones last), then the smaller id.
    It depends on the articles only, never on when they arrived, so stories found run by run equal stories
    found in one run."""
    published = article.published_at
    return (published is None, published.timestamp() if published else 0.0, article.article_id)


def group_stories(articles: Mapping[str, ArticleText], rows: Iterable[dict[str, object]]) -> dict[str, str]:
    """Every article's story id: connected components of the links, each named by its first report
    (``story_order``). The warehouse computes the same in SQL (``marts.story_members``)."""
    parent = {article_id: article_id for article_id in articles}

    def root(article_id: str) -> str:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    for row in rows:
        left, right = root(str(row["article_id"])), root(str(row["linked_article_id"]))
        if left != right:
            first, second = sorted((left, right), key=lambda name: story_order(articles[name]))
            parent[second] = first
    return {article_id: root(article_id) for article_id in articles}
