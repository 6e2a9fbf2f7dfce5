"""Sign-up tells nobody but the mailbox's owner whether an address has an
account, and look-alike addresses and display names never make a second
account or a 500."""

import os
import re
import threading
import time
import urllib.parse

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ReaderProfile
from accounts.services import DisplayNameTaken, reader_sign_up
from tests.accounts.factories import ReaderFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a-long-harbour-password"
POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")


def sign_up(client, email, display_name="Newcomer", **extra):
    return client.post(
        reverse("accounts:signup"),
        {
            "display_name": display_name,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def owner():
    """A reader with an open account at reader@cupure.example."""
    reader = ReaderFactory(
        username="reader@cupure.example",
        email="reader@cupure.example",
        password="owners-own-password",
    )
    rename(reader, "Owner")
    return reader


def rename(reader, display_name: str) -> None:
    profile = reader.reader
    profile.display_name = display_name
    profile.save()


def link_in(message, name: str) -> str:
    found = re.search(rf"http://\S+(/accounts/{name}/\S+/)(\S*)", message.body)
    assert found, message.body
    return found.group(1) + found.group(2)


# --- Enumeration ----------------------------------------------------------------


def test_known_and_new_addresses_get_the_same_answer(owner):
    known, new = Client(), Client()

    answer_known = sign_up(known, "reader@cupure.ｅxample", display_name="Someone")
    answer_new = sign_up(new, "newcomer@cupure.example", display_name="Newcomer")

    assert answer_known.status_code == answer_new.status_code == 302
    assert answer_known["Location"] == answer_new["Location"]
    assert answer_known.cookies.keys() == answer_new.cookies.keys()
    page_known = known.get(answer_known["Location"])
    page_new = new.get(answer_new["Location"])
    assert page_known.status_code == page_new.status_code == 200
    assert "Check your email" in page_new.content.decode()
    assert without_csrf(page_known.content.decode()) == without_csrf(
        page_new.content.decode()
    )
    assert "_auth_user_id" not in known.session
    assert "_auth_user_id" not in new.session

    # The owner hears of the attempt, with a way back into their account; the
    # newcomer gets the link that opens theirs.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["newcomer@cupure.example", "reader@cupure.example"]
    attempt = by_address["reader@cupure.example"]
    assert "You already have an account" in attempt.body
    assert "/accounts/reset/" in attempt.body
    assert "/accounts/signup/confirm/" not in attempt.body
    welcome = by_address["newcomer@cupure.example"]
    assert "/accounts/signup/confirm/" in welcome.body
    assert "/accounts/reset/" not in welcome.body

    # Nothing about the owner's account changed.
    owner.refresh_from_db()
    assert owner.check_password("owners-own-password")
    assert owner.is_active and owner.reader.display_name == "Owner"
    assert User.objects.filter(username__startswith="reader@").count() == 1


def test_the_reset_link_of_the_attempt_email_lets_the_owner_back_in(client, owner):
    sign_up(Client(), "Reader@Cupure.Example", display_name="Someone")
    (attempt,) = mail.outbox

    form = client.get(link_in(attempt, "reset"), follow=True)
    assert "Choose a new password" in form.content.decode()
    client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a-fresh-ferry-password",
            "new_password2": "a-fresh-ferry-password",
        },
    )
    owner.refresh_from_db()
    assert owner.check_password("a-fresh-ferry-password")


@pytest.mark.parametrize(
    "typed",
    [
        "reader@cupure.example",
        "READER@CUPURE.EXAMPLE",
        "reader@cupure.ｅxample",  # fullwidth e
        "ｒｅａｄｅｒ@ｃｕｐｕｒｅ.ｅｘａｍｐｌｅ",  # all fullwidth
        "reader@cupure.exa\u200bmple",  # zero-width space in the domain
        " reader@cupure.example\u00a0",  # no-break space around it
    ],
)
def test_look_alikes_of_a_known_address_are_that_address_never_a_500(
    client, owner, typed
):
    response = sign_up(client, typed, display_name="Someone")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    assert User.objects.count() == 1
    assert not ReaderProfile.objects.filter(display_name="Someone").exists()
    (attempt,) = mail.outbox
    assert attempt.to == ["reader@cupure.example"]


def test_a_cyrillic_look_alike_domain_is_another_mailbox(client, owner):
    """A Cyrillic е in "cupurе.example" makes a different domain: whoever owns
    it can open an account there, never the original's."""
    response = sign_up(client, "reader@cupur\u0435.example", display_name="Someone")

    assert response.status_code == 302
    other = User.objects.exclude(pk=owner.pk).get()
    assert other.username == other.email == "reader@xn--cupur-3we.example"
    assert not other.is_active
    (welcome,) = mail.outbox
    assert welcome.to == ["reader@xn--cupur-3we.example"]


def test_a_new_try_on_an_unconfirmed_address_replaces_the_first(client):
    sign_up(client, "newcomer@cupure.example", display_name="Newcomer")
    sign_up(
        Client(),
        "newcomer@cupure.example",
        display_name="Newcomer",
        password1="another-island-password",
        password2="another-island-password",
    )
    first, second = mail.outbox

    assert client.post(link_in(first, "signup/confirm")).status_code == 404
    assert client.post(link_in(second, "signup/confirm")).status_code == 302
    user = User.objects.get(username="newcomer@cupure.example")
    assert user.is_active and user.check_password("another-island-password")


def test_an_unconfirmed_account_cannot_log_in(client):
    sign_up(client, "newcomer@cupure.example")
    response = client.post(
        reverse("accounts:login"),
        {"username": "newcomer@cupure.example", "password": PASSWORD},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_link_brings_the_reader_back_to_where_they_were(client):
    sign_up(client, "newcomer@cupure.example", next="/stories/ferries/#comments")
    (welcome,) = mail.outbox
    link = link_in(welcome, "signup/confirm")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {
        "next": ["/stories/ferries/#comments"]
    }
    response = client.post(link)
    assert response["Location"] == "/stories/ferries/#comments"


def test_login_and_password_reset_read_a_look_alike_address_as_the_owners(owner):
    reader = Client()
    reader.post(
        reverse("accounts:login"),
        {"username": "Reader@Cupure.ｅxample", "password": "owners-own-password"},
    )
    assert reader.session["_auth_user_id"] == str(owner.pk)

    Client().post(
        reverse("accounts:password_reset"), {"email": "ｒeader@cupure.example"}
    )
    (reset,) = mail.outbox
    assert reset.to == ["reader@cupure.example"]


# --- Display names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Marta Soler",
        "marta soler",
        "Ｍａｒｔａ Ｓｏｌｅｒ",  # fullwidth
        "Marta\u00a0Soler",  # no-break space
        "Marta  Soler",  # two spaces
        "Маrtа Solеr",  # Cyrillic М, а, е
        "Μarta Sοler",  # Greek capital Mu, small omicron
        "Mar\u200bta Soler\u200d",  # zero-width space and joiner
    ],
)
def test_display_names_looking_like_another_readers_are_refused_by_name(client, typed):
    rename(ReaderFactory(), "Marta Soler")

    response = sign_up(client, "newcomer@cupure.example", display_name=typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Another reader already uses this name." in page
        or "looks too much like “Marta Soler”" in page
    )
    assert not User.objects.filter(username="newcomer@cupure.example").exists()
    assert mail.outbox == []


def test_a_moderator_cannot_rename_a_reader_to_a_look_alike(admin_client):
    rename(ReaderFactory(), "Marta Soler")
    other = ReaderFactory()
    url = reverse("admin:accounts_readerprofile_change", args=[other.reader.pk])

    refused = admin_client.post(url, {"display_name": "Маrtа Soler", "ban_reason": ""})
    renamed = admin_client.post(url, {"display_name": "Marta S.", "ban_reason": ""})

    assert "looks too much like “Marta Soler”" in refused.content.decode()
    assert renamed.status_code == 302
    other.reader.refresh_from_db()
    assert other.reader.display_name == "Marta S."


def test_a_decomposed_accent_is_the_same_name(client):
    rename(ReaderFactory(), "Renée")
    response = sign_up(client, "newcomer@cupure.example", display_name="Rene\u0301e")
    assert "Another reader already uses this name." in response.content.decode()


def test_display_names_are_stored_as_readers_see_them(client):
    sign_up(client, "newcomer@cupure.example", display_name="Ｒｅｎｅ\u0301e\u00a0Ｓ")
    profile = ReaderProfile.objects.get(user__username="newcomer@cupure.example")
    assert profile.display_name == "Renée S"


def test_a_name_normalising_past_the_limit_is_refused_not_a_500(client):
    response = sign_up(client, "newcomer@cupure.example", display_name="ﷺ" * 10)
    assert response.status_code == 200
    assert "at most 60 letters" in response.content.decode()


def test_the_database_has_the_last_word_on_a_taken_name():
    """Two sign-ups with one name at once: the second meets the unique index,
    and the reader gets the form's message, not a 500."""
    rename(ReaderFactory(), "Marta")
    with pytest.raises(DisplayNameTaken):
        reader_sign_up(
            email="newcomer@cupure.example", password=PASSWORD, display_name="marta"
        )
    assert not User.objects.filter(username="newcomer@cupure.example").exists()
    assert mail.outbox == []


@pytest.mark.skipif(not POSTGRES, reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_address_taken_while_signing_up_gets_the_same_answer():
    """Another sign-up inserts the address and commits while ours waits on the
    unique index: ours gets the IntegrityError, and still answers "check your
    email" (the address is unconfirmed, so its link is sent again)."""
    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    )
    other.execute(
        "INSERT INTO auth_user (username, email, password, is_active, is_staff,"
        " is_superuser, first_name, last_name, date_joined)"
        " VALUES (%s, %s, '!', false, false, false, '', '', now())",
        ["newcomer@cupure.example", "newcomer@cupure.example"],
    )
    answers = []

    def sign_up_meanwhile():
        try:
            answers.append(sign_up(Client(), "newcomer@cupure.example"))
        finally:
            connections.close_all()

    worker = threading.Thread(target=sign_up_meanwhile)
    worker.start()
    deadline = time.monotonic() + 10
    waiting = 0
    while time.monotonic() < deadline and not waiting:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND wait_event_type = 'Lock'",
                [db["NAME"]],
            )
            waiting = cursor.fetchone()[0]
        time.sleep(0.05)
    other.commit()
    other.close()
    worker.join(timeout=10)

    assert waiting, "the sign-up never waited on the other one's row"
    (answer,) = answers
    assert answer.status_code == 302
    assert answer["Location"] == reverse("accounts:signup_sent")
    assert User.objects.filter(username="newcomer@cupure.example").count() == 1
    assert not ReaderProfile.objects.exists()
    (welcome,) = mail.outbox
    assert welcome.to == ["newcomer@cupure.example"]
    assert "/accounts/signup/confirm/" in welcome.body


_TYPED = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=70
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(display_name=_TYPED, local=_TYPED, domain=_TYPED)
def test_whatever_is_typed_sign_up_answers_without_a_500(
    client, display_name, local, domain
):
    if not User.objects.exists():
        rename(
            ReaderFactory(
                username="reader@cupure.example", email="reader@cupure.example"
            ),
            "Marta Soler",
        )
    typed = [f"{local}@{domain}", f"{local}@cupure.example", "reader@cupure.example"]
    for email in typed:
        response = sign_up(client, email, display_name=display_name)
        assert response.status_code in (200, 302)


# --- Existing rows -----------------------------------------------------------------


def test_the_data_migration_normalises_readers_it_can_and_leaves_collisions():
    from importlib import import_module

    migration = import_module("comments.migrations.0008_normalise_readers")
    kept = ReaderFactory(
        username="reader@cupure.example", email="reader@cupure.example"
    )
    twin = ReaderFactory()
    odd = ReaderFactory()
    User.objects.filter(pk=twin.pk).update(
        username="Reader@Cupure.ｅxample", email="Reader@Cupure.ｅxample"
    )
    User.objects.filter(pk=odd.pk).update(
        username="Ｏdd@Café.Example", email="Ｏdd@Café.Example"
    )
    ReaderProfile.objects.filter(user=kept).update(
        display_name="Kept", display_name_skeleton=""
    )
    ReaderProfile.objects.filter(user=odd).update(
        display_name="Ｏｄｄ\u00a0One", display_name_skeleton=""
    )

    # The models as that migration saw them (ReaderProfile still in comments).
    at_migration = MigrationLoader(connection).project_state(
        ("comments", "0008_normalise_readers")
    )
    migration.normalise_readers(at_migration.apps, None)

    odd.refresh_from_db()
    twin.refresh_from_db()
    assert odd.username == odd.email == "odd@xn--caf-dma.example"
    assert twin.username == "Reader@Cupure.ｅxample"  # the address is taken
    assert ReaderProfile.objects.get(user=odd).display_name == "Odd One"
    assert ReaderProfile.objects.get(user=odd).display_name_skeleton == "odd one"
    assert ReaderProfile.objects.get(user=kept).display_name_skeleton == "kept"
