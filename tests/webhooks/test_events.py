"""Which changes make deliveries: the domain signals, on commit, once per
subscribed active endpoint, with only public data."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.services import article_correct, article_publish, article_unpublish
from comments.models import Comment, CommentStatus
from comments.services import comment_moderate
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.webhooks.conftest import make_endpoint
from webhooks.models import Event, WebhookDelivery

pytestmark = pytest.mark.django_db

ALL = [event.value for event in Event]


@pytest.fixture
def desk(roles):
    editor = UserFactory(username="desk", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


@pytest.fixture
def endpoints(database_tasks):
    """Two subscribed, one not, one subscribed but switched off. Jobs wait
    in the database, so nothing is sent."""
    return {
        "a": make_endpoint("https://a.example.com/hook", *ALL),
        "b": make_endpoint("https://b.example.com/hook", Event.STORY_PUBLISHED),
        "other": make_endpoint("https://c.example.com/hook", Event.COMMENT_APPROVED),
        "off": make_endpoint(
            "https://d.example.com/hook", *ALL, is_active=False, disabled_reason="x"
        ),
    }


def deliveries(event=None):
    found = WebhookDelivery.objects.select_related("endpoint")
    if event:
        found = found.filter(event=event)
    return sorted(found, key=lambda d: d.endpoint.url)


def test_publishing_queues_one_delivery_per_subscribed_endpoint(
    endpoints, desk, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline="Harbour vote passes")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, by=desk)

    published = deliveries(Event.STORY_PUBLISHED)
    assert [d.endpoint for d in published] == [endpoints["a"], endpoints["b"]]
    assert deliveries() == published  # no "updated" for the same save
    payload = published[0].payload
    assert payload["id"] == str(published[0].pk)
    assert payload["event"] == "story.published"
    data = payload["data"]
    assert data["id"] == story.pk
    assert data["headline"] == "Harbour vote passes"
    assert data["url"] == "http://127.0.0.1:8000" + story.get_absolute_url()
    assert data["published_at"] and data["updated_at"]
    assert "body" not in data  # the payload names the story; it is no copy
    jobs = [kwargs for name, kwargs in enqueued if name.endswith("deliver_webhook")]
    assert sorted(job["delivery_id"] for job in jobs) == sorted(
        str(d.pk) for d in published
    )


def test_nothing_is_queued_before_the_commit(endpoints, desk):
    # Without the commit (the test's transaction is rolled back): nothing.
    article_publish(article=ArticleFactory(), by=desk)
    assert deliveries() == []


def test_a_scheduled_story_is_announced_when_it_goes_live(
    endpoints, desk, enqueued, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, by=desk, at=go_live)
    published = deliveries(Event.STORY_PUBLISHED)
    assert len(published) == 2
    assert all(d.next_attempt_at == go_live for d in published)


def test_unpublishing_tells_only_the_id_and_address(
    endpoints, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(published=True)
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=story, by=desk)
    [delivery] = deliveries(Event.STORY_UNPUBLISHED)
    assert delivery.endpoint == endpoints["a"]
    assert delivery.payload["data"] == {
        "id": story.pk,
        "url": "http://127.0.0.1:8000" + story.get_absolute_url(),
    }


def test_a_live_story_edited_is_one_update_per_save(
    endpoints, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(published=True)
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story.headline = "Harbour vote passes, narrowly"
        story.save()
        story.tags.add(TagFactory(), TagFactory())
    [delivery] = deliveries(Event.STORY_UPDATED)
    assert delivery.payload["data"]["headline"] == "Harbour vote passes, narrowly"


def test_a_draft_saved_is_no_event(endpoints, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory()
        story.headline = "Still a draft"
        story.save()
    assert deliveries() == []


def test_a_correction_is_sent_with_its_text(
    endpoints, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(published=True)
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(
            article=story, kind="correction", text="The vote was 5-4.", by=desk
        )
    [corrected] = deliveries(Event.STORY_CORRECTED)
    assert corrected.endpoint == endpoints["a"]
    assert corrected.payload["data"]["id"] == story.pk
    assert corrected.payload["data"]["correction"]["text"] == "The vote was 5-4."


def test_approving_a_comment_is_sent_without_personal_data(
    endpoints, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        held = CommentFactory(status=CommentStatus.PENDING, body="Secret-ish words")
    assert deliveries(Event.COMMENT_APPROVED) == []
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(
            comments=Comment.objects.filter(pk=held.pk), action="approve", by=moderator
        )
    approved = deliveries(Event.COMMENT_APPROVED)
    assert [d.endpoint for d in approved] == [endpoints["a"], endpoints["other"]]
    data = approved[0].payload["data"]
    assert data["id"] == held.pk
    assert data["story"]["id"] == held.article_id
    text = str(approved[0].payload)
    assert "Secret-ish" not in text
    assert held.author.email not in text


def test_a_rejected_comment_is_no_event(endpoints, django_capture_on_commit_callbacks):
    moderator = UserFactory(username="mod2", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        held = CommentFactory(status=CommentStatus.PENDING)
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(
            comments=Comment.objects.filter(pk=held.pk), action="reject", by=moderator
        )
    assert deliveries() == []


def test_queueing_costs_the_same_with_more_endpoints(
    database_tasks, desk, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from webhooks.services import webhook_events_queue

    story = ArticleFactory(published=True)
    events = [((Event.STORY_PUBLISHED, story.pk), {})]

    def cost(count):
        for n in range(count):
            make_endpoint(f"https://{count}-{n}.example.com/", Event.STORY_PUBLISHED)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            webhook_events_queue(events=events)
        return len(queries)

    assert cost(2) == cost(20)


def test_published_and_edited_in_one_save_is_only_published(
    endpoints, desk, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article_publish(article=story, by=desk)
        story.refresh_from_db()
        story.dek = "Edited as it went live."
        story.save()
        story.tags.add(TagFactory())
    assert {d.event for d in deliveries()} == {Event.STORY_PUBLISHED}
    assert len(deliveries()) == 2


def test_a_comment_posted_without_hold_is_approved(
    endpoints, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(status=CommentStatus.APPROVED)
    approved = deliveries(Event.COMMENT_APPROVED)
    assert [d.payload["data"]["id"] for d in approved] == [comment.pk, comment.pk]


def test_publishing_reaches_a_real_receiver_signed(
    desk, receiver_factory, django_capture_on_commit_callbacks
):
    """The whole path on the tests' immediate task backend: publish, commit,
    job, signed POST."""
    import json

    from webhooks.signing import signature_verify

    receiver = receiver_factory(200)
    endpoint = make_endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, by=desk)
    [(headers, body)] = receiver.requests
    assert signature_verify(
        secret=endpoint.secret, body=body, header=headers["Webhook-Signature"]
    )
    assert json.loads(body)["data"]["id"] == story.pk
    assert WebhookDelivery.objects.get().status == "sent"
