"""A live story's page, its older entries' page and an ended coverage's page
are valid HTML for the W3C Nu checker (as tests/system/test_html_valid.py
checks every other public page)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.live.factories import LiveCoverageFactory, LiveEntryFactory, library_image
from tests.system.test_html_valid import require_checker, vnu_errors

pytestmark = [pytest.mark.django_db, pytest.mark.html]


def test_live_pages_are_valid_html(client, settings, tmp_path, admin_user):
    java = require_checker()
    settings.NEWSROOM_LIVE_PAGE_SIZE = 3
    reporter = get_user_model().objects.create_user("reporter", first_name="Amara")
    coverage = LiveCoverageFactory()
    LiveEntryFactory(coverage=coverage, is_pinned=True, author=reporter)
    LiveEntryFactory(coverage=coverage, is_key_event=True, body="<p>Key & more</p>")
    LiveEntryFactory.create_batch(4, coverage=coverage, edited_at=timezone.now())
    picture = library_image(admin_user, caption="Sandbags & rope.", credit="R. Vos")
    LiveEntryFactory(coverage=coverage, image=picture)
    now = timezone.now()
    ended = LiveCoverageFactory(
        starts_at=now - timezone.timedelta(hours=2),
        ends_at=now - timezone.timedelta(hours=1),
    )
    LiveEntryFactory(coverage=ended, is_key_event=True)
    oldest = coverage.entries.order_by("pk")[2].pk
    pages = {
        "live": coverage.story.get_absolute_url(),
        "live-older": f"{coverage.story.get_absolute_url()}?before={oldest}",
        "live-ended": ended.story.get_absolute_url(),
        "live-empty": LiveCoverageFactory().story.get_absolute_url(),
        # The headlines with the live story's card: its badge and latest line.
        "headlines": "/",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200
        marker = 'class="card__latest"' if name == "headlines" else 'class="live"'
        assert marker in response.content.decode(), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert vnu_errors(java, files) == []
