-- Who is quoted: one row per resolved speaker name and country, with the role used most often.
with quotes as (
    select * from staging.stg_quotes
),

named as (
    select *
    from quotes
    where speaker_name is not null
),

final as (
    select
        speaker_name,
        speaker_country,
        mode(speaker_role) as speaker_role, -- the role written most often with the name
        count(*) as quotes, -- quotes attributed to the speaker
        count(distinct article_id) as articles -- articles quoting the speaker
    from named
    group by speaker_name, speaker_country
)

select * from final
