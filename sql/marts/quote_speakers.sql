-- The speaker of every quote with a resolved name, across articles: a surname alone ("Trump") that no article
-- resolved is the person quoted elsewhere under a full name with that surname ("Donald Trump") when there is one,
-- or when one of them has five times the quotes of any other; otherwise it stays its own speaker.
with quotes as (
    select * from staging.stg_quotes
),

identified as (
    select quote_id, article_id, speaker_id, speaker_name, lower(speaker_name) as lowered
    from quotes
    where speaker_id is not null
),

full_names as (
    select
        speaker_id,
        string_split(lowered, ' ')[-1] as surname,
        count(*) as quotes
    from identified
    where lowered like '% %'
    group by speaker_id, surname
),

ranked as (
    select
        *,
        row_number() over (partition by surname order by quotes desc, speaker_id) as rank,
        lead(quotes) over (partition by surname order by quotes desc, speaker_id) as next_quotes
    from full_names
),

by_surname as (
    select surname, speaker_id
    from ranked
    where rank = 1
        and (next_quotes is null or quotes >= 5 * next_quotes)
),

final as (
    select
        identified.quote_id,
        identified.article_id,
        coalesce(by_surname.speaker_id, identified.speaker_id) as speaker_id, -- the speaker across articles (marts.speakers)
        identified.speaker_id as article_speaker_id -- the speaker as the article names them (quotes.speaker_id)
    from identified
    left join by_surname
        on identified.lowered = by_surname.surname
)

select * from final
