"""Text normalisation, date parsing and content-hash ids for articles."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from datetime import datetime, timezone

from dateutil import parser as date_parser

# Characters that carry no text: zero-width spaces/joiners, BOM, word joiner, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# C0/C1 controls except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Cyrillic and Greek letters that look Latin: credit lines such as "Photо" (Cyrillic o) must still be seen
# as credit lines. Only used for matching, never to rewrite the text.
_LOOKALIKES = str.maketrans("аеорсухіАВЕКМНОРСТХοΟαΑ", "aeopcyxiABEKMHOPCTXoOaA")
_CREDIT_LINE = re.compile(
    r"^\s*(?:"
    r"(?:photo|photos|image|images|picture|pictures|source|credit|credits|video|copyright)(?:\s+credits?)?"
    r"\s*[:/|©].{0,120}"
    r"|(?:photo|image|picture)s?\s+(?:by|courtesy)\b.{0,120}"
    r"|(?:read more|read the rest here|reporting by|additional reporting by|editing by|writing by)\b.{0,160}"
    r"|©.{0,120}"
    r")$",
    re.IGNORECASE,
)
# Wire sign-offs: Reuters bodies end with "Reuter" (and a control character), AP with "(AP)".
_SIGN_OFF = re.compile(r"^\s*(?:Reuter|Reuters|AP|AFP)\s*$")
# A wire dateline opening a body: "SALVADOR, Feb 26 - ", "ANCHORAGE, Alaska, Feb 26 - ".
# "BAHRAIN, April 13 - ", "TAUPO, New Zealand, March 23, Reuter - "
DATELINE = re.compile(r"^[A-Z][A-Za-z.'’ -]{1,40}(?:, [A-Z][A-Za-z.'’ -]{1,30})?, [A-Z][a-z]{2,9}\.? \d{1,2},?"
                      r"(?: Reuters?)? - ")
# Words of at least one letter or digit, for word counts.
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def clean_text(text: str) -> str:
    """Unicode NFC, no invisible or control characters, one space between words, newlines as ``\\n``."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROL.sub(" ", text)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a body: blank lines separate them, and so does an indented line (wire style).

    Single line breaks inside a paragraph are hard wraps and become spaces.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in clean_text(text).split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        # An indented line opens a paragraph (wire style); a sign-off line stands alone.
        starts_paragraph = bool(line) and (raw_line[:1] in (" ", "\t") or bool(_SIGN_OFF.match(line)))
        if not line or starts_paragraph:
            if current:
                paragraphs.append(" ".join(current))
                current = []
        if line:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def is_boilerplate(paragraph: str) -> bool:
    """Credit lines, photo captions and wire sign-offs: not body text."""
    latin = paragraph.translate(_LOOKALIKES)
    return bool(_CREDIT_LINE.match(latin) or _SIGN_OFF.match(latin))


def normalise_title(title: str) -> str:
    """A title is one line."""
    return _SPACES.sub(" ", clean_text(title).replace("\n", " ")).strip()


def normalise_body(body: str) -> str:
    """The stored body: paragraphs joined by blank lines, boilerplate paragraphs removed."""
    return "\n\n".join(p for p in split_paragraphs(body) if not is_boilerplate(p))


# A derived title is the body's first paragraph or sentence when it is at most this long (wire headlines are
# under 100 characters); else the body's first words, cut before this length and marked with an ellipsis.
MAX_DERIVED_TITLE_CHARS = 150
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“‘(]?[A-Z0-9])")


def derive_title(body: str) -> tuple[str, str]:
    """A title for a normalised body that came without one, and the body that remains: the first paragraph when
    it is short and others follow (a wire brief's headline line), else the first sentence when something
    follows it; else the body's first words with an ellipsis, the body kept whole (the only case where title
    and body share text)."""
    first, separator, rest = body.partition("\n\n")
    if separator and len(first) <= MAX_DERIVED_TITLE_CHARS:
        return first, rest
    parts = _SENTENCE_END.split(first, maxsplit=1)
    if len(parts) == 2 and 20 <= len(parts[0]) <= MAX_DERIVED_TITLE_CHARS:
        return parts[0], parts[1] + separator + rest
    if len(first) <= MAX_DERIVED_TITLE_CHARS // 2:
        return first, body
    cut = first[:MAX_DERIVED_TITLE_CHARS // 2].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…", body


def document_text(title: str, body: str) -> str:
    """The text every offset in the warehouse points into."""
    return f"{title}\n\n{body}"


def paragraph_starts(text: str) -> list[int]:
    """Character offsets (after 0) where each paragraph begins, and where a wire dateline that opens the text
    or its second paragraph ends ("BAHRAIN, April 13 - " is where the story was filed, not part of its first
    sentence)."""
    starts: list[int] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            starts.append(offset)
        if number < 2 and (dateline := DATELINE.match(paragraph)):
            starts.append(offset + dateline.end())
        offset += len(paragraph) + 2
    return starts


def article_id(title: str, body: str) -> str:
    """Hex sha256 of the normalised document text: one text is one article however often it arrives."""
    return hashlib.sha256(document_text(title, body).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Words in a text (letters or digits, with inner apostrophes, dots or hyphens)."""
    return len(_WORD.findall(text))


def parse_published(value: object) -> datetime | None:
    """A publication date as an aware UTC datetime, or None when absent or not a date.

    Naive times are taken as UTC. Numbers are Unix seconds. Dates outside 1800-2200 are treated as nonsense.
    """
    if value is None or value == "":
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parsed = datetime.fromtimestamp(float(value), tz=timezone.utc)
        elif isinstance(value, str):
            with warnings.catch_warnings():
                # Unknown zone names ("EST5EDT" and the like) parse as naive times, taken as UTC below.
                warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
                parsed = date_parser.parse(value.strip(), fuzzy=False)
        else:
            return None
    except (ValueError, OverflowError, OSError, date_parser.ParserError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    if not 1800 <= parsed.year <= 2200:
        return None
    return parsed
