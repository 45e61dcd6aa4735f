"""The learner's “Thông báo” page: newest first, paginated, unread highlighted, mark read by POST."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from lms.training.models import Notification
from lms.training.reminders import digests_send_weekly, notify_assignments_created
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "training_notifications:list"
_keys = itertools.count()


def make(person, n: int, *, read=False, link="/hoc-tap/"):
    now = timezone.now()
    return [
        Notification.objects.create(
            person=person,
            user=person.user,
            kind="due14",
            key=f"test:{next(_keys)}",
            title=f"Thông báo số {i}",
            body=f"Nội dung {i}",
            link=link,
            read_at=now if read else None,
        )
        for i in range(n)
    ]


def test_list_is_newest_first_with_unread_highlighted(client, people):
    old = make(people.an, 1, read=True)[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    new = make(people.an, 1)[0]
    Notification.objects.filter(pk=new.pk).update(title="Nhiệm vụ mới nhất")
    make(people.binh, 1)  # someone else's: never shown
    client.force_login(people.an.user)
    response = client.get(reverse(LIST))
    items = response.context["notifications"]
    assert [n.pk for n in items] == [new.pk, old.pk]
    content = response.content.decode()
    assert content.count("notification unread") == 1
    assert "Nhiệm vụ mới nhất" in content and "Nội dung 0" in content
    assert "1 thông báo chưa đọc" in content


def test_pagination_keeps_twenty_per_page(client, people):
    make(people.an, 25)
    client.force_login(people.an.user)
    first = client.get(reverse(LIST))
    assert len(first.context["notifications"]) == 20 and "Trang 1/2" in first.content.decode()
    second = client.get(reverse(LIST), {"trang": 2})
    assert len(second.context["notifications"]) == 5
    assert client.get(reverse(LIST), {"trang": "abc"}).status_code == 200


def test_mark_one_and_all_read_by_post_only(client, people):
    a, b, c = make(people.an, 3)
    theirs = make(people.binh, 1)[0]
    client.force_login(people.an.user)
    url = reverse("training_notifications:mark_read")
    assert client.get(url).status_code == 405
    response = client.post(url, {"id": a.pk, "trang": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(LIST)
    assert set(Notification.objects.unread().filter(person=people.an)) == {b, c}
    assert client.post(url, {"id": theirs.pk}).status_code == 404
    client.post(url)
    assert not Notification.objects.unread().filter(person=people.an).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, people):
    local = make(people.an, 1, link="/hoc-tap/khoa-hoc/")[0]
    client.force_login(people.an.user)
    response = client.post(reverse("training_notifications:open", args=[local.pk]))
    assert response.status_code == 302 and response["Location"] == "/hoc-tap/khoa-hoc/"
    assert Notification.objects.get(pk=local.pk).read_at is not None
    Notification.objects.filter(pk=local.pk).update(link="https://evil.example/")
    response = client.post(reverse("training_notifications:open", args=[local.pk]))
    assert response["Location"] == reverse(LIST)


def test_badge_in_header_and_on_dashboard(client, people):
    make(people.an, 3)
    client.force_login(people.an.user)
    dashboard = client.get(reverse("learner:dashboard")).content.decode()
    assert reverse(LIST) in dashboard
    assert '3<span class="visually-hidden"> chưa đọc</span>' in dashboard  # header badge
    assert "3 chưa đọc" in dashboard  # dashboard badge
    client.post(reverse("training_notifications:mark_read"))
    after = client.get(reverse("learner:dashboard")).content.decode()
    assert "chưa đọc" not in after


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_query_count_does_not_grow_with_notifications(
    client, people, django_assert_max_num_queries
):
    client.force_login(people.an.user)
    make(people.an, 2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(LIST))
    Notification.objects.filter(person=people.an).delete()
    make(people.an, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(LIST))


def test_assignment_notifications_lead_to_the_course(tree_plan_this_year, tree, groups):
    from lms.org.models import PositionAssignment
    from lms.training.models import Assignment
    from lms.training.services import assignments_sync_for_people

    person = PersonFactory(full_name="Phạm Thị Dung")
    PositionAssignment.objects.create(
        person=person,
        unit=tree.hamlet_a1,
        target_group=groups.hamlet_head,
        start_date=timezone.localdate(),
    )
    assignments_sync_for_people(person_ids=[person.pk], notify=False)
    course = tree_plan_this_year.course
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=course.get_parent(), is_default_site=True)
    assignment = Assignment.objects.get(person=person)
    notify_assignments_created(assignment_ids=[assignment.pk])
    notification = Notification.objects.get(person=person)
    assert notification.link == course.get_url() == "/" + course.slug + "/"


def test_digest_links_to_the_units_assignments(tree_plan_this_year, tree, groups, roles):
    from lms.org.models import PositionAssignment
    from lms.training.services import assignments_sync_for_people

    person = PersonFactory(full_name="Phạm Thị Dung")
    PositionAssignment.objects.create(
        person=person, unit=tree.hamlet_a1, target_group=groups.hamlet_head,
        start_date=timezone.localdate(),
    )  # fmt: skip
    assignments_sync_for_people(person_ids=[person.pk], notify=False)
    digests_send_weekly()
    digest = Notification.objects.get(user=roles.manager, kind="digest")
    assert digest.link.startswith(reverse("training_assignments:index") + "?unit=")
    assert f"unit={tree.commune_a.pk}" in digest.link
