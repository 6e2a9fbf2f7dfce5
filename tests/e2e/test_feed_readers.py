"""A feed reader renders each field of every feed as the type the feed
declares; with markup typed into every field, nothing runs."""

import html
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import sync_playwright

from tests.feeds import feed_urls, hostile_newsroom, parse, reader_fields

pytestmark = pytest.mark.django_db

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Any payload that runs calls __hit (or alert, caught as a dialog).
WATCH = """
window.__xss = [];
window.__hit = (n) => window.__xss.push(String(n));
"""
# javascript: links run when followed: follow every link that is not http(s).
FOLLOW_LINKS = """() => {
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!["http:", "https:"].includes(a.protocol)) a.click();
  }
}"""


def document(field) -> str:
    body = field.value if field.kind == "html" else html.escape(field.value)
    head = "<!doctype html><html><head><meta charset=utf-8></head>"
    return f"{head}<body>{body}</body></html>"


def what_ran(fields: list) -> list:
    """Each field that ran script in Chromium, with what ran. In a thread of
    its own: the test database stays with the test's thread."""
    ran = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        context = browser.new_context()
        context.add_init_script(WATCH)
        # Nothing leaves the machine: an <img src=x> still errors, as offline.
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for field in fields:
            page.evaluate("window.__xss = []")
            page.set_content(document(field), wait_until="load")
            page.evaluate(FOLLOW_LINKS)
            page.wait_for_timeout(20)
            hits = page.evaluate("window.__xss")
            if hits or dialogs:
                ran.append((field, hits, list(dialogs)))
                dialogs.clear()
        browser.close()
    return ran


def test_no_feed_field_runs_script_in_a_browser(client):
    newsroom = hostile_newsroom()
    fields = {}
    for url in feed_urls(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        for field in reader_fields(url, parsed):
            fields.setdefault((field.kind, field.value), field)
    assert any(kind == "html" for kind, _ in fields)

    with ThreadPoolExecutor(max_workers=1) as pool:
        ran = pool.submit(what_ran, list(fields.values())).result(timeout=300)
    assert not ran, "\n".join(map(repr, ran))
