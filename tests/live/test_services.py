"""Posting, editing, pinning, marking and deleting live entries: who may do
each, what is stored, and that a refused attempt changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Byline
from live.models import LiveCoverage, LiveEntry
from live.services import (
    live_coverage_end,
    live_coverage_open_to_journalists,
    live_coverage_start,
    live_entry_delete,
    live_entry_edit,
    live_entry_mark,
    live_entry_post,
)
from tests.factories import ArticleFactory, AuthorFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def own_story(journalist):
    story = ArticleFactory(published=True)
    Byline.objects.create(
        article=story, author=AuthorFactory(user=journalist), position=1
    )
    return story


def test_an_editor_starts_coverage_posts_and_ends_it(editor):
    story = ArticleFactory(published=True)
    coverage = live_coverage_start(story=story, by=editor)
    assert coverage.is_live

    entry = live_entry_post(
        coverage=coverage, by=editor, body="<p>Ferries are cancelled.</p>"
    )
    assert entry.author == editor
    assert list(coverage.entries.all()) == [entry]

    live_coverage_end(coverage=coverage, by=editor)
    coverage.refresh_from_db()
    assert not coverage.is_live and coverage.has_ended
    with pytest.raises(ValidationError):
        live_entry_post(coverage=coverage, by=editor, body="<p>Too late.</p>")
    assert coverage.entries.count() == 1


def test_only_editors_start_end_or_open_coverage(journalist):
    story = own_story(journalist)
    with pytest.raises(PermissionDenied):
        live_coverage_start(story=story, by=journalist)
    assert not LiveCoverage.objects.exists()

    coverage = LiveCoverageFactory(story=story)
    with pytest.raises(PermissionDenied):
        live_coverage_end(coverage=coverage, by=journalist)
    with pytest.raises(PermissionDenied):
        live_coverage_open_to_journalists(
            coverage=coverage, by=journalist, allowed=True
        )
    coverage.refresh_from_db()
    assert coverage.ends_at is None and not coverage.journalists_may_post


def test_a_journalist_posts_on_their_own_story_once_an_editor_allows_it(
    journalist, editor
):
    coverage = LiveCoverageFactory(story=own_story(journalist))
    with pytest.raises(PermissionDenied, match="Only editors"):
        live_entry_post(coverage=coverage, by=journalist, body="<p>Mine.</p>")
    assert not coverage.entries.exists()

    live_coverage_open_to_journalists(coverage=coverage, by=editor, allowed=True)
    entry = live_entry_post(coverage=coverage, by=journalist, body="<p>Mine.</p>")
    assert entry.body == "<p>Mine.</p>" and entry.author == journalist


def test_a_journalist_cannot_post_on_someone_elses_story_even_when_open(journalist):
    coverage = LiveCoverageFactory(journalists_may_post=True)
    with pytest.raises(PermissionDenied, match="your own stories"):
        live_entry_post(coverage=coverage, by=journalist, body="<p>Not mine.</p>")
    entry = LiveEntryFactory(coverage=coverage, body="<p>The editor's.</p>")
    for attempt in (
        lambda: live_entry_edit(entry=entry, by=journalist, body="<p>Changed</p>"),
        lambda: live_entry_mark(entry=entry, by=journalist, is_pinned=True),
        lambda: live_entry_delete(entry=entry, by=journalist),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    entry.refresh_from_db()
    assert entry.body == "<p>The editor's.</p>"
    assert not entry.is_pinned and entry.edited_at is None


def test_editing_keeps_the_time_and_records_the_update(editor):
    entry = LiveEntryFactory(body="<p>Wall holds.</p>")
    posted_at = entry.posted_at
    live_entry_edit(entry=entry, by=editor, body="<p>Wall holds, just.</p>")
    entry.refresh_from_db()
    assert entry.body == "<p>Wall holds, just.</p>"
    assert entry.posted_at == posted_at
    assert entry.edited_at is not None and entry.edited_at >= posted_at


def test_saving_the_same_text_is_not_an_update(editor):
    entry = LiveEntryFactory(body="<p>Wall holds.</p>")
    live_entry_edit(entry=entry, by=editor, body="<p>Wall holds.</p>")
    entry.refresh_from_db()
    assert entry.edited_at is None


def test_pinning_and_key_events_switch_on_and_off(editor):
    entry = LiveEntryFactory()
    live_entry_mark(entry=entry, by=editor, is_pinned=True, is_key_event=True)
    entry.refresh_from_db()
    assert entry.is_pinned and entry.is_key_event
    live_entry_mark(entry=entry, by=editor, is_pinned=False)
    entry.refresh_from_db()
    assert not entry.is_pinned and entry.is_key_event


def test_deleting_removes_the_entry(editor):
    entry = LiveEntryFactory()
    live_entry_delete(entry=entry, by=editor)
    assert not LiveEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "payload",
    [
        '<p>Calm</p><script>alert("x")</script>',
        '<p onclick="alert(1)">Calm</p>',
        '<p><a href="javascript:alert(1)">Calm</a></p>',
        '<p>Calm<img src="https://tracker.example/p.gif" onerror="alert(1)"></p>',
        '<p>Calm</p><iframe src="https://evil.example"></iframe>',
    ],
)
def test_entries_are_cleaned_by_the_story_sanitiser(editor, payload):
    coverage = LiveCoverageFactory()
    entry = live_entry_post(coverage=coverage, by=editor, body=payload)
    live_entry_edit(entry=entry, by=editor, body=payload + "<p>again</p>")
    entry.refresh_from_db()
    for bad in ("<script", "onclick", "javascript:", "onerror", "tracker", "iframe"):
        assert bad not in entry.body
    assert "Calm" in entry.body


def test_lead_ins_survive_the_sanitiser(editor):
    coverage = LiveCoverageFactory()
    body = '<p><strong class="lead-in">Catch up quick:</strong> The tide turns.</p>'
    assert live_entry_post(coverage=coverage, by=editor, body=body).body == body


def test_an_empty_entry_is_refused(editor):
    coverage = LiveCoverageFactory()
    with pytest.raises(ValidationError):
        live_entry_post(coverage=coverage, by=editor, body="<p></p><script></script>")
    assert not coverage.entries.exists()


def test_coverage_runs_between_its_start_and_end():
    now = timezone.now()
    coverage = LiveCoverageFactory(starts_at=now + timezone.timedelta(hours=1))
    assert not coverage.is_live
    coverage.starts_at = now - timezone.timedelta(hours=2)
    coverage.ends_at = now - timezone.timedelta(hours=1)
    assert not coverage.is_live and coverage.has_ended
    coverage.ends_at = now + timezone.timedelta(hours=1)
    assert coverage.is_live
    assert list(LiveCoverage.objects.running()) == []  # not saved yet
    coverage.save()
    assert list(LiveCoverage.objects.running()) == [coverage]
