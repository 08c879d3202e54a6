-- One row per story, and its articles add up to the articles in the warehouse.
with stories as (
    select * from marts.stories
),

repeated as (
    select story_id, 'several rows' as problem
    from stories
    group by story_id
    having count(*) > 1
),

uncounted as (
    select 'total' as story_id, 'articles do not add up' as problem
    from (select sum(articles) as counted from stories)
    where counted is distinct from (select count(*) from staging.stg_articles)
        and (select count(*) from staging.stg_articles) > 0
),

final as (
    select * from repeated
    union all
    select * from uncounted
)

select * from final
