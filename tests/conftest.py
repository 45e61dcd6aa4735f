import datetime as dt

import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives each test's rolled-back transaction (Wagtail keeps site root paths there,
    rate limits keep counters): start every test with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _migrated_baseline(request):
    """Give every database test what the migrations put in the database.

    A transactional test (browser tests, the real worker, thread races) ends with a flush that
    also removes Wagtail's root page, site and locale and the seeded target groups and unit kinds;
    on a worker that runs other test files afterwards they would be missing. Restore them here.
    """
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("db")
    else:
        return
    _ensure_baseline()


def _ensure_baseline() -> None:
    import importlib

    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    from lms.org.models import TargetGroup

    if not Page.objects.filter(depth=1).exists():
        # The flush re-created content types with new ids: forget the cached ones.
        ContentType.objects.clear_cache()
    if not Locale.objects.exists():
        Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        root = Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Trang chủ", slug="home"))
        Site.objects.get_or_create(
            hostname="localhost", port=80, defaults={"root_page": home, "is_default_site": True}
        )
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not TargetGroup.objects.exists():
        seed = importlib.import_module("lms.org.migrations.0002_seed_target_groups_and_unit_kinds")
        seed.seed(apps, None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kinds(db):
    return factories.unit_kinds()


@pytest.fixture
def tree(kinds):
    """A small post-2025 tree: city → two communes → hamlets, plus a board under commune A."""
    return factories.small_tree(kinds)


@pytest.fixture
def groups(db):
    return factories.target_groups()


@pytest.fixture
def today():
    return dt.date.today()


def pytest_collection_modifyitems(config, items):
    """Tests marked celery_worker need a broker: without CELERY_BROKER_URL they are deselected."""
    import os

    if os.environ.get("CELERY_BROKER_URL"):
        return
    kept = [item for item in items if item.get_closest_marker("celery_worker") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
