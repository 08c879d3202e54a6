-- relations rows of each article's newest complete extraction only.
with relations as (
    select * from lake.relations
),

latest as (
    select article_id, run_id from staging.stg_latest_extractions
),

final as (
    select
        relations.relation_id,
        relations.article_id,
        relations.sentence_idx,
        relations.start,
        relations."end",
        relations.country_a,
        relations.country_b,
        relations.polarity,
        relations.relation_type,
        cast(relations.quad_class as integer) as quad_class,
        relations.cue,
        relations.cameo_code,
        cast(relations.goldstein as decimal(4, 1)) as goldstein,
        relations.actor_a_text,
        relations.actor_b_text,
        relations.actor_a_sector,
        relations.actor_b_sector,
        cast(relations.confidence as double) as confidence,
        relations.sentence,
        relations.extractor_version,
        relations.run_id
    from relations
    inner join latest
        on relations.article_id = latest.article_id
        and relations.run_id = latest.run_id
)

select * from final
