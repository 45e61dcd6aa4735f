"""Load the demo curricula in `courses/demo_content/*.json` (format: helpers' CURRICULUM_FORMAT).

Idempotent: a course whose slug already exists under the course index is left exactly as it is
(trainers may have edited it), so running the loader twice changes nothing.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import GroupPagePermission, Page, Site

from assessments.api import Quiz, demo_quiz_title
from lms.core.text import fold, normalize_text
from lms.org.api import TargetGroup

from .models import CourseIndexPage, CourseLegalBasis, CoursePage, LessonPage, ModulePage

DEMO_DIR = Path(__file__).resolve().parent / "demo_content"
INDEX_SLUG = "khoa-hoc"
INDEX_TITLE = "Khóa học"
# Wagtail page permissions on the course index, per role group (names from lms.org.roles).
INDEX_PERMISSIONS = {
    "Giảng viên": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    "Quản trị viên": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
_ID_NAMESPACE = uuid.UUID("8a6f4c52-2f0e-4f57-9d83-3c1b1bb1c0de")


def _say(stdout: IO[str] | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _slug(text: str) -> str:
    return slugify(fold(text))[:80] or "trang"


def _publish(page: Page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def course_index_ensure(*, stdout: IO[str] | None = None) -> CourseIndexPage:
    """The course index page (created under the default site's root if missing), with trainers'
    and administrators' page permissions on it."""
    index = CourseIndexPage.objects.first()
    if index is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            raise RuntimeError(
                "Chưa có trang web (Site) nào trong Wagtail; không thể tạo danh mục khóa học."
            )
        root = site.root_page
        index = CourseIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, live=False)
        root.add_child(instance=index)
        _publish(index)
        _say(stdout, f"Đã tạo trang danh mục khóa học: {index.url_path}")
    for group_name, codenames in INDEX_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permission
            )
    return index


def _rich(html: str) -> str:
    return normalize_text(html).replace("> <", "><")


def _block(raw: dict[str, Any], *, block_id: str) -> dict[str, Any]:
    kind = raw["type"]
    if kind == "heading":
        value: Any = normalize_text(raw["value"])
    elif kind in ("paragraph", "summary"):
        value = _rich(raw["value"])
    elif kind == "citation":
        value = {
            "law": raw["law"],
            "article": int(raw["article"]),
            "clause": int(raw["clause"]) if raw.get("clause") else None,
            "point": raw.get("point") or "",
            "article_title": normalize_text(raw.get("title")),
            "text": normalize_text(raw.get("text")),
        }
    elif kind == "key_points":
        value = {
            "title": normalize_text(raw.get("title") or "Ghi nhớ"),
            "items": [
                {"type": "item", "value": normalize_text(item), "id": f"{block_id}-{n}"}
                for n, item in enumerate(raw["items"])
            ],
        }
    elif kind == "callout":
        value = {"style": raw.get("style") or "note", "body": _rich(raw["value"])}
    elif kind == "check":
        correct = [choice for choice in raw["choices"] if choice.get("correct")]
        if len(correct) != 1:
            raise ValueError(f"Câu hỏi cần đúng một phương án đúng: {raw['question']!r}")
        value = {
            "question": normalize_text(raw["question"]),
            "explanation": normalize_text(raw.get("explanation")),
            "choices": [
                {
                    "type": "item",
                    "value": {"text": normalize_text(c["text"]), "correct": bool(c.get("correct"))},
                    "id": f"{block_id}-{n}",
                }
                for n, c in enumerate(raw["choices"])
            ],
        }
    else:
        raise ValueError(f"Loại khối nội dung không hỗ trợ: {kind!r}")
    return {"type": kind, "value": value, "id": block_id}


def lesson_body(blocks: list[dict[str, Any]], *, key: str) -> str:
    """JSON StreamField data for a lesson; block ids are stable (derived from course, lesson, index)."""
    return json.dumps(
        [
            _block(raw, block_id=str(uuid.uuid5(_ID_NAMESPACE, f"{key}/{n}")))
            for n, raw in enumerate(blocks)
        ],
        ensure_ascii=False,
    )


def lesson_add(parent: Page, raw: dict[str, Any], *, course_slug: str) -> LessonPage:
    slug = raw.get("slug") or _slug(raw["title"])
    lesson = LessonPage(
        title=normalize_text(raw["title"]),
        slug=slug,
        summary=normalize_text(raw.get("summary")),
        estimated_minutes=int(raw.get("estimated_minutes") or 15),
        required=bool(raw.get("required", True)),
        body=lesson_body(raw.get("body") or [], key=f"{course_slug}/{slug}"),
        live=False,
    )
    parent.add_child(instance=lesson)
    _publish(lesson)
    return lesson


def course_load(
    *, data: dict[str, Any], index: CourseIndexPage, stdout: IO[str] | None = None
) -> CoursePage | None:
    """Create one course from its JSON description; None if a course with that slug exists."""
    slug = data["slug"]
    if index.get_children().filter(slug=slug).exists():
        _say(stdout, f"Bỏ qua (đã có): {slug}")
        return None
    codes = list(data.get("target_groups") or [])
    groups = list(TargetGroup.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {group.code for group in groups})
    if missing:
        _say(stdout, f"Cảnh báo: chưa có nhóm đối tượng {', '.join(missing)} (khóa {slug}).")
    course = CoursePage(
        title=normalize_text(data["title"]),
        slug=slug,
        summary=normalize_text(data.get("summary")),
        description=_rich(data.get("description") or ""),
        estimated_minutes=int(data.get("estimated_minutes") or 60),
        audience=data.get("audience") or CoursePage.Audience.STAFF,
        year=int(data["year"]),
        live=False,
    )
    course.target_groups = groups
    course.legal_basis = [
        CourseLegalBasis(
            document=normalize_text(row["document"]),
            number=normalize_text(row["number"]),
            version=normalize_text(row.get("version")),
            sort_order=n,
        )
        for n, row in enumerate(data.get("legal_basis") or [])
    ]
    index.add_child(instance=course)
    _publish(course)
    lessons = 0
    for module_data in data.get("modules") or []:
        parent: Page = course
        if module_data.get("title"):
            module = ModulePage(
                title=normalize_text(module_data["title"]),
                slug=module_data.get("slug") or _slug(module_data["title"]),
                summary=normalize_text(module_data.get("summary")),
                live=False,
            )
            course.add_child(instance=module)
            _publish(module)
            parent = module
        for lesson_data in module_data.get("lessons") or []:
            lesson_add(parent, lesson_data, course_slug=slug)
            lessons += 1
    _say(stdout, f"Đã tạo khóa học “{course.title}” với {lessons} bài học.")
    return course


def load_demo_courses(*, stdout: IO[str] | None = None, directory: Path | None = None) -> None:
    """Create the course index and every demo course not yet present, all published."""
    files = sorted((directory or DEMO_DIR).glob("*.json"))
    with transaction.atomic():
        index = course_index_ensure(stdout=stdout)
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            course_load(data=data, index=index, stdout=stdout)
            final_quiz_link(slug=data["slug"], stdout=stdout)


def final_quiz_link(*, slug: str, stdout: IO[str] | None = None) -> None:
    """Give a demo course its final quiz (made by `assessments.api.load_demo_quizzes`), once."""
    course = CoursePage.objects.filter(slug=slug).first()
    quiz = Quiz.objects.filter(title=demo_quiz_title(slug)).first()
    if course is None or quiz is None or course.final_quiz_id is not None:
        return
    course.final_quiz = quiz
    course.save_revision().publish()
    if stdout is not None:
        stdout.write(f"Khóa học “{course.title}”: bài kiểm tra cuối khóa “{quiz.title}”.")
