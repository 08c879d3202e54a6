-- Who is quoted: one row per speaker across articles (marts.quote_speakers), with the name, the country and sector
-- of their quotes (marts.quote_speakers) and the role used most often. A quote repeated in several reports of one story (marts.story_members) is one story quote.
with quotes as (
    select * from staging.stg_quotes
),

quote_speakers as (
    select * from marts.quote_speakers
),

story_members as (
    select article_id, story_id
    from marts.story_members
),

identified as (
    select
        quote_speakers.speaker_id,
        quote_speakers.speaker_country,
        quote_speakers.speaker_country_basis,
        quote_speakers.speaker_sector,
        story_members.story_id,
        quotes.* exclude (speaker_id, speaker_country, speaker_country_basis, speaker_sector)
    from quotes
    inner join quote_speakers on quotes.quote_id = quote_speakers.quote_id
    inner join story_members on quotes.article_id = story_members.article_id
),

final as (
    select
        speaker_id,
        arg_max(speaker_name, length(speaker_name)) as speaker_name, -- the fullest resolved name
        list(distinct speaker_name order by speaker_name) as aliases, -- every resolved name of the speaker
        mode(speaker_country) as speaker_country, -- the country given most often (null when none is known)
        mode(speaker_country_basis) as speaker_country_basis, -- how the country is known most often: role, dictionary, context
        mode(speaker_sector) as speaker_sector, -- GOV, ELI, MIL, ... when known
        mode(speaker_role) as speaker_role, -- the role written most often with the name
        count(*) as quotes, -- quotes attributed to the speaker
        count(distinct article_id) as articles, -- articles quoting the speaker
        count(distinct (story_id, lower(text))) as story_quotes, -- quotes counting a quote repeated across a story's reports once
        count(distinct story_id) as stories -- stories quoting the speaker
    from identified
    group by speaker_id
)

select * from final
