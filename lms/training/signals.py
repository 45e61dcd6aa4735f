"""Facts training announces to the layers above it (see decision 0006).

- `assignments_changed(unit_years=[(unit_id, year), …])`: assignments of these units and years
  changed in a way a model `post_save`/`post_delete` does not tell: a bulk `.update()`, or an
  assignment moved away from a unit (its old unit). Sent inside the writing transaction;
  receivers that do work should defer it to `transaction.on_commit`.
"""

from django.dispatch import Signal

assignments_changed = Signal()
