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
