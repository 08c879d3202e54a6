from transforms.evaluation import (
    is_speech_word,
    place_code,
    set_score,
    speaker_matches,
    token_f1,
)


def test_token_f1():
    assert token_f1("the deal is done", "The deal is done.") == 1.0
    assert token_f1("apples", "oranges") == 0.0
    assert 0.5 < token_f1("the deal is done now", "the deal is done") < 1.0


def test_speaker_match_rules():
    assert speaker_matches({"speaker_text": "Clinton", "speaker_name": "Hillary Clinton"}, "Democratic nominee Hillary Clinton")
    assert speaker_matches({"speaker_text": "he", "speaker_name": None}, "He")
    assert not speaker_matches({"speaker_text": "she", "speaker_name": None}, "he")
    assert not speaker_matches({"speaker_text": "the official", "speaker_name": None}, "the senator")
    assert speaker_matches({"speaker_text": None, "speaker_name": None}, "")
    assert not speaker_matches({"speaker_text": None, "speaker_name": None}, "the senator")
    assert not speaker_matches({"speaker_text": "Rubio", "speaker_name": "Marco Rubio"}, "")


def test_gold_speech_cues():
    assert all(is_speech_word(w) for w in ["said", "says", "told", "added", "noting", "tweeted", "argues"])
    assert not any(is_speech_word(w) for w in ["found", "shows", "wants"])


def test_reuters_places_to_iso3(lexicons):
    assert [place_code(t, lexicons) for t in ["usa", "west-germany", "ussr", "el-salvador", "japan"]] == [
        "USA", "DEU", "SUN", "SLV", "JPN"]


def test_set_score():
    score = set_score({1, 2, 3}, {2, 3, 4, 5})
    assert (score.precision, score.recall) == (2 / 3, 0.5)
