from pathlib import Path

from transforms.cues_seed import cameo_type, goldstein_of, parse_cameo
from transforms.nlp import is_headline_case, sentence_case


def test_cameo_codes_map_to_types():
    assert [cameo_type(c) for c in ("036", "042", "057", "051", "0711", "112", "1246", "138", "163", "171", "190")] == [
        "AGREE", "CONSULT", "AGREE", "COOPERATE", "AID", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "FIGHT", "FIGHT"]
    assert cameo_type("010") is None and cameo_type("020") is None and cameo_type("090") is None


def test_goldstein_falls_back_to_the_parent_code():
    assert goldstein_of("1952", {"19": -10.0, "195": -9.5}) == -9.5
    assert goldstein_of("0411", {"04": 1.0}) == 1.0


def test_cameo_blocks_synonyms_and_phrases(tmp_path: Path):
    path = tmp_path / "cameo.txt"
    path.write_text("####### VERB PATTERNS #######\n\n---  KILL   [190]  ---\n+SHOOT_DOWN {+SHOT_DOWN}\n"
                    "KILL  # comment\nMURDER [190]\nSTRANGLE [180]\n- * CIVILIAN [1823]\n\n"
                    "---  JUMP   [---]  ---\nJUMP\n- * TO &DEFENSE [018]\n")
    assert parse_cameo(path) == [("shoot", "down", "190", "synonym"), ("kill", "", "190", "head"),
                                 ("murder", "", "190", "synonym"), ("strangle", "", "180", "synonym"),
                                 ("kill", "civilian", "1823", "pattern")]


def test_a_pattern_belongs_to_the_verb_its_comment_names(tmp_path: Path):
    # CAMEO's BLAME block holds patterns written for other verbs: "prevent an attack" is no blame.
    path = tmp_path / "cameo.txt"
    path.write_text("####### VERB PATTERNS #######\n\n---  BLAME   [112]  ---\nBLAME [112]\nCONDEMN [111]\n"
                    "- * ATTACK                       [053]         # PREVENT\n"
                    "- * KILLING                      [111]         # CONDEMN\n- * COUP [111]\n")
    patterns = [entry for entry in parse_cameo(path) if entry[3] == "pattern"]
    assert patterns == [("prevent", "attack", "053", "pattern"), ("condemn", "killing", "111", "pattern"),
                        ("blame", "coup", "111", "pattern")]


def test_seed_cues_keep_checked_entries_and_drop_non_political_senses(lexicons):
    assert lexicons.cues["talks"].relation_type == "CONSULT" and lexicons.cues["talks"].weight == 1.0
    assert lexicons.cues["kill"].relation_type == "FIGHT" and lexicons.cues["kill"].goldstein < -5
    assert lexicons.cues["expel"].cameo_code.startswith("16")
    assert "beat" not in lexicons.cues and "fall" not in lexicons.cues
    # CAMEO files intervening under aid; meddling and market intervention are no aid, force is a fight
    assert "interfere" not in lexicons.cues and "intervene" not in lexicons.cues
    assert lexicons.phrase_cues["intervene"]["militarily"].relation_type == "FIGHT"


def test_interfering_is_no_aid(extract):
    assert extract("Gulf", "A platform was used by the Iranians to interfere with U.S. convoys.").relations == []


def test_sports_and_markets_are_not_relations(extract):
    assert extract("Match", "Brazil beat Argentina 2-1 in the final.").relations == []
    assert extract("Currencies", "The dollar fell against the yen.").relations == []


def test_headlines_are_parsed_in_sentence_case(extract):
    assert is_headline_case("NIGER SAYS TROOPS REPELLED MALI RAID")
    assert is_headline_case("Biden Aims Insult At Trump, Slams Japanese Pride")
    assert not is_headline_case("Niger says troops repelled a raid from Mali")
    names = {"NIGER", "MALI"}
    assert sentence_case(["NIGER", "SAYS", "U.S.", "TROOPS", "REPELLED", "MALI", "RAID"], names.__contains__) == [
        "Niger", "says", "U.S.", "troops", "repelled", "Mali", "raid"]
    pairs = {"SOUTH KOREA", "US"}
    assert sentence_case(["\"", "SOUTH", "KOREA", "AND", "US", "TALK"], pairs.__contains__) == [
        "\"", "South", "Korea", "and", "US", "talk"]
    result = extract("CHAD SAYS LIBYAN TROOPS ATTACKED ITS FORCES", "No details were given.")
    assert result.entities[0]["text"] == "CHAD"  # the original words stay in the rows
    assert any(r["relation_type"] == "FIGHT" for r in result.relations)


def test_striking_a_deal_makes_it(extract):
    types = {(r["country_a"], r["country_b"], r["relation_type"])
             for r in extract("Ukraine strikes Turkmen gas deal", "Officials spoke on Monday.").relations}
    assert types == {("TKM", "UKR", "AGREE")}
    types = {(r["country_a"], r["country_b"], r["relation_type"])
             for r in extract("Raid", "Iraqi jets struck Iranian targets.").relations}
    assert types == {("IRN", "IRQ", "FIGHT")}
