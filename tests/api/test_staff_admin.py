"""Tokens in the admin: issued by those allowed, shown once, listed with
their status, revoked by the action or the form's box."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import secret_hash
from tests.api.conftest import bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_apitoken_add")
LIST = reverse("admin:api_apitoken_changelist")
STAFF_API = "/api/v1/staff/stories/"


def add_form(user, **extra):
    expires = timezone.localtime() + timedelta(days=30)
    return {
        "user": user.pk,
        "name": "Results importer",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"),
        **extra,
    }


def shown_token(response) -> str:
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    [text] = [t for t in texts if "Copy it now" in t]
    return text.rsplit(" ", 1)[1]


def test_issuing_shows_the_token_once_and_keeps_only_its_hash(
    client, boss, staff_editor
):
    client.force_login(boss)
    response = client.post(ADD, add_form(staff_editor), follow=True)
    assert response.status_code == 200
    plain = shown_token(response)
    token = ApiToken.objects.get()
    assert token.user == staff_editor
    assert token.created_by == boss
    assert token.secret_hash == secret_hash(plain)
    assert plain not in client.get(LIST).content.decode()
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert plain not in change.content.decode()
    assert token.prefix in change.content.decode()
    # Nothing kept server-side holds it: not the admin's log, not a session.
    assert LogEntry.objects.filter(object_id=str(token.pk)).exists()
    for entry in LogEntry.objects.all():
        assert plain not in f"{entry.object_repr} {entry.change_message}"
    for session in Session.objects.all():
        assert plain not in str(session.get_decoded())
    # The token works, as the person it was issued for.
    api = client.get("/api/v1/staff/stories/", headers=bearer(plain))
    assert api.status_code == 200


def test_the_add_form_offers_only_active_staff(client, boss, staff_editor):
    reader = UserFactory(username="reader")
    client.force_login(boss)
    response = client.post(ADD, add_form(reader))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expiry_in_the_past_is_refused(client, boss, staff_editor):
    client.force_login(boss)
    past = timezone.localtime() - timedelta(days=1)
    response = client.post(
        ADD, add_form(staff_editor, expires_at_0=past.strftime("%Y-%m-%d"))
    )
    assert "Choose an expiry in the future." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_only_people_with_the_permission_may_issue(client, staff_editor):
    client.force_login(staff_editor)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, add_form(staff_editor)).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_list_shows_each_tokens_status(client, boss, issue, staff_editor):
    issue(staff_editor, name="Live one")
    issue(staff_editor, name="Old one")
    issue(staff_editor, name="Cut off")
    ApiToken.objects.filter(name="Old one").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    ApiToken.objects.filter(name="Cut off").update(revoked_at=timezone.now())
    client.force_login(boss)
    page = client.get(LIST).content.decode()
    for status in ["Active", "Expired", "Revoked"]:
        assert f'<td class="field-status">{status}</td>' in page
    revoked = client.get(LIST, {"status": "revoked"}).content.decode()
    assert "Cut off" in revoked
    assert "Live one" not in revoked


def test_the_revoke_action_stops_the_tokens(client, boss, issue, staff_editor):
    plain = issue(staff_editor)
    kept = issue(staff_editor, name="Kept")
    client.force_login(boss)
    token = ApiToken.objects.get(name="Test")
    response = client.post(
        LIST,
        {"action": "revoke_selected", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    [entry] = LogEntry.objects.filter(object_id=str(token.pk))
    assert entry.user == boss
    assert "Revoked the token." in entry.get_change_message()
    assert client.get(STAFF_API, headers=bearer(plain)).status_code == 401
    assert client.get(STAFF_API, headers=bearer(kept)).status_code == 200


def test_the_change_forms_box_revokes(client, boss, issue, staff_editor):
    plain = issue(staff_editor)
    token = ApiToken.objects.get()
    client.force_login(boss)
    url = reverse("admin:api_apitoken_change", args=[token.pk])
    response = client.post(url, {"name": "Renamed", "revoke": "on"}, follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.name == "Renamed"
    assert token.revoked_at is not None
    assert token.user == staff_editor
    assert client.get(STAFF_API, headers=bearer(plain)).status_code == 401
    # A revoked token's form offers no box; nothing brings it back.
    assert 'name="revoke"' not in client.get(url).content.decode()
