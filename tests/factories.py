"""Factories and small fixtures shared by every test package. Import from here, not from tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model

from lms.org.models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitKind
from lms.org.services import staff_role_grant

DEFAULT_PASSWORD = "Mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Iterator(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đông"]
    )
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    user = factory.SubFactory(UserFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionAssignment

    person = factory.SubFactory(PersonFactory)
    start_date = dt.date(2025, 7, 1)


def unit_kinds() -> SimpleNamespace:
    def kind(code, name, order, locality):
        return UnitKind.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order, "is_locality": locality}
        )[0]

    return SimpleNamespace(
        city=kind("thanh-pho", "Thành phố trực thuộc trung ương", 1, True),
        commune=kind("xa-phuong", "Xã, phường, đặc khu", 2, True),
        hamlet=kind("thon-ap", "Thôn, ấp, khu phố, tổ dân phố", 3, True),
        agency=kind("co-quan", "Cơ quan, đơn vị", 4, False),
        board=kind("ban", "Ban (Thanh tra nhân dân, Giám sát đầu tư cộng đồng)", 5, False),
    )


def small_tree(kinds: SimpleNamespace) -> SimpleNamespace:
    city = Unit.add_root(
        code="HCM", name="Thành phố Hồ Chí Minh", kind=kinds.city, valid_from=dt.date(2025, 7, 1)
    )
    commune_a = city.add_child(
        code="BTU", name="Xã Bắc Tân Uyên", kind=kinds.commune, valid_from=dt.date(2025, 7, 1)
    )
    city.refresh_from_db()
    commune_b = city.add_child(
        code="TT", name="Xã Thường Tân", kind=kinds.commune, valid_from=dt.date(2025, 7, 1)
    )
    hamlet_a1 = commune_a.add_child(
        code="BTU-A1", name="Ấp 1", kind=kinds.hamlet, valid_from=dt.date(2025, 7, 1)
    )
    commune_a.refresh_from_db()
    board_a = commune_a.add_child(
        code="BTU-TTND", name="Ban Thanh tra nhân dân xã Bắc Tân Uyên", kind=kinds.board
    )
    hamlet_b1 = commune_b.add_child(
        code="TT-B1", name="Ấp Bình Hòa", kind=kinds.hamlet, valid_from=dt.date(2025, 7, 1)
    )
    return SimpleNamespace(
        city=_fresh(city), commune_a=_fresh(commune_a), commune_b=_fresh(commune_b),
        hamlet_a1=_fresh(hamlet_a1), board_a=_fresh(board_a), hamlet_b1=_fresh(hamlet_b1),
    )  # fmt: skip


def _fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def target_groups() -> SimpleNamespace:
    def group(code, name, order):
        return TargetGroup.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )[0]

    return SimpleNamespace(
        implementer=group(
            "nguoi-thuc-hien",
            "Người được giao nhiệm vụ tổ chức thực hiện pháp luật về dân chủ ở cơ sở",
            1,
        ),
        inspection=group("ban-ttnd", "Thành viên Ban Thanh tra nhân dân", 2),
        supervision=group("ban-gsdtcd", "Thành viên Ban Giám sát đầu tư của cộng đồng", 3),
        hamlet_head=group("truong-thon", "Trưởng thôn, ấp, khu phố, tổ dân phố", 4),
        front_head=group("truong-ban-ctmt", "Trưởng ban công tác Mặt trận", 5),
        official=group("can-bo", "Cán bộ, công chức, viên chức, người lao động", 6),
    )


def staff_user(*, role: str, unit: Unit | None, username: str | None = None):
    user = UserFactory(username=username or f"{role}-{unit.code if unit else 'all'}".lower())
    staff_role_grant(user=user, role=role, unit=unit)
    return user


ROLE = StaffRole.Role


def staff_world(tree: SimpleNamespace, groups: SimpleNamespace) -> SimpleNamespace:
    """One user per role around the small tree, and one learner in each commune.

    manager_a/admin_a are scoped to commune A, manager_b to its sibling commune B; admin is
    system-wide. person_a holds a position in hamlet A1, person_b in hamlet B1.
    """
    person_a = PersonFactory(full_name="Nguyễn Văn An", phone="0912000001")
    person_b = PersonFactory(full_name="Trần Thị Bình", phone="0912000002")
    PositionFactory(person=person_a, unit=tree.hamlet_a1, target_group=groups.hamlet_head)
    PositionFactory(person=person_b, unit=tree.hamlet_b1, target_group=groups.hamlet_head)
    return SimpleNamespace(
        person_a=person_a,
        person_b=person_b,
        learner=person_a.user,
        trainer=staff_user(role=ROLE.TRAINER, unit=None, username="trainer"),
        manager_a=staff_user(role=ROLE.MANAGER, unit=tree.commune_a, username="manager-a"),
        manager_b=staff_user(role=ROLE.MANAGER, unit=tree.commune_b, username="manager-b"),
        admin_a=staff_user(role=ROLE.ADMIN, unit=tree.commune_a, username="admin-a"),
        admin=staff_user(role=ROLE.ADMIN, unit=None, username="admin"),
    )
