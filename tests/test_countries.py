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
