"""The extraction entry point on awkward but valid text."""

from transforms.extract import parsing_units
from transforms.normalise import paragraph_starts


def test_parsing_units_are_title_dateline_and_body():
    text = "TITLE\n\nTOKYO, March 3 - Japan said so.\n\nSecond paragraph."
    units = parsing_units(text)
    assert "".join(units) == text
    assert units == ["TITLE\n\n", "TOKYO, March 3 - ", "Japan said so.\n\nSecond paragraph."]
    assert parsing_units("Only a title") == ["Only a title"]
    assert parsing_units("Title\n\nNo dateline here.") == ["Title\n\n", "No dateline here."]


def test_paragraph_starts_split_off_a_dateline():
    text = "TITLE\n\nTOKYO, March 3 - Japan said so.\n\nSecond paragraph."
    starts = paragraph_starts(text)
    assert [text[start:start + 6] for start in starts] == ["TOKYO,", "Japan ", "Second"]
    assert paragraph_starts("Only a title") == []


def test_sentences_start_at_each_paragraph(nlp):
    # A title without a full stop and a paragraph ending without one must not run into what follows.
    text = "Japan and Korea hold talks\n\nSEOUL, March 3 - The two sides met on Monday\n\nThey agreed."
    sentences = [sentence.text.strip() for sentence in nlp(text).sents]
    assert sentences[:4] == ["Japan and Korea hold talks", "SEOUL, March 3 -", "The two sides met on Monday",
                             "They agreed."]


def test_a_long_paragraph_without_sentence_breaks(extract):
    body = "Japan and Korea held talks " + "and more talks " * 7_000
    result = extract("Talks", body)
    text = f"Talks\n\n{body}"
    assert len(body) > 100_000
    assert all(text[e["start"]:e["end"]] == e["text"] for e in result.entities)


def test_mixed_scripts_emoji_and_right_to_left_text(extract):
    body = "Россия и Китай 🤝 signed a deal. «Мы партнёры», said the envoy. مرحبا بالعالم. Japan agreed."
    result = extract("Mixed", body)
    text = f"Mixed\n\n{body}"
    assert all(text[q["start"]:q["end"]] == q["text"] for q in result.quotes)
