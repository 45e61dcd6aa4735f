"""Keeping `CompletionCount` equal to the live assignments (decision 0008).

- `mark(unit_years=...)`: called (through signals) whenever assignments of these (unit, year)
  pairs changed; after the transaction commits, `refresh` runs for them in a Celery task.
- `refresh(unit_years=...)`: recomputes the `own` rows of these units from their assignments
  (one GROUP BY per breakdown over a few units' rows), then the `tree` rows of these units and
  of their ancestors, bottom-up: tree(A) = own(A) + Σ tree(child of A). A level whose rows did
  not change stops the climb. Each (unit, year) is written only under a PostgreSQL advisory
  lock taken in one global order (year, depth from the leaves up, unit id), so concurrent
  refreshes neither deadlock nor lose a change: whoever recomputes a unit last, recomputes it
  from rows committed by everyone before.
- `reconcile()`: the safety net run by Celery beat every minute. It compares cheap
  fingerprints (sums over one GROUP BY of the assignments and one of the counts) and refreshes
  only the (unit, year) pairs that disagree: changes made behind the services' back (raw SQL,
  a deleted person, an edited target group) show within a minute.
- `rebuild()`: refresh of every (unit, year) there is (`manage.py rebuild_report_counts`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Substr

from lms.org.api import Unit
from lms.training.api import Assignment

from .models import NO_DATE, CompletionCount

logger = logging.getLogger(__name__)

STATUS = Assignment.Status
OPEN = [STATUS.NOT_STARTED, STATUS.IN_PROGRESS]
OWN, TREE = CompletionCount.Scope.OWN, CompletionCount.Scope.TREE
GROUP = CompletionCount.Breakdown.GROUP
COURSE = CompletionCount.Breakdown.COURSE
MONTH = CompletionCount.Breakdown.MONTH
# Advisory lock namespace (first int4 of pg_advisory_xact_lock) is this plus the year.
LOCK_NAMESPACE = 0x52430000
STATUS_CODE = {STATUS.NOT_STARTED: 1, STATUS.IN_PROGRESS: 2, STATUS.COMPLETED: 3, STATUS.EXEMPT: 4}

Key = tuple  # (breakdown, key, status, due_date, month)
Rows = dict  # Key -> n

# --- Marking changes -----------------------------------------------------------------------

_local = threading.local()


def mark(*, unit_years: Iterable[tuple[int, int]]) -> None:
    """Assignments of these (unit id, year) pairs changed: refresh their counts after commit.

    Pairs collect per thread; every mark registers an on-commit flush (cheap; the first one
    to run takes everything collected), so a rolled-back savepoint cannot swallow a flush.
    With `REPORTS_COUNTS_IMMEDIATE` (tests that run inside one transaction) the refresh runs
    at once instead.
    """
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = set()
    pending.update((int(u), int(y)) for u, y in unit_years)
    if getattr(settings, "REPORTS_COUNTS_IMMEDIATE", False):
        _flush(immediate=True)
    else:
        transaction.on_commit(_flush)


def _flush(immediate: bool = False) -> None:
    pairs = sorted(getattr(_local, "pending", ()) or ())
    _local.pending = set()
    if not pairs:
        return
    if immediate:
        refresh(unit_years=pairs)
        return
    from .tasks import counts_refresh

    try:
        counts_refresh.delay([list(p) for p in pairs])
    except Exception:  # broker down: the minute-by-minute reconcile repairs these counts
        logger.exception("Could not queue the report counts refresh for %d units", len(pairs))


# --- Reading -------------------------------------------------------------------------------


def _daynum(expression):
    return ExtractYear(expression) * 10000 + ExtractMonth(expression) * 100 + ExtractDay(expression)


def _live_rows(condition: Q) -> dict[tuple[int, int], Rows]:
    """Expected `own` rows from the active assignments matching `condition` (three queries)."""
    base = Assignment.objects.filter(condition, active=True).order_by()
    due = Case(
        When(status__in=OPEN, then=F("due_date")),
        default=Value(NO_DATE),
        output_field=DateField(),
    )
    out: dict[tuple[int, int], Rows] = defaultdict(dict)
    for breakdown, key_field in ((GROUP, "position__target_group_id"),
                                 (COURSE, "requirement__course_id")):  # fmt: skip
        grouped = (
            base.annotate(k=Coalesce(key_field, 0), due=due)
            .values("unit_id", "year", "k", "status", "due")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in grouped:
            key = (breakdown, row["k"], row["status"], row["due"], NO_DATE)
            out[(row["unit_id"], row["year"])][key] = row["n"]
    months = (
        base.filter(status=STATUS.COMPLETED)
        .annotate(y=ExtractYear("completed_at"), m=ExtractMonth("completed_at"))
        .values("unit_id", "year", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in months:
        key = (MONTH, 0, STATUS.COMPLETED, NO_DATE, dt.date(row["y"], row["m"], 1))
        out[(row["unit_id"], row["year"])][key] = row["n"]
    return out


def _stored_rows(*, scope: str, year: int, unit_ids: Iterable[int]) -> dict[int, Rows]:
    out: dict[int, Rows] = defaultdict(dict)
    for unit_id, breakdown, key, status, due, month, n in CompletionCount.objects.filter(
        scope=scope, year=year, unit_id__in=list(unit_ids)
    ).values_list("unit_id", "breakdown", "key", "status", "due_date", "month", "n"):
        out[unit_id][(breakdown, key, status, due, month)] = n
    return out


def _write(*, scope: str, year: int, rows_by_unit: dict[int, Rows]) -> None:
    if not rows_by_unit:
        return
    CompletionCount.objects.filter(scope=scope, year=year, unit_id__in=list(rows_by_unit)).delete()
    CompletionCount.objects.bulk_create(
        [
            CompletionCount(
                unit_id=unit_id,
                year=year,
                scope=scope,
                breakdown=breakdown,
                key=key,
                status=status,
                due_date=due,
                month=month,
                n=n,
            )
            for unit_id, rows in rows_by_unit.items()
            for (breakdown, key, status, due, month), n in rows.items()
            if n
        ],
        batch_size=2000,
    )


def _lock(*, year: int, unit_ids: Iterable[int]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite runs one writer at a time
    with connection.cursor() as cursor:
        # unnest() yields the sorted ids in order: the locks are taken in that order.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, u::int)) FROM unnest(%s::bigint[]) AS u",
            [LOCK_NAMESPACE + year, sorted(unit_ids)],
        )


# --- Refreshing ----------------------------------------------------------------------------


def refresh(*, unit_years: Iterable[tuple[int, int]], trees: Iterable[tuple[int, int]] = ()) -> int:
    """Recompute the counts of these (unit, year) pairs and roll them up; returns units written.

    `trees` names units whose own rows are right but whose tree rows must be recomputed.
    """
    own_by_year: dict[int, set[int]] = defaultdict(set)
    tree_by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in unit_years:
        own_by_year[int(year)].add(int(unit_id))
    for unit_id, year in trees:
        tree_by_year[int(year)].add(int(unit_id))
    written = 0
    for year in sorted(set(own_by_year) | set(tree_by_year)):
        with transaction.atomic():
            written += _refresh_year(
                year=year, own_ids=own_by_year[year], tree_ids=tree_by_year[year]
            )
    return written


def _refresh_year(*, year: int, own_ids: set[int], tree_ids: set[int]) -> int:
    step = Unit.steplen
    units = {
        pk: (path, depth)
        for pk, path, depth in Unit.objects.filter(pk__in=own_ids | tree_ids)
        .order_by()
        .values_list("pk", "path", "depth")
    }
    prefixes = {path[: step * d] for path, depth in units.values() for d in range(1, depth)}
    by_path = {path: pk for pk, (path, _depth) in units.items()}
    for pk, path, depth in (
        Unit.objects.filter(path__in=prefixes).order_by().values_list("pk", "path", "depth")
    ):
        units[pk] = (path, depth)
        by_path[path] = pk
    own_ids = {pk for pk in own_ids if pk in units}
    pending_tree = {pk for pk in tree_ids if pk in units}
    written = 0
    for depth in range(max((d for _p, d in units.values()), default=0), 0, -1):
        own_here = {pk for pk in own_ids if units[pk][1] == depth}
        tree_here = {pk for pk in pending_tree if units[pk][1] == depth}
        if not own_here and not tree_here:
            continue
        _lock(year=year, unit_ids=own_here | tree_here)
        changed = _refresh_own(year=year, unit_ids=own_here)
        changed = _refresh_tree(year=year, units={pk: units[pk][0] for pk in changed | tree_here})
        written += len(changed)
        for pk in changed:
            parent = by_path.get(units[pk][0][: step * (depth - 1)]) if depth > 1 else None
            if parent is not None:
                pending_tree.add(parent)
    return written


def _refresh_own(*, year: int, unit_ids: set[int]) -> set[int]:
    """Rewrite the own rows that differ from the assignments; the ids whose rows changed."""
    if not unit_ids:
        return set()
    live = _live_rows(Q(unit_id__in=list(unit_ids), year=year))
    stored = _stored_rows(scope=OWN, year=year, unit_ids=unit_ids)
    changed = {
        pk: live.get((pk, year), {})
        for pk in unit_ids
        if live.get((pk, year), {}) != stored.get(pk, {})
    }
    _write(scope=OWN, year=year, rows_by_unit=changed)
    return set(changed)


def _refresh_tree(*, year: int, units: dict[int, str]) -> set[int]:
    """tree(A) = own(A) + Σ tree(children of A), for units {id: path} of one depth."""
    if not units:
        return set()
    depth = len(next(iter(units.values()))) // Unit.steplen
    paths = {path: pk for pk, path in units.items()}
    child_ids = list(
        Unit.objects.filter(depth=depth + 1)
        .annotate(parent_path=Substr("path", 1, Unit.steplen * depth))
        .filter(parent_path__in=list(paths))
        .order_by()
        .values_list("pk", flat=True)
    )
    grouped = (
        CompletionCount.objects.filter(year=year)
        .filter(Q(scope=OWN, unit_id__in=list(units)) | Q(scope=TREE, unit_id__in=child_ids))
        .annotate(owner=Substr("unit__path", 1, Unit.steplen * depth))
        .values("owner", "breakdown", "key", "status", "due_date", "month")
        .annotate(total=Sum("n"))
        .order_by()
    )
    expected: dict[int, Rows] = {pk: {} for pk in units}
    for row in grouped:
        if row["total"]:
            key = (row["breakdown"], row["key"], row["status"], row["due_date"], row["month"])
            expected[paths[row["owner"]]][key] = row["total"]
    stored = _stored_rows(scope=TREE, year=year, unit_ids=units)
    changed = {pk: rows for pk, rows in expected.items() if rows != stored.get(pk, {})}
    _write(scope=TREE, year=year, rows_by_unit=changed)
    return set(changed)


def rebuild() -> int:
    """Refresh every (unit, year) that has assignments or counts; returns units written."""
    pairs = set(Assignment.objects.order_by().values_list("unit_id", "year").distinct()) | set(
        CompletionCount.objects.order_by().values_list("unit_id", "year").distinct()
    )
    return refresh(unit_years=pairs)


# --- Reconciling ---------------------------------------------------------------------------

FINGERPRINT = ("n", "code", "code2", "key", "key2", "day")


def _code(field: str = "status"):
    return Case(
        *[When(**{field: status}, then=Value(code)) for status, code in STATUS_CODE.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _live_fingerprints() -> dict[tuple[int, int, str], tuple]:
    """Per (unit, year, breakdown): sums that any difference in the own rows would change."""
    group = Coalesce("position__target_group_id", 0)
    course = F("requirement__course_id")
    month = ExtractYear("completed_at") * 10000 + ExtractMonth("completed_at") * 100 + 1
    done = Q(status=STATUS.COMPLETED)
    rows = (
        Assignment.objects.filter(active=True)
        .order_by()
        .annotate(code=_code())
        .values("unit_id", "year")
        .annotate(
            n=Count("id"),
            sc=Sum("code"),
            sc2=Sum(F("code") * F("code")),
            g=Sum(group),
            g2=Sum(group * group),
            c=Sum(course),
            c2=Sum(course * course),
            due=Sum(_daynum("due_date"), filter=Q(status__in=OPEN)),
            nc=Count("id", filter=done),
            mon=Sum(month, filter=done),
        )
    )
    out = {}
    for r in rows:
        unit_year = (r["unit_id"], r["year"])
        common = (r["n"], r["sc"] or 0, r["sc2"] or 0)
        out[(*unit_year, GROUP)] = (*common, r["g"] or 0, r["g2"] or 0, r["due"] or 0)
        out[(*unit_year, COURSE)] = (*common, r["c"] or 0, r["c2"] or 0, r["due"] or 0)
        if r["nc"]:
            out[(*unit_year, MONTH)] = (r["nc"], 3 * r["nc"], 9 * r["nc"], 0, 0, r["mon"] or 0)
    return out


def _stored_fingerprints() -> dict[tuple[int, int, str, str], tuple]:
    """Per (unit, year, scope, breakdown): the same sums over the stored rows."""
    n = F("n")
    rows = (
        CompletionCount.objects.order_by()
        .annotate(code=_code())
        .values("unit_id", "year", "scope", "breakdown")
        .annotate(
            sn=Sum("n"),
            sc=Sum(n * F("code")),
            sc2=Sum(n * F("code") * F("code")),
            k=Sum(n * F("key")),
            k2=Sum(n * F("key") * F("key")),
            due=Sum(n * _daynum("due_date"), filter=Q(status__in=OPEN)),
            mon=Sum(n * _daynum("month"), filter=Q(breakdown=MONTH)),
        )
    )
    return {
        (r["unit_id"], r["year"], r["scope"], r["breakdown"]): (
            r["sn"],
            r["sc"] or 0,
            r["sc2"] or 0,
            r["k"] or 0,
            r["k2"] or 0,
            (r["mon"] if r["breakdown"] == MONTH else r["due"]) or 0,
        )
        for r in rows
    }


def reconcile() -> int:
    """Find (unit, year) pairs whose counts disagree with the assignments and refresh them."""
    live = _live_fingerprints()
    stored = _stored_fingerprints()
    zero = (0,) * len(FINGERPRINT)
    own_stale: set[tuple[int, int]] = set()
    for unit_id, year, breakdown in set(live) | {(u, y, b) for (u, y, s, b) in stored if s == OWN}:
        if live.get((unit_id, year, breakdown), zero) != stored.get(
            (unit_id, year, OWN, breakdown), zero
        ):
            own_stale.add((unit_id, year))
    # Tree rows: tree(A) must equal own(A) + Σ tree(children), for every unit and breakdown.
    paths = dict(Unit.objects.order_by().values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    expected: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0] * len(FINGERPRINT))
    for (unit_id, year, scope, breakdown), values in stored.items():
        if unit_id not in paths:
            continue
        if scope == OWN:
            owner = unit_id
        else:
            owner = by_path.get(paths[unit_id][: -Unit.steplen])
            if owner is None:
                continue
        acc = expected[(owner, year, breakdown)]
        for i, v in enumerate(values):
            acc[i] += v
    tree_stale: set[tuple[int, int]] = set()
    for unit_id, year, breakdown in set(expected) | {
        (u, y, b) for (u, y, s, b) in stored if s == TREE
    }:
        if tuple(expected.get((unit_id, year, breakdown), zero)) != stored.get(
            (unit_id, year, TREE, breakdown), zero
        ):
            tree_stale.add((unit_id, year))
    if not own_stale and not tree_stale:
        return 0
    logger.warning(
        "Report counts out of step: refreshing %d own and %d tree (unit, year) pairs",
        len(own_stale),
        len(tree_stale),
    )
    return refresh(unit_years=own_stale, trees=tree_stale)
