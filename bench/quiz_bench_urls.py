"""The project's URLs plus the reference endpoint: a bare view doing one UPSERT (bench/quiz_load.py)."""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

REFERENCE_TABLE = "bench_reference_answer"
_UPSERT = (
    f"INSERT INTO {REFERENCE_TABLE} (k, answer, seq) VALUES (%s, %s, %s) "
    f"ON CONFLICT (k) DO UPDATE SET answer = EXCLUDED.answer, seq = EXCLUDED.seq "
    f"WHERE {REFERENCE_TABLE}.seq < EXCLUDED.seq"
)


@csrf_exempt
@require_POST
def reference_upsert(request):
    payload = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT, [str(payload["k"]), json.dumps(payload["answer"]), int(payload["seq"])]
        )
        stored = cursor.rowcount == 1
    return JsonResponse({"ok": True, "stored": stored})


urlpatterns = [
    path("bench-reference/upsert/", reference_upsert),
    path("", include("lms.urls")),
]
