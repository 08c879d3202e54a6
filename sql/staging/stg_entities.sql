-- entities rows of each article's newest complete extraction only.
with entities as (
    select * from lake.entities
),

latest as (
    select article_id, run_id from staging.stg_latest_extractions
),

final as (
    select
        entities.entity_id,
        entities.article_id,
        entities.sentence_idx,
        entities.start,
        entities."end",
        entities.text,
        entities.label,
        entities.country_code,
        entities.canonical_name,
        entities.is_location,
        entities.extractor_version,
        entities.run_id
    from entities
    inner join latest
        on entities.article_id = latest.article_id
        and entities.run_id = latest.run_id
)

select * from final
