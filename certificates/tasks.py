"""Celery tasks: thin wrappers taking ids; the work is in services."""

from celery import shared_task


@shared_task(name="certificates.render", acks_late=True)
def certificate_render_task(certificate_id: int, rerender: bool = False) -> None:
    from .services import certificate_render

    certificate_render(certificate_id=certificate_id, rerender=rerender)


@shared_task(name="certificates.render_many", acks_late=True)
def certificates_render_many_task(certificate_ids: list[int]) -> int:
    from .services import certificates_render_many

    return certificates_render_many(certificate_ids=certificate_ids)


@shared_task(name="certificates.issue_for_completed", acks_late=True)
def certificates_issue_for_completed_task(course_id: int) -> int:
    from .services import certificates_issue_for_completed

    return certificates_issue_for_completed(course_id=course_id)


@shared_task(name="certificates.rerender_template", acks_late=True)
def template_rerender_task(template_id: int, certificate_ids: list[int]) -> None:
    from .services import certificate_render

    for certificate_id in certificate_ids:
        certificate_render(certificate_id=certificate_id, rerender=True)


@shared_task(name="certificates.bulk_export", acks_late=True)
def bulk_export_task(export_id: int) -> None:
    from .services import bulk_export_build, bulk_export_fail

    try:
        bulk_export_build(export_id=export_id)
    except Exception as exc:
        bulk_export_fail(export_id=export_id, error=repr(exc))
        raise


@shared_task(name="certificates.send_expiry_reminders")
def send_expiry_reminders_task() -> int:
    from .services import certificates_send_expiry_reminders

    return certificates_send_expiry_reminders()
