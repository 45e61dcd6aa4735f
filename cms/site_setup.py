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
