-- Every article's story: articles linked as reports of one story (staging.stg_story_links), directly or through
-- others, are one story, named by its first report: the earliest published (undated ones last), then the smaller
-- id. An article without links is a story of its own. The name depends on the articles only, not on when they
-- arrived, so a story found run by run is the story found in one run.
with recursive articles as (
    select article_id, published_at
    from staging.stg_articles
),

links as (
    select article_id, linked_article_id
    from staging.stg_story_links
),

edges as (
    select article_id as source_id, linked_article_id as target_id from links
    union
    select linked_article_id as source_id, article_id as target_id from links
),

reached (article_id, member_id) as (
    select distinct source_id, source_id from edges
    union
    select reached.article_id, edges.target_id
    from reached
    inner join edges on reached.member_id = edges.source_id
),

named as (
    select
        reached.article_id,
        arg_min(reached.member_id, (articles.published_at is null, articles.published_at, reached.member_id)) as story_id
    from reached
    inner join articles on reached.member_id = articles.article_id
    group by reached.article_id
),

final as (
    select
        articles.article_id,
        coalesce(named.story_id, articles.article_id) as story_id, -- the article id of the story's first report
        coalesce(named.story_id, articles.article_id) = articles.article_id as is_first_report, -- true for the story's first report
        count(*) over (partition by coalesce(named.story_id, articles.article_id)) as story_articles -- articles reporting the story
    from articles
    left join named on articles.article_id = named.article_id
)

select * from final
