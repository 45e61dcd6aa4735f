import datetime as dt

import pytest

from tests import factories


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
