-- The newest complete extraction of each article: rows of older or unfinished extractions are not read.
with extractions as (
    select * from lake.extractions
),

ranked as (
    select
        article_id,
        extractor_version,
        run_id,
        extracted_at,
        row_number() over (partition by article_id order by extracted_at desc, run_id desc) as recency
    from extractions
),

final as (
    select article_id, extractor_version, run_id, extracted_at
    from ranked
    where recency = 1
)

select * from final
