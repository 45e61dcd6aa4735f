"""Writing the audit trail. Services call these; nothing edits an entry afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Assignment, AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def assignment_snapshot(assignment: Assignment) -> dict[str, Any]:
    fields = (
        "status",
        "active",
        "unit_id",
        "position_id",
        "due_date",
        "completed_at",
        "completed_via",
        "exempt_reason",
        "exempt_by_id",
        "source",
    )
    return {name: _jsonable(getattr(assignment, name)) for name in fields}


def audit_record(
    *,
    obj: models.Model,
    action: str,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        note=note[:255],
    )
