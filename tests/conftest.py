import pytest
from django.core.cache import cache

from tests.factories import (
    ARTICLE_AUTHORING,
    EDITOR_PERMISSIONS,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    """No test sees what another left in the cache (the trending strip)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, never the developer's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, permissions=EDITOR_PERMISSIONS)


@pytest.fixture
def journalist(db):
    return UserFactory(
        username="journalist", is_staff=True, permissions=ARTICLE_AUTHORING
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def journalist_client(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def roles(db):
    """The newsroom's groups. Browser tests flush the database between tests,
    taking the data migration's rows with them, so they are made again here."""
    from django.contrib.auth.models import Group, Permission

    from core.roles import roles_sync

    roles_sync(Group, Permission)


@pytest.fixture(scope="session", autouse=True)
def close_connections_before_teardown(django_db_setup):
    """Every connection of this process (the replica alias's too) closes
    before the test database is dropped, so the drop is never refused."""
    yield
    from django.db import connections

    connections.close_all()
