-- Who is quoted: one row per speaker (speaker_id), with the name, country, sector and role used most often.
with quotes as (
    select * from staging.stg_quotes
),

identified as (
    select *
    from quotes
    where speaker_id is not null
),

final as (
    select
        speaker_id,
        mode(speaker_name) as speaker_name, -- the resolved name written most often
        list(distinct speaker_name order by speaker_name) as aliases, -- every resolved name of the speaker
        mode(speaker_country) as speaker_country, -- the country given most often (null when none is known)
        mode(speaker_country_basis) as speaker_country_basis, -- how the country is known most often: role, dictionary, context
        mode(speaker_sector) as speaker_sector, -- GOV, ELI, MIL, ... when known
        mode(speaker_role) as speaker_role, -- the role written most often with the name
        count(*) as quotes, -- quotes attributed to the speaker
        count(distinct article_id) as articles -- articles quoting the speaker
    from identified
    group by speaker_id
)

select * from final
