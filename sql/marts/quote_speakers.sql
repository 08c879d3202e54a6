-- The speaker of every quote with a resolved name, across articles: a surname alone ("Trump") that no article
-- resolved is the person quoted elsewhere under a full name with that surname ("Donald Trump") when there is one,
-- or when one of them has five times the quotes of any other; otherwise it stays its own speaker.
-- The speaker's country: the quote's own when its mention shows it (a role, the people dictionary), else the
-- one the speaker's other quotes show that way most often, else the quote's own article context, else the
-- article context the speaker's other quotes have most often.
with quotes as (
    select * from staging.stg_quotes
),

identified as (
    select
        quote_id,
        article_id,
        speaker_id,
        speaker_name,
        lower(speaker_name) as lowered,
        speaker_country,
        speaker_country_basis,
        speaker_sector
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

linked as (
    select
        identified.*,
        coalesce(by_surname.speaker_id, identified.speaker_id) as person_id,
        identified.speaker_country_basis in ('role', 'dictionary') as is_shown
    from identified
    left join by_surname
        on identified.lowered = by_surname.surname
),

country_counts as (
    select
        person_id,
        is_shown,
        speaker_country,
        count(*) as quotes,
        mode(speaker_sector) as speaker_sector
    from linked
    where speaker_country is not null
    group by person_id, is_shown, speaker_country
),

ranked_countries as (
    select
        *,
        row_number() over (partition by person_id, is_shown order by quotes desc, speaker_country) as rank
    from country_counts
),

person_countries as (
    select
        person_id,
        any_value(speaker_country) filter (where is_shown) as shown_country,
        any_value(speaker_sector) filter (where is_shown) as shown_sector,
        any_value(speaker_country) filter (where not is_shown) as context_country
    from ranked_countries
    where rank = 1
    group by person_id
),

final as (
    select
        linked.quote_id,
        linked.article_id,
        linked.person_id as speaker_id, -- the speaker across articles (marts.speakers)
        linked.speaker_id as article_speaker_id, -- the speaker as the article names them (quotes.speaker_id)
        case
            when linked.is_shown then linked.speaker_country
            else coalesce(person_countries.shown_country, linked.speaker_country, person_countries.context_country)
        end as speaker_country, -- the quote's own country when its mention shows it, else the speaker's
        case
            when linked.is_shown then linked.speaker_country_basis
            when person_countries.shown_country is not null or person_countries.context_country is not null
                or linked.speaker_country is not null then 'context'
        end as speaker_country_basis, -- role or dictionary (this mention), else context (the article's, or the speaker's other quotes)
        case
            when linked.is_shown then linked.speaker_sector
            when person_countries.shown_country is not null then person_countries.shown_sector
        end as speaker_sector -- GOV, ELI, MIL, ... as the mention or the speaker's other quotes show it
    from linked
    left join person_countries
        on linked.person_id = person_countries.person_id
)

select * from final
