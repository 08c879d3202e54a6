select relation_id, polarity, relation_type, quad_class
from staging.stg_relations
where polarity not in ('cooperation', 'conflict')
    or relation_type not in ('AGREE', 'CONSULT', 'COOPERATE', 'AID', 'ACCUSE', 'DEMAND', 'THREATEN', 'REJECT', 'SANCTION', 'FIGHT')
    or quad_class not in (1, 2, 3, 4)
    or (polarity = 'cooperation') != (quad_class in (1, 2))
    or confidence not between 0 and 1
