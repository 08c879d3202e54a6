-- A speaker's country comes with how it is known, and only then; a sector only with a country.
select quote_id, speaker_country, speaker_country_basis, speaker_sector
from marts.quote_speakers
where (speaker_country is null) != (speaker_country_basis is null)
    or speaker_country_basis not in ('role', 'dictionary', 'context')
    or (speaker_sector is not null and speaker_country is null)
