-- Links between reports of one story (transforms/stories.py), found by the newest story version; each pair once
-- (a run that died between a chunk's links and its signatures wrote them twice).
with links as (
    select * from lake.story_links
),

signatures as (
    select * from lake.story_signatures
),

current_version as (
    select arg_max(story_version, found_at) as story_version
    from signatures
),

final as (
    select distinct
        least(links.article_id, links.linked_article_id) as article_id,
        greatest(links.article_id, links.linked_article_id) as linked_article_id,
        cast(links.similarity as double) as similarity,
        cast(links.jaccard as double) as jaccard,
        links.story_version
    from links
    inner join current_version on links.story_version = current_version.story_version
)

select * from final
