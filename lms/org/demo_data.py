"""Demo organisation: a post-2025 structure of Hồ Chí Minh City, its people and demo logins.

The communes are of the former Bình Dương area (merged into Hồ Chí Minh City on 1 July 2025).
Commune, hamlet and person names are plausible examples for demonstration, not an official
list. Everything is deterministic (a seeded random generator) and idempotent: units are found
by code, people by phone number, positions by person × unit × group × title × start date, so
loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitKind
from .services import position_assign, staff_role_grant, unit_create

DEMO_PASSWORD = "DanChu@2026"
REFORM_DAY = dt.date(2025, 7, 1)  # two-tier local government starts; districts abolished
ELECTION_DAY = dt.date(2026, 5, 15)  # a hamlet head replaced mid-year (obligation starts then)
RANDOM_SEED = 20250701
EMAIL_DOMAIN = "example.org"  # reserved for documentation (RFC 2606): never a real mailbox


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str  # without the "xã"/"phường" prefix
    is_ward: bool
    hamlets: tuple[str, ...]

    @property
    def level(self) -> str:
        return "phường" if self.is_ward else "xã"

    @property
    def full_name(self) -> str:
        return f"{self.level.capitalize()} {self.name}"


def _numbered(count: int) -> tuple[str, ...]:
    return tuple(f"Khu phố {n}" for n in range(1, count + 1))


COMMUNES: tuple[CommuneSpec, ...] = (
    CommuneSpec(
        "BTU",
        "Bắc Tân Uyên",
        False,
        ("Ấp Tân Lợi", "Ấp Tân Thành", "Ấp Đất Cuốc", "Ấp Tân Định", "Ấp Bình Mỹ", "Ấp Suối Sâu"),
    ),
    CommuneSpec(
        "TT",
        "Thường Tân",
        False,
        ("Ấp Lạc An", "Ấp Hiếu Liêm", "Ấp Thường Tân", "Ấp Bình Chánh", "Ấp Bến Sắn"),
    ),
    CommuneSpec("TU", "Tân Uyên", True, _numbered(6)),
    CommuneSpec("TDM", "Thủ Dầu Một", True, _numbered(5)),
    CommuneSpec(
        "PG", "Phú Giáo", False, ("Ấp Phước Hòa", "Ấp Vĩnh Hòa", "Ấp An Bình", "Ấp Tân Long")
    ),
    CommuneSpec(
        "BB",
        "Bàu Bàng",
        False,
        ("Ấp Bàu Bàng", "Ấp Lai Uyên", "Ấp Cây Sắn", "Ấp Xà Mách", "Ấp Bến Lớn"),
    ),
    CommuneSpec("DT", "Dầu Tiếng", False, ("Ấp Định Thành", "Ấp Thanh Tuyền", "Ấp Long Tân")),
)

# Commune officials: (title, target group codes). The commune's name level is appended.
COMMUNE_OFFICIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Chủ tịch Ủy ban nhân dân", ("can-bo", "nguoi-thuc-hien")),
    ("Phó Chủ tịch Ủy ban nhân dân", ("can-bo", "nguoi-thuc-hien")),
    ("Phó Chủ tịch Ủy ban nhân dân", ("can-bo",)),
    ("Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", ("can-bo", "nguoi-thuc-hien")),
    ("Chuyên viên Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", ("can-bo", "nguoi-thuc-hien")),
    ("Chuyên viên Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", ("can-bo",)),
    ("Trưởng phòng Văn hóa - Xã hội", ("can-bo", "nguoi-thuc-hien")),
    ("Chuyên viên Phòng Văn hóa - Xã hội", ("can-bo", "nguoi-thuc-hien")),
    ("Chuyên viên Phòng Văn hóa - Xã hội", ("can-bo",)),
    ("Trưởng phòng Kinh tế", ("can-bo",)),
    ("Chuyên viên Phòng Kinh tế", ("can-bo",)),
    ("Chuyên viên Phòng Kinh tế", ("can-bo",)),
    ("Công chức Tư pháp - Hộ tịch", ("can-bo", "nguoi-thuc-hien", "bao-cao-vien")),
    ("Người hoạt động không chuyên trách", ("nguoi-thuc-hien",)),
)
FRONT_OFFICIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam", ("can-bo", "nguoi-thuc-hien")),
    ("Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam", ("can-bo", "nguoi-thuc-hien")),
    ("Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam", ("can-bo", "nguoi-thuc-hien")),
)
HEALTH_STAFF = ("Trạm trưởng", "Viên chức y tế", "Viên chức y tế")
SCHOOL_STAFF = ("Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên", "Giáo viên", "Giáo viên")
CITY_REPORTERS = 10  # báo cáo viên pháp luật of the city Department of Justice

# --- Names ---------------------------------------------------------------------------------------
FAMILY_NAMES = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Hoàng", 3),
    ("Phan", 4), ("Vũ", 3), ("Võ", 5), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 2), ("Lý", 1), ("Đinh", 1), ("Trương", 2), ("Lâm", 1), ("Mai", 1),
    ("Tô", 1), ("Châu", 1), ("Đoàn", 1), ("Cao", 1),
)  # fmt: skip
MALE_MIDDLE = ("Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thành", "Công", "Đức", "Thanh", "Hoàng", "Ngọc", "Tấn")  # fmt: skip
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng", "Thùy")
MALE_GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đông", "Hải", "Hiếu", "Hùng", "Hưng", "Khang",
    "Khoa", "Lâm", "Long", "Lộc", "Lợi", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang",
    "Sơn", "Tâm", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Vinh",
    "Việt", "Ân", "Ẩn", "Bảo", "Định", "Đức", "Hòa", "Kiên", "Tùng",
)  # fmt: skip
FEMALE_GIVEN = (
    "Anh", "Ánh", "Bích", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng",
    "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc",
    "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thu", "Trang", "Trinh", "Tuyết", "Uyên",
    "Vân", "Yến", "Ân", "Ấn", "Ly", "Thư",
)  # fmt: skip
# Vietnamese mobile prefixes; "090" is left out so demo numbers never collide with test data.
PHONE_PREFIXES = ("091", "093", "094", "096", "097", "098", "032", "035", "037", "038", "077", "086")  # fmt: skip


@dataclass(frozen=True)
class PersonSpec:
    full_name: str
    gender: str
    birth_date: dt.date
    phone: str


class PeopleGenerator:
    """A deterministic stream of plausible Vietnamese people (same seed, same people)."""

    def __init__(self, seed: int = RANDOM_SEED, *, limit: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._remaining = limit
        self._phones: set[str] = set()
        families, weights = zip(*FAMILY_NAMES, strict=True)
        self._families, self._weights = families, weights

    def __iter__(self) -> Iterator[PersonSpec]:
        return self

    def __next__(self) -> PersonSpec:
        if self._remaining is not None:
            if self._remaining <= 0:
                raise StopIteration
            self._remaining -= 1
        rng = self._rng
        female = rng.random() < 0.45
        family = rng.choices(self._families, weights=self._weights)[0]
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        birth = dt.date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
        phone = ""
        while not phone or phone in self._phones:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
        self._phones.add(phone)
        return PersonSpec(
            full_name=f"{family} {middle} {given}",
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            birth_date=birth,
            phone=phone,
        )


# --- Loading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    description: str


class _Loader:
    """Find-or-create helpers; what exists is read once up front so re-runs stay cheap."""

    def __init__(self) -> None:
        self.people = PeopleGenerator()
        self.kinds = {kind.code: kind for kind in UnitKind.objects.all()}
        self.groups = {group.code: group for group in TargetGroup.objects.all()}
        self.units = {u.code: u for u in Unit.objects.filter(valid_to__isnull=True)}
        phones = [spec.phone for spec in PeopleGenerator(RANDOM_SEED, limit=1000)]
        self.persons = {p.phone: p for p in Person.objects.filter(phone__in=phones)}
        self.positions = set(
            PositionAssignment.objects.filter(person__in=self.persons.values()).values_list(
                "person_id", "unit_id", "target_group_id", "title", "start_date"
            )
        )

    def unit(self, *, code: str, name: str, kind: str, parent: Unit | None, place: str) -> Unit:
        code = code.upper()
        if code in self.units:
            return self.units[code]
        # A fresh parent row: treebeard computes the child's path from the stored numchild.
        fresh_parent = Unit.objects.get(pk=parent.pk) if parent is not None else None
        unit = unit_create(
            code=code,
            name=name,
            kind=self.kinds[kind],
            parent=fresh_parent,
            place_name=place,
            valid_from=REFORM_DAY,
        )
        self.units[code] = unit
        return unit

    def person(self) -> Person:
        spec = next(self.people)
        person = self.persons.get(spec.phone)
        if person is None:
            person = Person(
                full_name=spec.full_name,
                gender=spec.gender,
                birth_date=spec.birth_date,
                phone=spec.phone,
            )
            person.save()
            self.persons[spec.phone] = person
        return person

    def hold(
        self,
        person: Person,
        unit: Unit,
        groups: tuple[str, ...],
        title: str,
        *,
        start: dt.date = REFORM_DAY,
        end: dt.date | None = None,
    ) -> None:
        for code in groups:
            group = self.groups[code]
            key = (person.pk, unit.pk, group.pk, title, start)
            if key in self.positions:
                continue
            position_assign(
                person=person,
                unit=unit,
                target_group=group,
                start_date=start,
                end_date=end,
                title=title,
            )
            self.positions.add(key)


@dataclass
class DemoOrg:
    city: Unit
    communes: dict[str, Unit]
    key_people: dict[str, Person | Unit]


def demo_org_load() -> DemoOrg:
    """Create (or find) the demo units, people and positions. Idempotent."""
    with transaction.atomic():
        loader = _Loader()
        city = loader.unit(
            code="HCM",
            name="Thành phố Hồ Chí Minh",
            kind="thanh-pho",
            parent=None,
            place="Thành phố Hồ Chí Minh",
        )
        key_people: dict[str, Person | Unit] = {}
        justice = loader.unit(
            code="HCM-STP",
            name="Sở Tư pháp Thành phố Hồ Chí Minh",
            kind="co-quan",
            parent=city,
            place="Thành phố Hồ Chí Minh",
        )
        for index in range(CITY_REPORTERS):
            reporter = loader.person()
            loader.hold(reporter, justice, ("bao-cao-vien", "can-bo"), "Báo cáo viên pháp luật")
            if index == 0:
                key_people["trainer"] = reporter
        communes = {}
        for spec in COMMUNES:
            communes[spec.code] = _load_commune(loader, city=city, spec=spec, key=key_people)
        return DemoOrg(city=city, communes=communes, key_people=key_people)


def _load_commune(loader: _Loader, *, city: Unit, spec: CommuneSpec, key: dict) -> Unit:
    place, level = spec.name, spec.level
    commune = loader.unit(
        code=spec.code, name=spec.full_name, kind="xa-phuong", parent=city, place=place
    )

    def child(suffix: str, name: str, kind: str) -> Unit:
        return loader.unit(
            code=f"{spec.code}-{suffix}", name=name, kind=kind, parent=commune, place=place
        )

    committee = child("UBND", f"Ủy ban nhân dân {level} {spec.name}", "co-quan")
    front = child("MTTQ", f"Ủy ban Mặt trận Tổ quốc Việt Nam {level} {spec.name}", "co-quan")
    health = child("TYT", f"Trạm Y tế {level} {spec.name}", "don-vi-su-nghiep")
    school = child("TH", f"Trường Tiểu học {spec.name}", "don-vi-su-nghiep")
    inspection = child("TTND", f"Ban Thanh tra nhân dân {level} {spec.name}", "ban")
    supervision = child("GSDTCD", f"Ban Giám sát đầu tư của cộng đồng {level} {spec.name}", "ban")
    hamlets = [child(f"{index:02d}", name, "thon-ap") for index, name in enumerate(spec.hamlets, 1)]

    for title, groups in COMMUNE_OFFICIALS:
        official = loader.person()
        loader.hold(official, committee, groups, f"{title} {level}")
        if title.startswith("Chánh Văn phòng"):
            key[f"office:{spec.code}"] = official
    front_deputies = []
    for title, groups in FRONT_OFFICIALS:
        member = loader.person()
        loader.hold(member, front, groups, f"{title} {level}")
        if title.startswith("Phó"):
            front_deputies.append(member)
    for title in HEALTH_STAFF:
        loader.hold(loader.person(), health, ("can-bo",), title)
    for title in SCHOOL_STAFF:
        loader.hold(loader.person(), school, ("can-bo",), title)

    head_word = "Trưởng khu phố" if spec.is_ward else "Trưởng ấp"
    for index, hamlet in enumerate(hamlets):
        head = loader.person()
        if index == 1 and spec.code in {"BTU", "TT"}:
            # Re-elected mid-year: the predecessor's position ends, the new head is required
            # to train from the election day on.
            loader.hold(head, hamlet, ("truong-thon",), head_word, end=ELECTION_DAY)
            head = loader.person()
            loader.hold(head, hamlet, ("truong-thon",), head_word, start=ELECTION_DAY)
        else:
            loader.hold(head, hamlet, ("truong-thon",), head_word)
        if index == 0:
            key[f"hamlet_head:{spec.code}"] = head
            key[f"hamlet:{spec.code}"] = hamlet
            # A hamlet head often also serves as the grassroots legal communicator.
            loader.hold(head, hamlet, ("bao-cao-vien",), "Tuyên truyền viên pháp luật")
        loader.hold(loader.person(), hamlet, ("truong-ban-ctmt",), "Trưởng ban công tác Mặt trận")

    # People's Inspection Board: one member per hamlet, at least 5 (Art. 36), here at most 9.
    size = min(max(5, len(hamlets)), 9)
    inspectors = []
    for index in range(size):
        title = "Trưởng ban" if index == 0 else "Phó Trưởng ban" if index <= 2 else "Ủy viên"
        inspector = loader.person()
        loader.hold(inspector, inspection, ("ban-ttnd",), title)
        inspectors.append(inspector)

    # Community Investment Supervision Board: the Front's and the Inspection Board's
    # representatives plus residents; at most 5 here (Decree 59/2023, Art. 16).
    loader.hold(front_deputies[0], supervision, ("ban-gsdtcd",), "Trưởng ban")
    loader.hold(inspectors[-1], supervision, ("ban-gsdtcd",), "Phó Trưởng ban")
    for _index in range(3):
        loader.hold(loader.person(), supervision, ("ban-gsdtcd",), "Thành viên")
    return commune


# --- Logins --------------------------------------------------------------------------------------
def _login(username: str, *, person: Person | None = None, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    changed = created
    wanted = {
        "is_superuser": superuser,
        "is_staff": superuser,
        "is_active": True,
        "must_change_password": False,  # the demo should be smooth: no forced change
        "email": f"{username}@{EMAIL_DOMAIN}",
        "first_name": person.full_name if person else "Quản trị hệ thống",
    }
    for field, value in wanted.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if changed:
        user.save()
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save()
    return user


def demo_logins_load(org: DemoOrg) -> list[DemoLogin]:
    """One login per role, all with DEMO_PASSWORD. Idempotent."""
    btu, tt = org.communes["BTU"], org.communes["TT"]
    with transaction.atomic():
        admin = _login("admin", superuser=True)
        staff_role_grant(user=admin, role=StaffRole.Role.ADMIN, unit=None)
        manager = _login("quanly", person=org.key_people["office:BTU"])
        staff_role_grant(user=manager, role=StaffRole.Role.MANAGER, unit=btu)
        manager2 = _login("quanly2", person=org.key_people["office:TT"])
        staff_role_grant(user=manager2, role=StaffRole.Role.MANAGER, unit=tt)
        trainer = _login("giangvien", person=org.key_people["trainer"])
        staff_role_grant(user=trainer, role=StaffRole.Role.TRAINER, unit=org.city)
        _login("hocvien", person=org.key_people["hamlet_head:BTU"])
    learner, hamlet = org.key_people["hamlet_head:BTU"], org.key_people["hamlet:BTU"]
    return [
        DemoLogin("admin", DEMO_PASSWORD, "Quản trị viên", "toàn hệ thống"),
        DemoLogin("quanly", DEMO_PASSWORD, "Quản lý đơn vị", btu.name),
        DemoLogin("quanly2", DEMO_PASSWORD, "Quản lý đơn vị", tt.name),
        DemoLogin("giangvien", DEMO_PASSWORD, "Giảng viên", org.key_people["trainer"].full_name),
        DemoLogin(
            "hocvien", DEMO_PASSWORD, "Học viên", f"{learner.full_name}, Trưởng ấp ({hamlet.name})"
        ),
    ]
