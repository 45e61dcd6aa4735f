from django.dispatch import Signal

# Sent after positions of these people changed (created, ended, moved by a merge).
# Training listens to keep assignments in step. Arguments: person_ids (list[int]).
positions_changed = Signal()
