from datetime import date

from flows.settings import Settings
from transforms.countries import load_country_table

TABLE = load_country_table(Settings().seeds_dir)


def test_names_short_names_demonyms_capitals():
    assert TABLE.resolve("Kazakhstan").code == "KAZ"
    assert TABLE.resolve("the U.S.").code == "USA"
    assert TABLE.resolve("Kazakh").kind == "demonym" and TABLE.resolve("Kazakh").code == "KAZ"
    assert TABLE.resolve("Armenian").code == "ARM"
    assert TABLE.resolve("Yerevan").code == "ARM"
    assert TABLE.resolve("Nur-Sultan").code == "KAZ"
    assert TABLE.resolve("Britain's").code == "GBR"
    assert TABLE.resolve("JAPAN").code == "JPN"


def test_historic_states_by_date():
    assert TABLE.resolve("Moscow", date(1987, 3, 1)).code == "SUN"
    assert TABLE.resolve("Moscow", date(2020, 3, 1)).code == "RUS"
    assert TABLE.resolve("Moscow").code == "RUS"
    assert TABLE.resolve("Soviet Union").code == "SUN"
    assert TABLE.resolve("West Germany").code == "DEU"


def test_case_and_non_countries():
    assert TABLE.resolve("turkey") is None
    assert TABLE.resolve("Turkey").code == "TUR"
    assert TABLE.resolve("EAEU") is None
    assert TABLE.resolve("Male") is None  # capital of the Maldives, left out as an ordinary word


def test_entities_fix_small_model_labels(extract):
    result = extract("Talks in the capital", "Nur-Sultan and Yerevan are focusing on enhancing cooperation. Kazakh experts agreed.")
    by_text = {e["text"]: e for e in result.entities}
    assert by_text["Yerevan"]["label"] == "GPE" and by_text["Yerevan"]["country_code"] == "ARM"
    assert by_text["Kazakh"]["label"] == "NORP" and by_text["Kazakh"]["country_code"] == "KAZ"
    assert by_text["Nur-Sultan"]["country_code"] == "KAZ"


def test_places_carry_their_country_as_locations(extract):
    result = extract("Markets", "Shares fell on Wall Street and in Chicago while Japan and the Bundesbank held talks.")
    by_text = {e["text"]: e for e in result.entities}
    assert (by_text["Wall Street"]["country_code"], by_text["Wall Street"]["is_location"]) == ("USA", True)
    assert (by_text["Chicago"]["country_code"], by_text["Chicago"]["is_location"]) == ("USA", True)
    assert (by_text["Bundesbank"]["country_code"], by_text["Bundesbank"]["is_location"]) == ("DEU", False)
    assert [(r["country_a"], r["country_b"]) for r in result.relations] == [("DEU", "JPN")]


def test_ambiguous_names_follow_the_document(extract):
    american = extract("Storm", "The storm hit Atlanta, Georgia, and moved on to Alabama and Tennessee.")
    georgia = next(e for e in american.entities if e["text"] == "Georgia")
    assert (georgia["country_code"], georgia["is_location"]) == ("USA", True)
    caucasus = extract("Talks", "Georgia and Armenia signed a border agreement in Tbilisi.")
    assert next(e for e in caucasus.entities if e["text"] == "Georgia")["country_code"] == "GEO"
    player = extract("Basketball", "Michael Jordan scored 40 points. Jordan later thanked the fans.")
    assert all(e["country_code"] is None for e in player.entities if e["text"] == "Jordan")


def test_first_names_are_not_countries(extract):
    result = extract("Sport", "Chad Johnson scored twice on Sunday.")
    assert all(e["country_code"] is None for e in result.entities)
