-- A speaker country comes with how it is known, and only then; a speaker id only with a resolved name.
select quote_id, speaker_country, speaker_country_basis, speaker_id, speaker_name
from staging.stg_quotes
where (speaker_country is null) != (speaker_country_basis is null)
    or speaker_country_basis not in ('role', 'dictionary', 'context')
    or (speaker_id is not null and speaker_name is null)
