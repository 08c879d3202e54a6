"""Scoring the extractor against gold files: relations, quotes and speakers, country recall, stories.

Every score runs the production path: the readers' normalisation (``to_article_row``) and
``extract_articles`` with the same pipeline and lexicons the flow uses. Metric definitions follow
RELATIONS_GUIDE.md (relations) and the quality issue (quotes, countries); they are documented in README.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from spacy.language import Language

from transforms.extract import ArticleText, Extraction, extract_articles
from transforms.lexicons import Lexicons
from transforms.readers import Reject, record_to_article, to_article_row
from transforms.stories import (
    StoryParameters,
    article_text,
    candidates_within,
    containment,
    fingerprint,
    group_stories,
    links,
)

# What makes a gold attribution a quote when its content has no quote mark: a communication verb as cue.
# This is part of the metric's definition, kept apart from the extractor's own lexicon on purpose.
GOLD_SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "write", "ask", "note", "report", "announce", "suggest", "argue", "explain", "declare",
    "acknowledge", "tweet", "claim", "recall", "respond", "reply", "warn", "insist", "state", "comment", "confirm",
    "deny", "admit", "stress", "emphasize", "remark", "observe", "conclude", "predict", "contend", "assert",
    "maintain", "testify", "reveal", "disclose", "mention", "point",
})
QUOTE_MARKS = re.compile(r"[\"“”«»„]")
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
STOPWORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "and", "or", "for", "on", "at", "by", "with", "from", "that", "this",
    "is", "was", "be", "as", "it", "its", "his", "her", "their", "our", "s", "mr", "mrs", "ms", "dr",
})
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})
MATCH_F1 = 0.5
EXAMPLES = 8  # misses and false hits listed per task, to be read


def tokens(text: str) -> list[str]:
    """Lower-case word tokens."""
    return [t.lower() for t in _TOKEN.findall(text)]


def token_f1(predicted: str, gold: str) -> float:
    """Token-overlap F1 of two texts (bags of words)."""
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Score:
    """Precision, recall and F1 from counts."""

    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_positives": self.true_positives, "predicted": self.predicted, "gold": self.gold}


def set_score(predicted: set, gold: set) -> Score:
    """Score of two key sets."""
    return Score(len(predicted & gold), len(predicted), len(gold))


def read_jsonl(path: Path) -> Iterator[dict]:
    """Records of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def prepare(record: dict, origin: str) -> ArticleText | None:
    """A corpus record through the readers' own normalisation, as ingest would store it."""
    raw = record_to_article(record, origin, "eval")
    if isinstance(raw, Reject):
        return None
    row = to_article_row(raw, "eval", datetime.now(timezone.utc))
    if isinstance(row, Reject):
        return None
    return ArticleText(row["article_id"], row["title"], row["body"], row["published_at"])


def run_extraction(nlp: Language, lexicons: Lexicons, records: Iterable[tuple[str, dict]]) -> dict[str, Extraction]:
    """Extract every (key, record); returns extractions by key."""
    prepared: dict[str, str] = {}
    articles = []
    for key, record in records:
        article = prepare(record, key)
        if article is not None:
            prepared[article.article_id] = key
            articles.append(article)
    return {prepared[e.article_id]: e for e in extract_articles(nlp, articles, lexicons)}


def load_corpus(paths: Iterable[Path], ids: set[str]) -> dict[str, dict]:
    """The records with these ids from corpus files."""
    found = {}
    for path in paths:
        for record in read_jsonl(path):
            if record.get("id") in ids:
                found[record["id"]] = record
    return found


CONFIDENCE_THRESHOLDS = (0.3, 0.5, 0.7, 0.9)


def _relation_keys(gold: dict[str, dict], extractions: dict[str, Extraction], ids: set[str], threshold: float = 0.0
                   ) -> tuple[set, set, set, set]:
    """Gold and predicted (article, a, b, polarity) keys and their typed keys, over ``ids``, counting
    predictions with confidence >= ``threshold``."""
    gold_pairs, gold_typed, predicted_pairs, predicted_typed = set(), set(), set(), set()
    for article_id in ids:
        for relation in gold[article_id]["relations"]:
            key = (article_id, relation["a"], relation["b"], relation["polarity"])
            gold_pairs.add(key)
            gold_typed.update({(*key, t) for t in relation["types"]})
        for row in extractions.get(article_id, Extraction(article_id)).relations:
            if row["confidence"] >= threshold:
                key = (article_id, row["country_a"], row["country_b"], row["polarity"])
                predicted_pairs.add(key)
                predicted_typed.add((*key, row["relation_type"]))
    return gold_pairs, gold_typed, predicted_pairs, predicted_typed


def relation_split_scores(gold: dict[str, dict], extractions: dict[str, Extraction], ids: set[str],
                          evidence: dict[tuple, str], examples: int) -> dict:
    """Scores of one split: pair and typed scores at every threshold, recall per basis, misses to read."""
    gold_pairs, gold_typed, predicted_pairs, predicted_typed = _relation_keys(gold, extractions, ids)
    basis = {(a, r["a"], r["b"], r["polarity"]): r.get("basis", "sentence") for a in ids for r in gold[a]["relations"]}
    per_basis = {}
    for name in sorted(set(basis.values())):
        keys = {k for k, b in basis.items() if b == name}
        per_basis[name] = {"gold": len(keys), "recall": round(len(keys & predicted_pairs) / len(keys), 4)}
    thresholds = {}
    for threshold in CONFIDENCE_THRESHOLDS:
        g, gt, p, pt = _relation_keys(gold, extractions, ids, threshold)
        pairs, typed = set_score(p, g), set_score(pt, gt)
        thresholds[str(threshold)] = {"precision": round(pairs.precision, 4), "recall": round(pairs.recall, 4),
                                      "f1": round(pairs.f1, 4), "typed_f1": round(typed.f1, 4)}
    return {
        "articles": len(ids),
        **set_score(predicted_pairs, gold_pairs).as_dict(),
        "typed": set_score(predicted_typed, gold_typed).as_dict(),
        "at_confidence": thresholds,
        "recall_by_basis": per_basis,
        "missed": [{"key": list(k), "evidence": evidence.get(k, "")[:200]}
                   for k in sorted(gold_pairs - predicted_pairs)][:examples],
        "spurious": [{"key": list(k), "sentence": evidence.get(k, "")[:200]}
                     for k in sorted(predicted_pairs - gold_pairs)][:examples],
        "typed_missed": [list(k) for k in sorted(gold_typed - predicted_typed)][:2 * examples],
        "typed_spurious": [list(k) for k in sorted(predicted_typed - gold_typed)][:examples],
    }


def evaluate_relations(nlp: Language, lexicons: Lexicons, gold_path: Path, corpus_paths: list[Path],
                       examples: int = EXAMPLES, splits: Iterable[str] = ("tune", "check")) -> dict:
    """Pair-polarity and typed scores over the gold articles (RELATIONS_GUIDE.md, Scoring), for all articles
    and per ``split`` (tune: rules are developed on it; check: whether they generalise), at confidence
    thresholds, with recall per ``basis``. Misses are listed for the tune split only: check is not for reading."""
    gold = {r["id"]: r for r in read_jsonl(gold_path)}
    corpus = load_corpus(corpus_paths, set(gold))
    extractions = run_extraction(nlp, lexicons, ((i, corpus[i]) for i in gold if i in corpus))
    evidence: dict[tuple, str] = {}
    for article_id, record in gold.items():
        for relation in record["relations"]:
            evidence[(article_id, relation["a"], relation["b"], relation["polarity"])] = \
                (relation.get("evidence") or [""])[0]
        for row in extractions.get(article_id, Extraction(article_id)).relations:
            evidence.setdefault((article_id, row["country_a"], row["country_b"], row["polarity"]), row["sentence"])
    result = {"task": "relations", "articles": len(gold), "articles_found": len(extractions),
              **relation_split_scores(gold, extractions, set(gold), evidence, 0)}
    for name in ("missed", "spurious", "typed_missed", "typed_spurious"):
        result.pop(name)
    result["splits"] = {}
    for split in splits:
        ids = {i for i, r in gold.items() if r.get("split") == split}
        if ids:
            result["splits"][split] = relation_split_scores(gold, extractions, ids, evidence,
                                                            examples if split == "tune" else 0)
    return result


@dataclass
class GoldQuote:
    """A gold attribution: content and source texts."""

    content: str
    source: str
    is_quote: bool


def polnear_text(record: dict) -> dict:
    """A PolNeAR article as a corpus record (title and body as the readers take them)."""
    return {"id": record["id"], "title": record.get("title") or record.get("title_line") or "",
            "body": record["body"], "published": record.get("published")}


def gold_quotes(record: dict) -> list[GoldQuote]:
    """The attributions of one annotator's record, each marked whether it counts as a quote."""
    found = []
    for attribution in record["attributions"]:
        content = (attribution.get("content") or {}).get("text") or ""
        if not content:
            continue
        cue = (attribution.get("cue") or {}).get("text") or ""
        source = (attribution.get("source") or {}).get("text") or ""
        is_speech = "according to" in cue.lower() or any(is_speech_word(w) for w in tokens(cue))
        found.append(GoldQuote(content, source, bool(QUOTE_MARKS.search(content)) or is_speech))
    return found


_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write"}
_SUFFIXES = (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("d", ""),
             ("es", ""), ("s", ""))


def is_speech_word(word: str) -> bool:
    """Whether a cue word is a form of a gold speech verb (said, tells, adding, noted ...)."""
    candidates = {word, _IRREGULAR.get(word, word)}
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix):
            candidates.add(word[: -len(suffix)] + replacement)
    return bool(candidates & GOLD_SPEECH_LEMMAS)


def speaker_matches(quote: dict, source: str) -> bool:
    """Right when the predicted mention or name shares a content word with the gold source, or is the same
    pronoun, or when neither names a source ("Asked whether ...": the asker is unnamed)."""
    gold_words = set(tokens(source))
    if not gold_words and not quote.get("speaker_text") and not quote.get("speaker_name"):
        return True
    for predicted in (quote.get("speaker_text"), quote.get("speaker_name")):
        if not predicted:
            continue
        words = set(tokens(predicted))
        if words & gold_words - STOPWORDS - PRONOUNS:
            return True
        if len(words) == 1 and words & PRONOUNS and words == gold_words:
            return True
    return False


def evaluate_quotes(nlp: Language, lexicons: Lexicons, gold_path: Path, corpus_path: Path, split: str = "dev",
                    examples: int = EXAMPLES, limit: int | None = None) -> dict:
    """Quote precision/recall/F1 and speaker accuracy on one PolNeAR split (first annotator per article).

    Precision: predictions whose text matches any gold attribution (token F1 >= 0.5). Recall: gold quotes
    matched by some prediction. Speaker accuracy: over matched predictions. Speaker country coverage: the
    share of predicted quotes with a named speaker (``speaker_id``) that have a country.
    """
    records: dict[str, dict] = {}
    for record in read_jsonl(gold_path):
        if record["split"] == split and record["article_id"] not in records:
            records[record["article_id"]] = record
            if limit and len(records) >= limit:
                break
    corpus = {r["id"]: r for r in read_jsonl(corpus_path) if r["id"] in records}
    extractions = run_extraction(nlp, lexicons, ((i, polnear_text(corpus[i])) for i in records if i in corpus))
    predicted = correct = direct_predicted = direct_correct = gold_total = recalled = 0
    speakers_right = named = with_country = 0
    missed, spurious, wrong_speakers = [], [], []
    for article_id, record in records.items():
        attributions = gold_quotes(record)
        matched: set[int] = set()
        for quote in extractions.get(article_id, Extraction(article_id)).quotes:
            named += quote["speaker_id"] is not None
            with_country += quote["speaker_id"] is not None and quote["speaker_country"] is not None
            index, best = max(((i, token_f1(quote["text"], a.content)) for i, a in enumerate(attributions)),
                              key=lambda item: item[1], default=(-1, 0.0))
            is_right = best >= MATCH_F1
            predicted += 1
            correct += is_right
            if quote["kind"] == "direct":
                direct_predicted += 1
                direct_correct += is_right
            if not is_right:
                spurious.append({"article": article_id, "kind": quote["kind"], "speaker": quote["speaker_text"],
                                 "cue": quote["cue"], "text": quote["text"][:160]})
                continue
            matched.add(index)
            if speaker_matches(quote, attributions[index].source):
                speakers_right += 1
            else:
                wrong_speakers.append({"article": article_id, "kind": quote["kind"], "cue": quote["cue"],
                                       "predicted": quote["speaker_text"],
                                       "resolved": quote["speaker_name"], "gold": attributions[index].source,
                                       "text": quote["text"][:100]})
        for index, attribution in enumerate(attributions):
            if attribution.is_quote:
                gold_total += 1
                if index in matched:
                    recalled += 1
                else:
                    missed.append({"article": article_id, "source": attribution.source,
                                   "content": attribution.content[:160]})
    precision = correct / predicted if predicted else 0.0
    recall = recalled / gold_total if gold_total else 0.0
    return {
        "task": "quotes",
        "split": split,
        "articles": len(records),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "predicted": predicted,
        "correct_predictions": correct,
        "gold_quotes": gold_total,
        "gold_recalled": recalled,
        "direct_precision": round(direct_correct / direct_predicted, 4) if direct_predicted else 0.0,
        "direct_predicted": direct_predicted,
        "speaker_accuracy": round(speakers_right / correct, 4) if correct else 0.0,
        "speakers_scored": correct,
        # Of all predicted quotes with a named speaker (one article at a time: marts.quote_speakers also
        # takes a speaker's country from their other articles).
        "speaker_country_coverage": round(with_country / named, 4) if named else 0.0,
        "named_speaker_quotes": named,
        "missed": missed[:examples],
        "spurious": spurious[:examples],
        "wrong_speakers": wrong_speakers[:examples],
    }


# Reuters place tags that are not "the name with hyphens for spaces".
REUTERS_PLACES = {
    "usa": "USA", "uk": "GBR", "ussr": "SUN", "ussr-soviet-union": "SUN", "uae": "ARE", "guinea-bissau": "GNB",
    "trinidad-tobago": "TTO", "st-kitts-nevis": "KNA", "western-samoa": "WSM", "north-yemen": "YEM",
    # States our countries table does not hold: kept as gold, so they count as misses rather than vanish.
    "netherlands-antilles": "ANT", "south-yemen": "YMD",
}


def place_code(tag: str, lexicons: Lexicons) -> str | None:
    """ISO3 of a Reuters place tag, or None when it names no country we know."""
    if tag in REUTERS_PLACES:
        return REUTERS_PLACES[tag]
    match = lexicons.countries.resolve(" ".join(w.capitalize() for w in tag.split("-")))
    return match.code if match else None


def evaluate_countries(nlp: Language, lexicons: Lexicons, corpus_path: Path, limit: int | None = None,
                       examples: int = EXAMPLES) -> dict:
    """Article-level recall (and precision) of the Reuters ``places`` tags by the entities' country codes."""
    records = []
    for record in read_jsonl(corpus_path):
        if record.get("places") and (record.get("body") or "").strip():
            records.append((record["id"], record))
            if limit and len(records) >= limit:
                break
    extractions = run_extraction(nlp, lexicons, records)
    gold, predicted, unmapped = set(), set(), Counter()
    for key, record in records:
        for tag in record["places"]:
            code = place_code(tag, lexicons)
            if code is None:
                unmapped[tag] += 1
            else:
                gold.add((key, code))
        for row in extractions.get(key, Extraction(key)).entities:
            if row["country_code"]:
                predicted.add((key, row["country_code"]))
    score = set_score(predicted, gold)
    missed = Counter(code for _, code in gold - predicted)
    return {"task": "countries", "articles": len(records), **score.as_dict(),
            "most_missed": missed.most_common(examples), "unmapped_tags": unmapped.most_common(examples)}


def read_story_pairs(path: Path) -> list[dict[str, str]]:
    """Labelled article pairs (``tests/data/story_pairs.csv``): comment lines start with ``#``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def evaluate_stories(pairs_path: Path, corpus_dir: Path, parameters: StoryParameters, examples: int = EXAMPLES
                     ) -> dict:
    """Precision and recall of "same story" on labelled pairs: every article of the corpora the pairs name is
    read as ingest stores it, placed in stories as the flow places one chunk (LSH candidates, the exact checks,
    connected components), and a pair is predicted the same story when both articles land in one story. Scores
    per split of the labels and overall."""
    pairs = read_story_pairs(pairs_path)
    corpora = sorted({pair[f"corpus_{side}"] for pair in pairs for side in "ab"})
    articles: dict[str, ArticleText] = {}
    by_record: dict[tuple[str, str], str] = {}
    for corpus in corpora:
        for record in read_jsonl(corpus_dir / f"{corpus}.jsonl"):
            article = prepare(record, f"{corpus}#{record.get('id')}")
            if article is None:
                continue
            articles.setdefault(article.article_id, article)
            by_record[(corpus, str(record.get("id")))] = article.article_id
    prints = {article_id: fingerprint(article_text(article.title, article.body), parameters)
              for article_id, article in articles.items()}
    story = group_stories(articles, links(candidates_within(prints), articles, prints, parameters))
    counts: dict[str, Counter] = {}
    wrong: list[dict] = []
    for pair in pairs:
        left = by_record.get((pair["corpus_a"], pair["id_a"]))
        right = by_record.get((pair["corpus_b"], pair["id_b"]))
        if left is None or right is None:
            raise ValueError(f"labelled pair {pair['pair']} names a record not in {corpus_dir}")
        predicted, gold = story[left] == story[right], pair["same_story"] == "1"
        for split in (pair["split"], "all"):
            counts.setdefault(split, Counter())[(predicted, gold)] += 1
        if predicted != gold and len(wrong) < examples:
            wrong.append({"pair": pair["pair"], "error": "false_same" if predicted else "missed",
                          "titles": [articles[left].title, articles[right].title],
                          "containment": round(containment(prints[left].shingles, prints[right].shingles), 3)})
    scores = {split: Score(c[(True, True)], c[(True, True)] + c[(True, False)], c[(True, True)] + c[(False, True)]).as_dict()
              for split, c in sorted(counts.items())}
    grouped = Counter(story.values())
    return {"task": "stories", "parameters": parameters.version, "pairs": len(pairs), "articles": len(articles),
            "articles_in_multi_report_stories": sum(n for n in grouped.values() if n > 1),
            "scores": scores, "errors": wrong}
