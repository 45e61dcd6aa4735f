"""Writes: the round's quiz, entries (start, submit, predict), closing a round, its dissemination
record and the winners' certificates.

The attempt itself is the assessments engine's: questions drawn and frozen at start, the deadline
kept by the server, answers saved with a sequence guard, graded once on submit.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.api import (
    AssessmentError,
    Quiz,
    QuizNotReady,
    attempt_is_expired,
    attempt_start,
    attempt_submit,
    grace,
    managed_entrant_create,
    phone_normalise,
    public_rate_limited,
    random_quiz_sync,
)
from certificates.api import award_certificate_render
from lms.core.text import normalize_text
from lms.dissemination.api import DisseminationActivity
from lms.org.api import Unit

from .models import (
    ContestCertificate,
    ContestRoundPage,
    Entry,
    RoundCommuneActivity,
    RoundState,
)
from .ranking import Ranked

COMMUNE_KIND = "xa-phuong"

ROUND_NOT_OPEN = _("Đợt thi chưa mở hoặc đã kết thúc.")
ROUND_NOT_READY = _("Đợt thi chưa sẵn sàng (chưa đủ câu hỏi). Vui lòng quay lại sau.")
NO_ENTRIES_LEFT = _("Số điện thoại này đã dự thi đủ %(n)s lượt cho đợt thi này.")
ENTRY_IN_PROGRESS = _("Số điện thoại này đang có một lượt thi chưa nộp bài.")
COMMUNE_INVALID = _("Vui lòng chọn xã, phường trong danh sách.")
PREDICTION_CLOSED = _("Đã hết thời gian trả lời câu hỏi dự đoán.")
PREDICTION_NOT_READY = _("Vui lòng nộp bài trước khi trả lời câu hỏi dự đoán.")
ROUND_NOT_FINAL = _("Đợt thi chưa tổng kết nên chưa thể cấp giấy chứng nhận.")
TOO_MANY_REQUESTS = _("Có quá nhiều lượt đăng ký từ thiết bị/mạng này. Vui lòng thử lại sau.")


class ContestError(Exception):
    """A refusal a citizen or staff member should see; ``message`` is a module constant."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def communes_active():
    """Active communes, wards and special zones (the entrant chooses one)."""
    return Unit.objects.active().filter(kind__code=COMMUNE_KIND).order_by("name")


def round_state(round_page: ContestRoundPage) -> RoundState | None:
    try:
        return round_page.state
    except RoundState.DoesNotExist:
        return None


def round_quiz_sync(*, round_page: ContestRoundPage) -> Quiz:
    """Create or update the engine quiz behind a round: window, time limit, one random slot.

    The quiz is not “public” in the assessments sense: citizens reach it only through the round,
    which asks for the commune and enforces the round's own entry rules.
    """
    with transaction.atomic():
        state = RoundState.objects.select_related("quiz").filter(round_id=round_page.pk).first()
        quiz = random_quiz_sync(
            quiz=state.quiz if state is not None else None,
            title=round_page.title,
            category=round_page.category,
            count=round_page.question_count,
            time_limit_seconds=round_page.time_limit_minutes * 60,
            open_at=round_page.opens_at,
            close_at=round_page.closes_at,
        )
        if state is None:
            RoundState.objects.create(round_id=round_page.pk, quiz=quiz)
    return quiz


def _entrant_phone(phone: str, number: int) -> str:
    # The engine keeps one entrant per phone and quiz; later entries of the same phone carry
    # their number so each gets its own attempt (the contest counts the best one).
    return phone if number == 1 else f"{phone}/{number}"


def entry_start(
    *,
    round_page: ContestRoundPage,
    full_name: str,
    phone: str,
    commune: Unit,
    hamlet: str = "",
    ip: str | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """Register an entry and start its attempt (questions drawn and frozen). Raises ContestError."""
    now = now or timezone.now()
    state = round_state(round_page)
    if state is None or not round_page.is_open(now):
        raise ContestError(ROUND_NOT_OPEN)
    try:
        phone = phone_normalise(phone)
    except AssessmentError as exc:
        raise ContestError(exc.message) from exc
    if not communes_active().filter(pk=commune.pk).exists():
        raise ContestError(COMMUNE_INVALID)
    previous = list(Entry.objects.filter(round=round_page, phone=phone).select_related("attempt"))
    for entry in previous:
        attempt = entry.attempt
        if attempt.is_open:
            if not attempt_is_expired(attempt, now=now):
                raise ContestError(ENTRY_IN_PROGRESS)
            attempt_submit(attempt_id=attempt.pk, auto=True)
    if len(previous) >= round_page.max_entries_per_phone:
        raise ContestError(NO_ENTRIES_LEFT % {"n": round_page.max_entries_per_phone})
    if public_rate_limited(ip=ip):
        raise ContestError(TOO_MANY_REQUESTS)
    number = len(previous) + 1
    full_name = normalize_text(full_name).strip()
    hamlet = normalize_text(hamlet).strip()
    try:
        with transaction.atomic():
            entrant = managed_entrant_create(
                quiz=state.quiz,
                full_name=full_name,
                phone_key=_entrant_phone(phone, number),
                locality=", ".join(x for x in (hamlet, commune.name) if x),
                unit=commune,
                ip=ip,
            )
            attempt = attempt_start(quiz=state.quiz, entrant=entrant, rng=rng)
            return Entry.objects.create(
                round=round_page,
                number=number,
                full_name=full_name,
                phone=phone,
                commune=commune,
                hamlet=hamlet,
                attempt=attempt,
                ip_address=ip,
                created_at=now,
            )
    except QuizNotReady as exc:
        raise ContestError(ROUND_NOT_READY) from exc
    except AssessmentError as exc:
        raise ContestError(exc.message) from exc
    except IntegrityError as exc:  # a concurrent entry of the same phone took this number
        raise ContestError(ENTRY_IN_PROGRESS) from exc


def entry_submit(*, entry: Entry, auto: bool = False) -> bool:
    """Submit and grade the entry's attempt (exactly once)."""
    return attempt_submit(attempt_id=entry.attempt_id, auto=auto)


def entry_close_if_expired(*, entry: Entry) -> None:
    attempt = entry.attempt
    if attempt.is_open and attempt_is_expired(attempt):
        attempt_submit(attempt_id=attempt.pk, auto=True)
        attempt.refresh_from_db()


def prediction_open(*, entry: Entry, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    state = round_state(entry.round)
    return (
        entry.prediction is None
        and (state is None or state.closed_at is None)
        and now <= entry.round.closes_at + grace()
    )


def entry_predict(*, entry: Entry, prediction: int, now: dt.datetime | None = None) -> None:
    """Record the tie-breaker answer once, after the attempt is submitted."""
    now = now or timezone.now()
    if entry.attempt.is_open:
        raise ContestError(PREDICTION_NOT_READY)
    if not prediction_open(entry=entry, now=now):
        raise ContestError(PREDICTION_CLOSED)
    Entry.objects.filter(pk=entry.pk, prediction__isnull=True).update(prediction=prediction)
    entry.refresh_from_db(fields=["prediction"])


def rounds_due(*, now: dt.datetime | None = None) -> list[int]:
    """Rounds past their close (and the attempts' grace) that have not been summed up yet."""
    now = now or timezone.now()
    return list(
        RoundState.objects.filter(closed_at__isnull=True, round__closes_at__lt=now - grace())
        .order_by("round__closes_at")
        .values_list("round_id", flat=True)
    )


def round_finalise(*, round_id: int, now: dt.datetime | None = None) -> bool:
    """Close a round once: submit open attempts, fix the actual number of fully correct entries,
    record the dissemination activity of each participating commune. Idempotent."""
    from .selectors import scored_entries

    now = now or timezone.now()
    round_page = ContestRoundPage.objects.get(pk=round_id)
    state = round_state(round_page)
    if state is None or state.closed_at is not None or now < round_page.closes_at + grace():
        return False
    open_ids = Entry.objects.filter(round=round_page, attempt__state="in_progress").values_list(
        "attempt_id", flat=True
    )
    for attempt_id in list(open_ids):
        attempt_submit(attempt_id=attempt_id, auto=True)
    from .ranking import fully_correct_count

    actual = fully_correct_count(scored_entries(round_page=round_page))
    with transaction.atomic():
        flipped = RoundState.objects.filter(pk=state.pk, closed_at__isnull=True).update(
            closed_at=now, fully_correct_count=actual
        )
        if flipped != 1:
            return False
        round_dissemination_record(round_page=round_page)
    return True


def round_dissemination_record(*, round_page: ContestRoundPage) -> int:
    """One dissemination activity (form “contest”) per participating commune; participants =
    people (phones) with a submitted entry. Re-running updates the same activities."""
    from .selectors import commune_counts_uncached

    rows = commune_counts_uncached(round_page=round_page)
    contest = round_page.get_parent().specific
    topic = f"{contest.title} — {round_page.title}"[:255]
    day = timezone.localdate(round_page.closes_at)
    links = {
        link.commune_id: link for link in RoundCommuneActivity.objects.filter(round=round_page)
    }
    written = 0
    for row in rows:
        notes = str(
            _(
                "Ghi nhận tự động khi đợt thi kết thúc: %(people)s người dự thi, %(entries)s lượt thi."
            )
            % {"people": row.people, "entries": row.entries}
        )
        link = links.get(row.commune_id)
        if link is not None:
            written += DisseminationActivity.objects.filter(pk=link.activity_id).update(
                participants=row.people, notes=notes, topic=topic, date=day
            )
            continue
        activity = DisseminationActivity.objects.create(
            unit_id=row.commune_id,
            date=day,
            form=DisseminationActivity.Form.CONTEST,
            topic=topic,
            participants=row.people,
            place=str(_("Trực tuyến")),
            notes=notes,
        )
        RoundCommuneActivity.objects.create(
            round=round_page, commune_id=row.commune_id, activity_id=activity.pk
        )
        written += 1
    return written


def certificates_issue(
    *, round_page: ContestRoundPage, template_id: int, user, ranking: list[Ranked], site_url: str
) -> int:
    """Issue the winners' certificates (top N of the final ranking, within the user's scope),
    once per phone and round. Returns how many were new."""
    state = round_state(round_page)
    if state is None or state.closed_at is None:
        raise ContestError(ROUND_NOT_FINAL)
    from .selectors import communes_in_scope

    allowed = communes_in_scope(round_page=round_page, user=user)
    done = set(ContestCertificate.objects.filter(round=round_page).values_list("phone", flat=True))
    contest = round_page.get_parent().specific
    issued = 0
    for row in ranking[: round_page.top_n]:
        entry = row.entry
        if entry.phone in done or (allowed is not None and entry.commune_id not in allowed):
            continue
        code = secrets.token_hex(8)
        try:
            with transaction.atomic():
                serial, pdf = award_certificate_render(
                    template_id=template_id,
                    holder_name=entry.full_name,
                    unit_name=", ".join(x for x in (entry.hamlet, entry.commune_name) if x),
                    award_title=f"{contest.title} — {round_page.title}",
                    result_text=str(_("Đạt hạng %(rank)s") % {"rank": row.rank}),
                    completed_on=timezone.localdate(round_page.closes_at),
                    verify_url=site_url,
                    code=code,
                )
                certificate = ContestCertificate(
                    round=round_page,
                    phone=entry.phone,
                    entry_id=entry.entry_id,
                    rank=row.rank,
                    serial=serial,
                    code=code,
                )
                certificate.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
                certificate.save()
        except IntegrityError:
            continue  # issued concurrently: once per phone and round
        issued += 1
    return issued
