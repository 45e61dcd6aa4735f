"""Benchmark: a whole commune takes a 20-question quiz at once (issue 4, "Benchmark").

    .venv/bin/python bench/quiz_load.py                      # 1,000 learners, 30–90 s think time (~26 min)
    .venv/bin/python bench/quiz_load.py --users 100 --think-min 2 --think-max 5   # quick run (~4 min)
    .venv/bin/python bench/quiz_load.py --think-scale 0.05   # same shape, think time ×0.05 (~5 min)

Creates a throw-away PostgreSQL database (default server: postgres://postgres@127.0.0.1:5432), migrates
it, generates a bank with a 20-question quiz and N learners with pre-authenticated sessions (stored in
Redis, as production does), starts gunicorn on 127.0.0.1 only with production settings
(bench/quiz_bench_settings.py: production over plain HTTP) against PostgreSQL + Redis, and drives it
with Locust headless (bench/quiz_locustfile.py): every learner starts within the first 60 s. A bare
Django view doing one UPSERT on the same stack is measured alongside as the reference.

Afterwards it compares every acknowledged save with the database (lost_answers must be 0), drops the
database, and prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
N_QUESTIONS = 20
WORKERS = 4
THREADS = 8


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument(
        "--ramp-seconds", type=float, default=60.0, help="all learners start within this time"
    )
    parser.add_argument(
        "--think-min", type=float, default=30.0, help="shortest think time before an answer (s)"
    )
    parser.add_argument(
        "--think-max", type=float, default=90.0, help="longest think time before an answer (s)"
    )
    parser.add_argument(
        "--think-scale",
        type=float,
        default=1.0,
        help="multiplies the think time (and the 2–5 s before submitting)",
    )
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help="gunicorn processes (gthread workers)"
    )
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", ""),
        help="default: a private redis-server on 127.0.0.1 for this run (nothing else can flush it)",
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--generate", help=argparse.SUPPRESS)  # internal: run the data generator
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[quiz_load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def bench_env(database_url: str, redis_url: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.quiz_bench_settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_URL": "console://",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
            "ALLOW_LOCAL_MEDIA": "true",
            "SECURE_SSL_REDIRECT": "false",
            "DB_CONN_MAX_AGE": "60",
            "LMS_VAR_DIR": tempfile.gettempdir() + "/quiz-bench-var",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


# --- data generation (runs in a child process with Django set up) ------------------------------------


def generate(out_path: str, users: int) -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.cache import SessionStore
    from django.db import connection

    from assessments.models import (
        Choice,
        LegalTag,
        Question,
        QuestionBank,
        QuestionCategory,
        Quiz,
        QuizSlot,
    )
    from bench.quiz_bench_urls import REFERENCE_TABLE
    from lms.org.models import Person

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {REFERENCE_TABLE} (k text PRIMARY KEY, answer jsonb, seq integer NOT NULL)"
        )
    bank = QuestionBank.objects.create(name="Luật Thực hiện dân chủ ở cơ sở", slug="bench-dccs")
    category = QuestionCategory.objects.create(bank=bank, name="Kiểm tra cuối khóa")
    quiz = Quiz.objects.create(
        title="Kiểm tra cuối khóa (benchmark)",
        bank=bank,
        time_limit=3 * 3600,
        attempts_allowed=1,
        pass_percent=Decimal("50"),
        review_answers="immediately",
        review_explanations="immediately",
    )
    for i in range(N_QUESTIONS):
        qtype = "multiple" if i % 10 == 9 else ("truefalse" if i % 5 == 4 else "single")
        q = Question.objects.create(
            bank=bank,
            category=category,
            qtype=qtype,
            name=f"Câu {i + 1}",
            text=f"<p>Theo Luật số 10/2022/QH15, nội dung {i + 1} nào sau đây là đúng?</p>",
            explanation=f"Xem Điều {3 + i % 30} Luật số 10/2022/QH15.",
            status="reviewed",
        )
        LegalTag.objects.create(question=q, law="10/2022/QH15", article=3 + i % 30)
        if qtype == "truefalse":
            specs = [("Đúng", 1), ("Sai", 0)]
        elif qtype == "multiple":
            specs = [
                ("Phương án A", 0.5),
                ("Phương án B", 0.5),
                ("Phương án C", -0.5),
                ("Phương án D", -0.5),
            ]
        else:
            specs = [("Phương án A", 1), ("Phương án B", 0), ("Phương án C", 0), ("Phương án D", 0)]
        for order, (text, fraction) in enumerate(specs):
            Choice.objects.create(
                question=q, text=text, fraction=Decimal(str(fraction)), sort_order=order
            )
        QuizSlot.objects.create(quiz=quiz, kind="fixed", question=q, sort_order=i)

    User = get_user_model()
    password = make_password(secrets.token_urlsafe(16))  # hashed once; nobody logs in with it
    User.objects.bulk_create(
        [User(username=f"bench-learner-{n:05d}", password=password) for n in range(users)],
        batch_size=1000,
    )
    user_list = list(
        User.objects.filter(username__startswith="bench-learner-").order_by("username")
    )
    Person.objects.bulk_create(
        [
            Person(user=u, full_name=f"Học viên {n:05d}", phone=f"09{n:08d}")
            for n, u in enumerate(user_list)
        ],
        batch_size=1000,
    )
    sessions = []
    for user in user_list:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "lms.accounts.backends.IdentifierBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"username": user.username, "session_key": store.session_key})
    Path(out_path).write_text(
        json.dumps({"quiz_id": quiz.pk, "sessions": sessions}), encoding="utf-8"
    )


# --- measuring -----------------------------------------------------------------------------------------


def count_lost(database_url: str, ack_file: Path) -> tuple[int, int]:
    """(acknowledged answers, of which not found in the database as acknowledged)."""
    import psycopg

    acked: dict[int, tuple[int, object]] = {}
    for line in ack_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["aq"] not in acked or row["seq"] >= acked[row["aq"]][0]:
            acked[row["aq"]] = (row["seq"], row["answer"])
    if not acked:
        return 0, 0
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT attempt_question_id, seq, answer FROM assessments_response WHERE attempt_question_id = ANY(%s)",
            [list(acked)],
        ).fetchall()
    stored = {aq: (seq, answer) for aq, seq, answer in rows}
    lost = 0
    for aq, (seq, answer) in acked.items():
        db = stored.get(aq)
        if db is None or db[0] < seq or (db[0] == seq and db[1] != answer):
            lost += 1
    return len(acked), lost


def read_stats(prefix: Path) -> dict:
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            stats[row["Name"]] = row
    return stats


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every live process in a process group (gunicorn and its workers).

    Unlike latencies, this is hardly inflated when other work competes for the cores: CPU seconds
    per request is the figure to compare between two runs on a busy machine.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # the server answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def main() -> int:
    args = parse_args()
    if args.generate:
        generate(args.generate, args.users)
        return 0

    import psycopg
    from psycopg import sql

    # A SIGTERM (e.g. a time limit) still runs the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    db_name = f"quiz_bench_{os.getpid()}"
    admin_url = args.pg_url
    database_url = admin_url.rsplit("/", 1)[0] + "/" + db_name
    work = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    redis = None
    redis_url = args.redis_url
    if not redis_url:
        redis_port = args.port + 10000
        redis = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(work),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        time.sleep(1)
    env = bench_env(database_url, redis_url, args.port)
    gunicorn = None
    result: dict = {}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    try:
        log(f"migrating {db_name}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        log(f"generating a {N_QUESTIONS}-question quiz and {args.users} learners")
        data_file = work / "sessions.json"
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--generate",
                str(data_file),
                "--users",
                str(args.users),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        data = json.loads(data_file.read_text(encoding="utf-8"))
        users_file = work / "users.json"
        users_file.write_text(json.dumps(data["sessions"]), encoding="utf-8")

        log(
            f"starting gunicorn on 127.0.0.1:{args.port} ({args.workers} workers × {args.threads} threads)"
        )
        gunicorn = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "lms.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--timeout",
                "60",
                "--keep-alive",
                "120",  # think time is 30–90 s: keep connections as a reverse proxy would
                "--preload",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(work / "gunicorn.log", "w"),  # noqa: SIM115 (gunicorn writes it until killed)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        warm_url = f"http://127.0.0.1:{args.port}/kiem-tra/de/{data['quiz_id']}/"
        wait_http(warm_url, timeout=60)
        for _ in range(
            args.workers * 10
        ):  # warm every worker (template loading, URL resolver) as in production
            wait_http(warm_url, timeout=10)

        ack_file = work / "acks.jsonl"
        ack_file.touch()
        spawn_rate = args.users / args.ramp_seconds
        if not 0 <= args.think_min <= args.think_max:
            raise SystemExit("--think-min must be between 0 and --think-max")
        per_user = N_QUESTIONS * args.think_max * args.think_scale + 5 * args.think_scale
        run_time = math.ceil(args.ramp_seconds + per_user + 120)
        log(
            f"locust: {args.users} learners, spawn {spawn_rate:.1f}/s, "
            f"think {args.think_min:g}–{args.think_max:g} s ×{args.think_scale}, bound {run_time}s"
        )
        locust_env = {
            **env,
            "QUIZ_BENCH_USERS_FILE": str(users_file),
            "QUIZ_BENCH_QUIZ_ID": str(data["quiz_id"]),
            "QUIZ_BENCH_THINK_SCALE": str(args.think_scale),
            "QUIZ_BENCH_THINK_MIN": str(args.think_min),
            "QUIZ_BENCH_THINK_MAX": str(args.think_max),
            "QUIZ_BENCH_ACK_FILE": str(ack_file),
            "QUIZ_BENCH_USERS": str(args.users),
        }
        prefix = work / "locust"
        load_before = os.getloadavg()[0]
        cpu_before = group_cpu_seconds(gunicorn.pid)
        started = time.monotonic()
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "quiz_locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                f"{spawn_rate:.3f}",
                "--run-time",
                f"{run_time}s",
                "--stop-timeout",
                "30",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT / "bench",
            env=locust_env,
            check=False,
            timeout=run_time + 300,
        )
        elapsed = time.monotonic() - started
        server_cpu = group_cpu_seconds(gunicorn.pid) - cpu_before
        load_after = os.getloadavg()[0]
        stats = read_stats(prefix)
        acknowledged, lost = count_lost(database_url, ack_file)
        with psycopg.connect(database_url) as conn:
            submitted, graded = conn.execute(
                "SELECT count(*) FILTER (WHERE state = 'submitted'), count(graded_at) FROM assessments_attempt"
            ).fetchone()

        def pct(name: str, column: str):
            row = stats.get(name)
            return None if row is None or row[column] in ("", "N/A") else float(row[column])

        result = {}
        for key, name in (
            ("start", "start"),
            ("page", "page"),
            ("save", "save"),
            ("submit", "submit"),
        ):
            for label, column in (("p50", "50%"), ("p95", "95%"), ("p99", "99%")):
                result[f"{key}_{label}_ms"] = pct(name, column)
        total = stats.get("Aggregated", {})
        result.update(
            {
                "errors": int(total.get("Failure Count", 0) or 0),
                "lost_answers": lost,
                "acknowledged_answers": acknowledged,
                "reference_save_p50_ms": pct("reference_save", "50%"),
                "reference_save_p95_ms": pct("reference_save", "95%"),
                "reference_save_p99_ms": pct("reference_save", "99%"),
                "requests": int(total.get("Request Count", 0) or 0),
                "server_cpu_s": round(server_cpu, 1),
                "server_cpu_ms_per_request": round(
                    1000 * server_cpu / max(1, int(total.get("Request Count", 0) or 0)), 2
                ),
                "load_average_1m_start": round(load_before, 2),
                "load_average_1m_end": round(load_after, 2),
                "attempts_submitted": submitted,
                "attempts_graded": graded,
                "users": args.users,
                "think_scale": args.think_scale,
                "think_min_s": args.think_min,
                "think_max_s": args.think_max,
                "workers": args.workers,
                "threads": args.threads,
                "elapsed_s": round(elapsed, 1),
            }
        )
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        if not args.keep_db:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(db_name)
                    )
                )
        log(f"work files: {work}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
