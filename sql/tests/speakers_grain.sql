-- One row per speaker.
select speaker_id, count(*) as copies
from marts.speakers
group by speaker_id
having count(*) > 1
