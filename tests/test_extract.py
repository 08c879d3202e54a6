"""The extraction entry point on awkward but valid text."""

from transforms.extract import parsing_units


def test_parsing_units_rebuild_the_text_and_split_off_a_dateline():
    text = "TITLE\n\nTOKYO, March 3 - Japan said so.\n\nSecond paragraph."
    units = parsing_units(text)
    assert "".join(units) == text
    assert units[1] == "TOKYO, March 3 - "


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
