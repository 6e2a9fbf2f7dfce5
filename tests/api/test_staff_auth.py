"""Who gets into the staff API: a live token of an active staff member, and
nobody else; the answers are personal, never cached, and limited per token."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken
from api.services import secret_hash, token_revoke
from pagecache.middleware import PageCacheMiddleware
from pagecache.store import _lookup
from tests.api.conftest import bearer
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/stories/"


def refused(response, detail: str):
    assert response.status_code == 401, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert detail in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_database_holds_only_a_hash_of_the_token(issue, staff_editor):
    plain = issue(staff_editor)
    token = ApiToken.objects.get()
    assert plain.startswith(f"nrs_{token.prefix}_")
    assert token.secret_hash == secret_hash(plain)
    secret = plain.split("_", 2)[2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert secret not in row
    assert plain not in row


def test_a_live_token_opens_the_staff_api(client, issue, staff_editor):
    ArticleFactory(headline="Harbour vote draft")
    response = client.get(LIST, headers=bearer(issue(staff_editor)))
    assert response.status_code == 200
    assert [s["headline"] for s in response.json()["items"]] == ["Harbour vote draft"]


def test_no_header_or_another_scheme_is_refused(client):
    refused(client.get(LIST), "Authorization: Bearer")
    refused(
        client.get(LIST, headers={"Authorization": "Basic dXNlcjpwYXNz"}),
        "Authorization: Bearer",
    )


@pytest.mark.parametrize(
    "garbage",
    ["x", "nrs_", "nrs_abcd_", "nrs_a_b_c", "' OR 1=1 --", "nrs_" + "a" * 5000],
)
def test_garbage_tokens_are_refused(client, issue, staff_editor, garbage):
    issue(staff_editor)
    response = client.get(LIST, headers=bearer(garbage))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_with_a_known_prefix_but_wrong_secret_is_refused(
    client, issue, staff_editor
):
    plain = issue(staff_editor)
    forged = plain[:-4] + ("aaaa" if not plain.endswith("aaaa") else "bbbb")
    refused(client.get(LIST, headers=bearer(forged)), "not known")


def test_a_revoked_token_is_refused(client, issue, staff_editor, boss):
    plain = issue(staff_editor)
    assert client.get(LIST, headers=bearer(plain)).status_code == 200
    token_revoke(token=ApiToken.objects.get(), by=boss)
    refused(client.get(LIST, headers=bearer(plain)), "revoked")


def test_an_expired_token_is_refused(client, issue, staff_editor):
    plain = issue(staff_editor)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused(client.get(LIST, headers=bearer(plain)), "expired")


def test_a_deactivated_or_demoted_persons_token_is_refused(client, issue, staff_editor):
    plain = issue(staff_editor)
    staff_editor.is_active = False
    staff_editor.save()
    refused(client.get(LIST, headers=bearer(plain)), "no longer")
    staff_editor.is_active, staff_editor.is_staff = True, False
    staff_editor.save()
    refused(client.get(LIST, headers=bearer(plain)), "no longer")


def test_a_staff_login_session_does_not_open_the_staff_api(client, staff_editor):
    client.force_login(staff_editor)
    refused(client.get(LIST), "Authorization: Bearer")


def test_a_moderators_token_sees_no_stories(client, issue):
    from tests.articles.staff import member

    plain = issue(member("Moderators", "mo"))
    ArticleFactory()
    response = client.get(LIST, headers=bearer(plain))
    assert response.status_code == 403
    assert response.json()["detail"] == "You cannot see stories."


def test_tokens_are_only_issued_for_active_staff(boss):
    from django.core.exceptions import PermissionDenied, ValidationError

    from api.services import token_issue

    reader = UserFactory(username="reader")
    with pytest.raises(ValidationError):
        token_issue(token=ApiToken(user=reader, name="x"), by=boss)
    staff = UserFactory(username="staffer", is_staff=True)
    with pytest.raises(PermissionDenied):
        token_issue(token=ApiToken(user=staff, name="x"), by=staff)
    assert not ApiToken.objects.exists()


def test_last_used_is_written_at_most_once_a_minute(client, issue, staff_editor):
    plain = issue(staff_editor)
    client.get(LIST, headers=bearer(plain))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, headers=bearer(plain))
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get(LIST, headers=bearer(plain))
    assert ApiToken.objects.get().last_used_at > first


def kept(url):
    """The page cache's entry for an anonymous GET of `url`, if any."""
    request = RequestFactory().get(url)
    return _lookup(PageCacheMiddleware._key(request))[0]


def test_answers_are_private_and_never_enter_the_page_cache(
    client, issue, staff_editor
):
    story = ArticleFactory(published=True)
    plain = issue(staff_editor)
    for url in [LIST, f"{LIST}{story.pk}/"]:
        for _ in range(2):
            response = client.get(url, headers=bearer(plain))
            assert response.status_code == 200
            assert response["Cache-Control"] == "private, no-store"
            # Credentials: not even looked up in the page cache.
            assert "X-Cache" not in response
            assert "Surrogate-Key" not in response
        assert kept(url) is None
    # The same lookup finds a public answer, kept as usual.
    public = f"/api/v1/stories/{story.pk}"
    assert client.get(public)["X-Cache"] == "MISS"
    assert kept(public) is not None
    # Without the token nothing comes back from a cache either.
    assert client.get(LIST).status_code == 401


def test_csrf_does_not_apply_to_bearer_requests(issue, staff_editor):
    from tests.factories import SectionFactory

    SectionFactory(slug="local")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        LIST,
        {"headline": "Ferry fares rise", "section": "local"},
        content_type="application/json",
        headers=bearer(issue(staff_editor)),
    )
    assert response.status_code == 201, response.content


def test_each_token_has_its_own_rate_limit(client, issue, staff_editor, settings):
    settings.NEWSROOM_API_RATE_PER_TOKEN = 3
    first, second = issue(staff_editor), issue(staff_editor)
    for _ in range(3):
        assert client.get(LIST, headers=bearer(first)).status_code == 200
    response = client.get(LIST, headers=bearer(first))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "with one token" in response.json()["detail"]
    assert "no-store" in response["Cache-Control"]
    assert client.get(LIST, headers=bearer(second)).status_code == 200
