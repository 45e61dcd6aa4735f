import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.org.models import PositionAssignment
from lms.training.models import Assignment, AuditEntry, TrainingPlan
from lms.training.services import assignments_sync_for_people
from tests.factories import PersonFactory
from tests.training.conftest import YEAR, make_plan

ROLES = ["anonymous", "learner", "trainer", "manager", "sibling", "admin"]


@pytest.fixture
def world(tree, groups, people, roles, hamlet_requirement):
    PositionAssignment.objects.create(
        person=people.an,
        unit=tree.hamlet_a1,
        target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )
    PositionAssignment.objects.create(
        person=people.binh, unit=tree.hamlet_b1, target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk], notify=False)
    draft = make_plan(unit=tree.city, year=YEAR + 1, status=TrainingPlan.Status.DRAFT)
    return {
        "plan": hamlet_requirement.plan,
        "draft": draft,
        "a": Assignment.objects.get(person=people.an),
        "b": Assignment.objects.get(person=people.binh),
    }


def login(client, roles, role):
    if role != "anonymous":
        client.force_login(getattr(roles, role))
    return client


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302 and "next=" in response["Location"]:
        return "login"
    if response.status_code in (302, 403):
        return "denied"
    if response.status_code == 404:
        return "missing"
    return str(response.status_code)


def url_for(name, world):
    urls = {
        "plans": lambda: reverse("training_plans:index"),
        "plan_add": lambda: reverse("training_plans:add"),
        "plan_edit": lambda: reverse("training_plans:edit", args=[world["plan"].pk]),
        "plan_delete": lambda: reverse("training_plans:delete", args=[world["draft"].pk]),
        "plan_copy": lambda: reverse("training_plans:copy", args=[world["plan"].pk]),
        "assignments": lambda: reverse("training_assignments:index"),
        "inspect_a": lambda: reverse("training_assignments:inspect", args=[world["a"].pk]),
        "exempt_a": lambda: reverse("training_assignments:exempt", args=[world["a"].pk]),
        "complete_a": lambda: reverse("training_assignments:complete", args=[world["a"].pk]),
        "assign": lambda: reverse("training_assignments:assign"),
        "audit": lambda: reverse("training_audit:index"),
    }
    return urls[name]()


D, L, M, OK = "denied", "login", "missing", "ok"
EXPECTED = {
    # anonymous, learner (no admin access: sent to log in), trainer, manager, sibling, admin
    "plans":       (L, L, D, OK, OK, OK),
    "plan_add":    (L, L, D, D, D, OK),
    "plan_edit":   (L, L, D, D, D, OK),
    "plan_delete": (L, L, D, D, D, OK),
    "plan_copy":   (L, L, D, D, D, OK),
    "assignments": (L, L, D, OK, OK, OK),
    "inspect_a":   (L, L, D, OK, M, OK),
    "exempt_a":    (L, L, D, OK, M, OK),
    "complete_a":  (L, L, D, OK, M, OK),
    "assign":      (L, L, D, OK, OK, OK),
    "audit":       (L, L, D, D, D, OK),
}  # fmt: skip


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_training_screen(client, world, roles, view, role):
    login(client, roles, role)
    response = client.get(url_for(view, world))
    assert outcome(response) == EXPECTED[view][ROLES.index(role)]


def test_manager_sees_only_their_subtree(client, world, roles):
    login(client, roles, "manager")
    response = client.get(reverse("training_assignments:index"))
    content = response.content.decode()
    assert "Nguyễn Văn An" in content and "Trần Thị Bình" not in content
    login(client, roles, "sibling")
    content = client.get(reverse("training_assignments:index")).content.decode()
    assert "Trần Thị Bình" in content and "Nguyễn Văn An" not in content


def test_listing_filters_by_status_and_unit(client, world, roles, tree):
    login(client, roles, "admin")
    Assignment.objects.filter(pk=world["b"].pk).update(
        status="completed", completed_at="2026-03-01T08:00:00+07:00"
    )
    content = client.get(
        reverse("training_assignments:index"), {"status": "completed"}
    ).content.decode()
    assert "Trần Thị Bình" in content and "Nguyễn Văn An" not in content
    content = client.get(
        reverse("training_assignments:index"), {"unit": tree.commune_a.pk}
    ).content.decode()
    assert "Nguyễn Văn An" in content and "Trần Thị Bình" not in content


def test_assignment_listing_query_count_does_not_grow_with_rows(client, world, roles, tree, groups):
    login(client, roles, "manager")
    url = reverse("training_assignments:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more = [PersonFactory(full_name=f"Người thứ {i}") for i in range(12)]
    for person in more:
        PositionAssignment.objects.create(
            person=person, unit=tree.hamlet_a1, target_group=groups.hamlet_head,
            start_date=dt.date(2025, 7, 1),
        )  # fmt: skip
    assignments_sync_for_people(person_ids=[p.pk for p in more], notify=False)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_plan_listing_query_count(client, world, roles, django_assert_max_num_queries):
    login(client, roles, "admin")
    client.get(reverse("training_plans:index"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training_plans:index")).status_code == 200


def test_manager_exempts_with_reason_and_it_is_audited(client, world, roles):
    login(client, roles, "manager")
    url = reverse("training_assignments:exempt", args=[world["a"].pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"reason": "Đã bồi dưỡng tại Sở Nội vụ"})
    assert response.status_code == 302
    assignment = Assignment.objects.get(pk=world["a"].pk)
    assert assignment.status == "exempt" and assignment.exempt_by == roles.manager
    entry = AuditEntry.objects.for_object(assignment).get(action="exempted")
    assert entry.actor == roles.manager and entry.note == "Đã bồi dưỡng tại Sở Nội vụ"


def test_sibling_manager_cannot_exempt_outside_their_subtree(client, world, roles):
    login(client, roles, "sibling")
    url = reverse("training_assignments:exempt", args=[world["a"].pk])
    assert client.post(url, {"reason": "Không được phép"}).status_code == 404
    assert Assignment.objects.get(pk=world["a"].pk).status == "not_started"


def test_manager_records_a_completion_with_evidence(client, world, roles):
    login(client, roles, "manager")
    url = reverse("training_assignments:complete", args=[world["a"].pk])
    assert client.post(url, {"note": "Giấy chứng nhận số 12/GCN"}).status_code == 302
    assignment = Assignment.objects.get(pk=world["a"].pk)
    assert assignment.status == "completed" and assignment.completed_via == "manual"


def test_manager_assigns_an_extra_person(client, world, roles, tree, groups, people):
    PositionAssignment.objects.create(
        person=people.cuong, unit=tree.hamlet_a1, target_group=groups.official,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    requirement = world["plan"].requirements.get()
    login(client, roles, "manager")
    response = client.post(
        reverse("training_assignments:assign"),
        {"person": people.cuong.pk, "requirement": requirement.pk},
    )
    assert response.status_code == 302
    extra = Assignment.objects.get(person=people.cuong)
    assert extra.source == "manager" and extra.unit_id == tree.hamlet_a1.pk
    # A person outside the manager's subtree is not even offered.
    response = client.post(
        reverse("training_assignments:assign"),
        {"person": people.binh.pk, "requirement": requirement.pk},
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors


def test_admin_copies_last_years_plan(client, world, roles):
    login(client, roles, "admin")
    response = client.post(
        reverse("training_plans:copy", args=[world["plan"].pk]), {"year": YEAR + 2}
    )
    new = TrainingPlan.objects.get(year=YEAR + 2)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("training_plans:edit", args=[new.pk])
    )
    assert new.requirements.count() == 1
    response = client.post(
        reverse("training_plans:copy", args=[world["plan"].pk]), {"year": YEAR + 1}
    )
    assert response.status_code == 200  # a plan for that year already exists
    assert "đã có kế hoạch" in response.content.decode()


def test_admin_creates_an_active_plan_and_people_get_assignments(
    client, world, roles, tree, groups, courses, people, django_capture_on_commit_callbacks
):
    PositionAssignment.objects.create(
        person=people.cuong, unit=tree.board_a, target_group=groups.inspection,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    login(client, roles, "admin")
    data = nested_form_data(
        {
            "title": "Kế hoạch bồi dưỡng năm 2028",
            "year": 2028,
            "scope_unit": tree.commune_a.pk,
            "status": "active",
            "requirements": inline_formset(
                [
                    {
                        "course": courses.convention.pk,
                        "due_date": "2028-09-30",
                        "mid_year_days": 60,
                        "attendance_counts": "on",
                        "recurrence_yearly": "on",
                    }
                ]
            ),
        }
    )
    data["requirements-0-target_groups"] = [groups.inspection.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training_plans:add"), data)
    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, (form.errors, form.formsets["requirements"].errors)
    plan = TrainingPlan.objects.get(year=2028)
    assert plan.created_by == roles.admin
    assignment = Assignment.objects.get(requirement__plan=plan)
    assert assignment.person == people.cuong and assignment.due_date == dt.date(2028, 9, 30)


def test_requirement_with_assignments_cannot_be_deleted(client, world, roles, tree):
    login(client, roles, "admin")
    plan = world["plan"]
    requirement = plan.requirements.get()
    data = nested_form_data(
        {
            "title": plan.title,
            "year": plan.year,
            "scope_unit": tree.city.pk,
            "status": "active",
            "requirements": inline_formset(
                [
                    {
                        "id": requirement.pk,
                        "course": requirement.course_id,
                        "due_date": "2026-06-30",
                        "mid_year_days": 60,
                        "DELETE": "on",
                    }
                ],
                initial=1,
            ),
        }
    )
    data["requirements-0-target_groups"] = [g.pk for g in requirement.target_groups.all()]
    response = client.post(reverse("training_plans:edit", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "Không thể xóa yêu cầu" in response.content.decode()
    assert plan.requirements.count() == 1
