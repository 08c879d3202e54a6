-- One row per source file content read completely (the newest reading of each file_id and reader version).
with source_files as (
    select * from lake.source_files
),

newest as (
    select *
    from source_files
    qualify row_number() over (partition by file_id, reader_version order by ingested_at desc, run_id desc) = 1
),

final as (
    select
        file_id,
        path,
        size_bytes,
        cast(modified_at as timestamptz) as modified_at,
        reader_version,
        articles,
        rejects,
        cast(ingested_at as timestamptz) as ingested_at,
        run_id
    from newest
)

select * from final
