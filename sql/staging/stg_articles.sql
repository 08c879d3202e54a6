-- One row per article (the first time it arrived).
with articles as (
    select * from lake.articles
),

first_arrival as (
    select *
    from articles
    qualify row_number() over (partition by article_id order by ingested_at, run_id) = 1
),

final as (
    select
        article_id,
        external_id,
        source,
        url,
        title,
        body,
        cast(published_at as timestamptz) as published_at,
        cast(ingested_at as timestamptz) as ingested_at,
        language,
        cast(word_count as integer) as word_count,
        origin,
        coalesce(is_title_derived, false) as is_title_derived,
        run_id
    from first_arrival
)

select * from final
