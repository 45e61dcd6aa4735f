"""Celery tasks: thin wrappers taking ids and calling services. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.export_run")
def export_run(export_id: int) -> str:
    from .services import report_export_run

    return report_export_run(export_id=export_id)
