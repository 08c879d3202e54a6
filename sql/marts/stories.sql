-- One row per story: the same report sent again (a repeat, a correction, an update, another headline) is one
-- story of several articles (marts.story_members).
with story_members as (
    select * from marts.story_members
),

articles as (
    select article_id, title, source, published_at, ingested_at
    from staging.stg_articles
),

members as (
    select story_members.story_id, story_members.is_first_report, articles.*
    from story_members
    inner join articles on story_members.article_id = articles.article_id
),

final as (
    select
        story_id,
        any_value(title) filter (where is_first_report) as title, -- the first report's title
        min(published_at) as first_published_at, -- publication of the earliest report (null when none is dated)
        max(published_at) as last_published_at, -- publication of the latest report
        min(ingested_at) as first_ingested_at, -- when newsflow first read a report of the story
        count(*) as articles, -- reports of the story
        list(distinct source order by source) filter (where source is not null) as sources -- where its reports came from
    from members
    group by story_id
)

select * from final
