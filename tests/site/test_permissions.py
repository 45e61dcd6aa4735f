"""Editors (trainers) and administrators may write news, Q&A, materials and consultation drafts;
learners and managers may not; anonymous visitors are sent to the login page."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from cms.consultations.models import ConsultationIndexPage
from cms.site_setup import editor_page_permissions_ensure
from tests.factories import staff_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(public_site, tree, groups):
    index = ConsultationIndexPage(title="Lấy ý kiến Nhân dân", slug="lay-y-kien")
    public_site.home.add_child(instance=index)
    index.save_revision().publish()
    world = staff_world(tree, groups)
    editor_page_permissions_ensure()
    world.sections = [
        public_site.news_index,
        public_site.qa_index,
        public_site.materials_index,
        Page.objects.get(pk=index.pk),
    ]
    return world


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("learner", False),
        ("trainer", True),
        ("manager_a", False),
        ("manager_b", False),
        ("admin_a", True),
        ("admin", True),
    ],
)
def test_who_may_add_and_publish_public_pages(client, world, role, allowed):
    user = getattr(world, role)
    client.force_login(user)
    for section in world.sections:
        perms = section.permissions_for_user(user)
        assert perms.can_add_subpage() is allowed, (role, section)
        assert perms.can_publish_subpage() is allowed, (role, section)
        response = client.get(f"/admin/pages/{section.pk}/add_subpage/")
        # One allowed page type: Wagtail goes straight to its add form.
        opened = response.status_code == 200 or (
            response.status_code == 302 and response["Location"].startswith("/admin/pages/add/")
        )
        assert opened is allowed, (role, section, response.status_code)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/admin/pages/{world.sections[0].pk}/add_subpage/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_granting_is_idempotent(world):
    assert editor_page_permissions_ensure() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("learner", False),
        ("trainer", True),
        ("manager_a", False),
        ("manager_b", False),
        ("admin_a", True),
        ("admin", True),
    ],
)
def test_who_may_review_citizens_questions(client, world, role, allowed):
    from cms.public.models import SubmittedQuestion

    question = SubmittedQuestion.objects.create(
        index=world.sections[1], name="Lê Văn Tâm", locality="Ấp 2", body="Hương ước là gì?"
    )
    client.force_login(getattr(world, role))
    listing = client.get("/admin/snippets/public/submittedquestion/")
    edit = client.get(f"/admin/snippets/public/submittedquestion/edit/{question.pk}/")
    assert (listing.status_code == 200) is allowed, (role, listing.status_code)
    assert (edit.status_code == 200) is allowed, (role, edit.status_code)
    if allowed:
        assert "Hương ước là gì?" in edit.content.decode()
