-- Mentions of each country per day (names, demonyms, capitals: every entity that resolves to it).
with entities as (
    select * from staging.stg_entities
),

articles as (
    select article_id, coalesce(published_at, ingested_at) as dated_at
    from staging.stg_articles
),

final as (
    select
        entities.country_code,
        cast(articles.dated_at as date) as day,
        count(*) as mentions,
        count(distinct entities.article_id) as articles
    from entities
    inner join articles on entities.article_id = articles.article_id
    where entities.country_code is not null
    group by entities.country_code, cast(articles.dated_at as date)
)

select * from final
