"""Background jobs of the org app. Tasks take ids, are idempotent, and call model code."""

from __future__ import annotations

from celery import shared_task

from .models import Person

REINDEXED_FIELDS = ["full_name", "phone", "email", "staff_code", "sort_key", "search_text"]


@shared_task(name="org.person_reindex")
def person_reindex(person_id: int) -> bool:
    """Recompute a person's normalised name, sort key and search text (e.g. after the
    collation rules change, or after rows were written in bulk). Returns False if gone."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return False
    # Person.save derives the keys; update only what it derives.
    person.save(update_fields=[*REINDEXED_FIELDS, "updated_at"])
    return True
