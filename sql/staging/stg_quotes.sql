-- quotes rows of each article's newest complete extraction only.
with quotes as (
    select * from lake.quotes
),

latest as (
    select article_id, run_id from staging.stg_latest_extractions
),

final as (
    select
        quotes.quote_id,
        quotes.article_id,
        quotes.start,
        quotes."end",
        quotes.text,
        quotes.kind,
        quotes.cue,
        quotes.speaker_text,
        quotes.speaker_start,
        quotes.speaker_end,
        quotes.speaker_name,
        quotes.speaker_role,
        quotes.speaker_country,
        quotes.speaker_country_basis,
        quotes.speaker_sector,
        quotes.speaker_id,
        quotes.sentence_idx,
        cast(quotes.confidence as double) as confidence,
        quotes.extractor_version,
        quotes.run_id
    from quotes
    inner join latest
        on quotes.article_id = latest.article_id
        and quotes.run_id = latest.run_id
)

select * from final
