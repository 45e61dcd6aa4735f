"""Celery tasks: thin wrappers taking ids and calling services. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.export_run")
def export_run(export_id: int) -> str:
    from .services import report_export_run

    return report_export_run(export_id=export_id)


@shared_task(name="reports.counts_refresh")
def counts_refresh(unit_years: list[list[int]]) -> int:
    """Recompute the completion counts of these [unit id, year] pairs (queued on commit)."""
    from .counts import refresh

    return refresh(unit_years=[(unit_id, year) for unit_id, year in unit_years])


@shared_task(name="reports.counts_reconcile")
def counts_reconcile() -> int:
    """Every minute (Celery beat): repair any count that disagrees with the assignments."""
    from .counts import reconcile

    return reconcile()
