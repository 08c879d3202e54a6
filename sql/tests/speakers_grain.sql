select speaker_name, speaker_country, count(*) as copies
from marts.speakers
group by speaker_name, speaker_country
having count(*) > 1
