"""The story form as a person meets it: verbs on the buttons, only the
allowed ones, the checklist, British dates, and the compare page."""

import json
import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.buttons import schedule_label, workflow_buttons
from articles.models import Article, LeadIn, Status
from tests.articles.staff import change_form, edit
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

STATES = {
    "new": None,
    "draft": {},
    "in_review": {"status": Status.IN_REVIEW},
    "live": {"published": True},
    "scheduled": {"scheduled": True},
    "unpublished": {"unpublished": True},
}
# (role, state) -> the labels offered, in order.
LABELS = {
    ("journalist", "new"): ["Save draft", "Submit for review"],
    ("journalist", "draft"): ["Save draft", "Submit for review"],
    ("journalist", "in_review"): ["Save draft", "Return to draft"],
    ("editor", "new"): [
        "Save draft",
        "Submit for review",
        "Publish now",
        "Schedule (choose a time)",
    ],
    ("editor", "draft"): [
        "Save draft",
        "Submit for review",
        "Publish now",
        "Schedule (choose a time)",
    ],
    ("editor", "in_review"): [
        "Save draft",
        "Return to draft",
        "Publish now",
        "Schedule (choose a time)",
    ],
    ("editor", "live"): ["Save changes", "Schedule (choose a time)", "Unpublish"],
    ("editor", "unpublished"): [
        "Save draft",
        "Submit for review",
        "Publish now",
        "Schedule (choose a time)",
    ],
}


def member(group, username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def buttons_on(html: str) -> list[str]:
    row = re.search(r'<div class="submit-row story-actions">(.*?)</div>', html, re.S)
    return re.findall(r'<input type="submit"[^>]*value="([^"]*)"', row[1])


@pytest.mark.parametrize(("role", "state"), list(LABELS))
def test_buttons_per_role_and_state(client, role, state):
    journalist = member("Journalists", "jo")
    user = journalist if role == "journalist" else member("Editors", "ed")
    client.force_login(user)
    if STATES[state] is None:
        url = reverse("admin:articles_article_add")
    else:
        story = ArticleFactory(created_by=journalist, **STATES[state])
        url = reverse("admin:articles_article_change", args=[story.pk])

    html = client.get(url).content.decode()

    assert buttons_on(html) == LABELS[role, state]
    assert "Save and" not in html


def test_a_scheduled_story_shows_its_time_on_the_button(client):
    client.force_login(member("Editors", "ed"))
    when = datetime(2026, 12, 2, 6, 0, tzinfo=ZoneInfo("Europe/London"))
    story = ArticleFactory(status=Status.PUBLISHED, published_at=when)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: when - timedelta(hours=3))
        html = client.get(
            reverse("admin:articles_article_change", args=[story.pk])
        ).content.decode()
    assert buttons_on(html) == [
        "Save changes",
        "Publish now",
        "Schedule for Wed 2 Dec, 06:00",
        "Unpublish",
    ]


def test_schedule_label_is_british_and_in_the_site_time_zone():
    utc = datetime(2026, 7, 1, 5, 0, tzinfo=ZoneInfo("UTC"))  # 06:00 in London
    assert schedule_label(utc) == "Schedule for Wed 1 Jul, 06:00"
    assert schedule_label(None) == "Schedule (choose a time)"


def test_publishing_buttons_ask_first_and_say_what_readers_will_see(editor):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()
    by_name = {b.name: b for b in workflow_buttons(editor, draft)}
    assert by_name["_publish"].confirm == (
        "Readers will see this story on the front page and in feeds now."
    )
    assert by_name["_submit"].confirm == ""
    unpublish = {b.name: b for b in workflow_buttons(editor, live)}["_unpublish"]
    assert unpublish.confirm.startswith("Readers will no longer see this story")


def test_the_form_carries_the_confirmation_and_the_checklist(editor_client):
    story = ArticleFactory(dek="")
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert 'data-confirm="Readers will see this story on the front page' in html
    assert '<dialog class="publish-confirm"' in html
    assert "Before it goes out" in html
    assert "Add a dek: one sentence on why it matters." in html


def test_blocking_check_refuses_a_publish_post_and_changes_nothing(
    editor_client, settings
):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = ["go_deeper", "dek_present"]
    story = ArticleFactory(headline="Old headline")
    url = reverse("admin:articles_article_change", args=[story.pk])

    response = editor_client.post(
        url, change_form(story, headline="New headline", dek="", _publish="x")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not published: Dek: Add a dek" in html
    assert "Go deeper: Link at least one" in html
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Old headline", Status.DRAFT)
    assert not story.events.exists()


def test_blocking_check_refuses_the_bulk_publish_action(editor_client, settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = ["go_deeper"]
    story = ArticleFactory()
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "Link at least one “Go deeper” story." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_warnings_do_not_stop_publishing(editor_client, settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = []
    story = ArticleFactory(dek="")
    editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, _publish="x"),
    )
    story.refresh_from_db()
    assert story.is_live


def test_admin_dates_are_british_even_for_an_american_browser(admin_client):
    when = datetime(2026, 12, 1, 21, 34, tzinfo=ZoneInfo("Europe/London"))
    ArticleFactory(status=Status.PUBLISHED, published_at=when)
    html = admin_client.get(
        reverse("admin:articles_article_changelist"),
        headers={"accept-language": "en-US,en;q=0.9"},
    ).content.decode()
    assert "1 Dec 2026, 21:34" in html
    assert "p.m." not in html and "Dec." not in html


def test_list_filter_and_column_say_live(admin_client):
    ArticleFactory(published=True, headline="Now story")
    ArticleFactory(scheduled=True, headline="Later story")
    url = reverse("admin:articles_article_changelist")
    html = admin_client.get(url).content.decode()
    filters = html[html.index('id="changelist-filter"') :]
    assert ">Live</a>" in filters and ">Scheduled</a>" in filters
    assert ">Published</a>" not in filters

    live = admin_client.get(url, {"state": "live"}).content.decode()
    assert "Now story" in live and "Later story" not in live


def test_editor_offers_go_deeper_one_way_only(client):
    client.force_login(member("Editors", "ed"))
    LeadIn.objects.get_or_create(label="Go deeper:")
    LeadIn.objects.get_or_create(label="The big picture:")
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    config = json.loads(
        unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', html)[1])
    )
    labels = config["extensions"]["LeadIn"]["labels"]
    assert "The big picture:" in labels
    assert "Go deeper:" not in labels
    assert "“Go deeper” (stories linked at the end)" in html
    assert "Add “Go deeper” stories in the “Go deeper” section below." in html


def compare(client, story, **query):
    url = reverse("admin:articles_article_compare", args=[story.pk])
    return client.get(url, query).content.decode()


def test_compare_folds_saves_that_changed_nothing(admin_client):
    story = ArticleFactory(headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Tuesday")
    edit(admin_client, story, headline="Ports reopen on Tuesday")

    html = compare(admin_client, story)

    assert "1 save that changed nothing shown here is hidden." in html
    assert html.count('name="b"') == 2
    assert "<del>Monday</del><ins>Tuesday</ins>" in html
    every = compare(admin_client, story, all="1")
    assert every.count('name="b"') == 3
    assert "(no change shown here)" in every


def test_compare_shows_a_new_lead_in(admin_client):
    story = ArticleFactory(body="<p>The big picture: ferries keep running.</p>")
    edit(admin_client, story)
    edit(
        admin_client,
        story,
        body='<p><strong class="lead-in">The big picture:</strong> ferries keep '
        "running.</p>",
    )
    newest, older = Version.objects.get_for_object(story)[:2]

    html = compare(admin_client, story, a=older.pk, b=newest.pk)

    body_row = re.search(
        r"<tr class=\"(\w+)\"><th scope=\"row\">Body</th>(.*?)</tr>", html, re.S
    )
    assert body_row[1] == "changed"
    assert '<ins><strong class="lead-in">The big picture:</strong>' in body_row[2]


def test_compare_escapes_lead_in_text(admin_client):
    story = ArticleFactory(body="<p>x</p>")
    edit(admin_client, story)
    edit(
        admin_client,
        story,
        body='<p><strong class="lead-in">&lt;img src=x onerror=alert(1)&gt;⟧'
        "</strong> y</p>",
    )
    html = compare(admin_client, story)
    assert "<img src=x" not in html
    assert Article.objects.filter(pk=story.pk).exists()


def test_compare_queries_do_not_grow_with_revisions(admin_client):
    story = ArticleFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compare(admin_client, story)
        return len(captured)

    for n in range(3):
        edit(admin_client, story, headline=f"Version {n}")
    few = queries()
    for n in range(6):
        edit(admin_client, story, headline=f"Later version {n}")
    assert queries() == few
