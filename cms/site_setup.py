"""Put the public home page at the root of the default Wagtail site (idempotent)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

HOME_TITLE = "Bồi dưỡng và phổ biến pháp luật về dân chủ ở cơ sở"
HOME_SLUG = "trang-chu"
HOME_INTRO = (
    "<p>Hệ thống bồi dưỡng trực tuyến cho cán bộ, công chức, Trưởng ấp, Trưởng khu phố, "
    "Trưởng ban công tác Mặt trận, thành viên Ban Thanh tra nhân dân và Ban Giám sát đầu tư "
    "của cộng đồng về Luật Thực hiện dân chủ ở cơ sở và việc xây dựng, thực hiện hương ước, "
    "quy ước.</p>"
    "<p>Người học xem các khóa bồi dưỡng được giao trong năm, học trên điện thoại, làm bài "
    "kiểm tra và nhận giấy chứng nhận. Người dân có thể tìm hiểu pháp luật qua các khóa học mở."
    "</p>"
)


@transaction.atomic
def home_page_ensure(*, hostname: str = "127.0.0.1", port: int = 8000) -> HomePage:
    """Make a published HomePage the root of the default site; drop Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title=HOME_TITLE, slug=HOME_SLUG, intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    elif not home.live:
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.filter(hostname=hostname, port=port).first() or Site(
            hostname=hostname, port=port
        )
    fields = {
        "hostname": hostname,
        "port": port,
        "root_page_id": home.pk,
        "is_default_site": True,
        "site_name": HOME_TITLE,
    }
    if site.pk is None or any(getattr(site, k) != v for k, v in fields.items()):
        for name, value in fields.items():
            setattr(site, name, value)
        site.save()

    # Wagtail's "Welcome to your new Wagtail site!" page is a plain Page at depth 2.
    plain_page = ContentType.objects.get_for_model(Page)
    for welcome in Page.objects.filter(depth=2, content_type=plain_page, slug="home"):
        if not welcome.sites_rooted_here.exists():
            welcome.delete()
    return HomePage.objects.get(pk=home.pk)


# --- Public sections and who may edit them ---------------------------------------------------

PUBLIC_SECTIONS = (
    # (model path, slug, title, intro)
    (
        "cms.public.models.NewsIndexPage",
        "tin-tuc",
        "Tin tức",
        "Tin hoạt động thực hiện dân chủ ở cơ sở, xây dựng hương ước, quy ước tại địa phương.",
    ),
    (
        "cms.public.models.QAIndexPage",
        "hoi-dap",
        "Hỏi – đáp pháp luật",
        "Giải đáp những câu hỏi thường gặp của Nhân dân về Luật Thực hiện dân chủ ở cơ sở và "
        "hương ước, quy ước. Bạn cũng có thể gửi câu hỏi mới.",
    ),
    (
        "cms.public.models.MaterialsIndexPage",
        "tai-lieu",
        "Tài liệu tuyên truyền",
        "Tờ gấp, bản tin phát trên loa truyền thanh và video phổ biến pháp luật; tải về miễn phí.",
    ),
)
# Editors (trainers) and administrators write news, answers, materials and consultation drafts.
EDITOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")


def _model(path: str):
    from django.utils.module_loading import import_string

    return import_string(path)


@transaction.atomic
def public_sections_ensure() -> dict[str, Page]:
    """Create (once) the news, Q&A and materials sections under the home page, published."""
    home = HomePage.objects.first()
    if home is None:
        home = home_page_ensure()
    sections = {}
    for path, slug, title, intro in PUBLIC_SECTIONS:
        model = _model(path)
        page = model.objects.first()
        if page is None:
            page = model(title=title, slug=slug, intro=intro)
            home.add_child(instance=page)
            page.save_revision().publish()
            page = model.objects.get(pk=page.pk)
        sections[slug] = page
    editor_page_permissions_ensure()
    return sections


@transaction.atomic
def editor_page_permissions_ensure() -> int:
    """Give the trainer (editor) and administrator groups add/edit/publish rights on the public
    sections that exist: news, Q&A, materials and consultations. Idempotent; returns rows added."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from cms.consultations.models import ConsultationIndexPage
    from lms.org.api import StaffRole
    from lms.org.roles import GROUP_NAMES

    roots = [
        page
        for model in (
            *(_model(path) for path, *_rest in PUBLIC_SECTIONS),
            ConsultationIndexPage,
        )
        for page in model.objects.all()
    ]
    if not roots:
        return 0
    names = [GROUP_NAMES[StaffRole.Role.TRAINER], GROUP_NAMES[StaffRole.Role.ADMIN]]
    groups = list(Group.objects.filter(name__in=names))
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[f"{action}_page" for action in EDITOR_PAGE_PERMISSIONS],
        )
    )
    added = 0
    for group in groups:
        for page in roots:
            for permission in permissions:
                _row, created = GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission
                )
                added += created
    return added
