"""A logged-in person's pages read their reader profile with the user: the
masthead's display name costs no query of its own."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import AccountBackend
from accounts.models import ReaderProfile
from tests.comments.factories import ReaderFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_reader_profile():
    reader = ReaderFactory()
    ReaderProfile.objects.filter(user=reader).update(display_name="Morag of Oban")
    with CaptureQueriesContext(connection) as queries:
        user = AccountBackend().get_user(reader.pk)
        assert user.reader.display_name == "Morag of Oban"
    assert len(queries) == 1


def test_an_inactive_or_missing_user_is_nobody():
    reader = ReaderFactory(is_active=False)
    assert AccountBackend().get_user(reader.pk) is None
    assert AccountBackend().get_user(987654) is None


def test_the_masthead_name_needs_no_query_of_its_own(client):
    reader = ReaderFactory()
    ReaderProfile.objects.filter(user=reader).update(display_name="Morag of Oban")
    client.force_login(reader)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.AccountBackend"
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "Morag of Oban" in page
    profile_reads = [q for q in queries if 'FROM "comments_readerprofile"' in q["sql"]]
    assert profile_reads == []


def test_a_session_opened_with_the_old_backend_stays_logged_in(client):
    reader = ReaderFactory()
    client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/accounts/")
    assert response.status_code == 200
    assert response.wsgi_request.user == reader
