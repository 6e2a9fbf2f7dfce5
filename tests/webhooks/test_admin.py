"""Editors register endpoints in the admin, see secrets, failures and the
delivery log; journalists get nowhere; hostile addresses get clear errors."""

import pytest
from django.contrib.admin.models import LogEntry

from tests.factories import ArticleFactory
from tests.webhooks.conftest import make_endpoint
from webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_events_queue

pytestmark = pytest.mark.django_db

ENDPOINTS = "/admin/webhooks/webhookendpoint/"
DELIVERIES = "/admin/webhooks/webhookdelivery/"


@pytest.fixture
def editor_admin(client, webhook_editor, settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = False  # as in production
    client.force_login(webhook_editor)
    return client


def add(client, url, events=("story.published",), **extra):
    return client.post(
        ENDPOINTS + "add/",
        {"url": url, "description": "Partner app", "events": list(events), **extra},
    )


def test_a_journalist_cannot_see_or_add_endpoints(client, webhook_journalist):
    endpoint = make_endpoint("https://partner.example.com/hook")
    client.force_login(webhook_journalist)
    assert client.get(ENDPOINTS).status_code == 403
    assert client.get(ENDPOINTS + "add/").status_code == 403
    assert client.get(f"{ENDPOINTS}{endpoint.pk}/change/").status_code == 403
    assert add(client, "https://evil.example.com/").status_code == 403
    assert client.get(DELIVERIES).status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_a_journalist_cannot_rotate_or_redeliver_by_posting(client, webhook_journalist):
    endpoint = make_endpoint("https://partner.example.com/hook")
    secret = endpoint.secret
    client.force_login(webhook_journalist)
    response = client.post(
        ENDPOINTS, {"action": "rotate_secret", "_selected_action": [endpoint.pk]}
    )
    assert response.status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.secret == secret


def test_an_editor_adds_an_endpoint_and_sees_its_secret(editor_admin, webhook_editor):
    response = add(
        editor_admin,
        "https://partner.example.com/hook",
        events=["story.published", "story.corrected"],
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["story.published", "story.corrected"]
    assert endpoint.created_by == webhook_editor
    assert len(endpoint.secret) == 64
    page = editor_admin.get(f"{ENDPOINTS}{endpoint.pk}/change/").content.decode()
    assert endpoint.secret in page
    assert "Deliveries" in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://partner.example.com/hook", "Use https://"),
        ("https://127.0.0.1/hook", "private, local or reserved"),
        ("https://10.0.0.1/hook", "private, local or reserved"),
        ("https://[::1]/hook", "private, local or reserved"),
        ("https://[::ffff:10.0.0.1]/hook", "private, local or reserved"),
        ("https://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://2130706433/", "four decimal numbers"),
        ("https://0177.0.0.1/", "four decimal numbers"),
        ("https://0x7f.1/", "four decimal numbers"),
        ("https://localhost/hook", "localhost is this server"),
        ("https://user:pass@partner.example.com/", "user name or password"),
        ("ftp://partner.example.com/", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("partner.example.com/hook", "must start with https://"),
        ("https://partner.example.com/a b", "spaces or control"),
        ("https://partner.example.com/\x00", "Null characters are not allowed"),
        ("https://partner.example.com:0x50/", "not a valid web address"),
        ("https://" + "a" * 500 + ".com/", "at most 500"),
        ("https://", "no host name"),
    ],
)
def test_hostile_addresses_get_a_clear_error(editor_admin, url, message):
    response = add(editor_admin, url)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_no_events_is_refused(editor_admin):
    response = add(editor_admin, "https://partner.example.com/", events=[])
    assert "Pick at least one event." in response.content.decode()
    response = add(editor_admin, "https://partner.example.com/", events=["drop.table"])
    assert "Select a valid choice" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_listed_private_host_may_be_saved(editor_admin, settings):
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = ["10.0.0.7:8443"]
    assert add(editor_admin, "https://10.0.0.7:8443/hook").status_code == 302
    assert add(editor_admin, "https://10.0.0.7:9999/hook").status_code == 200


def test_rotating_the_secret(editor_admin):
    endpoint = make_endpoint("https://partner.example.com/hook")
    old = endpoint.secret
    response = editor_admin.post(
        ENDPOINTS,
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "New secret made for 1 endpoint" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old and len(endpoint.secret) == 64
    assert LogEntry.objects.filter(
        object_id=str(endpoint.pk), change_message="Rotated the signing secret."
    ).exists()


def test_a_switched_off_endpoint_shows_why_and_can_be_switched_on(editor_admin):
    from django.utils import timezone

    endpoint = make_endpoint(
        "https://partner.example.com/hook",
        is_active=False,
        consecutive_failures=10,
        disabled_at=timezone.now(),
        disabled_reason="Switched off after 10 failed deliveries in a row.",
    )
    page = editor_admin.get(ENDPOINTS).content.decode()
    assert "1 endpoint was switched off" in page
    assert "Switched off: Switched off after 10 failed deliveries" in page

    response = editor_admin.post(
        f"{ENDPOINTS}{endpoint.pk}/change/",
        {
            "url": endpoint.url,
            "description": "",
            "events": ["story.published"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == 0
    assert endpoint.disabled_at is None and endpoint.disabled_reason == ""


def test_the_endpoint_list_stays_within_budget(
    editor_admin, django_assert_max_num_queries
):
    for n in range(30):
        make_endpoint(f"https://p{n}.example.com/hook", *[e.value for e in Event])
    with django_assert_max_num_queries(12):
        response = editor_admin.get(ENDPOINTS)
    assert response.status_code == 200
    assert response.content.decode().count("Story published, Story updated") == 30


def _deliveries(count, endpoint):
    story = ArticleFactory(published=True)
    for _ in range(count):
        webhook_events_queue(events=[((Event.STORY_PUBLISHED, story.pk), {})])
    return list(WebhookDelivery.objects.filter(endpoint=endpoint))


def test_the_delivery_log_is_read_only_and_within_budget(
    editor_admin, database_tasks, django_assert_max_num_queries
):
    endpoint = make_endpoint("https://partner.example.com/hook")
    other = make_endpoint("https://other.example.com/hook")
    deliveries = _deliveries(30, endpoint)
    with django_assert_max_num_queries(14):
        response = editor_admin.get(f"{DELIVERIES}?endpoint__id__exact={endpoint.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("partner.example.com") >= 30
    assert "other.example.com/hook</td>" not in page
    assert other.deliveries.count() == 30  # there, just not listed
    detail = editor_admin.get(f"{DELIVERIES}{deliveries[0].pk}/change/")
    assert detail.status_code == 200
    assert b'name="status"' not in detail.content  # nothing to edit
    assert editor_admin.get(DELIVERIES + "add/").status_code == 403
    url = f"{DELIVERIES}{deliveries[0].pk}/delete/"
    assert editor_admin.post(url, {"post": "yes"}).status_code == 403


def test_redelivering(
    editor_admin, database_tasks, enqueued, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint("https://partner.example.com/hook")
    sent, waiting = _deliveries(2, endpoint)
    WebhookDelivery.objects.filter(pk=sent.pk).update(
        status=DeliveryStatus.GAVE_UP, attempts=6
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_admin.post(
            DELIVERIES,
            {"action": "redeliver", "_selected_action": [sent.pk, waiting.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "1 delivery queued again." in page
    assert "already waiting to be sent" in page
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.QUEUED and sent.attempts == 0
    assert ("deliver_webhook", {"delivery_id": str(sent.pk)}) in [
        (name, kwargs) for name, kwargs in enqueued
    ]


def test_redelivering_to_a_switched_off_endpoint_is_refused(
    editor_admin, database_tasks
):
    endpoint = make_endpoint("https://partner.example.com/hook")
    [delivery] = _deliveries(1, endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    response = editor_admin.post(
        DELIVERIES,
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "is switched off: switch it on first" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_deploy_check_warns_of_development_shortcuts(settings):
    from webhooks.checks import webhook_settings_check

    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = False
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = []
    assert webhook_settings_check(None) == []
    settings.NEWSROOM_WEBHOOKS_ALLOW_HTTP = True
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = ["10.0.0.7:443"]
    ids = [warning.id for warning in webhook_settings_check(None)]
    assert ids == ["webhooks.W001", "webhooks.W002"]


def test_the_change_page_shows_the_chosen_events(editor_admin):
    endpoint = make_endpoint(
        "https://partner.example.com/hook", Event.STORY_UPDATED, Event.COMMENT_APPROVED
    )
    page = editor_admin.get(f"{ENDPOINTS}{endpoint.pk}/change/").content.decode()
    import re

    checked = set(re.findall(r'value="([a-z.]+)"[^>]*checked', page))
    assert checked == {"story.updated", "comment.approved"}
