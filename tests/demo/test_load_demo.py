"""`make run` loads the demo on a fresh database: the command must work, and
work again on a database that already has it, and it must load exactly the
content the newsroom has always shown (the snapshot in demo_snapshot.json was
taken from the loader of Python data that the content files replaced)."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from accounts.models import ReaderProfile
from articles.models import Article, Author, Correction, FrontPageSlot, LeadIn, Section
from comments.models import Comment
from live.models import LiveEntry
from newsletters.models import Edition, Subscription

SNAPSHOT = Path(__file__).with_name("demo_snapshot.json")


def _sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def demo_snapshot() -> dict:
    """What a reader and a journalist see of the loaded demo, as plain data
    (published times are left out: they are relative to the load)."""
    stories = {}
    for article in Article.objects.order_by("slug"):
        picture = article.hero_image
        stories[article.slug] = {
            "headline": article.headline,
            "dek": article.dek,
            "section": article.section.slug,
            "status": article.status,
            "is_scheduled": bool(
                article.published_at and article.published_at > article.created_at
            ),
            "authors": [
                b.author.slug for b in article.bylines.order_by("position", "pk")
            ],
            "tags": sorted(article.tags.names()),
            "source": [article.source_name, article.source_url],
            "go_deeper": [
                link.target.slug for link in article.related_links.order_by("position")
            ],
            "picture": picture.title if picture else None,
            "created_by": article.created_by.username if article.created_by else None,
            "body_sha256": _sha256(article.body),
        }
    pictures = {}
    for article in Article.objects.filter(hero_image__isnull=False).order_by("slug"):
        image = article.hero_image
        with image.file.open("rb") as fh:
            content = fh.read()
        pictures[image.title] = {
            "alt_text": image.alt_text,
            "credit": image.credit,
            "focal": [image.focal_x, image.focal_y],
            "size": [image.width, image.height],
            "file_sha256": _sha256(content),
        }
    comments = [
        {
            "story": comment.article.slug,
            "reader": comment.author.username,
            "body": comment.body,
            "reply_to": comment.parent.body if comment.parent else None,
            "depth": comment.depth,
            "status": comment.status,
        }
        for comment in Comment.objects.order_by("pk")
    ]
    users = {
        user.username: {
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
        for user in get_user_model().objects.order_by("username")
    }
    return {
        "sections": [
            [s.slug, s.name, s.description, s.position]
            for s in Section.objects.order_by("position")
        ],
        "authors": [
            [a.slug, a.name, a.bio, a.user.username if a.user else None]
            for a in Author.objects.order_by("slug")
        ],
        "lead_ins": [
            [li.label, li.position] for li in LeadIn.objects.order_by("position")
        ],
        "stories": stories,
        "pictures": pictures,
        "comments": comments,
        "corrections": [
            [c.article.slug, c.text] for c in Correction.objects.order_by("pk")
        ],
        "front_page": [
            [slot.position, slot.article.slug]
            for slot in FrontPageSlot.objects.order_by("position")
        ],
        "users": users,
    }


@pytest.mark.django_db(transaction=True)
def test_demo_loads_on_a_fresh_database_and_again_without_duplicates(
    roles, capsys, settings
):
    settings.NEWSROOM_TASKS_BACKEND = "immediate"
    call_command("load_demo")
    printed = capsys.readouterr().out
    stories, comments = Article.objects.count(), Comment.objects.count()
    assert stories > 0 and comments > 0
    assert "reader@cupure.example" in printed

    call_command("load_demo")
    assert (Article.objects.count(), Comment.objects.count()) == (stories, comments)

    # The demo readers can log in at once: they were made open, not mailed.
    reader = authenticate(username="reader@cupure.example", password="cupure-reader")
    assert reader is not None and reader.is_active
    assert ReaderProfile.objects.filter(user=reader).exists()
    editor = authenticate(username="editor", password="cupure-editor")
    assert editor is not None and editor.is_staff
    assert editor.has_perm("articles.publish_article")


@pytest.mark.django_db(transaction=True)
def test_demo_files_load_the_same_stories_pictures_and_accounts_as_before(
    roles, capsys, settings
):
    """Headlines, sections, tags, bylines, body HTML (hashed), pictures (the
    drawn file, hashed), comments and accounts equal the snapshot taken from
    the loader of Python data, and the account table prints as it did."""
    settings.NEWSROOM_TASKS_BACKEND = "immediate"
    call_command("load_demo")
    printed = capsys.readouterr().out
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))

    loaded = json.loads(json.dumps(demo_snapshot()))
    assert sorted(loaded["stories"]) == sorted(expected["stories"])
    for slug, story in expected["stories"].items():
        assert loaded["stories"][slug] == story, slug
    assert loaded == expected
    assert printed == SNAPSHOT.with_name("load_demo_output.txt").read_text()


def test_a_story_file_body_reads_as_lead_ins_and_escaped_paragraphs(tmp_path):
    from demo.content import read_story, story_body

    path = tmp_path / "01-example.md"
    path.write_text(
        '---\n{"slug": "example"}\n---\n\n'
        "**Why it matters:** Fees & <fish> quotas.\n\n"
        "A plain paragraph\nwrapped on two lines.\n\n"
        "**not a lead-in**\n",
        encoding="utf-8",
    )
    story = read_story(path)
    assert story["slug"] == "example"
    assert story_body(story) == (
        '<p><strong class="lead-in">Why it matters:</strong> '
        "Fees &amp; &lt;fish&gt; quotas.</p>"
        "<p>A plain paragraph wrapped on two lines.</p>"
        "<p>**not a lead-in**</p>"
    )


@pytest.mark.django_db(transaction=True)
def test_demo_has_a_live_story_and_two_newsletters_readers_can_see(
    roles, client, settings
):
    settings.NEWSROOM_TASKS_BACKEND = "immediate"
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert LiveEntry.objects.count() == 24
    assert Subscription.objects.filter(status="confirmed").count() == 3

    story = Article.objects.get(slug="brisa-heatwave-breaks-record")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Key events" in page and "Updated" in page
    assert "a new record for Brisa" in page
    assert page.count('class="live-entry') >= 20

    letters = client.get("/newsletters/").content.decode()
    assert "Morning Brief" in letters and "The Weekly" in letters

    # One sent edition of the morning brief in its archive, loaded once.
    archive = client.get("/newsletters/morning-brief/archive/").content.decode()
    subject = "Harbour talks stall, a snap election, and Brisa&#x27;s record heat"
    assert archive.count(subject) == 1
    assert (
        "No edition has been sent yet."
        in client.get("/newsletters/the-weekly/archive/").content.decode()
    )
    edition = Edition.objects.get(newsletter__slug="morning-brief")
    page = client.get(
        f"/newsletters/morning-brief/archive/{edition.pk}/"
    ).content.decode()
    assert page.count('class="edition__item"') == 3
    assert "Why it matters:" in page
