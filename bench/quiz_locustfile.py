"""Locust learners for bench/quiz_load.py (not for direct use: it passes the settings through the environment).

Each simulated learner, with its own pre-authenticated session: opens the quiz intro, starts an attempt,
loads the attempt page, answers the 20 questions one by one with a think time before each
(QUIZ_BENCH_THINK_MIN–QUIZ_BENCH_THINK_MAX s, default 30–90, × QUIZ_BENCH_THINK_SCALE), saving each answer the way attempt.js does (JSON + CSRF header + sequence
number; one in ten saves is re-sent, as a flaky connection would), calls the reference UPSERT endpoint
with the same payload, then submits. Every acknowledged save is appended to QUIZ_BENCH_ACK_FILE so the
driver can count lost answers against the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

import gevent
from locust import HttpUser, task
from locust.exception import StopUser

SESSIONS = json.loads(Path(os.environ["QUIZ_BENCH_USERS_FILE"]).read_text(encoding="utf-8"))
QUIZ_ID = int(os.environ["QUIZ_BENCH_QUIZ_ID"])
THINK_SCALE = float(os.environ.get("QUIZ_BENCH_THINK_SCALE", "1"))
THINK_MIN = float(os.environ.get("QUIZ_BENCH_THINK_MIN", "30"))
THINK_MAX = float(os.environ.get("QUIZ_BENCH_THINK_MAX", "90"))
ACK_FILE = os.environ["QUIZ_BENCH_ACK_FILE"]
SESSION_COOKIE = os.environ.get("QUIZ_BENCH_SESSION_COOKIE", "sessionid")
_next_session = itertools.count()
# Locust keeps a headless run going until --run-time even when every learner has finished: the
# last learner to stop ends the run, so the benchmark takes as long as the learners do.
USERS = int(os.environ.get("QUIZ_BENCH_USERS", "0")) or len(SESSIONS)
_stopped = itertools.count(1)
_acks = open(ACK_FILE, "a", encoding="utf-8")  # noqa: SIM115 (open for the whole run, appended per save)

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELDSET_RE = re.compile(r'data-aq="(\d+)" data-qtype="(\w+)"')
VALUE_RE = re.compile(r'<input type="(?:radio|checkbox)" name="q-(\d+)" value="(\d+)"')


def parse_questions(html: str) -> list[tuple[int, str, list[int]]]:
    options: dict[int, list[int]] = {}
    for aq, value in VALUE_RE.findall(html):
        options.setdefault(int(aq), []).append(int(value))
    return [(int(aq), qtype, options.get(int(aq), [])) for aq, qtype in FIELDSET_RE.findall(html)]


class QuizLearner(HttpUser):
    wait_time = staticmethod(lambda: 0)

    def _stop(self):
        if next(_stopped) >= USERS:
            gevent.spawn_later(1, self.environment.runner.quit)
        raise StopUser()

    def on_start(self):
        index = next(_next_session)
        if index >= len(SESSIONS):
            self._stop()
        self.identity = SESSIONS[index]
        self.client.cookies.set(SESSION_COOKIE, self.identity["session_key"])

    def think(self):
        self._sleep(random.uniform(THINK_MIN, THINK_MAX) * THINK_SCALE)

    def _sleep(self, seconds: float):
        import gevent

        gevent.sleep(seconds)

    @task
    def take_quiz(self):
        intro = self.client.get(f"/kiem-tra/de/{QUIZ_ID}/", name="intro")
        token_match = CSRF_RE.search(intro.text or "")
        if not token_match:
            self._stop()
        token = token_match.group(1)
        with self.client.post(
            f"/kiem-tra/de/{QUIZ_ID}/bat-dau/",
            data={"csrfmiddlewaretoken": token},
            name="start",
            allow_redirects=False,
            catch_response=True,
        ) as started:
            location = started.headers.get("Location", "")
            if started.status_code != 302 or "/bai-lam/" not in location:
                started.failure(f"start: {started.status_code} {location}")
                self._stop()
            started.success()
        page = self.client.get(location, name="page")
        html = page.text or ""
        token = CSRF_RE.search(html).group(1)
        questions = parse_questions(html)
        attempt_id = int(re.search(r"/bai-lam/(\d+)/", location).group(1))
        headers = {
            "X-CSRFToken": token,
            "Accept": "application/json",
            "Referer": self.host + location,
        }
        for aq_id, qtype, option_ids in questions:
            self.think()
            if qtype == "multiple":
                answer = sorted(random.sample(option_ids, k=min(2, len(option_ids))))
            else:
                answer = random.choice(option_ids)
            body = {"question": aq_id, "answer": answer, "seq": 1}
            sends = 2 if random.random() < 0.1 else 1  # a re-send after a lost acknowledgement
            for _ in range(sends):
                with self.client.post(
                    f"/kiem-tra/bai-lam/{attempt_id}/luu/",
                    data=json.dumps(body),
                    headers={**headers, "Content-Type": "application/json"},
                    name="save",
                    catch_response=True,
                ) as saved:
                    if saved.status_code == 200 and saved.json().get("ok"):
                        saved.success()
                        _acks.write(json.dumps({"aq": aq_id, "seq": 1, "answer": answer}) + "\n")
                        _acks.flush()
                    else:
                        saved.failure(f"save: {saved.status_code} {saved.error!r}"[:200])
            with self.client.post(
                "/bench-reference/upsert/",
                data=json.dumps({"k": f"{attempt_id}:{aq_id}", "answer": answer, "seq": 1}),
                headers={"Content-Type": "application/json"},
                name="reference_save",
                catch_response=True,
            ) as ref:
                if ref.status_code == 200:
                    ref.success()
                else:
                    ref.failure(f"reference: {ref.status_code} {ref.error!r}"[:200])
        self._sleep(random.uniform(2, 5) * THINK_SCALE)
        with self.client.post(
            f"/kiem-tra/bai-lam/{attempt_id}/nop-bai/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": self.host + location},
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as submitted:
            if submitted.status_code == 302 and "ket-qua" in submitted.headers.get("Location", ""):
                submitted.success()
            else:
                submitted.failure(f"submit: {submitted.status_code} {submitted.error!r}"[:200])
        self.client.get(f"/kiem-tra/bai-lam/{attempt_id}/ket-qua/", name="result")
        self._stop()
