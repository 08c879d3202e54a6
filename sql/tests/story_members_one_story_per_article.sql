-- Every article belongs to exactly one story, and every story is named by one of its own articles.
with articles as (
    select article_id from staging.stg_articles
),

story_members as (
    select * from marts.story_members
),

missing as (
    select articles.article_id, 'no story' as problem
    from articles
    left join story_members on articles.article_id = story_members.article_id
    where story_members.article_id is null
),

repeated as (
    select article_id, 'several stories' as problem
    from story_members
    group by article_id
    having count(*) > 1
),

unnamed as (
    select story_id as article_id, 'story named by no member' as problem
    from story_members
    group by story_id
    having count(*) filter (where is_first_report) <> 1
),

final as (
    select * from missing
    union all
    select * from repeated
    union all
    select * from unnamed
)

select * from final
