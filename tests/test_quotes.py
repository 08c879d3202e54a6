from transforms.quotes import quote_mark_spans


def _by_kind(result, kind):
    return [q for q in result.quotes if q["kind"] == kind]


def test_quote_mark_spans_balanced_unbalanced_and_multi_paragraph():
    text = 'He said “one two three.” Then «quatre cinq» and "six seven'
    spans = [text[s:e] for s, e in quote_mark_spans(text)]
    assert spans == ["one two three.", "quatre cinq", "six seven"]
    multi = "“First part of it.\n\n“Second part.” he said.\n\nAfter."
    assert [multi[s:e] for s, e in quote_mark_spans(multi)] == ["First part of it.\n\n“Second part."]
    # Two apostrophes (news archives) and the Penn Treebank's ``...'' are double quote marks.
    ascii_marks = "''We will win,'' she said. ``Soon.'' It's Jones' ''plan\n\n''in two parts.''"
    assert [ascii_marks[s:e] for s, e in quote_mark_spans(ascii_marks)] == [
        "We will win,", "Soon.", "plan\n\n''in two parts."]


def test_direct_quote_with_inverted_apposition_speaker(extract):
    body = "“Armenia is our closest partner in the region,” said Kazakh Ambassador to Armenia, Timur Urazayev."
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["text"].startswith("Armenia is our closest partner")
    assert quote["speaker_name"] == "Timur Urazayev"
    assert quote["speaker_role"] == "Kazakh Ambassador to Armenia"
    assert quote["speaker_country"] == "KAZ"
    assert quote["cue"] == "said"


def test_speaker_before_the_quote_and_pronoun_speaker(extract):
    body = ("Trade Minister Kenji Watanabe spoke in Tokyo. He said: “We will build a supply chain that lasts.” "
            "“Nobody can break it now,” he added.")
    quotes = _by_kind(extract("T", body), "direct")
    assert len(quotes) == 2
    assert all(q["speaker_name"] == "Kenji Watanabe" for q in quotes)
    assert quotes[0]["speaker_text"] == "He"


def test_indirect_speech_and_according_to(extract):
    body = ("Political scientist Johnny Melikyan said that Kazakhstan demonstrates clear priorities for reform. "
            "The river will be monitored during the dry season, according to Indian officials.")
    quotes = _by_kind(extract("T", body), "indirect")
    said = next(q for q in quotes if q["cue"] == "said")
    assert said["text"] == "Kazakhstan demonstrates clear priorities for reform"
    assert said["speaker_name"] == "Johnny Melikyan" and said["speaker_role"] == "Political scientist"
    according = next(q for q in quotes if q["cue"] == "according to")
    assert according["speaker_text"] == "Indian officials" and according["speaker_country"] == "IND"


def test_scare_quotes_are_not_quotes(extract):
    result = extract("T", "The minister called the plan a “disaster” on Monday.")
    assert _by_kind(result, "direct") == []


def test_offsets_point_at_the_text(extract):
    title, body = "Title", "“We are ready to talk to anyone,” she said. Experts highlighted that the talks matter greatly."
    text = f"{title}\n\n{body}"
    result = extract(title, body)
    assert result.quotes
    for quote in result.quotes:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        if quote["speaker_start"] is not None:
            assert text[quote["speaker_start"]:quote["speaker_end"]] == quote["speaker_text"]


def test_quote_inside_reported_speech_is_a_mixed_quote(extract):
    result = extract("T", 'Senator Patty Murray said on Monday that she was "looking forward to the debate next week".')
    # The quoted phrase is part of the reported speech around it: one mixed quote, not a direct one too.
    assert [q["kind"] for q in result.quotes] == ["mixed"]
    quote = result.quotes[0]
    assert quote["speaker_name"] == "Patty Murray" and quote["cue"] == "said"
    assert quote["text"].startswith("she was") and "looking forward to the debate" in quote["text"]


def test_unattributed_quoted_titles_are_not_quotes(extract):
    result = extract("T", 'The crowd sang along to "Make America Great Again" as the doors opened.')
    assert [q for q in result.quotes if q["kind"] == "direct"] == []


def test_relative_pronoun_speaker_is_its_antecedent(extract):
    result = extract("T", "The plan was backed by Bernie Sanders, who said that the banks must be broken up.")
    quote = next(q for q in result.quotes if q["kind"] == "indirect")
    # The mention is "who" (as PolNeAR marks it); who that is is its antecedent.
    assert (quote["speaker_text"], quote["speaker_name"]) == ("who", "Bernie Sanders")
    text = "T\n\nThe plan was backed by Bernie Sanders, who said that the banks must be broken up."
    assert text[quote["speaker_start"]:quote["speaker_end"]] == "who"


def test_quote_split_by_its_attribution_is_one_quote(extract):
    body = "“We will win this fight,” the minister said. “And we will win it soon, whatever they say.”"
    quotes = [q for q in extract("T", body).quotes if q["kind"] == "direct"]
    assert len(quotes) == 1
    assert quotes[0]["text"].startswith("We will win this fight") and quotes[0]["text"].endswith("whatever they say.")


def test_role_after_the_name(extract):
    body = "“Armenia is our closest partner in the region,” said Timur Urazayev, Kazakh ambassador to Armenia."
    quote = next(q for q in extract("T", body).quotes if q["kind"] == "direct")
    assert (quote["speaker_name"], quote["speaker_country"]) == ("Timur Urazayev", "KAZ")
    assert quote["speaker_role"] == "Kazakh ambassador to Armenia"


def test_one_row_per_quoted_span(extract):
    body = ("President Reagan's legal adviser said the President could not recall when he approved a 1985 arms "
            "sale to Iran, the New York Times reported.")
    quotes = extract("T", body).quotes
    keys = [(q["start"], q["end"], q["kind"]) for q in quotes]
    assert quotes and len(keys) == len(set(keys))


def test_reported_speech_the_parse_leaves_empty_is_no_quote(extract):
    title = "LEVON RESOURCES <LVNVF> GOLD ASSAYS IMPROVED"
    body = ("VANCOUVER, British Columbia, March 16 - Levon Resources Ltd said re-checked gold assays from the Howard "
            "tunnel on its Congress, B.C., property yielded higher grade results.")
    assert all(q["end"] > q["start"] and q["text"].strip() for q in extract(title, body).quotes)


def test_speaker_ids_fold_titles_initials_and_case():
    from transforms.quotes import speaker_id

    assert speaker_id("Donald J. Trump") == speaker_id("Donald Trump") == speaker_id("DONALD TRUMP")
    assert speaker_id("Sen. Elizabeth Warren") == speaker_id("Elizabeth Warren")
    assert speaker_id("Bill Clinton") != speaker_id("Hillary Clinton")
    assert speaker_id("he") is None and speaker_id(None) is None and speaker_id("former president") is None


def test_speaker_country_from_the_dictionary_at_the_date(extract):
    from datetime import datetime, timezone

    body = ("President Barack Obama spoke in Ohio on Monday. “We will not back down,” Obama said. "
            "Ohio and Texas voters were polled in Ohio.")
    quote = _by_kind(extract("Ohio", body, datetime(2016, 5, 1, tzinfo=timezone.utc)), "direct")[0]
    assert (quote["speaker_name"], quote["speaker_country"], quote["speaker_country_basis"]) == (
        "Barack Obama", "USA", "dictionary")
    assert quote["speaker_id"] is not None


def test_a_named_speaker_in_an_article_about_one_country_is_of_it(extract):
    body = ("Jane Doolittle spoke in Ohio. Voters in Texas and Ohio listened. "
            "“This bill will pass,” Doolittle said.")
    quote = _by_kind(extract("Ohio", body), "direct")[0]
    assert (quote["speaker_name"], quote["speaker_country"], quote["speaker_country_basis"]) == (
        "Jane Doolittle", "USA", "context")
    # A national title says otherwise; an article of no one country gives no context.
    body = ("Jane Doolittle spoke in Ohio. Voters in Texas and Ohio listened. "
            "“This bill will pass,” said French Ambassador Jean Dupont.")
    assert _by_kind(extract("Ohio", body), "direct")[0]["speaker_country"] == "FRA"
    body = ("Jane Doolittle spoke in Paris and Berlin. Voters in Texas listened. "
            "“This bill will pass,” Doolittle said.")
    assert _by_kind(extract("Talks", body), "direct")[0]["speaker_country"] is None


def test_a_first_name_alone_is_the_person_the_article_names_in_full(extract):
    body = ("Hillary Clinton spoke in Ohio on Monday. Later Hillary told voters: "
            "“We are going to win this state in November.”")
    quote = _by_kind(extract("Ohio", body), "direct")[0]
    assert quote["speaker_name"] == "Hillary Clinton"


def test_roles_that_point_elsewhere_give_no_country(extract):
    body = "Experts on North Korea said the test was “a serious step forward for them, and a dangerous one.”"
    assert _by_kind(extract("Tests", body), "direct")[0]["speaker_country"] is None
    body = ("“We are proud of the show and its audience,” said John Dickey, the chief executive of a company that "
            "owns Russia Today programming.")
    assert _by_kind(extract("TV", body), "direct")[0]["speaker_country"] is None


def test_a_surname_alone_is_no_foreign_office_holder_of_a_country_the_article_never_names(extract):
    from datetime import datetime, timezone

    # seeds/people.csv holds Saint Lucia's prime minister Stephenson King; this story is of no one country.
    body = ("Russian and American broadcasters met in Moscow and Washington. "
            "“They pay us a lot of money, and we need money,” Mr. King said.")
    quote = _by_kind(extract("Media", body, datetime(2016, 9, 1, tzinfo=timezone.utc)), "direct")[0]
    assert quote["speaker_country"] is None


def test_what_a_speaker_calls_something_in_quote_marks_is_their_words(extract):
    quotes = extract("Debate", "On Twitter, Jeb Bush called the proposal “unhinged and dangerous.”").quotes
    assert [(q["kind"], q["speaker_name"]) for q in quotes] == [("mixed", "Jeb Bush")]
    assert "unhinged and dangerous" in quotes[0]["text"]
    # Without quote marks it is the writer's description, not the speaker's words.
    assert extract("Debate", "On Twitter, Jeb Bush called the proposal dangerous.").quotes == []


def test_what_is_announced_or_denied_is_reported_speech(extract):
    quotes = extract("Guns", "President Obama announced a series of new steps to tighten gun sales.").quotes
    assert [(q["kind"], q["speaker_name"], q["text"]) for q in quotes] == [
        ("indirect", "Obama", "a series of new steps to tighten gun sales")]
    body = "Senator Tom Miller acknowledged the limits of the new law and stressed the need for a budget deal."
    assert [(q["speaker_name"], q["cue"], q["text"]) for q in extract("T", body).quotes] == [
        ("Tom Miller", "acknowledged", "the limits of the new law"),
        ("Tom Miller", "stressed", "the need for a budget deal")]
    body = "Senator Ruth Hale tweeted a chart of crime statistics on Sunday and explained her reasoning."
    assert [(q["speaker_name"], q["cue"], q["text"]) for q in extract("T", body).quotes] == [
        ("Ruth Hale", "tweeted", "a chart of crime statistics"), ("Ruth Hale", "explained", "her reasoning")]


def test_quotes_in_two_apostrophe_marks_are_direct_quotes(extract):
    body = "''We are in the people-pleasing business,'' Mr. DiPietro said. ''These people paid a lot to be here.''"
    quotes = _by_kind(extract("T", body), "direct")
    # one quote: the two pieces around their attribution
    assert [(q["speaker_text"], q["speaker_name"], q["cue"]) for q in quotes] == [("Mr. DiPietro", "DiPietro", "said")]
    assert quotes[0]["text"].startswith("We are in the people-pleasing business")
    assert quotes[0]["text"].endswith("These people paid a lot to be here.")


def test_an_attribution_set_off_by_commas_inside_what_it_reports(extract):
    title = "T"
    body = ("In the long run, many economists say, this effect could ripple through the whole health care system. "
            "The plan was costly, and it failed.")
    quotes = _by_kind(extract(title, body), "indirect")
    assert len(quotes) == 1
    quote = quotes[0]
    # The row spans what was said, the attribution inside it included, so that its offsets and text agree.
    assert quote["text"] == ("In the long run, many economists say, this effect could ripple through the whole "
                             "health care system")
    assert quote["speaker_text"] == "many economists" and quote["cue"] == "say"
    assert f"{title}\n\n{body}"[quote["start"]:quote["end"]] == quote["text"]
    as_reported = _by_kind(extract(title, "As the Times reported on Monday, the bank lost money in March."), "indirect")
    assert [(q["text"], q["speaker_text"]) for q in as_reported] == [("the bank lost money in March", "Times")]


def test_a_paragraph_ending_in_a_colon_attributes_the_quote_below_it_and_as_x_put_it(extract):
    body = ("Jared Potts, a student, echoed:\n\n“He speaks his mind, and that might be what the country needs.”\n\n"
            "Or, as Tom Ridge put it: “The barbarians are no longer at the gate. They are inside.”\n\n"
            "He put it on the table: “This plan is the best one we have seen in many years.”")
    quotes = _by_kind(extract("T", body), "direct")
    speakers = {q["text"][:16]: q["speaker_name"] for q in quotes}
    assert speakers["He speaks his mi"] == "Jared Potts"
    assert speakers["The barbarians a"] == "Tom Ridge"
    # "put" without "it" as its object is no attribution: the quote's speaker is who the colon's clause names
    plan = next(q for q in quotes if q["text"].startswith("This plan"))
    assert plan["cue"] is None and plan["speaker_text"] == "He"


def test_he_is_no_possessor_or_modifier_named_just_before(extract):
    body = ("The minister of the economy, Mr. Ortiz Villarreal, argues there is little point for Mexico to respond "
            "now to Mr. Trump's threats to wall off the Mexican people. "
            "“We must not overreact to campaign rhetoric,” he told me.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["speaker_text"] == "he" and quote["speaker_name"] == "Ortiz Villarreal"


def test_a_colon_introduces_the_quote_of_the_subject_before_it_whatever_the_verb(extract):
    body = ("Jeb Bush broke down exactly what was wrong with the image to a Dutch newspaper: “What Trump did was so "
            "insensitive to millions of people.”\n\n"
            "TURNOUT IS NOT DESTINY - Michael P. McDonald: “At long last the nomination contest has begun in "
            "earnest.”\n\n"
            "His criticism was the choice of words: “It was a terrible thing to say to anyone at all.”")
    quotes = _by_kind(extract("T", body), "direct")
    speakers = {q["text"][:12]: (q["speaker_text"], q["cue"]) for q in quotes}
    assert speakers["What Trump d"] == ("Jeb Bush", None)
    # a name without a verb after a dash heads the digest item it introduces
    assert speakers["At long last"] == ("Michael P. McDonald", None)
    # a thing ("His criticism") is no speaker: the quote continues the last speaker's words
    assert speakers["It was a ter"] == ("Michael P. McDonald", None)


def test_a_quote_without_attribution_continues_whoever_spoke_last_reported_speech_included(extract):
    body = ("“We will stay in this region for decades,” the minister, Ana Ruiz, said.\n\n"
            "Defense Secretary Ash Carter said that critics had predicted a withdrawal for years.\n\n"
            "“That is because this region is home to half of the world's people.”")
    quotes = _by_kind(extract("T", body), "direct")
    last = next(q for q in quotes if q["text"].startswith("That is because"))
    assert last["speaker_name"] == "Ash Carter" and last["cue"] is None


def test_a_quote_inside_a_sentence_is_the_words_of_its_subject(extract):
    body = ("Senator Maria Lopez spoke for an hour. Then she vowed that “billionaires would have to pay their "
            "fair share at last.”")
    quotes = _by_kind(extract("T", body), "direct")
    assert [(q["speaker_text"], q["speaker_name"]) for q in quotes] == [("she", "Maria Lopez")]
    # A subject that is no one ("The group") names no speaker: with nobody said to speak, the quoted words are
    # no direct quote; what "it calls" them stays a mixed quote of "it".
    grouped = extract("T", "The group seeks laws that it calls “sensible rules for all of the people here.”")
    assert _by_kind(grouped, "direct") == []
    assert [q["speaker_text"] for q in _by_kind(grouped, "mixed")] == ["it"]


def test_a_that_clause_the_parse_hangs_on_an_adjunct_is_what_was_said(extract):
    body = ("Adelson said earlier on Friday during a news conference that he may wait until February’s primaries "
            "to decide who to back.")
    quotes = _by_kind(extract("T", body), "indirect")
    assert [(q["speaker_text"], q["text"]) for q in quotes] == [
        ("Adelson", "he may wait until February’s primaries to decide who to back")]


def test_what_someone_asks_is_reported_speech_but_not_what_they_are_asked(extract):
    # What someone is asked is the asker's: here unnamed, so the row has no speaker.
    body = ("The senator shook hands and asked workers if they planned to attend the caucuses. "
            "The reporter asked Mr. Trump about his tax returns. Ted Cruz has been asked about a loan from a bank.")
    quotes = _by_kind(extract("T", body), "indirect")
    assert [(q["speaker_text"], q["cue"], q["text"]) for q in quotes] == [
        ("senator", "asked", "if they planned to attend the caucuses"), ("reporter", "asked", "his tax returns"),
        (None, "asked", "a loan from a bank")]
    body = "Asked about her weaknesses, Senator Ruth Hale said she works too hard."
    quotes = extract("T", body).quotes
    assert [(q["speaker_name"], q["cue"], q["text"]) for q in quotes] == [
        (None, "Asked", "her weaknesses"), ("Ruth Hale", "said", "she works too hard")]


def test_the_words_between_a_quote_and_a_verb_without_subject_are_the_speaker(extract):
    body = ("“We are not behind this, but we cannot argue with it!” Murphy, the head of Right to Rise USA, "
            "Tweeted on Friday with an image of the skywriting.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["speaker_text"] == "Murphy, the head of Right to Rise USA"
    # the words after a verb are an inverted speaker only when they open a noun phrase, not "on Friday"
    assert "Friday" not in (quote["speaker_name"] or "")


def test_what_someone_mentions_notes_or_points_to_is_reported_speech(extract):
    body = ("Clinton noted the Sept. 11 attacks and her support for first responders. "
            "They point to technology that has removed child abuse images from the web. "
            "He pointed a finger at the crowd.")
    quotes = _by_kind(extract("T", body), "indirect")
    assert [(q["speaker_text"], q["cue"], q["text"]) for q in quotes] == [
        ("Clinton", "noted", "the Sept. 11 attacks and her support for first responders"),
        ("They", "point", "technology that has removed child abuse images from the web")]


def test_what_follows_the_speech_verb_wins_over_a_clause_the_parse_hangs_before_it(extract):
    body = ("In a statement released shortly after the Florida senator suspended his presidential campaign, Cruz said "
            "he’s certain Rubio will continue to be “a champion for limitless opportunity in America.”")
    quotes = [q for q in extract("T", body).quotes if q["cue"] == "said"]
    assert [(q["speaker_text"], q["kind"]) for q in quotes] == [("Cruz", "mixed")]
    assert quotes[0]["text"].startswith("he’s certain Rubio will continue")


def test_a_speech_verb_coordinated_into_what_was_said_is_the_speakers_next_act(extract):
    body = ("He said that he would offer “a prayer” for the eventual Republican nominee but did not suggest it "
            "would be Trump.")
    said = [q for q in extract("T", body).quotes if q["cue"] == "said"]
    assert [q["text"] for q in said] == ["he would offer “a prayer” for the eventual Republican nominee"]


def test_what_someone_tells_another_to_do_is_reported_speech(extract):
    quotes = _by_kind(extract("T", "He told Jeb Bush to quiet down during a heated exchange."), "indirect")
    assert [(q["speaker_text"], q["cue"], q["text"]) for q in quotes] == [
        ("He", "told", "Jeb Bush to quiet down during a heated exchange")]


def test_an_according_to_row_ends_where_what_it_attributes_does(extract):
    body = "Clinton leads Sanders by 271 pledged delegates according to a count by The Associated Press."
    quotes = _by_kind(extract("T", body), "indirect")
    assert [(q["speaker_text"], q["text"]) for q in quotes] == [
        ("count by The Associated Press", "Clinton leads Sanders by 271 pledged delegates")]


def test_a_verb_of_the_manner_of_speaking_attributes_the_quote_beside_it(extract):
    body = ("“It’s a reflection of the frustration and anger that people feel,” Walsh said. Tom Reed agreed with her. "
            "“A lot of it is justified because wages have not grown,” he joked. Reed continued to fight the bill.")
    quotes = extract("T", body).quotes
    joked = next(q for q in quotes if q["text"].startswith("A lot of it"))
    assert (joked["cue"], joked["speaker_text"], joked["speaker_name"]) == ("joked", "he", "Tom Reed")
    # A verb of manner attributes words in quote marks only: "continued to fight" reports nothing.
    assert not [q for q in quotes if q["cue"] == "continued"]


def test_a_verb_that_opens_the_next_quote_is_no_attribution_of_the_one_before(extract):
    body = ("“Would you have told her it is not a good idea to meet them?” He answered, “I have no idea what she "
            "wanted from the meeting.”")
    question, answer = _by_kind(extract("T", body), "direct")
    assert question["cue"] is None
    assert answer["cue"] == "answered"


def test_a_colon_introduction_names_the_source_it_cites(extract):
    body = ("As the Daily News reported on Friday, the White House was still refusing to call the San Bernardino "
            "shooting an act of terrorism at all:\n\n“The administration is still reluctant to call the attack an act "
            "of terrorism, citing the investigation.”")
    quote = next(q for q in _by_kind(extract("T", body), "direct") if q["text"].startswith("The administration"))
    assert quote["speaker_text"] == "Daily News"


def test_the_speaker_is_the_person_a_mention_is_about_not_one_it_names_on_the_way(extract):
    body = ("“We have always valued this alliance above all others,” said Larry Cohen, a senior adviser to Mr. Sanders. "
            "“Nobody can break this coalition now,” said Obama administration officials. "
            "Cameron's spokesman said the talks would resume in May.")
    names = {q["speaker_text"]: q["speaker_name"] for q in extract("T", body).quotes}
    assert names["Larry Cohen, a senior adviser to Mr. Sanders"] == "Larry Cohen"
    assert names["Obama administration officials"] == "Obama administration officials"
    assert names["Cameron's spokesman"] == "Cameron's spokesman"


def test_an_attribution_inside_reported_speech_is_no_quote_of_its_own(extract):
    quotes = extract("T", "Paul Song said Hillary Clinton had said the health plan would not happen.").quotes
    assert [(q["speaker_name"], q["text"]) for q in quotes] == [
        ("Paul Song", "Hillary Clinton had said the health plan would not happen")]


def test_he_resolved_to_someone_the_article_has_not_quoted_takes_the_articles_country(extract):
    body = ("The U.S. Senate passed the budget in Washington on Monday. Jim Carter, a farmer from Iowa, watched the "
            "vote from the gallery. “This bill will not help a single farmer in my county,” he said.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert (quote["speaker_name"], quote["speaker_country"], quote["speaker_country_basis"]) == (
        "Jim Carter", "USA", "context")


def test_a_wire_dateline_is_no_part_of_the_speaker(extract):
    body = ("MACAU (Reuters) – Top Republican Party donor Sheldon Adelson said on Friday he met presidential candidate "
            "Donald Trump earlier this week.\n\nWASHINGTON (Reuters) - U.S. Democratic presidential candidate Hillary "
            "Clinton said on Friday that Russian intelligence services hacked into the committee.")
    speakers = [(q["speaker_text"], q["speaker_name"]) for q in _by_kind(extract("T", body), "indirect")]
    assert speakers == [("Top Republican Party donor Sheldon Adelson", "Sheldon Adelson"),
                        ("U.S. Democratic presidential candidate Hillary Clinton", "Hillary Clinton")]


def test_what_someone_calls_describes_as_or_pledges_in_quote_marks_is_their_words(extract):
    body = ("Carson took the stage Tuesday at the Grand Hotel in Baltimore and called the political system “rotten to "
            "the core.” He described the field of Republican candidates as “all very good”. Sanders vowed to “take "
            "our fight” to the states that had not yet voted. Sanders vowed to keep fighting.")
    mixed = {q["cue"]: q["text"] for q in _by_kind(extract("T", body), "mixed")}
    assert mixed["called"] == "the political system “rotten to the core"
    assert mixed["described"] == "the field of Republican candidates as “all very good”"
    assert mixed["vowed"] == "to “take our fight” to the states that had not yet voted"
    # Without quote marks a pledge is no quote.
    assert len([q for q in extract("T", body).quotes if q["cue"] == "vowed"]) == 1


def test_a_speech_verb_after_a_preposition_shares_the_subject_of_its_clause(extract):
    body = "Sheppard presented a message about healing and forgiveness before explaining why she stands behind Clinton."
    quote = _by_kind(extract("T", body), "indirect")[0]
    assert (quote["cue"], quote["speaker_name"], quote["text"]) == ("explaining", "Sheppard",
                                                                     "why she stands behind Clinton")


def test_a_share_of_those_polled_speaks_through_the_poll(extract):
    body = ("In a New York Times/CBS News survey released last week, 79 percent of Democrats said they were "
            "satisfied with the field.")
    quote = _by_kind(extract("T", body), "indirect")[0]
    assert quote["speaker_text"].startswith("New York Times/CBS News survey")
    # A poll is a source, not a person: it gets no speaker identity.
    assert quote["speaker_id"] is None


def test_a_phrasal_quoting_verb_attributes_the_quote_but_not_when_it_goes_on_to_do_something(extract):
    went_on = extract("T", "“We are going to win big in this state and everywhere else,” Trump went on.")
    quote = _by_kind(went_on, "direct")[0]
    assert (quote["cue"], quote["speaker_name"]) == ("went", "Trump")
    went_on_to = extract("T", "Trump went on to rebut the charges against him in a long speech.")
    assert [q for q in went_on_to.quotes if q["cue"] == "went"] == []


def test_the_agent_of_a_passive_speech_verb_is_who_speaks(extract):
    body = "Sanders was asked by host Bill Maher, “Would you support her if she wins the nomination in July?”"
    quote = _by_kind(extract("T", body), "direct")[0]
    assert (quote["cue"], quote["speaker_name"]) == ("asked", "Bill Maher")


def test_a_speech_verb_inside_what_someone_said_is_part_of_their_words(extract):
    body = "Senator Ted Cruz spoke in Iowa on Monday. He said the FBI has not commented on the investigation so far."
    quotes = extract("T", body).quotes
    assert [(q["cue"], q["speaker_name"], q["text"]) for q in quotes] == [
        ("said", "Ted Cruz", "the FBI has not commented on the investigation so far")]


def test_a_relative_clause_closing_a_speaker_mention_is_no_part_of_it(extract):
    body = ("“We never expected the talks to go so well,” Nicholas Daniloff, a former correspondent for U.S. News & "
            "World Report in Moscow who was arrested there in 1986, said.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["speaker_name"] == "Nicholas Daniloff"
    assert quote["speaker_text"] == "Nicholas Daniloff, a former correspondent for U.S. News & World Report in Moscow"


def test_he_or_she_is_the_last_main_clause_subject_not_a_name_in_its_object(extract):
    body = ("Attorney General Loretta Lynch announced the lawsuit against Gov. Pat McCrory on Monday. "
            "She further said the law was discriminatory.")
    quote = next(q for q in extract("T", body).quotes if q["cue"] == "said")
    assert (quote["speaker_text"], quote["speaker_name"]) == ("She", "Loretta Lynch")
    body = "Donald Trump met Jeb Bush and Ted Cruz. He said the party would unite behind its nominee."
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Donald Trump"


def test_a_time_is_never_the_subject_who_speaks(nlp):
    from spacy.tokens import Doc

    from transforms.quotes import _subjects

    # "Moments earlier said ..." as the small model sometimes parses it: the time as the verb's subject.
    words = ["Moments", "earlier", "Trump", "said", "it", "."]
    doc = Doc(nlp.vocab, words=words, heads=[3, 0, 3, 3, 3, 3], deps=["nsubj", "advmod", "nsubj", "ROOT", "dobj",
                                                                   "punct"],
              pos=["NOUN", "ADV", "PROPN", "VERB", "PRON", "PUNCT"], lemmas=["moment", "earlier", "Trump", "say",
                                                                              "it", "."])
    assert [t.text for t in _subjects(doc[3], set())] == ["Trump"]


def test_a_speaker_with_a_long_apposition_between_quote_and_verb(extract):
    body = ("“We never expected the talks to go so well,” Nicholas Daniloff, the former Moscow correspondent of the "
            "magazine, now 81 and living in Cambridge, said.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["speaker_name"] == "Nicholas Daniloff"


def test_a_clause_after_an_inverted_speech_verb_is_no_speaker(extract):
    quote = _by_kind(extract("T", "“This is our moment,” she said matter-of-factly as confetti fluttered down."),
                     "direct")[0]
    assert quote["speaker_text"] == "she"
    quote = _by_kind(extract("T", "“It is a great day for all of us,” said Robin Maynard, half joking."), "direct")[0]
    assert quote["speaker_name"] == "Robin Maynard"


def test_he_or_she_is_never_someone_whose_first_name_or_title_is_of_the_other_sex(extract):
    body = "Donald Trump attacked Hillary Clinton on Monday. She said the attacks were baseless."
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Hillary Clinton"
    body = "Loretta Lynch met Jeb Bush. He said the meeting went well."
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Jeb Bush"
    body = "Mr. Cruz met Gov. Nikki Haley in Columbia. She said the state would decide."
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Nikki Haley"


def test_first_names_seed_keeps_only_names_of_one_sex():
    from transforms.names_seed import first_name_rows

    data = {"Loretta": [24, 185889, 0.989, 3], "Donald": [30, 1501951, 0.0, 3], "Pat": [23, 72519, 0.335, 3],
            "Zzyzx": [1, 12, 1.0, 3], "Jo-Ann": [3, 5000, 1.0, 3]}
    assert first_name_rows(data) == [{"first_name": "donald", "gender": "m"}, {"first_name": "loretta", "gender": "f"}]


def test_a_surname_the_model_left_untagged_is_the_person_named_in_full(extract):
    body = ("Attorney General Loretta E. Lynch spoke at the law school on Monday. “We have come a long way,” "
            "Lynch said. Lynch said there remains a significant difference in private practice.")
    names = {q["speaker_name"] for q in extract("T", body).quotes}
    assert names == {"Loretta E. Lynch"}


def test_he_is_not_someone_named_inside_a_quote(extract):
    # "Christie" alone, which the small model takes for an organisation, is still the Chris Christie named before.
    body = ("Gov. Chris Christie of New Jersey spoke on Sunday. Christie blamed Hillary Clinton for the tone of the "
            "campaign. Christie bristled at the suggestion that he was responsible for advising Trump, saying, "
            "\"the advice I give to Donald is to Donald.\" He also said Trump would win the state in November.")
    quote = next(q for q in extract("T", body).quotes if q["text"].startswith("Trump would win"))
    assert (quote["speaker_text"], quote["speaker_name"]) == ("He", "Chris Christie")


def test_that_said_is_no_speech_act(extract):
    quotes = extract("T", "That said, Millennials say they believe success will require a lifetime of effort.").quotes
    assert [(q["cue"], q["speaker_name"]) for q in quotes] == [("say", "Millennials")]
    for opening in ("Having said that,", "That being said,", "With that said,"):
        result = extract("T", f"{opening} the senators think the bill will pass in the spring.")
        assert not [q for q in result.quotes if q["cue"] == "said"], opening
    said = extract("T", "The minister said that the bill will pass in the spring.").quotes
    assert [q["cue"] for q in said] == ["said"]


def test_who_shared_by_a_coordinated_speech_verb_is_its_antecedent(extract):
    body = "Bernie Sanders, who endorsed Canova in late May and said he would campaign with him, stayed away."
    quote = next(q for q in extract("T", body).quotes if q["cue"] == "said")
    assert (quote["speaker_text"], quote["speaker_name"]) == ("who", "Bernie Sanders")


def test_they_is_the_plural_subject_of_the_last_main_clause(extract):
    body = ("The civil rights groups wrote to the senator on Thursday. They said the new rules would hurt "
            "thousands of voters in the state.")
    quote = _by_kind(extract("T", body), "indirect")[0]
    assert quote["speaker_text"] == "They" and "groups" in quote["speaker_name"]
    # Only a main clause's subject: here "they" stays unresolved rather than taken for "the groups".
    body = ("When the groups wrote to him, the senator was away. They said the new rules would hurt thousands of "
            "voters in the state.")
    quote = _by_kind(extract("T", body), "indirect")[0]
    assert (quote["speaker_text"], quote["speaker_name"]) == ("They", None)


def test_urged_and_alleged_report_speech(extract):
    body = "The mayor urged that the council vote on the budget before the summer recess began."
    assert [q["cue"] for q in extract("T", body).quotes] == ["urged"]
    body = "The lawsuit alleged that the company had hidden its losses from investors for years."
    assert [q["cue"] for q in extract("T", body).quotes] == ["alleged"]


def test_he_or_she_is_never_someone_the_article_gives_the_other_sex(extract):
    # No first name says what "Hillary" or "Bernie" is; the article does ("said he", or twice "her lead").
    body = ("Hillary Clinton campaigned in Ohio. Bernie Sanders spoke in Iowa on Monday. Sanders said he would stay "
            "in the race. Clinton is poised to shore up her delegate lead. Clinton is likely to cement her dominance "
            "on Tuesday. He said the fight would go on.")
    quote = next(q for q in extract("T", body).quotes if q["text"].startswith("the fight"))
    assert (quote["speaker_text"], quote["speaker_name"]) == ("He", "Bernie Sanders")


def test_a_surname_two_people_share_is_the_one_introduced_first_or_the_one_its_title_names(extract):
    body = ("Hillary Clinton spoke in Ohio on Monday. Former President Bill Clinton set high expectations. "
            "Clinton said she would win the state.")
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Hillary Clinton"
    body = ("Hillary Clinton spoke in Ohio on Monday. Former President Bill Clinton set high expectations. "
            "Mr. Clinton said the state would be won.")
    assert _by_kind(extract("T", body), "indirect")[0]["speaker_name"] == "Bill Clinton"


def test_a_surname_two_known_people_share_keeps_the_country_of_the_one_introduced_first(extract):
    from datetime import datetime, timezone

    body = ("Bill Clinton spoke in Ohio on Monday, two days after Hillary Clinton spoke there. Clinton said the "
            "health law was crazy.")
    quote = _by_kind(extract("T", body, datetime(2016, 10, 4, tzinfo=timezone.utc)), "indirect")[0]
    assert (quote["speaker_name"], quote["speaker_country"]) == ("Bill Clinton", "USA")


def test_how_a_speaker_spoke_is_no_speaker_and_what_they_were_doing_is_no_role(extract):
    body = ("“We have had better conventions than this one,” Ohio delegate Mary Hollis, holding a sign and a "
            "“Kasich” banner, said calmly as the music faded in the hall.")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert (quote["speaker_text"], quote["speaker_name"]) == ("Ohio delegate Mary Hollis", "Mary Hollis")


def test_a_participle_hung_on_what_was_said_is_the_reporter_s(extract):
    body = ("Cruz told the radio host that Jeb Bush “had a foolish plan for the border,” adding, “He lost the "
            "primary because of it.”")
    quote = next(q for q in extract("T", body).quotes if q["text"].startswith("He lost"))
    assert quote["speaker_name"] == "Cruz"
    # A speech verb of its own keeps its subject ('Kelly cannot say that “...,” Walsh added, saying ...').
    body = ("Kelly cannot say that “in his opinion,” Walsh added, saying it should be “up to the voters to "
            "decide on this.”")
    quote = next(q for q in extract("T", body).quotes if q["text"].startswith("up to"))
    assert quote["speaker_name"] == "Walsh"


def test_what_an_unnamed_asker_asked_is_not_the_answerer_s(extract):
    body = "Asked whether he would back Jeb Bush as the nominee, Senator Tom Miller said he would."
    quotes = extract("T", body).quotes
    question = next(q for q in quotes if q["cue"] == "Asked")
    assert question["text"].startswith("he would back") and question["speaker_name"] is None
    assert next(q for q in quotes if q["cue"] == "said")["speaker_name"] == "Tom Miller"
    body = "Asked by host Anne Kelly whether she had practiced the speech, Senator Ruth Hale said no."
    question = next(q for q in extract("T", body).quotes if q["cue"] == "Asked")
    assert question["speaker_name"] == "Anne Kelly"
    # An answer after "when asked" is still the answerer's.
    body = ("Attorney General Mary Jones told the committee when asked last month about the inquiry: “That matter "
            "is being handled by career agents.”")
    quote = _by_kind(extract("T", body), "direct")[0]
    assert quote["speaker_name"] == "Mary Jones"


def test_a_passive_speech_verb_names_no_speaker_in_its_subject(extract):
    # The subject of "was asked", "was told", "it is said" is who was spoken to or about: the row stays,
    # with the agent as speaker or none.
    body = "In an interview last week, Senator Ruth Hale was asked what she thought of the new tax plan."
    question = next(q for q in extract("T", body).quotes if q["cue"] == "asked")
    assert question["text"].startswith("what she thought") and question["speaker_name"] is None
    body = "It was widely reported that the company paid $100 million for the plane."
    quote = next(q for q in extract("T", body).quotes if q["cue"] == "reported")
    assert quote["speaker_text"] is None
    body = ("Ruth Hale was asked, “If you had known about the server, would you have told her it was not a good "
            "idea?” She answered, “I have no idea, and I never will.”")
    quotes = _by_kind(extract("T", body), "direct")
    assert [(q["cue"], q["speaker_name"]) for q in quotes] == [("asked", None), ("answered", "Ruth Hale")]
    body = ("The agency interviewed him in 2011 after being warned by the Russian government that he was a "
            "follower of radical Islam.")
    quote = next(q for q in extract("T", body).quotes if q["cue"] == "warned")
    assert quote["speaker_text"] == "Russian government"
    # Not "was quoted as saying", nor "has" contracted ("He's said he ...", parsed as a passive).
    body = "Tom Miller is quoted as saying that the calls are cheaper than ever before."
    assert next(q for q in extract("T", body).quotes if q["cue"] == "saying")["speaker_name"] == "Tom Miller"
    body = "Senator Tom Miller rarely talks about money. He's said he gets his ideas about policy from a novel."
    assert next(q for q in extract("T", body).quotes if q["cue"] == "said")["speaker_name"] == "Tom Miller"


def test_a_clause_before_a_colon_is_no_report_of_the_verb_after_it(extract):
    for body in ("We have seen this before: Ahmed Khan declared war on the West.",
                 "We have been here before: the rebel leader declared war on the government."):
        assert not [q for q in extract("T", body).quotes if q["text"].startswith("We have")], body
    body = "The economy is growing quickly this year, officials told reporters on Friday."
    assert [q["text"] for q in extract("T", body).quotes] == ["The economy is growing quickly this year"]


def test_he_is_not_a_name_that_completes_a_thing(extract):
    body = ("Barack Obama opened the museum on the Mall on Saturday, in front of a crowd of many thousands of "
            "visitors from across the country and from abroad. He spoke of his many flights on Marine One past the "
            "lighted figure of Abraham Lincoln, sheltered in his memorial. ''We will walk away more in love with "
            "this country,'' he said.")
    quote = next(q for q in extract("T", body).quotes if q["text"].startswith("We will walk"))
    assert quote["speaker_name"] == "Barack Obama"
