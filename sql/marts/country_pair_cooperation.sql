-- Cooperation and conflict mentions per country pair and month. A mention is a supporting sentence; rows
-- count from confidence 0.5 (at 0.5 dev check precision is what the README's quality table shows). Stories
-- count the same report sent again (a repeat, correction, update) once (marts.story_members).
with relations as (
    select * from staging.stg_relations
    where confidence >= 0.5
),

articles as (
    select article_id, coalesce(published_at, ingested_at) as dated_at
    from staging.stg_articles
),

story_members as (
    select article_id, story_id
    from marts.story_members
),

dated as (
    select
        relations.article_id,
        relations.sentence_idx,
        relations.country_a,
        relations.country_b,
        relations.polarity,
        relations.goldstein,
        story_members.story_id,
        articles.dated_at,
        cast(date_trunc('month', articles.dated_at) as date) as month
    from relations
    inner join articles on relations.article_id = articles.article_id
    inner join story_members on relations.article_id = story_members.article_id
),

final as (
    select
        country_a,
        country_b,
        month, -- first day of the month of publication (else of ingestion)
        count(distinct (article_id, sentence_idx)) filter (where polarity = 'cooperation') as cooperation_mentions, -- sentences supporting cooperation
        count(distinct (article_id, sentence_idx)) filter (where polarity = 'conflict') as conflict_mentions, -- sentences supporting conflict
        count(distinct article_id) filter (where polarity = 'cooperation') as cooperation_articles, -- articles with a cooperation sentence
        count(distinct article_id) filter (where polarity = 'conflict') as conflict_articles, -- articles with a conflict sentence
        count(distinct story_id) filter (where polarity = 'cooperation') as cooperation_stories, -- stories with a cooperation sentence: a report sent again counts once
        count(distinct story_id) filter (where polarity = 'conflict') as conflict_stories, -- stories with a conflict sentence
        cooperation_mentions - conflict_mentions as net_cooperation, -- cooperation_mentions minus conflict_mentions
        sum(goldstein) as goldstein_sum, -- sum of the Goldstein values of the supporting rows (GDELT's GoldsteinScale)
        round(avg(goldstein), 3) as goldstein_mean, -- mean Goldstein value of the supporting rows, -10 (conflict) to +10
        min(dated_at) as first_seen, -- earliest article date in the month for the pair
        max(dated_at) as last_seen -- latest article date in the month for the pair
    from dated
    group by country_a, country_b, month
)

select * from final
