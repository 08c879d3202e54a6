-- Mentions of each country per day: the country named (name, demonym, capital, government body) or a place
-- in it (a city, a US state), split into mentions as an actor and as a location.
with entities as (
    select * from staging.stg_entities
),

articles as (
    select article_id, coalesce(published_at, ingested_at) as dated_at
    from staging.stg_articles
),

located as (
    select
        entities.article_id,
        entities.country_code,
        entities.is_location,
        cast(articles.dated_at as date) as day
    from entities
    inner join articles on entities.article_id = articles.article_id
    where entities.country_code is not null
),

final as (
    select
        country_code,
        day, -- the article's publication day (UTC), else the day it was ingested
        count(*) as mentions, -- entity mentions of the country or of a place in it
        count(distinct article_id) as articles, -- articles with at least one such mention
        count(*) filter (where not is_location) as actor_mentions, -- mentions of the country acting (name, demonym, government)
        count(*) filter (where is_location) as location_mentions -- mentions of a place in it (city, "in Japan", dateline)
    from located
    group by country_code, day
)

select * from final
