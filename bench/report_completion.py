"""Benchmark: the completion dashboard on 100,000 people and ~1,000,000 assignments (PostgreSQL).

    .venv/bin/python bench/report_completion.py            # throw-away DB on 127.0.0.1:5432 (postgres)
    .venv/bin/python bench/report_completion.py --people 20000 --server postgres://u:p@host:5432

Creates a throw-away database, migrates it, generates 2,000 units in a 4-level tree (city →
communes → hamlets → boards), 20 courses with one requirement each, people with one position each
and ~10 assignments per person (bulk COPY), then measures `selectors.unit_report` (all the
dashboard's figures) for the whole tree and for one commune: SQL query counts at a tenth of the
data (`_1x`) and at full size (`_10x`), p50/p95 latency at full size, and a raw SQL GROUP BY over
the same rows as the physical reference. The database is dropped at the end. Last line: JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
YEAR = 2026


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--per-person", type=int, default=10, help="assignments per person")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def unit_rows() -> list[tuple[str, int, int, str, str, str]]:
    """(path, depth, numchild, code, name, kind) for 1 + 100 + 1,000 + 899 = 2,000 units."""
    rows = [("0001", 1, 100, "HCM", "Thành phố Hồ Chí Minh", "thanh-pho")]
    boards = 899
    for c in range(1, 101):
        cpath = "0001" + step(c)
        rows.append((cpath, 2, 10, f"X{c:03d}", f"Xã số {c}", "xa-phuong"))
        for h in range(1, 11):
            hpath = cpath + step(h)
            has_board = boards > 0
            boards -= 1 if has_board else 0
            rows.append(
                (hpath, 3, int(has_board), f"X{c:03d}-A{h:02d}", f"Ấp {h} xã số {c}", "thon-ap")
            )
            if has_board:
                rows.append(
                    (
                        hpath + step(1),
                        4,
                        0,
                        f"X{c:03d}-A{h:02d}-B",
                        f"Ban TTND ấp {h} xã {c}",
                        "ban",
                    )
                )
    return rows


def copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def generate(*, conn, first_person: int, count: int, units, requirements, groups, per_person, rng):
    """People, positions and assignments for person numbers [first_person, first_person+count)."""
    from lms.core.text import fold, name_sort_key

    given = [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đông",
        "Giang",
        "Hà",
        "Hải",
        "Lan",
        "Minh",
        "Nam",
        "Yến",
    ]
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Đặng", "Bùi", "Đỗ"]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with conn.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM org_person")
        base_person = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM org_positionassignment")
        base_position = cur.fetchone()[0]
        people, positions, assignments = [], [], []
        for i in range(count):
            pid, posid = base_person + i + 1, base_position + i + 1
            name = f"{rng.choice(family)} Văn {rng.choice(given)} {first_person + i}"
            people.append((pid, name, name_sort_key(name), fold(name), True, "", now, now))
            unit_id = rng.choice(units)
            positions.append(
                (posid, pid, unit_id, rng.choice(groups), "", "", dt.date(2025, 7, 1), now, now)
            )
            for req_id, due in rng.sample(requirements, per_person):
                r = rng.random()
                status = (
                    "completed"
                    if r < 0.6
                    else "in_progress"
                    if r < 0.75
                    else "exempt"
                    if r < 0.78
                    else "not_started"
                )
                completed_at = (
                    now + dt.timedelta(days=rng.randrange(0, 300))
                    if status == "completed"
                    else None
                )
                assignments.append((pid, req_id, posid, unit_id, YEAR, due, status, completed_at,
                                    "online" if completed_at else "",
                                    "Miễn" if status == "exempt" else "", "position", True, now, now))  # fmt: skip
        copy(
            cur,
            "org_person",
            [
                "id",
                "full_name",
                "sort_key",
                "search_text",
                "is_active",
                "gender",
                "created_at",
                "updated_at",
            ],
            people,
        )
        copy(cur, "org_positionassignment", ["id", "person_id", "unit_id", "target_group_id", "title", "note", "start_date",
                                             "created_at", "updated_at"], positions)  # fmt: skip
        copy(cur, "training_assignment", ["person_id", "requirement_id", "position_id", "unit_id", "year", "due_date",
                                          "status", "completed_at", "completed_via", "exempt_reason", "source",
                                          "active", "created_at", "updated_at"], assignments)  # fmt: skip
        for table in ("org_person", "org_positionassignment", "training_assignment"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
            cur.execute(f"ANALYZE {table}")
    conn.commit()
    return len(assignments)


def measure(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return round(statistics.median(times), 1), round(p95, 1)


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    import psycopg

    db_name = f"bench_reports_{os.getpid()}"
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{db_name}"')
    os.environ["DATABASE_URL"] = f"{args.server}/{db_name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.base"
    os.environ.setdefault("LMS_VAR_DIR", tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ.setdefault("CELERY_BROKER_URL", "")
    sys.path.insert(0, str(ROOT))
    result: dict = {}
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from wagtail.models import Locale, Page

        from courses.models import CourseIndexPage, CoursePage
        from lms.org.models import TargetGroup, Unit, UnitKind
        from lms.reports import counts, selectors
        from lms.reports.models import CompletionCount
        from lms.training.models import Assignment, Requirement, TrainingPlan
        from lms.training.services import assignment_mark_completed

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        result["migrate_seconds"] = round(time.perf_counter() - t0, 1)
        kinds = {code: UnitKind.objects.get_or_create(code=code, defaults={"name": code})[0].pk
                 for code in ("thanh-pho", "xa-phuong", "thon-ap", "ban")}  # fmt: skip
        groups = [TargetGroup.objects.get_or_create(code=f"g{i}", defaults={"name": f"Nhóm {i}", "sort_order": i})[0].pk
                  for i in range(6)]  # fmt: skip
        now = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
        raw = connection.connection  # psycopg connection under Django
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cur:
            copy(cur, "org_unit", ["path", "depth", "numchild", "code", "name", "kind_id", "place_name",
                                   "valid_from", "search_text", "created_at", "updated_at"],
                 [(p, d, n, c, name, kinds[k], "", dt.date(2025, 7, 1), c.lower(), now, now)
                  for p, d, n, c, name, k in unit_rows()])  # fmt: skip
            cur.execute("ANALYZE org_unit")
        raw.commit()
        Locale.objects.get_or_create(language_code="vi")
        root_page = Page.get_first_root_node()
        index = root_page.add_child(
            instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc-bench")
        )
        city = Unit.objects.get(depth=1)
        plan = TrainingPlan.objects.create(
            year=YEAR, title="Kế hoạch", scope_unit=city, status="draft"
        )
        requirements = []
        for i in range(20):
            course = index.add_child(
                instance=CoursePage(title=f"Khóa {i}", slug=f"khoa-{i}", summary="x", year=YEAR)
            )
            due = dt.date(YEAR, 3 + i % 9, 28)
            requirements.append(
                (Requirement.objects.create(plan=plan, course=course, due_date=due).pk, due)
            )
        unit_ids = list(Unit.objects.filter(depth__gte=2).values_list("pk", flat=True))
        commune = Unit.objects.get(code="X001")

        def run_counts() -> tuple[int, int]:
            city_fresh, commune_fresh = (
                Unit.objects.get(pk=city.pk),
                Unit.objects.get(pk=commune.pk),
            )
            with CaptureQueriesContext(connection) as tree_q:
                selectors.unit_report(unit=city_fresh, year=YEAR)
            with CaptureQueriesContext(connection) as commune_q:
                selectors.unit_report(unit=commune_fresh, year=YEAR)
            return len(tree_q.captured_queries), len(commune_q.captured_queries)

        tenth = args.people // 10
        t0 = time.perf_counter()
        n1 = generate(conn=raw, first_person=0, count=tenth, units=unit_ids, requirements=requirements,
                      groups=groups, per_person=args.per_person, rng=rng)  # fmt: skip
        counts.rebuild()
        result["tree_queries_1x"], result["commune_queries_1x"] = run_counts()
        n2 = generate(conn=raw, first_person=tenth, count=args.people - tenth, units=unit_ids,
                      requirements=requirements, groups=groups, per_person=args.per_person, rng=rng)  # fmt: skip
        result["generate_seconds"] = round(time.perf_counter() - t0, 1)
        result["assignments"] = n1 + n2
        result["people"] = args.people
        result["units"] = Unit.objects.count()
        t0 = time.perf_counter()
        counts.rebuild()
        result["counts_rebuild_seconds"] = round(time.perf_counter() - t0, 1)
        result["count_rows"] = CompletionCount.objects.count()
        with connection.cursor() as cur:
            cur.execute("ANALYZE reports_completioncount")
        result["tree_queries_10x"], result["commune_queries_10x"] = run_counts()
        city, commune = Unit.objects.get(pk=city.pk), Unit.objects.get(pk=commune.pk)
        result["tree_p50_ms"], result["tree_p95_ms"] = measure(
            lambda: selectors.unit_report(unit=city, year=YEAR), args.runs
        )
        result["commune_p50_ms"], result["commune_p95_ms"] = measure(
            lambda: selectors.unit_report(unit=commune, year=YEAR), args.runs
        )

        # Where the time of the city dashboard goes (to stderr): the plan of the counts query.
        with CaptureQueriesContext(connection) as plan_q:
            selectors.unit_report(unit=city, year=YEAR)
        counts_sql = next(
            q["sql"] for q in plan_q.captured_queries if "completioncount" in q["sql"]
        )
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + counts_sql)
            print("\n".join(r[0] for r in cur.fetchall()), file=sys.stderr)

        sql = """
            SELECT substr(u.path, 1, 8) AS prefix, count(*),
                   count(*) FILTER (WHERE a.status = 'completed'),
                   count(*) FILTER (WHERE a.status = 'exempt'),
                   count(*) FILTER (WHERE a.status IN ('not_started', 'in_progress') AND a.due_date < %s)
            FROM training_assignment a JOIN org_unit u ON u.id = a.unit_id
            WHERE a.year = %s AND a.active AND u.path LIKE %s
            GROUP BY 1
        """

        def raw_groupby():
            with connection.cursor() as cur:
                cur.execute(sql, [dt.date.today(), YEAR, city.path + "%"])
                cur.fetchall()

        result["sql_groupby_ms"] = measure(raw_groupby, args.runs)[0]

        # Freshness: one completion through the service, refreshed on commit, seen by the city.
        before = selectors.unit_report(unit=city, year=YEAR).total.completed
        pending = (
            Assignment.objects.filter(unit__path__startswith=commune.path + "0001", year=YEAR,
                                      status="not_started").order_by("pk").first()
        )  # fmt: skip
        t0 = time.perf_counter()
        assignment_mark_completed(assignment=pending, actor=None)
        result["completion_refresh_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        result["completion_visible"] = (
            selectors.unit_report(unit=city, year=YEAR).total.completed == before + 1
        )
        t0 = time.perf_counter()
        result["reconcile_repaired_units"] = counts.reconcile()
        result["reconcile_seconds"] = round(time.perf_counter() - t0, 2)
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_total_relation_size('training_assignment'))")
            result["assignment_table_size"] = cur.fetchone()[0]
        result["progress_rows"] = "not generated: course progress rows are not read by the report"
        result["load_average_1m"] = round(os.getloadavg()[0], 2)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
