"""Stories through the staff API, per role: exactly what the person may do in
the admin, through the same services, with the same revisions, audit trail
and page-cache invalidation; hostile input refused with nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleEvent, Status
from tests.api.conftest import bearer
from tests.articles.staff import own_story
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/stories/"


@pytest.fixture
def local(db):
    return SectionFactory(slug="local", name="Local")


@pytest.fixture
def writer(db):
    return AuthorFactory(slug="ana-reyes", name="Ana Reyes")


@pytest.fixture
def jo(client, issue, staff_journalist):
    return Caller(client, issue(staff_journalist))


@pytest.fixture
def ed(client, issue, staff_editor):
    return Caller(client, issue(staff_editor))


class Caller:
    """The test client with one token."""

    def __init__(self, client, token):
        self.client, self.headers = client, bearer(token)

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url, data=None):
        return self.client.post(
            url, data or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, url, data):
        return self.client.patch(
            url, data, content_type="application/json", headers=self.headers
        )


def story_url(story, step=""):
    return f"{LIST}{story.pk}/" + (f"{step}/" if step else "")


def snapshot(story):
    story = Article.objects.get(pk=story.pk)
    return (
        story.headline,
        story.body,
        story.status,
        story.published_at,
        story.edit_version,
        ArticleEvent.objects.filter(article=story).count(),
    )


# --- Reading ------------------------------------------------------------------------


def test_the_list_shows_every_state_with_what_the_token_may_do(ed, jo):
    draft = ArticleFactory(headline="A draft")
    ArticleFactory(headline="A live one", published=True)
    ArticleFactory(headline="A scheduled one", scheduled=True)
    items = ed.get(LIST).json()["items"]
    assert {item["headline"] for item in items} == {
        "A draft",
        "A live one",
        "A scheduled one",
    }
    by_headline = {item["headline"]: item for item in items}
    assert by_headline["A scheduled one"]["state"] == "Scheduled"
    assert by_headline["A live one"]["state"] == "Live"
    assert by_headline["A draft"]["actions"] == ["submit", "publish", "schedule"]
    # A journalist sees others' stories too (as in the admin) but may not
    # touch them.
    theirs = jo.get(story_url(draft)).json()
    assert theirs["can_edit"] is False
    assert theirs["actions"] == []


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", ["A draft"]),
        ("in_review", ["In review"]),
        ("live", ["A live one"]),
        ("scheduled", ["A scheduled one"]),
        ("unpublished", ["Withdrawn"]),
    ],
)
def test_the_list_filters_by_state(ed, state, expected):
    ArticleFactory(headline="A draft")
    ArticleFactory(headline="In review", status=Status.IN_REVIEW)
    ArticleFactory(headline="A live one", published=True)
    ArticleFactory(headline="A scheduled one", scheduled=True)
    ArticleFactory(headline="Withdrawn", unpublished=True)
    items = ed.get(LIST, state=state).json()["items"]
    assert [item["headline"] for item in items] == expected


def test_the_list_walks_in_pages_with_a_cursor(ed):
    stories = [ArticleFactory(headline=f"Story {n}") for n in range(5)]
    seen, params = [], {"limit": 2}
    while True:
        page = ed.get(LIST, **params).json()
        seen += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert seen == [story.pk for story in reversed(stories)]


def test_a_bad_cursor_or_state_is_a_422(ed):
    assert ed.get(LIST, cursor="made-up").status_code == 422
    assert ed.get(LIST, state="deleted").status_code == 422
    assert ed.get(LIST, limit=500).status_code == 422


def test_unknown_story_is_a_404(ed):
    assert ed.get(f"{LIST}999999/").status_code == 404
    assert ed.get(f"{LIST}0/").status_code == 422


@pytest.mark.parametrize("role", ["ed", "jo"])
@pytest.mark.parametrize("count", [5, 50])
def test_the_list_takes_the_same_queries_at_5_and_50_stories(
    request, role, count, staff_journalist, django_assert_num_queries
):
    caller = request.getfixturevalue(role)
    for n in range(count):
        # Half of them the journalist's own: what they may do differs.
        ArticleFactory(
            tags=[f"topic {n % 3}"],
            authors=[AuthorFactory()],
            created_by=staff_journalist if n % 2 else None,
        )
    caller.get(LIST)  # the token's first use is written down once
    # Token and user; the user's permissions (own, groups); stories; bylines;
    # tags (the rate count is in the cache).
    with django_assert_num_queries(6):
        response = caller.get(LIST, limit=100)
    items = response.json()["items"]
    assert len(items) == count
    if role == "jo":
        assert sum(item["can_edit"] for item in items) == count // 2


# --- Journalists --------------------------------------------------------------------


def test_a_journalist_creates_a_draft_with_revision_and_audit_event(
    jo, local, writer, staff_journalist
):
    response = jo.post(
        LIST,
        {
            "headline": "Ferry fares rise again",
            "dek": "The third rise this year.",
            "body": "<p>Fares go up on Monday.</p>",
            "section": "local",
            "tags": ["ferries", "fares"],
            "authors": ["ana-reyes"],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["version"] == 2  # inserted, then written once with its parts
    assert [tag["name"] for tag in data["tags"]] == ["fares", "ferries"]
    assert [byline["slug"] for byline in data["bylines"]] == ["ana-reyes"]
    story = Article.objects.get(pk=data["id"])
    assert story.created_by == staff_journalist
    assert story.slug == "ferry-fares-rise-again"
    events = ArticleEvent.objects.filter(article=story)
    assert [(e.action, e.actor) for e in events] == [
        (ArticleEvent.Action.CREATED, staff_journalist)
    ]
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 1
    assert versions[0].revision.user == staff_journalist


def test_a_journalist_edits_and_submits_their_own_draft(jo, staff_journalist, local):
    story = own_story(staff_journalist, headline="First take")
    version = jo.get(story_url(story)).json()["version"]
    response = jo.patch(story_url(story), {"version": version, "headline": "Better"})
    assert response.status_code == 200, response.content
    assert response.json()["headline"] == "Better"
    assert response.json()["version"] == version + 1
    response = jo.post(story_url(story, "submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    assert response.json()["state"] == "In review"
    actions = list(
        ArticleEvent.objects.filter(article=story).values_list("action", flat=True)
    )
    assert actions == [ArticleEvent.Action.SUBMITTED]
    assert Version.objects.get_for_object(story).count() == 2


@pytest.mark.parametrize("step", ["publish", "unpublish"])
def test_a_journalist_cannot_publish_or_unpublish(jo, staff_journalist, step):
    story = own_story(
        staff_journalist, **({"published": True} if step == "unpublish" else {})
    )
    before = snapshot(story)
    response = jo.post(story_url(story, step))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only editors can publish, schedule or unpublish stories."
    )
    assert snapshot(story) == before


def test_a_journalist_cannot_schedule_either(jo, staff_journalist):
    story = own_story(staff_journalist)
    before = snapshot(story)
    at = (timezone.now() + timedelta(days=1)).isoformat()
    assert jo.post(story_url(story, "publish"), {"at": at}).status_code == 403
    assert snapshot(story) == before


def test_a_journalist_cannot_change_another_journalists_story(jo):
    story = ArticleFactory(headline="Someone else's")
    before = snapshot(story)
    response = jo.patch(story_url(story), {"version": 1, "headline": "Mine now"})
    assert response.status_code == 403
    assert "not yours" in response.json()["detail"]
    assert jo.post(story_url(story, "submit")).status_code == 403
    assert snapshot(story) == before


@pytest.mark.parametrize("state", [{"published": True}, {"scheduled": True}])
def test_a_journalist_cannot_change_their_published_story(jo, staff_journalist, state):
    story = own_story(staff_journalist, **state)
    before = snapshot(story)
    response = jo.patch(
        story_url(story), {"version": story.edit_version, "headline": "Quiet fix"}
    )
    assert response.status_code == 403
    assert snapshot(story) == before


def test_a_journalist_may_still_edit_their_story_in_review_as_in_the_admin(
    jo, staff_journalist
):
    """The admin lets a journalist edit their own story until it is
    published (articles/workflow.py can_edit); the API gives the same."""
    story = own_story(staff_journalist, status=Status.IN_REVIEW)
    response = jo.patch(story_url(story), {"version": 1, "dek": "Sharper dek."})
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"


def test_submitting_twice_is_refused_with_the_services_message(jo, staff_journalist):
    story = own_story(staff_journalist, status=Status.IN_REVIEW)
    before = snapshot(story)
    response = jo.post(story_url(story, "submit"))
    assert response.status_code == 422
    assert "cannot be sent to" in response.json()["detail"]
    assert snapshot(story) == before


# --- Editors ------------------------------------------------------------------------


def test_an_editor_publishes_and_the_public_api_shows_it_at_once(
    ed, client, change, staff_editor
):
    story = ArticleFactory(headline="Harbour vote result")
    public = f"/api/v1/stories/{story.pk}"
    assert client.get(public).status_code == 404
    listing = client.get("/api/v1/stories")
    assert listing.json()["items"] == []
    assert listing["X-Cache"] == "MISS"
    assert client.get("/api/v1/stories")["X-Cache"] == "HIT"
    with change():
        response = ed.post(story_url(story, "publish"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "Live"
    assert client.get(public).status_code == 200
    listing = client.get("/api/v1/stories")
    assert listing["X-Cache"] == "MISS"
    assert [s["headline"] for s in listing.json()["items"]] == ["Harbour vote result"]
    event = ArticleEvent.objects.get(article=story)
    assert (event.action, event.actor) == (ArticleEvent.Action.PUBLISHED, staff_editor)


def test_an_api_publish_refreshes_a_cached_story_page(ed, client, change):
    story = ArticleFactory(headline="Tide tables", published=True)
    page = story.get_absolute_url()
    assert client.get(page)["X-Cache"] == "MISS"
    assert client.get(page)["X-Cache"] == "HIT"
    with change():
        assert ed.post(story_url(story, "unpublish")).status_code == 200
    assert client.get(page).status_code == 404


def test_an_editor_schedules_and_the_story_stays_hidden_until_its_time(
    ed, client, change
):
    story = ArticleFactory(headline="Embargoed report")
    at = timezone.now() + timedelta(hours=3)
    with change():
        response = ed.post(story_url(story, "publish"), {"at": at.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "Scheduled"
    assert ArticleEvent.objects.get(article=story).action == "scheduled"
    public = f"/api/v1/stories/{story.pk}"
    assert client.get(public).status_code == 404
    assert client.get("/api/v1/stories").json()["items"] == []
    # Its time comes.
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(public).status_code == 200


def test_a_go_live_time_in_the_past_is_refused(ed):
    story = ArticleFactory()
    before = snapshot(story)
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    response = ed.post(story_url(story, "publish"), {"at": at})
    assert response.status_code == 422
    assert "future" in response.json()["detail"]
    assert ed.post(story_url(story, "publish"), {"at": "tomorrow"}).status_code == 422
    assert snapshot(story) == before


def test_an_editor_unpublishes(ed):
    story = ArticleFactory(published=True)
    response = ed.post(story_url(story, "unpublish"))
    assert response.status_code == 200
    assert response.json()["status"] == "unpublished"


def test_publishing_a_story_without_a_byline_is_refused_by_the_service(ed):
    story = ArticleFactory(authors=[])
    story.bylines.all().delete()
    before = snapshot(story)
    response = ed.post(story_url(story, "publish"))
    assert response.status_code == 422
    assert "author" in response.json()["detail"]
    assert snapshot(story) == before


def test_the_pre_publish_checklist_blocks_as_in_the_admin(ed, settings):
    settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS = ["headline_length"]
    story = ArticleFactory(headline="x" * 150)
    before = snapshot(story)
    response = ed.post(story_url(story, "publish"))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Not published: Headline length")
    assert snapshot(story) == before


# --- Concurrency --------------------------------------------------------------------


def test_a_stale_version_is_a_409_and_changes_nothing(ed, jo, staff_journalist):
    story = own_story(staff_journalist)
    read = jo.get(story_url(story)).json()["version"]
    response = ed.patch(story_url(story), {"version": read, "dek": "Editor's dek"})
    assert response.status_code == 200
    before = snapshot(story)
    response = jo.patch(story_url(story), {"version": read, "headline": "Overwrite"})
    assert response.status_code == 409
    assert "after you opened it" in response.json()["detail"]
    assert snapshot(story) == before


# --- Hostile input ------------------------------------------------------------------


def test_script_in_the_body_is_cleaned_as_in_the_admin(ed, local):
    response = ed.post(
        LIST,
        {
            "headline": "Council meets",
            "section": "local",
            "body": '<p onclick="steal()">Hi<script>alert(1)</script>'
            '<a href="javascript:alert(1)">x</a><img src="https://evil.test/p.gif">'
            "</p>",
        },
    )
    assert response.status_code == 201
    body = Article.objects.get(pk=response.json()["id"]).body
    assert "script" not in body
    assert "onclick" not in body
    assert "javascript" not in body
    assert "evil.test" not in body
    assert body.startswith("<p>Hi")


@pytest.mark.parametrize(
    "payload",
    [
        {"headline": "x" * 201, "section": "local"},
        {"headline": "", "section": "local"},
        {"headline": "   ", "section": "local"},
        {"headline": "Nul\x00byte", "section": "local"},
        {"headline": "Fine", "section": "local", "body": "<p>\x00</p>"},
        {"headline": "Fine", "section": "local", "tags": ["a\x00b"]},
        {"headline": 12, "section": "local"},
        {"headline": ["a"], "section": "local"},
        {"headline": "Fine", "section": "nowhere"},
        {"headline": "Fine", "section": "../etc"},
        {"headline": "Fine"},
        {"headline": "Fine", "section": "local", "tags": "not-a-list"},
        {"headline": "Fine", "section": "local", "tags": ["t"] * 21},
        {"headline": "Fine", "section": "local", "authors": ["nobody"]},
        {"headline": "Fine", "section": "local", "slug": "has spaces"},
        {"headline": "Fine", "section": "local", "body": "x" * 200_001},
        {"headline": "Fine", "section": "local", "status": "published"},
        {"headline": "Fine", "section": "local", "dek": "d" * 301},
    ],
)
def test_bad_input_is_a_422_and_creates_nothing(ed, local, payload):
    response = ed.post(LIST, payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert not Article.objects.exists()
    assert not ArticleEvent.objects.exists()


def test_a_lone_surrogate_is_a_422(ed, client, local):
    response = client.post(
        LIST,
        '{"headline": "Bad \\ud800 text", "section": "local"}',
        content_type="application/json",
        headers=ed.headers,
    )
    assert response.status_code == 422, response.content
    assert not Article.objects.exists()


def test_a_body_that_is_not_json_is_a_422(ed, client, local):
    response = client.post(
        LIST, "{not json", content_type="application/json", headers=ed.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot parse request body"
    assert not Article.objects.exists()


def test_a_taken_slug_is_a_422(ed, local):
    ArticleFactory(slug="taken")
    response = ed.post(LIST, {"headline": "Fine", "section": "local", "slug": "taken"})
    assert response.status_code == 422
    assert "slug" in response.json()["detail"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "patch",
    [
        {"headline": "x" * 201},
        {"version": "one"},
        {"section": "nowhere"},
        {"published_at": "2020-01-01T00:00:00Z"},
        {"status": "published"},
        {"edit_version": 99},
    ],
)
def test_a_bad_patch_changes_nothing(ed, patch):
    story = ArticleFactory()
    before = snapshot(story)
    response = ed.patch(story_url(story), {"version": story.edit_version, **patch})
    assert response.status_code == 422, response.content
    assert snapshot(story) == before


def test_a_patch_needs_the_version(ed):
    story = ArticleFactory()
    assert ed.patch(story_url(story), {"headline": "New"}).status_code == 422
