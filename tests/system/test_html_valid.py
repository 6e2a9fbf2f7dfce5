"""Every public page type is valid HTML for the current W3C Nu checker
(npm's vnu-jar, run with Java): built with realistic data through the test
client, written to files and checked in one run of the checker."""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.db.utils import OperationalError
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.defaults import server_error

from articles.models import Article, Correction, RelatedLink
from articles.services import article_preview_link
from comments.models import CommentStatus
from images.imaging import check_and_clean
from images.services import image_create
from newsletters.models import (
    Edition,
    EditionItem,
    EditionStatus,
    Newsletter,
    Subscription,
)
from newsletters.services import confirmation_token, preferences_token
from newsroom.outage import database_unavailable
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.images import picture_bytes

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [pytest.mark.django_db, pytest.mark.html]


def require_checker() -> str:
    """Java's path. Without Java or the checker the test is skipped, except
    in CI (or with NEWSROOM_REQUIRE_VNU), where it fails."""
    java = shutil.which("java")
    if java and VNU.exists():
        return java
    missing = "java" if not java else f"{VNU} (run `npm ci`)"
    if os.environ.get("CI") or os.environ.get("NEWSROOM_REQUIRE_VNU"):
        pytest.fail(f"The Nu HTML checker cannot run: {missing} is missing")
    pytest.skip(f"The Nu HTML checker cannot run: {missing} is missing")


def vnu_errors(java: str, files: list[Path]) -> list[str]:
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]
    assert errors or result.returncode == 0, result.stderr
    return errors


@pytest.fixture
def newsroom(admin_user, settings):
    settings.NEWSROOM_PAGE_SIZE = 4
    world = SectionFactory(name="World news", slug="world")
    business = SectionFactory(name="Business", slug="business")
    author = AuthorFactory(
        name="Ines Okafor", slug="ines-okafor", bio="Covers the strait & its ports."
    )
    harbour, ferries = TagFactory(name="harbour summit"), TagFactory(name="ferries")
    image = image_create(
        upload=check_and_clean("harbour.jpg", picture_bytes((1600, 900))),
        by=admin_user,
        title="Harbour at dawn",
        alt_text="Fishing boats tied up in the harbour at dawn",
        caption="The old harbour, the morning of the talks.",
        credit="Photo: Ana Ruiz",
    )
    now = timezone.now()
    stories = [
        ArticleFactory(
            published=True,
            published_at=now - timedelta(hours=n + 1),
            section=world if n % 2 else business,
            authors=[author],
            headline=f"Harbour talks resume, day {n} — “progress” & pauses",
            tags=[harbour, ferries],
        )
        for n in range(10)
    ]
    story = stories[0]
    # Everything the body editor can produce, a picture from the library too.
    story.body = (
        '<p><strong class="lead-in">Why it matters:</strong> The port handles '
        "a third of the country's grain &amp; fuel.</p>"
        '<h2>What was agreed</h2><ol start="2"><li>Night shifts resume</li>'
        "<li>Fees stay <em>frozen</em></li></ol><h3>Still open</h3>"
        "<ul><li>Pilots' pay</li></ul><blockquote><p>“We are close,” said the "
        "mayor.</p></blockquote><hr>"
        f'<figure><img src="{image.file.url}" alt="The harbour at dawn" '
        'width="1600" height="900"><figcaption>Boats waiting to unload.'
        "</figcaption></figure>"
        '<p>More at <a href="https://port.example/news">the port\'s site</a>.'
        "<br>Updated hourly.</p>"
    )
    story.hero_image = image
    story.source_name = "Coastal Wire"
    story.source_url = "https://wire.example/harbour"
    story.save()
    Correction.objects.create(
        article=story, text="An earlier version misnamed the port."
    )
    Correction.objects.create(
        article=story, kind=Correction.Kind.UPDATE, text="Talks adjourned at 6pm."
    )
    reader, other = ReaderFactory(), ReaderFactory()
    first = CommentFactory(
        article=story, author=other, body="Good summary, see https://example.org"
    )
    CommentFactory(article=story, author=reader, parent=first, body="Agreed & thanks.")
    mine = CommentFactory(article=story, author=reader, body="A second thought.")
    CommentFactory(article=story, author=reader, status=CommentStatus.PENDING)
    CommentFactory(article=story, author=other, status=CommentStatus.DELETED)
    RelatedLink.objects.create(article=story, target=stories[3], position=0)
    draft = ArticleFactory(section=world, authors=[author], headline="Port deal draft")
    preview_url, _ = article_preview_link(article=draft, by=admin_user)
    return {
        "preview_url": preview_url,
        "story": story,
        "world": world,
        "author": author,
        "tag": harbour,
        "reader": reader,
        "first": first,
        "mine": mine,
    }


def newsletter_pages(client) -> dict[str, bytes]:
    """The newsletter pages, from sign-up to leaving, refusals included."""
    brief = Newsletter.objects.create(
        name="Morning Brief & more", slug="brief", schedule="Weekdays at 7:00"
    )
    Newsletter.objects.create(name="The Weekly", slug="weekly", description="Long.")
    confirm = reverse(
        "newsletters:confirm",
        args=[confirmation_token(email="r@example.org", newsletter_ids=[brief.pk])],
    )
    Subscription.objects.create(newsletter=brief, email="r@example.org")
    token = preferences_token("r@example.org")
    edition = Edition.objects.create(
        newsletter=brief,
        subject="Harbour vote & ferries",
        intro="Good morning.\n\nThree things today.",
        status=EditionStatus.SENT,
        sent_at=timezone.now(),
    )
    for story in Article.objects.published()[:2]:
        EditionItem.objects.create(edition=edition, story=story, lead_ins=2)
        Correction.objects.create(article=story, text="A name is now spelled right.")
    assert edition.items.count() == 2  # the edition page is checked with stories
    pages = {}
    for name, url, status in [
        ("newsletters", reverse("newsletters:list") + "?email=r@example.org", 200),
        ("newsletters-sent", reverse("newsletters:sent"), 200),
        ("newsletter-archive", reverse("newsletters:archive", args=["brief"]), 200),
        (
            "newsletter-archive-empty",
            reverse("newsletters:archive", args=["weekly"]),
            200,
        ),
        (
            "newsletter-edition",
            reverse("newsletters:edition", args=["brief", edition.pk]),
            200,
        ),
        ("newsletters-confirm", confirm, 200),
        ("newsletters-bad-link", reverse("newsletters:confirm", args=["bad"]), 400),
        (
            "newsletters-preferences",
            reverse("newsletters:preferences", args=[token]),
            200,
        ),
        (
            "newsletters-unsubscribe",
            reverse("newsletters:unsubscribe", args=[token]),
            200,
        ),
    ]:
        response = client.get(url)
        assert response.status_code == status, (name, url)
        pages[name] = response.content
    for name, url, data, status in [
        ("newsletters-with-errors", reverse("newsletters:list"), {"email": "x"}, 400),
        ("newsletters-confirmed", confirm, {}, 200),
        (
            "newsletters-preferences-saved",
            reverse("newsletters:preferences", args=[token]),
            {"newsletters": [brief.pk]},
            200,
        ),
        (
            "newsletters-unsubscribed",
            reverse("newsletters:unsubscribe", args=[token]),
            {},
            200,
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == status, (name, url)
        pages[name] = response.content
    return pages


def test_every_public_page_type_is_valid_html(client, newsroom, tmp_path):
    java = require_checker()
    story, reader = newsroom["story"], newsroom["reader"]
    uid = urlsafe_base64_encode(force_bytes(reader.pk))
    token = default_token_generator.make_token(reader)
    anonymous = {
        "headlines": reverse("articles:headlines"),
        "section": newsroom["world"].get_absolute_url(),
        "section-page-2": newsroom["world"].get_absolute_url() + "?page=2",
        "headlines-page-2": reverse("articles:headlines") + "?page=2",
        "tag": newsroom["tag"].get_absolute_url(),
        "author": newsroom["author"].get_absolute_url(),
        "story": story.get_absolute_url(),
        "comment-permalink": newsroom["first"].get_absolute_url(),
        "search-results": reverse("articles:search") + "?q=harbour",
        "search-nothing-found": reverse("articles:search") + "?q=zeppelinsxyz",
        "search-empty": reverse("articles:search"),
        "api-docs": reverse("api:openapi-view"),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
        "password-reset": reverse("accounts:password_reset"),
        "password-reset-sent": reverse("accounts:password_reset_done"),
        "password-reset-confirm": reverse(
            "accounts:password_reset_confirm", args=[uid, token]
        ),
        "password-reset-bad-link": reverse(
            "accounts:password_reset_confirm", args=[uid, "bad-token"]
        ),
        "password-reset-complete": reverse("accounts:password_reset_complete"),
        "preview-link": newsroom["preview_url"],
        "not-found": "/no-such-section/",
    }
    signed_in = {
        "story-signed-in": story.get_absolute_url(),
        "account": reverse("accounts:account"),
        "comment-edit": reverse("comments:edit", args=[newsroom["mine"].pk]),
        "comment-report": reverse("comments:report", args=[newsroom["first"].pk]),
    }
    pages = {}
    for name, url in anonymous.items():
        response = client.get(url, follow=True)
        expected = 404 if name == "not-found" else 200
        assert response.status_code == expected, (name, url)
        pages[name] = response.content
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        response = client.get(newsroom["preview_url"])
    assert response.status_code == 410
    pages["preview-expired"] = response.content
    # A sign-up form sent back with errors shows them next to the fields.
    response = client.post(reverse("accounts:signup"), {"email": "not-an-address"})
    pages["signup-with-errors"] = response.content
    pages |= newsletter_pages(client)
    client.force_login(reader, backend="accounts.backends.AccountBackend")
    for name, url in signed_in.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        pages[name] = response.content
    # A posted comment: the story again, with the message saying so.
    response = client.post(
        reverse("comments:post", args=[story.pk]),
        {"body": "Thanks for the update on the talks."},
        follow=True,
    )
    assert b"Thanks for the update" in response.content
    pages["story-after-commenting"] = response.content
    request = RequestFactory().get("/accounts/login/")
    request.user = reader
    pages["login-locked-out"] = render(
        request, "registration/locked_out.html", status=429
    ).content
    request = RequestFactory().get("/world/")
    pages["server-error"] = server_error(request).content
    pages["database-outage"] = database_unavailable(
        request, OperationalError("connection refused")
    ).content

    files = []
    for name, content in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(content)
        files.append(path)
    errors = vnu_errors(java, files)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)


def test_the_checker_finds_an_invalid_datetime(tmp_path):
    java = require_checker()
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title>'
        '<time datetime="2026-07-01T10:30:15.123456+01:00">1 July</time>'
    )
    (error,) = vnu_errors(java, [page])
    assert "datetime" in error
