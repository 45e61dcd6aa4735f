"""A real Celery worker process, on the real broker, against the test database.

Runs only when CELERY_BROKER_URL is set (CI does: Redis + PostgreSQL); otherwise the tests are
deselected by the hook in tests/conftest.py. The worker is a separate process, so the test
database must be one it can reach: a server database, not SQLite in memory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.db import connection, transaction

from lms.celery import app as celery_app
from lms.org.models import Person
from lms.org.tasks import person_reindex

pytestmark = pytest.mark.celery_worker

ROOT = Path(__file__).resolve().parent.parent
WORKER_START_SECONDS = 60
TASK_SECONDS = 30


def _database_url_for(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        pytest.fail(
            "Các bài kiểm thử với Celery worker cần DATABASE_URL trỏ tới PostgreSQL "
            "(worker là một tiến trình riêng, không dùng chung SQLite trong bộ nhớ)."
        )
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start `celery -A lms worker --pool=solo` on the test database; stop it afterwards."""
    node = f"pytest-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    log = open(os.devnull, "wb")  # noqa: SIM115 - closed in the teardown below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-mingle", "--without-gossip", "-n", node],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        hostname = node.replace("%h", socket.gethostname())
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not celery_app.control.ping(destination=[hostname], timeout=1.0):
            if process.poll() is not None:
                pytest.fail(f"Celery worker dừng ngay khi khởi động (mã {process.returncode}).")
            if time.monotonic() > deadline:
                pytest.fail("Celery worker không sẵn sàng sau 60 giây.")
        # Celery keeps "joining would block" in one process-wide flag, set around every eager
        # task; eager tasks run from several threads (race tests) can leave it set. This test
        # process is the client of a real worker, so waiting for a result is exactly right.
        with allow_join_result():
            yield process
    finally:
        celery_app.conf.task_always_eager = was_eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_task_queued_on_commit_runs_in_the_worker_and_writes_to_the_database(
    celery_worker_process,
):
    assert settings.CELERY_BROKER_URL.startswith("redis"), "a real broker is needed here"
    person = Person.objects.create(full_name="Đỗ  Thị   Ánh", phone="0912 345 678")
    # Simulate rows written in bulk without derived keys.
    Person.objects.filter(pk=person.pk).update(sort_key="", search_text="")

    queued = []
    with transaction.atomic():
        transaction.on_commit(lambda: queued.append(person_reindex.delay(person.pk)))
        assert queued == [], "nothing is queued before the transaction commits"
    assert len(queued) == 1

    # The worker, a separate process, ran it: the result comes back through the backend...
    assert queued[0].get(timeout=TASK_SECONDS) is True
    # ...and its write is in the database.
    person.refresh_from_db()
    assert person.full_name == "Đỗ Thị Ánh"
    assert person.search_text.startswith("do thi anh")
    assert person.sort_key != ""
    assert celery_worker_process.poll() is None


def test_task_for_a_missing_person_is_a_harmless_no_op(celery_worker_process):
    result = person_reindex.delay(987_654_321)
    assert result.get(timeout=TASK_SECONDS) is False
