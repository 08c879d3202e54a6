-- Who said what about each country pair: a quote counts for a pair when its speaker's country (marts.quote_speakers)
-- is one side of a relation found in a sentence the quote covers. The same words of a speaker about a pair in several
-- reports of one story (marts.story_members) are a repeat after the first report: count
-- `where not is_story_repeat` to count them once.
with quotes as (
    select * from staging.stg_quotes
),

relations as (
    select * from staging.stg_relations
),

quote_speakers as (
    select * from marts.quote_speakers
),

articles as (
    select article_id, title, published_at, coalesce(published_at, ingested_at) as dated_at
    from staging.stg_articles
),

story_members as (
    select article_id, story_id
    from marts.story_members
),

quoted_relations as (
    select
        quotes.quote_id,
        quotes.article_id,
        relations.country_a,
        relations.country_b,
        relations.polarity,
        relations.relation_type,
        relations.sentence,
        quote_speakers.speaker_id,
        quotes.speaker_name,
        quotes.speaker_role,
        -- a quote without a resolved name has no row in quote_speakers: its own country, if any
        coalesce(quote_speakers.speaker_country, quotes.speaker_country) as speaker_country,
        coalesce(quote_speakers.speaker_country_basis, quotes.speaker_country_basis) as speaker_country_basis,
        coalesce(quote_speakers.speaker_sector, quotes.speaker_sector) as speaker_sector,
        quotes.kind,
        quotes.text as quote_text,
        story_members.story_id
    from quotes
    inner join story_members on quotes.article_id = story_members.article_id
    left join quote_speakers on quotes.quote_id = quote_speakers.quote_id
    inner join relations
        on quotes.article_id = relations.article_id
        and relations.start < quotes."end"
        and relations."end" > quotes.start
    where coalesce(quote_speakers.speaker_country, quotes.speaker_country) in (relations.country_a, relations.country_b)
),

final as (
    select
        quoted_relations.quote_id,
        quoted_relations.article_id,
        quoted_relations.country_a,
        quoted_relations.country_b,
        quoted_relations.polarity,
        string_agg(distinct quoted_relations.relation_type, ',' order by quoted_relations.relation_type) as relation_types, -- relation types of the pair in the covered sentences, comma-separated
        any_value(quoted_relations.speaker_id) as speaker_id, -- the speaker across articles (marts.speakers)
        any_value(quoted_relations.speaker_name) as speaker_name,
        any_value(quoted_relations.speaker_role) as speaker_role,
        any_value(quoted_relations.speaker_country) as speaker_country,
        any_value(quoted_relations.speaker_country_basis) as speaker_country_basis, -- role, dictionary or context
        any_value(quoted_relations.speaker_sector) as speaker_sector, -- GOV, ELI, MIL, ... when known
        any_value(quoted_relations.kind) as quote_kind, -- direct, indirect or mixed
        any_value(quoted_relations.quote_text) as quote_text, -- the quoted content
        min(quoted_relations.sentence) as sentence, -- a sentence the quote covers that supports the relation
        any_value(articles.title) as article_title, -- title of the article the quote is in
        any_value(articles.dated_at) as dated_at, -- publication time, else ingestion time
        quoted_relations.story_id, -- the story the article reports (marts.story_members)
        row_number() over (
            partition by
                quoted_relations.story_id, quoted_relations.country_a, quoted_relations.country_b,
                quoted_relations.polarity, any_value(quoted_relations.speaker_id), lower(any_value(quoted_relations.quote_text))
            order by any_value(articles.published_at) nulls last, quoted_relations.article_id, quoted_relations.quote_id
        ) > 1 as is_story_repeat -- the speaker said the same about the pair in an earlier report of the story
    from quoted_relations
    inner join articles on quoted_relations.article_id = articles.article_id
    group by
        quoted_relations.quote_id,
        quoted_relations.article_id,
        quoted_relations.country_a,
        quoted_relations.country_b,
        quoted_relations.polarity,
        quoted_relations.story_id
)

select * from final
