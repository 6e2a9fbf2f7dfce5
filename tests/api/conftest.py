import pytest

from tests.factories import UserFactory


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """Run a change as the admin would: in a transaction that commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (url, params, response.content[:500])
    return response.json()


def headlines(client, url="/api/v1/stories", params=None) -> list[str]:
    return [story["headline"] for story in get_json(client, url, params)["items"]]


# --- Staff API ---------------------------------------------------------------------


@pytest.fixture
def issue(boss):
    """Issue a token for `user` as the superuser would in the admin; the
    plain token."""
    from api.models import ApiToken
    from api.services import token_issue

    def make(user, **fields) -> str:
        fields.setdefault("name", "Test")
        return token_issue(token=ApiToken(user=user, **fields), by=boss)

    return make


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def staff_editor(db):
    from tests.articles.staff import member

    return member("Editors", "ed")


@pytest.fixture
def staff_journalist(db):
    from tests.articles.staff import member

    return member("Journalists", "jo")
